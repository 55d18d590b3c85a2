"""Reads of the monitor, through core.access, shaped for tables, charts, reports and the API."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from waardig.areas.models import Municipality, Province, Region
from waardig.core.access import scope
from waardig.monitor import rules
from waardig.monitor.models import (
    AREA_FIELDS,
    OBSERVATION_VALUES,
    Aggregation,
    Forecast,
    Indicator,
    Observation,
    status_label,
)
from waardig.monitor.periods import Period, parse_period

MUNICIPALITY, PROVINCE = "municipality", "province"


@dataclass(frozen=True)
class ValueRow:
    """One area's figure: observed at its own level, or derived from its municipalities.

    A derived row says from how many of how many municipalities (``count``/``expected``);
    an observed row leaves them None. ``status`` and ``source`` of a derived row are those
    of the figures it was made of (the least certain status; every source once).
    """

    area: Model
    code: str
    name: str
    value: Decimal | None
    status: str = ""
    source: str = ""
    derived: bool = False
    count: int | None = None
    expected: int | None = None

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def complete(self) -> bool:
        return not self.derived or (self.expected is not None and self.count == self.expected)

    @property
    def note(self) -> str:
        """What a table shows beside a derived figure ("afgeleid uit 28 van 31 gemeenten")."""
        if not self.derived:
            return ""
        if self.expected == 1 and self.count == 1:
            return _("afgeleid")
        return _("afgeleid uit %(count)s van %(expected)s gemeenten") % {
            "count": self.count,
            "expected": self.expected,
        }


def indicators(actor: Any) -> QuerySet[Indicator]:
    return scope(actor, Indicator.objects.select_related("numerator", "denominator", "weight"))


def indicator(actor: Any, code: str) -> Indicator:
    return indicators(actor).get(code=code)


def observations(actor: Any) -> QuerySet[Observation]:
    return scope(actor, Observation.objects.all())


FigureKey = tuple[int, str, int, str, str]
"""(indicator id, area field, area id, period, stay class): an observation's natural key."""


class StoredFigure(NamedTuple):
    pk: int
    value: Decimal
    status: str
    source: str
    publication: str
    retrieved_on: datetime.date | None


def stored_figures(actor: Any, keys: list[FigureKey]) -> dict[FigureKey, StoredFigure]:
    """The stored figures under these keys (one query per kind of area), for an import to
    compare a batch of rows with."""
    found: dict[FigureKey, StoredFigure] = {}
    wanted = set(keys)
    for field in AREA_FIELDS:
        mine = [key for key in keys if key[1] == field]
        if not mine:
            continue
        rows = observations(actor).filter(
            indicator_id__in={key[0] for key in mine},
            period__in={key[3] for key in mine},
            **{f"{field}_id__in": {key[2] for key in mine}},
        )
        for indicator_id, area_id, period, stay_class, *values in rows.values_list(
            "indicator_id", f"{field}_id", "period", "stay_class", "pk", *OBSERVATION_VALUES
        ):
            key = (indicator_id, field, area_id, period, stay_class)
            if key in wanted:
                found[key] = StoredFigure(*values)
    return found


def value_table(
    indicator: Indicator | str,
    level: str,
    period: str,
    stay_class: str = "",
    *,
    actor: Any,
) -> list[ValueRow]:
    """The indicator's figure for every area of one level in one period.

    ``level`` is "municipality", "province" or the slug of a grouping ("admin", "corop"):
    then one row per region of that grouping. A figure observed at the level itself wins;
    otherwise it is derived from the municipalities (see ``rules.aggregate``). For a ratio
    a municipality's own numerator and denominator give its figure when it has none
    observed. Rows list the municipalities valid in the period, and any other municipality
    with a figure for it.
    """
    if isinstance(indicator, str):
        indicator = indicators(actor).get(code=indicator)
    parsed = parse_period(period)  # FormatError (a ValueError) when it is no period
    areas, field = _areas(actor, level, indicator, parsed, stay_class)
    observed = {
        getattr(o, f"{field}_id"): o
        for o in observations(actor).filter(
            indicator=indicator,
            period=parsed.canonical,
            stay_class=stay_class,
            **{f"{field}__in": [area.pk for area in areas]},
        )
    }
    deriving = [area for area in areas if area.pk not in observed]
    if deriving and (level != MUNICIPALITY or indicator.aggregation == Aggregation.RATIO):
        derived = _derived(actor, indicator, level, deriving, parsed, stay_class)
    else:
        derived = {}
    rows = []
    for area in areas:
        if area.pk in observed:
            obs = observed[area.pk]
            rows.append(_row(area, obs.value, obs.status, obs.source))
        elif area.pk in derived:
            rows.append(derived[area.pk])
        else:
            rows.append(_row(area, None))
    return rows


def _row(area: Model, value: Decimal | None, status: str = "", source: str = "") -> ValueRow:
    code = getattr(area, "code", "") or str(area.pk)
    return ValueRow(area=area, code=code, name=area.name, value=value, status=status, source=source)


def _areas(
    actor: Any, level: str, indicator: Indicator, period: Period, stay_class: str
) -> tuple[list[Model], str]:
    if level == PROVINCE:
        return list(Province.objects.order_by("name")), "province"
    if level == MUNICIPALITY:
        recorded = (
            observations(actor)
            .filter(
                indicator=indicator,
                period=period.canonical,
                stay_class=stay_class,
                municipality__isnull=False,
            )
            .values("municipality")
        )
        found = Municipality.objects.valid_on(period.start) | Municipality.objects.filter(
            pk__in=recorded
        )
        return list(found.order_by("name", "code")), "municipality"
    regions = list(
        Region.objects.filter(grouping__slug=level)
        .select_related("grouping__province")
        .order_by("grouping__province__name", "name")
    )
    if not regions:
        raise ValueError(f"no regions in a grouping {level!r}")
    return regions, "region"


