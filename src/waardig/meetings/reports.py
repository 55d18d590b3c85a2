"""The agenda and the minutes of a meeting and a body's action list, each one Document
(core.reports) so Word, PDF, spreadsheet and web page say the same; plus the action list as a
table for CSV/XLSX/JSON exports.

Everything is read through core.access: a meeting or body the actor cannot see does not
exist for them (ObjectDoesNotExist, a 404 on the web), and papers are listed only for those
who may open them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from waardig.core.access import scope
from waardig.core.reports.document import Document, Note, Paragraph, Section, Table
from waardig.meetings import queries
from waardig.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    FollowUp,
    Meeting,
    Outcome,
    minutes_state,
)
from waardig.meetings.models import Document as Paper

STATUS_ORDER = {
    ActionItem.Status.OPEN: 0,
    ActionItem.Status.DONE: 1,
    ActionItem.Status.CANCELLED: 2,
}
EXPORT_COLUMNS = [
    "id",
    "body",
    "text",
    "owner",
    "organisation",
    "due",
    "status",
    "overdue",
    "meeting",
    "last_note",
]


# --- reading -------------------------------------------------------------------------------


def meeting_of(actor: Any, options: Mapping[str, Any]) -> Meeting:
    try:
        pk = int(options.get("meeting") or "")
    except (TypeError, ValueError):
        raise ValidationError(
            _("Geef het nummer van de vergadering, bijvoorbeeld meeting=12.")
        ) from None
    return scope(actor, Meeting.objects.select_related("body")).get(pk=pk)


def body_of(actor: Any, options: Mapping[str, Any]) -> Body:
    slug = str(options.get("body") or "")
    if not slug:
        raise ValidationError(_("Geef de korte naam van het overleg, bijvoorbeeld body=taskforce."))
    return scope(actor, Body.objects.all()).get(slug=slug)


def status_of(options: Mapping[str, Any]) -> str:
    status = str(options.get("status") or "")
    if status and status not in ActionItem.Status.values:
        raise ValidationError(
            _("Onbekende status '%(status)s'; kies uit %(choices)s.")
            % {"status": status, "choices": ", ".join(ActionItem.Status.values)}
        )
    return status


def action_filters(options: Mapping[str, Any]) -> dict[str, Any]:
    """The report's and export's options as ``queries.action_items`` filters, so a download
    holds what the filtered page shows."""
    filters = {
        name: options[name] for name in ("body", "owner", "organisation") if options.get(name)
    }
    filters["status"] = status_of(options)
    if overdue := str(options.get("overdue") or "").lower():
        filters["overdue"] = overdue not in ("0", "false", "nee", "off")
    return filters


def action_items(actor: Any, filters: Mapping[str, Any]) -> list[ActionItem]:
    """The actor's action items: open first by due date (undated last), then closed ones."""
    items = queries.action_items(actor, filters)
    notes = Prefetch("notes", queryset=FollowUp.objects.order_by("created_at", "id"))
    return sorted(
        items.prefetch_related(notes),
        key=lambda i: (STATUS_ORDER[i.status], i.due is None, i.due or datetime.date.min, i.pk),
    )


def owner_label(item: ActionItem) -> str:
    """The owner as the minutes wrote it, else the linked person or organisation."""
    return item.owner_name or str(item.owner_person or item.owner_organisation or "")


def last_note(item: ActionItem) -> FollowUp | None:
    notes = list(item.notes.all())  # prefetched in order
    return notes[-1] if notes else None


def _overdue_text(item: ActionItem, today: datetime.date) -> str:
    return _("te laat") if item.is_overdue(today) else ""


def action_facts(item: ActionItem, today: datetime.date) -> str:
    """One line a reader scans: owner, due date, late or closed."""
    parts = [_("Eigenaar: %(owner)s") % {"owner": owner_label(item) or _("niet benoemd")}]
    if item.due:
        parts.append(_("uiterlijk %(date)s") % {"date": item.due.strftime("%d-%m-%Y")})
    if item.is_overdue(today):
        parts.append(_("te laat"))
    if not item.is_open:
        parts.append(str(item.get_status_display()).lower())
    return "; ".join(parts)


# --- shared pieces -------------------------------------------------------------------------


def _long_date(day: datetime.date) -> str:
    return date_format(day, "l j F Y")


def _times(meeting: Meeting) -> str:
    if meeting.start and meeting.end:
        return f"{meeting.start:%H:%M} - {meeting.end:%H:%M} " + _("uur")
    if meeting.start:
        return f"{meeting.start:%H:%M} " + _("uur")
    return ""


def _meeting_meta(meeting: Meeting) -> tuple[tuple[str, Any], ...]:
    facts = [
        (_("Overleg"), meeting.body.name),
        (_("Datum"), meeting.date),
        (_("Tijd"), _times(meeting)),
        (_("Plaats"), meeting.place),
        (_("Online deelnemen"), meeting.online_link),
        (_("Status"), meeting.get_status_display()),
    ]
    return tuple((label, value) for label, value in facts if value)


