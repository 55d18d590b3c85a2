"""Read the minutes of a meeting held before Waardig: upload, review and correct, confirm.

Nothing is stored before the secretary confirms: the review screen carries the whole proposal
in its own fields (there is nothing else to trust or to clean up), and only the confirmation
saves it, through ``services.record_meeting`` like the command line (``meetings.importers``).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from waardig.core import audit
from waardig.core.access import CHANGE
from waardig.core.editing import show_errors
from waardig.core.forms import DateInput, StyledForm
from waardig.core.imports.documents import DOCUMENT_FORMATS, read_lines
from waardig.core.imports.readers import UnreadableFile
from waardig.core.imports.views import UploadForm
from waardig.core.views import ScopedView
from waardig.meetings import services
from waardig.meetings.forms import AttendanceForm, MeetingFactsForm
from waardig.meetings.importers import MinutesImporter
from waardig.meetings.minutes import (
    ProposedActionItem,
    ProposedAgendaItem,
    ProposedMinutes,
    parse_minutes,
)
from waardig.meetings.models import Attendance, Body, Meeting
from waardig.meetings.views import body_crumb, crumbs

PRESENCE = Attendance.Presence


class ReviewedMeetingForm(MeetingFactsForm):
    """Date, times and place as read, plus what the review carries along unseen."""

    title = forms.CharField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    remarks = forms.JSONField(required=False, widget=forms.HiddenInput)
    intro = forms.CharField(
        label=gettext_lazy("Verslag vóór het eerste agendapunt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        del self.fields["online_link"]  # minutes of a past meeting have none


class AgendaRowForm(StyledForm, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Nummer"),
        max_length=10,
        widget=forms.TextInput(attrs={"size": 5}),
        validators=[
            RegexValidator(
                r"^\d{1,2}(\.\d{1,2}){0,2}\.?$",
                gettext_lazy("Geef een nummer zoals 3 of 3.1."),
            )
        ],
    )
    title = forms.CharField(
        label=gettext_lazy("Titel"), max_length=300, widget=forms.TextInput(attrs={"size": 60})
    )
    text = forms.CharField(
        label=pgettext_lazy("meeting minutes", "Verslag"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().rstrip(".")


class AgendaRows(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = gettext_lazy("Verwijderen")
        form.fields["DELETE"].widget.attrs["class"] = "utrecht-checkbox"

    def kept(self) -> list[forms.Form]:
        """The rows that stay: not removed, and not the empty row for a new item."""
        return [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not self._should_delete_form(f)
        ]

    def clean(self) -> None:
        """A number once; a sub-item (3.1) after the item it belongs to (3)."""
        seen: set[str] = set()
        for form in self.kept():
            number = form.cleaned_data.get("number")
            if not number:
                continue
            parent = number.rpartition(".")[0]
            if number in seen:
                form.add_error("number", _("Dit nummer staat al eerder op de agenda."))
            elif parent and parent not in seen:
                form.add_error(
                    "number",
                    _("Punt %(number)s hoort onder punt %(parent)s; zet dat punt erboven.")
                    % {"number": number, "parent": parent},
                )
            seen.add(number)

    def numbers(self) -> set[str]:
        return {f.cleaned_data["number"] for f in self.kept() if f.cleaned_data.get("number")}


class ActionRowForm(StyledForm, forms.Form):
    include = forms.BooleanField(label=gettext_lazy("Opnemen"), required=False, initial=True)
    text = forms.CharField(
        label=gettext_lazy("Actiepunt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
    )
    owner = forms.CharField(label=gettext_lazy("Eigenaar"), max_length=200, required=False)
    due = forms.DateField(label=gettext_lazy("Uiterlijk"), required=False, widget=DateInput())
    agenda_number = forms.CharField(
        label=gettext_lazy("Agendapunt"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"size": 5}),
    )
    line = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("include") and not (data.get("text") or "").strip():
            self.add_error("text", _("Schrijf het actiepunt, of neem het niet op."))
        data["agenda_number"] = (data.get("agenda_number") or "").strip().rstrip(".")
        return data


AgendaFormSet = forms.formset_factory(AgendaRowForm, formset=AgendaRows, extra=1, can_delete=True)
ActionFormSet = forms.formset_factory(ActionRowForm, extra=1)


class Review:
    """The review screen's forms, bound to a confirmation or filled from a document."""

    def __init__(self, data: Any = None, **initial: Any):
        self.meeting = ReviewedMeetingForm(data, prefix="meeting", initial=initial.get("meeting"))
        self.attendance = AttendanceForm(data, prefix="attendance", initial=initial.get("people"))
        self.agenda = AgendaFormSet(data, prefix="agenda", initial=initial.get("agenda"))
        self.actions = ActionFormSet(data, prefix="actions", initial=initial.get("actions"))
        self.agenda.columns = _row_labels(self.agenda, _("agendaregel %(row)s"))
        self.actions.columns = _row_labels(self.actions, _("actiepunt %(row)s"))

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (_("Vergadering"), self.meeting.visible_fields()),
            (_("Aanwezigheid"), self.attendance.visible_fields()),
        ]

    @classmethod
    def of(cls, minutes: ProposedMinutes, remarks: list[str], source: str) -> Review:
        numbers = [item.number for item in minutes.agenda]
        orphans = [n for n, text in minutes.minutes.items() if n and n not in numbers and text]
        remarks = remarks + [
            _(
                "Punt %(number)s staat in het verslag maar niet op de agenda: geef het een "
                "titel of verwijder het."
            )
            % {"number": number}
            for number in orphans
        ]
        rows = [(item.number, item.title) for item in minutes.agenda] + [(n, "") for n in orphans]
        return cls(
            meeting={
                "title": minutes.title,
                "source": source,
                "remarks": remarks,
                "date": minutes.date,
                "start": minutes.start,
                "end": minutes.end,
                "place": minutes.place,
                "intro": minutes.minutes.get("", ""),
            },
            people={
                PRESENCE.PRESENT: "\n".join(minutes.present),
                PRESENCE.EXCUSED: "\n".join(minutes.absent_with_notice),
                PRESENCE.ABSENT: "\n".join(minutes.absent),
            },
            agenda=[
                {"number": n, "title": title, "text": minutes.minutes.get(n, "")}
                for n, title in rows
            ],
            actions=[
                {
                    "include": True,
                    "text": item.text,
                    "owner": item.owner,
                    "due": item.due,
                    "agenda_number": item.agenda_number,
                    "line": item.line,
                }
                for item in minutes.action_items
            ],
        )

    @property
    def remarks(self) -> list[str]:
        """The parser's remarks, carried along as the rest of the proposal."""
        try:
            value = json.loads(self.meeting["remarks"].value() or "[]")  # as the input has it
        except ValueError:
            return []
        return [str(remark) for remark in value] if isinstance(value, list) else []

    def is_valid(self) -> bool:
        valid = all(
            [f.is_valid() for f in (self.meeting, self.attendance, self.agenda, self.actions)]
        )
        if not self.agenda.is_valid():
            return False
        numbers = self.agenda.numbers()
        for form in self.included():
            number = form.cleaned_data.get("agenda_number")
            if number and number not in numbers:
                form.add_error(
                    "agenda_number",
                    _("Punt %(number)s staat niet op de agenda.") % {"number": number},
                )
                valid = False
        return valid

    def included(self) -> list[forms.Form]:
        return [
            f
            for f in self.actions.forms
            if f.is_valid() and f.cleaned_data.get("include") and f.cleaned_data.get("text")
        ]

    def minutes(self) -> ProposedMinutes:
        """The proposal as corrected; call after ``is_valid``."""
        meeting = self.meeting.cleaned_data
        people = {p: [n for n, presence in self.attendance.entries() if presence == p]
                  for p in PRESENCE}  # fmt: skip
        agenda = [f.cleaned_data for f in self.agenda.kept()]
        texts = {"": meeting["intro"], **{row["number"]: row["text"] for row in agenda}}
        return ProposedMinutes(
            title=meeting["title"],
            date=meeting["date"],
            start=meeting["start"],
            end=meeting["end"],
            place=meeting["place"],
            present=people[PRESENCE.PRESENT],
            absent=people[PRESENCE.ABSENT],
            absent_with_notice=people[PRESENCE.EXCUSED],
            agenda=[ProposedAgendaItem(row["number"], row["title"]) for row in agenda],
            minutes={number: text for number, text in texts.items() if text.strip()},
            action_items=[
                ProposedActionItem(
                    row["line"] or 0,
                    row["text"].strip(),
                    row["owner"].strip(),
                    row["due"],
                    row["agenda_number"],
                )
                for row in (f.cleaned_data for f in self.included())
            ],
        )

    def errors(self) -> list[tuple[str, str]]:
        """(message, field id) for the summary on top, in the order of the page; the labels
        of the rows' fields name their row."""
        found = []
        for form in (self.meeting, self.attendance, *self.agenda.forms, *self.actions.forms):
            found += [(str(e), "") for e in form.non_field_errors()]
            found += [
                (f"{form[name].label}: {e}", form[name].auto_id)
                for name, errors in form.errors.items()
                if name in form.fields
                for e in errors
            ]
        return found


