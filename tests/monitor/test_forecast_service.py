"""make_forecasts: a forecast for the province and each of today's municipalities, stored
under one name, from the figures as the monitor reads them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from waardig.monitor import forecasting, queries
from waardig.monitor.models import Forecast
from waardig.monitor.services import make_forecasts

from .places import BEEKDAELEN, MERGED_INTO_BEEKDAELEN, limburg, municipality

pytestmark = pytest.mark.django_db

WORKING = "working-labour-migrants"
TODAY = datetime.date(2026, 1, 1)
TARGET = 2030
LOW, HIGH = Decimal(96000), Decimal(112000)
# 2022 per municipality valid today; 2017 for Beekdaelen's predecessors instead of itself.
FIGURES_2022 = {"GM0983": 30000, "GM0935": 20000, BEEKDAELEN: 5000, "GM0984": 9000}
FIGURES_2017 = {"GM0983": 14000, "GM0935": 11000, "GM0984": 4000}
PREDECESSORS_2017 = dict(zip(MERGED_INTO_BEEKDAELEN, (900, 700, 1100), strict=True))


@pytest.fixture
def figures(record) -> None:
    for code, value in FIGURES_2022.items():
        record(WORKING, municipality(code), "2022", value)
    for code, value in (FIGURES_2017 | PREDECESSORS_2017).items():
        record(WORKING, municipality(code), "2017", value)
    record(WORKING, limburg(), "2022", sum(FIGURES_2022.values()))
    record(WORKING, limburg(), "2017", sum((FIGURES_2017 | PREDECESSORS_2017).values()))


def make(actor, catalogue, method, base_years, name="Prognose", **extra) -> list[Forecast]:
    return make_forecasts(
        actor, catalogue[WORKING], name, method, TARGET, base_years=base_years, today=TODAY, **extra
    )


def triple(point: dict) -> tuple[Decimal, Decimal, Decimal]:
    return Decimal(point["low"]), Decimal(point["central"]), Decimal(point["high"])


def test_a_scenario_meets_its_bounds_and_is_shared_out_by_the_last_base_year(
    figures, catalogue, users
):
    make(users["analyst"], catalogue, forecasting.SCENARIO, [2022], low=LOW, high=HIGH)
    province = Forecast.objects.get(province=limburg())
    assert province.method == forecasting.SCENARIO
    assert province.target_year == TARGET
    assert [p["year"] for p in province.points] == list(range(2023, TARGET + 1))
    assert triple(province.points[-1]) == (LOW, (LOW + HIGH) / 2, HIGH)
    for forecast in Forecast.objects.all():
        for point in forecast.points:
            low, central, high = triple(point)
            assert low <= central <= high, (forecast.area, point)

    shared = Forecast.objects.filter(municipality__isnull=False).select_related("municipality")
    assert {f.municipality.code for f in shared} == set(FIGURES_2022)
    total = Decimal(sum(FIGURES_2022.values()))
    for forecast in shared:
        assert forecast.method == forecasting.SCENARIO
        share = Decimal(forecast.parameters["share"])
        assert share == Decimal(FIGURES_2022[forecast.municipality.code]) / total
        assert forecast.parameters["low"] == str(LOW)
    for index, point in enumerate(province.points):
        parts = [triple(forecast.points[index]) for forecast in shared]
        assert all(forecast.points[index]["year"] == point["year"] for forecast in shared)
        assert tuple(sum(values) for values in zip(*parts, strict=True)) == triple(point)


def test_the_predecessors_of_a_merged_municipality_count_for_it(figures, catalogue, users):
    series = queries.series_on_todays_division(
        users["analyst"], catalogue[WORKING], [2017, 2022], TODAY
    )
    assert series[BEEKDAELEN] == {
        2017: sum(PREDECESSORS_2017.values()),
        2022: FIGURES_2022[BEEKDAELEN],
    }
    assert not set(MERGED_INTO_BEEKDAELEN) & set(series)

    make(users["analyst"], catalogue, forecasting.CAGR, [2017, 2022])
    stored = Forecast.objects.get(municipality__code=BEEKDAELEN)
    expected = forecasting.compound_growth(series[BEEKDAELEN], [2017, 2022], TARGET)
    assert stored.method == forecasting.CAGR
    assert stored.parameters == expected.parameters
    assert set(stored.parameters) >= {"base_years", "rate", "low_rate", "high_rate"}
    assert stored.points == Forecast.stored_points(expected)
    assert not Forecast.objects.filter(municipality__code__in=MERGED_INTO_BEEKDAELEN).exists()


def test_a_linear_trend_stores_its_parameters(figures, catalogue, users):
    made = make(users["analyst"], catalogue, forecasting.LINEAR, [2017, 2022])
    assert len(made) == 1 + len(FIGURES_2022)
    venlo = Forecast.objects.get(municipality__code="GM0983")
    series = {2017: Decimal(FIGURES_2017["GM0983"]), 2022: Decimal(FIGURES_2022["GM0983"])}
    expected = forecasting.linear_trend(series, [2017, 2022], TARGET)
    assert venlo.method == forecasting.LINEAR
    assert venlo.parameters == expected.parameters
    assert set(venlo.parameters) >= {"base_years", "slope", "intercept", "residual_sd"}
    assert venlo.points == Forecast.stored_points(expected)
    assert venlo.made_by


def test_making_a_forecast_of_the_same_name_again_replaces_it(figures, catalogue, users):
    analyst = users["analyst"]
    make(analyst, catalogue, forecasting.SCENARIO, [2022], low=LOW, high=HIGH)
    make(analyst, catalogue, forecasting.CAGR, [2017, 2022], name="Andere")
    count = Forecast.objects.count()
    assert count == 2 * (1 + len(FIGURES_2022))
    make(analyst, catalogue, forecasting.SCENARIO, [2022], low=LOW + 1000, high=HIGH + 1000)
    assert Forecast.objects.count() == count
    province = Forecast.objects.get(province=limburg(), name="Prognose")
    assert triple(province.points[-1])[0] == LOW + 1000
    assert Forecast.objects.filter(name="Andere").count() == 1 + len(FIGURES_2022)


def test_a_ratio_gets_no_forecast(figures, catalogue, users):
    with pytest.raises(ValidationError) as caught:
        make_forecasts(
            users["analyst"],
            catalogue["labour-force-share"],
            "Aandeel",
            forecasting.CAGR,
            TARGET,
            base_years=[2017, 2022],
            today=TODAY,
        )
    assert "Alleen aantallen" in caught.value.messages[0]
    assert not Forecast.objects.exists()


def test_a_missing_base_year_value_is_named(figures, catalogue, users, record):
    record(WORKING, municipality("GM0888"), "2022", 100)  # Beek: nothing in 2017
    with pytest.raises(ValidationError) as caught:
        make(users["analyst"], catalogue, forecasting.CAGR, [2017, 2022])
    assert caught.value.messages == ["GM0888: Geen waarde voor basisjaar 2017."]
    assert not Forecast.objects.exists()


def test_a_municipality_officer_may_not_make_forecasts(figures, catalogue, users):
    with pytest.raises(PermissionDenied):
        make(users["venlo_officer"], catalogue, forecasting.SCENARIO, [2022], low=LOW, high=HIGH)
    assert not Forecast.objects.exists()


def test_a_regions_forecast_is_the_sum_of_its_municipalities(catalogue, record):
    """The dashboard shows a region's range as the sum of its members' stored ranges."""
    from waardig.areas.models import Municipality
    from waardig.core.access import SYSTEM as actor
    from waardig.monitor import dashboard

    from .places import region

    D = Decimal

    current = Municipality.objects.valid_on(datetime.date.today())
    for number, member in enumerate(current):
        record("working-labour-migrants", member, "2022", 100 + 10 * number)
    record("working-labour-migrants", limburg(), "2022", 90000)
    indicator = catalogue["working-labour-migrants"]
    make_forecasts(
        actor, indicator, "S", "scenario", 2030, base_years=[2022], low=D(96000), high=D(112000)
    )
    rows = dashboard.region_rows(actor, indicator, 2022, "corop")
    found = dashboard.region_forecasts(actor, indicator, rows)
    for name in ("Noord-Limburg", "Zuid-Limburg"):  # Zuid-Limburg holds merged municipalities
        area = region("corop", name)
        members = set(area.municipalities.filter(pk__in=current).values_list("pk", flat=True))
        assert area.municipalities.count() >= len(members) > 0
        stored = [f.points[-1] for f in Forecast.objects.filter(name="S", municipality__in=members)]
        (summed,) = found[area.pk]
        assert summed.year == 2030 and summed.count == summed.expected == len(members)
        assert summed.low == sum(D(p["low"]) for p in stored)
        assert summed.high == sum(D(p["high"]) for p in stored)
    merged = region("corop", "Zuid-Limburg").municipalities.exclude(pk__in=current)
    assert merged.exists()  # the case the count must leave out
