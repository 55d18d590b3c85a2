"""Municipality boundaries from a GeoJSON file (e.g. the CBS/Kadaster 'gebiedsindelingen'
from PDOK, saved as GeoJSON in WGS84), for the monitor's choropleth maps.

Each feature names its municipality by a property holding the CBS code (``GM0935``) or its
number (``935``): ``statcode``, ``gemeentecode``, ``code`` or one given. Features of other
municipalities (a national file) are skipped; a municipality in the register without a
feature keeps whatever it had. All or nothing: a file with errors changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from waardig.areas.models import Municipality
from waardig.core.numbers import digits as is_number

CODE_PROPERTIES = ("statcode", "gemeentecode", "code", "gm_code")
SHAPES = {"Polygon", "MultiPolygon"}


@dataclass
class BoundaryResult:
    loaded: list[str] = field(default_factory=list)
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def municipality_code(value: object) -> str:
    text = str(value or "").strip().upper()
    number = text[2:] if text.startswith("GM") else text
    return f"GM{int(number):04d}" if is_number(number) else ""


def load_boundaries(data: bytes, code_property: str = "") -> BoundaryResult:
    result = BoundaryResult()
    try:
        collection = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        result.errors.append(_("Geen geldige JSON: %(error)s") % {"error": exc})
        return result
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        result.errors.append(_("Verwacht een GeoJSON FeatureCollection."))
        return result
    known = dict(Municipality.objects.values_list("code", "pk"))
    shapes: dict[int, dict] = {}
    names = (code_property,) if code_property else CODE_PROPERTIES
    for number, feature in enumerate(collection.get("features") or [], start=1):
        properties = (feature or {}).get("properties") or {}
        raw = next((properties[n] for n in names if properties.get(n) not in (None, "")), None)
        code = municipality_code(raw)
        geometry = (feature or {}).get("geometry") or {}
        if not code:
            result.errors.append(
                _("Object %(n)s: geen gemeentecode in %(names)s.")
                % {"n": number, "names": ", ".join(names)}
            )
        elif geometry.get("type") not in SHAPES or not geometry.get("coordinates"):
            result.errors.append(
                _("Object %(n)s (%(code)s): geen (Multi)Polygon.") % {"n": number, "code": code}
            )
        elif code not in known:
            result.skipped += 1
        else:
            shapes[known[code]] = geometry
            result.loaded.append(code)
    if result.errors:
        result.loaded = []
        return result
    with transaction.atomic():
        for pk, geometry in shapes.items():
            Municipality.objects.filter(pk=pk).update(boundary=geometry)
    return result


def feature_collection(codes: list[str]) -> dict | None:
    """The loaded boundaries of these municipalities as one GeoJSON FeatureCollection (each
    feature with its code and name), or None when none is loaded: maps then draw tiles."""
    boundaries = Municipality.objects.filter(code__in=codes, boundary__isnull=False).values_list(
        "code", "name", "boundary"
    )
    if not boundaries:
        return None
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": shape}
            for code, name, shape in boundaries
        ],
    }
