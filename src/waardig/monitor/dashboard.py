"""What the monitor's pages and their downloads show, shaped once from monitor.queries.

The dashboard's tables and the files behind their download links come from the same
functions here, so a download never differs from the table on the screen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from waardig.areas.models import Grouping, Municipality, Province, Region
from waardig.areas.queries import groupings_with_regions
from waardig.core.numbers import digits
from waardig.monitor import queries, rules
from waardig.monitor.models import Forecast, Indicator
from waardig.monitor.queries import MUNICIPALITY, PROVINCE, ValueRow

MAIN_INDICATOR = "working-labour-migrants"
SHARE_INDICATOR = "labour-force-share"
RATE_INDICATOR = "registration-rate"
DEFAULT_GROUPING = "admin"


@dataclass
class MunicipalityRow:
    row: ValueRow
    rank: int | None = None
    share: ValueRow | None = None
    rate: ValueRow | None = None
    trend: list[tuple[int, Decimal]] = field(default_factory=list)
    sparkline: dict[str, Any] | None = None
    """The trend's chart spec, drawn small in the table (the page sets it)."""

    @property
    def trend_text(self) -> str:
        """The sparkline in words, for screen readers and tooltips."""
        return ", ".join(f"{year}: {value:,.0f}".replace(",", ".") for year, value in self.trend)


def years_with_data(actor: Any, indicator: Indicator) -> list[int]:
    """Years with any figure of the indicator, newest first."""
    found = (
        queries.observations(actor)
        .filter(indicator=indicator, period_kind="year")
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(found), reverse=True)


def chosen_year(text: str, years: list[int]) -> int | None:
    """The year asked for when it has figures, else the latest (``years`` newest first)."""
    if digits(text) and int(text) in years:
        return int(text)
    return years[0] if years else None


def groupings() -> list[Grouping]:
    return groupings_with_regions()


def region_rows(actor: Any, indicator: Indicator, year: int, grouping: str) -> list[ValueRow]:
    return queries.value_table(indicator, grouping, str(year), actor=actor)


def province_rows(actor: Any, indicator: Indicator, year: int) -> list[ValueRow]:
    return queries.value_table(indicator, PROVINCE, str(year), actor=actor)


def municipality_rows(actor: Any, indicator: Indicator, year: int) -> list[MunicipalityRow]:
    """Every municipality of the year with its figure, rank (1 = largest), share of the
    labour force, registration rate and its yearly figures up to the year."""
    rows = [
        MunicipalityRow(row)
        for row in queries.value_table(indicator, MUNICIPALITY, str(year), actor=actor)
    ]
    ranked = sorted((r for r in rows if r.row.value is not None), key=lambda r: -r.row.value)
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    extra = {
        "share": _by_code(actor, SHARE_INDICATOR, year),
        "rate": _by_code(actor, RATE_INDICATOR, year),
    }
    trends = municipal_trends(actor, indicator, year)
    for row in rows:
        row.share = extra["share"].get(row.row.code)
        row.rate = extra["rate"].get(row.row.code)
        row.trend = trends.get(row.row.code, [])
    return rows


def _by_code(actor: Any, code: str, year: int) -> dict[str, ValueRow]:
    found = queries.indicators(actor).filter(code=code).first()
    if found is None:
        return {}
    return {
        row.code: row
        for row in queries.value_table(found, MUNICIPALITY, str(year), actor=actor)
        if row.value is not None
    }


def municipal_trends(
    actor: Any, indicator: Indicator, until: int
) -> dict[str, list[tuple[int, Decimal]]]:
    """Observed yearly figures per municipality code up to ``until`` (for sparklines)."""
    trends: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    rows = (
        queries.observations(actor)
        .filter(
            indicator=indicator,
            period_kind="year",
            stay_class="",
            municipality__isnull=False,
            year__lte=until,
        )
        .order_by("year")
        .values_list("municipality__code", "year", "value")
    )
    for code, year, value in rows:
        trends[code].append((year, value))
    return trends


def in_province(province: Province) -> Q:
    """Observations of the province itself, its municipalities or its regions."""
    return (
        Q(province=province)
        | Q(municipality__province=province)
        | Q(region__grouping__province=province)
    )


