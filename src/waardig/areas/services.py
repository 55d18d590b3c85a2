"""Writes to the area reference data: only the province admin (or the command line)."""

from typing import Any

from django.db import transaction

from waardig.areas.models import Grouping, Municipality, Province, Region
from waardig.core import audit
from waardig.core.access import CHANGE, require

GROUPING_NAMES = {"admin": "Bestuurlijke regio", "corop": "COROP-gebied"}


def _region_names(municipality: Municipality) -> dict[str, str]:
    return {r.grouping.slug: r.name for r in municipality.regions.select_related("grouping")}


def municipality_matches(current: Municipality, values: dict[str, Any]) -> bool:
    return (
        current.name == values["name"]
        and current.province.code == values["province_code"]
        and current.province.name == values["province_name"]
        and current.valid_from == values["valid_from"]
        and current.valid_to == values["valid_to"]
        and (current.successor.code if current.successor else "") == values["successor"]
        and _region_names(current) == values["regions"]
    )


@transaction.atomic
def save_municipality(actor: Any, values: dict[str, Any]) -> Municipality:
    province, _ = Province.objects.get_or_create(
        code=values["province_code"], defaults={"name": values["province_name"]}
    )
    if province.name != values["province_name"]:
        province.name = values["province_name"]
        province.save(update_fields=["name"])
    municipality = Municipality.objects.filter(code=values["code"]).first() or Municipality(
        code=values["code"]
    )
    municipality.name = values["name"]
    municipality.province = province
    municipality.valid_from = values["valid_from"]
    municipality.valid_to = values["valid_to"]
    require(actor, CHANGE, municipality)
    municipality.save()
    regions = []
    for slug, region_name in values["regions"].items():
        grouping, _ = Grouping.objects.get_or_create(
            province=province, slug=slug, defaults={"name": GROUPING_NAMES.get(slug, slug)}
        )
        region, _ = Region.objects.get_or_create(grouping=grouping, name=region_name)
        regions.append(region)
    municipality.regions.set(regions)
    audit.record(actor, "change", "gemeente", detail=f"{municipality.code} {municipality.name}")
    return municipality


def link_successors(actor: Any, successors: dict[str, str]) -> None:
    by_code = {m.code: m for m in Municipality.objects.filter(code__in=successors)}
    targets = {m.code: m for m in Municipality.objects.filter(code__in=set(successors.values()))}
    for code, successor_code in successors.items():
        municipality = by_code[code]
        require(actor, CHANGE, municipality)
        municipality.successor = targets.get(successor_code)
        municipality.save(update_fields=["successor"])
    Region.objects.filter(municipalities=None).delete()
