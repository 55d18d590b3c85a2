"""The meetings API: seats decide what a member sees, the secretariat writes through the
services, action items return on draft agendas until closed, notes are history.

All bodies, organisations and action items here are invented (fictief)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from waardig.core.access import SYSTEM
from waardig.meetings import services
from waardig.meetings.models import ActionItem, Body, BodyMember, Meeting, Outcome
from waardig.organisations.models import Organisation

pytestmark = pytest.mark.django_db
JSON = "application/json"
TODAY = timezone.localdate()
LAST_MONTH = TODAY - datetime.timedelta(days=30)
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def world(users):
    """A taskforce where the member's organisation has a seat, a steering group where it
    has none; one meeting each; two open taskforce action items (one overdue) and one of the
    steering group."""
    employers = Organisation.objects.create(name="Werkgevers Oost (fictief)", kind="employers")
    region = Organisation.objects.create(name="Regio Noord (fictief)", kind="region")
    member = users["member"]
    member.organisation = employers
    member.save()
    taskforce = services.save_body(SYSTEM, slug="taskforce", name="Taskforce", kind="taskforce")
    steering = services.save_body(
        SYSTEM, slug="stuurgroep", name="Stuurgroep", kind="steering_group"
    )
    seat = BodyMember(body=taskforce, role="member", start=LAST_MONTH)
    services.save_member(SYSTEM, seat, organisation=employers, user=users["analyst"])
    services.save_member(SYSTEM, BodyMember(body=steering), organisation=region, role="chair")
    april = services.plan_meeting(SYSTEM, taskforce, date=LAST_MONTH)
    steering_meeting = services.plan_meeting(SYSTEM, steering, date=LAST_MONTH)
    late = services.add_action_item(
        SYSTEM,
        taskforce,
        text="Namen bedrijven aanleveren",
        owner_name="Werkgevers, Regio",
        owner_organisation=employers,
        due=LAST_MONTH,
        meeting=april,
    )
    note = services.add_action_item(
        SYSTEM, taskforce, text="Notitie schrijven", owner_name="Provincie", due=NEXT_MONTH
    )
    secret = services.add_action_item(SYSTEM, steering, text="Brief aan het ministerie")
    return {
        "taskforce": taskforce,
        "steering": steering,
        "employers": employers,
        "april": april,
        "steering_meeting": steering_meeting,
        "late": late,
        "note": note,
        "secret": secret,
    }


def client_for(users, role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    if field:
        assert field in {p["name"] for p in problem["invalid_params"]}, problem
    return problem


def agenda_lines(meeting: dict) -> list[str]:
    return [f"{a['number']} {a['title']}" for a in meeting["agenda"]]


def test_a_member_sees_the_bodies_of_their_organisations_seat_only(users, world):
    client = client_for(users, "member")
    bodies = results(client.get("/api/v1/bodies/"))
    assert [b["slug"] for b in bodies] == ["taskforce"]
    assert bodies[0]["seats"] == [
        {
            "role": "member",
            "organisation": world["employers"].pk,
            "organisation_name": "Werkgevers Oost (fictief)",
            "person": None,
            "start": LAST_MONTH.isoformat(),
            "end": None,
        }
    ]
    assert b'"analist"' not in client.get("/api/v1/bodies/taskforce/").content  # no logins
    meetings = results(client.get("/api/v1/meetings/"))
    assert [m["id"] for m in meetings] == [world["april"].pk]
    items = results(client.get("/api/v1/action-items/"))
    assert {i["text"] for i in items} == {"Namen bedrijven aanleveren", "Notitie schrijven"}
    hidden = [
        "/api/v1/bodies/stuurgroep/",
        f"/api/v1/meetings/{world['steering_meeting'].pk}/",
        f"/api/v1/action-items/{world['secret'].pk}/",
        f"/api/v1/agenda-items/{world['steering_meeting'].agenda.first().pk}/",
    ]
    for url in hidden:
        assert_problem(client.get(url), 404)
    steering_agenda = results(
        client.get(f"/api/v1/agenda-items/?meeting={world['steering_meeting'].pk}")
    )
    assert steering_agenda == []


def test_the_province_sees_every_body(users, world):
    bodies = results(client_for(users, "analyst").get("/api/v1/bodies/"))
    assert {b["slug"] for b in bodies} == {"taskforce", "stuurgroep"}
    items = results(client_for(users, "analyst").get("/api/v1/action-items/?body=stuurgroep"))
    assert [i["text"] for i in items] == ["Brief aan het ministerie"]


def test_a_municipality_officer_without_a_seat_sees_nothing(users, world):
    client = client_for(users, "venlo_officer")
    for url in [
        "/api/v1/bodies/",
        "/api/v1/meetings/",
        "/api/v1/agenda-items/",
        "/api/v1/meeting-outcomes/",
        "/api/v1/action-items/",
    ]:
        assert results(client.get(url)) == [], url
    assert_problem(client.get("/api/v1/bodies/taskforce/"), 404)
    assert_problem(client.get(f"/api/v1/meetings/{world['april'].pk}/"), 404)
    assert_problem(client.get(f"/api/v1/action-items/{world['late'].pk}/"), 404)


def test_the_coordinator_plans_a_meeting_with_the_open_action_items(coordinator, world):
    response = coordinator.post(
        "/api/v1/meetings/",
        {
            "body": "taskforce",
            "date": NEXT_MONTH.isoformat(),
            "start": "14:00",
            "online_link": "https://vergaderen.example/taskforce",
            "topics": ["Terugkoppeling kennisambassadeur"],
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    meeting = response.json()
    assert (meeting["status"], meeting["start"], meeting["online_link"]) == (
        "draft",
        "14:00:00",
        "https://vergaderen.example/taskforce",
    )
    assert "topics" not in meeting
    lines = agenda_lines(meeting)
    assert lines[2:5] == [
        "3 Nalopen actiepunten",
        "3.1 Namen bedrijven aanleveren (Werkgevers, Regio)",
        "3.2 Notitie schrijven (Provincie)",
    ]
    assert lines[-3:] == ["5 Terugkoppeling kennisambassadeur", "6 Rondvraag", "7 Sluiting"]
    follow_up = meeting["agenda"][3]
    assert follow_up["action_item"] == world["late"].pk
    assert follow_up["parent"] == meeting["agenda"][2]["id"]
    assert (meeting["minutes_version"], meeting["minutes_final"]) == (None, None)


def test_closing_an_item_takes_it_off_the_draft_and_the_next_agenda(coordinator, world):
    draft = coordinator.post(
        "/api/v1/meetings/", {"body": "taskforce", "date": TODAY.isoformat()}, content_type=JSON
    ).json()
    assert "3.1 Namen bedrijven aanleveren (Werkgevers, Regio)" in agenda_lines(draft)
    url = f"/api/v1/action-items/{world['late'].pk}/close/"
    closed = coordinator.post(
        url, {"note": "Lijst ontvangen.", "meeting": draft["id"]}, content_type=JSON
    )
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert (body["status"], body["closed_on"], body["is_overdue"]) == (
        "done",
        TODAY.isoformat(),
        False,
    )
    assert [(n["text"], n["meeting"]) for n in body["notes"]] == [("Lijst ontvangen.", draft["id"])]
    again = coordinator.get(f"/api/v1/meetings/{draft['id']}/").json()
    assert [line for line in agenda_lines(again) if line.startswith("3.")] == [
        "3.2 Notitie schrijven (Provincie)"  # the remaining item keeps its number
    ]
    after = coordinator.post(
        "/api/v1/meetings/",
        {"body": "taskforce", "date": NEXT_MONTH.isoformat()},
        content_type=JSON,
    ).json()
    assert [line for line in agenda_lines(after) if line.startswith("3.")] == [
        "3.1 Notitie schrijven (Provincie)"
    ]
    problem = assert_problem(coordinator.post(url, {}, content_type=JSON), 400)
    assert problem["invalid_params"] == [
        {"name": "non_field_errors", "reason": "Dit actiepunt is al gesloten."}
    ]


def test_cancel_with_a_meeting_of_another_body_is_refused(coordinator, world):
    url = f"/api/v1/action-items/{world['note'].pk}/close/"
    other = {"status": "cancelled", "meeting": world["steering_meeting"].pk}
    assert_problem(coordinator.post(url, other, content_type=JSON), 400, "meeting")
    assert_problem(coordinator.post(url, {"status": "open"}, content_type=JSON), 400, "status")
    assert ActionItem.objects.get(pk=world["note"].pk).is_open
    cancelled = coordinator.post(url, {"status": "cancelled"}, content_type=JSON)
    assert cancelled.json()["status"] == "cancelled"


@pytest.mark.parametrize("role", ["analyst", "member"])
def test_readers_change_nothing(users, world, role):
    client = client_for(users, role)
    item = world["late"].pk
    writes = [
        ("post", "/api/v1/bodies/", {"slug": "x", "name": "X", "kind": "working_group"}),
        ("patch", "/api/v1/bodies/taskforce/", {"name": "X"}),
        ("post", "/api/v1/meetings/", {"body": "taskforce", "date": TODAY.isoformat()}),
        ("patch", f"/api/v1/meetings/{world['april'].pk}/", {"place": "X"}),
        ("post", "/api/v1/agenda-items/", {"meeting": world["april"].pk, "title": "X"}),
        ("post", "/api/v1/action-items/", {"body": "taskforce", "text": "X"}),
        ("patch", f"/api/v1/action-items/{item}/", {"text": "X"}),
        ("post", f"/api/v1/action-items/{item}/close/", {}),
        ("post", f"/api/v1/action-items/{item}/follow-ups/", {"text": "X"}),
    ]
    for method, url, data in writes:
        assert_problem(getattr(client, method)(url, data, content_type=JSON), 403)
    assert Meeting.objects.count() == 2 and Body.objects.count() == 2
    assert ActionItem.objects.count() == 3 and ActionItem.objects.get(pk=item).is_open
    assert not world["late"].notes.exists()


def test_follow_up_notes_are_appended_and_never_changed(coordinator, world):
    url = f"/api/v1/action-items/{world['note'].pk}/follow-ups/"
    response = coordinator.post(url, {"text": " Eerste opzet besproken. "}, content_type=JSON)
    assert response.status_code == 201, response.content
    assert (response.json()["text"], response.json()["author_name"]) == (
        "Eerste opzet besproken.",
        "coordinator",
    )
    assert_problem(coordinator.post(url, {"text": "  "}, content_type=JSON), 400, "text")
    for method in ("put", "patch", "delete"):
        assert_problem(getattr(coordinator, method)(url, {"text": "x"}, content_type=JSON), 405)
    item_url = f"/api/v1/action-items/{world['note'].pk}/"
    assert_problem(coordinator.delete(item_url), 405)
    ignored = coordinator.patch(item_url, {"notes": [{"text": "anders"}]}, content_type=JSON)
    assert [n["text"] for n in ignored.json()["notes"]] == ["Eerste opzet besproken."]
    assert ActionItem.objects.filter(pk=world["note"].pk).exists()


def test_action_items_filter_on_overdue_owner_status_and_origin(coordinator, world):
    def texts(query: str) -> set[str]:
        return {i["text"] for i in results(coordinator.get(f"/api/v1/action-items/?{query}"))}

    late = results(coordinator.get("/api/v1/action-items/?overdue=true"))
    assert [(i["text"], i["is_overdue"]) for i in late] == [("Namen bedrijven aanleveren", True)]
    assert texts("overdue=false") == {"Notitie schrijven", "Brief aan het ministerie"}
    assert texts("owner=werkgevers") == {"Namen bedrijven aanleveren"}
    assert texts(f"owner_organisation={world['employers'].pk}") == {"Namen bedrijven aanleveren"}
    assert texts(f"meeting={world['april'].pk}") == {"Namen bedrijven aanleveren"}
    assert texts("body=taskforce&status=open") == {
        "Namen bedrijven aanleveren",
        "Notitie schrijven",
    }
    services.close_action_item(SYSTEM, world["late"])
    assert texts("status=done") == {"Namen bedrijven aanleveren"}
    assert texts("overdue=true") == set()  # closed is never overdue


def test_meetings_filter_on_body_status_and_dates(coordinator, world):
    services.set_meeting_status(SYSTEM, world["april"], "held")
    services.plan_meeting(SYSTEM, world["taskforce"], date=NEXT_MONTH)

    def dates(query: str) -> list[str]:
        return [m["date"] for m in results(coordinator.get(f"/api/v1/meetings/?{query}"))]

    assert dates("body=taskforce") == [NEXT_MONTH.isoformat(), LAST_MONTH.isoformat()]
    assert dates("body=taskforce&status=held") == [LAST_MONTH.isoformat()]
    assert dates(f"body=taskforce&date_from={TODAY.isoformat()}") == [NEXT_MONTH.isoformat()]
    assert sorted(dates(f"date_to={TODAY.isoformat()}")) == [LAST_MONTH.isoformat()] * 2


def test_a_meeting_changes_through_patch_and_shows_its_minutes(coordinator, world):
    url = f"/api/v1/meetings/{world['april'].pk}/"
    response = coordinator.patch(
        url, {"place": "Provinciehuis", "status": "held"}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert (response.json()["place"], response.json()["status"]) == ("Provinciehuis", "held")
    services.set_attendance(SYSTEM, world["april"], [("Regio Noord", "present", None)])
    services.save_minutes(SYSTEM, world["april"], {"1": "Opening."})
    services.finalise_minutes(SYSTEM, world["april"])
    meeting = coordinator.get(url).json()
    assert meeting["attendance"] == [
        {"name": "Regio Noord", "organisation": None, "presence": "present"}
    ]
    assert (meeting["status"], meeting["minutes_version"], meeting["minutes_final"]) == (
        "final",
        2,
        True,
    )
    assert_problem(coordinator.patch(url, {"status": "planned"}, content_type=JSON), 400, "status")
    assert_problem(coordinator.delete(url), 405)


def test_validation_errors_name_the_field(coordinator, world):
    missing = coordinator.post("/api/v1/action-items/", {"body": "taskforce"}, content_type=JSON)
    assert_problem(missing, 400, "text")
    elsewhere = {"body": "stuurgroep", "text": "X", "meeting": world["april"].pk}
    assert_problem(
        coordinator.post("/api/v1/action-items/", elsewhere, content_type=JSON), 400, "meeting"
    )
    url = f"/api/v1/meetings/{world['april'].pk}/"
    problem = assert_problem(coordinator.patch(url, {"status": "final"}, content_type=JSON), 400)
    assert problem["invalid_params"] == [
        {"name": "status", "reason": "Stel het verslag vast om de vergadering af te sluiten."}
    ]
    assert_problem(coordinator.patch(url, {"body": "stuurgroep"}, content_type=JSON), 400, "body")
    assert_problem(coordinator.patch(url, {"topics": ["X"]}, content_type=JSON), 400, "topics")
    move = {"body": "stuurgroep"}
    item_url = f"/api/v1/action-items/{world['late'].pk}/"
    assert_problem(coordinator.patch(item_url, move, content_type=JSON), 400, "body")
    duplicate = {"slug": "taskforce", "name": "Nog een", "kind": "taskforce"}
    assert_problem(coordinator.post("/api/v1/bodies/", duplicate, content_type=JSON), 400, "slug")
    assert Meeting.objects.get(pk=world["april"].pk).body == world["taskforce"]


def test_an_action_item_is_added_under_an_agenda_item_and_edited(coordinator, world):
    topic = world["april"].agenda.get(number="4")
    response = coordinator.post(
        "/api/v1/action-items/",
        {"body": "taskforce", "text": " Cijfers delen ", "agenda_item": topic.pk},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["text"], created["meeting"], created["status"]) == (
        "Cijfers delen",
        world["april"].pk,  # the agenda item's meeting
        "open",
    )
    url = f"/api/v1/action-items/{created['id']}/"
    edited = coordinator.patch(
        url,
        {"owner_name": "Regio", "due": NEXT_MONTH.isoformat(), "status": "done"},
        content_type=JSON,
    )
    assert edited.status_code == 200, edited.content
    assert (edited.json()["owner_name"], edited.json()["status"]) == ("Regio", "open")
    draft = services.plan_meeting(SYSTEM, world["taskforce"], date=NEXT_MONTH)
    coordinator.patch(url, {"text": "Cijfers delen met de regio"}, content_type=JSON)
    assert draft.agenda.filter(title="Cijfers delen met de regio (Regio)").exists()


def test_agenda_items_are_added_before_the_questions(coordinator, world):
    meeting = world["april"]
    response = coordinator.post(
        "/api/v1/agenda-items/",
        {"meeting": meeting.pk, "title": "Huisvesting seizoenswerk"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert (response.json()["number"], response.json()["kind"]) == ("5", "topic")
    sub = coordinator.post(
        "/api/v1/agenda-items/",
        {"meeting": meeting.pk, "title": "Stand van zaken", "parent": response.json()["id"]},
        content_type=JSON,
    )
    assert sub.json()["number"] == "5.1"
    titles = [(a.number, a.title) for a in meeting.agenda.order_by("order")]
    assert titles[-4:] == [
        ("5", "Huisvesting seizoenswerk"),
        ("5.1", "Stand van zaken"),
        ("6", "Rondvraag"),
        ("7", "Sluiting"),
    ]
    foreign = {
        "meeting": meeting.pk,
        "title": "X",
        "parent": world["steering_meeting"].agenda.first().pk,
    }
    assert_problem(
        coordinator.post("/api/v1/agenda-items/", foreign, content_type=JSON), 400, "parent"
    )
    detail = f"/api/v1/agenda-items/{sub.json()['id']}/"
    assert_problem(coordinator.patch(detail, {"title": "X"}, content_type=JSON), 405)
    assert_problem(coordinator.delete(detail), 405)


def test_outcomes_are_added_and_removed_until_the_minutes_are_final(coordinator, world):
    item = world["april"].agenda.get(number="2")
    response = coordinator.post(
        "/api/v1/meeting-outcomes/",
        {"agenda_item": item.pk, "kind": "decision", "text": "Verslag vastgesteld."},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    outcome = response.json()
    assert outcome["meeting"] == world["april"].pk
    listed = results(coordinator.get(f"/api/v1/meeting-outcomes/?meeting={world['april'].pk}"))
    assert [o["id"] for o in listed] == [outcome["id"]]
    url = f"/api/v1/meeting-outcomes/{outcome['id']}/"
    assert_problem(coordinator.patch(url, {"text": "X"}, content_type=JSON), 405)
    assert coordinator.delete(url).status_code == 204
    assert not Outcome.objects.exists()
    kept = services.add_outcome(SYSTEM, item, kind="information", text="Ter kennisgeving.")
    services.save_minutes(SYSTEM, world["april"], {"2": "Akkoord."})
    services.finalise_minutes(SYSTEM, world["april"])
    assert_problem(coordinator.delete(f"/api/v1/meeting-outcomes/{kept.pk}/"), 400)
    assert Outcome.objects.filter(pk=kept.pk).exists()


def test_the_secretariat_keeps_bodies(coordinator, world):
    response = coordinator.post(
        "/api/v1/bodies/",
        {"slug": "werkgroep-wonen", "name": "Werkgroep wonen", "kind": "working_group"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert response.json()["seats"] == []
    changed = coordinator.patch(
        "/api/v1/bodies/werkgroep-wonen/", {"description": "Huisvesting"}, content_type=JSON
    )
    assert changed.json()["description"] == "Huisvesting"
    assert_problem(coordinator.delete("/api/v1/bodies/werkgroep-wonen/"), 405)
    assert Body.objects.filter(slug="werkgroep-wonen").exists()
