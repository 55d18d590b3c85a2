"""Writes to bodies, meetings, action items and minutes: one use case per function."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.core.access import CHANGE, display_name, require
from waardig.meetings.minutes import ProposedMinutes
from waardig.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Document,
    FollowUp,
    Meeting,
    MinutesVersion,
    Outcome,
)
from waardig.meetings.rules import OpenItem, draft_agenda, kind_of_title

MEETING_FIELDS = ("date", "start", "end", "place", "online_link")
ACTION_ITEM_FIELDS = (
    "text",
    "owner_name",
    "owner_person",
    "owner_organisation",
    "due",
    "programme_action",
)
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
"""What may be shared with a body: office documents, no executables or web pages."""
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _saved(actor: Any, obj: Any) -> Any:
    require(actor, CHANGE, obj)
    obj.full_clean()
    obj.save()
    return obj


def _unlocked(meeting: Meeting) -> None:
    """Final minutes are the record of the meeting: what they show changes only through a
    new version with a reason (``save_minutes``), not by adding to the meeting."""
    if meeting.status == Meeting.Status.FINAL:
        raise ValidationError(
            _(
                "Het verslag van deze vergadering is vastgesteld: wijzig eerst het verslag "
                "(met een reden)."
            )
        )


def recording_problem(body: Body, minutes: ProposedMinutes) -> str:
    """Why minutes with this date cannot be recorded for this body, or "" when they can: one
    meeting per body and day, and only meetings that have been held have minutes."""
    if minutes.date is None:
        return ""  # the parser and the review form say so where it is missing
    day = minutes.date.strftime("%d-%m-%Y")
    if minutes.date > timezone.localdate():
        return _("De datum %(date)s ligt in de toekomst; lees alleen verslagen van gehouden "
                 "vergaderingen in.") % {"date": day}  # fmt: skip
    if body.meetings.filter(date=minutes.date).exists():
        return _(
            "Er is al een vergadering van %(body)s op %(date)s: dit verslag is al ingelezen of "
            "de vergadering is al aangemaakt."
        ) % {"body": body, "date": day}
    return ""


def open_items(body: Body):
    return body.action_items.filter(status=ActionItem.Status.OPEN).order_by("due", "id")


@transaction.atomic
def plan_meeting(
    actor: Any,
    body: Body,
    *,
    date: datetime.date,
    start: datetime.time | None = None,
    end: datetime.time | None = None,
    place: str = "",
    online_link: str = "",
    topics: Sequence[str] = (),
) -> Meeting:
    """A new draft meeting whose agenda has the standing items and every open action item."""
    meeting = Meeting(
        body=body, date=date, start=start, end=end, place=place, online_link=online_link
    )
    require(actor, CHANGE, meeting)
    meeting.full_clean()
    meeting.save()
    items = [OpenItem(i.pk, i.text, i.owner_name) for i in open_items(body)]
    created: dict[str, AgendaItem] = {}
    for order, line in enumerate(draft_agenda(items, topics), start=1):
        created[line.number] = AgendaItem.objects.create(
            meeting=meeting,
            parent=created.get(line.parent) if line.parent else None,
            number=line.number,
            title=line.title[:300],
            kind=line.kind,
            action_item_id=line.action_item,
            order=order,
        )
    return meeting


@transaction.atomic
def add_action_item(
    actor: Any,
    body: Body,
    *,
    text: str,
    owner_name: str = "",
    due: datetime.date | None = None,
    meeting: Meeting | None = None,
    **links: Any,
) -> ActionItem:
    item = ActionItem(
        body=body, meeting=meeting, text=text.strip(), owner_name=owner_name.strip(), due=due
    )
    for name, value in links.items():  # agenda_item, owner_person/_organisation, programme_action
        setattr(item, name, value)
    require(actor, CHANGE, item)
    if meeting is not None:
        _unlocked(meeting)
    item.full_clean()
    item.save()
    drafts = body.meetings.filter(status=Meeting.Status.DRAFT)
    if meeting is not None:
        drafts = drafts.exclude(pk=meeting.pk).filter(date__gte=meeting.date)
    for draft in drafts:  # it comes back at every next meeting until it is closed
        follow_up = draft.agenda.filter(kind=AgendaItem.Kind.ACTION_ITEMS, parent=None).first()
        if follow_up is not None:
            _insert(draft, str(item), follow_up, item)
    return item


@transaction.atomic
def add_follow_up(
    actor: Any, item: ActionItem, text: str, meeting: Meeting | None = None
) -> FollowUp:
    require(actor, CHANGE, item)
    item.check_meeting(meeting)
    if not text.strip():
        raise ValidationError({"text": _("Schrijf een toelichting.")})
    return FollowUp.objects.create(
        action_item=item, meeting=meeting, text=text.strip(), author_name=display_name(actor)
    )


@transaction.atomic
def close_action_item(
    actor: Any,
    item: ActionItem,
    *,
    status: str = ActionItem.Status.DONE,
    note: str = "",
    meeting: Meeting | None = None,
) -> ActionItem:
    """Done or cancelled: it leaves the draft agendas of the body's coming meetings."""
    require(actor, CHANGE, item)
    if status not in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED):
        raise ValidationError({"status": _("Sluit een actiepunt als afgerond of vervallen.")})
    if not item.is_open:
        raise ValidationError(_("Dit actiepunt is al gesloten."))
    item.check_meeting(meeting)
    item.status, item.closed_on = status, timezone.localdate()
    item.save(update_fields=["status", "closed_on"])
    if note:
        add_follow_up(actor, item, note, meeting)
    AgendaItem.objects.filter(action_item=item, meeting__status=Meeting.Status.DRAFT).delete()
    return item


