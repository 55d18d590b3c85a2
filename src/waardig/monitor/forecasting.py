"""Forecasts of monitor figures: where a yearly count may go, as a low, central and high path.

Three ways to look ahead, each one a reader can redo: compound growth (as the province's own
study put it: ~16 % a year from 2017 to 2022), a straight-line trend, and a published scenario
(96,000 - 112,000 in 2030). A forecast is never one number: every point carries its range and
the parameters that made it are kept with it. A province forecast is shared out over the
municipalities so that their points add up exactly to the province's.

No Django apart from translated messages: pages, reports and the API use the same functions,
tested directly (tests/monitor/test_forecasting.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Context, Decimal

from django.utils.translation import gettext as _

from waardig.monitor.periods import LAST_YEAR

CAGR, LINEAR, SCENARIO = "cagr", "linear", "scenario"
CENT = Decimal("0.01")
Z_95 = Decimal("1.96")
"""Half the width of the linear trend's range, in residual standard deviations."""
SHARE_TOLERANCE = Decimal("0.001")
"""Shares rounded for display may miss 1 by this much; they are scaled to 1 before use."""


class ForecastError(ValueError):
    """Input a forecast cannot be made from; the message says what and why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Point:
    """One year of a forecast: the central value and the range around it."""

    year: int
    low: Decimal
    central: Decimal
    high: Decimal

    def __post_init__(self) -> None:
        if not self.low <= self.central <= self.high:
            raise ValueError(f"{self.year}: {self.low} <= {self.central} <= {self.high} fails")


@dataclass(frozen=True)
class Path:
    """A forecast: how it was made (``parameters`` can be stored as JSON) and its points."""

    method: str
    parameters: dict
    points: tuple[Point, ...]


# --- methods -------------------------------------------------------------------------------


def compound_growth(
    series: Mapping[int, Decimal], base_years: Sequence[int], target_year: int
) -> Path:
    """Grow the last base value at the average yearly rate between the first and last base
    year; the range spans the slowest and fastest rate between consecutive base years."""
    years = _base_years(series, base_years, target_year)
    value_of = {year: Decimal(series[year]) for year in years}
    for year, value in value_of.items():
        if value <= 0:
            raise ForecastError(
                _("Basisjaar %(year)s heeft waarde %(value)s: groei vraagt waarden boven 0.")
                % {"year": year, "value": _plain(value)}
            )
    first_year, last_year, last_value = years[0], years[-1], value_of[years[-1]]
    rate = _rate(value_of[first_year], last_value, last_year - first_year)
    steps = [_rate(value_of[a], value_of[b], b - a) for a, b in itertools.pairwise(years)]
    low_rate, high_rate = min(steps), max(steps)

    def grow(growth: Decimal, year: int) -> Decimal:
        return last_value * (1 + growth) ** (year - last_year)

    return _path(
        CAGR,
        {"base_years": years, **_texts(6, rate=rate, low_rate=low_rate, high_rate=high_rate)},
        range(last_year + 1, target_year + 1),
        lambda year: (grow(low_rate, year), grow(rate, year), grow(high_rate, year)),
    )


def linear_trend(
    series: Mapping[int, Decimal], base_years: Sequence[int], target_year: int
) -> Path:
    """Extend the least-squares line through the base years; the range is the line plus or
    minus 1.96 residual standard deviations. Counts are never negative, so nothing is below 0."""
    years = _base_years(series, base_years, target_year)
    values = [Decimal(series[year]) for year in years]
    count = len(years)
    mean_year, mean_value = Decimal(sum(years)) / count, _total(values) / count
    dx = [year - mean_year for year in years]
    dy = [value - mean_value for value in values]
    slope = _total(x * y for x, y in zip(dx, dy, strict=True)) / _total(x * x for x in dx)
    intercept = mean_value - slope * mean_year
    residuals = _total((y - slope * x) ** 2 for x, y in zip(dx, dy, strict=True))
    sd = (residuals / (count - 2)).sqrt() if count > 2 else Decimal(0)
    width = Z_95 * sd

    def values_in(year: int) -> tuple[Decimal, ...]:
        central = intercept + slope * year
        return tuple(max(Decimal(0), v) for v in (central - width, central, central + width))

    return _path(
        LINEAR,
        {"base_years": years, **_texts(6, slope=slope, intercept=intercept, residual_sd=sd)},
        range(years[-1] + 1, target_year + 1),
        values_in,
    )


def scenario_bounds(
    last_year: int, last_value: Decimal, target_year: int, low: Decimal, high: Decimal
) -> Path:
    """Follow a published scenario (a low and a high value in a target year) by steady growth
    from the last observed value; the central path heads for the middle of the two."""
    last_value, low, high = Decimal(last_value), Decimal(low), Decimal(high)
    _check_target(target_year, last_year)
    named = {_("laatste waarde"): last_value, _("lage waarde"): low, _("hoge waarde"): high}
    for name, value in named.items():
        if value <= 0:
            raise ForecastError(
                _("De %(name)s van het scenario is %(value)s; die moet boven 0 liggen.")
                % {"name": name, "value": _plain(value)}
            )
    if low > high:
        raise ForecastError(
            _("De lage scenariowaarde %(low)s ligt boven de hoge %(high)s.")
            % {"low": _plain(low), "high": _plain(high)}
        )
    middle = (low + high) / 2
    span = target_year - last_year

    def values_in(year: int) -> tuple[Decimal, ...]:
        if year == target_year:  # exactly the published figures, not a power's rounding
            return low, middle, high
        share = Decimal(year - last_year) / span
        return tuple(last_value * (end / last_value) ** share for end in (low, middle, high))

    return _path(
        SCENARIO,
        {"last_year": last_year, "target_year": target_year}
        | _texts(None, last_value=last_value, low=low, high=high),
        range(last_year + 1, target_year + 1),
        values_in,
    )


# --- shares --------------------------------------------------------------------------------


def shares(values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each key's part of the total, e.g. a municipality's part of the province's count."""
    for key, value in values.items():
        if value < 0:
            raise ForecastError(
                _("Negatieve waarde %(value)s voor %(key)s: een aandeel vraagt 0 of meer.")
                % {"value": _plain(Decimal(value)), "key": key}
            )
    total = _total(Decimal(value) for value in values.values())
    if total == 0:
        raise ForecastError(_("De waarden tellen op tot 0: daaruit volgen geen aandelen."))
    return {key: Decimal(value) / total for key, value in values.items()}


