"""The monitor's tables as downloads (CSV, XLSX, JSON): the same rows as the pages show.

Registered on import (from ``MonitorConfig.ready``); the generic export view and
`waardig export` offer them. Options: ``indicator`` (code), ``year``, ``grouping``,
``municipality`` (CBS code).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas.models import Municipality
from waardig.core.imports import Option
from waardig.core.numbers import parse_year
from waardig.core.registry import ExportKind, register_export
from waardig.monitor import dashboard, queries
from waardig.monitor.formats import MAX_DECIMALS, storable
from waardig.monitor.models import Forecast, Indicator, Observation
from waardig.monitor.queries import ValueRow

PLACES = Decimal(1).scaleb(-MAX_DECIMALS)

INDICATOR = Option("indicator", gettext_lazy("code van de indicator"), required=True)
YEAR = Option("year", gettext_lazy("jaar, bijvoorbeeld 2022"), required=True)
GROUPING = Option("grouping", gettext_lazy("indeling in regio's: admin of corop"))
MUNICIPALITY = Option(
    "municipality", gettext_lazy("CBS-code van de gemeente, bijvoorbeeld GM0983"), required=True
)
VALUE_COLUMNS = ["value", "status", "source", "derived", "note"]


def _indicator(actor: Any, options: dict[str, Any]) -> Indicator:
    return queries.indicator(actor, options.get("indicator", ""))  # DoesNotExist -> 404


def _year(options: dict[str, Any]) -> int:
    return parse_year(options.get("year", ""))


def _number(value: Decimal | None) -> Decimal | None:
    """As stored: a derived ratio has as many decimals as an observation holds, no more."""
    return None if value is None else storable(value.quantize(PLACES))


def _value_cells(row: ValueRow | None) -> list[Any]:
    if row is None:
        return [None, "", "", False, ""]
    return [_number(row.value), row.status, row.source, row.derived, row.note]


def municipality_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    indicator, year = _indicator(actor, options), _year(options)
    columns = ["code", "municipality", "year", "indicator", *VALUE_COLUMNS, "rank"]
    columns += ["labour_force_share", "registration_rate"]
    rows = [
        [
            item.row.code,
            item.row.name,
            year,
            indicator.code,
            *_value_cells(item.row),
            item.rank,
            _number(item.share.value) if item.share else None,
            _number(item.rate.value) if item.rate else None,
        ]
        for item in dashboard.municipality_rows(actor, indicator, year)
    ]
    return columns, rows


def region_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    indicator, year = _indicator(actor, options), _year(options)
    grouping = options.get("grouping") or dashboard.DEFAULT_GROUPING
    try:
        regions = dashboard.region_rows(actor, indicator, year, grouping)
    except ValueError:
        raise ValidationError(_("Onbekende indeling '%(g)s'.") % {"g": grouping}) from None
    provinces = dashboard.province_rows(actor, indicator, year)
    columns = ["grouping", "region", "year", "indicator", *VALUE_COLUMNS]
    rows = [[grouping, row.name, year, indicator.code, *_value_cells(row)] for row in regions]
    rows += [["", row.name, year, indicator.code, *_value_cells(row)] for row in provinces]
    return columns, rows


def municipality_profile_table(
    actor: Any, options: dict[str, Any]
) -> tuple[list[str], list[list[Any]]]:
    municipality = Municipality.objects.get(code=options.get("municipality", "").upper())
    years, table = dashboard.municipality_profile(actor, municipality)
    columns = ["code", "municipality", "indicator", "unit", "year", *VALUE_COLUMNS]
    rows = []
    for line in table:
        for year, cell in zip(years, line["cells"], strict=True):
            if cell is not None:
                rows.append(
                    [
                        municipality.code,
                        municipality.name,
                        line["indicator"].code,
                        line["indicator"].unit,
                        year,
                        *_value_cells(cell),
                    ]
                )
    return columns, rows


def forecast_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Every stored forecast of the indicator, one row per area and year, with its method and
    parameters (so a reader can redo it)."""
    indicator = _indicator(actor, options)
    columns = ["forecast", "method", "parameters", "code", "area", "year", "low", "central"]
    columns += ["high"]
    rows = [
        [
            forecast.name,
            forecast.method,
            json.dumps(forecast.parameters, sort_keys=True),
            forecast.area.code,
            forecast.area.name,
            point["year"],
            Decimal(point["low"]),
            Decimal(point["central"]),
            Decimal(point["high"]),
        ]
        for forecast in queries.forecasts(actor)
        .filter(indicator=indicator, stay_class="")
        .order_by("name", "municipality__name")
        for point in forecast.points
    ]
    return columns, rows


register_export(
    ExportKind(
        "monitor-forecasts",
        gettext_lazy("Monitor: prognoses van een indicator"),
        Forecast,
        forecast_table,
        options=(INDICATOR,),
    )
)
register_export(
    ExportKind(
        "monitor-municipalities",
        gettext_lazy("Monitor: gemeenten in een jaar"),
        Observation,
        municipality_table,
        options=(INDICATOR, YEAR),
    )
)
register_export(
    ExportKind(
        "monitor-regions",
        gettext_lazy("Monitor: regio's en provincie in een jaar"),
        Observation,
        region_table,
        options=(INDICATOR, YEAR, GROUPING),
    )
)
register_export(
    ExportKind(
        "monitor-municipality",
        gettext_lazy("Monitor: alle cijfers van een gemeente"),
        Observation,
        municipality_profile_table,
        options=(MUNICIPALITY,),
    )
)
