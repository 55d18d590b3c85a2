"""Forms of the meetings pages; they validate input, services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waardig.core.access import scope
from waardig.core.forms import DateInput, StyledForm
from waardig.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Meeting,
    Outcome,
)
from waardig.meetings.services import ACTION_ITEM_FIELDS, DOCUMENT_TYPES
from waardig.organisations.models import Organisation, Person
from waardig.programme.models import Action


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs, format="%H:%M")


class BodyForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "slug", "kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"slug": _("Wordt deel van het webadres, bijvoorbeeld 'taskforce'.")}


class MemberForm(StyledForm, forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ["organisation", "person", "user", "role", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args: Any, body: Body, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["person"].queryset = Person.objects.order_by("name")
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)


class MeetingFactsForm(StyledForm, forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    start = forms.TimeField(label=_("Begin"), required=False, widget=TimeInput())
    end = forms.TimeField(label=_("Einde"), required=False, widget=TimeInput())
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Online deelnemen"),
        required=False,
        help_text=_("De link naar de online vergadering, als die er is."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("Het einde ligt voor of op het begin."))
        return data


class MeetingCreateForm(MeetingFactsForm):
    topics = forms.CharField(
        label=_("Onderwerpen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Eén onderwerp per regel; ze komen voor de rondvraag. De vaste punten en alle "
            "open actiepunten komen vanzelf op de agenda."
        ),
    )

    def clean_topics(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["topics"].splitlines() if line.strip()]


class MeetingUpdateForm(MeetingFactsForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (s.value, s.label)
            for s in (Meeting.Status.DRAFT, Meeting.Status.PLANNED, Meeting.Status.HELD)
        ],
        help_text=_("Het verslag vaststellen doet u op de verslagpagina."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if meeting.status == Meeting.Status.FINAL:
            del self.fields["status"]  # final only changes through a new minutes version


class AttendanceForm(StyledForm, forms.Form):
    """One text box per presence, one name (organisation or role) a line."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for presence in Attendance.Presence:
            self.fields[presence.value] = forms.CharField(
                label=presence.label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("Eén organisatie of rol per regel."),
            )

    @staticmethod
    def initial_of(meeting: Meeting) -> dict[str, str]:
        names: dict[str, list[str]] = {p.value: [] for p in Attendance.Presence}
        for row in meeting.attendance.all():
            names[row.presence].append(row.name)
        return {presence: "\n".join(rows) for presence, rows in names.items()}

    def entries(self) -> list[tuple[str, str]]:
        """(name, presence) in the order written, empty lines left out."""
        return [
            (line.strip(), presence.value)
            for presence in Attendance.Presence
            for line in self.cleaned_data[presence.value].splitlines()
            if line.strip()
        ]