@transaction.atomic
def save_minutes(
    actor: Any, meeting: Meeting, texts: dict[str, str], *, reason: str = ""
) -> MinutesVersion:
    """Every save is a new version; once minutes are final, a change needs a reason and
    reopens them: the meeting is "held" again until the new text is finalised."""
    require(actor, CHANGE, meeting)
    if meeting.minutes.filter(final=True).exists() and not reason.strip():
        raise ValidationError(
            {"reason": _("Het verslag is vastgesteld: geef de reden van de wijziging.")}
        )
    if meeting.status == Meeting.Status.FINAL:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
    number = (meeting.minutes.aggregate(Max("number"))["number__max"] or 0) + 1
    return MinutesVersion.objects.create(
        meeting=meeting,
        number=number,
        texts=texts,
        reason=reason.strip(),
        author_name=display_name(actor),
    )


@transaction.atomic
def finalise_minutes(actor: Any, meeting: Meeting) -> MinutesVersion:
    """Lock the latest text as the final version; the meeting's minutes are then final."""
    require(actor, CHANGE, meeting)
    latest = meeting.minutes.order_by("-number").first()
    if latest is None:
        raise ValidationError(_("Er is nog geen verslag om vast te stellen."))
    if latest.final:
        raise ValidationError(_("Deze versie is al vastgesteld."))
    final = MinutesVersion.objects.create(
        meeting=meeting,
        number=latest.number + 1,
        texts=latest.texts,
        final=True,
        reason=_("vastgesteld"),
        author_name=display_name(actor),
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.FINAL)
    meeting.status = Meeting.Status.FINAL
    return final


@transaction.atomic
def save_body(actor: Any, body: Body | None = None, **fields: Any) -> Body:
    body = body or Body()
    for name, value in fields.items():  # slug, name, kind, description
        setattr(body, name, value)
    return _saved(actor, body)


@transaction.atomic
def save_member(actor: Any, member: BodyMember, **fields: Any) -> BodyMember:
    """Add or change a seat: organisation, person and/or account, role and period."""
    for name, value in fields.items():
        setattr(member, name, value)
    return _saved(actor, member)


@transaction.atomic
def remove_member(actor: Any, member: BodyMember) -> None:
    require(actor, CHANGE, member)
    member.delete()


