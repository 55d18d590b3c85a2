"""The programme's arithmetic on plain values: roll-up, stale/overdue flags, money, changes."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waardig.programme.models import Status
from waardig.programme.rules import (
    DEFAULT_PROGRESS,
    ActionState,
    Change,
    Money,
    ProgressNode,
    changes_between,
    is_overdue,
    is_stale,
    rolled_up,
    total,
)

TODAY = datetime.date(2025, 6, 15)


def leaf(progress: float | None, weight: float = 1.0) -> ProgressNode:
    return ProgressNode(weight=weight, progress=progress)


def theme(*children: ProgressNode, weight: float = 1.0) -> ProgressNode:
    return ProgressNode(weight=weight, children=tuple(children))


# --- roll-up -------------------------------------------------------------------------------


def test_default_progress_covers_every_status() -> None:
    # The values themselves are in one table: PROGRESS_BY_STATUS in test_services.py.
    assert set(DEFAULT_PROGRESS) == set(Status.values)
    assert all(0 <= progress <= 100 for progress in DEFAULT_PROGRESS.values())


def test_a_leaf_answers_its_own_progress() -> None:
    assert rolled_up(leaf(30)) == 30
    assert rolled_up(leaf(None)) is None


def test_roll_up_is_the_weighted_mean_of_the_children() -> None:
    node = theme(leaf(40, weight=1), leaf(80, weight=3))
    assert rolled_up(node) == pytest.approx((40 * 1 + 80 * 3) / 4)  # 70, not the plain 60


def test_children_with_weight_zero_do_not_count() -> None:
    node = theme(leaf(40), leaf(100, weight=0))
    assert rolled_up(node) == pytest.approx(40)


def test_children_without_progress_do_not_count() -> None:
    """A dropped action is a leaf with progress None: it must not pull the theme down."""
    node = theme(leaf(80), leaf(None, weight=5))
    assert rolled_up(node) == pytest.approx(80)


def test_nothing_that_counts_gives_none() -> None:
    assert rolled_up(theme()) is None
    assert rolled_up(theme(leaf(None), leaf(70, weight=0))) is None
    assert rolled_up(theme(theme(leaf(None)))) is None


def test_nested_themes_roll_up_with_their_own_weights() -> None:
    housing = theme(leaf(40, weight=1), leaf(80, weight=3), weight=3)  # 70
    work = theme(leaf(20), leaf(None), weight=1)  # 20: the dropped leaf is ignored
    empty = theme(theme(), weight=10)  # nothing below: ignored whatever its weight
    root = theme(housing, work, empty, leaf(100, weight=1))
    assert rolled_up(housing) == pytest.approx(70)
    assert rolled_up(work) == pytest.approx(20)
    assert rolled_up(root) == pytest.approx((70 * 3 + 20 * 1 + 100 * 1) / 5)  # 66


def test_a_theme_with_weight_zero_is_ignored_with_everything_below_it() -> None:
    root = theme(theme(leaf(0), leaf(0), weight=0), leaf(90))
    assert rolled_up(root) == pytest.approx(90)


WEIGHTS = st.one_of(st.just(0.0), st.floats(min_value=0.1, max_value=10))
PROGRESS = st.one_of(st.none(), st.integers(min_value=0, max_value=100))
TREES = st.recursive(
    st.builds(ProgressNode, weight=WEIGHTS, progress=PROGRESS),
    lambda children: st.builds(
        ProgressNode,
        weight=WEIGHTS,
        children=st.lists(children, min_size=1, max_size=4).map(tuple),
    ),
    max_leaves=25,
)


def _leaf_progresses(node: ProgressNode) -> list[float]:
    if not node.children:
        return [] if node.progress is None else [node.progress]
    return [p for child in node.children for p in _leaf_progresses(child)]


def _counts(node: ProgressNode) -> bool:
    """Whether some leaf with progress is reached through children of positive weight."""
    if not node.children:
        return node.progress is not None
    return any(child.weight > 0 and _counts(child) for child in node.children)


@given(TREES)
def test_roll_up_lies_between_the_lowest_and_highest_leaf(node: ProgressNode) -> None:
    result = rolled_up(node)
    assert (result is None) == (not _counts(node))
    if result is not None:
        progresses = _leaf_progresses(node)
        assert min(progresses) - 1e-9 <= result <= max(progresses) + 1e-9


@given(
    st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=20),
    st.floats(min_value=0.1, max_value=10),
)
def test_equal_weights_give_the_plain_mean(progresses: list[int], weight: float) -> None:
    node = theme(*(leaf(p, weight=weight) for p in progresses))
    assert rolled_up(node) == pytest.approx(sum(progresses) / len(progresses))


# --- stale -----------------------------------------------------------------------------------


def stale(
    status: str = "running",
    last_update: datetime.date | None = None,
    start: datetime.date | None = None,
    days: int = 30,
) -> bool:
    return is_stale(
        status=status, last_update=last_update, start=start, today=TODAY, stale_after_days=days
    )


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.mark.parametrize("status", ["not_started", "running", "delayed", "continuous"])
def test_an_open_action_without_news_is_stale(status: str) -> None:
    assert stale(status, last_update=days_ago(31))


@pytest.mark.parametrize("status", ["done", "dropped"])
def test_closed_actions_are_never_stale(status: str) -> None:
    assert not stale(status, last_update=days_ago(1000))
    assert not stale(status, start=days_ago(1000))


def test_the_boundary_day_is_not_stale_the_day_after_is() -> None:
    assert not stale(last_update=days_ago(30), days=30)
    assert stale(last_update=days_ago(31), days=30)


def test_counted_from_the_last_update_rather_than_the_start() -> None:
    assert not stale(last_update=days_ago(5), start=days_ago(400))
    assert stale(last_update=days_ago(40), start=days_ago(5))


def test_without_updates_counted_from_the_start() -> None:
    assert not stale(start=days_ago(30))
    assert stale(start=days_ago(31))


def test_an_action_that_has_not_started_is_not_stale() -> None:
    assert not stale(start=TODAY + datetime.timedelta(days=1))
    assert not stale(start=None, last_update=None)


# --- overdue ---------------------------------------------------------------------------------


def test_a_milestone_past_its_date_and_not_reached_is_overdue() -> None:
    assert is_overdue(planned_end=days_ago(1), achieved_on=None, today=TODAY)


@pytest.mark.parametrize(
    ("planned_end", "achieved_on"),
    [
        (TODAY, None),  # due today: not yet overdue
        (TODAY + datetime.timedelta(days=10), None),
        (None, None),  # no date: cannot be overdue
        (datetime.date(2020, 1, 1), datetime.date(2020, 3, 1)),  # late, but reached
    ],
)
def test_other_milestones_are_not_overdue(planned_end, achieved_on) -> None:
    assert not is_overdue(planned_end=planned_end, achieved_on=achieved_on, today=TODAY)


# --- money -----------------------------------------------------------------------------------


def money(budgeted: str, committed: str = "0", spent: str = "0") -> Money:
    return Money(Decimal(budgeted), Decimal(committed), Decimal(spent))


def test_total_adds_each_column() -> None:
    summed = total([money("100", "40", "10.50"), money("50.25", "60", "0"), money("0", "0", "5")])
    columns = (summed.budgeted, summed.committed, summed.spent)
    assert columns == (Decimal("150.25"), Decimal("100"), Decimal("15.50"))
    assert summed.claimed == Decimal("105")  # 40 + 60 + 5: the larger claim of each line
    assert total([]) == Money()


@pytest.mark.parametrize(
    ("amount", "remaining"),
    [
        (money("100", "40", "10"), Decimal(60)),  # committed is the larger claim
        (money("100", "10", "70"), Decimal(30)),  # spent without commitment counts too
        (money("100", "100", "100"), Decimal(0)),
        (money("100", "120", "0"), Decimal(-20)),
    ],
)
def test_remaining_is_budget_minus_the_larger_of_committed_and_spent(amount, remaining) -> None:
    assert amount.remaining == remaining


@pytest.mark.parametrize(
    ("amount", "over"),
    [
        (money("100", "100", "100"), False),  # exactly on budget
        (money("100", "100.01", "0"), True),  # committed more
        (money("100", "0", "100.01"), True),  # spent more, never committed
        (money("100", "50", "50"), False),
        (money("0"), False),
    ],
)
def test_over_budget(amount: Money, over: bool) -> None:
    assert amount.over_budget is over


def test_a_total_is_over_budget_only_when_all_its_claims_exceed_all_its_budget() -> None:
    """Over budget is a property of the sum: one line's overrun is offset by what another
    line leaves unclaimed, so a total with an over-budget line need not be over budget."""
    lines = [money("100", "150"), money("100", "0")]
    assert lines[0].over_budget
    assert not total(lines).over_budget  # 200 budgeted, 150 committed
    assert total(lines).remaining == 50
    short = [money("100", "150"), money("10", "0")]  # 110 budgeted, 150 committed
    assert total(short).over_budget and total(short).remaining == -40


def test_the_remaining_of_a_total_is_what_the_lines_leave() -> None:
    contract_signed = money("100", committed="100")  # nothing left on this line
    paid_directly = money("100", spent="100")  # nor on this one
    assert contract_signed.remaining == paid_directly.remaining == 0
    # Claims add line by line (100 + 100), not as the larger of the summed committed (100)
    # and the summed spent (100), which would leave 100.
    assert total([contract_signed, paid_directly]).remaining == 0


# --- changes between reports -----------------------------------------------------------------


def state(**overrides) -> ActionState:
    values = {
        "title": "Telling",
        "theme": "Wonen",
        "status": "running",
        "progress": 50,
        "narrative": "Loopt.",
        "milestones_reached": ["Opdracht verleend"],
    }
    return ActionState(**(values | overrides))


def test_unchanged_gives_no_changes() -> None:
    assert changes_between({"A001": state()}, {"A001": state()}) == []
    assert changes_between({}, {}) == []


def test_a_new_action() -> None:
    assert changes_between({}, {"A001": state()}) == [
        Change("A001", "Telling", "new", after="running")
    ]


def test_a_removed_action() -> None:
    assert changes_between({"A001": state(status="delayed")}, {}) == [
        Change("A001", "Telling", "removed", before="delayed")
    ]


def test_status_progress_and_narrative_changes() -> None:
    before = {"A001": state()}
    after = {"A001": state(status="done", progress=100, narrative="Afgerond.")}
    assert changes_between(before, after) == [
        Change("A001", "Telling", "status", "running", "done"),
        Change("A001", "Telling", "progress", "50%", "100%"),
        Change("A001", "Telling", "narrative", "Loopt.", "Afgerond."),
    ]


def test_only_newly_reached_milestones_are_reported() -> None:
    before = {"A001": state()}
    after = {"A001": state(milestones_reached=["Opdracht verleend", "Telling klaar"])}
    assert changes_between(before, after) == [
        Change("A001", "Telling", "milestone", after="Telling klaar")
    ]


def test_changes_follow_the_order_of_now_then_removed() -> None:
    before = {"A001": state(), "A002": state(title="Folder"), "A003": state(title="Weg")}
    after = {"A004": state(title="Nieuw"), "A002": state(title="Folder", progress=60)}
    assert [(c.key, c.kind) for c in changes_between(before, after)] == [
        ("A004", "new"),
        ("A002", "progress"),
        ("A001", "removed"),
        ("A003", "removed"),
    ]


def test_action_state_reads_a_stored_snapshot() -> None:
    stored = {"title": "Telling", "theme": "Wonen", "status": "done", "progress": "100"}
    assert ActionState.from_dict(stored) == ActionState("Telling", "Wonen", "done", 100, "", [])
