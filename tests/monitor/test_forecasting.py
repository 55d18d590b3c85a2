"""Forecasts on plain values: hand-computed cases, the range around central, shares out."""

import json
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waardig.monitor.forecasting import (
    CAGR,
    LINEAR,
    SCENARIO,
    ForecastError,
    Path,
    Point,
    compound_growth,
    distribute,
    linear_trend,
    scenario_bounds,
    shares,
)

D = Decimal
LIMBURG = {2017: D(39860), 2022: D(82895)}  # working labour migrants, Decisio study 2024


def by_year(path: Path) -> dict[int, Point]:
    return {point.year: point for point in path.points}


def assert_well_formed(path: Path, first_year: int, target_year: int) -> None:
    """Points for each year up to the target, rounded to cents, low <= central <= high."""
    assert [point.year for point in path.points] == list(range(first_year, target_year + 1))
    for point in path.points:
        assert point.low <= point.central <= point.high
        for value in (point.low, point.central, point.high):
            assert value.as_tuple().exponent == -2, value
    json.dumps(path.parameters)  # storable as it is


# --- compound growth ------------------------------------------------------------------------


def test_compound_growth_from_2017_to_2022_is_about_16_percent_a_year():
    # By hand: 82,895 / 39,860 = 2.0796538; 1.1577^5 = 2.0796017, d(x^5)/dx = 5 x^4 = 8.98,
    # so the factor is 1.1577 + 0.0000521 / 8.98 = 1.1577058; 82,895 x 1.1577058 = 95,968.0.
    path = compound_growth(LIMBURG, [2022, 2017], 2030)  # base years in any order
    assert path.method == CAGR
    assert path.parameters["base_years"] == [2017, 2022]
    assert abs(D(path.parameters["rate"]) - D("0.157706")) <= D("0.000001")
    assert path.parameters["rate"] == path.parameters["low_rate"] == path.parameters["high_rate"]
    first = path.points[0]
    assert first.year == 2023
    assert abs(first.central - D("95968.0")) <= D("0.5")
    assert first.low == first.central == first.high  # two base years: no range
    assert_well_formed(path, 2023, 2030)


def test_compound_growth_range_takes_the_slowest_and_fastest_step():
    # 100 -> 110 -> 132: steps of 10 % and 20 %; over both years sqrt(1.32) = 1.1489125.
    # 2015 is in the series but not a base year, so it plays no part.
    path = compound_growth(
        {2020: D(100), 2021: D(110), 2022: D(132), 2015: D(1)}, [2020, 2021, 2022], 2024
    )
    assert path.parameters == {
        "base_years": [2020, 2021, 2022],
        "rate": "0.148913",
        "low_rate": "0.100000",
        "high_rate": "0.200000",
    }
    points = by_year(path)
    assert (points[2023].low, points[2023].central, points[2023].high) == (
        D("145.20"),  # 132 x 1.1
        D("151.66"),  # 132 x 1.1489125 = 151.6565
        D("158.40"),  # 132 x 1.2
    )
    assert (points[2024].low, points[2024].central, points[2024].high) == (
        D("159.72"),
        D("174.24"),  # 132 x 1.32
        D("190.08"),
    )


years_and_values = st.lists(st.integers(1990, 2030), min_size=2, max_size=6, unique=True).flatmap(
    lambda years: st.tuples(
        st.just(years),
        st.lists(st.integers(1, 10**6), min_size=len(years), max_size=len(years)),
        st.integers(1, 30),
    )
)


@given(years_and_values)
def test_compound_growth_central_lies_in_its_range_and_matches_float_arithmetic(case):
    years, values, ahead = case
    series = {year: D(value) for year, value in zip(years, values, strict=True)}
    first, last = min(years), max(years)
    path = compound_growth(series, years, last + ahead)
    assert_well_formed(path, last + 1, last + ahead)
    factor = (float(series[last]) / float(series[first])) ** (1 / (last - first))
    expected = float(series[last]) * factor**ahead
    assert math.isclose(float(path.points[-1].central), expected, rel_tol=1e-9, abs_tol=0.01)


