"""The compliance API: every endpoint as every role. Norms are read by the network and kept by
the province admin with a reason; checks are read like the location register; signals,
inspections and enforcement steps only by the municipality's own officers and inspectors
(audited for signals); the province reads counts; scans belong to the province admin.

All locations, addresses, persons and signals here are invented (fictief)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from fixtures import MAASTRICHT, VENLO, VENRAY

from waardig.compliance import scans, services
from waardig.compliance.engine import FoundSignal
from waardig.compliance.models import (
    PERSON_SIGNALS,
    Check,
    EnforcementStep,
    Inspection,
    Norm,
    NormChange,
    NormKind,
    ScanRun,
    Signal,
    SignalChange,
    SignalParameters,
)
from waardig.core.access import SYSTEM
from waardig.core.models import AuditEntry
from waardig.housing import services as housing_services
from waardig.housing.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db
JSON = "application/json"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
API = "/api/v1/"
PROVINCE = ["province_admin", "analyst", "coordinator"]
ROLES = [*PROVINCE, "venlo_officer", "maastricht_officer", "inspector", "member", None]
NETWORK = [role for role in ROLES if role]
LOCAL = {"venlo_officer": {VENLO}, "maastricht_officer": {MAASTRICHT}, "inspector": {VENLO, VENRAY}}
EVERY = {VENLO, MAASTRICHT, VENRAY}
PROVINCIAL_SET = "Provinciale ondergrens Limburg 2025-2027"


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


def signal_views() -> int:
    return AuditEntry.objects.filter(subject="signalen", action="view").count()


PERSONS = {name: pseudonym(name) for name in ("P-1", "P-2", "P-3")}


@pytest.fixture
def world(users, locations, make_location):
    """Locations in Venlo, Maastricht and Venray, each with a desk check, signals (two about
    one person), inspections and enforcement steps; all through the services."""
    venray = make_location(VENRAY, name="Units Venray", postcode="5801 AA", house_number=3)
    locs = {**locations, "venray": venray}
    venlo, maastricht = locs["venlo"], locs["maastricht"]
    found = [
        FoundSignal(
            "overcrowding", "overcrowding:0983200000000001", VENLO, Decimal("70.0"),
            "fictief: 20 m² voor 4 ingeschrevenen", address_id="0983200000000001",
            address="5911 AB 1",
        ),
        FoundSignal(
            "overstay", f"overstay:{venlo.pk}:{PERSONS['P-1']}", VENLO, Decimal("80.0"),
            "fictief: gast verbleef 6 maanden", location_id=venlo.pk, address="Logies Venlo",
            pseudonym=PERSONS["P-1"], details={"days": 183, "window_months": 12},
        ),
        FoundSignal(
            "overstay", f"overstay:{maastricht.pk}:{PERSONS['P-2']}", MAASTRICHT,
            Decimal("60.0"), "fictief: gast verbleef 5 maanden", location_id=maastricht.pk,
            pseudonym=PERSONS["P-2"],
        ),
        FoundSignal(
            "rni_overdue", f"rni_overdue:0935200000000002:{PERSONS['P-3']}", MAASTRICHT,
            Decimal("55.0"), "fictief: 5 maanden in de RNI", address_id="0935200000000002",
            pseudonym=PERSONS["P-3"],
        ),
        FoundSignal(
            "over_capacity", f"over_capacity:{venray.pk}", VENRAY, Decimal("65.0"),
            "fictief: 50 personen bij capaciteit 40", location_id=venray.pk,
        ),
    ]  # fmt: skip
    scans.save_signals(found, TODAY)
    for location in locs.values():
        services.record_check(SYSTEM, location)
        services.record_inspection(SYSTEM, location, on=TODAY - 20 * DAY, outcome="defects")
    for key in ("venlo", "maastricht"):
        services.save_enforcement_step(
            SYSTEM, location=locs[key], kind="warning", decided_on=TODAY - 10 * DAY,
            deadline=TODAY + 20 * DAY,
        )  # fmt: skip
    return {**locs, "found": found}


def municipalities_of(rows: list[dict]) -> set[str]:
    return {row["municipality"] for row in rows}


# --- who reaches what ------------------------------------------------------------------------

LOCAL_ONLY = {
    "compliance-signals": Signal.objects.all,
    "compliance-inspections": Inspection.objects.all,
    "compliance-enforcement-steps": EnforcementStep.objects.all,
}


def municipality_code(obj) -> str:
    if isinstance(obj, Signal):
        return obj.municipality.code
    return obj.location.municipality.code


@pytest.mark.parametrize("route", [*LOCAL_ONLY, "compliance-checks"])
@pytest.mark.parametrize("role", ROLES)
def test_lists_and_details_are_scoped_per_role(users, world, route, role):
    client = client_for(users, role)
    objects = {"compliance-checks": Check.objects.all, **LOCAL_ONLY}[route]()
    present = {municipality_code(obj) for obj in objects}
    if role in LOCAL:
        expected = LOCAL[role] & present
    elif route == "compliance-checks" and role in PROVINCE:
        expected = EVERY
    else:  # the province (for local data), members and the public
        assert_problem(client.get(f"{API}{route}/"), 403)
        for obj in objects:
            assert_problem(client.get(f"{API}{route}/{obj.pk}/"), 403)
        return
    rows = results(client.get(f"{API}{route}/"))
    assert municipalities_of(rows) == expected
    assert {row["id"] for row in rows} == {
        obj.pk for obj in objects if municipality_code(obj) in expected
    }
    for obj in objects:
        response = client.get(f"{API}{route}/{obj.pk}/")
        if municipality_code(obj) in expected:
            assert response.json()["id"] == obj.pk
        else:
            assert_problem(response, 404)


@pytest.mark.parametrize(
    "route", ["compliance-norm-sets", "compliance-norms", "compliance-norm-changes",
              "compliance-signal-parameters", "compliance-signal-counts"],
)  # fmt: skip
@pytest.mark.parametrize("role", ROLES)
def test_shared_routes_are_read_by_the_network(users, route, role):
    response = client_for(users, role).get(f"{API}{route}/")
    if role is None:
        assert_problem(response, 403)
    else:
        assert response.status_code == 200, response.content


@pytest.mark.parametrize("role", ROLES)
def test_only_the_province_admin_follows_scans(users, role):
    run = scans.start(TODAY, SYSTEM)
    client = client_for(users, role)
    if role == "province_admin":
        assert [row["id"] for row in results(client.get(f"{API}compliance-scans/"))] == [run.pk]
        assert client.get(f"{API}compliance-scans/{run.pk}/").json()["status"] == "queued"
    else:
        assert_problem(client.get(f"{API}compliance-scans/"), 403)
        assert_problem(client.get(f"{API}compliance-scans/{run.pk}/"), 403)
        assert_problem(client.post(f"{API}compliance-scans/", {}, content_type=JSON), 403)
    assert ScanRun.objects.count() == 1


@pytest.mark.parametrize("route", [*LOCAL_ONLY, "compliance-checks"])
def test_a_venlo_inspector_filters_no_maastricht_object_into_view(users, world, route):
    client = client_for(users, "inspector")
    maastricht = world["maastricht"]
    assert results(client.get(f"{API}{route}/?municipality={MAASTRICHT}")) == []
    assert results(client.get(f"{API}{route}/?location={maastricht.pk}")) == []
    venlo = results(client.get(f"{API}{route}/?municipality={VENLO}"))
    assert venlo and municipalities_of(venlo) == {VENLO}


def test_no_signal_leaves_its_municipality_through_an_action(users, world):
    client = client_for(users, "inspector")
    other = Signal.objects.get(municipality__code=MAASTRICHT, kind="overstay")
    before = signal_views()
    assert_problem(client.get(f"{API}compliance-signals/{other.pk}/status-history/"), 404)
    body = {"status": "investigating"}
    assert_problem(
        client.post(f"{API}compliance-signals/{other.pk}/status/", body, content_type=JSON), 404
    )
    other.refresh_from_db()
    assert other.status == "new" and not SignalChange.objects.exists()
    assert signal_views() == before  # nothing shown, nothing logged
    assert results(client.get(f"{API}compliance-signals/?kind=rni_overdue")) == []


@pytest.mark.parametrize("role", ["province_admin", "analyst", "member"])
def test_a_signal_cannot_be_moved_by_who_does_not_see_it(users, world, role):
    signal = Signal.objects.get(municipality__code=VENLO, kind="overstay")
    response = client_for(users, role).post(
        f"{API}compliance-signals/{signal.pk}/status/", {"status": "investigating"},
        content_type=JSON,
    )  # fmt: skip
    assert_problem(response, 403)
    assert not SignalChange.objects.exists()


# --- norms -----------------------------------------------------------------------------------


def provincial_norm(kind: str = NormKind.PERSONS_PER_BEDROOM) -> Norm:
    return Norm.objects.get(norm_set__name=PROVINCIAL_SET, kind=kind)


def test_norm_sets_come_with_their_norms_and_filter_on_a_day(users, areas):
    client = client_for(users, "member")
    sets = {row["name"]: row for row in results(client.get(f"{API}compliance-norm-sets/"))}
    province = sets[PROVINCIAL_SET]
    assert (province["valid_from"], province["valid_to"]) == ("2025-01-01", "2027-12-31")
    bedroom = next(n for n in province["norms"] if n["kind"] == NormKind.PERSONS_PER_BEDROOM)
    assert (Decimal(bedroom["limit"]), bedroom["bound"]) == (Decimal(1), "max")
    assert "reason" not in bedroom
    on_2024 = results(client.get(f"{API}compliance-norm-sets/?valid_on=2024-09-01"))
    names = {row["name"] for row in on_2024}
    assert "AKF 2024" in names and PROVINCIAL_SET not in names and "AKF 2026" not in names
    norms = results(
        client.get(
            f"{API}compliance-norms/?valid_on=2024-09-01&kind=living_area_per_person&page_size=1000"
        )
    )
    assert norms and {row["norm_set"] for row in norms} == set(
        Norm.objects.filter(norm_set__name__in=names, kind="living_area_per_person").values_list(
            "norm_set", flat=True
        )
    )


def test_the_province_admin_edits_a_norm_with_a_reason_and_the_history_keeps_it(users, areas):
    norm = provincial_norm()
    client = client_for(users, "province_admin")
    response = client.patch(
        f"{API}compliance-norms/{norm.pk}/",
        {"limit": "2", "severity": "medium", "reason": "fictief: besluit GS"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert (Decimal(response.json()["limit"]), response.json()["severity"]) == (2, "medium")
    norm.refresh_from_db()
    assert (norm.limit, norm.severity) == (Decimal(2), "medium")
    changes = results(
        client_for(users, "analyst").get(f"{API}compliance-norm-changes/?norm={norm.pk}")
    )
    assert len(changes) == 1
    change = changes[0]
    assert change["changes"] == {"limit": ["1.00", "2.00"], "severity": ["high", "medium"]}
    assert (change["reason"], change["norm_set"]) == ("fictief: besluit GS", PROVINCIAL_SET)
    assert change["actor"] == users["province_admin"].username
    assert results(client.get(f"{API}compliance-norm-changes/?norm_set={norm.norm_set_id}"))
    other_set = Norm.objects.exclude(norm_set=norm.norm_set).first().norm_set_id
    assert results(client.get(f"{API}compliance-norm-changes/?norm_set={other_set}")) == []


@pytest.mark.parametrize(
    "body, field",
    [
        ({"limit": "2"}, "reason"),
        ({"limit": "2", "reason": ""}, "reason"),
        ({"limit": "2", "reason": "   "}, "reason"),
        ({"reason": "niets"}, "non_field_errors"),
        ({"limit": "-1", "reason": "fout"}, "limit"),
        ({"severity": "extreme", "reason": "fout"}, "severity"),
    ],
)
def test_a_norm_edit_without_reason_or_with_a_bad_value_changes_nothing(users, areas, body, field):
    norm = provincial_norm()
    response = client_for(users, "province_admin").patch(
        f"{API}compliance-norms/{norm.pk}/", body, content_type=JSON
    )
    assert_problem(response, 400, field)
    assert (norm.limit, norm.severity) == (Norm.objects.get(pk=norm.pk).limit, "high")
    assert not NormChange.objects.exists()


def test_a_stay_norm_keeps_its_window(users, areas):
    norm = provincial_norm(NormKind.CONSECUTIVE_STAY)
    client = client_for(users, "province_admin")
    body = {"window_months": None, "reason": "fout"}
    assert_problem(
        client.patch(f"{API}compliance-norms/{norm.pk}/", body, content_type=JSON),
        400,
        "window_months",
    )
    body = {"window_months": 121, "reason": "fout"}
    assert_problem(
        client.patch(f"{API}compliance-norms/{norm.pk}/", body, content_type=JSON),
        400,
        "window_months",
    )
    assert not NormChange.objects.exists()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "province_admin"])
def test_no_one_else_edits_a_norm(users, areas, role):
    norm = provincial_norm()
    client = client_for(users, role)
    body = {"limit": "3", "reason": "poging"}
    assert_problem(client.patch(f"{API}compliance-norms/{norm.pk}/", body, content_type=JSON), 403)
    assert Norm.objects.get(pk=norm.pk).limit == norm.limit
    assert not NormChange.objects.exists()


def test_norms_are_not_created_replaced_or_deleted(users, areas):
    norm = provincial_norm()
    client = client_for(users, "province_admin")
    assert client.post(f"{API}compliance-norms/", {}, content_type=JSON).status_code == 405
    assert client.put(f"{API}compliance-norms/{norm.pk}/", {}, content_type=JSON).status_code == 405
    assert client.delete(f"{API}compliance-norms/{norm.pk}/").status_code == 405
    assert Norm.objects.filter(pk=norm.pk).exists()


# --- signal parameters -----------------------------------------------------------------------


def test_signal_parameters_get_a_new_version_with_a_reason(users, areas):
    admin = client_for(users, "province_admin")
    shipped = admin.get(f"{API}compliance-signal-parameters/current/").json()
    assert (Decimal(shipped["floor_area_per_person"]), shipped["rni_max_months"]) == (
        Decimal(12),
        4,
    )
    response = admin.post(
        f"{API}compliance-signal-parameters/",
        {"floor_area_per_person": "10.5", "reason": "fictief: afspraak met de LAA"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    first = response.json()
    assert (Decimal(first["floor_area_per_person"]), first["rni_max_months"]) == (
        Decimal("10.5"),
        4,
    )
    assert first["actor"] == users["province_admin"].username
    second = admin.post(
        f"{API}compliance-signal-parameters/",
        {"rni_max_months": 3, "reason": "fictief: strenger"},
        content_type=JSON,
    ).json()
    # A parameter left out keeps its current value.
    assert (Decimal(second["floor_area_per_person"]), second["rni_max_months"]) == (
        Decimal("10.5"),
        3,
    )
    history = results(client_for(users, "member").get(f"{API}compliance-signal-parameters/"))
    assert [(row["id"], row["current"]) for row in history] == [
        (second["id"], True),
        (first["id"], False),
        (shipped["id"], False),
    ]
    assert admin.get(f"{API}compliance-signal-parameters/current/").json()["id"] == second["id"]


@pytest.mark.parametrize(
    "body, field",
    [({"min_guests": 5}, "reason"), ({"min_guests": 0, "reason": "fout"}, "min_guests"),
     ({"rni_max_months": 25, "reason": "fout"}, "rni_max_months")],
)  # fmt: skip
def test_bad_signal_parameters_are_refused(users, areas, body, field):
    response = client_for(users, "province_admin").post(
        f"{API}compliance-signal-parameters/", body, content_type=JSON
    )
    assert_problem(response, 400, field)
    assert SignalParameters.objects.count() == 1  # the shipped defaults only


@pytest.mark.parametrize("role", [r for r in ROLES if r != "province_admin"])
def test_only_the_province_admin_sets_signal_parameters(users, areas, role):
    response = client_for(users, role).post(
        f"{API}compliance-signal-parameters/", {"min_guests": 5, "reason": "x"}, content_type=JSON
    )
    assert_problem(response, 403)
    assert SignalParameters.objects.count() == 1  # the shipped defaults only


# --- checks ----------------------------------------------------------------------------------


@pytest.fixture
def crowded(make_location):
    """A Venlo dwelling with 12 persons on 8 bedrooms: the provincial lower bound allows 8."""
    location = make_location(
        VENLO, name="Woning Venlo", postcode="5912 BB", house_number=9, housing_form="dwelling",
        stay_class="long", capacity=12, bedrooms=8, living_area=Decimal(200), toilets=2,
        showers=2,
    )  # fmt: skip
    housing_services.record_head_count(SYSTEM, location, TODAY - 5 * DAY, 12)
    return location


@pytest.mark.parametrize("role", ["venlo_officer", "inspector"])
def test_a_desk_check_records_the_findings_of_the_day(users, areas, crowded, role):
    client = client_for(users, role)
    response = client.post(f"{API}compliance-checks/", {"location": crowded.pk}, content_type=JSON)
    assert response.status_code == 201, response.content
    check = response.json()
    assert (check["on"], check["source"], check["municipality"]) == (
        TODAY.isoformat(), "desk", VENLO,
    )  # fmt: skip
    assert PROVINCIAL_SET in check["norm_sets"]
    bedroom = [f for f in check["findings"] if f["kind"] == "persons_per_bedroom"]
    assert [f["explanation"] for f in bedroom if f["norm_set_name"] == PROVINCIAL_SET] == [
        "12 personen op 8 slaapkamers: max. 1 per slaapkamer"
    ]
    # The province reads it, as the latest check of the location.
    latest = results(client_for(users, "analyst").get(f"{API}compliance-checks/?latest=true"))
    assert [row["id"] for row in latest if row["location"] == crowded.pk] == [check["id"]]


def test_latest_keeps_one_check_per_location(users, areas, crowded):
    old = services.record_check(SYSTEM, crowded, TODAY - 30 * DAY)
    new = services.record_check(SYSTEM, crowded, TODAY - DAY)
    client = client_for(users, "analyst")
    every = [row["id"] for row in results(client.get(f"{API}compliance-checks/"))]
    assert every == [new.pk, old.pk]
    latest = results(client.get(f"{API}compliance-checks/?latest=true"))
    assert [row["id"] for row in latest] == [new.pk]


@pytest.mark.parametrize(
    "role, status",
    [("province_admin", 403), ("analyst", 403), ("coordinator", 403), ("member", 403),
     (None, 403), ("maastricht_officer", 400)],
)  # fmt: skip
def test_only_the_municipality_records_a_check(users, areas, crowded, role, status):
    response = client_for(users, role).post(
        f"{API}compliance-checks/", {"location": crowded.pk}, content_type=JSON
    )
    assert_problem(response, status, "location" if status == 400 else None)
    assert not Check.objects.exists()


def test_a_check_date_in_the_future_is_refused(users, areas, crowded):
    response = client_for(users, "venlo_officer").post(
        f"{API}compliance-checks/",
        {"location": crowded.pk, "on": (TODAY + DAY).isoformat()},
        content_type=JSON,
    )
    assert_problem(response, 400, "on")
    assert not Check.objects.exists()


# --- signals ---------------------------------------------------------------------------------


def test_signals_show_a_short_pseudonym_only(users, world):
    client = client_for(users, "venlo_officer")
    response = client.get(f"{API}compliance-signals/")
    rows = results(response)
    assert [row["kind"] for row in rows] == ["overstay", "overcrowding"]  # highest score first
    person = rows[0]
    assert person["pseudonym_short"] == PERSONS["P-1"][:8]
    assert len(person["pseudonym_short"]) == 8
    assert rows[1]["pseudonym_short"] is None
    assert person["details"] == {"days": 183, "window_months": 12}
    assert "key" not in person and "pseudonym" not in person
    detail = client.get(f"{API}compliance-signals/{person['id']}/")
    for text in (response.content.decode(), detail.content.decode()):
        assert all(p not in text for p in PERSONS.values())


def test_signals_filter_on_kind_status_and_municipality(users, world):
    client = client_for(users, "inspector")

    def kinds(query: str) -> list[str]:
        return sorted(
            row["kind"] for row in results(client.get(f"{API}compliance-signals/?{query}"))
        )

    assert kinds("kind=overstay") == ["overstay"]
    assert kinds(f"municipality={VENRAY}") == ["over_capacity"]
    assert kinds("status=new") == ["over_capacity", "overcrowding", "overstay"]
    services.change_signal(
        SYSTEM, Signal.objects.get(kind="overcrowding"), "closed", "not_confirmed"
    )
    assert kinds("status=closed") == ["overcrowding"]
    assert_problem(client.get(f"{API}compliance-signals/?kind=bogus"), 400, "kind")


def test_every_read_of_signals_is_audited(users, world):
    user = users["venlo_officer"]
    client = client_for(users, "venlo_officer")
    signal = Signal.objects.get(municipality__code=VENLO, kind="overstay")
    results(client.get(f"{API}compliance-signals/?kind=overstay"))
    client.get(f"{API}compliance-signals/{signal.pk}/")
    client.get(f"{API}compliance-signals/{signal.pk}/status-history/")
    entries = list(
        AuditEntry.objects.filter(subject="signalen", action="view").order_by("at", "id")
    )
    assert [e.user_id for e in entries] == [user.pk] * 3
    assert {e.municipality_codes for e in entries} == {VENLO}
    assert "1 signalen" in entries[0].detail and "kind=overstay" in entries[0].detail
    assert f"signaal {signal.pk}" in entries[1].detail
    assert f"signaal {signal.pk}" in entries[2].detail
    # An empty list shows nobody: nothing to log.
    results(client.get(f"{API}compliance-signals/?municipality={MAASTRICHT}"))
    assert signal_views() == 3


def test_the_inspectors_list_logs_both_of_its_municipalities(users, world):
    results(client_for(users, "inspector").get(f"{API}compliance-signals/"))
    entry = AuditEntry.objects.get(subject="signalen", action="view")
    assert entry.municipality_codes == ",".join(sorted([VENLO, VENRAY]))


@pytest.mark.parametrize("role", [*PROVINCE, "member", None])
def test_refused_reads_of_signals_show_and_log_nothing(users, world, role):
    signal = Signal.objects.get(municipality__code=VENLO, kind="overstay")
    client = client_for(users, role)
    assert_problem(client.get(f"{API}compliance-signals/"), 403)
    assert_problem(client.get(f"{API}compliance-signals/{signal.pk}/"), 403)
    assert_problem(client.get(f"{API}compliance-signals/{signal.pk}/status-history/"), 403)
    assert signal_views() == 0


def status(client: Client, signal: Signal, **body):
    return client.post(f"{API}compliance-signals/{signal.pk}/status/", body, content_type=JSON)


def test_the_status_flow_of_a_signal_is_kept_in_its_history(users, world):
    client = client_for(users, "venlo_officer")
    signal = Signal.objects.get(municipality__code=VENLO, kind="overstay")
    response = status(client, signal, status="investigating", note="fictief: bezoek gepland")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "investigating"
    assert_problem(status(client, signal, status="new"), 400, "status")
    assert_problem(status(client, signal, status="closed"), 400, "outcome")
    assert_problem(status(client, signal, status="closed", outcome="maybe"), 400, "outcome")
    assert_problem(status(client, signal, status="bogus"), 400, "status")
    closed = status(client, signal, status="closed", outcome="confirmed", note="fictief")
    assert closed.status_code == 201, closed.content
    assert_problem(status(client, signal, status="investigating"), 400, "note")
    reopened = status(client, signal, status="investigating", note="fictief: nieuwe melding")
    assert reopened.status_code == 201
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == ("investigating", "")
    history = client.get(f"{API}compliance-signals/{signal.pk}/status-history/").json()
    assert [(h["status"], h["outcome"]) for h in history] == [
        ("investigating", ""), ("closed", "confirmed"), ("investigating", ""),
    ]  # fmt: skip
    assert {h["actor"] for h in history} == {users["venlo_officer"].username}
    changes = AuditEntry.objects.filter(subject="signaal", action="change")
    assert changes.count() == 3 and {e.municipality_codes for e in changes} == {VENLO}


def test_signals_are_not_written_through_the_api(users, world):
    signal = Signal.objects.get(municipality__code=VENLO, kind="overstay")
    client = client_for(users, "venlo_officer")
    assert client.post(f"{API}compliance-signals/", {}, content_type=JSON).status_code == 405
    assert (
        client.patch(
            f"{API}compliance-signals/{signal.pk}/", {"status": "closed"}, content_type=JSON
        ).status_code
        == 405
    )
    assert client.delete(f"{API}compliance-signals/{signal.pk}/").status_code == 405
    assert Signal.objects.get(pk=signal.pk).status == "new"


# --- signal counts ---------------------------------------------------------------------------


def expected_open(world, code: str, kind: str) -> int:
    return sum(1 for s in world["found"] if s.municipality_code == code and s.kind == kind)


def counts_for(users, role: str) -> dict:
    response = client_for(users, role).get(f"{API}compliance-signal-counts/")
    assert response.status_code == 200, response.content
    return response.json()


def per_kind(row: dict) -> dict[str, dict]:
    return {cell["kind"]: cell for cell in row["open_signals_per_kind"]}


@pytest.mark.parametrize("role", [*PROVINCE, "member"])
def test_the_province_reads_counts_with_small_person_counts_hidden(users, world, role):
    data = counts_for(users, role)
    assert (data["min_count"], data["scoped"], data["protected"]) == (5, False, True)
    rows = {row["municipality"]: row for row in data["rows"]}
    assert {VENLO, MAASTRICHT, VENRAY} <= set(rows)
    for code in (VENLO, MAASTRICHT, VENRAY):
        assert rows[code]["exact"] is False
        for kind, cell in per_kind(rows[code]).items():
            n = expected_open(world, code, kind)
            if kind in PERSON_SIGNALS and 0 < n < 5:
                assert (cell["count"], cell["protected"], cell["text"]) == (None, True, "< 5")
            else:
                assert (cell["count"], cell["protected"]) == (n, False)
    # Venlo's open signals per status: the person-level one is left out, so at least 1.
    venlo_new = rows[VENLO]["open_signals_per_status"][0]
    assert venlo_new == {"status": "new", "count": None, "text": "≥ 1", "protected": True}
    assert rows[VENRAY]["open_signals_per_status"][0]["count"] == 1
    assert rows[VENLO]["inspections_this_year"] == (
        1 if (TODAY - 20 * DAY).year == TODAY.year else 0
    )
    assert data["total"]["municipality"] is None
    assert "signalen" not in set(AuditEntry.objects.values_list("subject", flat=True))
    assert all(p[:8] not in str(data) for p in PERSONS.values())


def test_officers_read_their_own_counts_exactly(users, world):
    data = counts_for(users, "inspector")
    assert (data["scoped"], data["protected"]) == (True, False)
    rows = {row["municipality"]: row for row in data["rows"]}
    assert set(rows) == {VENLO, VENRAY}
    assert per_kind(rows[VENLO])["overstay"] == {
        "kind": "overstay", "count": 1, "text": "1", "protected": False,
    }  # fmt: skip
    assert per_kind(rows[VENRAY])["over_capacity"]["count"] == 1
    maastricht = counts_for(users, "maastricht_officer")
    assert [row["municipality"] for row in maastricht["rows"]] == [MAASTRICHT]
    assert per_kind(maastricht["rows"][0])["rni_overdue"]["count"] == 1


def test_closed_signals_leave_the_open_counts(users, world, settings):
    settings.WAARDIG_REGISTER_MIN_COUNT = 1  # nothing hidden: the arithmetic shows
    services.change_signal(SYSTEM, Signal.objects.get(kind="over_capacity"), "closed", "corrected")
    rows = {row["municipality"]: row for row in counts_for(users, "analyst")["rows"]}
    assert per_kind(rows[VENRAY])["over_capacity"]["count"] == 0
    assert per_kind(rows[MAASTRICHT])["overstay"]["count"] == 1


# --- inspections -----------------------------------------------------------------------------


def inspect(client: Client, location, **extra):
    body = {"location": location.pk, "on": (TODAY - DAY).isoformat(), "outcome": "defects", **extra}
    return client.post(f"{API}compliance-inspections/", body, content_type=JSON)


def test_an_inspection_with_results_per_norm_becomes_the_latest_check(users, areas, crowded):
    client = client_for(users, "inspector")
    bedroom = provincial_norm()
    toilet = Norm.objects.get(norm_set__name__startswith="SNF-norm (", kind="persons_per_toilet")
    response = inspect(
        client, crowded, persons_present=14, other_partners="fictief: politie",
        next_inspection=(TODAY + 90 * DAY).isoformat(),
        results=[
            {"norm": bedroom.pk, "met": False, "measured": "1.75", "note": "fictief: 14 bedden"},
            {"norm": toilet.pk, "met": True},
        ],
    )  # fmt: skip
    assert response.status_code == 201, response.content
    inspection = response.json()
    assert (inspection["municipality"], inspection["persons_present"]) == (VENLO, 14)
    assert "results" not in inspection
    assert [(f["kind"], Decimal(f["measured"])) for f in inspection["findings"]] == [
        ("persons_per_bedroom", Decimal("1.75"))
    ]
    # The note stays with the inspection's report, not in the finding the province reads.
    assert "fictief: 14 bedden" not in inspection["findings"][0]["explanation"]
    assert "fictief: 14 bedden" in inspection["notes"]
    latest = services.latest_check(crowded)
    assert (latest.source, latest.inspection_id) == ("inspection", inspection["id"])
    assert (
        results(client.get(f"{API}compliance-inspections/?outcome=defects"))[0]["id"]
        == (inspection["id"])
    )


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"on": (TODAY + DAY).isoformat()}, "on"),
        ({"next_inspection": (TODAY - 2 * DAY).isoformat()}, "next_inspection"),
        ({"outcome": "fine"}, "outcome"),
        ({"persons_present": 1_000_001}, "persons_present"),
        ({"results": [{"norm": 0, "met": False}]}, "results.0.norm"),
    ],
)
def test_an_inspection_with_errors_is_not_recorded(users, areas, crowded, extra, field):
    assert_problem(inspect(client_for(users, "venlo_officer"), crowded, **extra), 400, field)
    assert not Inspection.objects.exists() and not Check.objects.exists()


def test_results_name_each_norm_once_and_from_a_set_valid_that_day(users, areas, crowded):
    client = client_for(users, "venlo_officer")
    norm = provincial_norm()
    twice = [{"norm": norm.pk, "met": False}, {"norm": norm.pk, "met": True}]
    assert_problem(inspect(client, crowded, results=twice), 400, "results.1.norm")
    expired = Norm.objects.filter(norm_set__name="AKF 2024").first()
    assert expired.norm_set.valid_to < TODAY - DAY
    stale = [{"norm": expired.pk, "met": False}]
    assert_problem(inspect(client, crowded, results=stale), 400, "results.0.norm")
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    "role, status",
    [("province_admin", 403), ("analyst", 403), ("member", 403), (None, 403),
     ("maastricht_officer", 400)],
)  # fmt: skip
def test_only_the_municipality_records_an_inspection(users, areas, crowded, role, status):
    response = inspect(client_for(users, role), crowded)
    assert_problem(response, status, "location" if status == 400 else None)
    assert not Inspection.objects.exists()


def test_inspections_are_not_changed_or_deleted(users, world):
    inspection = Inspection.objects.get(location=world["venlo"])
    client = client_for(users, "venlo_officer")
    url = f"{API}compliance-inspections/{inspection.pk}/"
    assert client.patch(url, {"outcome": "compliant"}, content_type=JSON).status_code == 405
    assert client.delete(url).status_code == 405
    assert Inspection.objects.get(pk=inspection.pk).outcome == "defects"


# --- enforcement -----------------------------------------------------------------------------


def test_an_enforcement_step_is_kept_and_completed(users, world):
    client = client_for(users, "venlo_officer")
    inspection = Inspection.objects.get(location=world["venlo"])
    body = {
        "location": world["venlo"].pk, "inspection": inspection.pk, "kind": "penalty",
        "decided_on": TODAY.isoformat(), "deadline": (TODAY + 30 * DAY).isoformat(),
        "note": "fictief",
    }  # fmt: skip
    response = client.post(f"{API}compliance-enforcement-steps/", body, content_type=JSON)
    assert response.status_code == 201, response.content
    step = response.json()
    assert (step["municipality"], step["actor"]) == (VENLO, users["venlo_officer"].username)
    url = f"{API}compliance-enforcement-steps/{step['id']}/"
    done = client.patch(url, {"completed_on": TODAY.isoformat()}, content_type=JSON)
    assert done.status_code == 200 and done.json()["completed_on"] == TODAY.isoformat()
    open_steps = results(client.get(f"{API}compliance-enforcement-steps/?open=true"))
    assert step["id"] not in {row["id"] for row in open_steps} and open_steps
    moved = client.patch(url, {"location": world["venray"].pk}, content_type=JSON)
    assert_problem(moved, 400, "location")
    assert client.delete(url).status_code == 405
    assert EnforcementStep.objects.get(pk=step["id"]).location == world["venlo"]


def test_enforcement_errors_name_their_field(users, world):
    client = client_for(users, "inspector")
    other = Inspection.objects.get(location=world["maastricht"])
    venray_inspection = Inspection.objects.get(location=world["venray"])
    base = {"location": world["venlo"].pk, "kind": "warning", "decided_on": TODAY.isoformat()}
    cases = [
        ({**base, "inspection": other.pk}, "inspection"),  # not theirs: does not exist
        ({**base, "inspection": venray_inspection.pk}, "inspection"),  # another location
        ({**base, "deadline": (TODAY - DAY).isoformat()}, "non_field_errors"),
        ({**base, "kind": "fine"}, "kind"),
    ]
    before = EnforcementStep.objects.count()
    for body, field in cases:
        response = client.post(f"{API}compliance-enforcement-steps/", body, content_type=JSON)
        assert_problem(response, 400, field)
    assert EnforcementStep.objects.count() == before


def test_another_municipality_cannot_change_a_step(users, world):
    step = EnforcementStep.objects.get(location=world["venlo"])
    response = client_for(users, "maastricht_officer").patch(
        f"{API}compliance-enforcement-steps/{step.pk}/", {"note": "x"}, content_type=JSON
    )
    assert_problem(response, 404)
    response = client_for(users, "analyst").patch(
        f"{API}compliance-enforcement-steps/{step.pk}/", {"note": "x"}, content_type=JSON
    )
    assert_problem(response, 403)
    assert EnforcementStep.objects.get(pk=step.pk).note == ""


# --- scans -----------------------------------------------------------------------------------


def test_the_province_admin_starts_a_scan_in_the_background(users, areas, crowded):
    client = client_for(users, "province_admin")
    response = client.post(f"{API}compliance-scans/", {}, content_type=JSON)
    assert response.status_code == 201, response.content
    scan = response.json()
    assert (scan["status"], scan["on"], scan["progress"]) == ("queued", TODAY.isoformat(), 0)
    job = DBTaskResult.objects.get()
    assert job.task_path == "waardig.compliance.scans.run_in_background"
    assert job.args_kwargs == {"args": [scan["id"]], "kwargs": {}}
    scans.run_in_background.call(*job.args_kwargs["args"])  # what the worker does
    done = client.get(f"{API}compliance-scans/{scan['id']}/").json()
    assert (done["status"], done["progress"]) == ("done", 100)
    assert done["counts"]["locations"] == 1 and done["counts"]["findings"] >= 1
    latest = services.latest_check(crowded)
    assert (latest.source, latest.scan_id) == ("scan", scan["id"])


def test_a_scan_on_a_day_to_come_is_refused(users, areas):
    response = client_for(users, "province_admin").post(
        f"{API}compliance-scans/", {"on": (TODAY + DAY).isoformat()}, content_type=JSON
    )
    assert_problem(response, 400, "on")
    assert not ScanRun.objects.exists() and not DBTaskResult.objects.exists()