def province_row(
    actor: Any, indicator: Indicator, year: int, province: Province
) -> ValueRow | None:
    return next(
        (r for r in province_rows(actor, indicator, year) if r.area.pk == province.pk), None
    )


def province_trend(
    actor: Any, indicator: Indicator, province: Province, until: int | None = None
) -> list[tuple[int, ValueRow]]:
    """The province's figure (observed, else derived) for every year with figures of the
    indicator or, for a ratio, of its parts (up to ``until``), oldest first."""
    found = queries.observations(actor).filter(
        in_province(province),
        indicator__in={part.pk for part in (indicator, *indicator.parts())},
        period_kind="year",
    )
    if until is not None:
        found = found.filter(year__lte=until)
    trend = []
    for year in sorted(set(found.values_list("year", flat=True))):
        row = province_row(actor, indicator, year, province)
        if row is not None and row.value is not None:
            trend.append((year, row))
    return trend


def province_forecasts(actor: Any, indicator: Indicator) -> list[Forecast]:
    return list(
        queries.forecasts(actor).filter(indicator=indicator, province__isnull=False, stay_class="")
    )


def municipality_forecasts(
    actor: Any, indicator: Indicator, municipality: Municipality
) -> list[Forecast]:
    return list(
        queries.forecasts(actor).filter(
            indicator=indicator, municipality=municipality, stay_class=""
        )
    )


def sources(rows: list[ValueRow]) -> list[str]:
    """Every source named by the rows, once, in order."""
    found: dict[str, None] = {}
    for row in rows:
        for part in row.source.split("; "):
            if part:
                found[part] = None
    return list(found)


def fictitious(rows: list[ValueRow]) -> bool:
    return any(row.status == rules.FICTITIOUS for row in rows)


def municipality_profile(
    actor: Any, municipality: Municipality
) -> tuple[list[int], list[dict[str, Any]]]:
    """All indicators of one municipality per year: (years, one row per indicator with its
    figures per year, each {value, status, source, derived})."""
    indicators = list(queries.indicators(actor))
    years = sorted(
        set(
            queries.observations(actor)
            .filter(municipality=municipality, period_kind="year", stay_class="")
            .values_list("year", flat=True)
        )
    )
    table = []
    for indicator in indicators:
        cells = []
        for year in years:
            rows = queries.value_table(indicator, MUNICIPALITY, str(year), actor=actor)
            row = next((r for r in rows if r.area.pk == municipality.pk), None)
            cells.append(row if row is not None and row.value is not None else None)
        if any(cells):
            table.append({"indicator": indicator, "cells": cells})
    return years, table


@dataclass(frozen=True)
class RegionForecast:
    """A forecast's last point for a region: the sum of its municipalities' forecasts."""

    name: str
    year: int
    low: Decimal
    central: Decimal
    high: Decimal
    count: int
    expected: int


def region_forecasts(
    actor: Any, indicator: Indicator, regions: list[ValueRow], today: date | None = None
) -> dict[int, list[RegionForecast]]:
    """Per region (pk) each stored forecast's target year summed over its municipalities
    valid ``today`` (forecasts are made for those); a region says how many had one."""
    members: dict[int, set[int]] = defaultdict(set)
    for region_id, municipality_id in Region.municipalities.through.objects.filter(
        region__in=[row.area for row in regions],
        municipality__in=Municipality.objects.valid_on(today or timezone.localdate()),
    ).values_list("region_id", "municipality_id"):
        members[region_id].add(municipality_id)
    by_name: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    for forecast in queries.forecasts(actor).filter(
        indicator=indicator, municipality__isnull=False, stay_class=""
    ):
        if forecast.points:
            by_name[forecast.name][forecast.municipality_id] = forecast.points[-1]
    found: dict[int, list[RegionForecast]] = defaultdict(list)
    for region_id, municipalities in members.items():
        for name, points in sorted(by_name.items()):
            parts = [points[pk] for pk in municipalities if pk in points]
            if parts:
                found[region_id].append(
                    RegionForecast(
                        name,
                        parts[0]["year"],
                        *(sum(Decimal(p[k]) for p in parts) for k in ("low", "central", "high")),
                        count=len(parts),
                        expected=len(municipalities),
                    )
                )
    return found