def _row_labels(formset: forms.BaseFormSet, row: str) -> list[str]:
    """Label each row's fields with their row ("Eigenaar (actiepunt 2)"), for screen readers
    and the error summary; return the plain labels for the column headers."""
    columns = [str(field.label) for field in formset.empty_form.visible_fields()]
    for index, form in enumerate(formset.forms, start=1):
        where = row % {"row": index}
        for field in form.fields.values():
            field.label = f"{field.label} ({where})"
    return columns


class MinutesImportStart(ScopedView):
    """Where the generic import pages send minutes: choose the body they belong to."""

    model = Meeting
    action = CHANGE

    def get(self, request: HttpRequest) -> HttpResponse:
        bodies = self.scoped(Body.objects.order_by("name"))
        if slug := request.GET.get("body"):
            body = get_object_or_404(bodies, slug=slug)
            return redirect("minutes-import", slug=body.slug)
        return render(
            request,
            "meetings/minutes_upload.html",
            {"bodies": bodies, "breadcrumbs": _crumbs(None)},
        )


class MinutesImport(ScopedView):
    """Upload minutes, review and correct what was read, confirm to save the meeting."""

    model = Meeting
    action = CHANGE

    def body(self) -> Body:
        return get_object_or_404(self.scoped(Body.objects.all()), slug=self.kwargs["slug"])

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.upload_page(self.body(), UploadForm(formats=DOCUMENT_FORMATS))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        body = self.body()
        if "confirm" in request.POST:
            return self.confirm(body)
        form = UploadForm(request.POST, request.FILES, formats=DOCUMENT_FORMATS)
        if not form.is_valid():
            return self.upload_page(body, form)
        upload = form.cleaned_data["file"]
        try:
            minutes, problems = parse_minutes(read_lines(upload.read(), upload.name))
        except UnreadableFile as exc:
            form.add_error("file", str(exc))
            return self.upload_page(body, form)
        remarks = [_remark(p.line, p.message) for p in problems]
        if problem := services.recording_problem(body, minutes):
            remarks.append(problem)
        return self.review_page(body, Review.of(minutes, remarks, upload.name))

    def confirm(self, body: Body) -> HttpResponse:
        review = Review(self.request.POST)
        if not review.is_valid():
            return self.review_page(body, review)
        minutes = review.minutes()
        source = review.meeting.cleaned_data["source"]
        try:
            meeting = services.record_meeting(self.request.user, body, minutes, source=source)
        except ValidationError as exc:
            show_errors(review.meeting, exc)  # on the field it names, else on top
            return self.review_page(body, review)
        audit.record(
            self.request.user,
            "import",
            "minutes",
            detail=f"{source}: {body.slug} {meeting.date.isoformat()}, "
            f"{len(minutes.action_items)} actiepunten",
        )
        messages.success(
            self.request,
            ngettext(
                "Het verslag is ingelezen: de vergadering en %(n)s actiepunt zijn opgeslagen.",
                "Het verslag is ingelezen: de vergadering en %(n)s actiepunten zijn opgeslagen.",
                len(minutes.action_items),
            )
            % {"n": len(minutes.action_items)},
        )
        return redirect("meeting-detail", slug=body.slug, pk=meeting.pk)

    def upload_page(self, body: Body, form: UploadForm) -> HttpResponse:
        return render(
            self.request,
            "meetings/minutes_upload.html",
            {
                "body": body,
                "form": form,
                "shape": MinutesImporter.document_shape,
                "breadcrumbs": _crumbs(body),
            },
        )

    def review_page(self, body: Body, review: Review) -> HttpResponse:
        return render(
            self.request,
            "meetings/minutes_review.html",
            {"body": body, "review": review, "breadcrumbs": _crumbs(body, review=True)},
        )


def _remark(line: int, message: str) -> str:
    return (
        _("Regel %(line)s: %(message)s") % {"line": line, "message": message} if line else message
    )


def _crumbs(body: Body | None, review: bool = False) -> list[tuple[str, str]]:
    if body is None:
        return crumbs((_("Verslag inlezen"), ""))
    upload = (_("Verslag inlezen"), reverse("minutes-import", args=[body.slug]) if review else "")
    return crumbs(body_crumb(body), upload, *([(_("Controleren"), "")] if review else []))