# --- linear trend ---------------------------------------------------------------------------


def test_linear_trend_on_an_exact_line_continues_it_with_no_range():
    series = {2018: D(100), 2019: D(110), 2020: D(120), 2021: D(130)}
    path = linear_trend(series, [2018, 2019, 2020, 2021], 2023)
    assert path.method == LINEAR
    assert path.parameters == {
        "base_years": [2018, 2019, 2020, 2021],
        "slope": "10.000000",
        "intercept": "-20080.000000",  # 100 - 10 x 2018
        "residual_sd": "0.000000",
    }
    assert [(p.year, p.low, p.central, p.high) for p in path.points] == [
        (2022, D("140.00"), D("140.00"), D("140.00")),
        (2023, D("150.00"), D("150.00"), D("150.00")),
    ]


def test_linear_trend_range_is_1_96_residual_standard_deviations():
    # 10, 14, 15: slope 5 / 2 = 2.5, line 10.5, 13, 15.5; residuals -0.5, 1, -0.5;
    # sd = sqrt(1.5 / 1) = 1.2247449, x 1.96 = 2.4005; 2023 on the line: 18.
    path = linear_trend({2020: D(10), 2021: D(14), 2022: D(15)}, [2020, 2021, 2022], 2023)
    assert path.parameters["slope"] == "2.500000"
    assert path.parameters["residual_sd"] == "1.224745"
    (point,) = path.points
    assert (point.low, point.central, point.high) == (D("15.60"), D("18.00"), D("20.40"))


def test_a_falling_linear_trend_stops_at_zero():
    path = linear_trend({2020: D(30), 2021: D(20), 2022: D(10)}, [2020, 2021, 2022], 2025)
    assert [p.central for p in path.points] == [D("0.00")] * 3
    assert all(p.low == D(0) and p.high == D(0) for p in path.points)


def test_linear_trend_with_two_base_years_has_no_range():
    path = linear_trend({2020: D(10), 2022: D(20)}, [2020, 2022], 2023)
    assert [(p.low, p.central, p.high) for p in path.points] == [(D("25.00"),) * 3]


@given(years_and_values, st.integers(0, 10**6))
def test_linear_trend_range_contains_central_and_is_never_negative(case, offset):
    years, values, ahead = case
    series = {year: D(value - offset) / 100 for year, value in zip(years, values, strict=True)}
    path = linear_trend(series, years, max(years) + ahead)
    assert_well_formed(path, max(years) + 1, max(years) + ahead)
    assert all(point.low >= 0 for point in path.points)
    if len(years) == 2:  # a line through two points fits exactly: no range
        assert all(point.low == point.high for point in path.points)


# --- scenario -------------------------------------------------------------------------------


def test_scenario_ends_exactly_at_the_published_bounds():
    path = scenario_bounds(2022, D(82895), 2030, D(96000), D(112000))
    assert path.method == SCENARIO
    assert path.parameters == {
        "last_year": 2022,
        "target_year": 2030,
        "last_value": "82895",
        "low": "96000",
        "high": "112000",
    }
    assert_well_formed(path, 2023, 2030)
    end = path.points[-1]
    assert (end.year, end.low, end.central, end.high) == (2030, D(96000), D(104000), D(112000))
    assert D(96000) <= end.central <= D(112000)
    # Half way (2026) each path is the geometric mean of start and end:
    # sqrt(82,895 x 96,000) = 89,207.17; sqrt(82,895 x 104,000) = 92,849.77;
    # sqrt(82,895 x 112,000) = 96,354.76.
    half = by_year(path)[2026]
    for value, expected in zip(
        (half.low, half.central, half.high), ("89207.17", "92849.77", "96354.76"), strict=True
    ):
        assert abs(value - D(expected)) <= D("0.01")


def test_scenario_end_is_the_bound_itself_not_a_power_that_lands_next_to_it():
    # From 18 to 2.505 by growth: 18 x (2.505 / 18) is 2.50500...01 in 28 digits, which would
    # round up to 2.51; the middle itself, 2.505, rounds half-even to 2.50.
    (end,) = scenario_bounds(2022, D(18), 2023, D(2), D("3.01")).points
    assert (end.low, end.central, end.high) == (D("2.00"), D("2.50"), D("3.01"))