@transaction.atomic
def update_meeting(actor: Any, meeting: Meeting, **fields: Any) -> Meeting:
    """Date, times, place and link; the status moves on with ``set_meeting_status``."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not a meeting field: {sorted(unknown)}")
    require(actor, CHANGE, meeting)
    _unlocked(meeting)
    for name, value in fields.items():
        setattr(meeting, name, value)
    return _saved(actor, meeting)


@transaction.atomic
def set_meeting_status(actor: Any, meeting: Meeting, status: str) -> Meeting:
    """Draft -> planned -> held; "minutes final" only by finalising the minutes."""
    require(actor, CHANGE, meeting)
    allowed = {Meeting.Status.DRAFT, Meeting.Status.PLANNED, Meeting.Status.HELD}
    if status not in allowed:
        raise ValidationError(
            {"status": _("Stel het verslag vast om de vergadering af te sluiten.")}
        )
    if meeting.status == Meeting.Status.FINAL:
        raise ValidationError({"status": _("Het verslag van deze vergadering is vastgesteld.")})
    meeting.status = status
    meeting.save(update_fields=["status"])
    return meeting


@transaction.atomic
def set_attendance(
    actor: Any, meeting: Meeting, entries: Sequence[tuple[str, str, Any]]
) -> list[Attendance]:
    """Replace the attendance list by (name, presence, organisation or None) entries."""
    require(actor, CHANGE, meeting)
    _unlocked(meeting)
    meeting.attendance.all().delete()
    rows = []
    for name, presence, organisation in entries:
        row = Attendance(
            meeting=meeting, name=name.strip()[:200], presence=presence, organisation=organisation
        )
        row.full_clean()
        rows.append(row)
    return Attendance.objects.bulk_create(rows)


@transaction.atomic
def add_agenda_item(
    actor: Any,
    meeting: Meeting,
    *,
    title: str,
    parent: AgendaItem | None = None,
    kind: str = AgendaItem.Kind.TOPIC,
) -> AgendaItem:
    """A topic before "Rondvraag" (or the last sub-item of ``parent``), numbers following on.

    Once minutes are written a new topic is refused: the minutes are kept per agenda number,
    and "Rondvraag" and "Sluiting" would move down under their texts."""
    require(actor, CHANGE, meeting)
    _unlocked(meeting)
    if parent is not None and parent.meeting_id != meeting.pk:
        raise ValidationError({"parent": _("Dit agendapunt hoort bij een andere vergadering.")})
    if parent is None and meeting.minutes.exists():
        raise ValidationError(
            _("Er is al een verslag: een nieuw agendapunt zou de nummering daarvan verschuiven.")
        )
    return _insert(meeting, title, parent, kind=kind)


def _insert(
    meeting: Meeting,
    title: str,
    parent: AgendaItem | None,
    action_item: ActionItem | None = None,
    *,
    kind: str = AgendaItem.Kind.TOPIC,
) -> AgendaItem:
    agenda = list(meeting.agenda.order_by("order", "id"))
    if action_item is not None:
        kind = AgendaItem.Kind.ACTION_ITEMS
    if parent is not None:
        siblings = [a for a in agenda if a.parent_id == parent.pk]
        after = siblings[-1] if siblings else parent
        number = f"{parent.number}.{len(siblings) + 1}"
        position = agenda.index(after) + 1
    else:
        tops = [a for a in agenda if a.parent_id is None]
        tail = [
            a
            for a in tops
            if a.kind in (AgendaItem.Kind.ANY_OTHER_BUSINESS, AgendaItem.Kind.CLOSING)
        ]
        position = agenda.index(tail[0]) if tail else len(agenda)
        number = str(len(tops) - len(tail) + 1)
        _renumber_tail(agenda, tail, int(number) + 1)
    item = AgendaItem(
        meeting=meeting,
        parent=parent,
        number=number,
        title=title.strip()[:300],
        kind=kind,
        action_item=action_item,
    )
    item.full_clean()
    for later in agenda[position:]:
        later.order += 1
        later.save(update_fields=["order"])
    item.order = agenda[position - 1].order + 1 if position else 1
    item.save()
    return item


def _renumber_tail(agenda: list[AgendaItem], tail: list[AgendaItem], first: int) -> None:
    """Shift "Rondvraag" and "Sluiting" (and their sub-items) one number down."""
    for offset, top in enumerate(tail):
        old, new = top.number, str(first + offset)
        for item in agenda:
            if item is top or item.number.startswith(f"{old}."):
                item.number = new + item.number[len(old) :]
                item.save(update_fields=["number"])


@transaction.atomic
def add_outcome(actor: Any, agenda_item: AgendaItem, *, kind: str, text: str) -> Outcome:
    """Information or a decision under an agenda item (action items: ``add_action_item``)."""
    outcome = Outcome(agenda_item=agenda_item, kind=kind, text=text.strip())
    require(actor, CHANGE, outcome)
    _unlocked(agenda_item.meeting)
    return _saved(actor, outcome)


@transaction.atomic
def remove_outcome(actor: Any, outcome: Outcome) -> None:
    require(actor, CHANGE, outcome)
    _unlocked(outcome.agenda_item.meeting)
    outcome.delete()


@transaction.atomic
def update_action_item(actor: Any, item: ActionItem, **fields: Any) -> ActionItem:
    """Text, owner, due date or programme link; the status changes only by closing."""
    unknown = set(fields) - set(ACTION_ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not an action item field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    _saved(actor, item)
    AgendaItem.objects.filter(action_item=item, meeting__status=Meeting.Status.DRAFT).update(
        title=str(item)[:300]
    )
    return item


@transaction.atomic
def add_document(
    actor: Any,
    meeting: Meeting,
    upload: Any,
    *,
    title: str = "",
    agenda_item: AgendaItem | None = None,
) -> Document:
    """Share a paper with the body's members; only office formats, at most 20 MB."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                "file": _("Dit soort bestand kan niet worden gedeeld; toegestaan: %(types)s.")
                % {"types": ", ".join(DOCUMENT_TYPES)}
            }
        )
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": _("Het bestand is groter dan 20 MB.")})
    document = Document(
        meeting=meeting,
        agenda_item=agenda_item,
        title=(title.strip() or Path(name).stem)[:200],
        filename=name[:200],
        content_type=DOCUMENT_TYPES[suffix],
        size=upload.size,
        uploaded_by=display_name(actor),
    )
    require(actor, CHANGE, document)
    document.file = upload
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def remove_document(actor: Any, document: Document) -> None:
    require(actor, CHANGE, document)
    document.file.delete(save=False)
    document.delete()


