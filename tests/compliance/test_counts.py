"""The overview's numbers (compliance.counts): what each reader may read per municipality."""

import datetime
import itertools
import json
from decimal import Decimal

import pytest
from django.test import Client
from fixtures import MAASTRICHT, VENLO, VENRAY

from waardig.areas.models import Municipality
from waardig.compliance import counts
from waardig.compliance.models import (
    Check,
    CheckSource,
    EnforcementStep,
    Finding,
    Inspection,
    Signal,
    SignalKind,
)
from waardig.core.access import SYSTEM

TODAY = datetime.date(2026, 3, 10)
SERIAL = itertools.count()
OVERSTAY, RNI, CROWDED = SignalKind.OVERSTAY, SignalKind.RNI_OVERDUE, SignalKind.OVERCROWDING


def add_signals(code: str, kind: str, n: int, status: str = "new") -> None:
    municipality = Municipality.objects.get(code=code)
    for _ in range(n):
        i = next(SERIAL)
        Signal.objects.create(
            kind=kind, key=f"{kind}:{i}", municipality=municipality, score=Decimal(60),
            explanation="fictief", first_seen=TODAY, last_seen=TODAY, status=status,
            outcome="confirmed" if status == "closed" else "", address=f"Straat {i}",
            pseudonym=f"{i:064x}" if kind in (OVERSTAY, RNI) else "",
        )  # fmt: skip


def row_of(overview: counts.Overview, code: str) -> counts.Row:
    return next(r for r in overview.rows if r.municipality.code == code)


def kind(row: counts.Row, value: str) -> counts.Cell:
    return dict(row.kind_cells)[value]


def status(row: counts.Row, value: str) -> counts.Cell:
    return dict(row.status_cells)[value]


@pytest.fixture
def signals(users):
    add_signals(VENLO, OVERSTAY, 2)  # small: hidden from the province
    add_signals(VENLO, RNI, 6)  # not small
    add_signals(VENLO, CROWDED, 3, status="investigating")  # about an address: exact
    add_signals(VENLO, CROWDED, 4, status="closed")  # closed: not counted
    add_signals(VENRAY, RNI, 5)
    add_signals(MAASTRICHT, OVERSTAY, 1, status="investigating")


@pytest.mark.parametrize("role", ["province_admin", "analyst", "coordinator", "member"])
def test_province_roles_read_every_municipality_with_small_person_counts_hidden(
    users, signals, role
):
    overview = counts.overview(users[role], TODAY)
    assert not overview.scoped and overview.protected
    codes = {r.municipality.code for r in overview.rows}
    assert {VENLO, VENRAY, MAASTRICHT, "GM0889"} <= codes  # Beesel: nothing, still a row
    venlo = row_of(overview, VENLO)
    assert not venlo.exact
    assert kind(venlo, OVERSTAY) == counts.Cell(None, "< 5")
    assert kind(venlo, RNI) == counts.Cell(6, "6")
    assert kind(venlo, CROWDED) == counts.Cell(3, "3")
    # The totals per status hold the hidden 2: only what is shown, as a lower bound.
    assert status(venlo, "new") == counts.Cell(None, "≥ 6")
    assert status(venlo, "investigating") == counts.Cell(None, "≥ 3")
    assert kind(row_of(overview, VENRAY), RNI) == counts.Cell(5, "5")
    assert status(row_of(overview, VENRAY), "new") == counts.Cell(5, "5")
    maastricht = row_of(overview, MAASTRICHT)
    assert kind(maastricht, OVERSTAY).text == "< 5"
    assert status(maastricht, "investigating") == counts.Cell(None, "≥ 0")
    # The province total of overstays (3) is small too; the RNI total (11) is exact.
    assert kind(overview.total, OVERSTAY) == counts.Cell(None, "< 5")
    assert kind(overview.total, RNI) == counts.Cell(11, "11")
    assert status(overview.total, "new") == counts.Cell(None, "≥ 11")


def test_a_column_total_over_hidden_cells_is_a_lower_bound(users):
    add_signals(VENLO, OVERSTAY, 4)
    add_signals(VENRAY, OVERSTAY, 3)
    add_signals(MAASTRICHT, OVERSTAY, 5)
    total = counts.overview(users["analyst"], TODAY).total
    assert kind(total, OVERSTAY) == counts.Cell(None, "≥ 5")  # 12, of which 7 hidden


def test_no_hidden_count_can_be_worked_out_from_the_shown_numbers(users, signals):
    """Shown kinds and statuses add up to the same, without the hidden kinds."""
    for row in counts.overview(users["province_admin"], TODAY).rows:
        shown_kinds = sum(c.number for _k, c in row.kind_cells if c.exact)
        if any(not c.exact for c in row.kinds):
            assert all(not c.exact for c in row.statuses)
            assert sum(int(c.text.split()[-1]) for c in row.statuses) == shown_kinds
        else:
            assert sum(c.number for c in row.statuses) == shown_kinds


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("venlo_officer", {VENLO}),
        ("inspector", {VENLO, VENRAY}),
        ("maastricht_officer", {MAASTRICHT}),
    ],
)
def test_officers_and_inspectors_read_their_own_municipalities_exactly(users, signals, role, codes):
    overview = counts.overview(users[role], TODAY)
    assert overview.scoped and not overview.protected
    assert {r.municipality.code for r in overview.rows} == codes
    assert all(r.exact for r in overview.rows)
    if VENLO in codes:
        venlo = row_of(overview, VENLO)
        assert kind(venlo, OVERSTAY) == counts.Cell(2, "2")
        assert status(venlo, "new") == counts.Cell(8, "8")
        assert status(venlo, "investigating") == counts.Cell(3, "3")
    if MAASTRICHT in codes:
        assert kind(row_of(overview, MAASTRICHT), OVERSTAY) == counts.Cell(1, "1")
    # The total is theirs only.
    expected_rni = {VENLO: 6, VENRAY: 5, MAASTRICHT: 0}
    assert kind(overview.total, RNI).number == sum(expected_rni[c] for c in codes)


