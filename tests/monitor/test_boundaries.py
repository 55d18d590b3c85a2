"""Municipality boundaries from GeoJSON: loaded all or nothing, drawn as a choropleth on the
dashboard, and never read by a query that does not ask for them."""

import io
import json

import lxml.html
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from waardig.areas.boundaries import load_boundaries
from waardig.areas.models import Municipality

from .places import municipality

pytestmark = pytest.mark.django_db

VENLO, MAASTRICHT, AMSTERDAM = "GM0983", "GM0935", "GM0363"


def square(x: float, y: float, size: float = 0.1) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(properties: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


SHAPES = {VENLO: square(6.1, 51.3), MAASTRICHT: square(5.6, 50.8), AMSTERDAM: square(4.8, 52.3)}


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def limburg_file(*extra: dict) -> bytes:
    return collection(
        *(feature({"statcode": code, "statnaam": code}, shape) for code, shape in SHAPES.items()),
        *extra,
    )


def stored() -> dict[str, dict]:
    return dict(Municipality.objects.filter(boundary__isnull=False).values_list("code", "boundary"))


def test_the_province_s_municipalities_load_and_others_are_skipped(areas):
    result = load_boundaries(limburg_file())
    assert result.errors == []
    assert sorted(result.loaded) == sorted([VENLO, MAASTRICHT])
    assert result.skipped == 1
    assert stored() == {VENLO: SHAPES[VENLO], MAASTRICHT: SHAPES[MAASTRICHT]}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (feature({"statnaam": "Zonder code"}, square(6, 51)), "Object 4: geen gemeentecode"),
        (
            feature({"statcode": "GM0984"}, {"type": "Point", "coordinates": [6, 51.5]}),
            "Object 4 (GM0984): geen (Multi)Polygon.",
        ),
    ],
)
def test_a_file_with_an_error_stores_nothing(areas, bad, message):
    result = load_boundaries(limburg_file(bad))
    assert len(result.errors) == 1
    assert result.errors[0].startswith(message)
    assert result.loaded == []
    assert stored() == {}


def test_the_command_loads_a_file_and_refuses_one_with_errors(areas, tmp_path):
    good = tmp_path / "gemeenten.geojson"
    good.write_bytes(limburg_file())
    out = io.StringIO()
    call_command("load_boundaries", str(good), stdout=out)
    assert out.getvalue().strip() == (
        "2 boundaries loaded, 1 features of other municipalities skipped."
    )
    assert set(stored()) == {VENLO, MAASTRICHT}

    bad = tmp_path / "fout.geojson"
    bad.write_bytes(collection(feature({"statcode": "GM0984"}, {"type": "Point"})))
    with pytest.raises(CommandError, match="nothing loaded"):
        call_command("load_boundaries", str(bad), stdout=io.StringIO())
    assert set(stored()) == {VENLO, MAASTRICHT}


def map_spec(client: Client) -> dict:
    response = client.get(reverse("monitor-dashboard"))
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    [chart] = page.xpath("//section[@aria-labelledby='map-heading']//*[@data-vega-spec]")
    [script] = page.xpath(f"//script[@id='{chart.get('data-vega-spec')}']")
    return json.loads(script.text)


def marks(spec: dict) -> set[str]:
    found = set()
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        found.add(mark["type"] if isinstance(mark, dict) else mark)
    return found


def test_with_boundaries_the_dashboard_draws_a_choropleth(record, users):
    for code, value in ((VENLO, 3000), (MAASTRICHT, 2000), ("GM0984", 900)):
        record("working-labour-migrants", municipality(code), "2022", value)
    client = Client()
    client.force_login(users["analyst"])
    before = map_spec(client)
    assert "geoshape" not in marks(before)
    assert "rect" in marks(before)  # the schematic tile map

    load_boundaries(limburg_file())
    after = map_spec(client)
    assert marks(after) == {"geoshape"}
    shapes = after["layer"][0]["data"]["values"]
    assert {shape["properties"]["code"] for shape in shapes} == {VENLO, MAASTRICHT}
    assert {row["code"] for row in after["data"]["values"]} == {VENLO, MAASTRICHT, "GM0984"}


def test_boundaries_are_read_only_when_asked_for(areas):
    load_boundaries(limburg_file())
    venlo = Municipality.objects.get(code=VENLO)
    assert "boundary" in venlo.get_deferred_fields()
    assert all(
        "boundary" in place.get_deferred_fields()
        for place in Municipality.objects.filter(code__in=[VENLO, MAASTRICHT])
    )
    assert municipality(MAASTRICHT).get_deferred_fields() == {"boundary"}
    # asked for: by name (as the dashboard's map does) or by clearing the deferral
    asked = Municipality.objects.filter(code=VENLO).values_list("boundary", flat=True)
    assert list(asked) == [SHAPES[VENLO]]
    loaded = Municipality.objects.defer(None).get(code=VENLO)
    assert loaded.get_deferred_fields() == set()
    assert loaded.boundary == SHAPES[VENLO]
