"""Monitor arithmetic on plain values: periods, membership over time, derived figures."""

import calendar
import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waardig.monitor import rules
from waardig.monitor.periods import parse_period
from waardig.monitor.rules import Place, aggregate, members_in_period

D = datetime.date
MERGED = D(2018, 12, 31)
# A small province: two old municipalities merge into a new one on 1 January 2019.
PLACES = {
    "A": Place("A"),
    "B": Place("B"),
    "OLD1": Place("OLD1", valid_to=MERGED, successor="NEW"),
    "OLD2": Place("OLD2", valid_to=MERGED, successor="NEW"),
    "NEW": Place("NEW", valid_from=D(2019, 1, 1)),
}
SOUTH = {"B", "NEW"}  # regions are defined on today's municipalities
Y2017, Y2022 = parse_period("2017"), parse_period("2022")


def n(*values) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


@given(st.integers(1900, 2100), st.integers(1, 4), st.integers(1, 12))
def test_every_period_spans_whole_months_inside_its_year(year, quarter, month):
    for text in (f"{year}", f"{year}-Q{quarter}", f"{year}-{month:02d}"):
        period = parse_period(text)
        assert period.canonical == text and period.year == year
        assert period.start.day == 1 and period.start <= period.end
        assert period.start.year == period.end.year == year
        assert period.end.day == calendar.monthrange(year, period.end.month)[1]


def test_a_region_holds_the_municipalities_valid_in_the_period_through_their_successors():
    assert members_in_period(SOUTH, PLACES, Y2017) == {"B", "OLD1", "OLD2"}
    assert members_in_period(SOUTH, PLACES, Y2022) == {"B", "NEW"}
    assert members_in_period({"A"}, PLACES, Y2017) == {"A"}


def test_a_region_may_also_list_a_merged_municipality_itself():
    assert members_in_period({"OLD1"}, PLACES, Y2017) == {"OLD1"}


def test_final_successor_follows_a_chain_and_stops_at_a_loop():
    chain = {"X": Place("X", successor="Y"), "Y": Place("Y", successor="Z"), "Z": Place("Z")}
    assert rules.final_successor("X", chain) == "Z"
    loop = {"P": Place("P", successor="Q"), "Q": Place("Q", successor="P")}
    assert rules.final_successor("P", loop) == "Q"


def test_counts_add_up_and_a_complete_total_says_so():
    expected = members_in_period(SOUTH, PLACES, Y2017)
    parts = {"B": n(10), "OLD1": n(1), "OLD2": n(2), "A": n(1000)}
    result = aggregate(rules.SUM, parts, expected, PLACES)
    assert (result.value, result.count, result.expected, result.complete) == (13, 3, 3, True)
    assert result.used == {"B", "OLD1", "OLD2"}


def test_a_missing_municipality_makes_the_total_incomplete():
    expected = members_in_period(SOUTH, PLACES, Y2017)
    result = aggregate(rules.SUM, {"B": n(10), "OLD2": n(2)}, expected, PLACES)
    assert (result.value, result.count, result.expected, result.complete) == (12, 2, 3, False)


def test_nothing_to_add_gives_no_value():
    result = aggregate(rules.SUM, {}, frozenset({"A", "B"}), PLACES)
    assert (result.value, result.count, result.complete) == (None, 0, False)
    assert not aggregate(rules.SUM, {}, frozenset(), PLACES).complete


def test_a_ratio_divides_the_totals_and_never_averages_the_ratios():
    # A: 1 of 10 registered (10 %), B: 90 of 100 (90 %): the mean of the ratios would be 50 %.
    parts = {"A": n(1, 10), "B": n(90, 100)}
    result = aggregate(rules.RATIO, parts, frozenset({"A", "B"}), PLACES, Decimal(100))
    assert result.value == Decimal(100) * 91 / 110
    assert round(result.value, 2) == Decimal("82.73")


def test_a_ratio_needs_both_parts_of_a_municipality():
    parts = {"A": n(1, 10), "B": n(90)}
    result = aggregate(rules.RATIO, parts, frozenset({"A", "B"}), PLACES, Decimal(100))
    assert (result.value, result.count, result.complete) == (10, 1, False)


def test_a_ratio_over_nothing_has_no_value():
    parts = {"A": n(5, 0)}
    assert aggregate(rules.RATIO, parts, frozenset({"A"}), PLACES).value is None


def test_a_weighted_mean_weighs_each_value():
    parts = {"A": n(10, 1), "B": n(40, 3)}
    result = aggregate(rules.WEIGHTED_MEAN, parts, frozenset({"A", "B"}), PLACES)
    assert result.value == Decimal("32.5")
    zero = aggregate(rules.WEIGHTED_MEAN, {"A": n(10, 0)}, frozenset({"A"}), PLACES)
    assert zero.value is None and zero.count == 1


def test_a_later_municipality_stands_in_for_those_that_merged_into_it():
    """A table on today's division gives the new municipality's figure for older years."""
    expected = members_in_period(SOUTH, PLACES, Y2017)
    result = aggregate(rules.SUM, {"B": n(10), "NEW": n(3)}, expected, PLACES)
    assert (result.value, result.count, result.complete, result.used) == (
        13,
        3,
        True,
        {"B", "NEW"},
    )


def test_a_later_municipality_never_counts_twice_with_its_predecessors():
    expected = members_in_period(SOUTH, PLACES, Y2017)
    result = aggregate(rules.SUM, {"B": n(10), "OLD1": n(1), "NEW": n(3)}, expected, PLACES)
    assert (result.value, result.count, result.complete) == (11, 2, False)


def test_a_municipality_outside_the_period_is_not_counted():
    expected = members_in_period(SOUTH, PLACES, Y2022)
    result = aggregate(rules.SUM, {"B": n(10), "NEW": n(3), "OLD1": n(1)}, expected, PLACES)
    assert (result.value, result.count, result.complete) == (13, 2, True)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="median"):
        aggregate("median", {"A": n(1)}, frozenset({"A"}), PLACES)


def test_a_derived_figure_is_as_uncertain_as_its_least_certain_part():
    assert rules.least_certain(["definitive", "estimate", "provisional"]) == "estimate"
    assert rules.least_certain(["definitive", "fictitious"]) == "fictitious"
    assert rules.least_certain(["definitive"]) == "definitive"
    assert rules.least_certain([]) == ""


@given(
    st.dictionaries(
        st.sampled_from(sorted(PLACES)),
        st.integers(0, 10**9).map(Decimal),
    ),
    st.sampled_from([Y2017, Y2022]),
)
def test_regions_of_a_division_add_up_to_the_province(values, period):
    parts = {code: (value,) for code, value in values.items()}
    north = aggregate(rules.SUM, parts, members_in_period({"A"}, PLACES, period), PLACES)
    south = aggregate(rules.SUM, parts, members_in_period(SOUTH, PLACES, period), PLACES)
    whole = aggregate(rules.SUM, parts, members_in_period(PLACES, PLACES, period), PLACES)
    assert (north.value or 0) + (south.value or 0) == (whole.value or 0)
    assert north.count + south.count == whole.count
    assert north.expected + south.expected == whole.expected
