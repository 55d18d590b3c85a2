"""The monitor's chart specs, drawn to SVG by vl-convert as the report draws them: what a
reader must see (names, Dutch numbers, fictief, forecast ranges) is checked in the picture."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest

from waardig.core.charts import to_svg
from waardig.monitor import charts

AREAS_FILE = Path(charts.__file__).parents[1] / "areas" / "data" / "pv31-limburg.csv"
OBSERVED = [
    {"year": 2017, "value": Decimal("39860.0000"), "status": "estimate"},
    {"year": 2020, "value": Decimal("60000.0000"), "status": "fictitious"},
    {"year": 2022, "value": Decimal("82895.0000"), "status": "schatting"},  # a label works too
]
SCENARIO = "Scenario 2030"
FORECAST_POINTS = [  # as stored on a Forecast: numeric strings
    {"year": 2023, "low": "84000", "central": "85000", "high": "87000"},
    {"year": 2030, "low": "90000.4", "central": "100000", "high": "130000"},
]


def limburg() -> list[dict[str, str]]:
    with AREAS_FILE.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def current_municipalities() -> list[dict[str, str]]:
    return [row for row in limburg() if not row["valid_to"]]


def element(svg: str, label: str) -> str:
    """The SVG element a screen reader announces with this label."""
    found = re.search(rf'<[^>]*aria-label="{re.escape(label)}"[^>]*>', svg)
    assert found, f"no element labelled {label!r}"
    return found.group(0)


def points_of(path: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def test_trend_chart_draws_observations_and_each_forecast_as_a_labelled_band():
    spec = charts.trend_chart(OBSERVED, [(SCENARIO, FORECAST_POINTS)], "Werkzame migranten")
    svg = to_svg(spec)

    assert "Werkzame migranten" in svg
    assert SCENARIO in svg  # the legend names the forecast
    # Dutch numbers, the status beside each figure; a fictitious one says so and is hollow.
    assert 'fill-opacity="1"' in element(svg, "2022: 82.895 (schatting)")
    assert 'fill-opacity="0"' in element(svg, "2020: 60.000 (fictief)")
    # Whole numbers observed, so the forecast is rounded to whole numbers too.
    point = element(svg, f"{SCENARIO}, 2030: 90.000 tot 130.000 (midden 100.000)")
    x, y_central = (float(n) for n in re.search(r"translate\(([\d.]+),([\d.]+)\)", point).groups())

    # The shaded band (the only translucent area) runs from low to high around the central
    # value: on a linear axis (central - low) / (high - central) = 10000 / 30000.
    bands = re.findall(r'<path d="([^"]+)"[^>]*opacity="0.18"', svg)
    assert len(bands) == 1
    at_2030 = sorted(y for px, y in points_of(bands[0]) if abs(px - x) < 0.5)
    assert len(at_2030) == 2
    y_high, y_low = at_2030  # SVG y grows downwards
    assert y_high < y_central < y_low
    assert (y_low - y_central) / (y_central - y_high) == pytest.approx(1 / 3, rel=0.01)


def test_trend_chart_keeps_forecasts_apart_from_observations():
    spec = charts.trend_chart(OBSERVED, [(SCENARIO, FORECAST_POINTS), ("Trend", [])], "")
    layers = spec["layer"]
    band = next(layer for layer in layers if layer["mark"]["type"] == "area")
    assert (band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]) == ("Laag", "Hoog")
    assert band["transform"] == [{"filter": {"field": "Reeks", "oneOf": [SCENARIO, "Trend"]}}]
    rows = [row for row in spec["data"]["values"] if row["Reeks"] == SCENARIO]
    assert [(row["Laag"], row["Waarde"], row["Hoog"]) for row in rows] == [
        (84000, 85000, 87000),
        (90000, 100000, 130000),
    ]
    dashes = next(layer for layer in layers if "strokeDash" in layer["encoding"])
    scale = dashes["encoding"]["strokeDash"]["scale"]
    assert scale["domain"] == [charts.OBSERVED, SCENARIO, "Trend"]
    solid, *dashed = scale["range"]
    assert solid == [1, 0] and all(dash != solid for dash in dashed)
    # The chart's data table (Markdown, spreadsheet) shows years as years, not as 2.017.
    assert {row["Jaar"] for row in spec["data"]["values"]} >= {"2017", "2030"}


def test_regions_chart_sorts_by_value_and_shows_every_region():
    rows = [
        {"name": "Noord", "value": Decimal("40987"), "note": "afgeleid uit 8 van 8 gemeenten"},
        {"name": "Midden", "value": Decimal("19852"), "note": ""},
        {"name": "Zuid", "value": Decimal("22056.5"), "note": ""},
    ]
    spec = charts.regions_chart(rows, "Per regio")
    assert [row["regio"] for row in spec["data"]["values"]] == ["Noord", "Zuid", "Midden"]
    svg = to_svg(spec)
    for name in ("Per regio", "Noord", "Midden", "Zuid", "40.000"):
        assert name in svg
    # Largest on top: the axis labels appear in the SVG from top to bottom.
    labels = re.findall(r">(Noord|Zuid|Midden)<", svg)
    assert labels == ["Noord", "Zuid", "Midden"]


def test_sparkline_is_a_small_line_without_axes():
    spec = charts.sparkline([(2017, Decimal(3)), (2018, Decimal(5)), (2022, None), (2021, 8)])
    svg = to_svg(spec)
    width, height = (
        float(n) for n in re.search(r'<svg[^>]*width="([\d.]+)" height="([\d.]+)"', svg).groups()
    )
    assert width <= 130 and height <= 40
    assert 'aria-roledescription="axis"' not in svg
    assert "<path" in svg
    assert [row["waarde"] for row in spec["data"]["values"]] == [3, 5, 8]


def test_tile_map_places_all_31_current_municipalities_north_to_south():
    municipalities = current_municipalities()
    assert len(municipalities) == 31
    assert {row["code"] for row in municipalities} == set(charts.LIMBURG_TILES)
    assert len(set(charts.LIMBURG_TILES.values())) == 31  # one tile per place
    row_of = {code: place[1] for code, place in charts.LIMBURG_TILES.items()}
    top, bottom = min(row_of.values()), max(row_of.values())
    assert row_of["GM0944"] == top  # Mook en Middelaar
    assert {row_of[code] for code in ("GM0935", "GM1903", "GM0981")} == {bottom}  # the south
    assert row_of["GM0907"] < row_of["GM0983"] < row_of["GM0957"] < row_of["GM1883"]

    values = [
        {"code": row["code"], "name": row["name"], "value": Decimal(100 + number * 37)}
        for number, row in enumerate(municipalities)
    ]
    svg = to_svg(charts.tile_map(values, "Per gemeente"))
    assert "Per gemeente" in svg
    for row in values:
        assert element(svg, f"{row['name']} ({row['code']}): {row['value']:,}".replace(",", "."))
    assert "Niet op de kaart" not in svg


def test_tile_map_lists_municipalities_it_has_no_place_for():
    merged = next(row for row in limburg() if row["code"] == "GM0951")  # Nuth, until 2019
    rows = [
        {"code": "GM0935", "name": "Maastricht", "value": 1234},
        {"code": "GM0983", "name": "Venlo", "value": None},
        {"code": merged["code"], "name": merged["name"], "value": 4321},
        {"code": "GM0363", "name": "Amsterdam", "value": None},
    ]
    spec = charts.tile_map(rows, "Kaart")
    svg = to_svg(spec)
    assert element(svg, "Maastricht (GM0935): 1.234")
    assert element(svg, "Venlo (GM0983): geen cijfer")  # a tile without a figure stays
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Nuth (GM0951): 4.321" in subtitle and "Amsterdam (GM0363): geen cijfer" in subtitle
    assert "Nuth (GM0951): 4.321" in svg and "Amsterdam (GM0363)" in svg
    assert 'aria-label="Nuth' not in svg  # listed, not drawn on a made-up place
    assert {row["code"] for row in spec["data"]["values"]} == {row["code"] for row in rows}


def square(west: float, south: float, size: float) -> list[list[list[float]]]:
    """A counter-clockwise ring, as RFC 7946 GeoJSON winds it."""
    east, north = west + size, south + size
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def test_choropleth_joins_values_to_boundaries_by_code():
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "GM0935", "name": "Maastricht"},
                "geometry": {"type": "Polygon", "coordinates": square(5.6, 50.8, 0.1)},
            },
            {
                "type": "Feature",
                "properties": {"code": "GM1903"},
                "geometry": {"type": "MultiPolygon", "coordinates": [square(5.7, 50.8, 0.1)]},
            },
            {
                "type": "Feature",
                "properties": {"code": "GM0981"},
                "geometry": {"type": "Polygon", "coordinates": square(5.8, 50.8, 0.1)},
            },
        ],
    }
    rows = [
        {"code": "GM0935", "name": "Maastricht", "value": Decimal("1234.0000")},
        {"code": "GM1903", "name": "Eijsden-Margraten", "value": 300},
        {"code": "GM0951", "name": "Nuth", "value": 7},
    ]
    spec = charts.choropleth(geojson, rows, "Kaart")
    assert spec["projection"] == {"type": "mercator"}
    shapes = spec["layer"][1]
    assert shapes["transform"][0]["lookup"] == "code"
    assert shapes["transform"][0]["from"]["key"] == "properties.code"
    svg = to_svg(spec)
    maastricht = element(svg, "Maastricht (GM0935): 1.234")
    assert element(svg, "Eijsden-Margraten (GM1903): 300")
    assert "Niet op de kaart: Nuth (GM0951): 7" in svg
    # Each municipality is drawn as its own square: a ring wound the wrong way for d3 would
    # fill the whole map instead.
    xs = [x for x, _y in points_of(re.search(r' d="([^"]+)"', maastricht).group(1))]
    view_width = float(re.search(r'<svg[^>]*width="([\d.]+)"', svg).group(1))
    assert 0 < max(xs) - min(xs) < view_width / 2
