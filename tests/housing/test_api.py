"""The housing API: scoped like the pages, writes through the services with their history,
person-level data (guest stays) only for the location's municipality and always audited.

All locations, projects, organisations and people here are invented (fictief)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from fixtures import MAASTRICHT, VENLO, VENRAY

from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.core.models import AuditEntry
from waardig.housing import rules, services
from waardig.housing.models import (
    HeadCount,
    HousingNeed,
    Location,
    LocationStatusChange,
    PolicyChange,
    PolicyEntry,
    Project,
    ProjectStatusChange,
    WoondealAgreement,
)
from waardig.housing.pseudonyms import pseudonym
from waardig.organisations.models import Organisation, Person

pytestmark = pytest.mark.django_db
JSON = "application/json"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PROVINCE = ["province_admin", "analyst", "coordinator"]
LOCATIONS = "/api/v1/housing-locations/"
STAYS = "/api/v1/housing-guest-stays/"


def client_for(users, role: str | None) -> Client:
    client = Client()
    if role:
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


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


@pytest.fixture
def world(users, locations, make_location):
    """Locations in Venlo, Maastricht and Venray; guest stays in Venlo and Maastricht."""
    venray = make_location(VENRAY, name="Units Venray", postcode="5801 AA", house_number=3)
    stays = {
        "venlo": [
            ("A-1", TODAY - 10 * DAY, None),  # here tonight
            ("A-2", TODAY - 5 * DAY, TODAY),  # leaves today: no night here
            ("A-3", TODAY - 30 * DAY, TODAY - 3 * DAY),  # gone
            ("A-4", TODAY - DAY, TODAY + 2 * DAY),  # here tonight
        ],
        "maastricht": [("B-1", TODAY - 2 * DAY, None)],
    }
    for key, rows in stays.items():
        services.record_guest_stays(
            SYSTEM, locations[key], [(pseudonym(i), a, d) for i, a, d in rows]
        )
    return {**locations, "venray": venray, "stays": stays}


# --- locations: who sees what ----------------------------------------------------------------


@pytest.mark.parametrize(
    "role, expected",
    [
        *[(role, {"Logies Venlo", "Logies Maastricht", "Units Venray"}) for role in PROVINCE],
        ("venlo_officer", {"Logies Venlo"}),
        ("maastricht_officer", {"Logies Maastricht"}),
        ("inspector", {"Logies Venlo", "Units Venray"}),
    ],
)
def test_locations_are_scoped_per_role(users, world, role, expected):
    seen = results(client_for(users, role).get(LOCATIONS))
    assert {row["name"] for row in seen} == expected
    codes = {row["name"]: row["municipality"] for row in seen}
    assert codes.get("Logies Venlo", VENLO) == VENLO
    assert codes.get("Logies Maastricht", MAASTRICHT) == MAASTRICHT


@pytest.mark.parametrize("role", ["member", None])
def test_members_and_the_public_see_no_locations(users, world, role):
    client = client_for(users, role)
    assert_problem(client.get(LOCATIONS), 403)
    assert_problem(client.get(f"{LOCATIONS}{world['venlo'].pk}/"), 403)
    assert_problem(client.get("/api/v1/housing-head-counts/"), 403)


def test_the_occupancy_block_counts_without_showing_a_stay(users, world, settings):
    settings.WAARDIG_REGISTER_MIN_COUNT = 1  # no small-number protection here: see below
    services.record_head_count(SYSTEM, world["venlo"], TODAY - 40 * DAY, 31)
    services.record_head_count(SYSTEM, world["venlo"], TODAY - 7 * DAY, 27)
    services.record_head_count(SYSTEM, world["venray"], TODAY - 3 * DAY, 12)
    rows = {row["name"]: row for row in results(client_for(users, "analyst").get(LOCATIONS))}
    expected_tonight = rules.present_on(
        [rules.Stay(a, d) for _i, a, d in world["stays"]["venlo"]], TODAY
    )
    assert expected_tonight == 2  # A-1 and A-4; A-2 leaves today, A-3 has gone
    # The register has news after the last count (a departure ahead): it gives the figure.
    assert rows["Logies Venlo"]["occupancy"] == {
        "current": expected_tonight,
        "current_below_threshold": False,
        "source": "register",
        "on": TODAY.isoformat(),
        "head_count": 27,
        "counted_on": (TODAY - 7 * DAY).isoformat(),
        "guests_today": expected_tonight,
        "guests_today_below_threshold": False,
        "min_count": 1,
    }
    # Only a count: that is the figure; no guest register is unknown, not zero.
    assert rows["Units Venray"]["occupancy"] == {
        "current": 12,
        "current_below_threshold": False,
        "source": "count",
        "on": (TODAY - 3 * DAY).isoformat(),
        "head_count": 12,
        "counted_on": (TODAY - 3 * DAY).isoformat(),
        "guests_today": None,
        "guests_today_below_threshold": False,
        "min_count": 1,
    }
    assert rows["Logies Maastricht"]["occupancy"]["guests_today"] == 1
    assert rows["Logies Venlo"]["certified_today"] is False
    assert "pseudonym" not in str(rows)


@pytest.fixture
def one_and_six(make_location):
    """Two Maastricht locations with only a guest register (so it gives the figure): one
    guest at 'Pension Een', six at 'Hotel Zes', all here tonight."""
    small = make_location(MAASTRICHT, name="Pension Een", postcode="6211 AB", house_number=7)
    large = make_location(MAASTRICHT, name="Hotel Zes", postcode="6211 AC", house_number=8)
    services.record_guest_stays(SYSTEM, small, [(pseudonym("S-1"), TODAY - 9 * DAY, None)])
    services.record_guest_stays(
        SYSTEM, large, [(pseudonym(f"L-{n}"), TODAY - 9 * DAY, None) for n in range(6)]
    )
    return small, large


def test_a_small_register_count_is_null_for_whoever_does_not_see_the_register(users, one_and_six):
    def blocks(role: str) -> dict[str, dict]:
        rows = results(client_for(users, role).get(LOCATIONS))
        return {row["name"]: row["occupancy"] for row in rows}

    province = blocks("analyst")
    small = province["Pension Een"]
    assert (small["current"], small["current_below_threshold"]) == (None, True)
    assert (small["guests_today"], small["guests_today_below_threshold"]) == (None, True)
    assert (small["source"], small["min_count"]) == ("register", 5)
    large = province["Hotel Zes"]
    assert (large["current"], large["current_below_threshold"]) == (6, False)
    assert (large["guests_today"], large["guests_today_below_threshold"]) == (6, False)
    detail = client_for(users, "analyst").get(f"{LOCATIONS}{one_and_six[0].pk}/").json()
    assert detail["occupancy"]["current"] is None and detail["occupancy"]["guests_today"] is None

    # The municipality sees its register, and so the exact numbers.
    officer = blocks("maastricht_officer")
    assert (officer["Pension Een"]["current"], officer["Pension Een"]["guests_today"]) == (1, 1)
    assert not officer["Pension Een"]["current_below_threshold"]
    assert not officer["Pension Een"]["guests_today_below_threshold"]
    assert officer["Hotel Zes"]["current"] == 6


def test_locations_filter(users, world, make_location):
    make_location(
        VENLO, name="Woning Venlo", postcode="5912 BB", house_number=9, housing_form="dwelling",
        stay_class="long", certification="snf", certificate_number="SNF-1", status="planned",
    )  # fmt: skip
    client = client_for(users, "analyst")

    def names(query: str) -> set[str]:
        return {row["name"] for row in results(client.get(f"{LOCATIONS}?{query}"))}

    assert names(f"municipality={VENLO}") == {"Logies Venlo", "Woning Venlo"}
    assert names("status=planned") == {"Woning Venlo"}
    assert names("status=in_use") == {"Logies Venlo", "Logies Maastricht", "Units Venray"}
    assert names("housing_form=dwelling") == {"Woning Venlo"}
    assert names("stay_class=long") == {"Woning Venlo"}
    assert names("certification=snf") == {"Woning Venlo"}
    assert_problem(client.get(f"{LOCATIONS}?status=gone"), 400, "status")


# --- locations: writing ----------------------------------------------------------------------


def new_location(**extra) -> dict:
    return {
        "name": "Pension De Brug (fictief)",
        "municipality": VENLO,
        "postcode": "5912ab",
        "house_number": 12,
        "housing_form": "hotel",
        "stay_class": "short",
        "capacity": 24,
        **extra,
    }


def test_an_officer_registers_a_location_and_changes_its_status_with_history(users, areas):
    operator = Organisation.objects.create(
        name="Huisvester Noord (fictief)", kind="housing_provider"
    )
    agency = Organisation.objects.create(name="Uitzendbureau Oost (fictief)", kind="temp_agency")
    client = client_for(users, "venlo_officer")
    response = client.post(
        LOCATIONS,
        new_location(
            status="in_use",
            status_on="2024-03-01",
            operator=operator.pk,
            employers=[agency.pk],
            fictitious=True,
        ),
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    location = Location.objects.get(pk=body["id"])
    assert (body["postcode"], body["status"], body["municipality"]) == ("5912 AB", "in_use", VENLO)
    assert body["operator"] == operator.pk and body["employers"] == [agency.pk]
    assert body["fictitious"] is False  # demo data is made by the demo, not through the API
    counts = {k: v for k, v in body["occupancy"].items() if not k.endswith("_below_threshold")}
    assert counts.pop("min_count") == 5
    assert set(counts.values()) <= {None, ""}  # nothing counted yet: unknown
    assert not body["occupancy"]["current_below_threshold"]
    first = location.status_changes.get()
    assert (first.status, first.on) == ("in_use", datetime.date(2024, 3, 1))

    url = f"{LOCATIONS}{location.pk}/"
    assert_problem(client.patch(url, {"status": "closed"}, content_type=JSON), 400, "status")
    response = client.patch(url, {"capacity": 30}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert Location.objects.get(pk=location.pk).capacity == 30

    response = client.post(
        f"{url}status/", {"status": "closed", "note": "Vergunning verlopen."}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["on"]) == ("closed", TODAY.isoformat())
    assert Location.objects.get(pk=location.pk).status == "closed"
    history = client.get(f"{url}status-history/").json()
    assert [(h["status"], h["note"]) for h in history] == [
        ("in_use", "Locatie vastgelegd."),
        ("closed", "Vergunning verlopen."),
    ]
    assert history[-1]["actor"] == "venlo"
    assert_problem(
        client.post(f"{url}status/", {"status": "gone"}, content_type=JSON), 400, "status"
    )
    later = (TODAY + DAY).isoformat()
    assert_problem(
        client.post(f"{url}status/", {"status": "in_use", "on": later}, content_type=JSON),
        400,
        "on",
    )
    assert location.status_changes.count() == 2
    assert_problem(client.delete(url), 405)


def test_a_new_location_is_planned_unless_said_otherwise(users, areas):
    response = client_for(users, "province_admin").post(
        LOCATIONS, new_location(municipality=MAASTRICHT), content_type=JSON
    )
    assert response.status_code == 201, response.content
    location = Location.objects.get(pk=response.json()["id"])
    assert location.status == "planned"
    assert location.status_changes.get().on == TODAY


def test_validation_errors_name_the_field(users, areas):
    client = client_for(users, "venlo_officer")
    bad = [
        (new_location(postcode="59 ABC"), "postcode"),  # the model's rule, via the service
        (new_location(bag_id="123"), "bag_id"),
        (new_location(certification="snf"), "certificate_number"),
        (new_location(capacity=-1), "capacity"),  # the serializer's
        (new_location(municipality="GM9999"), "municipality"),
        (new_location(status="sold"), "status"),
    ]
    for data, field in bad:
        assert_problem(client.post(LOCATIONS, data, content_type=JSON), 400, field)
    assert not Location.objects.exists()


def test_a_venlo_officer_cannot_reach_a_maastricht_location(users, world):
    client = client_for(users, "venlo_officer")
    maastricht = world["maastricht"]
    url = f"{LOCATIONS}{maastricht.pk}/"
    assert_problem(client.get(url), 404)
    assert_problem(client.get(f"{url}status-history/"), 404)
    assert_problem(client.patch(url, {"capacity": 1}, content_type=JSON), 404)
    assert_problem(client.put(url, new_location(municipality=MAASTRICHT), content_type=JSON), 404)
    assert_problem(client.post(f"{url}status/", {"status": "closed"}, content_type=JSON), 404)
    assert_problem(
        client.post(
            "/api/v1/housing-head-counts/",
            {"location": maastricht.pk, "counted_on": TODAY.isoformat(), "persons": 3},
            content_type=JSON,
        ),
        400,
        "location",
    )
    # Creating in Maastricht, or moving its own location there: refused by the service.
    assert_problem(
        client.post(LOCATIONS, new_location(municipality=MAASTRICHT), content_type=JSON), 403
    )
    own = f"{LOCATIONS}{world['venlo'].pk}/"
    assert_problem(client.patch(own, {"municipality": MAASTRICHT}, content_type=JSON), 403)
    maastricht.refresh_from_db()
    assert (maastricht.capacity, maastricht.status) == (40, "in_use")
    assert Location.objects.filter(municipality__code=MAASTRICHT).count() == 1
    assert Location.objects.get(pk=world["venlo"].pk).municipality.code == VENLO
    assert not HeadCount.objects.exists()
    assert maastricht.status_changes.count() == 1


@pytest.mark.parametrize("role", ["inspector", "analyst", "coordinator"])
def test_readers_change_no_location(users, world, role):
    client = client_for(users, role)
    url = f"{LOCATIONS}{world['venlo'].pk}/"
    assert_problem(client.post(LOCATIONS, new_location(), content_type=JSON), 403)
    assert_problem(client.patch(url, {"capacity": 1}, content_type=JSON), 403)
    assert_problem(client.post(f"{url}status/", {"status": "closed"}, content_type=JSON), 403)
    assert Location.objects.get(pk=world["venlo"].pk).capacity == 40
    assert LocationStatusChange.objects.filter(status="closed").count() == 0


# --- head counts -----------------------------------------------------------------------------


def test_head_counts_are_recorded_corrected_and_scoped(users, world):
    client = client_for(users, "venlo_officer")
    url = "/api/v1/housing-head-counts/"
    count = {"location": world["venlo"].pk, "counted_on": (TODAY - DAY).isoformat(), "persons": 18}
    response = client.post(url, count, content_type=JSON)
    assert response.status_code == 201, response.content
    assert response.json()["actor"] == "venlo"
    response = client.post(url, {**count, "persons": 19, "source": "telling"}, content_type=JSON)
    assert response.status_code == 201, response.content
    stored = HeadCount.objects.get(location=world["venlo"])
    assert (stored.persons, stored.source) == (19, "telling")
    future = {**count, "counted_on": (TODAY + DAY).isoformat()}
    assert_problem(client.post(url, future, content_type=JSON), 400, "counted_on")
    assert_problem(client.post(url, {**count, "persons": -2}, content_type=JSON), 400, "persons")
    assert_problem(client.patch(f"{url}{stored.pk}/", {"persons": 1}, content_type=JSON), 405)

    services.record_head_count(SYSTEM, world["maastricht"], TODAY, 5)
    mine = results(client.get(url))
    assert [(c["location"], c["persons"]) for c in mine] == [(world["venlo"].pk, 19)]
    everything = results(client_for(users, "analyst").get(url))
    assert {c["location"] for c in everything} == {world["venlo"].pk, world["maastricht"].pk}
    filtered = results(client_for(users, "analyst").get(f"{url}?location={world['maastricht'].pk}"))
    assert [c["persons"] for c in filtered] == [5]
    assert_problem(client_for(users, "inspector").post(url, count, content_type=JSON), 403)


# --- guest stays -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, key",
    [("venlo_officer", "venlo"), ("inspector", "venlo"), ("maastricht_officer", "maastricht")],
)
def test_guest_stays_only_for_the_municipality_and_audited(users, world, role, key):
    client = client_for(users, role)
    before = AuditEntry.objects.filter(subject="housing.gueststay", action="view").count()
    seen = results(client.get(STAYS))
    expected = {pseudonym(i) for i, _a, _d in world["stays"][key]}
    assert {s["pseudonym"] for s in seen} == expected
    assert {s["location"] for s in seen} == {world[key].pk}
    entries = AuditEntry.objects.filter(subject="housing.gueststay", action="view")
    assert entries.count() == before + 1
    entry = entries.order_by("-at", "-id").first()
    assert (entry.user_id, entry.municipality_codes) == (
        users[role].pk,
        world[key].municipality.code,
    )
    assert f"API: {len(expected)} verblijven" in entry.detail


def test_guest_stays_filter_on_a_night(users, world):
    client = client_for(users, "venlo_officer")
    tonight = results(client.get(f"{STAYS}?present_on={TODAY.isoformat()}"))
    expected = rules.present_on([rules.Stay(a, d) for _i, a, d in world["stays"]["venlo"]], TODAY)
    assert len(tonight) == expected == 2  # A-1 and A-4 (A-2 leaves today)
    assert {s["departure"] for s in tonight} <= {None, (TODAY + 2 * DAY).isoformat()}


@pytest.mark.parametrize("role", [*PROVINCE, "member", None])
def test_no_one_else_reads_a_stay(users, world, role):
    client = client_for(users, role)
    stay = world["venlo"].guest_stays.first()
    assert_problem(client.get(STAYS), 403)
    assert_problem(client.get(f"{STAYS}{stay.pk}/"), 403)
    assert not AuditEntry.objects.filter(subject="housing.gueststay", action="view").exists()


def test_another_municipalitys_stay_does_not_exist_and_stays_are_not_written(users, world):
    client = client_for(users, "venlo_officer")
    foreign = world["maastricht"].guest_stays.get()
    assert_problem(client.get(f"{STAYS}{foreign.pk}/"), 404)
    own = world["venlo"].guest_stays.order_by("arrival").first()
    response = client.get(f"{STAYS}{own.pk}/")
    assert response.status_code == 200 and response.json()["pseudonym"] == own.pseudonym
    entry = AuditEntry.objects.filter(subject="housing.gueststay").order_by("-at", "-id").first()
    assert entry.action == "view" and str(own.pk) in entry.detail
    data = {"location": world["venlo"].pk, "pseudonym": "x" * 64, "arrival": "2025-01-01"}
    assert_problem(client.post(STAYS, data, content_type=JSON), 405)


# --- projects --------------------------------------------------------------------------------

PROJECTS = "/api/v1/housing-projects/"


def new_project(**extra) -> dict:
    return {
        "name": "Flexwoningen Blerick (fictief)",
        "municipality": VENLO,
        "capacity": 80,
        "stay_class": "mid",
        "housing_form": "flex",
        "status": "preparation",
        "expected_year": 2027,
        **extra,
    }


def test_a_project_status_change_is_kept_in_history(users, areas):
    client = client_for(users, "venlo_officer")
    response = client.post(PROJECTS, new_project(note="Principebesluit."), content_type=JSON)
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    url = f"{PROJECTS}{project.pk}/"
    response = client.patch(url, {"status": "permit", "note": "Vergund."}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert Project.objects.get(pk=project.pk).status == "permit"
    client.patch(url, {"capacity": 90}, content_type=JSON)  # no status change: no history
    changes = ProjectStatusChange.objects.filter(project=project).order_by("at", "id")
    assert [(c.status, c.note, c.actor) for c in changes] == [
        ("preparation", "Principebesluit.", "venlo"),
        ("permit", "Vergund.", "venlo"),
    ]
    history = client_for(users, "member").get(f"{url}status-history/").json()
    assert [h["status"] for h in history] == ["preparation", "permit"]
    assert_problem(client.delete(url), 405)


def test_projects_are_shared_and_kept_per_municipality(users, areas):
    services.save_project(SYSTEM, **{**new_project(), "municipality": municipality(MAASTRICHT)})
    services.save_project(
        SYSTEM,
        **{**new_project(name="Hotel Venlo", status="idea", expected_year=2026, stay_class="short"),
           "municipality": municipality(VENLO)},
    )  # fmt: skip
    maastricht = Project.objects.get(municipality__code=MAASTRICHT)
    for role in ["member", "inspector", "venlo_officer", *PROVINCE]:
        assert len(results(client_for(users, role).get(PROJECTS))) == 2, role
    member = client_for(users, "member")

    def names(query: str) -> set[str]:
        return {p["name"] for p in results(member.get(f"{PROJECTS}?{query}"))}

    assert names(f"municipality={VENLO}") == {"Hotel Venlo"}
    assert names("status=preparation") == {"Flexwoningen Blerick (fictief)"}
    assert names("stay_class=short") == {"Hotel Venlo"}
    assert names("expected_year=2027") == {"Flexwoningen Blerick (fictief)"}

    venlo = client_for(users, "venlo_officer")
    assert_problem(
        venlo.post(PROJECTS, new_project(name="Nieuw", municipality=MAASTRICHT), content_type=JSON),
        403,
    )
    url = f"{PROJECTS}{maastricht.pk}/"
    assert_problem(venlo.patch(url, {"status": "cancelled"}, content_type=JSON), 403)
    assert_problem(member.post(PROJECTS, new_project(name="Nieuw"), content_type=JSON), 403)
    assert Project.objects.get(pk=maastricht.pk).status == "preparation"
    assert Project.objects.count() == 2
    assert_problem(venlo.post(PROJECTS, new_project(expected_year=1800), content_type=JSON), 400,
                   "expected_year")  # fmt: skip


# --- Woondeal agreements ---------------------------------------------------------------------

AGREEMENTS = "/api/v1/housing-woondeal-agreements/"


def test_woondeal_agreements_per_municipality_and_year(users, areas):
    venlo = client_for(users, "venlo_officer")
    data = {"municipality": VENLO, "year": 2030, "agreed_capacity": 500, "source": "Woondeal"}
    response = venlo.post(AGREEMENTS, data, content_type=JSON)
    assert response.status_code == 201, response.content
    url = f"{AGREEMENTS}{response.json()['id']}/"
    assert venlo.patch(url, {"agreed_capacity": 450}, content_type=JSON).status_code == 200
    assert WoondealAgreement.objects.get().agreed_capacity == 450
    assert_problem(venlo.patch(url, {"year": 2031}, content_type=JSON), 400, "year")
    assert_problem(venlo.post(AGREEMENTS, data, content_type=JSON), 400)  # one per year
    other = {**data, "municipality": MAASTRICHT}
    assert_problem(venlo.post(AGREEMENTS, other, content_type=JSON), 403)
    listed = results(client_for(users, "member").get(f"{AGREEMENTS}?municipality={VENLO}"))
    assert [(a["year"], a["agreed_capacity"]) for a in listed] == [(2030, 450)]
    assert WoondealAgreement.objects.count() == 1


# --- housing need ----------------------------------------------------------------------------

NEED = "/api/v1/housing-need/"


def test_need_from_the_api_is_research_and_only_the_province_keeps_it(users, areas):
    analyst = client_for(users, "analyst")
    data = {"municipality": VENLO, "year": 2026, "stay_class": "short", "persons": 1200,
            "source": "Onderzoek huisvesting (fictief)", "status": "estimate"}  # fmt: skip
    response = analyst.post(NEED, data, content_type=JSON)
    assert response.status_code == 201, response.content
    assert (response.json()["method"], response.json()["parameters"]) == ("research", {})
    assert_problem(client_for(users, "venlo_officer").post(NEED, data, content_type=JSON), 403)
    assert_problem(analyst.post(NEED, {**data, "stay_class": "mid", "persons": -1},
                                content_type=JSON), 400, "persons")  # fmt: skip
    assert_problem(analyst.post(NEED, {**data, "stay_class": "all"}, content_type=JSON), 400,
                   "stay_class")  # fmt: skip

    derived, _ = services.save_need(
        SYSTEM, municipality(MAASTRICHT), 2026, "long", persons=300, method="derived",
        parameters={"share_needing_housing": "0.3"}, status="estimate",
    )  # fmt: skip
    response = analyst.patch(f"{NEED}{derived.pk}/", {"persons": 320}, content_type=JSON)
    assert response.status_code == 200, response.content
    derived.refresh_from_db()
    assert (derived.persons, derived.method, derived.parameters) == (320, "research", {})

    member = client_for(users, "member")
    assert {n["municipality"] for n in results(member.get(NEED))} == {VENLO, MAASTRICHT}
    assert [n["persons"] for n in results(member.get(f"{NEED}?stay_class=long&year=2026"))] == [320]
    assert [n["persons"] for n in results(member.get(f"{NEED}?municipality={VENLO}"))] == [1200]
    assert HousingNeed.objects.count() == 2


# --- policy inventory ------------------------------------------------------------------------

POLICY = "/api/v1/housing-policy/"


def test_policy_changes_are_history_with_who_and_what(users, areas):
    contact = Person.objects.create(name="Carla Venlo (fictief)")
    venlo = client_for(users, "venlo_officer")
    data = {"municipality": VENLO, "instrument": "short_stay_policy", "status": "preparation",
            "contact": contact.pk}  # fmt: skip
    response = venlo.post(POLICY, data, content_type=JSON)
    assert response.status_code == 201, response.content
    url = f"{POLICY}{response.json()['id']}/"
    response = venlo.patch(
        url,
        {"status": "adopted", "decided_on": "2025-02-01", "document_url": "https://venlo.test/b"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert PolicyEntry.objects.get().status == "adopted"
    changes = PolicyChange.objects.order_by("at", "id")
    assert [(c.previous_status, c.status, c.user_id) for c in changes] == [
        ("", "preparation", users["venlo_officer"].pk),
        ("preparation", "adopted", users["venlo_officer"].pk),
    ]
    member = client_for(users, "member")
    history = results(member.get(f"/api/v1/housing-policy-changes/?municipality={VENLO}"))
    assert {(h["instrument"], h["status"], h["actor"]) for h in history} == {
        ("short_stay_policy", "preparation", "venlo"),
        ("short_stay_policy", "adopted", "venlo"),
    }
    assert results(member.get(f"/api/v1/housing-policy-changes/?municipality={MAASTRICHT}")) == []
    assert [e["status"] for e in results(member.get(f"{POLICY}?status=adopted"))] == ["adopted"]
    assert results(member.get(f"{POLICY}?instrument=landlord_licence")) == []

    assert_problem(venlo.patch(url, {"status": "maybe"}, content_type=JSON), 400, "status")
    assert_problem(venlo.patch(url, {"instrument": "guest_register"}, content_type=JSON), 400,
                   "instrument")  # fmt: skip
    other = {**data, "municipality": MAASTRICHT}
    assert_problem(venlo.post(POLICY, other, content_type=JSON), 403)
    assert_problem(member.post(POLICY, {**data, "instrument": "housing_plan"}, content_type=JSON),
                   403)  # fmt: skip
    assert PolicyChange.objects.count() == 2 and PolicyEntry.objects.count() == 1


# --- parameters ------------------------------------------------------------------------------

PARAMETERS = "/api/v1/housing-parameters/"


def test_parameters_history_and_the_current_set(users, areas):
    member = client_for(users, "member")
    assert results(member.get(PARAMETERS)) == []
    defaults = member.get(f"{PARAMETERS}current/").json()
    assert (defaults["id"], defaults["current"]) == (None, True)
    assert defaults["short_stay_max_months"] == rules.DEFAULT_PARAMETERS.short_max_months
    assert defaults["project_weights"] == rules.default_weights()

    weights = {**rules.DEFAULT_WEIGHTS, "idea": Decimal("0.2")}
    first = services.set_parameters(SYSTEM, short_max_months=4, mid_max_months=12,
                                    weights=weights, reason="Eerste keer")  # fmt: skip
    second = services.set_parameters(SYSTEM, short_max_months=6, mid_max_months=24,
                                     weights=weights, reason="Provinciale definitie")  # fmt: skip
    listed = results(member.get(PARAMETERS))
    assert [(p["id"], p["current"]) for p in listed] == [(second.pk, True), (first.pk, False)]
    current = member.get(f"{PARAMETERS}current/").json()
    assert (current["id"], current["short_stay_max_months"]) == (second.pk, 6)
    assert current["project_weights"]["idea"] == "0.2"
    assert_problem(Client().get(PARAMETERS), 403)
    assert_problem(client_for(users, "province_admin").post(PARAMETERS, {}, content_type=JSON), 405)
