"""The programme API: scoped like the pages, writes through the services, history append-only."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waardig.core.access import SYSTEM
from waardig.organisations.models import Organisation
from waardig.programme import services
from waardig.programme.models import Action, Milestone, Programme, StatusUpdate, Theme

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def programme(users):
    """A small programme: two themes (one under the other), two actions, one update."""
    programme = services.save_programme(
        SYSTEM, slug="arbeidsmigratie", name="Arbeidsmigratie", period_text="2025 - 2027"
    )
    wonen = services.save_theme(SYSTEM, programme, code="1", title="Wonen")
    logies = services.save_theme(SYSTEM, programme, parent=wonen, code="1.1", title="Logies")
    werk = services.save_theme(SYSTEM, programme, code="2", title="Werk")
    telling = services.save_action(SYSTEM, programme, theme=logies, title="Telling logiesplekken")
    voorlichting = services.save_action(SYSTEM, programme, theme=werk, title="Voorlichting")
    services.add_status_update(
        SYSTEM, voorlichting, status="running", progress=40, date=datetime.date(2025, 3, 1)
    )
    return {
        "programme": programme,
        "wonen": wonen,
        "logies": logies,
        "werk": werk,
        "telling": telling,
        "voorlichting": voorlichting,
    }


def client_for(users, role: str | None) -> Client:
    client = Client()
    if role:
        client.force_login(users[role])
    return client


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    return problem


def test_the_network_reads_programmes_themes_and_actions(users, programme):
    client = client_for(users, "analyst")
    listing = client.get("/api/v1/programmes/").json()
    assert [p["slug"] for p in listing["results"]] == ["arbeidsmigratie"]
    detail = client.get(reverse("api:programme-detail", kwargs={"slug": "arbeidsmigratie"}))
    assert detail.status_code == 200
    assert detail.json()["start_date"] == "2025-01-01"  # read from "2025 - 2027"
    themes = client.get("/api/v1/themes/?programme=arbeidsmigratie").json()
    assert {t["title"] for t in themes["results"]} == {"Wonen", "Logies", "Werk"}
    action = client.get(f"/api/v1/actions/{programme['voorlichting'].pk}/").json()
    assert action["programme"] == "arbeidsmigratie"
    assert (action["status"], action["progress"], action["last_update_on"]) == (
        "running",
        40,
        "2025-03-01",
    )
    updates = client.get(f"/api/v1/status-updates/?action={programme['voorlichting'].pk}")
    assert [u["progress"] for u in updates.json()["results"]] == [40]


def test_the_public_gets_nothing(programme):
    for url in ["/api/v1/programmes/", "/api/v1/actions/", "/api/v1/status-updates/"]:
        assert_problem(Client().get(url), 403)
    detail = Client().get(f"/api/v1/actions/{programme['telling'].pk}/")
    assert detail.status_code == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [("analyst", 403), ("member", 403), ("venlo_officer", 403), ("coordinator", 201)],
)
def test_only_the_coordinators_create_programmes(users, role, expected):
    response = client_for(users, role).post(
        "/api/v1/programmes/",
        {"slug": "seizoenswerk", "name": "Seizoenswerk", "period_text": "2026"},
        content_type=JSON,
    )
    assert response.status_code == expected, response.content
    created = Programme.objects.filter(slug="seizoenswerk").first()
    assert (created is not None) == (expected == 201)
    if expected == 201:
        assert response.json()["end_date"] == "2026-12-31"


def test_the_analyst_changes_nothing(users, programme):
    client = client_for(users, "analyst")
    action = programme["telling"]
    patch = client.patch(f"/api/v1/actions/{action.pk}/", {"title": "X"}, content_type=JSON)
    assert_problem(patch, 403)
    post = client.post(
        "/api/v1/status-updates/", {"action": action.pk, "status": "done"}, content_type=JSON
    )
    assert_problem(post, 403)
    assert not StatusUpdate.objects.filter(action=action).exists()


def test_a_partial_programme_update_keeps_the_dates(users, programme):
    client = client_for(users, "coordinator")
    url = reverse("api:programme-detail", kwargs={"slug": "arbeidsmigratie"})
    response = client.patch(url, {"description": "Nieuw"}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert (response.json()["start_date"], response.json()["end_date"]) == (
        "2025-01-01",
        "2027-12-31",
    )
    response = client.patch(url, {"period_text": "2026"}, content_type=JSON)
    assert (response.json()["start_date"], response.json()["end_date"]) == (
        "2026-01-01",
        "2026-12-31",
    )


def test_programmes_and_actions_are_not_deleted(users, programme):
    client = client_for(users, "coordinator")
    url = reverse("api:programme-detail", kwargs={"slug": "arbeidsmigratie"})
    assert_problem(client.delete(url), 405)
    assert_problem(client.delete(f"/api/v1/actions/{programme['telling'].pk}/"), 405)
    assert Action.objects.filter(pk=programme["telling"].pk).exists()


def test_a_coordinator_creates_an_action_and_its_status_follows_the_updates(users, programme):
    client = client_for(users, "coordinator")
    partner = Organisation.objects.create(name="Woonstichting", kind="other")
    response = client.post(
        "/api/v1/actions/",
        {
            "programme": "arbeidsmigratie",
            "theme": programme["werk"].pk,
            "title": "Meldpunt",
            "roles": ["facilitating", "connecting"],
            "partners": [partner.pk],
            "period_text": "najaar 2025",
            "status": "done",  # read-only: ignored
            "progress": 100,
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    action = response.json()
    assert action["partners"] == [partner.pk]
    assert action["external_id"] == "A003"  # assigned by the service
    assert (action["status"], action["progress"]) == ("not_started", 0)
    assert action["start_date"] == "2025-09-01"

    today = timezone.localdate()
    update = client.post(
        "/api/v1/status-updates/",
        {"action": action["id"], "status": "delayed", "narrative": " Wacht op de gemeenten. "},
        content_type=JSON,
    )
    assert update.status_code == 201, update.content
    assert update.json()["progress"] == 25  # the default for "delayed"
    assert update.json()["author_name"] == "coordinator"
    after = client.get(f"/api/v1/actions/{action['id']}/").json()
    assert (after["status"], after["progress"], after["last_update_on"]) == (
        "delayed",
        25,
        today.isoformat(),
    )
    client.post(
        "/api/v1/status-updates/",
        {"action": action["id"], "status": "running", "progress": 60},
        content_type=JSON,
    )
    after = client.get(f"/api/v1/actions/{action['id']}/").json()
    assert (after["status"], after["progress"]) == ("running", 60)
    assert StatusUpdate.objects.filter(action_id=action["id"]).count() == 2


def test_status_updates_are_append_only(users, programme):
    client = client_for(users, "coordinator")
    update = StatusUpdate.objects.get(action=programme["voorlichting"])
    url = reverse("api:statusupdate-detail", kwargs={"pk": update.pk})
    change = {"action": update.action_id, "status": "done", "progress": 100}
    assert_problem(client.patch(url, {"progress": 100}, content_type=JSON), 405)
    assert_problem(client.put(url, change, content_type=JSON), 405)
    assert_problem(client.delete(url), 405)
    update.refresh_from_db()
    assert (update.status, update.progress) == ("running", 40)
    assert client.get(url).json()["progress"] == 40


def test_invalid_progress_is_a_problem_naming_the_field(users, programme):
    client = client_for(users, "coordinator")
    response = client.post(
        "/api/v1/status-updates/",
        {"action": programme["telling"].pk, "status": "running", "progress": 150},
        content_type=JSON,
    )
    problem = assert_problem(response, 400)
    assert [p["name"] for p in problem["invalid_params"]] == ["progress"]
    assert not StatusUpdate.objects.filter(action=programme["telling"]).exists()


def test_errors_from_the_services_are_problems_too(users, programme):
    client = client_for(users, "coordinator")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        "/api/v1/status-updates/",
        {"action": programme["telling"].pk, "status": "running", "date": tomorrow.isoformat()},
        content_type=JSON,
    )
    problem = assert_problem(response, 400)
    assert problem["invalid_params"] == [
        {"name": "date", "reason": "Een voortgangsbericht kan niet in de toekomst liggen."}
    ]
    other = services.save_programme(SYSTEM, slug="ander", name="Ander programma")
    foreign_theme = services.save_theme(SYSTEM, other, title="Elders")
    response = client.patch(
        f"/api/v1/actions/{programme['telling'].pk}/",
        {"theme": foreign_theme.pk},
        content_type=JSON,
    )
    problem = assert_problem(response, 400)
    assert [p["name"] for p in problem["invalid_params"]] == ["theme"]
    moved = client.patch(
        f"/api/v1/actions/{programme['telling'].pk}/", {"programme": "ander"}, content_type=JSON
    )
    problem = assert_problem(moved, 400)
    assert problem["invalid_params"] == [
        {"name": "non_field_errors", "reason": "Deze actie hoort bij een ander programma."}
    ]
    assert Action.objects.get(pk=programme["telling"].pk).programme == programme["programme"]


def test_a_theme_with_actions_or_sub_themes_is_not_deleted(users, programme):
    client = client_for(users, "coordinator")
    for theme in (programme["werk"], programme["wonen"]):  # actions; a sub-theme
        problem = assert_problem(client.delete(f"/api/v1/themes/{theme.pk}/"), 409)
        assert "kan niet worden verwijderd" in problem["detail"]
        assert Theme.objects.filter(pk=theme.pk).exists()
    empty = services.save_theme(SYSTEM, programme["programme"], title="Leeg")
    assert client_for(users, "analyst").delete(f"/api/v1/themes/{empty.pk}/").status_code == 403
    assert client.delete(f"/api/v1/themes/{empty.pk}/").status_code == 204
    assert not Theme.objects.filter(pk=empty.pk).exists()


def test_actions_filter_by_theme_with_its_sub_themes_and_by_status(users, programme):
    client = client_for(users, "member")
    wonen = client.get(f"/api/v1/actions/?theme={programme['wonen'].pk}").json()
    assert [a["title"] for a in wonen["results"]] == ["Telling logiesplekken"]
    running = client.get("/api/v1/actions/?programme=arbeidsmigratie&status=running").json()
    assert [a["title"] for a in running["results"]] == ["Voorlichting"]
    assert client.get("/api/v1/actions/?programme=onbekend").json()["count"] == 0


def test_budget_lines_say_when_they_are_over_budget(users, programme):
    client = client_for(users, "coordinator")
    response = client.post(
        "/api/v1/budget-lines/",
        {
            "programme": "arbeidsmigratie",
            "action": programme["telling"].pk,
            "description": "Telling",
            "funding_source": "Beleidsbrief",
            "budgeted": "1000.00",
            "spent": "1200.00",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    line = response.json()
    assert line["over_budget"] is True
    patched = client.patch(
        f"/api/v1/budget-lines/{line['id']}/", {"budgeted": "1500.00"}, content_type=JSON
    )
    assert patched.json()["over_budget"] is False
    assert patched.json()["spent"] == "1200.00"
    negative = client.patch(
        f"/api/v1/budget-lines/{line['id']}/", {"spent": "-1.00"}, content_type=JSON
    )
    assert [p["name"] for p in assert_problem(negative, 400)["invalid_params"]] == ["spent"]
    assert client.delete(f"/api/v1/budget-lines/{line['id']}/").status_code == 204


def test_milestones_through_the_services(users, programme):
    client = client_for(users, "coordinator")
    action = programme["telling"]
    response = client.post(
        "/api/v1/milestones/",
        {"action": action.pk, "title": "Telling klaar", "period_text": "voorjaar 2025"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    milestone = response.json()
    assert milestone["planned_end"] is not None
    assert milestone["overdue"] is True  # spring 2025 has passed and it was not reached
    url = f"/api/v1/milestones/{milestone['id']}/"
    reached = client.patch(url, {"achieved_on": "2025-05-01"}, content_type=JSON).json()
    assert reached["overdue"] is False
    assert reached["planned_end"] == milestone["planned_end"]  # kept on a partial update
    listed = client.get(f"/api/v1/milestones/?action={action.pk}").json()
    assert [m["title"] for m in listed["results"]] == ["Telling klaar"]
    assert client.delete(url).status_code == 204
    assert not Milestone.objects.filter(pk=milestone["id"]).exists()


def test_published_reports_show_their_data_not_their_files(users, programme):
    services.publish_report(
        SYSTEM,
        programme["programme"],
        kind="progress",
        title="Voortgang 2025",
        options={"year": 2025},
        snapshot={"actions": {}},
        files={"pdf": b"%PDF", "docx": b"PK", "xlsx": b"PK", "md": "# Voortgang"},
    )
    body = client_for(users, "analyst").get("/api/v1/published-reports/").json()
    (report,) = body["results"]
    assert set(report) == {
        "id",
        "programme",
        "kind",
        "title",
        "options",
        "published_at",
        "published_by_name",
        "snapshot",
    }
    assert (report["programme"], report["options"]) == ("arbeidsmigratie", {"year": 2025})


def test_outcomes_are_listed_per_programme(users, programme):
    services.save_outcome(SYSTEM, programme["programme"], code="R1", title="Goede huisvesting")
    body = client_for(users, "inspector").get("/api/v1/outcomes/?programme=arbeidsmigratie")
    assert [o["title"] for o in body.json()["results"]] == ["Goede huisvesting"]
    assert client_for(users, "coordinator").post("/api/v1/outcomes/", {}).status_code == 405


def test_amounts_are_decimal_strings(users, programme):
    services.save_budget_line(
        SYSTEM,
        programme["programme"],
        description="Programma",
        funding_source="Provincie",
        budgeted=Decimal("10.5"),
    )
    body = client_for(users, "analyst").get("/api/v1/budget-lines/?programme=arbeidsmigratie")
    (line,) = body.json()["results"]
    assert (line["budgeted"], line["over_budget"], line["theme"]) == ("10.50", False, None)