@given(
    st.integers(1, 10**7),
    st.integers(1, 10**7),
    st.integers(0, 10**7),
    st.integers(2000, 2090),
    st.integers(1, 10),
)
def test_scenario_paths_stay_ordered_and_meet_their_ends(start, low, extra, year, span):
    path = scenario_bounds(year, D(start), year + span, D(low), D(low + extra))
    assert_well_formed(path, year + 1, year + span)
    end = path.points[-1]
    assert (end.low, end.central, end.high) == (D(low), D(low) + D(extra) / 2, D(low + extra))


# --- shares and distribution ----------------------------------------------------------------


def test_shares_divide_by_the_total():
    assert shares({"GM0983": D(1), "GM0984": D(3), "GM0889": D(0)}) == {
        "GM0983": D("0.25"),
        "GM0984": D("0.75"),
        "GM0889": D(0),
    }


@given(st.dictionaries(st.text(min_size=1), st.integers(0, 10**6), min_size=1, max_size=40))
def test_shares_add_up_to_one(values):
    if not any(values.values()):
        values = {**values, "x": 1}
    result = shares({key: D(value) for key, value in values.items()})
    assert result.keys() == values.keys()
    assert abs(sum(result.values()) - 1) <= D("1e-20")


def test_distribute_gives_the_cents_left_to_the_largest_remainders():
    province = Path(SCENARIO, {"low": "1"}, (Point(2030, D("100.00"), D("100.00"), D("100.01")),))
    parts = distribute(province, shares({"a": D(1), "b": D(1), "c": D(1)}))
    assert [parts[key].points[0].central for key in "abc"] == [D("33.34"), D("33.33"), D("33.33")]
    assert [parts[key].points[0].high for key in "abc"] == [D("33.35"), D("33.33"), D("33.33")]
    assert parts["a"].method == SCENARIO
    assert parts["a"].parameters == {"low": "1", "share": "0.3333333333333333333333333333"}


@given(
    st.integers(1000, 10**6),
    st.integers(1000, 10**6),
    st.integers(0, 10**6),
    st.dictionaries(
        st.from_regex(r"GM\d{4}", fullmatch=True), st.integers(0, 10**5), min_size=1, max_size=40
    ),
)
def test_distribute_adds_up_to_the_province_in_every_point(start, low, extra, values):
    if not any(values.values()):
        values = {**values, "GM0000": 1}
    province = scenario_bounds(2022, D(start) / 7, 2030, D(low) / 3, D(low + extra) / 3)
    weights = shares({key: D(value) for key, value in values.items()})
    parts = distribute(province, weights)
    assert parts.keys() == values.keys()
    for index, point in enumerate(province.points):
        municipal = [parts[key].points[index] for key in parts]
        assert all(part.year == point.year for part in municipal)
        for side in ("low", "central", "high"):
            total = sum(getattr(part, side) for part in municipal)
            assert abs(total - getattr(point, side)) <= D("0.01")
            for key in parts:
                exact = getattr(point, side) * weights[key]
                assert abs(getattr(parts[key].points[index], side) - exact) < D("0.03")
    for key, path in parts.items():
        assert path.method == province.method
        assert path.parameters == {**province.parameters, "share": format(weights[key], "f")}


def test_a_point_refuses_a_range_that_does_not_contain_central():
    with pytest.raises(ValueError, match="2030"):
        Point(2030, D(2), D(1), D(3))


# --- errors ---------------------------------------------------------------------------------