def _derived(
    actor: Any,
    indicator: Indicator,
    level: str,
    areas: list[Model],
    period: Period,
    stay_class: str,
) -> dict[int, ValueRow]:
    places = municipality_places()
    parts, found = _municipal_parts(actor, indicator, period, stay_class)
    members = _members(level, areas)
    rows = {}
    for area in areas:
        if level == MUNICIPALITY:  # its own parts only: no successor stands in for it
            expected, known = frozenset({area.code}), {area.code: rules.Place(area.code)}
        else:
            expected, known = rules.members_in_period(members[area.pk], places, period), places
        result = rules.aggregate(indicator.aggregation, parts, expected, known, indicator.scale)
        if not result.used:
            continue  # nothing to derive from: shown as an empty figure, not a derived one
        used = [obs for code in sorted(result.used) for obs in found[code]]
        rows[area.pk] = ValueRow(
            area=area,
            code=getattr(area, "code", "") or str(area.pk),
            name=area.name,
            value=result.value,
            status=rules.least_certain(obs.status for obs in used),
            source=rules.joined_sources(obs.source for obs in used),
            derived=True,
            count=result.count,
            expected=result.expected,
        )
    return rows


def municipality_places() -> dict[str, rules.Place]:
    """Every municipality's validity and successor: what aggregation needs to know of it."""
    return {
        code: rules.Place(code, valid_from, valid_to, successor or "")
        for code, valid_from, valid_to, successor in Municipality.objects.values_list(
            "code", "valid_from", "valid_to", "successor__code"
        )
    }


def _municipal_parts(
    actor: Any, indicator: Indicator, period: Period, stay_class: str
) -> tuple[dict[str, tuple[Decimal, ...]], dict[str, list[Observation]]]:
    """Per municipality code the numbers the indicator's aggregation needs, in the order of
    ``Indicator.parts``, and the observations they came from.

    A part that is not split by stay class is read for all stay classes together (the
    labour force under the share of short-stay workers).
    """
    wanted = indicator.parts()
    values: dict[tuple[int, str], Decimal] = {}
    found: dict[str, list[Observation]] = defaultdict(list)
    for part in dict.fromkeys(wanted):
        rows = observations(actor).filter(
            indicator=part,
            period=period.canonical,
            stay_class=stay_class if part.by_stay_class else "",
            municipality__isnull=False,
        )
        for obs in rows.select_related("municipality").only(
            "value", "status", "source", "municipality__code"
        ):
            values[(part.pk, obs.municipality.code)] = obs.value
            found[obs.municipality.code].append(obs)
    parts = {}
    for code in found:
        numbers = tuple(values.get((part.pk, code)) for part in wanted)
        if None not in numbers:
            parts[code] = numbers
    return parts, found


def _members(level: str, areas: list[Model]) -> dict[int, set[str]]:
    if level == PROVINCE:
        members: dict[int, set[str]] = defaultdict(set)
        for province_id, code in Municipality.objects.values_list("province_id", "code"):
            members[province_id].add(code)
        return members
    if level == MUNICIPALITY:
        return {}
    members = defaultdict(set)
    through = Region.municipalities.through.objects.filter(region__in=areas)
    for region_id, code in through.values_list("region_id", "municipality__code"):
        members[region_id].add(code)
    return members


def yearly_values(
    actor: Any, indicator: Indicator, level: str, years: Iterable[int], stay_class: str = ""
) -> dict[int, dict[str, Decimal]]:
    """Per area code the indicator's yearly figures (observed, else derived), for the years
    that have one: the input of a forecast and of a trend line."""
    series: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for year in years:
        for row in value_table(indicator, level, str(year), stay_class, actor=actor):
            if row.value is not None:
                series[row.code][year] = row.value
    return series


def series_on_todays_division(
    actor: Any,
    indicator: Indicator,
    years: Iterable[int],
    today: datetime.date,
    stay_class: str = "",
) -> dict[str, dict[int, Decimal]]:
    """Per municipality valid ``today`` its yearly figures, a year before a merger counted as
    the sum of the municipalities it was made of (Beekdaelen 2017 = Nuth + Onderbanken +
    Schinnen), the same rule that makes a region's total; only complete years are given."""
    current = list(Municipality.objects.valid_on(today).values_list("code", flat=True))
    places = municipality_places()
    series: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for year in years:
        period = parse_period(str(year))
        parts, _found = _municipal_parts(actor, indicator, period, stay_class)
        for code in current:
            expected = rules.members_in_period({code}, places, period)
            result = rules.aggregate(
                indicator.aggregation, parts, expected, places, indicator.scale
            )
            if result.complete and result.value is not None:
                series[code][year] = result.value
    return series


LARGE_AREA_FIELDS = ("municipality__boundary",)
"""A joined municipality's boundary (GeoJSON) is large and no figure needs it."""


def forecasts(actor: Any) -> QuerySet[Forecast]:
    joined = Forecast.objects.select_related("indicator", "municipality", "province")
    return scope(actor, joined.defer(*LARGE_AREA_FIELDS))
