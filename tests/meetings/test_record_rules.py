"""What final minutes lock, what a new topic may not shift, where a late action item goes,
and an import onto a day with a meeting that has no minutes yet."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.meetings import services
from waardig.meetings.models import Body, Meeting

from . import minutes_fixtures as fixture

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 7)


@pytest.fixture
def taskforce() -> Body:
    return Body.objects.create(slug="taskforce", name="Regiegroep", kind=Body.Kind.TASKFORCE)


@pytest.fixture
def final(taskforce) -> Meeting:
    meeting = services.plan_meeting(SYSTEM, taskforce, date=DAY, place="Streekhuis")
    services.save_minutes(SYSTEM, meeting, {"1": "De voorzitter opent."})
    services.finalise_minutes(SYSTEM, meeting)
    return meeting


def numbered(meeting: Meeting) -> list[str]:
    return [f"{a.number} {a.title}" for a in meeting.agenda.order_by("order")]


def test_final_minutes_lock_what_they_record(taskforce, final):
    topic = final.agenda.get(number="1")
    record = (numbered(final), final.attendance.count(), final.place)
    changes = {
        "outcome": lambda: services.add_outcome(SYSTEM, topic, kind="decision", text="Later"),
        "action item": lambda: services.add_action_item(
            SYSTEM, taskforce, text="Later", meeting=final
        ),
        "topic": lambda: services.add_agenda_item(SYSTEM, final, title="Later"),
        "attendance": lambda: services.set_attendance(SYSTEM, final, [("X", "present", None)]),
        "place": lambda: services.update_meeting(SYSTEM, final, place="Elders"),
    }
    for name, change in changes.items():
        with pytest.raises(ValidationError, match="vastgesteld"):
            change()
            pytest.fail(f"a final meeting took a new {name}")
    final.refresh_from_db()
    assert (numbered(final), final.attendance.count(), final.place) == record
    assert not topic.outcomes.exists() and not final.new_action_items.exists()


def test_a_correction_reopens_the_minutes_until_they_are_finalised_again(final):
    corrected = services.save_minutes(SYSTEM, final, {"1": "Opent om 14:05."}, reason="Tijd")
    final.refresh_from_db()
    assert final.status == Meeting.Status.HELD and not corrected.final  # one story, not two
    services.add_outcome(SYSTEM, final.agenda.get(number="1"), kind="decision", text="Nu wel")
    services.finalise_minutes(SYSTEM, final)
    final.refresh_from_db()
    assert final.status == Meeting.Status.FINAL
    assert final.minutes.order_by("-number").first().texts == {"1": "Opent om 14:05."}


def test_once_minutes_exist_a_new_topic_would_shift_their_numbers(taskforce):
    meeting = services.plan_meeting(SYSTEM, taskforce, date=DAY)
    services.save_minutes(SYSTEM, meeting, {"5": "Geen vragen."})  # 5 Rondvraag
    with pytest.raises(ValidationError, match="nummering"):
        services.add_agenda_item(SYSTEM, meeting, title="Nieuw onderwerp")
    assert meeting.agenda.get(number="5").title == "Rondvraag"
    sub = services.add_agenda_item(
        SYSTEM, meeting, title="Toelichting", parent=meeting.agenda.get(number="4")
    )
    assert sub.number == "4.1"  # a sub-item shifts nothing


def test_an_item_agreed_after_the_next_draft_was_planned_comes_on_it(taskforce):
    held = services.plan_meeting(SYSTEM, taskforce, date=DAY)
    services.set_meeting_status(SYSTEM, held, Meeting.Status.HELD)
    earlier = services.plan_meeting(SYSTEM, taskforce, date=DAY - datetime.timedelta(days=30))
    following = services.plan_meeting(SYSTEM, taskforce, date=DAY + datetime.timedelta(days=30))
    item = services.add_action_item(
        SYSTEM, taskforce, text="Notitie rondsturen", owner_name="Provincie", meeting=held
    )
    entry = following.agenda.get(action_item=item)
    assert (entry.number, entry.title, entry.parent.number) == (
        "3.1",
        "Notitie rondsturen (Provincie)",
        "3",
    )
    assert not earlier.agenda.filter(action_item=item).exists()  # a draft before it: no
    assert not held.agenda.filter(action_item=item).exists()  # not on its own meeting
    services.close_action_item(SYSTEM, item)
    assert not following.agenda.filter(action_item=item).exists()


def test_importing_onto_a_day_planned_without_minutes_is_an_error_not_unchanged(
    taskforce, tmp_path, settings, capsys
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    planned = services.plan_meeting(SYSTEM, taskforce, date=fixture.DATE)
    path = tmp_path / "verslag.txt"
    path.write_bytes(fixture.as_txt()[0])
    code = main(["import", "minutes", str(path), "--body", "taskforce", "--json"])
    outcome = json.loads(capsys.readouterr().out)
    assert code == 1 and outcome["unchanged"] == 0
    assert any("al een vergadering" in e["message"] for e in outcome["errors"])
    assert not planned.minutes.exists() and taskforce.meetings.count() == 1


@pytest.mark.parametrize("slug", ["actiepunten", "nieuw", "stukken", "verslagen"])
def test_a_body_cannot_take_the_name_of_a_page(slug):
    """/overleg/actiepunten/ is the action list: a body of that name could not be reached,
    whether it comes from the page, the API or an import."""
    with pytest.raises(ValidationError, match="gereserveerd"):
        services.save_body(SYSTEM, slug=slug, name="X", kind=Body.Kind.WORKING_GROUP)
    assert not Body.objects.exists()
