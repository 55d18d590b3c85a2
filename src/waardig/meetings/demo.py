"""Demo bodies and meetings: the steering group and the taskforce with their member
organisations (roles, never names), the taskforce meeting of 12 April 2023 summarised in our own
words (meetings/data/bodies.json), its next meeting planned from the open action items, and a
steering-group meeting relative to today whose dates and items say they are 'fictief'."""

from __future__ import annotations

import datetime
import json
from importlib.resources import files
from typing import Any

from django.utils import timezone

from waardig.accounts.models import User
from waardig.core.access import SYSTEM
from waardig.meetings import services
from waardig.meetings.minutes import ProposedActionItem, ProposedAgendaItem, ProposedMinutes
from waardig.meetings.models import Body, BodyMember, Outcome
from waardig.organisations.demo import organisation
from waardig.organisations.models import Person

DATA = files("waardig.meetings") / "data"


def load_meetings() -> None:
    data: dict[str, Any] = json.loads((DATA / "bodies.json").read_text())
    for values in data["bodies"]:
        seats = values.pop("seats")
        body = Body.objects.filter(slug=values["slug"]).first()
        body = services.save_body(SYSTEM, body, **values)
        body.members.all().delete()
        for seat in seats:
            _add_seat(body, seat)
    for meeting in data["meetings"]:
        _record(meeting)
    _fictitious_steering_group_meeting()
    # The demo's taskforce login also holds a seat in person (besides its organisation's).
    if user := User.objects.filter(username="taskforce").first():
        services.save_member(
            SYSTEM, BodyMember(body=Body.objects.get(slug="taskforce")), user=user, role="member"
        )


def _add_seat(body: Body, seat: dict[str, Any]) -> None:
    member = BodyMember(body=body, role=seat["role"])
    if name := seat.get("organisation"):
        member.organisation = organisation(name)
    if name := seat.get("person"):
        member.person = Person.objects.get_or_create(name=name)[0]
    if username := seat.get("user"):
        member.user = User.objects.filter(username=username).first()
    for key in ("start", "end"):
        if key in seat:
            setattr(member, key, datetime.date.fromisoformat(seat[key]))
    services.save_member(SYSTEM, member)


def _record(values: dict[str, Any]) -> None:
    body = Body.objects.get(slug=values["body"])
    date = datetime.date.fromisoformat(values["date"])
    if body.meetings.filter(date=date).exists():
        return
    minutes = ProposedMinutes(
        title=body.name,
        date=date,
        start=datetime.time.fromisoformat(values["start"]),
        end=datetime.time.fromisoformat(values["end"]),
        place=values["place"],
        present=values["present"],
        absent=values["absent"],
        absent_with_notice=values["absent_with_notice"],
        agenda=[ProposedAgendaItem(i["number"], i["title"]) for i in values["agenda"]],
        minutes={i["number"]: i["minutes"] for i in values["agenda"]},
        action_items=[
            ProposedActionItem(
                line=0,
                text=a["text"],
                owner=a["owner"],
                due=datetime.date.fromisoformat(a["due"]) if a.get("due") else None,
                agenda_number=a["agenda"],
            )
            for a in values["action_items"]
        ],
    )
    meeting = services.record_meeting(SYSTEM, body, minutes, source=values["source"])
    for entry in values["agenda"]:
        item = meeting.agenda.get(number=entry["number"])
        for kind, key in (
            (Outcome.Kind.DECISION, "decisions"),
            (Outcome.Kind.INFORMATION, "information"),
        ):
            for text in entry.get(key, []):
                services.add_outcome(SYSTEM, item, kind=kind, text=text)
    for item in meeting.new_action_items.exclude(owner_name=""):
        first = item.owner_name.split(",")[0].strip()
        found = organisation(first) if first in ("Provincie Limburg", "LLTB", "LWV") else None
        if found:
            services.update_action_item(SYSTEM, item, owner_organisation=found)
    nxt = values["next"]
    services.plan_meeting(
        SYSTEM, body, date=datetime.date.fromisoformat(nxt["date"]), place=nxt["place"]
    )


def _fictitious_steering_group_meeting() -> None:
    """A recent steering-group meeting with items overdue and due soon, all marked fictief."""
    body = Body.objects.get(slug="stuurgroep")
    today = timezone.localdate()
    if body.meetings.filter(place__contains="fictief").exists():
        return
    held = services.plan_meeting(
        SYSTEM,
        body,
        date=today - datetime.timedelta(days=30),
        start=datetime.time(10, 0),
        end=datetime.time(12, 0),
        place="Gouvernement Maastricht (fictief)",
        topics=["Voortgang Integrale Aanpak 2025-2027 (fictief)"],
    )
    services.set_meeting_status(SYSTEM, held, "held")
    topic = held.agenda.get(kind="topic")
    province = organisation("Provincie Limburg")
    for text, owner, days in (
        ("Fictief: voorstel regionale verdeling huisvestingsopgave opstellen", province, -10),
        (
            "Fictief: werkbezoek aan een huisvestingslocatie in Noord-Limburg plannen",
            organisation("LLTB"),
            5,
        ),
        ("Fictief: reactie op het rapport over registratie voorbereiden", province, 40),
    ):
        services.add_action_item(
            SYSTEM,
            body,
            text=text,
            owner_name=owner.name,
            owner_organisation=owner,
            due=today + datetime.timedelta(days=days),
            meeting=held,
            agenda_item=topic,
        )
    services.save_minutes(
        SYSTEM,
        held,
        {
            topic.number: "Fictief verslag: de voortgang is besproken aan de hand van de "
            "kwartaalrapportage."
        },
    )
    services.plan_meeting(
        SYSTEM,
        body,
        date=today + datetime.timedelta(days=30),
        start=datetime.time(10, 0),
        end=datetime.time(12, 0),
        place="Gouvernement Maastricht (fictief)",
    )
