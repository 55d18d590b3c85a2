"""The risk score of the inspection planning: the formula on plain numbers, and the query that
gathers its parts for every location an actor plans for (scoped, in a fixed number of queries)."""

import datetime
from decimal import Decimal

import pytest
from fixtures import MAASTRICHT, VENLO, VENRAY
from hypothesis import given
from hypothesis import strategies as st

from waardig.compliance import risk, scans, services
from waardig.compliance.engine import FoundSignal
from waardig.compliance.models import Signal, SignalKind, SignalOutcome, SignalStatus
from waardig.core.access import SYSTEM
from waardig.housing import services as housing

D = Decimal
TODAY = datetime.date(2026, 6, 1)


# -- the formula -------------------------------------------------------------------------------


def test_each_part_is_its_weight_times_its_input():
    r = risk.score(D(150), 5, D(80), 365, 400)
    assert r.signals == D("15.0")  # 1,5 signal at full score x 10
    assert r.findings == D("25.0")  # severity weights 5 x 5
    assert r.reports == D("16.0")  # 0,8 x 20
    assert r.inspection == D("10.0")  # half of 730 days: half of 20
    assert r.certificate == D(0)  # more than 90 days left
    assert r.total == D("66.0")


def test_never_inspected_is_the_maximum_and_time_is_capped():
    assert risk.score(0, 0, 0, None, None).inspection == risk.INSPECTION_MAX
    assert risk.score(0, 0, 0, 0, None).inspection == D(0)
    assert risk.score(0, 0, 0, 73, None).inspection == D("2.0")
    assert risk.score(0, 0, 0, 5000, None).inspection == risk.INSPECTION_MAX
    assert risk.score(0, 0, 0, -3, None).inspection == D(0)  # planned in the future: nothing


def test_the_certificate_counts_when_expired_or_expiring():
    assert risk.score(0, 0, 0, 0, -1).certificate == risk.CERTIFICATE_EXPIRED
    assert risk.score(0, 0, 0, 0, 0).certificate == risk.CERTIFICATE_EXPIRING
    assert risk.score(0, 0, 0, 0, 90).certificate == risk.CERTIFICATE_EXPIRING
    assert risk.score(0, 0, 0, 0, 91).certificate == D(0)
    assert risk.score(0, 0, 0, 0, None).certificate == D(0)


def test_a_report_weighs_more_than_a_signal_of_the_same_score():
    assert risk.score(0, 0, D(60), 0, None).total > risk.score(D(60), 0, 0, 0, None).total


amounts = st.decimals(min_value=0, max_value=10_000, places=1)
days = st.none() | st.integers(min_value=-1000, max_value=5000)


@given(amounts, st.integers(0, 500), amounts, days, days, amounts, st.integers(0, 50))
def test_more_of_anything_never_lowers_the_score(
    signals, findings, reports, since, left, extra, more
):
    base = risk.score(signals, findings, reports, since, left)
    assert base.total >= 0
    assert risk.score(signals + extra, findings, reports, since, left).total >= base.total
    assert risk.score(signals, findings + more, reports, since, left).total >= base.total
    assert risk.score(signals, findings, reports + extra, since, left).total >= base.total
    assert risk.score(signals, findings, reports, None, left).total >= base.total
    assert base.total == sum(
        (base.signals, base.findings, base.reports, base.inspection, base.certificate)
    )


# -- the query ---------------------------------------------------------------------------------


def overcrowded(make_location, code=VENLO, **values):
    """A dwelling with 12 persons on 4 bedrooms and 100 m², no certificate: its desk check
    finds persons per bedroom (high), living area (high) and the certificate (medium)."""
    fields = {
        "name": "Woning (fictief)", "housing_form": "dwelling", "stay_class": "long",
        "capacity": 12, "bedrooms": 4, "living_area": D(100), "toilets": 2, "showers": 2,
        "separate_contract": True, "transition_days": 60, **values,
    }  # fmt: skip
    location = make_location(code, **fields)
    housing.record_head_count(SYSTEM, location, TODAY - datetime.timedelta(days=300), 12)
    services.record_check(SYSTEM, location, TODAY - datetime.timedelta(days=200))
    return location


def signal(location, kind=SignalKind.OVERCROWDING, score=80, by_address=False, key=""):
    found = FoundSignal(
        kind=kind, key=key or f"{kind}:{location.pk}:{score}:{by_address}",
        municipality_code=location.municipality.code, score=D(score),
        explanation="test (fictief)",
        location_id=None if by_address else location.pk,
        address_id=location.bag_id if by_address else "",
    )  # fmt: skip
    scans.save_signals([found], TODAY)
    return Signal.objects.get(key=found.key)


@pytest.fixture(name="today")
def fixed_today(monkeypatch):
    """The planning's 'today' (also for the services' not-in-the-future checks)."""
    monkeypatch.setattr(risk.timezone, "localdate", lambda: TODAY)
    return TODAY


