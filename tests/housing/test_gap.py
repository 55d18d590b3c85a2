"""The gap per municipality, region and province (housing.gap), computed by hand from a small
register: need - existing - weighted planned adds up, certificates count by their date, a
closed location does not count, and an unknown need stays unknown (never 0)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from fixtures import VENLO, VENRAY

from waardig.areas.models import Grouping, Municipality, Region
from waardig.core.access import SYSTEM
from waardig.core.numbers import parse_year
from waardig.housing import gap, services

pytestmark = pytest.mark.django_db

YEAR = 2025
REFERENCE = datetime.date(2025, 12, 31)  # the end of a past year
TODAY = datetime.date(2026, 6, 1)
BEESEL, NUTH, BEEKDAELEN = "GM0889", "GM0951", "GM1954"
WEIGHTS = {
    "idea": Decimal("0.1"),
    "preparation": Decimal("0.3"),
    "permit": Decimal("0.5"),  # not the default 0.6: the current parameters must be used
    "construction": Decimal("0.9"),
    "realised": Decimal("0"),
    "cancelled": Decimal("0"),
}


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def need(code: str, stay_class: str, persons: int, year: int = YEAR, **extra) -> None:
    services.save_need(
        SYSTEM,
        municipality(code),
        year,
        stay_class,
        persons=persons,
        method="research",
        source=extra.pop("source", "Onderzoek huisvesting (test)"),
        **extra,
    )


def project(code: str, name: str, capacity: int, status: str, year: int, **extra) -> None:
    services.save_project(
        SYSTEM,
        name=name,
        municipality=municipality(code),
        capacity=capacity,
        stay_class=extra.pop("stay_class", "short"),
        housing_form="flex",
        status=status,
        expected_year=year,
        **extra,
    )


@pytest.fixture
def register(areas, make_location):
    """Venlo and Venray with need, locations and projects (see the expectations below)."""
    services.set_parameters(
        SYSTEM, short_max_months=4, mid_max_months=24, weights=WEIGHTS, reason="test"
    )
    for stay_class, persons in (("short", 100), ("mid", 40), ("long", 20)):
        need(VENLO, stay_class, persons)
    for stay_class, persons in (("short", 50), ("mid", 10), ("long", 5)):
        need(VENRAY, stay_class, persons)
    snf = {"certification": "snf", "certificate_number": "SNF-1"}
    # Venlo, short stay: certified on the last day of its certificate, which is 31 December.
    make_location(VENLO, name="A", capacity=30, certificate_valid_until=REFERENCE, **snf)
    make_location(
        VENLO, name="B", capacity=12, certificate_valid_until=datetime.date(2025, 12, 30), **snf
    )  # expired the day before: uncertified
    closed = make_location(VENLO, name="C", capacity=25)
    services.change_location_status(SYSTEM, closed, "closed", datetime.date(2025, 6, 1))
    later_closed = make_location(VENLO, name="G", capacity=9)  # closed after the reference date
    services.change_location_status(SYSTEM, later_closed, "closed", datetime.date(2026, 3, 1))
    make_location(VENLO, name="E", capacity=50, status="planned")  # never in use
    opened_later = make_location(VENLO, name="F", capacity=7, status="planned")
    services.change_location_status(SYSTEM, opened_later, "in_use", datetime.date(2026, 2, 1))
    make_location(VENLO, name="D", capacity=10, stay_class="mid")
    # Venray: an AKF certificate without an end date counts as valid.
    make_location(
        VENRAY,
        name="H",
        capacity=60,
        certification="akf",
        certificate_number="AKF-1",
        postcode="5801 AA",
    )
    project(VENLO, "P1", 20, "permit", 2025)
    project(VENLO, "P2", 10, "idea", 2024)  # late, still planned
    project(VENLO, "P3", 100, "construction", 2026)  # after the year: not counted
    project(VENLO, "P4", 40, "realised", 2025)  # a location by now: not counted again
    project(VENLO, "P5", 5, "cancelled", 2025)
    project(VENLO, "P6", 8, "preparation", 2025, stay_class="long")
    project(VENRAY, "Q1", 30, "preparation", 2025)


# What the register above must give, by hand.
VENLO_SHORT = {
    "need": 100,
    "certified": 30,
    "uncertified": 12 + 9,
    "planned": 20 * WEIGHTS["permit"] + 10 * WEIGHTS["idea"],
    "planned_unweighted": 20 + 10,
}
VENLO_ALL = {
    "need": 100 + 40 + 20,
    "certified": 30,
    "uncertified": 12 + 9 + 10,
    "planned": VENLO_SHORT["planned"] + 8 * WEIGHTS["preparation"],
    "planned_unweighted": 20 + 10 + 8,
}
VENRAY_SHORT = {
    "need": 50,
    "certified": 60,
    "uncertified": 0,
    "planned": 30 * WEIGHTS["preparation"],
    "planned_unweighted": 30,
}


def shortage(figures: dict) -> Decimal:
    return figures["need"] - figures["certified"] - figures["uncertified"] - figures["planned"]


def assert_figures(row: gap.AreaGap, figures: dict) -> None:
    shown = {key: getattr(row, key) for key in figures}
    assert shown == figures
    assert row.shortage == shortage(figures)


@pytest.fixture
def pair(areas) -> Grouping:
    """A grouping with one region of exactly Venlo and Venray, to add up by hand."""
    grouping = Grouping.objects.create(
        province=municipality(VENLO).province, slug="pair", name="Paar"
    )
    region = Region.objects.create(grouping=grouping, name="Venlo en Venray")
    region.municipalities.set([municipality(VENLO), municipality(VENRAY)])
    return grouping


def find(analysis: gap.GapAnalysis, name: str) -> gap.RegionGap:
    return next(r for r in analysis.regions if r.region.name == name)


def test_a_municipality_and_its_region_add_up(register, pair):
    analysis = gap.gap_analysis(SYSTEM, YEAR, "pair", "short", today=TODAY)
    assert analysis.reference_date == REFERENCE
    region = find(analysis, "Venlo en Venray")
    venlo, venray = region.municipalities
    assert (venlo.code, venray.code) == (VENLO, VENRAY)
    assert_figures(venlo, VENLO_SHORT)
    assert venlo.shortage == 100 - (30 + 21) - (10 + 1) > 0  # a shortage
    assert venlo.balance == "tekort"
    assert_figures(venray, VENRAY_SHORT)
    assert venray.shortage < 0 and venray.balance == "overschot"
    both = {key: VENLO_SHORT[key] + VENRAY_SHORT[key] for key in VENLO_SHORT}
    assert_figures(region.region, both)
    assert region.region.shortage == venlo.shortage + venray.shortage
    assert (region.region.known, region.region.expected) == (2, 2)


def test_all_stay_classes_together_add_up_the_classes(register, pair):
    analyses = gap.gap_analyses(SYSTEM, YEAR, "pair", gap.STAY_CHOICES, today=TODAY)
    venlo = find(analyses[gap.ALL], "Venlo en Venray").municipalities[0]
    assert_figures(venlo, VENLO_ALL)
    per_class = [
        find(analyses[c], "Venlo en Venray").municipalities[0] for c in gap.STAY_CHOICES[1:]
    ]
    assert venlo.shortage == sum(m.shortage for m in per_class)
    mid = per_class[1]
    assert (mid.need, mid.uncertified, mid.planned) == (40, 10, 0)


def test_the_current_year_counts_capacity_in_use_today(register, pair):
    today = datetime.date(2026, 11, 22)
    analysis = gap.gap_analysis(SYSTEM, 2026, "pair", "short", today=today)
    assert analysis.reference_date == today
    venlo = find(analysis, "Venlo en Venray").municipalities[0]
    # G closed in March 2026, F opened in February 2026, A's certificate ran out at the end
    # of 2025; P3 (construction) is due in 2026.
    assert venlo.certified == 0
    assert venlo.uncertified == 30 + 12 + 7
    assert venlo.planned_unweighted == 20 + 10 + 100
    assert venlo.need is None  # no need figures for 2026: unknown, not 0
    assert venlo.shortage is None


def test_a_municipality_without_need_is_unknown_and_so_is_its_region(register):
    analysis = gap.gap_analysis(SYSTEM, YEAR, "admin", gap.ALL, today=TODAY)
    noord = find(analysis, "Noord")
    by_code = {m.code: m for m in noord.municipalities}
    assert len(by_code) == 8
    beesel = by_code[BEESEL]
    assert beesel.need is None and beesel.shortage is None
    assert beesel.balance == "onbekend"
    assert beesel in analysis.unknown
    region = noord.region
    assert region.need is None and region.shortage is None
    assert (region.known, region.expected) == (2, 8)
    assert region.partial_need == VENLO_ALL["need"] + 50 + 10 + 5
    assert "2 van 8" in region.note
    # Capacities still add up where the need is unknown.
    assert region.existing == sum(m.existing for m in noord.municipalities)
    province = analysis.provinces[0]
    assert province.need is None and province.expected == 31


def test_a_missing_stay_class_makes_the_total_unknown_but_not_the_other_classes(register):
    need(BEESEL, "short", 12)
    analyses = gap.gap_analyses(SYSTEM, YEAR, "admin", (gap.ALL, "short"), today=TODAY)
    beesel = {m.code: m for m in analyses[gap.ALL].municipalities}[BEESEL]
    assert beesel.need is None and beesel.missing_classes == ("mid", "long")
    assert beesel.partial_need == 12
    short = {m.code: m for m in analyses["short"].municipalities}[BEESEL]
    assert short.need == 12 and short.shortage == 12


def test_corop_and_admin_put_beesel_in_different_regions(register, make_location):
    make_location(BEESEL, name="Beesel", capacity=11, postcode="5954 AA")
    admin = gap.gap_analysis(SYSTEM, YEAR, "admin", today=TODAY)
    corop = gap.gap_analysis(SYSTEM, YEAR, "corop", today=TODAY)

    def region_of(analysis: gap.GapAnalysis, code: str) -> gap.RegionGap:
        return next(r for r in analysis.regions if code in {m.code for m in r.municipalities})

    assert region_of(admin, BEESEL).region.name == "Noord"
    assert region_of(corop, BEESEL).region.name == "Midden-Limburg"
    assert region_of(admin, VENLO).region.name == "Noord"
    assert region_of(corop, VENLO).region.name == "Noord-Limburg"
    admin_noord = region_of(admin, BEESEL).region
    corop_noord = region_of(corop, VENLO).region
    assert admin_noord.existing - corop_noord.existing == 11  # Beesel's location moved
    assert admin.provinces[0].existing == corop.provinces[0].existing


def test_a_merged_municipality_counts_for_its_successor(areas, make_location):
    make_location(NUTH, name="Oud", capacity=14, postcode="6361 AA")
    analysis = gap.gap_analysis(SYSTEM, YEAR, "admin", today=TODAY)
    codes = {m.code for m in analysis.municipalities}
    assert NUTH not in codes and BEEKDAELEN in codes and len(codes) == 31
    beekdaelen = {m.code: m for m in analysis.municipalities}[BEEKDAELEN]
    assert beekdaelen.uncertified == 14


def test_fictitious_figures_are_marked_up_to_the_province(register, make_location):
    analysis = gap.gap_analysis(SYSTEM, YEAR, "admin", today=TODAY)
    assert not analysis.fictitious
    make_location(VENRAY, name="Demo", capacity=5, postcode="5801 AB", fictitious=True)
    need("GM0935", "short", 7, status="fictitious")  # Maastricht
    analysis = gap.gap_analysis(SYSTEM, YEAR, "admin", today=TODAY)
    marked = {m.code for m in analysis.municipalities if m.fictitious}
    assert marked == {VENRAY, "GM0935"}
    assert {r.region.name for r in analysis.regions if r.region.fictitious} == {"Noord", "Zuid"}
    assert analysis.fictitious and analysis.provinces[0].fictitious


def test_sources_name_where_the_need_came_from(register):
    need("GM0935", "short", 7, source="Ander onderzoek", publication="Rapport 2025")
    analysis = gap.gap_analysis(SYSTEM, YEAR, "admin", today=TODAY)
    sources = {(s.source, s.publication): s.municipalities for s in analysis.sources}
    assert sources == {
        ("Onderzoek huisvesting (test)", ""): 2,
        ("Ander onderzoek", "Rapport 2025"): 1,
    }


def test_the_gap_takes_a_few_queries_whatever_the_number_of_municipalities(
    register, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        analyses = gap.gap_analyses(SYSTEM, YEAR, "admin", gap.STAY_CHOICES, today=TODAY)
    assert len(analyses[gap.ALL].municipalities) == 31


def test_options_are_checked(areas):
    assert parse_year("2026") == 2026
    assert gap.parse_grouping("") == "admin" and gap.parse_grouping("corop") == "corop"
    assert gap.parse_stay_class("") == gap.ALL
    for parse, value in (
        (parse_year, "twintig"),
        (parse_year, "1890"),
        (gap.parse_grouping, "cbs"),
        (gap.parse_stay_class, "week"),
    ):
        with pytest.raises(ValidationError):
            parse(value)


def test_the_default_year_is_the_latest_with_need(areas):
    assert gap.default_year(SYSTEM, today=TODAY) == TODAY.year
    need(VENLO, "short", 1, year=2023)
    need(VENLO, "short", 1, year=2027)
    assert gap.default_year(SYSTEM, today=TODAY) == 2027


def test_expired_temporary_permits_and_realised_projects_are_not_counted(areas, make_location):
    need(VENLO, "short", 100)
    reference = datetime.date(YEAR, 12, 31)
    make_location(VENLO, name="Vergund", capacity=30, house_number=1,
                  temporary_permit_until=reference)  # fmt: skip
    make_location(VENLO, name="Verlopen", capacity=40, house_number=2,
                  temporary_permit_until=reference - datetime.timedelta(days=1))  # fmt: skip
    make_location(VENLO, name="Gesloopt", capacity=50, house_number=3,
                  temporary_building_until=datetime.date(YEAR, 6, 30))  # fmt: skip
    opened = make_location(VENLO, name="Nieuwbouw", capacity=60, house_number=4)
    project(VENLO, "Nieuwbouw", 60, "construction", YEAR, location=opened)
    project(VENLO, "Later", 10, "permit", YEAR)
    venlo = next(
        m
        for r in gap.gap_analysis(SYSTEM, YEAR, "admin", "short").regions
        for m in r.municipalities
        if m.code == VENLO
    )
    assert venlo.existing == 30 + 60  # the expired permit and the demolished building are out
    assert venlo.planned_unweighted == 10  # the project in use is existing capacity now
    assert venlo.shortage == Decimal(100) - 90 - venlo.planned


def test_a_merged_municipalitys_need_is_known_only_from_all_its_parts(areas):
    nuth, onderbanken, schinnen = NUTH, "GM0881", "GM0962"

    def beekdaelen(year: int) -> gap.AreaGap:
        found = gap.gap_analysis(SYSTEM, year, "admin", "short", today=TODAY).municipalities
        return {m.code: m for m in found}[BEEKDAELEN]

    need(nuth, "short", 10, year=2017)
    assert beekdaelen(2017).need is None  # Nuth alone is not Beekdaelen
    need(onderbanken, "short", 20, year=2017)
    need(schinnen, "short", 30, year=2017)
    assert beekdaelen(2017).need == 60
    need(BEEKDAELEN, "short", 70, year=2020)
    assert beekdaelen(2020).need == 70
