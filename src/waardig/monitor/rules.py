"""Monitor arithmetic on plain values: periods, and totals of regions and provinces.

A region's or province's figure is derived from its municipalities unless it was observed
itself. Which municipalities count depends on the period: those valid on the period's first
day (the CBS convention of the area division "per 1 januari"). Region membership is kept
on today's municipalities, so a municipality that merged later (Nuth, 2017) belongs to the
regions of the municipality it lives on in (Beekdaelen). Counts add up; a ratio is the ratio
of the added-up numerator and denominator, never a mean of municipal ratios.

No Django here: the same functions serve pages, reports, the public view and the API, and
are tested directly (tests/monitor/test_rules.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from waardig.monitor.periods import Period

SUM, WEIGHTED_MEAN, RATIO = "sum", "weighted_mean", "ratio"
PARTS_PER_METHOD = {SUM: 1, WEIGHTED_MEAN: 2, RATIO: 2}
"""What each municipality contributes: a value; a value and its weight; a numerator and a
denominator."""

DEFINITIVE, PROVISIONAL, ESTIMATE, FICTITIOUS = (
    "definitive",
    "provisional",
    "estimate",
    "fictitious",
)
STATUS_ORDER = (DEFINITIVE, PROVISIONAL, ESTIMATE, FICTITIOUS)
STAY_CLASSES = ("short", "mid", "long")  # "" is all stays together
"""From most to least certain: a derived figure is as uncertain as its least certain part."""


@dataclass(frozen=True)
class Place:
    """A municipality as far as aggregation cares: its validity and its successor."""

    code: str
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    successor: str = ""

    def valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def final_successor(code: str, places: Mapping[str, Place]) -> str:
    """The municipality ``code`` lives on in after every merger (itself if none)."""
    seen = {code}
    while (successor := places[code].successor) and successor in places and successor not in seen:
        seen.add(successor)
        code = successor
    return code


def members_in_period(
    members: Iterable[str], places: Mapping[str, Place], period: Period
) -> frozenset[str]:
    """The municipalities a region (given by its members) consists of in ``period``.

    A municipality counts when it is valid on the period's first day and it, or the
    municipality it merged into, is a member.
    """
    members = frozenset(members)
    return frozenset(
        code
        for code, place in places.items()
        if place.valid_on(period.start)
        and (code in members or final_successor(code, places) in members)
    )


@dataclass(frozen=True)
class Derived:
    """A figure derived from municipalities, with how much of the area it covers.

    ``count`` of the ``expected`` municipalities are in it (a merged municipality's values
    may be covered by its successor's, see ``aggregate``); ``used`` names the municipalities
    whose values were used, so a caller can report their status and sources.
    """

    value: Decimal | None
    count: int
    expected: int
    used: frozenset[str] = frozenset()

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.count == self.expected


def aggregate(
    method: str,
    parts: Mapping[str, tuple[Decimal, ...]],
    expected: frozenset[str],
    places: Mapping[str, Place],
    scale: Decimal = Decimal(1),
) -> Derived:
    """Combine the municipalities' parts into one figure for the ``expected`` municipalities.

    ``parts`` holds, per municipality code, the numbers ``method`` needs (see
    ``PARTS_PER_METHOD``); a municipality without every part is missing. Values recorded for
    a municipality outside ``expected`` do not count, with one exception: when a table gives
    a later municipality's figure for an earlier period (Beekdaelen 2017, on today's
    division) and none of the expected municipalities that merged into it has a figure of
    its own, that figure stands for all of them.
    """
    if method not in PARTS_PER_METHOD:
        raise ValueError(f"unknown aggregation {method!r}")
    size = PARTS_PER_METHOD[method]
    available = {code for code, numbers in parts.items() if len(numbers) == size}
    covered = {code: code for code in expected & available}
    by_successor: dict[str, set[str]] = {}
    for code in expected:
        by_successor.setdefault(final_successor(code, places), set()).add(code)
    for successor, merged in by_successor.items():
        if successor not in expected and successor in available and not merged & available:
            covered.update(dict.fromkeys(merged, successor))
    used = frozenset(covered.values())
    return Derived(
        value=_combine(method, [parts[code] for code in sorted(used)], scale) if used else None,
        count=len(covered),
        expected=len(expected),
        used=used,
    )


def _combine(method: str, rows: list[tuple[Decimal, ...]], scale: Decimal) -> Decimal | None:
    if method == SUM:
        return sum((row[0] for row in rows), Decimal(0))
    if method == WEIGHTED_MEAN:
        weights = sum((row[1] for row in rows), Decimal(0))
        return sum((row[0] * row[1] for row in rows), Decimal(0)) / weights if weights else None
    denominator = sum((row[1] for row in rows), Decimal(0))  # a ratio: of the totals
    if not denominator:
        return None
    return scale * sum((row[0] for row in rows), Decimal(0)) / denominator


def joined_sources(sources: Iterable[str]) -> str:
    """The sources of a figure made of parts: each once, in order ("CBS; Decisio")."""
    return "; ".join(dict.fromkeys(source for source in sources if source))


def least_certain(statuses: Iterable[str]) -> str:
    """The status a figure made of parts with these statuses carries ("" for no parts)."""
    ranks = [STATUS_ORDER.index(status) for status in statuses]
    return STATUS_ORDER[max(ranks)] if ranks else ""
