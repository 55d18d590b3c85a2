"""The gap between housing need and capacity for one year, per municipality, region and
province: what the network needs to find the regional shortages (DOMAIN 2: "a clear overview
of need and options per municipality"). The page, its download and the report all read it
from here, so they can never disagree.

Definition, for year Y, per municipality valid today and per stay class:

- need: the stored HousingNeed of (municipality, Y, class); unknown without one;
- existing capacity: the capacity of locations in use on the reference date (31 December of
  Y, or today for the current year and later), split by a certificate valid on that date;
- planned: projects neither realised (they are locations by then) nor cancelled, expected by
  Y, weighted by status with the current parameters (unweighted shown beside it);
- shortage = need - existing - weighted planned; unknown whenever the need is unknown.

A region or province combines its municipalities (``rules.combine``): capacities add up, the
need is known only when every member's is, and it says for how many it is known. Figures of a
municipality that merged count for its successor.

Access: the page's model is HousingNeed (every network role). Need and projects are read
through ``core.access.scope``; the capacity of locations is read only as sums per
municipality and stay class, never per location, because these totals are what the network
is meant to see (LOCATION_DATA guards the register itself).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas.models import Municipality, Province, Region
from waardig.areas.queries import groupings_with_regions
from waardig.core.access import scope
from waardig.core.imports import Option
from waardig.housing import rules, services
from waardig.housing.models import (
    HousingNeed,
    Location,
    LocationStatus,
    LocationStatusChange,
    NeedMethod,
    Project,
    ProjectStatus,
    StayClass,
)
from waardig.monitor import dashboard
from waardig.monitor.models import ObservationStatus, status_label

ALL = ""
"""The stay-class choice for all stay classes together."""
STAY_CHOICES = (ALL, *rules.STAY_CLASSES)
DEFAULT_GROUPING = dashboard.DEFAULT_GROUPING
MUNICIPALITY, REGION, PROVINCE = "municipality", "region", "province"
NOT_PLANNED = (ProjectStatus.REALISED, ProjectStatus.CANCELLED)


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaGap:
    """One row of the gap: a municipality, a region or a province, for one stay choice.

    ``known``/``expected``: of how many municipalities the need is known (a municipality is
    1 or 0 of 1). ``partial_need``: what the known parts add up to, shown beside an unknown
    need so a reader sees how far the data go, never in its place.
    """

    level: str
    code: str
    name: str
    gap: rules.Gap
    known: int
    expected: int
    partial_need: int
    fictitious: bool = False
    missing_classes: tuple[str, ...] = ()

    @property
    def need(self) -> int | None:
        return self.gap.need

    @property
    def certified(self) -> int:
        return self.gap.certified

    @property
    def uncertified(self) -> int:
        return self.gap.uncertified

    @property
    def existing(self) -> int:
        return self.gap.existing

    @property
    def planned(self) -> int | Decimal:
        return plain(self.gap.planned)

    @property
    def planned_unweighted(self) -> int:
        return self.gap.planned_unweighted

    @property
    def shortage(self) -> int | Decimal | None:
        return None if self.gap.shortage is None else plain(self.gap.shortage)

    @property
    def balance(self) -> str:
        """The shortage in a word: "tekort", "overschot", "in evenwicht" or "onbekend"."""
        shortage = self.gap.shortage
        if shortage is None:
            return _("onbekend")
        if shortage > 0:
            return _("tekort")
        if shortage < 0:
            return _("overschot")
        return _("in evenwicht")

    @property
    def note(self) -> str:
        """Why the need is unknown and how far the data go ("behoefte bekend voor 5 van 8
        gemeenten, samen 1.234")."""
        if self.need is not None:
            return ""
        if self.level == MUNICIPALITY:
            if not self.missing_classes or len(self.missing_classes) == len(rules.STAY_CLASSES):
                return _("geen behoeftecijfer")
            return _("geen behoeftecijfer voor %(classes)s; de andere samen %(need)s") % {
                "classes": ", ".join(str(StayClass(c).label) for c in self.missing_classes),
                "need": number_format(self.partial_need, force_grouping=True),
            }
        if not self.known:
            return _("behoefte van geen van de %(expected)s gemeenten bekend") % {
                "expected": self.expected
            }
        return _("behoefte bekend voor %(known)s van %(expected)s gemeenten, samen %(need)s") % {
            "known": self.known,
            "expected": self.expected,
            "need": number_format(self.partial_need, force_grouping=True),
        }


@dataclass(frozen=True)
class RegionGap:
    region: AreaGap
    municipalities: tuple[AreaGap, ...]


@dataclass(frozen=True)
class NeedSource:
    """Where need figures came from, and for how many municipalities."""

    source: str
    publication: str
    method: str
    status: str
    municipalities: int

    @property
    def method_label(self) -> str:
        return str(NeedMethod(self.method).label) if self.method in NeedMethod.values else ""

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass(frozen=True)
class GapAnalysis:
    year: int
    grouping: str
    grouping_name: str
    stay_class: str
    reference_date: date
    parameters: rules.Parameters
    regions: tuple[RegionGap, ...]
    provinces: tuple[AreaGap, ...]
    sources: tuple[NeedSource, ...]

    @property
    def municipalities(self) -> list[AreaGap]:
        """Every municipality once, by name (a region lists its own)."""
        found = {m.code: m for r in self.regions for m in r.municipalities}
        return sorted(found.values(), key=lambda m: (m.name, m.code))

    @property
    def unknown(self) -> list[AreaGap]:
        return [m for m in self.municipalities if m.need is None]

    @property
    def fictitious(self) -> bool:
        return any(p.fictitious for p in self.provinces) or any(
            r.region.fictitious for r in self.regions
        )

    @property
    def stay_class_label(self) -> str:
        return stay_class_label(self.stay_class)


def stay_class_label(stay_class: str) -> str:
    if stay_class == ALL:
        return _("alle verblijfsduren samen")
    return str(StayClass(stay_class).label)


def plain(number: Decimal) -> int | Decimal:
    """A weighted figure as people read it: 12 rather than 12.0, 12.5 stays."""
    return int(number) if number == number.to_integral_value() else number


# --- options -------------------------------------------------------------------------------

YEAR = Option("year", gettext_lazy("jaar, bijvoorbeeld 2026"), required=True)
GROUPING = Option("grouping", gettext_lazy("regio-indeling: admin of corop (standaard admin)"))
STAY_CLASS = Option(
    "stay_class", gettext_lazy("verblijfsduur: short, mid of long (standaard alle samen)")
)


def reference_date(year: int, today: date | None = None) -> date:
    """The day the existing capacity is counted on: the end of a past year, else today."""
    today = today or timezone.localdate()
    return date(year, 12, 31) if year < today.year else today


def need_years(actor: Any) -> list[int]:
    """Years with any need figure, newest first."""
    years = scope(actor, HousingNeed.objects.all()).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def default_year(actor: Any, today: date | None = None) -> int:
    """The latest year with need figures, else the current year."""
    years = need_years(actor)
    return years[0] if years else (today or timezone.localdate()).year


def groupings() -> list[tuple[str, str]]:
    """(slug, name) of every grouping with regions, once per slug."""
    return [(g.slug, g.name) for g in groupings_with_regions()]


def parse_grouping(value: Any) -> str:
    slug = str(value or DEFAULT_GROUPING).strip()
    slugs = [s for s, _name in groupings()]
    if slug not in slugs:
        raise ValidationError(
            _("Onbekende regio-indeling %(slug)s; kies uit: %(choices)s.")
            % {"slug": slug, "choices": ", ".join(slugs) or "-"}
        )
    return slug


def parse_stay_class(value: Any) -> str:
    choice = str(value or ALL).strip()
    if choice not in STAY_CHOICES:
        raise ValidationError(
            _("Onbekende verblijfsduur %(value)s; kies uit: short, mid, long.") % {"value": choice}
        )
    return choice


# --- facts from the database -----------------------------------------------------------------


@dataclass
class _Facts:
    """What the database holds for one municipality (valid today) and stay class."""

    need: int | None = None
    certified: int = 0
    uncertified: int = 0
    projects: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fictitious: bool = False
    """Any figure used (need, location, project) is fictitious."""
    needs: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(source, publication, method, status) of the need rows used."""
    need_from: set[int] = field(default_factory=set)
    """The municipalities whose figures make up ``need`` (predecessors of a merger)."""


def _successors(today: date) -> tuple[dict[int, int], list[Municipality]]:
    """Every municipality id mapped to the id of the municipality valid today it lives on
    in (itself when it is valid), and the municipalities valid today."""
    current = list(
        Municipality.objects.valid_on(today).select_related("province").order_by("name", "code")
    )
    valid = {m.pk for m in current}
    successor = dict(Municipality.objects.values_list("pk", "successor_id"))
    mapping = {}
    for pk in successor:
        seen, at = {pk}, pk
        while at not in valid and successor.get(at) and successor[at] not in seen:
            at = successor[at]
            seen.add(at)
        if at in valid:
            mapping[pk] = at
    return mapping, current


def in_use_on(day: date):
    """Locations whose last status change on or before ``day`` (by date, then by the order
    they were recorded) put them in use."""
    last = (
        LocationStatusChange.objects.filter(location=OuterRef("pk"), on__lte=day)
        .order_by("-on", "-id")
        .values("status")[:1]
    )
    return Location.objects.alias(status_then=Subquery(last)).filter(
        status_then=LocationStatus.IN_USE
    )


def existing_on(day: date):
    """The existing capacity of a day: locations in use, not past a temporary occupancy
    permit (may no longer be lived in) nor a temporary building (gone). The gap and the
    monitor's capacity figure (housing.capacity) count these."""
    return (
        in_use_on(day)
        .exclude(temporary_permit_until__lt=day)
        .exclude(temporary_building_until__lt=day)
    )


def _forget_partial_need(
    facts: Mapping[tuple[int, str], _Facts], day: date, mapping: Mapping[int, int]
) -> None:
    """A merged municipality's need is known only when every municipality it was made of on
    the reference date has a figure (or it has one itself): Nuth's figure alone is not
    Beekdaelen's need, and unknown is never shown as a part."""
    parts: dict[int, set[int]] = defaultdict(set)
    for pk in Municipality.objects.valid_on(day).values_list("pk", flat=True):
        if pk in mapping:
            parts[mapping[pk]].add(pk)
    for (successor, _class), item in facts.items():
        if item.need is None or successor in item.need_from:
            continue
        if not parts[successor] <= item.need_from:
            item.need = None


def _facts(
    actor: Any, year: int, day: date, mapping: Mapping[int, int]
) -> dict[tuple[int, str], _Facts]:
    """Three grouped queries: need, capacity in use, planned projects."""
    facts: dict[tuple[int, str], _Facts] = defaultdict(_Facts)
    needs = scope(actor, HousingNeed.objects.filter(year=year)).values_list(
        "municipality_id", "stay_class", "persons", "status", "source", "publication", "method"
    )
    for municipality_id, stay_class, persons, status, source, publication, method in needs:
        if municipality_id not in mapping:
            continue
        item = facts[(mapping[municipality_id], stay_class)]
        item.need = (item.need or 0) + persons
        item.need_from.add(municipality_id)
        item.fictitious |= status == ObservationStatus.FICTITIOUS
        item.needs.append((source, publication, method, status))
    _forget_partial_need(facts, day, mapping)
    capacity = (
        existing_on(day)
        .values(
            "municipality_id",
            "stay_class",
            "certification",
            "certificate_valid_until",
            "fictitious",
        )
        .annotate(persons=Sum("capacity"))
        .order_by()
    )
    for row in capacity:
        if row["municipality_id"] not in mapping:
            continue
        item = facts[(mapping[row["municipality_id"]], row["stay_class"])]
        if rules.certified_on(row["certification"], row["certificate_valid_until"], day):
            item.certified += row["persons"]
        else:
            item.uncertified += row["persons"]
        item.fictitious |= row["fictitious"]
    planned = (
        scope(
            actor,
            Project.objects.filter(expected_year__lte=year)
            .exclude(status__in=NOT_PLANNED)
            # A project whose location is in use already counts as existing capacity.
            .exclude(location__in=in_use_on(day).values("pk")),
        )
        .values("municipality_id", "stay_class", "status", "fictitious")
        .annotate(persons=Sum("capacity"))
        .order_by()
    )
    for row in planned:
        if row["municipality_id"] not in mapping:
            continue
        item = facts[(mapping[row["municipality_id"]], row["stay_class"])]
        item.projects[row["status"]] += row["persons"]
        item.fictitious |= row["fictitious"]
    return facts


# --- assembling ------------------------------------------------------------------------------


def _municipality_gap(
    municipality: Municipality,
    facts: Mapping[tuple[int, str], _Facts],
    stay_class: str,
    params: rules.Parameters,
) -> AreaGap:
    classes = rules.STAY_CLASSES if stay_class == ALL else (stay_class,)
    parts = [facts.get((municipality.pk, c)) or _Facts() for c in classes]
    gaps = [
        rules.gap(
            part.need,
            part.certified,
            part.uncertified,
            [rules.Planned(persons, status) for status, persons in part.projects.items()],
            params,
        )
        for part in parts
    ]
    gap = gaps[0] if len(gaps) == 1 else rules.combine(gaps)
    missing = tuple(c for c, part in zip(classes, parts, strict=True) if part.need is None)
    return AreaGap(
        level=MUNICIPALITY,
        code=municipality.code,
        name=municipality.name,
        gap=gap,
        known=0 if missing else 1,
        expected=1,
        partial_need=sum(part.need or 0 for part in parts),
        fictitious=any(part.fictitious for part in parts),
        missing_classes=missing,
    )


def _combined(level: str, code: str, name: str, members: list[AreaGap]) -> AreaGap:
    known = [m for m in members if m.need is not None]
    return AreaGap(
        level=level,
        code=code,
        name=name,
        gap=rules.combine([m.gap for m in members]),
        known=len(known),
        expected=len(members),
        partial_need=sum(m.need or 0 for m in known),
        fictitious=any(m.fictitious for m in members),
    )


def _sources(
    facts: Mapping[tuple[int, str], _Facts], municipality_ids: Iterable[int], stay_class: str
) -> tuple[NeedSource, ...]:
    classes = rules.STAY_CLASSES if stay_class == ALL else (stay_class,)
    found: dict[tuple[str, str, str, str], set[int]] = defaultdict(set)
    for pk in municipality_ids:
        for c in classes:
            item = facts.get((pk, c))
            for key in item.needs if item else ():
                found[key].add(pk)
    return tuple(NeedSource(*key, municipalities=len(found[key])) for key in sorted(found))


def gap_analyses(
    actor: Any,
    year: int,
    grouping: str = DEFAULT_GROUPING,
    stay_classes: Iterable[str] = (ALL,),
    today: date | None = None,
) -> dict[str, GapAnalysis]:
    """The gap for each of ``stay_classes`` from one read of the database (the report shows
    all together and each class)."""
    today = today or timezone.localdate()
    day = reference_date(year, today)
    params = services.current_parameters()
    mapping, current = _successors(today)
    facts = _facts(actor, year, day, mapping)
    regions = list(
        Region.objects.filter(grouping__slug=grouping)
        .select_related("grouping__province")
        .order_by("grouping__province__name", "name")
    )
    if not regions:
        raise ValidationError(_("Onbekende regio-indeling %(slug)s.") % {"slug": grouping})
    by_pk = {m.pk: m for m in current}
    members: dict[int, list[Municipality]] = defaultdict(list)
    for region_id, municipality_id in Region.municipalities.through.objects.filter(
        region__in=regions, municipality_id__in=by_pk
    ).values_list("region_id", "municipality_id"):
        members[region_id].append(by_pk[municipality_id])
    placed = {m.pk for found in members.values() for m in found}
    outside = [m for m in current if m.pk not in placed]
    provinces = sorted({m.province for m in current}, key=lambda p: (p.name, p.code))
    result = {}
    for stay_class in stay_classes:
        by_code = {m.code: _municipality_gap(m, facts, stay_class, params) for m in current}
        rows = []
        for region in regions:
            inside = sorted(members[region.pk], key=lambda m: (m.name, m.code))
            shown = [by_code[m.code] for m in inside]
            rows.append(RegionGap(_combined(REGION, "", region.name, shown), tuple(shown)))
        if outside:
            shown = [by_code[m.code] for m in outside]
            rows.append(RegionGap(_combined(REGION, "", _("Zonder regio"), shown), tuple(shown)))
        result[stay_class] = GapAnalysis(
            year=year,
            grouping=grouping,
            grouping_name=regions[0].grouping.name,
            stay_class=stay_class,
            reference_date=day,
            parameters=params,
            regions=tuple(rows),
            provinces=tuple(_province_gap(p, current, by_code) for p in provinces),
            sources=_sources(facts, by_pk, stay_class),
        )
    return result


def _province_gap(
    province: Province, current: list[Municipality], by_code: Mapping[str, AreaGap]
) -> AreaGap:
    members = [by_code[m.code] for m in current if m.province_id == province.pk]
    return _combined(PROVINCE, province.code, province.name, members)


def gap_analysis(
    actor: Any,
    year: int,
    grouping: str = DEFAULT_GROUPING,
    stay_class: str = ALL,
    today: date | None = None,
) -> GapAnalysis:
    return gap_analyses(actor, year, grouping, (stay_class,), today)[stay_class]


# --- for the page, the chart and the report ------------------------------------------------


def weights(params: rules.Parameters) -> list[tuple[str, Any]]:
    """(status, percentage counted) for every project status."""
    return [
        (str(ProjectStatus(status).label), plain(params.weight(status) * 100))
        for status in rules.PROJECT_STATUSES
    ]


def stay_limits(params: rules.Parameters) -> list[tuple[str, str]]:
    return [
        (
            str(StayClass.SHORT.label),
            _("tot en met %(months)s maanden") % {"months": params.short_max_months},
        ),
        (
            str(StayClass.MID.label),
            _("langer dan %(short)s, tot en met %(mid)s maanden")
            % {"short": params.short_max_months, "mid": params.mid_max_months},
        ),
        (
            str(StayClass.LONG.label),
            _("langer dan %(months)s maanden") % {"months": params.mid_max_months},
        ),
    ]