def test_the_command_line_reads_everything_exactly(users, signals):
    overview = counts.overview(SYSTEM, TODAY)
    assert not overview.protected
    assert kind(row_of(overview, VENLO), OVERSTAY) == counts.Cell(2, "2")
    assert kind(overview.total, OVERSTAY) == counts.Cell(3, "3")


def test_the_small_number_follows_the_setting(users, settings):
    settings.WAARDIG_REGISTER_MIN_COUNT = 3
    add_signals(VENLO, OVERSTAY, 3)
    add_signals(VENRAY, OVERSTAY, 2)
    overview = counts.overview(users["analyst"], TODAY)
    assert kind(row_of(overview, VENLO), OVERSTAY) == counts.Cell(3, "3")
    assert kind(row_of(overview, VENRAY), OVERSTAY) == counts.Cell(None, "< 3")


def finding(check: Check, norm_kind: str = "persons_per_bedroom") -> Finding:
    return Finding.objects.create(
        check_run=check, norm_set_name="Provinciale ondergrens", kind=norm_kind,
        measured=Decimal(2), limit=Decimal(1), severity="high", explanation="fictief",
    )  # fmt: skip


def test_open_findings_are_those_of_the_latest_check_of_each_location_in_use(users, locations):
    venlo, maastricht = locations["venlo"], locations["maastricht"]
    old = Check.objects.create(
        location=venlo, on=datetime.date(2026, 1, 1), source=CheckSource.DESK
    )
    finding(old), finding(old, "living_area_per_person")
    new = Check.objects.create(
        location=venlo, on=datetime.date(2026, 2, 1), source=CheckSource.DESK
    )
    finding(new)
    # A scan for an earlier day, run later, is not the latest check.
    earlier = Check.objects.create(
        location=venlo, on=datetime.date(2025, 12, 1), source=CheckSource.SCAN
    )
    finding(earlier), finding(earlier), finding(earlier)
    ok = Check.objects.create(location=maastricht, on=datetime.date(2026, 2, 1), source="desk")
    assert ok.findings.count() == 0
    finding(Check.objects.create(location=maastricht, on=datetime.date(2026, 1, 1), source="desk"))
    assert counts.open_findings(TODAY) == {venlo.municipality_id: 1}
    overview = counts.overview(users["province_admin"], TODAY)
    assert row_of(overview, VENLO).findings == counts.Cell(1, "1")
    assert overview.total.findings.number == 1


def test_a_closed_location_has_no_open_findings(make_location):
    closed = make_location(VENLO, name="Gesloten", status="closed")
    finding(Check.objects.create(location=closed, on=datetime.date(2026, 2, 1), source="desk"))
    assert counts.open_findings(TODAY) == {}


def test_inspections_this_year_and_enforcement_past_its_deadline(users, locations):
    venlo, maastricht = locations["venlo"], locations["maastricht"]
    for day in (datetime.date(2025, 12, 31), datetime.date(2026, 1, 5), datetime.date(2026, 3, 1)):
        Inspection.objects.create(location=venlo, on=day, outcome="defects", actor="fictief")
    Inspection.objects.create(
        location=maastricht, on=datetime.date(2026, 2, 2), outcome="compliant", actor="fictief"
    )

    def step(location, deadline, completed=None):
        EnforcementStep.objects.create(
            location=location, kind="warning", decided_on=datetime.date(2026, 1, 1),
            deadline=deadline, completed_on=completed, actor="fictief",
        )  # fmt: skip

    step(venlo, datetime.date(2026, 3, 1))  # past, open: counted
    step(venlo, datetime.date(2026, 3, 9))  # past, open: counted
    step(venlo, datetime.date(2026, 3, 10))  # due today: not yet past
    step(venlo, datetime.date(2026, 2, 1), completed=datetime.date(2026, 2, 1))  # done
    step(maastricht, None)  # no deadline
    overview = counts.overview(users["analyst"], TODAY)
    assert row_of(overview, VENLO).inspections == counts.Cell(2, "2")
    assert row_of(overview, MAASTRICHT).inspections == counts.Cell(1, "1")
    assert row_of(overview, VENLO).overdue_steps == counts.Cell(2, "2")
    assert row_of(overview, MAASTRICHT).overdue_steps == counts.Cell(0, "0")
    assert (overview.total.inspections.number, overview.total.overdue_steps.number) == (3, 2)
    assert overview.year == 2026


def test_the_download_holds_the_same_numbers_as_the_page(users, signals):
    client = Client()
    client.force_login(users["coordinator"])
    response = client.get("/export/compliance-counts.json")
    assert response.status_code == 200
    records = {r["CBS-code"]: r for r in json.loads(response.content)}
    overstay = next(k for k in records[VENLO] if "te lang verblijf" in k)
    rni = next(k for k in records[VENLO] if "RNI langer" in k)
    assert records[VENLO][overstay] == "< 5"
    assert records[VENLO][rni] == 6
    assert records[""]["gemeente"] == "Totaal"
    assert "Straat" not in response.content.decode()
