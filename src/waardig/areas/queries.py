"""Reads of the area reference data (public: no scoping needed beyond the policy)."""

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from waardig.areas.models import Grouping, Municipality, Region


def municipalities(filters: dict[str, Any] | None = None) -> QuerySet[Municipality]:
    """Municipalities valid today, unless ``include_historical`` or ``valid_on`` says otherwise."""
    filters = filters or {}
    queryset = Municipality.objects.select_related("province", "successor").prefetch_related(
        Prefetch("regions", queryset=Region.objects.select_related("grouping"))
    )
    if filters.get("province"):
        queryset = queryset.filter(province__code=filters["province"])
    if filters.get("valid_on"):
        queryset = queryset.valid_on(date.fromisoformat(str(filters["valid_on"])))
    elif str(filters.get("include_historical", "")).lower() not in {"1", "true", "yes"}:
        queryset = queryset.current()
    return queryset


def groupings() -> list[Grouping]:
    return list(Grouping.objects.select_related("province").order_by("province__name", "slug"))


def groupings_with_regions() -> list[Grouping]:
    """The groupings a page can show, one per slug (provinces share the slugs), by slug: a
    grouping without regions has nothing to show and is not offered."""
    found: dict[str, Grouping] = {}
    with_regions = Grouping.objects.filter(regions__isnull=False).distinct()
    for grouping in with_regions.order_by("slug", "province__name"):
        found.setdefault(grouping.slug, grouping)
    return list(found.values())


def region_of(municipality: Municipality, grouping_slug: str) -> Region | None:
    return next((r for r in municipality.regions.all() if r.grouping.slug == grouping_slug), None)


def municipality_table(options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    slugs = sorted({g.slug for g in groupings()})
    columns = ["code", "name", "province", "valid_from", "valid_to", "successor"] + [
        f"region:{slug}" for slug in slugs
    ]
    rows = []
    for m in municipalities(options):
        regions = [(r.name if (r := region_of(m, slug)) else "") for slug in slugs]
        rows.append(
            [
                m.code,
                m.name,
                m.province.code,
                m.valid_from,
                m.valid_to,
                m.successor.code if m.successor else "",
                *regions,
            ]
        )
    return columns, rows
