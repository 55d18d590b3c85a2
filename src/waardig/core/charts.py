"""Charts: one Vega-Lite spec per chart, drawn interactively on the web and statically elsewhere.

The web page hands the spec to vega-embed (see static/waardig/charts.js); PDF and Word need a
picture, which vl-convert draws from the very same spec without a browser or network. All
Waardig charts share one calm, colour-blind safe look so reports from different apps read alike.
"""

from __future__ import annotations

import copy
import datetime
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

WIDTH = 460
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
TEXT_COLOUR = "#1f2933"
MUTED_COLOUR = "#52606d"
# Okabe-Ito based: distinguishable with the common colour vision deficiencies, starting with a
# sober blue so single-series charts look calm; no yellow, which vanishes on white paper.
PALETTE = (
    "#1f5f8b",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#7b8794",
    "#0b3c5d",
)
CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "white",
    "padding": 8,
    "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 260},
    "range": {"category": list(PALETTE), "ramp": {"scheme": "blues"}},
    "mark": {"color": PALETTE[0]},
    "title": {
        "anchor": "start",
        "color": TEXT_COLOUR,
        "fontSize": 14,
        "fontWeight": "bold",
        "subtitleColor": MUTED_COLOUR,
    },
    "axis": {
        "labelColor": TEXT_COLOUR,
        "titleColor": TEXT_COLOUR,
        "labelFontSize": 11,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
        "domainColor": MUTED_COLOUR,
        "tickColor": MUTED_COLOUR,
        "gridColor": "#e4e7eb",
        "labelLimit": 220,
    },
    # Slanted category labels stay legible for both three and thirty municipalities.
    "axisXBand": {"labelAngle": -30},
    "legend": {
        "orient": "bottom",
        "labelColor": TEXT_COLOUR,
        "titleColor": TEXT_COLOUR,
        "labelFontSize": 11,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
    },
}
LOCALE = "nl-NL"
FONT_DIRECTORIES = (Path("/usr/share/fonts/truetype/dejavu"),)


def theme(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec with the house style filled in underneath; what the spec sets itself wins."""
    themed = copy.deepcopy(dict(spec))
    themed["config"] = _merge(CONFIG, themed.get("config") or {})
    return themed


def to_svg(spec: Mapping[str, Any]) -> str:
    """Vector picture for the PDF. No base URL is allowed: a spec carries its data inline, and
    report data must never make the server fetch something."""
    _register_fonts()
    return vl_convert.vegalite_to_svg(
        theme(spec),
        allowed_base_urls=[],
        format_locale=LOCALE,
        time_format_locale=LOCALE,
    )


def to_png(spec: Mapping[str, Any], scale: float = 2) -> bytes:
    """Bitmap for Word, which shows SVG unreliably; scale 2 stays sharp when printed."""
    _register_fonts()
    return vl_convert.vegalite_to_png(
        theme(spec),
        scale=scale,
        allowed_base_urls=[],
        format_locale=LOCALE,
        time_format_locale=LOCALE,
    )


def bar_chart(
    values: Iterable[Mapping[str, Any]],
    x: str,
    y: str,
    color: str | None = None,
    title: str = "",
    x_title: str | None = None,
    y_title: str | None = None,
    horizontal: bool = False,
) -> dict[str, Any]:
    """Bars in the order of `values` (a report usually sorts on purpose); with `color`, stacked.

    Fields may carry an altair type suffix ("jaar:O"); otherwise the category axis is nominal
    and the value axis quantitative.
    """
    fields = {
        ("y" if horizontal else "x"): (_typed(x, "N"), x_title),
        ("x" if horizontal else "y"): (_typed(y, "Q"), y_title),
    }
    category = "y" if horizontal else "x"
    # Vertical bars fill the usual width; horizontal ones grow with the number of categories.
    chart = alt.Chart().mark_bar() if horizontal else alt.Chart(width=WIDTH).mark_bar()
    return _finish(chart, values, fields, color, title, keep_order=category)


def line_chart(
    values: Iterable[Mapping[str, Any]],
    x: str,
    y: str,
    color: str | None = None,
    title: str = "",
    x_title: str | None = None,
    y_title: str | None = None,
) -> dict[str, Any]:
    """A development over time; dates on the x axis make it a time axis."""
    rows = _plain_values(values)
    x_type = "T" if rows and _looks_like_date(rows[0].get(x.split(":")[0])) else "O"
    fields = {"x": (_typed(x, x_type), x_title), "y": (_typed(y, "Q"), y_title)}
    return _finish(alt.Chart().mark_line(point=True), rows, fields, color, title)


def _finish(
    chart: alt.Chart,
    values: Iterable[Mapping[str, Any]],
    fields: dict[str, tuple[str, str | None]],
    color: str | None,
    title: str,
    keep_order: str = "",
) -> dict[str, Any]:
    if color:
        fields["color"] = (_typed(color, "N"), None)
    # None means "let Vega-Lite derive the title"; passing it on would remove the axis title.
    encoding: dict[str, Any] = {
        "x": alt.X(fields["x"][0], **_title(fields["x"][1])),
        "y": alt.Y(fields["y"][0], **_title(fields["y"][1])),
    }
    if keep_order:
        encoding[keep_order] = encoding[keep_order].sort(None)
    if color:
        encoding["color"] = alt.Color(fields["color"][0], legend=alt.Legend(title=None))
    encoding["tooltip"] = [alt.Tooltip(name, **_title(text)) for name, text in fields.values()]
    chart = chart.encode(**encoding)
    spec = (chart.properties(title=title) if title else chart).to_dict()
    # altair parks data in a named dataset and adds its own view defaults; inline values and
    # the house theme keep the spec self-contained and identical for web, PDF and Word.
    spec.pop("datasets", None)
    spec.pop("config", None)
    spec["data"] = {"values": _plain_values(values)}
    return theme(spec)


def _title(title: str | None) -> dict[str, str]:
    return {} if title is None else {"title": title}


def _typed(shorthand: str, default_type: str) -> str:
    return shorthand if ":" in shorthand else f"{shorthand}:{default_type}"


def _plain_values(values: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """JSON-ready rows: the spec travels through json_script and vl-convert alike."""
    rows = []
    for row in values:
        plain = {}
        for key, value in row.items():
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = float(value)
            plain[str(key)] = value
        rows.append(plain)
    return rows


def json_number(value: Any, places: int | None = None) -> int | float | None:
    """A number for a spec or a JSON download: Decimals (and the numeric strings stored in
    JSON fields) do not travel through JSON; whole numbers stay whole (12, not 12.0). With
    ``places``, rounded to that many decimals. None and "" are None."""
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    if places is not None:
        number = round(number, places)
    return int(number) if number == number.to_integral_value() else float(number)


def _looks_like_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@functools.cache
def _register_fonts() -> None:
    """Give vl-convert the same font as the PDF so text widths in charts are measured right."""
    for directory in FONT_DIRECTORIES:
        if directory.is_dir():
            vl_convert.register_font_directory(str(directory))
