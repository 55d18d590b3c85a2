"""The housing arithmetic on plain values: stay classes, occupancy from guest registers,
the gap between need and capacity and housing need derived from monitor figures.

No Django here: the pages, the report, the API and the imports all call these functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

SHORT, MID, LONG = "short", "mid", "long"
STAY_CLASSES = (SHORT, MID, LONG)

PROJECT_STATUSES = ("idea", "preparation", "permit", "construction", "realised", "cancelled")
DEFAULT_WEIGHTS = {
    "idea": Decimal("0.1"),
    "preparation": Decimal("0.3"),
    "permit": Decimal("0.6"),
    "construction": Decimal("0.9"),
    # A realised project is a location in use: counting it here would count it twice.
    "realised": Decimal("0"),
    "cancelled": Decimal("0"),
}


def default_weights() -> dict[str, str]:
    """The stored form (JSON) of the default weights."""
    return {status: str(weight) for status, weight in DEFAULT_WEIGHTS.items()}


@dataclass(frozen=True)
class Parameters:
    """Stay-class limits in months (short up to and including ``short_max_months``, mid up to
    ``mid_max_months``, long beyond) and the weight of a planned project per status."""

    short_max_months: int = 4
    mid_max_months: int = 24
    weights: Mapping[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def __post_init__(self) -> None:
        if not 0 < self.short_max_months < self.mid_max_months:
            raise ValueError("short stay must end before mid stay: 0 < short < mid months")
        for status, weight in self.weights.items():
            if status not in PROJECT_STATUSES:
                raise ValueError(f"unknown project status {status!r}")
            if not Decimal(0) <= Decimal(weight) <= Decimal(1):
                raise ValueError(f"the weight of {status!r} is not between 0 and 1")
        if self.weights.get("cancelled", Decimal(0)) != 0:
            raise ValueError("a cancelled project never counts")

    def weight(self, status: str) -> Decimal:
        return Decimal(self.weights.get(status, Decimal(0)))


DEFAULT_PARAMETERS = Parameters()

# -- addresses and certificates -------------------------------------------------------------


_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


def valid_postcode(text: str) -> bool:
    return bool(_POSTCODE.match(text or ""))


def normal_postcode(text: str) -> str:
    """'5911ab' -> '5911 AB'; text that is no postcode is returned as it was."""
    found = _POSTCODE.match(text or "")
    return f"{found[1]} {found[2].upper()}" if found else text


def certified_on(scheme: str, valid_until: date | None, day: date) -> bool:
    """A location counts as certified on a day when it has a scheme whose certificate has not
    expired (a certificate without an end date counts as valid)."""
    return scheme not in ("", "none") and (valid_until is None or valid_until >= day)


# -- stays and occupancy ----------------------------------------------------------------------


def months_between(start: date, end: date) -> Decimal:
    """Length of a stay in months of 30.44 days (the mean month), to one decimal."""
    days = (end - start).days
    return (Decimal(days) / Decimal("30.44")).quantize(Decimal("0.1"), ROUND_HALF_UP)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day where it has no
    such day: 31 January + 1 month is 28 or 29 February)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def stay_class_of(arrival: date, departure: date | None, today: date, params: Parameters) -> str:
    """The class of one stay by its length in calendar months (an ongoing stay counts until
    ``today``): short up to and including ``short_max_months`` months after arrival.

    One stay on its own: the province's short-stay rule (at most 4 months in a row within a
    year) also adds up a person's returns, which is the compliance app's overstay signal."""
    end = departure or today
    if end <= add_months(arrival, params.short_max_months):
        return SHORT
    if end <= add_months(arrival, params.mid_max_months):
        return MID
    return LONG


@dataclass(frozen=True)
class Stay:
    arrival: date
    departure: date | None  # None: still there


def overlap(a: Stay, b: Stay) -> bool:
    """Two stays share a night (a departure day is no night at the location)."""
    return (a.departure is None or a.departure > b.arrival) and (
        b.departure is None or b.departure > a.arrival
    )


def present_on(stays: Iterable[Stay], day: date) -> int:
    """How many stays cover the night of ``day``: arrived on or before it, not yet left
    (the departure day itself is not a night at the location)."""
    return sum(1 for s in stays if s.arrival <= day and (s.departure is None or s.departure > day))


def occupancy_series(stays: Iterable[Stay], days: Iterable[date]) -> list[tuple[date, int]]:
    """Persons present on each of ``days`` (every stay is looked at for every day: a
    location's register and a few years of months are small)."""
    stays = list(stays)
    return [(day, present_on(stays, day)) for day in days]


def month_starts(first: date, last: date) -> list[date]:
    """The first day of each month from ``first``'s month to ``last``'s month."""
    day = first.replace(day=1)
    result = []
    while day <= last:
        result.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return result


# -- the gap ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    capacity: int
    status: str


@dataclass(frozen=True)
class Gap:
    """Need against capacity for one area and stay class; ``None`` means unknown.

    ``shortage`` is need - existing - weighted planned: positive is a shortage, negative a
    surplus. It is unknown when the need is unknown: no data is never shown as zero.
    """

    need: int | None
    certified: int
    uncertified: int
    planned: Decimal
    planned_unweighted: int

    @property
    def existing(self) -> int:
        return self.certified + self.uncertified

    @property
    def shortage(self) -> Decimal | None:
        if self.need is None:
            return None
        return Decimal(self.need) - self.existing - self.planned


def weighted(projects: Iterable[Planned], params: Parameters) -> Decimal:
    return sum(
        (Decimal(p.capacity) * params.weight(p.status) for p in projects), Decimal(0)
    ).quantize(Decimal("0.1"), ROUND_HALF_UP)


def gap(
    need: int | None,
    certified: int,
    uncertified: int,
    projects: Iterable[Planned],
    params: Parameters,
) -> Gap:
    projects = list(projects)
    return Gap(
        need=need,
        certified=certified,
        uncertified=uncertified,
        planned=weighted(projects, params),
        planned_unweighted=sum(p.capacity for p in projects if p.status != "cancelled"),
    )


def combine(gaps: Iterable[Gap]) -> Gap:
    """The gap of an area made of others (a region, all stay classes): capacities add up;
    the need is known only when every part's need is known."""
    gaps = list(gaps)
    needs = [g.need for g in gaps]
    return Gap(
        need=None if not gaps or any(n is None for n in needs) else sum(needs),  # type: ignore[arg-type]
        certified=sum(g.certified for g in gaps),
        uncertified=sum(g.uncertified for g in gaps),
        planned=sum((g.planned for g in gaps), Decimal(0)),
        planned_unweighted=sum(g.planned_unweighted for g in gaps),
    )


# -- need derived from the monitor ------------------------------------------------------------


@dataclass(frozen=True)
class NeedParameters:
    """How a monitor figure (labour migrants living or working in a municipality) becomes a
    housing need in persons, per stay class.

    ``share_needing_housing``: the part (0-1) that needs housing arranged for labour migrants
    (the rest lives in regular housing of its own). ``class_shares``: how that part splits over
    short, mid and long stay (adds up to 1). ``household_size``: persons per long-staying worker
    (partner and children come along; 1 = the worker alone). ``persons_per_unit`` turns persons
    into housing units and is recorded with the result.
    """

    share_needing_housing: Decimal
    class_shares: Mapping[str, Decimal]
    persons_per_unit: Decimal = Decimal(1)
    household_size: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.share_needing_housing <= Decimal(1):
            raise ValueError("the share needing housing is between 0 and 1 (0 % and 100 %)")
        if set(self.class_shares) != set(STAY_CLASSES):
            raise ValueError("give a share for each stay class: short, mid and long")
        if any(not Decimal(0) <= s <= Decimal(1) for s in self.class_shares.values()):
            raise ValueError("each stay-class share is between 0 and 1")
        if sum(self.class_shares.values()) != Decimal(1):
            raise ValueError("the stay-class shares add up to 1 (100 %)")
        if self.persons_per_unit <= 0 or self.household_size <= 0:
            raise ValueError("persons per unit and household size are more than 0")

    def as_json(self) -> dict[str, str | dict[str, str]]:
        return {
            "share_needing_housing": str(self.share_needing_housing),
            "class_shares": {k: str(v) for k, v in self.class_shares.items()},
            "persons_per_unit": str(self.persons_per_unit),
            "household_size": str(self.household_size),
        }


def derive_need(migrants: Decimal, params: NeedParameters) -> dict[str, int]:
    """Persons needing housing per stay class (long-stayers with their households), rounded
    so that the classes add up to the rounded total (largest remainder)."""
    workers = migrants * params.share_needing_housing
    exact = {c: workers * params.class_shares[c] for c in STAY_CLASSES}
    exact[LONG] *= params.household_size
    rounded = {c: int(v) for c, v in exact.items()}
    total = sum(exact.values(), Decimal(0))
    left = int(total.quantize(Decimal(1), ROUND_HALF_UP)) - sum(rounded.values())
    for c in sorted(STAY_CLASSES, key=lambda c: exact[c] - rounded[c], reverse=True)[:left]:
        rounded[c] += 1
    return rounded


def units_for(persons: int, params: NeedParameters) -> Decimal:
    """Housing units for a number of persons (beds per unit for short stay, households for
    long stay are both expressed by ``persons_per_unit``)."""
    return (Decimal(persons) / params.persons_per_unit).quantize(Decimal("0.1"), ROUND_HALF_UP)
