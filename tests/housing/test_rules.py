"""The housing arithmetic: stay classes, occupancy, the gap and need derived from figures."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waardig.core.numbers import digits
from waardig.housing import rules
from waardig.housing.rules import LONG, MID, SHORT, Gap, Parameters, Planned, Stay

PARAMS = Parameters(short_max_months=4, mid_max_months=24)


def test_postcodes_are_read_in_their_common_spellings():
    assert rules.normal_postcode("5911ab") == "5911 AB"
    assert rules.normal_postcode(" 6211 aa ") == "6211 AA"
    assert not rules.valid_postcode("0911 AB")  # no postcode starts with 0
    assert not rules.valid_postcode("5911 A")
    assert rules.normal_postcode("unknown") == "unknown"


def test_a_certificate_counts_until_and_including_its_last_day():
    day = date(2025, 6, 30)
    assert rules.certified_on("snf", date(2025, 6, 30), day)
    assert not rules.certified_on("snf", date(2025, 6, 29), day)
    assert rules.certified_on("akf", None, day)
    assert not rules.certified_on("none", None, day)


def test_stay_classes_follow_the_configured_limits():
    arrival = date(2025, 1, 1)
    assert rules.stay_class_of(arrival, date(2025, 4, 30), date(2026, 1, 1), PARAMS) == SHORT
    assert rules.stay_class_of(arrival, date(2025, 6, 1), date(2026, 1, 1), PARAMS) == MID
    assert rules.stay_class_of(arrival, None, date(2027, 6, 1), PARAMS) == LONG
    strict = Parameters(short_max_months=1, mid_max_months=3)
    assert rules.stay_class_of(arrival, date(2025, 3, 1), date(2026, 1, 1), strict) == MID


def test_parameters_refuse_limits_and_weights_that_make_no_sense():
    with pytest.raises(ValueError, match="short stay must end before mid stay"):
        Parameters(short_max_months=24, mid_max_months=12)
    with pytest.raises(ValueError, match="between 0 and 1"):
        Parameters(weights={"permit": Decimal("1.5")})
    with pytest.raises(ValueError, match="cancelled"):
        Parameters(weights={"cancelled": Decimal("0.5")})
    with pytest.raises(ValueError, match="unknown project status"):
        Parameters(weights={"dream": Decimal("0.5")})


def test_occupancy_counts_nights_not_departure_days():
    stays = [
        Stay(date(2025, 1, 1), date(2025, 1, 31)),
        Stay(date(2025, 1, 15), None),
        Stay(date(2025, 2, 1), date(2025, 2, 10)),
    ]
    assert rules.present_on(stays, date(2024, 12, 31)) == 0
    assert rules.present_on(stays, date(2025, 1, 20)) == 2
    assert rules.present_on(stays, date(2025, 1, 31)) == 1  # the first left that day
    assert rules.occupancy_series(
        stays, rules.month_starts(date(2025, 1, 9), date(2025, 3, 3))
    ) == [
        (date(2025, 1, 1), 1),
        (date(2025, 2, 1), 2),
        (date(2025, 3, 1), 1),
    ]


def test_the_gap_is_need_minus_existing_minus_weighted_planned():
    projects = [Planned(100, "permit"), Planned(50, "construction"), Planned(80, "cancelled")]
    result = rules.gap(300, certified=120, uncertified=30, projects=projects, params=PARAMS)
    # 300 - (120 + 30) - (100 x 0.6 + 50 x 0.9) = 300 - 150 - 105 = 45
    assert result.planned == Decimal("105.0")
    assert result.planned_unweighted == 150
    assert result.shortage == Decimal("45.0")


def test_unknown_need_is_an_unknown_gap_never_zero():
    result = rules.gap(None, certified=10, uncertified=0, projects=[], params=PARAMS)
    assert result.shortage is None
    region = rules.combine([result, rules.gap(50, 0, 0, [], PARAMS)])
    assert region.need is None and region.shortage is None
    assert region.certified == 10


def test_a_region_adds_up_its_municipalities():
    a = rules.gap(100, 30, 10, [Planned(20, "permit")], PARAMS)
    b = rules.gap(40, 50, 0, [Planned(10, "idea")], PARAMS)
    region = rules.combine([a, b])
    assert region.need == 140
    assert region.shortage == a.shortage + b.shortage == Decimal("140") - 90 - Decimal("13.0")


@given(
    need=st.integers(0, 10_000),
    certified=st.integers(0, 10_000),
    uncertified=st.integers(0, 10_000),
    capacities=st.lists(st.tuples(st.integers(0, 2000), st.sampled_from(rules.PROJECT_STATUSES))),
)
def test_more_capacity_never_means_a_larger_shortage(need, certified, uncertified, capacities):
    projects = [Planned(c, s) for c, s in capacities]
    base = rules.gap(need, certified, uncertified, projects, PARAMS)
    more = rules.gap(need, certified + 1, uncertified, projects, PARAMS)
    assert more.shortage < base.shortage
    assert base.shortage == Decimal(need) - certified - uncertified - base.planned
    assert Decimal(0) <= base.planned <= base.planned_unweighted


NEED = rules.NeedParameters(
    share_needing_housing=Decimal("0.6"),
    class_shares={SHORT: Decimal("0.4"), MID: Decimal("0.3"), LONG: Decimal("0.3")},
    household_size=Decimal("1.5"),
)


def test_need_is_derived_per_class_with_the_long_stayers_households():
    # 1000 x 0.6 = 600 workers: short 240, mid 180, long 180 x 1.5 = 270
    assert rules.derive_need(Decimal(1000), NEED) == {SHORT: 240, MID: 180, LONG: 270}


@given(st.decimals(min_value=0, max_value=1_000_000, places=2))
def test_derived_classes_add_up_to_the_rounded_total(migrants):
    derived = rules.derive_need(migrants, NEED)
    exact = (
        migrants
        * Decimal("0.6")
        * (Decimal("0.4") + Decimal("0.3") + Decimal("0.3") * Decimal("1.5"))
    )
    assert sum(derived.values()) == int(exact.quantize(Decimal(1), "ROUND_HALF_UP"))
    assert all(value >= 0 for value in derived.values())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"share_needing_housing": Decimal("1.2")}, "between 0 and 1"),
        ({"class_shares": {SHORT: Decimal("0.5"), MID: Decimal("0.5"), LONG: Decimal("0.5")}},
         "add up to 1"),
        ({"class_shares": {SHORT: Decimal("1")}}, "each stay class"),
        ({"household_size": Decimal("0")}, "more than 0"),
    ],
)  # fmt: skip
def test_need_parameters_outside_their_range_are_refused(changes, message):
    values = {
        "share_needing_housing": Decimal("0.6"),
        "class_shares": {SHORT: Decimal("0.4"), MID: Decimal("0.3"), LONG: Decimal("0.3")},
        **changes,
    }
    with pytest.raises(ValueError, match=message):
        rules.NeedParameters(**values)


def test_gap_properties_for_the_report():
    gap = Gap(need=10, certified=3, uncertified=2, planned=Decimal("1.5"), planned_unweighted=3)
    assert gap.existing == 5
    assert gap.shortage == Decimal("3.5")


def test_stay_classes_count_calendar_months_not_rounded_ones():
    today = date(2026, 1, 1)
    assert rules.stay_class_of(date(2025, 3, 1), date(2025, 7, 1), today, PARAMS) == SHORT
    # 123 days is more than 4 calendar months, although it rounds to 4.0 months of 30.44 days
    assert rules.stay_class_of(date(2025, 3, 1), date(2025, 7, 2), today, PARAMS) == MID
    assert rules.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert rules.add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert rules.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert rules.add_months(date(2025, 12, 15), 24) == date(2027, 12, 15)


def test_only_ascii_digits_are_digits():
    assert digits("2025") and not digits("²⁰²⁵") and not digits("")


def test_two_stays_overlap_when_they_share_a_night():
    march = Stay(date(2025, 3, 1), date(2025, 3, 10))
    assert rules.overlap(march, Stay(date(2025, 3, 9), None))
    assert not rules.overlap(march, Stay(date(2025, 3, 10), None))  # arrives as the other leaves
    assert rules.overlap(Stay(date(2025, 1, 1), None), march)
    assert not rules.overlap(march, Stay(date(2025, 2, 1), date(2025, 3, 1)))
