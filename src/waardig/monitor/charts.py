"""The monitor's charts as Vega-Lite specs: one spec for the web page (vega-embed) and for the
report (core.charts.to_svg / to_png), so a figure reads the same everywhere.

Plain values in, a dict out; no queries. Every chart carries its own data inline. Two rules
of the house shape them: a forecast is drawn as a shaded range with a dashed line and never
looks like an observation, and a fictitious figure says so ("fictief") where it is shown.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from waardig.core.charts import (
    MUTED_COLOUR,
    PALETTE,
    TEXT_COLOUR,
    WIDTH,
    bar_chart,
    json_number,
    theme,
)
from waardig.core.reports.document import format_cell
from waardig.monitor import rules
from waardig.monitor.models import status_label

OBSERVED = "Waargenomen"
FORECAST = "prognose"
# Dutch grouping (82.895) and at most two decimals (45,31 %): vl-convert and vega-embed both
# run with the Dutch number locale (core.charts.LOCALE, static/waardig/charts.js).
NUMBER_FORMAT = ",.2~f"
YEAR_FORMAT = "d"
NO_VALUE_COLOUR = "#e4e7eb"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
TILE_STEP = (92, 56)
"""Width and height of one tile of the tile map, in pixels (five columns fill WIDTH)."""
LINE_HEIGHT = 11

_DESCRIPTION = {
    # What a screen reader announces for a tile or shape (instead of every encoded field).
    "calculate": "datum.gemeente + ' (' + datum.code + '): ' + (isValid(datum.waarde) ? "
    f"format(datum.waarde, '{NUMBER_FORMAT}') : 'geen cijfer')",
    "as": "beschrijving",
}

LIMBURG_TILES: dict[str, tuple[int, int]] = {
    # (column, row): a schematic of the province from Mook (north) to Vaals (south), with
    # the Maas on the western side of the north and the wide south to the east.
    "GM0944": (2, 0),  # Mook en Middelaar
    "GM0907": (2, 1),  # Gennep
    "GM0984": (1, 2),  # Venray
    "GM0893": (2, 2),  # Bergen (L.)
    "GM1507": (1, 3),  # Horst aan de Maas
    "GM0983": (2, 3),  # Venlo
    "GM1894": (1, 4),  # Peel en Maas
    "GM0889": (2, 4),  # Beesel
    "GM0946": (0, 5),  # Nederweert
    "GM1640": (1, 5),  # Leudal
    "GM0957": (2, 5),  # Roermond
    "GM1669": (3, 5),  # Roerdalen
    "GM0988": (0, 6),  # Weert
    "GM1641": (1, 6),  # Maasgouw
    "GM1711": (1, 7),  # Echt-Susteren
    "GM1883": (1, 8),  # Sittard-Geleen
    "GM1954": (2, 8),  # Beekdaelen
    "GM0899": (3, 8),  # Brunssum
    "GM0971": (0, 9),  # Stein
    "GM0888": (1, 9),  # Beek
    "GM0986": (2, 9),  # Voerendaal
    "GM0917": (3, 9),  # Heerlen
    "GM0882": (4, 9),  # Landgraaf
    "GM0938": (1, 10),  # Meerssen
    "GM0994": (2, 10),  # Valkenburg aan de Geul
    "GM0965": (3, 10),  # Simpelveld
    "GM0928": (4, 10),  # Kerkrade
    "GM0935": (0, 11),  # Maastricht
    "GM1903": (1, 11),  # Eijsden-Margraten
    "GM1729": (2, 11),  # Gulpen-Wittem
    "GM0981": (3, 11),  # Vaals
}
"""Grid positions of Limburg's 31 municipalities (2019-). Another province passes its own
positions to ``tile_map``; a municipality without a position is listed under the map."""


def trend_chart(
    observed: Iterable[Mapping[str, Any]],
    forecasts: Iterable[tuple[str, Iterable[Any]]] = (),
    title: str = "",
    value_title: str = "Waarde",
) -> dict[str, Any]:
    """Observed yearly figures as a line with points, each forecast as a shaded band from low
    to high around a dashed central line, one legend naming every series.

    ``observed``: rows with ``year``, ``value`` and ``status`` (a status code or its Dutch
    label); a fictitious figure gets a hollow point and "fictief" in its tooltip.
    ``forecasts``: (name, points) with points as stored on a Forecast (dicts with year, low,
    central, high, numbers or numeric strings) or forecasting.Point objects.
    """
    values: list[dict[str, Any]] = []
    for row in observed:
        if row.get("value") is None:
            continue
        status = str(row.get("status") or "")
        values.append(
            {
                "Jaar": _year(row["year"]),
                "Reeks": OBSERVED,
                "Waarde": json_number(row["value"]),
                "Status": status_label(status),
            }
        )
    # A forecast is no more precise than the figures it continues: counts stay whole numbers.
    places = max((_places(row["Waarde"]) for row in values), default=0)
    names: list[str] = []
    for name, points in forecasts:
        names.append(str(name))
        for point in points:
            values.append(
                {
                    "Jaar": _year(_part(point, "year")),
                    "Reeks": str(name),
                    "Waarde": json_number(_part(point, "central"), places),
                    "Laag": json_number(_part(point, "low"), places),
                    "Hoog": json_number(_part(point, "high"), places),
                    "Status": FORECAST,
                }
            )
    series = [OBSERVED, *dict.fromkeys(names)]
    # One legend: colour and line style both follow the series, so each forecast's entry
    # shows its colour with the dashes it is drawn with.
    legend = {
        "orient": "bottom",
        "direction": "vertical",
        "labelLimit": 440,
        "symbolType": "stroke",
        "symbolStrokeWidth": 2.5,
        "symbolOpacity": 1,
        "symbolSize": 400,
    }
    colour = {
        "field": "Reeks",
        "type": "nominal",
        "title": None,
        "scale": {"domain": series, "range": _colours(len(series))},
        "legend": legend,
    }
    dash = {
        "field": "Reeks",
        "type": "nominal",
        "title": None,
        "scale": {"domain": series, "range": [[1, 0]] + [[6, 4]] * (len(series) - 1)},
        "legend": legend,
    }
    x = {
        "field": "Jaar",
        "type": "quantitative",
        "title": "Jaar",
        "scale": {"zero": False, "nice": False},
        "axis": {"format": YEAR_FORMAT, "tickMinStep": 1},
    }
    y = {"field": "Waarde", "type": "quantitative", "title": value_title}
    observation = [{"filter": {"field": "Reeks", "equal": OBSERVED}}]
    forecast = [{"filter": {"field": "Reeks", "oneOf": series[1:]}}]

    def tip(field: str, label: str) -> dict[str, Any]:
        return {"field": field, "type": "quantitative", "title": label, "format": NUMBER_FORMAT}

    year_tip = {"field": "Jaar", "type": "quantitative", "title": "Jaar", "format": YEAR_FORMAT}
    described = {"field": "beschrijving", "type": "nominal"}
    layers = [
        {
            "transform": forecast,
            "mark": {"type": "area", "opacity": 0.18, "aria": False},
            "encoding": {
                "x": x,
                # The shared axis keeps the figure's title; the data table says Laag/Hoog.
                "y": {"field": "Laag", "type": "quantitative", "axis": {"title": value_title}},
                "y2": {"field": "Hoog"},
                "color": colour,
            },
        },
        {
            "transform": forecast,
            "mark": {"type": "line", "strokeWidth": 2, "aria": False},
            "encoding": {"x": x, "y": y, "color": colour, "strokeDash": dash},
        },
        {
            "transform": [
                *forecast,
                {
                    "calculate": "datum.Reeks + ', ' + datum.Jaar + ': ' + "
                    f"format(datum.Laag, '{NUMBER_FORMAT}') + ' tot ' + "
                    f"format(datum.Hoog, '{NUMBER_FORMAT}') + ' (midden ' + "
                    f"format(datum.Waarde, '{NUMBER_FORMAT}') + ')'",
                    "as": "beschrijving",
                },
            ],
            "mark": {"type": "point", "shape": "diamond", "size": 30, "filled": False},
            "encoding": {
                "x": x,
                "y": y,
                "color": colour,
                "description": described,
                "tooltip": [
                    {"field": "Reeks", "type": "nominal", "title": "Prognose"},
                    year_tip,
                    tip("Laag", "Laag"),
                    tip("Waarde", "Midden"),
                    tip("Hoog", "Hoog"),
                ],
            },
        },
        {
            "transform": observation,
            "mark": {"type": "line", "strokeWidth": 2.5, "aria": False},
            "encoding": {"x": x, "y": y, "color": colour, "strokeDash": dash},
        },
        {
            # A fictitious figure is drawn hollow, and its status "fictief" is in its tooltip.
            "transform": [
                *observation,
                {
                    "calculate": f"datum.Jaar + ': ' + format(datum.Waarde, '{NUMBER_FORMAT}')"
                    " + ' (' + datum.Status + ')'",
                    "as": "beschrijving",
                },
            ],
            "mark": {"type": "point", "size": 55, "strokeWidth": 2, "opacity": 1},
            "encoding": {
                "x": x,
                "y": y,
                "color": colour,
                "fill": {"value": PALETTE[0]},
                "fillOpacity": {
                    "condition": {
                        "test": f"datum.Status === '{status_label(rules.FICTITIOUS)}'",
                        "value": 0,
                    },
                    "value": 1,
                },
                "description": described,
                "tooltip": [
                    year_tip,
                    tip("Waarde", value_title),
                    {"field": "Status", "type": "nominal", "title": "Status"},
                ],
            },
        },
    ]
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "width": WIDTH,
        "height": 260,
        "data": {"values": values, "format": {"parse": {"Jaar": "number"}}},
        "layer": layers,
    }
    if title:
        spec["title"] = title
    return theme(spec)


def regions_chart(
    rows: Iterable[Mapping[str, Any]], title: str = "", value_title: str = "Waarde"
) -> dict[str, Any]:
    """Regions as horizontal bars, largest first, the note ("afgeleid uit 28 van 31
    gemeenten") in the tooltip. A region without a figure has no bar (the table beside the
    chart lists it)."""
    values = [
        {
            "regio": str(row["name"]),
            "waarde": json_number(row.get("value")),
            "toelichting": str(row.get("note") or ""),
        }
        for row in rows
    ]
    values.sort(key=lambda row: (row["waarde"] is None, -(row["waarde"] or 0), row["regio"]))
    spec = bar_chart(
        values,
        x="regio",
        y="waarde",
        title=title,
        x_title="Regio",
        y_title=value_title,
        horizontal=True,
    )
    tooltip = spec["encoding"]["tooltip"]
    for item in tooltip:
        if item.get("field") == "waarde":
            item["format"] = NUMBER_FORMAT
    tooltip.append({"field": "toelichting", "type": "nominal", "title": "Toelichting"})
    return spec


def sparkline(values: Iterable[tuple[int, Any]]) -> dict[str, Any]:
    """A tiny line of yearly figures for a table cell: no axes, the last year as a dot."""
    data = [
        {"jaar": _year(year), "waarde": json_number(value)}
        for year, value in values
        if value is not None
    ]
    last = max((int(row["jaar"]) for row in data), default=0)
    x = {"field": "jaar", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    y = {"field": "waarde", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    tooltip = [
        {"field": "jaar", "type": "quantitative", "title": "Jaar", "format": YEAR_FORMAT},
        {"field": "waarde", "type": "quantitative", "title": "Waarde", "format": NUMBER_FORMAT},
    ]
    spec = {
        "$schema": SCHEMA,
        "width": 120,
        "height": 28,
        "data": {"values": data, "format": {"parse": {"jaar": "number"}}},
        "layer": [
            {"mark": {"type": "line", "strokeWidth": 1.5}, "encoding": {"x": x, "y": y}},
            {
                "transform": [{"filter": {"field": "jaar", "equal": last}}],
                "mark": {"type": "point", "filled": True, "size": 16},
                "encoding": {"x": x, "y": y, "tooltip": tooltip},
            },
        ],
        "config": {"padding": 2, "view": {"stroke": None}},
    }
    return theme(spec)


def tile_map(
    rows: Iterable[Mapping[str, Any]],
    title: str = "",
    value_title: str = "Waarde",
    positions: Mapping[str, tuple[int, int]] = LIMBURG_TILES,
) -> dict[str, Any]:
    """A schematic map: one equal tile per municipality at a fixed place in a grid, coloured
    by its figure, with its name and figure written on it.

    ``rows``: dicts with ``code``, ``name`` and ``value``. A municipality without a position
    (a former municipality, another province) is not dropped but listed under the title.
    """
    values = [_area_row(row) for row in rows]
    placed = [row for row in values if row["code"] in positions]
    elsewhere = [row for row in values if row["code"] not in positions]
    # The positions and wrapped names are looked up, not added to the rows: the rows stay the
    # chart's data table (code, municipality, value) for the report and screen readers.
    grid = []
    for row in placed:
        column, line = positions[row["code"]]
        name_lines = _lines(row["gemeente"])
        grid.append(
            {
                "code": row["code"],
                "kolom": column,
                "rij": line,
                "regels": "\n".join(name_lines),
                "aantal": len(name_lines),
            }
        )
    columns = max((column for column, _row in positions.values()), default=0) + 1
    lines = max((row for _column, row in positions.values()), default=0) + 1
    scale = {"paddingInner": 0.06, "paddingOuter": 0}
    x = {
        "field": "kolom",
        "type": "ordinal",
        "axis": None,
        "scale": {**scale, "domain": list(range(columns))},
    }
    y = {
        "field": "rij",
        "type": "ordinal",
        "axis": None,
        "scale": {**scale, "domain": list(range(lines))},
    }
    threshold = _dark_from(row["waarde"] for row in placed)
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "width": {"step": TILE_STEP[0]},
        "height": {"step": TILE_STEP[1]},
        "data": {"values": values},
        "transform": [
            {
                "lookup": "code",
                "from": {
                    "data": {"values": grid},
                    "key": "code",
                    "fields": ["kolom", "rij", "regels", "aantal"],
                },
            },
            {"filter": "isValid(datum.kolom)"},
            {
                "calculate": "datum.regels + '\\n' + (isValid(datum.waarde) ? "
                f"format(datum.waarde, '{NUMBER_FORMAT}') : '–')",
                "as": "tekst",
            },
            _DESCRIPTION,
        ],
        # Tiles without a figure get a layer of their own: a continuous colour scale drops
        # rows without a value, and a municipality must never vanish from the map.
        "layer": [
            {
                "transform": [{"filter": "!isValid(datum.waarde)"}],
                "mark": {"type": "rect", "cornerRadius": 3, "color": NO_VALUE_COLOUR},
                "encoding": {
                    "x": x,
                    "y": y,
                    "tooltip": _area_tooltip(value_title),
                    "description": {"field": "beschrijving", "type": "nominal"},
                },
            },
            {
                "transform": [{"filter": "isValid(datum.waarde)"}],
                "mark": {"type": "rect", "cornerRadius": 3},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": _value_colour(value_title),
                    "tooltip": _area_tooltip(value_title),
                    "description": {"field": "beschrijving", "type": "nominal"},
                },
            },
            # One text layer per number of lines, each shifted up by half its extra lines:
            # Vega puts the first line of a text on the baseline, not the middle of the block.
            *(
                {
                    "transform": [{"filter": {"field": "aantal", "equal": count}}],
                    "mark": {
                        "type": "text",
                        "lineBreak": "\n",
                        "fontSize": 9,
                        "lineHeight": LINE_HEIGHT,
                        "baseline": "middle",
                        "dy": -count * LINE_HEIGHT / 2,
                    },
                    "encoding": {
                        "x": x,
                        "y": y,
                        "text": {"field": "tekst", "type": "nominal"},
                        "color": {
                            "condition": {
                                "test": f"isValid(datum.waarde) && datum.waarde > {threshold}",
                                "value": "white",
                            },
                            "value": TEXT_COLOUR,
                        },
                    },
                }
                for count in sorted({tile["aantal"] for tile in grid})
            ),
        ],
    }
    title_spec = _title(title, elsewhere)
    if title_spec:
        spec["title"] = title_spec
    return theme(spec)


def choropleth(
    geojson: Mapping[str, Any],
    rows: Iterable[Mapping[str, Any]],
    title: str = "",
    value_title: str = "Waarde",
) -> dict[str, Any]:
    """A map of the municipalities' boundaries coloured by their figures.

    ``geojson``: a FeatureCollection whose features name their municipality in the property
    ``code`` (GM0935), in WGS84. ``rows``: dicts with ``code``, ``name`` and ``value``,
    joined to the shapes by code. Every boundary is drawn (grey without a figure); a row
    without a boundary is listed under the title.
    """
    features = [_rewound(feature) for feature in geojson.get("features") or []]
    shaped = {str((feature.get("properties") or {}).get("code") or "") for feature in features}
    values = [_area_row(row) for row in rows]
    elsewhere = [row for row in values if row["code"] not in shaped]
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "width": WIDTH,
        "height": 520,
        "projection": {"type": "mercator"},
        "data": {"values": values},
        "layer": [
            {
                "data": {"values": features},
                # Every boundary, grey; the figures are drawn over it (and read out) below.
                "mark": {
                    "type": "geoshape",
                    "fill": NO_VALUE_COLOUR,
                    "stroke": "white",
                    "aria": False,
                },
            },
            {
                "transform": [
                    {
                        "lookup": "code",
                        "from": {"data": {"values": features}, "key": "properties.code"},
                        "as": "vorm",
                    },
                    {"filter": "isValid(datum.vorm) && isValid(datum.waarde)"},
                    _DESCRIPTION,
                ],
                "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.8},
                "encoding": {
                    "shape": {"field": "vorm", "type": "geojson"},
                    "color": _value_colour(value_title),
                    "tooltip": _area_tooltip(value_title),
                    "description": {"field": "beschrijving", "type": "nominal"},
                },
            },
        ],
    }
    title_spec = _title(title, elsewhere)
    if title_spec:
        spec["title"] = title_spec
    return theme(spec)


# --- helpers -------------------------------------------------------------------------------


def _rewound(feature: Mapping[str, Any]) -> dict[str, Any]:
    """The feature with its rings wound as d3-geo (Vega's map projection) needs them: outer
    rings clockwise, holes counter-clockwise. GeoJSON files following RFC 7946 wind the other
    way, and d3 would then fill the whole globe except the municipality."""
    feature = dict(feature)
    geometry = dict(feature.get("geometry") or {})
    coordinates = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        geometry["coordinates"] = _wound_polygon(coordinates)
    elif geometry.get("type") == "MultiPolygon":
        geometry["coordinates"] = [_wound_polygon(polygon) for polygon in coordinates]
    feature["geometry"] = geometry
    return feature


def _wound_polygon(rings: Sequence[Sequence[Sequence[float]]]) -> list[list[Sequence[float]]]:
    wound = []
    for index, ring in enumerate(rings):
        # Shoelace sum in longitude/latitude: negative for a clockwise ring.
        area = sum(
            (x2 - x1) * (y2 + y1) for (x1, y1, *_r1), (x2, y2, *_r2) in itertools.pairwise(ring)
        )
        clockwise = area > 0  # the (x2 - x1) * (y2 + y1) form is positive when clockwise
        outer = index == 0
        wound.append(list(ring) if clockwise == outer else list(reversed(ring)))
    return wound


def _places(number: float | int | None) -> int:
    if number is None or float(number).is_integer():
        return 0
    return min(2, len(f"{number}".split(".")[1]))


def _year(value: Any) -> str:
    """A year as text in the chart's data, parsed as a number for the axis (format.parse): its
    data table then shows 2017, not the number 2.017."""
    return str(int(value))


def _part(point: Any, name: str) -> Any:
    return point[name] if isinstance(point, Mapping) else getattr(point, name)


def _colours(count: int) -> list[str]:
    return [PALETTE[index % len(PALETTE)] for index in range(count)]


def _area_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "code": str(row["code"]),
        "gemeente": str(row.get("name") or row["code"]),
        "waarde": json_number(row.get("value")),
    }


def _value_colour(value_title: str) -> dict[str, Any]:
    return {
        "field": "waarde",
        "type": "quantitative",
        "title": value_title,
        "scale": {"scheme": "blues", "zero": False},
        "legend": {"orient": "right", "format": NUMBER_FORMAT},
    }


def _area_tooltip(value_title: str) -> list[dict[str, Any]]:
    return [
        {"field": "gemeente", "type": "nominal", "title": "Gemeente"},
        {"field": "code", "type": "nominal", "title": "Code"},
        {"field": "waarde", "type": "quantitative", "title": value_title, "format": NUMBER_FORMAT},
    ]


def _lines(name: str, width: int = 16) -> list[str]:
    """The name wrapped to fit a tile (at most two lines; the tooltip has it whole)."""
    lines = textwrap.wrap(name, width) or [name]
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return lines


def _dark_from(numbers: Iterable[float | int | None]) -> float:
    """The value above which a tile is dark enough for white text."""
    known = [number for number in numbers if number is not None]
    if not known:
        return 0.0
    low, high = min(known), max(known)
    return float(low + 0.55 * (high - low))


def _title(title: str, elsewhere: Sequence[Mapping[str, Any]]) -> dict[str, Any] | str:
    if not elsewhere:
        return title
    listed = "; ".join(
        f"{row['gemeente']} ({row['code']}): "
        + (format_cell(row["waarde"]) if row["waarde"] is not None else "geen cijfer")
        for row in elsewhere
    )
    return {
        "text": title,
        "subtitle": textwrap.wrap(f"Niet op de kaart: {listed}", 80),
        "subtitleColor": MUTED_COLOUR,
    }