class AgendaItemForm(StyledForm, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    parent = forms.ModelChoiceField(
        label=_("Onder agendapunt"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("(een nieuw hoofdpunt)"),
        help_text=_("Leeg laten: het punt komt voor de rondvraag."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = meeting.agenda.order_by("order", "id")


class OutcomeForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class NewActionItemForm(StyledForm, forms.Form):
    text = forms.CharField(label=_("Actiepunt"), widget=forms.Textarea(attrs={"rows": 3}))
    owner_name = forms.CharField(
        label=_("Eigenaar"),
        max_length=200,
        required=False,
        help_text=_("Zoals in het verslag, bijvoorbeeld 'LLTB, LWV'."),
    )
    due = forms.DateField(label=_("Uiterlijk"), required=False, widget=DateInput())


class ActionItemForm(StyledForm, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = list(ACTION_ITEM_FIELDS)
        labels = {
            "owner_person": _("Eigenaar (persoon)"),
            "owner_organisation": _("Eigenaar (organisatie)"),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due": DateInput()}

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner_person"].queryset = Person.objects.order_by("name")
        self.fields["owner_organisation"].queryset = Organisation.objects.order_by("name")
        actions = scope(actor, Action.objects.select_related("programme"))
        self.fields["programme_action"].queryset = actions.order_by("programme__name", "code")


class FollowUpForm(StyledForm, forms.Form):
    text = forms.CharField(
        label=_("Notitie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf een notitie.")},
    )
    meeting = forms.ModelChoiceField(
        label=_("Besproken in vergadering"),
        queryset=Meeting.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, item: ActionItem, **kwargs: Any):
        super().__init__(*args, **kwargs)
        meetings = self.fields["meeting"]
        meetings.queryset = item.body.meetings.order_by("-date")
        meetings.label_from_instance = lambda m: f"{m.date:%d-%m-%Y} ({m.get_status_display()})"


class CloseForm(FollowUpForm):
    status = forms.ChoiceField(
        label=_("Afsluiten als"),
        choices=[(s.value, s.label) for s in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED)],
    )
    field_order = ["status", "text", "meeting"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
        self.fields["text"].label = _("Toelichting")


class MinutesForm(StyledForm, forms.Form):
    """A text box per agenda item, keyed by its number as the minutes versions are."""

    reason = forms.CharField(label=_("Reden van de wijziging"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        agenda: list[AgendaItem],
        texts: dict[str, str],
        final: bool,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.numbers: dict[str, str] = {}  # field name -> agenda number
        reason = self.fields.pop("reason")
        for item in agenda:
            self._text_field(item.number, f"{item.number}. {item.title}", texts)
        for number in sorted(set(texts) - {item.number for item in agenda}):
            self._text_field(number, self._orphan_label(number), texts)
        self.fields["reason"] = reason
        if final:
            reason.help_text = _("Verplicht: het verslag is vastgesteld.")
        else:
            reason.help_text = _("Alleen nodig als het verslag al is vastgesteld.")

    @staticmethod
    def _orphan_label(number: str) -> str:
        """Text kept under a number that is no longer on the agenda: shown, never dropped."""
        if not number:
            return gettext("Tekst vóór het eerste agendapunt")
        return gettext("Tekst bij punt %(number)s (niet meer op de agenda)") % {"number": number}

    def _text_field(self, number: str, label: str, texts: dict[str, str]) -> None:
        name = f"text_{len(self.numbers)}"
        self.numbers[name] = number
        self.fields[name] = forms.CharField(
            label=label,
            required=False,
            initial=texts.get(number, ""),
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def texts(self) -> dict[str, str]:
        return {
            number: self.cleaned_data[name].strip()
            for name, number in self.numbers.items()
            if self.cleaned_data[name].strip()
        }


class DocumentForm(StyledForm, forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument-tekst, tekst of CSV; ten hoogste 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_TYPES)}),
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        required=False,
        help_text=_("Leeg laten: de bestandsnaam."),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Bij agendapunt"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.order_by("order", "id")


class ActionItemFilterForm(StyledForm, forms.Form):
    """Filters of the action list; without any, the open items of every visible body."""

    ALL = "all"
    body = forms.ChoiceField(label=_("Overleg"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*ActionItem.Status.choices, (ALL, _("Alle"))],
    )
    owner = forms.CharField(label=_("Eigenaar bevat"), required=False)
    organisation = forms.ChoiceField(label=_("Organisatie"), required=False)
    overdue = forms.BooleanField(label=_("Alleen te laat"), required=False)

    def __init__(self, *args: Any, bodies: QuerySet, items: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("Alle")), *((b.slug, b.name) for b in bodies)]
        owners = Organisation.objects.filter(
            pk__in=items.exclude(owner_organisation=None).values("owner_organisation")
        ).order_by("name")
        self.fields["organisation"].choices = [("", _("Alle"))] + [
            (str(o.pk), o.name) for o in owners
        ]

    def filters(self) -> dict[str, Any]:
        """The filters for ``queries.action_items`` (invalid input counts as no filter);
        without a status, the open items."""
        data = dict(self.cleaned_data) if self.is_valid() else {}
        status = data.get("status") or ActionItem.Status.OPEN
        data["status"] = "" if status == self.ALL else status
        data["overdue"] = True if data.get("overdue") else None
        return {name: value for name, value in data.items() if value not in (None, "")}

    def is_filtered(self) -> bool:
        """Anything else than the default view (open items of every body)?"""
        if not self.is_bound:
            return False
        status = self.data.get("status", "")
        others = any(self.data.get(name) for name in self.fields if name != "status")
        return others or status not in ("", ActionItem.Status.OPEN)