def distribute(province: Path, shares: Mapping[str, Decimal]) -> dict[str, Path]:
    """Share a province forecast out over municipalities. Low, the step to central and the
    step to high are each apportioned in whole cents (largest remainder), so every municipal
    point keeps low <= central <= high and the municipal points add up to the province's."""
    weights = _checked_shares(shares)
    parts: dict[str, list[Point]] = {key: [] for key in weights}
    for point in province.points:
        lows = _apportion(point.low, weights)
        rises = _apportion(point.central - point.low, weights)
        tops = _apportion(point.high - point.central, weights)
        for key, points in parts.items():
            central = lows[key] + rises[key]
            points.append(Point(point.year, lows[key], central, central + tops[key]))
    return {
        key: Path(
            province.method,
            {**province.parameters, "share": _plain(Decimal(shares[key]))},
            tuple(points),
        )
        for key, points in parts.items()
    }


def _checked_shares(given: Mapping[str, Decimal]) -> dict[str, Decimal]:
    if not given:
        raise ForecastError(_("Geen aandelen om de prognose over te verdelen."))
    for key, share in given.items():
        if not 0 <= share <= 1:
            raise ForecastError(
                _("Aandeel %(share)s voor %(key)s ligt niet tussen 0 en 1.")
                % {"share": _plain(Decimal(share)), "key": key}
            )
    total = _total(Decimal(share) for share in given.values())
    if abs(total - 1) > SHARE_TOLERANCE:
        raise ForecastError(
            _("De aandelen tellen op tot %(total)s in plaats van 1.") % {"total": _plain(total)}
        )
    return {key: Decimal(share) / total for key, share in given.items()}


