"""The value table: observed figures win, derived ones say so and say how complete they are."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from waardig.areas.models import Municipality, Region
from waardig.core.access import SYSTEM
from waardig.monitor import queries, services
from waardig.monitor.models import Indicator

from .places import BEEKDAELEN, MERGED_INTO_BEEKDAELEN, limburg, municipality, region

pytestmark = pytest.mark.django_db

NOORD = ("GM0889", "GM0893", "GM0907", "GM1507", "GM0944", "GM1894", "GM0983", "GM0984")


def table(indicator: str, level: str, period: str = "2022", stay_class: str = "", actor=SYSTEM):
    rows = queries.value_table(indicator, level, period, stay_class, actor=actor)
    return {row.name: row for row in rows}


def fill(record, indicator: str, codes, period: str = "2022", value=100, **fields) -> None:
    for code in codes:
        record(indicator, municipality(code), period, value, **fields)


def test_a_region_without_its_own_figure_is_derived_and_says_from_what(record):
    fill(record, "working-labour-migrants", NOORD[:-1], source="Decisio")
    record("working-labour-migrants", municipality(NOORD[-1]), "2022", 50, source="CBS")
    noord = table("working-labour-migrants", "admin")["Noord"]
    assert (noord.value, noord.derived, noord.count, noord.expected) == (750, True, 8, 8)
    assert noord.complete and noord.note == "afgeleid uit 8 van 8 gemeenten"
    assert (noord.status, noord.source) == ("definitive", "Decisio; CBS")
    assert noord.code == str(region("admin", "Noord").pk)
    zuid = table("working-labour-migrants", "admin")["Zuid"]
    assert (zuid.value, zuid.derived, zuid.note, zuid.status) == (None, False, "", "")


def test_an_observed_figure_beats_the_derived_one(record):
    fill(record, "working-labour-migrants", NOORD)
    record(
        "working-labour-migrants",
        region("admin", "Noord"),
        "2022",
        812,
        status="provisional",
        source="Decisio",
    )
    noord = table("working-labour-migrants", "admin")["Noord"]
    assert (noord.value, noord.derived, noord.status, noord.source) == (
        812,
        False,
        "provisional",
        "Decisio",
    )
    assert noord.complete and noord.note == "" and noord.count is None
    # The COROP region Noord-Limburg is another area: still derived (Beesel is Midden-Limburg).
    corop = table("working-labour-migrants", "corop")["Noord-Limburg"]
    assert (corop.value, corop.derived, corop.count, corop.expected) == (700, True, 7, 7)


def test_a_total_with_missing_municipalities_is_flagged_incomplete(record):
    fill(record, "registered-rni", NOORD[:5], value=10)
    noord = table("registered-rni", "admin")["Noord"]
    assert (noord.value, noord.count, noord.expected, noord.complete) == (50, 5, 8, False)
    assert noord.note == "afgeleid uit 5 van 8 gemeenten"
    (province,) = table("registered-rni", "province").values()
    assert (province.value, province.count, province.expected) == (50, 5, 31)
    assert not province.complete


def test_a_derived_figure_carries_the_least_certain_status(record):
    fill(record, "open-vacancies", NOORD[:4], status="definitive")
    fill(record, "open-vacancies", NOORD[4:], status="fictitious", source="fictief")
    assert table("open-vacancies", "admin")["Noord"].status == "fictitious"


def test_a_region_rate_is_the_ratio_of_its_totals(record):
    # Venlo registers 10 of 100, Venray 90 of 100, Gennep 300 of 1000: 400 of 1200 in all.
    for code, registered, living in (
        ("GM0983", 10, 100),
        ("GM0984", 90, 100),
        ("GM0907", 300, 1000),
    ):
        record("registered-brp", municipality(code), "2022", registered)
        record("labour-migrants-living", municipality(code), "2022", living)
        # A municipal rate on record must not be averaged into the region's.
        record("registration-rate", municipality(code), "2022", 5)
    noord = table("registration-rate", "admin")["Noord"]
    assert noord.value == Decimal(100) * 400 / 1200
    assert (noord.count, noord.expected, noord.derived) == (3, 8, True)


def test_a_municipal_rate_is_derived_from_its_own_parts_unless_observed(record):
    record("registered-brp", municipality("GM0983"), "2022", 30, status="estimate")
    record("labour-migrants-living", municipality("GM0983"), "2022", 120)
    record("registered-brp", municipality("GM0984"), "2022", 30)
    record("labour-migrants-living", municipality("GM0984"), "2022", 120)
    record("registration-rate", municipality("GM0984"), "2022", "26.5", source="gemeente Venray")
    rows = table("registration-rate", "municipality")
    venlo, venray, gennep = rows["Venlo"], rows["Venray"], rows["Gennep"]
    assert (venlo.value, venlo.derived, venlo.note, venlo.status) == (
        25,
        True,
        "afgeleid",
        "estimate",
    )
    assert (venray.value, venray.derived, venray.source) == (
        Decimal("26.5"),
        False,
        "gemeente Venray",
    )
    assert (gennep.value, gennep.derived) == (None, False)


def test_a_share_by_stay_class_divides_by_the_whole_labour_force(record):
    venlo = municipality("GM0983")
    record("working-labour-migrants", venlo, "2022", 600, stay_class="short")
    record("working-labour-migrants", venlo, "2022", 2000)
    record("labour-force", venlo, "2022", 50000)
    assert table("labour-force-share", "municipality", stay_class="short")[
        "Venlo"
    ].value == Decimal("1.2")
    assert table("labour-force-share", "municipality")["Venlo"].value == 4
    short = table("working-labour-migrants", "admin", stay_class="short")["Noord"]
    assert (short.value, short.count) == (600, 1)


def test_a_weighted_mean_weighs_by_its_weight_indicator(record, catalogue):
    services.save_indicator(
        SYSTEM,
        "average-stay",
        name="Gemiddelde verblijfsduur",
        unit="maanden",
        aggregation="weighted_mean",
        weight=catalogue["labour-migrants-living"],
    )
    catalogue["average-stay"] = queries.indicator(SYSTEM, "average-stay")
    for code, months, living in (("GM0983", 6, 300), ("GM0984", 18, 100)):
        record("average-stay", municipality(code), "2022", months)
        record("labour-migrants-living", municipality(code), "2022", living)
    assert table("average-stay", "admin")["Noord"].value == 9  # (6*300 + 18*100) / 400


def test_municipalities_are_those_of_the_period(record):
    in_2018, in_2022 = (
        table("labour-force", "municipality", "2018"),
        table("labour-force", "municipality"),
    )
    assert len(in_2018) == 33 and len(in_2022) == 31
    assert {"Nuth", "Onderbanken", "Schinnen"} <= set(in_2018) and "Beekdaelen" not in in_2018
    assert "Nuth" not in in_2022 and "Beekdaelen" in in_2022
    # A figure recorded on today's division for an older year is shown, not hidden.
    record("labour-force", municipality(BEEKDAELEN), "2018", 18000)
    assert table("labour-force", "municipality", "2018")["Beekdaelen"].value == 18000


def unlist_merged_municipalities() -> None:
    """Keep region membership on today's municipalities only: the merged ones then belong
    to a region through Beekdaelen alone (the successor rule), not by being listed."""
    Region.municipalities.through.objects.filter(
        municipality__code__in=MERGED_INTO_BEEKDAELEN
    ).delete()
    assert not Region.objects.filter(municipalities__code__in=MERGED_INTO_BEEKDAELEN).exists()
    assert Region.objects.filter(municipalities__code=BEEKDAELEN).count() == 2


@pytest.mark.parametrize("listed", [True, False], ids=["listed", "through-successor"])
def test_a_merged_municipality_counts_for_the_region_of_its_successor(record, listed):
    if not listed:
        unlist_merged_municipalities()
    fill(record, "working-labour-migrants", MERGED_INTO_BEEKDAELEN, "2017", value=7)
    for level, name in (("admin", "Zuid"), ("corop", "Zuid-Limburg")):
        row = table("working-labour-migrants", level, "2017")[name]
        assert (row.value, row.count, row.expected) == (21, 3, 18)
    # A successor's figure for the same year would count them twice: it is left out.
    record("working-labour-migrants", municipality(BEEKDAELEN), "2017", 100)
    assert table("working-labour-migrants", "admin", "2017")["Zuid"].value == 21
    assert table("working-labour-migrants", "admin", "2022")["Zuid"].value is None


def test_a_successor_figure_stands_in_for_the_merged_municipalities(record):
    others = Municipality.objects.exclude(code__in=[*MERGED_INTO_BEEKDAELEN, BEEKDAELEN])
    fill(record, "labour-force", others.values_list("code", flat=True), "2017", value=10)
    record("labour-force", municipality(BEEKDAELEN), "2017", 15)
    (province,) = table("labour-force", "province", "2017").values()
    assert (province.value, province.count, province.expected, province.complete) == (
        315,
        33,
        33,
        True,
    )


def test_a_province_figure_on_record_wins(record):
    fill(record, "labour-force", NOORD)
    record("labour-force", limburg(), "2022", 600000, source="Decisio 2024")
    (province,) = table("labour-force", "province").values()
    assert (province.value, province.derived, province.source) == (600000, False, "Decisio 2024")


def test_quarters_are_read_on_their_own(record):
    fill(record, "open-vacancies", NOORD, "2023-Q2", value=3)
    assert table("open-vacancies", "admin", "2023-Q2")["Noord"].value == 24
    assert table("open-vacancies", "admin", "2023")["Noord"].value is None


def test_unknown_groupings_and_periods_are_refused(catalogue):
    with pytest.raises(ValueError, match="gemeente"):
        queries.value_table("labour-force", "gemeente", "2022", actor=SYSTEM)
    with pytest.raises(ValueError, match="2022-Q5"):
        queries.value_table("labour-force", "admin", "2022-Q5", actor=SYSTEM)


def test_only_the_network_reads_the_figures(record, users):
    fill(record, "labour-force", NOORD)
    member = table("labour-force", "admin", actor=users["member"])["Noord"]
    assert member.value == 800
    with pytest.raises(Indicator.DoesNotExist):
        queries.value_table("labour-force", "admin", "2022", actor=AnonymousUser())
    indicator = queries.indicator(SYSTEM, "labour-force")
    rows = queries.value_table(indicator, "admin", "2022", actor=AnonymousUser())
    assert all(row.value is None for row in rows)


def test_forecasts_do_not_load_municipality_boundaries(areas):
    sql = str(queries.forecasts(SYSTEM).query)
    assert "municipality" in sql and "boundary" not in sql  # GeoJSON: large, never needed