@transaction.atomic
def record_meeting(
    actor: Any, body: Body, minutes: ProposedMinutes, *, source: str = ""
) -> Meeting:
    """Save minutes the secretary has reviewed: a held meeting with its attendance, agenda,
    minutes (first version) and new action items. All or nothing; one meeting per body and day."""
    if minutes.date is None:
        raise ValidationError({"date": _("Geef de datum van de vergadering.")})
    if problem := recording_problem(body, minutes):
        raise ValidationError({"date": problem})
    meeting = _saved(
        actor,
        Meeting(
            body=body,
            date=minutes.date,
            start=minutes.start,
            end=minutes.end,
            place=minutes.place[:200],
            status=Meeting.Status.HELD,
        ),
    )
    presence = Attendance.Presence
    set_attendance(
        actor,
        meeting,
        [(name, presence.PRESENT, None) for name in minutes.present]
        + [(name, presence.EXCUSED, None) for name in minutes.absent_with_notice]
        + [(name, presence.ABSENT, None) for name in minutes.absent],
    )
    items: dict[str, AgendaItem] = {}
    for order, entry in enumerate(minutes.agenda, start=1):
        number = entry.number.rstrip(".")
        parent = items.get(number.rpartition(".")[0]) if "." in number else None
        items[number] = _saved(
            actor,
            AgendaItem(
                meeting=meeting,
                parent=parent,
                number=number,
                title=entry.title[:300],
                kind=kind_of_title(entry.title) if parent is None else AgendaItem.Kind.TOPIC,
                order=order,
            ),
        )
    for entry in minutes.action_items:
        add_action_item(
            actor,
            body,
            text=entry.text,
            owner_name=entry.owner,
            due=entry.due,
            meeting=meeting,
            agenda_item=items.get(entry.agenda_number.rstrip(".")),
        )
    texts = {number.rstrip("."): text for number, text in minutes.minutes.items() if text.strip()}
    if texts:
        reason = _("ingelezen uit %(source)s") % {"source": source} if source else ""
        save_minutes(actor, meeting, texts, reason=reason)
    return meeting
