"""Programme arithmetic on plain values: progress roll-up, flags, budget totals, changes.

No Django here: the same functions serve pages, reports and the API, and are tested
directly (tests/programme/test_rules.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

DEFAULT_PROGRESS: dict[str, int] = {
    "not_started": 0,
    "running": 50,
    "delayed": 25,
    "done": 100,
    "dropped": 0,
    "continuous": 50,
}
"""Progress suggested when a status is chosen; the author may change it."""

CLOSED_STATUSES = frozenset({"done", "dropped"})
EXCLUDED_FROM_ROLLUP = frozenset({"dropped"})
"""A dropped action no longer counts: it would pull its theme's progress down forever."""


@dataclass(frozen=True)
class ProgressNode:
    """A theme (with children) or an action (a leaf with its own progress)."""

    weight: float = 1.0
    progress: float | None = None
    children: tuple[ProgressNode, ...] = ()


def rolled_up(node: ProgressNode) -> float | None:
    """Weighted mean of the children's progress; None when nothing below counts.

    A leaf answers its own progress (None for an excluded action). Children without
    progress and children with weight 0 do not count.
    """
    if not node.children:
        return node.progress
    total = weights = 0.0
    for child in node.children:
        value = rolled_up(child)
        if value is None or child.weight <= 0:
            continue
        total += value * child.weight
        weights += child.weight
    return total / weights if weights else None


def is_stale(
    *,
    status: str,
    last_update: datetime.date | None,
    start: datetime.date | None,
    today: datetime.date,
    stale_after_days: int,
) -> bool:
    """An open action nobody reported on for ``stale_after_days``.

    Counted from the last update, or for an action without updates from its start
    (an action that has not started yet is not stale).
    """
    if status in CLOSED_STATUSES:
        return False
    since = last_update or start
    if since is None or since > today:
        return False
    return (today - since).days > stale_after_days


def is_overdue(
    *, planned_end: datetime.date | None, achieved_on: datetime.date | None, today: datetime.date
) -> bool:
    """A milestone past its planned date that has not been reached."""
    return achieved_on is None and planned_end is not None and planned_end < today


@dataclass(frozen=True)
class Money:
    """Amounts of one budget line or a sum of lines.

    ``claimed`` is what a line lays claim to: the larger of committed and spent (spending
    without a commitment still counts). A sum adds the claims line by line, so money claimed
    on one line is never hidden by another line's larger commitment.
    """

    budgeted: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    claimed: Decimal | None = None

    def __post_init__(self) -> None:
        if self.claimed is None:
            object.__setattr__(self, "claimed", max(self.committed, self.spent))

    def __add__(self, other: Money) -> Money:
        return Money(
            self.budgeted + other.budgeted,
            self.committed + other.committed,
            self.spent + other.spent,
            self.claimed + other.claimed,  # type: ignore[operator]
        )

    @property
    def remaining(self) -> Decimal:
        return self.budgeted - self.claimed  # type: ignore[operator]

    @property
    def over_budget(self) -> bool:
        """More claimed (committed or spent) than budgeted."""
        return self.remaining < 0


def total(amounts: Iterable[Money]) -> Money:
    result = Money()
    for amount in amounts:
        result = result + amount
    return result


@dataclass(frozen=True)
class Change:
    """One difference between the last published report and now."""

    key: str
    title: str
    kind: str  # new | removed | status | progress | narrative | milestone
    before: str = ""
    after: str = ""


@dataclass
class ActionState:
    """What a report shows of one action; stored in a published report's snapshot."""

    title: str
    theme: str
    status: str
    progress: int
    narrative: str = ""
    milestones_reached: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActionState:
        return cls(
            title=str(data.get("title", "")),
            theme=str(data.get("theme", "")),
            status=str(data.get("status", "")),
            progress=int(data.get("progress", 0)),
            narrative=str(data.get("narrative", "")),
            milestones_reached=[str(m) for m in data.get("milestones_reached", [])],
        )


def changes_between(
    before: Mapping[str, ActionState], after: Mapping[str, ActionState]
) -> list[Change]:
    """What changed per action (by its key), in the order of ``after`` then removed ones."""
    changes: list[Change] = []
    for key, now in after.items():
        then = before.get(key)
        if then is None:
            changes.append(Change(key, now.title, "new", after=now.status))
            continue
        if then.status != now.status:
            changes.append(Change(key, now.title, "status", then.status, now.status))
        if then.progress != now.progress:
            changes.append(
                Change(key, now.title, "progress", f"{then.progress}%", f"{now.progress}%")
            )
        if then.narrative != now.narrative:
            changes.append(Change(key, now.title, "narrative", then.narrative, now.narrative))
        for milestone in now.milestones_reached:
            if milestone not in then.milestones_reached:
                changes.append(Change(key, now.title, "milestone", after=milestone))
    for key, then in before.items():
        if key not in after:
            changes.append(Change(key, then.title, "removed", before=then.status))
    return changes
