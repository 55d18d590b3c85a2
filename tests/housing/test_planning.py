"""The planning reads (housing.planning): capacity per status with its weights, Woondeal
progress against realised projects, housing need with readable provenance, and what
deriving need from the monitor would store. Expected figures are worked out by hand."""

from decimal import Decimal

import pytest
from fixtures import MAASTRICHT, VENLO, VENRAY

from waardig.areas.models import Municipality, Region
from waardig.core.access import SYSTEM
from waardig.housing import gap, planning, rules, services
from waardig.housing.models import HousingNeed, NeedMethod, ProjectStatus
from waardig.monitor import services as monitor_services
from waardig.monitor.indicators import load_indicators
from waardig.monitor.models import Indicator

pytestmark = pytest.mark.django_db

NEUTRAL = {}


def place(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def project(code: str, name: str, capacity: int, status: str, year: int, **values):
    saved, _ = services.save_project(
        SYSTEM,
        name=name,
        municipality=place(code),
        capacity=capacity,
        stay_class=values.pop("stay_class", "short"),
        housing_form="flex",
        status=status,
        expected_year=year,
        **values,
    )
    return saved


def agree(code: str, year: int, capacity: int, **values):
    agreement, _ = services.save_agreement(
        SYSTEM, place(code), year, agreed_capacity=capacity, **values
    )
    return agreement


# --- capacity per status ---------------------------------------------------------------------


@pytest.fixture
def planned(areas):
    project(VENLO, "Idee", 100, ProjectStatus.IDEA, 2027)
    project(VENLO, "Vergund A", 50, ProjectStatus.PERMIT, 2026)
    project(MAASTRICHT, "Vergund B", 30, ProjectStatus.PERMIT, 2026, stay_class="long")
    project(MAASTRICHT, "Bouw", 20, ProjectStatus.CONSTRUCTION, 2025)
    project(VENLO, "Vervallen", 200, ProjectStatus.CANCELLED, 2025)
    project(VENRAY, "Klaar", 40, ProjectStatus.REALISED, 2024)


def by_status(lines) -> dict[str, planning.StatusTotal]:
    return {line.status: line for line in lines}


def test_capacity_per_status_is_weighted_with_the_default_weights(planned):
    params = services.current_parameters()
    lines = planning.status_totals(planning.projects(SYSTEM, NEUTRAL), params)
    assert [line.status for line in lines] == list(ProjectStatus.values)  # all, in order
    found = by_status(lines)
    # idea 100 x 10 %; permit (50 + 30) x 60 %; construction 20 x 90 %; the rest count 0.
    assert (found["idea"].count, found["idea"].capacity, found["idea"].weighted) == (
        1,
        100,
        Decimal("10.0"),
    )
    assert (found["permit"].count, found["permit"].capacity) == (2, 80)
    assert found["permit"].weighted == Decimal("48.0")
    assert found["construction"].weighted == Decimal("18.0")
    assert found["cancelled"].capacity == 200 and found["cancelled"].weighted == 0
    assert found["realised"].weighted == 0
    assert found["preparation"].count == 0 and found["preparation"].capacity == 0
    total = planning.planned_total(lines, params)
    assert total.count == 6
    assert total.capacity == 100 + 80 + 20 + 40  # the cancelled 200 left out
    assert total.weighted == Decimal("76.0")


def test_changed_weights_change_the_weighted_total(planned, users):
    weights = {**rules.DEFAULT_WEIGHTS, "permit": Decimal("0.5")}
    services.set_parameters(
        users["province_admin"], short_max_months=4, mid_max_months=24, weights=weights,
        reason="Vergunningen lopen vaker vertraging op",
    )  # fmt: skip
    params = services.current_parameters()
    lines = planning.status_totals(planning.projects(SYSTEM, NEUTRAL), params)
    assert by_status(lines)["permit"].weighted == Decimal("40.0")
    assert planning.planned_total(lines, params).weighted == Decimal("68.0")


def test_projects_filter_by_region_status_stay_class_and_year(planned):
    noord = Region.objects.get(grouping__slug="admin", name="Noord")
    names = lambda filters: {p.name for p in planning.projects(SYSTEM, filters)}  # noqa: E731
    assert names({"region": str(noord.pk)}) == {"Idee", "Vergund A", "Vervallen", "Klaar"}
    assert names({"municipality": MAASTRICHT.lower()}) == {"Vergund B", "Bouw"}
    assert names({"status": "permit"}) == {"Vergund A", "Vergund B"}
    assert names({"stay_class": "long"}) == {"Vergund B"}
    assert names({"year": "2025"}) == {"Bouw", "Vervallen"}
    assert names({"region": str(noord.pk), "status": "permit"}) == {"Vergund A"}


# --- Woondeal --------------------------------------------------------------------------------


@pytest.fixture
def woondeal(areas):
    """Venlo: 100 by 2025, 250 by 2026; realised 40 (2024) and 70 (2026), 30 only in 2027;
    a project under construction never counts. Venray: 60 by 2025, realised 60 (2025).
    Maastricht: 80 by 2025 (fictitious project of 20 realised in 2023)."""
    agree(VENLO, 2025, 100, source="Woondeal Limburg")
    agree(VENLO, 2026, 250)
    agree(VENRAY, 2025, 60)
    agree(MAASTRICHT, 2025, 80)
    project(VENLO, "Flexwoningen Noord", 40, ProjectStatus.REALISED, 2024)
    project(VENLO, "Hotel Centrum", 70, ProjectStatus.REALISED, 2026)
    project(VENLO, "Later", 30, ProjectStatus.REALISED, 2027)
    project(VENLO, "In aanbouw", 500, ProjectStatus.CONSTRUCTION, 2025)
    project(VENRAY, "Venray units", 60, ProjectStatus.REALISED, 2025)
    project(MAASTRICHT, "Demo", 20, ProjectStatus.REALISED, 2023, fictitious=True)


def line_of(lines, code: str, year: int) -> planning.Progress:
    return next(line for line in lines if line.code == code and line.year == year)


def test_woondeal_progress_counts_realised_projects_up_to_the_year(woondeal):
    lines = planning.woondeal_progress(SYSTEM, NEUTRAL)
    assert len(lines) == 4
    venlo_2025 = line_of(lines, VENLO, 2025)
    assert (venlo_2025.agreed, venlo_2025.realised, venlo_2025.difference) == (100, 40, -60)
    assert venlo_2025.percent == Decimal("40.0")
    assert not venlo_2025.fictitious
    venlo_2026 = line_of(lines, VENLO, 2026)
    assert (venlo_2026.agreed, venlo_2026.realised, venlo_2026.difference) == (250, 110, -140)
    assert venlo_2026.percent == Decimal("44.0")
    venray = line_of(lines, VENRAY, 2025)
    assert (venray.realised, venray.difference, venray.percent) == (60, 0, Decimal("100.0"))
    maastricht = line_of(lines, MAASTRICHT, 2025)
    assert (maastricht.realised, maastricht.percent) == (20, Decimal("25.0"))
    assert maastricht.fictitious  # the realised project it counts is fictitious


def test_woondeal_totals_per_region_add_up_the_municipalities_with_an_agreement(woondeal):
    lines = planning.woondeal_progress(SYSTEM, NEUTRAL)
    regions = {(r.name, r.year): r for r in planning.region_progress(lines)}
    assert set(regions) == {("Noord", 2025), ("Noord", 2026), ("Zuid", 2025)}
    noord = regions[("Noord", 2025)]
    assert (noord.agreed, noord.realised, noord.difference) == (160, 100, -60)
    assert noord.percent == Decimal("62.5")
    assert noord.note == "2 van 8 gemeenten met een afspraak"
    assert not noord.fictitious
    assert (regions[("Noord", 2026)].agreed, regions[("Noord", 2026)].realised) == (250, 110)
    zuid = regions[("Zuid", 2025)]
    assert (zuid.agreed, zuid.realised, zuid.fictitious) == (80, 20, True)
    assert zuid.note == "1 van 16 gemeenten met een afspraak"


def test_woondeal_filters_and_an_agreement_of_nothing_has_no_percentage(woondeal):
    lines = planning.woondeal_progress(SYSTEM, {"year": "2026"})
    assert [(line.code, line.year) for line in lines] == [(VENLO, 2026)]
    agree(VENRAY, 2026, 0)
    zero = line_of(planning.woondeal_progress(SYSTEM, {"municipality": VENRAY}), VENRAY, 2026)
    assert zero.percent is None and zero.realised == 60


# --- need and its provenance -----------------------------------------------------------------


def test_derived_parameters_read_as_percentages_and_names(areas):
    params = rules.NeedParameters(
        share_needing_housing=Decimal("0.6"),
        class_shares={"short": Decimal("0.4"), "mid": Decimal("0.33"), "long": Decimal("0.27")},
        persons_per_unit=Decimal("2"),
        household_size=Decimal("1.5"),
    )
    stored = {**params.as_json(), "indicator": "labour-migrants-living", "figure": "4000.0000"}
    text = planning.describe_parameters(stored, {"labour-migrants-living": "Wonend in de regio"})
    assert text == (
        "Wonend in de regio: 4.000; aandeel met huisvestingsbehoefte 60 %; "
        "kort verblijf 40 %, middellang verblijf 33 %, lang verblijf 27 %; "
        "huishoudgrootte lang verblijf 1,5; personen per eenheid 2"
    )
    assert planning.describe_parameters({}) == ""


@pytest.fixture
def figures(areas):
    """labour-migrants-living 2023: Venlo 1000 (fictitious), Maastricht 2000; Venray none."""
    load_indicators()
    indicator = Indicator.objects.get(code=planning.DEFAULT_INDICATOR)
    for code, value, status in ((VENLO, 1000, "fictitious"), (MAASTRICHT, 2000, "estimate")):
        monitor_services.save_observation(
            SYSTEM, indicator=indicator, municipality=place(code), period="2023",
            value=Decimal(value), status=status, source="Demo",
        )  # fmt: skip
    return indicator


def test_the_preview_derives_per_class_and_keeps_research(figures):
    services.save_need(
        SYSTEM, place(MAASTRICHT), 2023, "short", persons=123, method=NeedMethod.RESEARCH,
        source="Onderzoek",
    )  # fmt: skip
    rows = planning.monitor_figures(SYSTEM, figures, 2023)
    assert {row.code: row.value for row in rows} == {VENLO: 1000, MAASTRICHT: 2000}
    params = rules.NeedParameters(
        share_needing_housing=Decimal("0.5"),
        class_shares={"short": Decimal("0.5"), "mid": Decimal("0.3"), "long": Decimal("0.2")},
        household_size=Decimal("2"),
    )
    lines = {line.figure.code: line for line in planning.derive_preview(SYSTEM, rows, 2023, params)}
    venlo = lines[VENLO]
    # 1000 x 50 % = 500 workers: 250 short, 150 mid, 100 long x household 2 = 200.
    assert venlo.persons == {"short": 250, "mid": 150, "long": 200}
    assert venlo.total == 600 and venlo.fictitious and not venlo.kept
    assert lines[MAASTRICHT].kept == {"short"}
    assert lines[MAASTRICHT].cells()[0] == (500, True)
    assert HousingNeed.objects.filter(method=NeedMethod.DERIVED).count() == 0  # only a preview


def test_need_is_listed_newest_year_first_then_by_municipality_and_class(areas):
    for code, year, stay_class in (
        (VENLO, 2023, "long"), (VENLO, 2023, "short"), (MAASTRICHT, 2024, "mid"),
        (MAASTRICHT, 2023, "mid"),
    ):  # fmt: skip
        services.save_need(
            SYSTEM, place(code), year, stay_class, persons=10, method=NeedMethod.RESEARCH
        )
    found = [(n.municipality.code, n.year, n.stay_class) for n in planning.need(SYSTEM, {})]
    assert found == [
        (MAASTRICHT, 2024, "mid"),
        (MAASTRICHT, 2023, "mid"),
        (VENLO, 2023, "short"),
        (VENLO, 2023, "long"),
    ]
    assert gap.need_years(SYSTEM) == [2024, 2023]
    assert [n.year for n in planning.need(SYSTEM, {"year": "2024"})] == [2024]