def test_the_parts_of_one_location(make_location, today):
    loc = overcrowded(make_location, bag_id="0983200000000001")
    signal(loc, score=80)
    signal(loc, SignalKind.UNREGISTERED, score=60, by_address=True)
    signal(loc, SignalKind.REPORT, score=50)
    closed = signal(loc, SignalKind.OVER_CAPACITY, score=100)
    services.change_signal(SYSTEM, closed, SignalStatus.CLOSED, SignalOutcome.NOT_CONFIRMED)
    [row] = risk.planning(SYSTEM, today)
    assert (row.signals, row.signal_scores) == (2, D(140))
    assert (row.reports, row.report_scores) == (1, D(50))
    assert (row.findings, row.finding_weights) == (3, 3 + 3 + 2)
    assert row.last_inspection is None and row.days_since_inspection is None
    assert row.risk == risk.Risk(
        signals=D("14.0"), findings=D("40.0"), reports=D("10.0"), inspection=D("20.0"),
        certificate=D(0),
    )  # fmt: skip
    assert row.risk.total == D("84.0")


def test_an_inspection_replaces_the_findings_and_resets_the_time(make_location, today):
    loc = overcrowded(make_location)
    before = risk.planning(SYSTEM, today)[0].risk
    norm = services.latest_check(loc).findings.get(kind="persons_per_bedroom").norm
    services.record_inspection(
        SYSTEM, loc, on=today - datetime.timedelta(days=146), outcome="defects",
        results=[services.NormResult(norm, False, D(3))],
        next_inspection=today + datetime.timedelta(days=30),
    )  # fmt: skip
    [row] = risk.planning(SYSTEM, today)
    assert (row.findings, row.finding_weights) == (1, 3)
    assert row.last_inspection == today - datetime.timedelta(days=146)
    assert row.next_inspection == today + datetime.timedelta(days=30)
    assert row.risk.inspection == D("4.0")  # 146 of 730 days: a fifth of 20
    assert row.risk.findings == D("15.0")
    assert row.risk.total < before.total


def test_certificates_count_when_expired_or_nearly(make_location, today):
    expired = make_location(
        name="Verlopen", house_number=2, certification="snf", certificate_number="S-1",
        certificate_valid_until=today - datetime.timedelta(days=1),
    )  # fmt: skip
    expiring = make_location(
        name="Bijna", house_number=3, certification="akf", certificate_number="A-1",
        certificate_valid_until=today + datetime.timedelta(days=30),
    )  # fmt: skip
    rows = {r.location: r for r in risk.planning(SYSTEM, today)}
    assert rows[expired].risk.certificate == risk.CERTIFICATE_EXPIRED
    assert rows[expired].certificate_expired
    assert rows[expiring].risk.certificate == risk.CERTIFICATE_EXPIRING
    assert rows[expiring].certificate_days_left == 30


def test_the_riskiest_first_and_only_locations_in_use(make_location, today):
    quiet = make_location(name="Rustig", house_number=5)
    busy = overcrowded(make_location, house_number=6)
    make_location(name="Gepland", house_number=7, status="planned")
    signal(quiet, score=100)
    assert [r.location for r in risk.planning(SYSTEM, today)] == [busy, quiet]


def test_scoped_to_the_municipalities_of_the_actor(make_location, users, today):
    venlo = make_location(VENLO, name="Venlo", house_number=1)
    venray = make_location(VENRAY, name="Venray", postcode="5801 AB", house_number=1)
    maastricht = make_location(MAASTRICHT, name="Maastricht", postcode="6211 AA")
    seen = {name: {r.location for r in risk.planning(user, today)} for name, user in users.items()}
    assert seen["inspector"] == {venlo, venray}
    assert seen["venlo_officer"] == {venlo}
    assert seen["maastricht_officer"] == {maastricht}
    for province_role in ("province_admin", "analyst", "coordinator", "member"):
        assert seen[province_role] == set()
    assert {r.location for r in risk.planning(SYSTEM, today)} == {venlo, venray, maastricht}
    assert [r.location for r in risk.planning(users["inspector"], today, VENRAY)] == [venray]
    assert risk.planning(users["inspector"], today, MAASTRICHT) == []


def test_a_signal_of_another_municipality_does_not_count(make_location, users, today):
    loc = make_location(VENLO, bag_id="0983200000000002")
    foreign = FoundSignal(
        kind=SignalKind.OVERCROWDING, key="elsewhere", municipality_code=MAASTRICHT,
        score=D(90), explanation="test", address_id=loc.bag_id,
    )  # fmt: skip
    scans.save_signals([foreign], TODAY)
    assert risk.planning(users["inspector"], today)[0].signals == 0
    assert risk.planning(SYSTEM, today)[0].signals == 1  # the command line sees every signal


def test_few_queries_however_many_locations(make_location, today, django_assert_max_num_queries):
    for number in range(1, 4):
        loc = overcrowded(make_location, house_number=number, bag_id=f"098320000000001{number}")
        signal(loc)
        signal(loc, SignalKind.REPORT, by_address=True)
        services.record_inspection(SYSTEM, loc, on=today, outcome="compliant")
    with django_assert_max_num_queries(3):
        assert len(risk.planning(SYSTEM, today)) == 3


def test_the_table_has_every_part(make_location, today):
    loc = overcrowded(make_location)
    columns, rows = risk.planning_table(SYSTEM, {})
    row = dict(zip(columns, rows[0], strict=True))
    assert row["location_id"] == loc.pk and row["rank"] == 1
    parts = ("signals", "findings", "reports", "inspection", "certificate")
    assert row["risk"] == sum(row[f"risk_{part}"] for part in parts)
    assert row["findings"] == 3 and row["last_inspection"] is None