def _apportion(amount: Decimal, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """``amount`` (whole cents) split by ``weights`` (summing to 1) into whole cents that add
    up to it exactly: everyone gets the cents below their exact part, and the cents left go
    to the largest remainders (ties by key, so the result does not depend on dict order)."""
    cents = int(amount.scaleb(2))
    exact = {key: cents * weight for key, weight in weights.items()}
    whole = {
        key: int(value.to_integral_value(rounding=ROUND_FLOOR)) for key, value in exact.items()
    }
    left = cents - sum(whole.values())
    for key in sorted(exact, key=lambda key: (whole[key] - exact[key], key))[:left]:
        whole[key] += 1
    return {key: Decimal(value).scaleb(-2) for key, value in whole.items()}


# --- shared steps --------------------------------------------------------------------------


def _base_years(series: Mapping[int, Decimal], base_years: Sequence[int], target: int) -> list[int]:
    """The base years, sorted, once checked against the series and the target year."""
    years = sorted(base_years)
    if len(years) < 2:
        raise ForecastError(_("Kies ten minste twee basisjaren."))
    for year, following in itertools.pairwise(years):
        if year == following:
            raise ForecastError(_("Basisjaar %(year)s staat er twee keer in.") % {"year": year})
    for year in years:
        if year not in series:
            raise ForecastError(_("Geen waarde voor basisjaar %(year)s.") % {"year": year})
    _check_target(target, years[-1])
    return years


def _check_target(target: int, last: int) -> None:
    if target <= last:
        raise ForecastError(
            _("Het doeljaar %(target)s ligt niet na het laatste jaar met een waarde (%(last)s).")
            % {"target": target, "last": last}
        )
    if target > LAST_YEAR:
        raise ForecastError(
            _("Het doeljaar %(target)s ligt na %(max)s.") % {"target": target, "max": LAST_YEAR}
        )


def _total(numbers: Iterable[Decimal]) -> Decimal:
    return sum(numbers, Decimal(0))


def _rate(first: Decimal, last: Decimal, years: int) -> Decimal:
    """The yearly growth rate that turns ``first`` into ``last`` in ``years`` years."""
    return (last / first) ** (Decimal(1) / years) - 1


def _path(method: str, parameters: dict, years: range, values_in: Callable) -> Path:
    """A forecast of the years in ``years``; ``values_in(year)`` gives (low, central, high)."""
    return Path(method, parameters, tuple(_point(year, *values_in(year)) for year in years))


def _point(year: int, low: Decimal, central: Decimal, high: Decimal) -> Point:
    """Round to cents only here; rounding is monotone, but rates computed separately may
    differ in their last digit, so the order is made sure of."""
    low, central, high = _cents(low), _cents(central), _cents(high)
    return Point(year, min(low, central), central, max(high, central))


def _cents(value: Decimal, places: Decimal = CENT) -> Decimal:
    # Enough digits for any size: the default 28 would refuse to quantize a very large value.
    context = Context(prec=max(28, value.adjusted() + 10))
    return value.quantize(places, rounding=ROUND_HALF_EVEN, context=context)


def _texts(places: int | None, **values: Decimal) -> dict[str, str]:
    return {name: _plain(value, places) for name, value in values.items()}


def _plain(value: Decimal, places: int | None = None) -> str:
    """A decimal as text without exponent (JSON and people read it), optionally rounded."""
    if places is not None:
        value = _cents(value, Decimal(1).scaleb(-places))
    return format(value, "f")
