"""The demo monitor figures: real province figures with their sources, fictitious municipal
series that add up to them, for the municipalities of each year, loaded idempotently."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest

from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.monitor import demo, queries, rules
from waardig.monitor.demo import BRP, LABOUR_FORCE, LIVING, RNI, WORKING
from waardig.monitor.models import Observation

from .places import BEEKDAELEN, MERGED_INTO_BEEKDAELEN

pytestmark = pytest.mark.django_db

DECISIO_2024 = "Decisio (2024), in Integrale Aanpak Arbeidsmigratie Limburg 2025-2027"
PROVINCE_FIGURES = {  # (indicator, period): (value, source); all study estimates
    (WORKING, "2017"): (39860, DECISIO_2024),
    (WORKING, "2022"): (82895, DECISIO_2024),
    (LABOUR_FORCE, "2022"): (600000, DECISIO_2024),
    ("open-vacancies", "2022"): (30000, DECISIO_2024),
}
GENERATED = (WORKING, LIVING, BRP, RNI, LABOUR_FORCE)
YEARS = range(2017, 2025)


def municipal_totals() -> dict[tuple[str, int], Decimal]:
    """The stored municipal values added up per indicator and year (all stays together)."""
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for code, year, value in Observation.objects.filter(
        municipality__isnull=False, stay_class=""
    ).values_list("indicator__code", "year", "value"):
        totals[code, year] += value
    return totals


def snapshot() -> list[tuple]:
    return list(
        Observation.objects.order_by("pk").values_list(
            "pk",
            "indicator__code",
            "municipality__code",
            "province__code",
            "period",
            "stay_class",
            "value",
            "status",
            "source",
            "publication",
            "retrieved_on",
        )
    )


def by_key(figures) -> dict[tuple[str, str, int, str], int]:
    keyed = {(f.indicator, f.municipality, f.year, f.stay_class): f.value for f in figures}
    assert len(keyed) == len(figures), "a generated figure is given twice"
    return keyed


def test_municipal_figures_add_up_to_the_real_province_totals(catalogue):
    demo.load_monitor_figures()
    totals = municipal_totals()
    assert totals[WORKING, 2017] == 39860
    assert totals[WORKING, 2022] == 82895
    assert totals[LABOUR_FORCE, 2022] == 600000
    # Growth in between and after, ~5 % a year after 2022.
    working = [totals[WORKING, year] for year in YEARS]
    assert working == sorted(working)
    assert Decimal("1.03") < totals[WORKING, 2024] / totals[WORKING, 2023] < Decimal("1.07")
    for period in ("2017", "2022"):
        regions = queries.value_table(WORKING, "corop", period, actor=SYSTEM)
        assert len(regions) == 3 and all(row.derived and row.complete for row in regions)
        assert sum(row.value for row in regions) == totals[WORKING, int(period)]
        (province,) = queries.value_table(WORKING, "province", period, actor=SYSTEM)
        assert (province.value, province.derived) == (totals[WORKING, int(period)], False)
    regions = queries.value_table(LABOUR_FORCE, "admin", "2022", actor=SYSTEM)
    assert sum(row.value for row in regions) == 600000


def test_real_figures_carry_their_source_and_invented_ones_say_fictief(catalogue):
    demo.load_monitor_figures()
    province = Observation.objects.filter(province__isnull=False)
    assert {(o.indicator.code, o.period): (o.value, o.source) for o in province} == PROVINCE_FIGURES
    assert {o.status for o in province} == {rules.ESTIMATE}
    assert all(o.publication for o in province)
    municipal = Observation.objects.filter(municipality__isnull=False)
    assert not Observation.objects.filter(region__isnull=False).exists()
    assert {(o.status, o.source) for o in municipal} == {
        (rules.FICTITIOUS, "Waardig demo (fictief)")
    }
    assert all(o.publication.startswith("Fictief") for o in municipal)
    stored = {
        (o.indicator.code, o.municipality.code, o.year, o.stay_class): o.value
        for o in municipal.select_related("indicator", "municipality")
    }
    assert stored == by_key(demo.generated_figures())


def test_a_second_load_changes_nothing(catalogue):
    first = demo.load_monitor_figures()
    before = snapshot()
    assert first == {"created": len(before)}
    second = demo.load_monitor_figures()
    assert second == {"unchanged": len(before)}
    assert snapshot() == before


def test_the_municipalities_are_those_valid_on_1_january(areas):
    codes = defaultdict(set)
    for figure in demo.generated_figures():
        codes[figure.indicator, figure.year].add(figure.municipality)
    for year in YEARS:
        valid = set(
            Municipality.objects.valid_on(datetime.date(year, 1, 1)).values_list("code", flat=True)
        )
        for indicator in GENERATED:
            assert codes[indicator, year] == valid, (indicator, year)
    for year in (2017, 2018):
        assert set(MERGED_INTO_BEEKDAELEN) <= codes[WORKING, year]
        assert BEEKDAELEN not in codes[WORKING, year]
    for year in range(2019, 2025):
        assert BEEKDAELEN in codes[WORKING, year]
        assert not set(MERGED_INTO_BEEKDAELEN) & codes[WORKING, year]


def test_living_within_working_and_registered_within_living(areas):
    figures = by_key(demo.generated_figures())
    totals = defaultdict(int)
    for (indicator, code, year, stay), value in figures.items():
        if stay:
            continue
        assert value > 0, (indicator, code, year)
        totals[indicator] += value
        if indicator == WORKING:
            living = figures[LIVING, code, year, ""]
            assert living <= value, (code, year)
            assert figures[BRP, code, year, ""] + figures[RNI, code, year, ""] <= living
    # The proportions the demo promises: living ~80 % of working, BRP ~45 %, RNI ~30 %.
    assert 0.7 < totals[LIVING] / totals[WORKING] < 0.9
    assert 0.35 < totals[BRP] / totals[LIVING] < 0.55
    assert 0.2 < totals[RNI] / totals[LIVING] < 0.35


def test_stay_classes_add_up_to_the_total_in_2022(areas):
    figures = by_key(demo.generated_figures())
    split = {key: value for key, value in figures.items() if key[3]}
    assert {(indicator, year) for indicator, _, year, _ in split} == {(WORKING, 2022)}
    codes = {code for _, code, _, _ in split}
    assert codes == {code for indicator, code, year, stay in figures if year == 2022 and not stay}
    for code in codes:
        parts = [figures[WORKING, code, 2022, stay] for stay in rules.STAY_CLASSES]
        assert sum(parts) == figures[WORKING, code, 2022, ""], code
        assert all(part > 0 for part in parts), code


def test_the_figures_do_not_depend_on_the_order_of_the_municipalities(areas):
    data = demo.read_data()
    first = demo.generated_figures(data)
    settings = data["fictitious"]
    codes = defaultdict(list)
    for figure in first:
        if figure.indicator == WORKING and not figure.stay_class:
            codes[figure.year].append(figure.municipality)
    reversed_codes = {year: list(reversed(listed)) for year, listed in codes.items()}
    again = demo.municipal_figures(settings, reversed_codes, demo.anchors(data["observed"]))
    assert by_key(again) == by_key(first)


def test_apportion_gives_the_total_exactly_by_largest_remainder():
    assert demo.apportion(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert demo.apportion(100, {"a": 0.555, "b": 0.445}) == {"a": 56, "b": 44}
    assert demo.apportion(7, {"a": 0.34, "b": 0.33, "c": 0.33}) == {"a": 3, "b": 2, "c": 2}
    shares = demo.apportion(82895, {str(i): 1 + i / 7 for i in range(31)})
    assert sum(shares.values()) == 82895


def test_series_totals_meet_every_anchor_and_follow_the_growth_outside_them():
    years = range(2017, 2025)
    growth = {str(year): 0.1 for year in years[1:]}
    totals = demo.series_totals(years, growth, {2017: 1000, 2022: 2000})
    assert (totals[2017], totals[2022]) == (1000, 2000)
    assert totals[2018] == round(1000 * 2 ** (1 / 5))  # evenly scaled to meet the anchor
    assert (totals[2023], totals[2024]) == (2200, 2420)
    only_later = demo.series_totals(years, growth, {2022: 2000})
    assert only_later[2021] == round(2000 / 1.1)
