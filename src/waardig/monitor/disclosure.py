"""Small-number protection of the public figures: no published count may point at a few people.

The public page shows counts per municipality, per region (admin regions and COROP regions)
and for the province. A count below the threshold could identify individual migrants, so it
is shown as "< 10" (primary protection, reason "small"). The real totals are shown as well,
so a hidden count must not come back by subtraction: whenever one equation
``total = part + part + ...`` would have exactly one hidden figure, a second cell of that
equation is hidden too (secondary protection, reason "complement"), and this is repeated until
no equation changes, because a cell hidden for one equation (a municipality in its admin region)
can leave another with one unknown (the same municipality in its COROP region, or the region
in the province).

What this guarantees, for the totals the caller declares:
- no shown figure is between 0 and the threshold (a zero reveals nobody and is shown);
- in every declared equation whose total has a figure, the number of hidden cells with a
  figure, the total included, is 0 or at least 2: no hidden value follows from one equation
  alone, neither a part (total minus the other parts) nor a total (the sum of its parts);
- the same input gives the same output (ties go to the lower key).

What it does not guarantee:
- it is not a linear-programming audit: combining equations (an admin region minus a COROP
  region over shared municipalities) can in some layouts still pin a hidden value down;
- a hidden cell's range can be narrowed (a "< 10" part plus a hidden complement with a known
  sum), only its exact value is withheld;
- only declared equations are guarded: a shown total the caller leaves out is not;
- a cell without a figure (None) is read as a known zero, the cautious reading; values are
  non-negative counts, and the keys within one equation must be comparable with each other.

A complement cell is at least the threshold, so it is shown as "x" (the CBS mark for a
confidential figure), not as "< 10", which would publish a false statement about it.

No Django here: tested directly and property-tested (tests/monitor/test_disclosure.py).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

SMALL, COMPLEMENT, DERIVED = "small", "complement", "derived"
CONFIDENTIAL_MARK = "x"
"""Shown for a cell hidden for any reason but its own smallness (CBS: "x = geheim")."""


@dataclass(frozen=True)
class Shown:
    """A cell as the public sees it: its value, or that it is hidden and why.

    ``reason`` is "" (shown), "small" (below the threshold), "complement" (hidden so that a
    total does not give a small cell away) or "derived" (a ratio with a hidden part).
    """

    value: Decimal | None
    protected: bool = False
    reason: str = ""

    def text(self, threshold: int) -> str:
        """Plain digits for a value, "< threshold" for a small cell, "x" for another hidden
        one, "" when there is no figure."""
        if self.protected:
            return f"< {threshold}" if self.reason == SMALL else CONFIDENTIAL_MARK
        if self.value is None:
            return ""
        if self.value == self.value.to_integral_value():
            return f"{self.value.to_integral_value():f}"
        return f"{self.value:f}"


@dataclass(frozen=True)
class Total:
    """One equation the public can check: the cell ``key`` is the sum of the cells ``parts``."""

    key: Hashable
    parts: frozenset[Hashable]


def protect(
    cells: Mapping[Hashable, Decimal | None], totals: Sequence[Total], threshold: int
) -> dict[Hashable, Shown]:
    """What to show of each cell so that no count below ``threshold`` can be read or derived.

    Every key a total names must be a cell (a mismatch would silently leave it unguarded).
    """
    if threshold < 0:
        raise ValueError(f"the threshold cannot be negative: {threshold}")
    _check_keys(cells, totals)
    reasons = {key: SMALL for key, value in cells.items() if _is_small(value, threshold)}
    changed = True
    while changed:
        changed = False
        for total in totals:
            guard = _second_unknown(total, cells, reasons)
            if guard is not None:
                reasons[guard] = COMPLEMENT
                changed = True
    return {
        key: Shown(None, protected=True, reason=reasons[key]) if key in reasons else Shown(value)
        for key, value in cells.items()
    }


def protect_ratio(numerator: Shown, denominator: Shown, value: Decimal | None) -> Shown:
    """A ratio of two shown cells; hidden when either is, because it would give that one back."""
    if numerator.protected or denominator.protected:
        return Shown(None, protected=True, reason=DERIVED)
    return Shown(value)


def _is_small(value: Decimal | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def _check_keys(cells: Mapping[Hashable, Decimal | None], totals: Sequence[Total]) -> None:
    for total in totals:
        unknown = ({total.key} | total.parts) - cells.keys()
        if unknown:
            raise ValueError(f"total {total.key!r} names cells without an entry: {unknown!r}")


def _second_unknown(
    total: Total, cells: Mapping[Hashable, Decimal | None], reasons: Mapping[Hashable, str]
) -> Hashable | None:
    """The cell to hide so that ``total`` does not have exactly one hidden figure, if any.

    The smallest shown non-zero part (lowest key on a tie) costs the reader least; when there
    is none, the total itself. A total without a figure gives nothing away.
    """
    if cells[total.key] is None:
        return None
    parts = total.parts - {total.key}
    hidden = [key for key in (total.key, *parts) if cells[key] is not None and key in reasons]
    if len(hidden) != 1:
        return None
    candidates = [key for key in parts if key not in reasons and cells[key]]
    if candidates:
        return min(candidates, key=lambda key: (cells[key], key))
    if total.key not in reasons:
        return total.key
    return None  # the total is hidden and its parts are zero or unknown: the sum tells nothing