def _subtitle(meeting: Meeting) -> str:
    return f"{meeting.body.name}, {_long_date(meeting.date)}"


def _heading(item: AgendaItem) -> str:
    number = item.number if "." in item.number else f"{item.number}."
    return f"{number} {item.title}"


def _sections(agenda: Iterable[AgendaItem], blocks_of: Any) -> tuple[Section, ...]:
    """One section per agenda item in agenda order, sub-items (3.1, 3.2) as subsections."""
    children: dict[int | None, list[AgendaItem]] = defaultdict(list)
    for item in agenda:
        children[item.parent_id].append(item)

    def under(parent: int | None) -> tuple[Section, ...]:
        return tuple(
            Section(_heading(item), blocks=tuple(blocks_of(item)), subsections=under(item.pk))
            for item in children[parent]
        )

    return under(None)


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.agenda.select_related(
            "action_item__owner_person", "action_item__owner_organisation"
        ).order_by("order", "id")
    )


# --- the agenda ----------------------------------------------------------------------------


def agenda_report(actor: Any, options: dict[str, Any]) -> Document:
    meeting = meeting_of(actor, options)
    today = timezone.localdate()
    papers = list(scope(actor, Paper.objects.filter(meeting=meeting)).select_related("agenda_item"))
    papers_of: dict[int | None, list[str]] = defaultdict(list)
    for paper in papers:
        papers_of[paper.agenda_item_id].append(paper.title)

    def blocks_of(item: AgendaItem) -> list[Any]:
        blocks: list[Any] = []
        if item.action_item is not None:
            blocks.append(Paragraph(action_facts(item.action_item, today)))
        if papers_of.get(item.pk):
            titles = "; ".join(papers_of[item.pk])
            blocks.append(Paragraph(_("Stukken: %(titles)s") % {"titles": titles}))
        return blocks

    sections = list(_sections(_agenda(meeting), blocks_of))
    if not sections:
        sections.append(
            Section(_("Agenda"), blocks=(Paragraph(_("Er staan nog geen punten op de agenda.")),))
        )
    if papers:
        sections.append(_papers_section(papers))
    return Document(
        title=_("Agenda van de vergadering"),
        subtitle=_subtitle(meeting),
        meta=_meeting_meta(meeting),
        sections=tuple(sections),
    )


def _papers_section(papers: list[Paper]) -> Section:
    rows = [
        (paper.agenda_item.number if paper.agenda_item else _("algemeen"), paper.title)
        for paper in papers
    ]
    table = Table(columns=(_("Agendapunt"), _("Titel")), rows=rows)
    return Section(_("Vergaderstukken"), blocks=(table,))


# --- the minutes ---------------------------------------------------------------------------


