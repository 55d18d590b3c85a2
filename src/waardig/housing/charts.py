"""The housing charts as Vega-Lite specs, one spec for the page (vega-embed) and the report
(vl-convert): need beside existing and planned capacity, and a map of the shortage.

Plain values in, a dict out; no queries. The map reuses the monitor's tile map and
choropleth and only changes their colours: a shortage and a surplus are opposites, so they
get a diverging scale (orange for a shortage, blue for a surplus, pale around zero) instead
of one that reads "more is darker".
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from waardig.core.charts import PALETTE, json_number, theme
from waardig.monitor import charts as monitor_charts
from waardig.monitor.charts import NUMBER_FORMAT, SCHEMA

NEED = "Behoefte"
EXISTING = "Bestaande capaciteit"
PLANNED = "Gepland (gewogen)"
SERIES = (NEED, EXISTING, PLANNED)
SERIES_COLOURS = (PALETTE[1], PALETTE[0], PALETTE[4])
"""Need in orange, the two kinds of capacity in two blues: what is asked against what is there."""
SHORTAGE_TITLE = "Tekort (+) of overschot (−)"
DIVERGING = "blueorange"
DARK_FROM = 0.55
"""The part of the scale's reach from which a tile is dark enough for white text."""
BAR_STEP = 14
"""Height of one bar in pixels; an area's three bars stand together."""


def gap_chart(
    rows: Iterable[Mapping[str, Any]], title: str = "", area_title: str = "Regio"
) -> dict[str, Any]:
    """Per area (in the order given) three horizontal bars: need, existing capacity and
    weighted planned capacity, in persons.

    ``rows``: dicts with ``name``, ``need`` (None when unknown: no bar, the note says why),
    ``existing``, ``planned`` and ``note``.
    """
    rows = list(rows)
    values = []
    for row in rows:
        for series, key in zip(SERIES, ("need", "existing", "planned"), strict=True):
            number = json_number(row.get(key))
            values.append(
                {
                    "gebied": str(row["name"]),
                    "reeks": series,
                    "personen": number,
                    "Toelichting": (str(row.get("note") or "") if series == NEED else "")
                    or ("onbekend" if number is None else ""),
                }
            )
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "width": 420,
        "height": {"step": BAR_STEP},
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "gebied",
                "type": "nominal",
                "sort": [str(row["name"]) for row in rows],
                "title": area_title,
            },
            "yOffset": {
                "field": "reeks",
                "type": "nominal",
                "sort": list(SERIES),
                "title": "Reeks",
            },
            "x": {
                "field": "personen",
                "type": "quantitative",
                "title": "Personen",
                "axis": {"format": NUMBER_FORMAT},
            },
            "color": {
                "field": "reeks",
                "type": "nominal",
                "scale": {"domain": list(SERIES), "range": list(SERIES_COLOURS)},
                "legend": {"title": None},
            },
            "tooltip": [
                {"field": "gebied", "type": "nominal", "title": area_title},
                {"field": "reeks", "type": "nominal", "title": "Reeks"},
                {
                    "field": "personen",
                    "type": "quantitative",
                    "title": "Personen",
                    "format": NUMBER_FORMAT,
                },
                {"field": "Toelichting", "type": "nominal"},
            ],
        },
    }
    if title:
        spec["title"] = title
    return theme(spec)


def shortage_map(
    rows: Iterable[Mapping[str, Any]],
    title: str = "",
    geojson: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The shortage per municipality on the monitor's map (a choropleth when ``geojson`` with
    boundaries is given, else the schematic tile map); ``rows``: dicts with ``code``, ``name``
    and ``value`` (the shortage; None when unknown: a grey tile)."""
    rows = list(rows)
    if geojson is not None:
        spec = monitor_charts.choropleth(geojson, rows, title, value_title=SHORTAGE_TITLE)
    else:
        spec = monitor_charts.tile_map(rows, title, value_title=SHORTAGE_TITLE)
    known = [float(row["value"]) for row in rows if row.get("value") is not None]
    return _diverging(spec, known)


def area_rows(areas: Iterable[Any]) -> list[dict[str, Any]]:
    """The rows of ``gap_chart`` from areas of housing.gap (``AreaGap``)."""
    return [
        {
            "name": area.name,
            "need": area.need,
            "existing": area.existing,
            "planned": area.planned,
            "note": area.note,
        }
        for area in areas
    ]


def municipality_rows(analysis: Any) -> list[dict[str, Any]]:
    """The rows of ``shortage_map`` from a housing.gap ``GapAnalysis``."""
    return [{"code": m.code, "name": m.name, "value": m.shortage} for m in analysis.municipalities]


def _diverging(spec: dict[str, Any], values: list[float]) -> dict[str, Any]:
    """The map's colour scale made diverging and symmetric around zero (so zero is always the
    pale middle, whichever side has the larger numbers); the text on a tile turns white where
    its colour is dark, on either side."""
    spec = copy.deepcopy(spec)
    reach = max((abs(value) for value in values), default=0) or 1
    for layer in spec.get("layer") or []:
        colour = (layer.get("encoding") or {}).get("color")
        if not isinstance(colour, dict):
            continue
        if colour.get("field") == "waarde":
            colour["scale"] = {"scheme": DIVERGING, "domain": [-reach, reach]}
        elif "condition" in colour:
            colour["condition"]["test"] = (
                f"isValid(datum.waarde) && abs(datum.waarde) > {DARK_FROM * reach}"
            )
    return spec
