"""The daily reminder: one e-mail per owner with their overdue and soon-due action items.

Owners are reached at the linked person's address, else the linked organisation's. Items
whose owner has no address (often only written down as "LLTB, LWV") go to the secretaries of
their body, so nothing due is silently forgotten. Whoever has nothing due gets no mail.
Run daily by `waardig manage send_action_digests` (cron) or the ``tasks`` task.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waardig.core.access import current_seat
from waardig.meetings.models import ActionItem, Body, BodyMember

OVERDUE, DUE_SOON, UNOWNED = "overdue", "due_soon", "unowned"


@dataclass
class Recipient:
    address: str
    name: str
    items: dict[str, list[ActionItem]] = field(default_factory=lambda: defaultdict(list))


@dataclass(frozen=True)
class Outcome:
    mails: int
    items: int
    unreachable: int
    """Items due whose owner has no address and whose body has no reachable secretary."""


def due_items(today: datetime.date, days: int) -> list[ActionItem]:
    """Open items due on or before ``today + days`` (overdue ones included)."""
    return list(
        ActionItem.objects.filter(
            status=ActionItem.Status.OPEN, due__lte=today + datetime.timedelta(days=days)
        )
        .select_related("body", "owner_person", "owner_organisation")
        .order_by("due", "body__name", "id")
    )


def owner_address(item: ActionItem) -> tuple[str, str]:
    """(address, name) of the owner, or ("", "") when they cannot be reached."""
    for owner in (item.owner_person, item.owner_organisation):
        if owner is not None and owner.email:
            return owner.email.lower(), owner.name
    return "", ""


def secretaries(body: Body, today: datetime.date) -> list[tuple[str, str]]:
    """(address, name) of each current secretary seat of the body that has an address."""
    seats = body.members.filter(
        current_seat("", today), role=BodyMember.Role.SECRETARY
    ).select_related("person", "user")
    found = []
    for seat in seats:
        if seat.person is not None and seat.person.email:
            found.append((seat.person.email.lower(), seat.person.name))
        elif seat.user is not None and seat.user.email:
            found.append((seat.user.email.lower(), seat.user.get_full_name()))
    return found


def collect(today: datetime.date, days: int) -> tuple[list[Recipient], int, int]:
    """The recipients with their items, the number of items due and of unreachable items."""
    recipients: dict[str, Recipient] = {}
    items = due_items(today, days)
    unreachable = 0
    secretaries_of: dict[int, list[tuple[str, str]]] = {}
    for item in items:
        address, name = owner_address(item)
        if address:
            targets, section = [(address, name)], OVERDUE if item.due < today else DUE_SOON
        else:
            if item.body_id not in secretaries_of:
                secretaries_of[item.body_id] = secretaries(item.body, today)
            targets, section = secretaries_of[item.body_id], UNOWNED
            unreachable += not targets
        for target_address, target_name in targets:
            recipient = recipients.setdefault(
                target_address, Recipient(target_address, target_name)
            )
            recipient.items[section].append(item)
    return list(recipients.values()), len(items), unreachable


def send_digests(today: datetime.date, days: int | None = None) -> Outcome:
    days = settings.WAARDIG_DIGEST_DAYS if days is None else days
    recipients, count, unreachable = collect(today, days)
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            EmailMessage(
                subject=subject(recipient, today),
                body=text(recipient, today, days),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[recipient.address],
            )
            for recipient in recipients
        ]
    if messages:
        get_connection().send_messages(messages)
    return Outcome(mails=len(messages), items=count, unreachable=unreachable)


def subject(recipient: Recipient, today: datetime.date) -> str:
    return _("Waardig: actiepunten per %(date)s") % {"date": today.strftime("%d-%m-%Y")}


def _link(path: str) -> str:
    return f"{settings.WAARDIG_SITE_URL}{path}"


def _line(item: ActionItem, today: datetime.date, with_owner: bool = False) -> list[str]:
    due = item.due.strftime("%d-%m-%Y") if item.due else ""
    state = _("uiterlijk %(date)s") % {"date": due}
    if item.due and item.due < today:
        state += ", " + _("te laat")
    if with_owner:
        owner = item.owner_name or str(item.owner_person or item.owner_organisation or "")
        state += ", " + _("eigenaar: %(owner)s") % {"owner": owner or _("niet benoemd")}
    link = _link(reverse("action-item-detail", args=[item.pk]))
    return [f"- {item.text} ({state})", f"  {link}"]


def _by_body(items: list[ActionItem], today: datetime.date, with_owner: bool) -> list[str]:
    lines: list[str] = []
    bodies: dict[str, list[ActionItem]] = defaultdict(list)
    for item in items:
        bodies[item.body.name].append(item)
    for name in sorted(bodies):
        lines += ["", name]
        for item in bodies[name]:
            lines += _line(item, today, with_owner)
    return lines


def text(recipient: Recipient, today: datetime.date, days: int) -> str:
    lines = [
        _("Beste %(name)s,") % {"name": recipient.name} if recipient.name else _("Beste collega,"),
        "",
        _("Dit is het overzicht van open actiepunten in Waardig op %(date)s.")
        % {"date": date_format(today, "l j F Y")},
    ]
    sections = (
        (OVERDUE, _("Te laat"), False),
        (DUE_SOON, _("Uiterlijk binnen %(days)s dagen") % {"days": days}, False),
        (UNOWNED, _("Zonder bereikbare eigenaar"), True),
    )
    for key, title, with_owner in sections:
        items = recipient.items.get(key)
        if not items:
            continue
        lines += ["", "", title.upper()]
        if key == UNOWNED:
            lines.append(
                _(
                    "U ontvangt deze actiepunten als secretaris: de eigenaar heeft in Waardig "
                    "geen e-mailadres. Zorgt u dat de eigenaar ze krijgt?"
                )
            )
        lines += _by_body(items, today, with_owner)
    lines += [
        "",
        "",
        _("Alle actiepunten: %(url)s") % {"url": _link(reverse("action-item-list"))},
        _(
            "Waardig stuurt dit bericht elke dag zolang er actiepunten te laat of "
            "bijna te laat zijn."
        ),
    ]
    return "\n".join(lines) + "\n"