SERIES = {2017: D(39860), 2020: D(0), 2022: D(82895)}
ERRORS = [
    (lambda: compound_growth(SERIES, [2022], 2030), "Kies ten minste twee basisjaren."),
    (lambda: linear_trend(SERIES, [], 2030), "Kies ten minste twee basisjaren."),
    (
        lambda: linear_trend(SERIES, [2022, 2017, 2022], 2030),
        "Basisjaar 2022 staat er twee keer in.",
    ),
    (lambda: compound_growth(SERIES, [2019, 2022], 2030), "Geen waarde voor basisjaar 2019."),
    (lambda: linear_trend(SERIES, [2017, 2023], 2030), "Geen waarde voor basisjaar 2023."),
    (
        lambda: compound_growth(SERIES, [2017, 2022], 2022),
        "Het doeljaar 2022 ligt niet na het laatste jaar met een waarde (2022).",
    ),
    (lambda: linear_trend(SERIES, [2017, 2022], 2101), "Het doeljaar 2101 ligt na 2100."),
    (
        lambda: compound_growth(SERIES, [2017, 2020, 2022], 2030),
        "Basisjaar 2020 heeft waarde 0: groei vraagt waarden boven 0.",
    ),
    (
        lambda: compound_growth({2017: D(-5), 2022: D(10)}, [2017, 2022], 2030),
        "Basisjaar 2017 heeft waarde -5: groei vraagt waarden boven 0.",
    ),
    (
        lambda: scenario_bounds(2022, D(82895), 2030, D(112000), D(96000)),
        "De lage scenariowaarde 112000 ligt boven de hoge 96000.",
    ),
    (
        lambda: scenario_bounds(2022, D(0), 2030, D(96000), D(112000)),
        "De laatste waarde van het scenario is 0; die moet boven 0 liggen.",
    ),
    (
        lambda: scenario_bounds(2022, D(82895), 2030, D(-1), D(112000)),
        "De lage waarde van het scenario is -1; die moet boven 0 liggen.",
    ),
    (
        lambda: scenario_bounds(2022, D(82895), 2030, D(96000), D(0)),
        "De hoge waarde van het scenario is 0; die moet boven 0 liggen.",
    ),
    (
        lambda: scenario_bounds(2022, D(82895), 2021, D(96000), D(112000)),
        "Het doeljaar 2021 ligt niet na het laatste jaar met een waarde (2022).",
    ),
    (
        lambda: scenario_bounds(2022, D(82895), 2200, D(96000), D(112000)),
        "Het doeljaar 2200 ligt na 2100.",
    ),
    (
        lambda: shares({"GM0983": D(5), "GM0984": D(-2)}),
        "Negatieve waarde -2 voor GM0984: een aandeel vraagt 0 of meer.",
    ),
    (lambda: shares({"GM0983": D(0)}), "De waarden tellen op tot 0: daaruit volgen geen aandelen."),
    (lambda: shares({}), "De waarden tellen op tot 0: daaruit volgen geen aandelen."),
    (
        lambda: distribute(compound_growth(LIMBURG, [2017, 2022], 2025), {}),
        "Geen aandelen om de prognose over te verdelen.",
    ),
    (
        lambda: distribute(compound_growth(LIMBURG, [2017, 2022], 2025), {"a": D(2), "b": D(-1)}),
        "Aandeel 2 voor a ligt niet tussen 0 en 1.",
    ),
    (
        lambda: distribute(
            compound_growth(LIMBURG, [2017, 2022], 2025), {"a": D("1.0"), "b": D("-0.5")}
        ),
        "Aandeel -0.5 voor b ligt niet tussen 0 en 1.",
    ),
    (
        lambda: distribute(
            compound_growth(LIMBURG, [2017, 2022], 2025), {"a": D("0.5"), "b": D("0.4")}
        ),
        "De aandelen tellen op tot 0.9 in plaats van 1.",
    ),
]


@pytest.mark.parametrize(("make", "message"), ERRORS)
def test_bad_input_is_refused_with_a_message_naming_the_problem(make, message):
    with pytest.raises(ForecastError) as caught:
        make()
    assert caught.value.message == message


def test_shares_rounded_for_display_are_scaled_to_one():
    province = compound_growth(LIMBURG, [2017, 2022], 2023)
    parts = distribute(province, {"a": D("0.3333"), "b": D("0.3333"), "c": D("0.3333")})
    assert sum(parts[key].points[0].central for key in "abc") == province.points[0].central
    assert parts["a"].parameters["share"] == "0.3333"
