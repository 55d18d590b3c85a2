"""Small-number protection of public figures: hand cases and the invariant over random trees."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waardig.monitor.disclosure import Shown, Total, protect, protect_ratio

TEN = 10


def d(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def run(values: dict, totals: dict, threshold: int = TEN) -> dict:
    """protect() on plain numbers; totals as {total key: parts}."""
    cells = {key: d(value) for key, value in values.items()}
    equations = [Total(key, frozenset(parts)) for key, parts in totals.items()]
    return protect(cells, equations, threshold)


def hidden(result: dict) -> dict:
    return {key: shown.reason for key, shown in result.items() if shown.protected}


def test_one_small_municipality_hides_its_smallest_neighbour_and_keeps_the_region():
    result = run({"a": 5, "b": 30, "c": 20, "R": 55}, {"R": {"a", "b", "c"}})
    assert hidden(result) == {"a": "small", "c": "complement"}
    assert result["R"] == Shown(Decimal(55)) and result["b"] == Shown(Decimal(30))
    assert result["a"].value is None and result["c"].value is None  # no figure to leak


def test_a_tie_goes_to_the_lowest_key():
    result = run({"a": 5, "c": 20, "b": 20, "R": 45}, {"R": {"a", "b", "c"}})
    assert hidden(result) == {"a": "small", "b": "complement"}


def test_a_zero_is_shown_and_never_chosen_as_complement():
    result = run({"a": 5, "b": 0, "c": 30, "R": 35}, {"R": {"a", "b", "c"}})
    assert hidden(result) == {"a": "small", "c": "complement"}
    assert result["b"] == Shown(Decimal(0)) and result["b"].text(TEN) == "0"


def test_no_figure_is_not_protected_and_counts_as_known_zero():
    result = run({"a": 5, "b": None, "R": 40}, {"R": {"a", "b"}})
    # No shown part can cover a, so the region's own figure is hidden.
    assert hidden(result) == {"a": "small", "R": "complement"}
    assert result["b"] == Shown(None) and result["b"].text(TEN) == ""


def test_a_total_without_a_figure_gives_nothing_away():
    result = run({"a": 5, "b": 30, "R": None}, {"R": {"a", "b"}})
    assert hidden(result) == {"a": "small"}


def test_a_region_of_one_small_member_is_small_itself():
    result = run({"a": 5, "R": 5}, {"R": {"a"}})
    assert hidden(result) == {"a": "small", "R": "small"}


def test_a_region_hidden_for_the_province_hides_a_member_so_its_sum_does_not_give_it_back():
    values = {"m1": 5, "m2": 40, "m3": 60, "R1": 5, "R2": 40, "R3": 60, "P": 105}
    totals = {"R1": {"m1"}, "R2": {"m2"}, "R3": {"m3"}, "P": {"R1", "R2", "R3"}}
    result = run(values, totals)
    assert hidden(result) == {"m1": "small", "R1": "small", "R2": "complement", "m2": "complement"}
    assert result["P"] == Shown(Decimal(105)) and result["R3"] == Shown(Decimal(60))


def test_two_groupings_chain_through_shared_municipalities():
    values = {"a": 5, "b": 30, "c": 40, "d": 50, "A1": 35, "A2": 90, "C1": 45, "C2": 80, "P": 125}
    totals = {
        "A1": {"a", "b"},
        "A2": {"c", "d"},
        "C1": {"a", "c"},
        "C2": {"b", "d"},
        "P": {"A1", "A2"},
    }
    result = run(values, totals)
    # a hides b (A1), b hides d (C2), d hides c (A2); C1 then holds a and c.
    assert hidden(result) == {"a": "small", "b": "complement", "c": "complement", "d": "complement"}
    assert all(not result[key].protected for key in ("A1", "A2", "C1", "C2", "P"))


def test_a_small_region_hides_another_region_and_the_province_stays_shown():
    values = {"R1": 7, "R2": 25, "R3": 300, "P": 332}
    result = run(values, {"P": {"R1", "R2", "R3"}})
    assert hidden(result) == {"R1": "small", "R2": "complement"}
    assert result["P"].text(TEN) == "332"


def test_threshold_zero_protects_nothing():
    result = run({"a": 1, "b": 30, "R": 31}, {"R": {"a", "b"}}, threshold=0)
    assert hidden(result) == {}
    assert result["a"] == Shown(Decimal(1))


def test_the_threshold_is_exclusive():
    assert hidden(run({"a": 9, "b": 10}, {}, threshold=TEN)) == {"a": "small"}


def test_a_negative_threshold_is_an_error():
    with pytest.raises(ValueError, match="negative"):
        run({"a": 5}, {}, threshold=-1)


def test_a_total_naming_an_unknown_cell_is_an_error():
    with pytest.raises(ValueError, match="without an entry"):
        run({"a": 5, "R": 5}, {"R": {"a", "b"}})


@pytest.mark.parametrize(
    ("shown", "text"),
    [
        (Shown(Decimal(1234)), "1234"),
        (Shown(Decimal("1234.00")), "1234"),
        (Shown(Decimal("1E+3")), "1000"),
        (Shown(Decimal("12.5")), "12.5"),
        (Shown(Decimal(0)), "0"),
        (Shown(None), ""),
        (Shown(None, protected=True, reason="small"), "< 10"),
        (Shown(None, protected=True, reason="complement"), "x"),
        (Shown(None, protected=True, reason="derived"), "x"),
    ],
)
def test_text(shown, text):
    assert shown.text(TEN) == text


def test_the_small_mark_names_the_threshold():
    assert Shown(None, protected=True, reason="small").text(5) == "< 5"


def test_a_ratio_is_hidden_when_either_part_is():
    shown, small = Shown(Decimal(40)), Shown(None, protected=True, reason="small")
    complement = Shown(None, protected=True, reason="complement")
    assert protect_ratio(small, shown, Decimal("0.1")) == Shown(None, True, "derived")
    assert protect_ratio(shown, complement, Decimal("0.1")) == Shown(None, True, "derived")
    assert protect_ratio(shown, shown, Decimal("0.5")) == Shown(Decimal("0.5"))
    assert protect_ratio(shown, Shown(Decimal(0)), None) == Shown(None)


# A random province: municipalities with random values, each in one admin region and one
# COROP region; regions and the province carry the sums of their members.
VALUES = st.one_of(
    st.none(), st.just(0), st.integers(1, 9), st.integers(10, 60), st.integers(61, 5000)
)


@st.composite
def provinces(draw):
    count = draw(st.integers(1, 14))
    codes = [f"GM{i:02d}" for i in range(count)]
    cells = {code: d(draw(VALUES)) for code in codes}
    totals = []
    for grouping in ("admin", "corop"):
        size = draw(st.integers(1, 5))
        members: dict[str, set[str]] = {}
        for code in codes:
            members.setdefault(f"{grouping}{draw(st.integers(0, size - 1))}", set()).add(code)
        for region, parts in sorted(members.items()):
            cells[region] = _sum(cells, parts)
            totals.append(Total(region, frozenset(parts)))
        totals.append(Total("province", frozenset(members)))
    cells["province"] = _sum(cells, codes)
    if draw(st.booleans()):
        totals.append(Total("province", frozenset(codes)))
    return cells, totals, draw(st.integers(1, 20))


def _sum(cells, keys) -> Decimal | None:
    figures = [cells[key] for key in keys if cells[key] is not None]
    return sum(figures, Decimal(0)) if figures else None


@given(provinces())
def test_no_equation_has_exactly_one_hidden_figure(province):
    cells, totals, threshold = province
    result = protect(cells, totals, threshold)
    for total in totals:
        if cells[total.key] is None:
            continue
        unknowns = [
            key
            for key in (total.key, *total.parts)
            if cells[key] is not None and result[key].protected
        ]
        assert len(unknowns) != 1, (total, unknowns)


@given(provinces())
def test_nothing_small_is_shown_and_shown_values_are_the_real_ones(province):
    cells, totals, threshold = province
    result = protect(cells, totals, threshold)
    assert result.keys() == cells.keys()
    for key, shown in result.items():
        if shown.protected:
            assert shown.value is None
            small = 0 < cells[key] < threshold
            assert shown.reason == ("small" if small else "complement")
        else:
            assert shown.value == cells[key] and not shown.reason
            assert shown.value is None or shown.value == 0 or shown.value >= threshold


@given(provinces())
def test_protection_is_deterministic_and_adds_nothing_on_its_own_output(province):
    cells, totals, threshold = province
    result = protect(cells, totals, threshold)
    assert protect(dict(reversed(cells.items())), totals, threshold) == result
    again = protect({key: shown.value for key, shown in result.items()}, totals, threshold)
    assert not any(shown.protected for shown in again.values())