def minutes_report(actor: Any, options: dict[str, Any]) -> Document:
    meeting = meeting_of(actor, options)
    today = timezone.localdate()
    latest = meeting.minutes.order_by("-number").first()
    texts: dict[str, str] = dict(latest.texts) if latest else {}
    agenda = _agenda(meeting)
    outcomes: dict[int, list[Outcome]] = defaultdict(list)
    for outcome in Outcome.objects.filter(agenda_item__meeting=meeting).order_by("id"):
        outcomes[outcome.agenda_item_id].append(outcome)
    agreed = list(
        meeting.new_action_items.select_related(
            "agenda_item", "owner_person", "owner_organisation"
        ).order_by("agenda_item__order", "id")
    )
    agreed_at: dict[int | None, list[ActionItem]] = defaultdict(list)
    for item in agreed:
        agreed_at[item.agenda_item_id].append(item)
    notes: dict[int, list[str]] = defaultdict(list)
    for note in FollowUp.objects.filter(meeting=meeting).order_by("created_at", "id"):
        notes[note.action_item_id].append(note.text)

    def blocks_of(item: AgendaItem) -> list[Any]:
        blocks: list[Any] = [Paragraph(line) for line in _lines(texts.pop(item.number, ""))]
        if item.action_item is not None:
            blocks.append(Paragraph(action_facts(item.action_item, today)))
            blocks += [
                Paragraph(_("Toelichting: %(text)s") % {"text": text})
                for text in notes[item.action_item_id]
            ]
        blocks += [
            Paragraph(f"{outcome.get_kind_display()}: {outcome.text}")
            for outcome in outcomes[item.pk]
        ]
        blocks += [Paragraph(_agreed_line(action)) for action in agreed_at[item.pk]]
        return blocks

    sections = [_attendance_section(meeting), *_sections(agenda, blocks_of)]
    sections += [  # text of numbers no longer on the agenda is not lost
        Section(_("Punt %(number)s") % {"number": number}, blocks=_paragraphs(text))
        for number, text in sorted(texts.items())
        if text.strip()
    ]
    sections.append(_agreed_section(agreed, today))
    notes_block = ()
    if latest is None or not latest.final:
        notes_block = (Note(_("Dit verslag is nog niet vastgesteld."), "warning"),)
    meta = [
        *_meeting_meta(meeting),
        (pgettext("meeting minutes", "Verslag"), minutes_state(latest)),
    ]
    if latest is not None and latest.reason and not latest.final:
        meta.append((_("Laatste wijziging"), latest.reason))
    return Document(
        title=_("Verslag van de vergadering"),
        subtitle=_subtitle(meeting),
        meta=tuple(meta),
        sections=tuple(sections),
        notes=notes_block,
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _paragraphs(text: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(line) for line in _lines(text))


def _agreed_line(item: ActionItem) -> str:
    owner = owner_label(item)
    text = _("Actiepunt: %(text)s") % {"text": item.text}
    if owner:
        text += f" ({owner})"
    if item.due:
        text += ", " + _("uiterlijk %(date)s") % {"date": item.due.strftime("%d-%m-%Y")}
    return text


def _attendance_section(meeting: Meeting) -> Section:
    names: dict[str, list[str]] = defaultdict(list)
    for row in meeting.attendance.all():
        names[row.presence].append(row.name)
    blocks = [
        Paragraph(f"{label}: {', '.join(names[value])}")
        for value, label in Attendance.Presence.choices
        if names[value]
    ]
    if not blocks:
        blocks = [Paragraph(_("De aanwezigheid is niet vastgelegd."))]
    return Section(_("Aanwezig"), blocks=tuple(blocks))


def _agreed_section(agreed: list[ActionItem], today: datetime.date) -> Section:
    rows = [
        (
            item.agenda_item.number if item.agenda_item else "",
            item.text,
            owner_label(item),
            item.due,
            item.get_status_display(),
            _overdue_text(item, today),
        )
        for item in agreed
    ]
    table = Table(
        columns=(
            _("Agendapunt"),
            _("Actiepunt"),
            _("Eigenaar"),
            _("Uiterlijk"),
            _("Status"),
            _("Te laat"),
        ),
        rows=rows,
        empty_text=_("In deze vergadering zijn geen actiepunten afgesproken."),
    )
    return Section(_("Afgesproken actiepunten"), blocks=(table,))


# --- the action list -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """One action item as the action list shows it, in the report and in the export."""

    item: ActionItem
    owner: str
    organisation: str
    overdue: bool
    meeting_date: datetime.date | None
    last_note: str

    @classmethod
    def of(cls, item: ActionItem, today: datetime.date) -> ActionRow:
        note = last_note(item)
        return cls(
            item=item,
            owner=owner_label(item),
            organisation=str(item.owner_organisation or ""),
            overdue=item.is_overdue(today),
            meeting_date=item.meeting.date if item.meeting else None,
            last_note=note.text if note else "",
        )


def action_rows(actor: Any, filters: Mapping[str, Any]) -> list[ActionRow]:
    today = timezone.localdate()
    return [ActionRow.of(item, today) for item in action_items(actor, filters)]


def action_list_report(actor: Any, options: dict[str, Any]) -> Document:
    body = body_of(actor, options)
    filters = action_filters(options)
    status = filters["status"]
    rows = action_rows(actor, filters)
    table = Table(
        columns=(
            _("Actiepunt"),
            _("Eigenaar"),
            _("Organisatie"),
            _("Uiterlijk"),
            _("Status"),
            _("Te laat"),
            _("Uit vergadering"),
            _("Laatste notitie"),
        ),
        rows=[
            (
                row.item.text,
                row.owner,
                row.organisation,
                row.item.due,
                row.item.get_status_display(),
                _("te laat") if row.overdue else "",
                row.meeting_date,
                row.last_note,
            )
            for row in rows
        ],
        empty_text=_("Geen actiepunten."),
    )
    selection = ActionItem.Status(status).label if status else _("alle statussen")
    return Document(
        title=_("Actiepunten"),
        subtitle=f"{body.name}, "
        + _("stand per %(date)s") % {"date": _long_date(timezone.localdate())},
        meta=(
            (_("Overleg"), body.name),
            (_("Selectie"), selection),
            (_("Open"), sum(row.item.is_open for row in rows)),
            (_("Waarvan te laat"), sum(row.overdue for row in rows)),
        ),
        sections=(Section(_("Actielijst"), blocks=(table,)),),
    )


def action_export_rows(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The action list as a table; the options filter (an unknown body: DoesNotExist)."""
    if slug := options.get("body"):
        scope(actor, Body.objects.filter(slug=slug)).get()  # an unknown body is not "no rows"
    rows = action_rows(actor, action_filters(options))
    return EXPORT_COLUMNS, [
        [
            row.item.pk,
            row.item.body.slug,
            row.item.text,
            row.owner,
            row.organisation,
            row.item.due,
            row.item.status,
            row.overdue,
            row.meeting_date,
            row.last_note,
        ]
        for row in rows
    ]
