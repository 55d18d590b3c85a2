"""Writes to bodies, meetings, action items and minutes: one use case per function."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.core.access import CHANGE, display_name, require
from waardig.meetings.models import (
    ActionItem,
    AgendaItem,
    Body,
    FollowUp,
    Meeting,
    MinutesVersion,
)
from waardig.meetings.rules import OpenItem, draft_agenda


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
    topics: Sequence[str] = (),
) -> Meeting:
    """A new draft meeting whose agenda has the standing items and every open action item."""
    meeting = Meeting(body=body, date=date, start=start, end=end, place=place)
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
    for name, value in links.items():  # owner_person, owner_organisation, programme_action
        setattr(item, name, value)
    require(actor, CHANGE, item)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def add_follow_up(
    actor: Any, item: ActionItem, text: str, meeting: Meeting | None = None
) -> FollowUp:
    require(actor, CHANGE, item)
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
    """Every save is a new version; once minutes are final, a change needs a reason."""
    require(actor, CHANGE, meeting)
    latest = meeting.minutes.order_by("-number").first()
    if latest is not None and latest.final and not reason.strip():
        raise ValidationError(
            {"reason": _("Het verslag is vastgesteld: geef de reden van de wijziging.")}
        )
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
