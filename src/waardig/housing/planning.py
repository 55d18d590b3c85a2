"""Reads of the planning side of housing: projects with their weighted capacity, Woondeal
progress, housing need with its provenance and the monitor figures a need is derived from.

The pages and their downloads call the same functions here, so a download holds the rows
its page shows. Every read goes through core.access.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from waardig.areas.models import Municipality, Region
from waardig.core.access import scope
from waardig.core.numbers import digits
from waardig.housing import rules
from waardig.housing.models import (
    HousingNeed,
    NeedMethod,
    Parameters,
    Project,
    ProjectStatus,
    StayClass,
    WoondealAgreement,
)
from waardig.housing.services import current_parameters
from waardig.monitor import dashboard
from waardig.monitor import queries as monitor_queries
from waardig.monitor.models import Indicator, ObservationStatus
from waardig.monitor.queries import MUNICIPALITY, ValueRow

DEFAULT_GROUPING = dashboard.DEFAULT_GROUPING
"""Woondeal totals follow the administrative regions the steering group works with."""


def _year(text: Any) -> int | None:
    text = str(text or "").strip()
    if not text:
        return None
    if not digits(text) or len(text) != 4:
        raise ValidationError(_("Geef een jaar als 2025."))
    return int(text)


def _plain(value: Decimal) -> str:
    """A number as the page writes it (1,5 and 60, never 6E+1)."""
    return number_format(Decimal(format(value.normalize(), "f")), force_grouping=True)


# -- projects ---------------------------------------------------------------------------------


def projects(actor: Any, filters: Mapping[str, Any]) -> QuerySet[Project]:
    """The projects the actor sees, filtered by municipality (CBS code), region (id), status,
    stay class and expected year."""
    found = scope(actor, Project.objects.select_related("municipality", "location"))
    if code := str(filters.get("municipality") or ""):
        found = found.filter(municipality__code=code.upper())
    if region := str(filters.get("region") or ""):
        if not digits(region):
            raise ValidationError(_("Kies een regio uit de lijst."))
        found = found.filter(municipality__regions=int(region))
    if status := filters.get("status"):
        found = found.filter(status=status)
    if stay_class := filters.get("stay_class"):
        found = found.filter(stay_class=stay_class)
    if (year := _year(filters.get("year"))) is not None:
        found = found.filter(expected_year=year)
    return found.order_by("municipality__name", "expected_year", "name", "pk")


@dataclass(frozen=True)
class StatusTotal:
    """The projects of one status: how many, their capacity and what the gap counts of it."""

    status: str
    label: str
    count: int
    capacity: int
    weight: Decimal
    weighted: Decimal

    @property
    def weight_percent(self) -> Decimal:
        return self.weight * 100


def status_totals(found: QuerySet[Project], params: rules.Parameters) -> list[StatusTotal]:
    """One line per status (every status, also those without projects), in the order of the
    statuses' progress."""
    sums = {
        row["status"]: row
        for row in found.order_by().values("status").annotate(n=Count("pk"), c=Sum("capacity"))
    }
    lines = []
    for status, label in ProjectStatus.choices:
        row = sums.get(status, {"n": 0, "c": 0})
        capacity = row["c"] or 0
        lines.append(
            StatusTotal(
                status=status,
                label=str(label),
                count=row["n"],
                capacity=capacity,
                weight=params.weight(status),
                weighted=rules.weighted([rules.Planned(capacity, status)], params),
            )
        )
    return lines


def planned_total(lines: Iterable[StatusTotal], params: rules.Parameters) -> StatusTotal:
    """All statuses together; the capacity leaves cancelled projects out, as the gap does."""
    lines = list(lines)
    return StatusTotal(
        status="",
        label=_("Totaal"),
        count=sum(line.count for line in lines),
        capacity=sum(line.capacity for line in lines if line.status != ProjectStatus.CANCELLED),
        weight=Decimal(0),
        weighted=rules.weighted([rules.Planned(x.capacity, x.status) for x in lines], params),
    )


def counted(project: Project, params: rules.Parameters) -> Decimal:
    """The part of a project's capacity the gap counts (its status's weight)."""
    return rules.weighted([rules.Planned(project.capacity, project.status)], params)


def project_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    params = current_parameters()
    columns = ["code", "municipality", "name", "capacity", "stay_class", "housing_form"]
    columns += ["status", "weight", "weighted_capacity", "expected_year", "temporary_until"]
    columns += ["fictitious", "notes"]
    rows = [
        [
            p.municipality.code,
            p.municipality.name,
            p.name,
            p.capacity,
            p.stay_class,
            p.housing_form,
            p.status,
            params.weight(p.status),
            counted(p, params),
            p.expected_year,
            p.temporary_until,
            p.fictitious,
            p.notes,
        ]
        for p in projects(actor, options)
    ]
    return columns, rows


def project_history_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The status history of one project (``project``: its number), oldest first."""
    number = str(options.get("project") or "")
    if not digits(number):
        raise ValidationError(_("Geef het nummer van het project."))
    project = projects(actor, {}).get(pk=int(number))  # DoesNotExist: 404
    columns = ["project", "municipality", "status", "at", "actor", "note"]
    rows = [
        [project.name, project.municipality.code, c.status, c.at, c.actor, c.note]
        for c in project.status_changes.order_by("at", "id")
    ]
    return columns, rows


# -- Woondeal ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Agreed against realised capacity by the end of a year (both cumulative)."""

    name: str
    year: int
    agreed: int
    realised: int
    fictitious: bool = False
    code: str = ""
    agreement: WoondealAgreement | None = None
    note: str = ""

    @property
    def difference(self) -> int:
        """Realised minus agreed: below zero is what is still to be realised."""
        return self.realised - self.agreed

    @property
    def percent(self) -> Decimal | None:
        if not self.agreed:
            return None
        share = Decimal(self.realised) * 100 / Decimal(self.agreed)
        return share.quantize(Decimal("0.1"), ROUND_HALF_UP)


def agreements(actor: Any, filters: Mapping[str, Any]) -> QuerySet[WoondealAgreement]:
    found = scope(actor, WoondealAgreement.objects.select_related("municipality"))
    if code := str(filters.get("municipality") or ""):
        found = found.filter(municipality__code=code.upper())
    if (year := _year(filters.get("year"))) is not None:
        found = found.filter(year=year)
    return found.order_by("year", "municipality__name", "pk")


def realised_by(
    actor: Any, municipality_ids: Iterable[int]
) -> dict[int, list[tuple[int, int, bool]]]:
    """Per municipality its realised projects as (expected year, capacity, fictitious)."""
    found: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    rows = scope(actor, Project.objects.all()).filter(
        status=ProjectStatus.REALISED, municipality__in=set(municipality_ids)
    )
    for municipality_id, year, capacity, fictitious in rows.values_list(
        "municipality_id", "expected_year", "capacity", "fictitious"
    ):
        found[municipality_id].append((year, capacity, fictitious))
    return found


def woondeal_progress(actor: Any, filters: Mapping[str, Any]) -> list[Progress]:
    """One line per agreement: realised is the capacity of the municipality's realised
    projects expected in that year or before (the agreement is a cumulative target)."""
    found = list(agreements(actor, filters))
    realised = realised_by(actor, {a.municipality_id for a in found})
    lines = []
    for agreement in found:
        done = [(c, f) for y, c, f in realised[agreement.municipality_id] if y <= agreement.year]
        lines.append(
            Progress(
                name=agreement.municipality.name,
                code=agreement.municipality.code,
                year=agreement.year,
                agreed=agreement.agreed_capacity,
                realised=sum(c for c, _f in done),
                fictitious=agreement.fictitious or any(f for _c, f in done),
                agreement=agreement,
            )
        )
    return lines


def region_progress(lines: Iterable[Progress], grouping: str = DEFAULT_GROUPING) -> list[Progress]:
    """Per region of the grouping and year: the sum over its municipalities that have an
    agreement for that year (the note says how many of the region's municipalities)."""
    by_year: dict[int, dict[str, Progress]] = defaultdict(dict)
    for line in lines:
        by_year[line.year][line.code] = line
    regions = Region.objects.filter(grouping__slug=grouping).prefetch_related("municipalities")
    members = {
        region: list(region.municipalities.all()) for region in regions.order_by("name", "pk")
    }
    totals = []
    for year in sorted(by_year):
        end = datetime.date(year, 12, 31)
        for region, municipalities in members.items():
            codes = {m.code for m in municipalities}
            mine = [line for code, line in by_year[year].items() if code in codes]
            if not mine:
                continue
            # Out of the region's municipalities of that year (merged ones are no longer).
            of = {m.code for m in municipalities if m.is_valid_on(end)} | {x.code for x in mine}
            totals.append(
                Progress(
                    name=region.name,
                    year=year,
                    agreed=sum(line.agreed for line in mine),
                    realised=sum(line.realised for line in mine),
                    fictitious=any(line.fictitious for line in mine),
                    note=_("%(count)s van %(total)s gemeenten met een afspraak")
                    % {"count": len(mine), "total": len(of)},
                )
            )
    return totals


def woondeal_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    columns = ["level", "code", "area", "year", "agreed", "realised", "difference"]
    columns += ["percent_realised", "source", "fictitious", "note"]
    lines = woondeal_progress(actor, options)
    grouping = options.get("grouping") or DEFAULT_GROUPING
    rows = [
        [
            "municipality",
            line.code,
            line.name,
            line.year,
            line.agreed,
            line.realised,
            line.difference,
            line.percent,
            line.agreement.source if line.agreement else "",
            line.fictitious,
            line.agreement.notes if line.agreement else "",
        ]
        for line in lines
    ]
    rows += [
        [grouping, "", line.name, line.year, line.agreed, line.realised, line.difference,
         line.percent, "", line.fictitious, line.note]
        for line in region_progress(lines, grouping)
    ]  # fmt: skip
    return columns, rows


# -- housing need -----------------------------------------------------------------------------


def need(actor: Any, filters: Mapping[str, Any]) -> list[HousingNeed]:
    """Newest year first, then by municipality and stay class (short, mid, long)."""
    found = scope(actor, HousingNeed.objects.select_related("municipality"))
    if code := str(filters.get("municipality") or ""):
        found = found.filter(municipality__code=code.upper())
    if (year := _year(filters.get("year"))) is not None:
        found = found.filter(year=year)
    order = {c: i for i, c in enumerate(rules.STAY_CLASSES)}
    rows = found.order_by("-year", "municipality__name", "pk")
    return sorted(rows, key=lambda n: (-n.year, n.municipality.name, order.get(n.stay_class, 9)))


def describe_parameters(
    parameters: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> str:
    """The parameters of a derived need as a reader checks them ("aandeel met
    huisvestingsbehoefte 60 %; kort 40 %, ..."); empty for research figures."""
    if not parameters:
        return ""
    parts = []
    if code := parameters.get("indicator"):
        name = (names or {}).get(code, code)
        figure = parameters.get("figure")
        parts.append(
            _("%(name)s: %(figure)s") % {"name": name, "figure": _plain(Decimal(figure))}
            if figure
            else name
        )
    if (share := parameters.get("share_needing_housing")) is not None:
        parts.append(
            _("aandeel met huisvestingsbehoefte %(share)s %%") % {"share": percent_text(share)}
        )
    if shares := parameters.get("class_shares"):
        labels = dict(StayClass.choices)
        parts.append(
            ", ".join(
                f"{labels.get(c, c)} {percent_text(shares[c])} %"
                for c in rules.STAY_CLASSES
                if c in shares
            )
        )
    if (size := parameters.get("household_size")) is not None:
        parts.append(_("huishoudgrootte lang verblijf %(n)s") % {"n": _plain(Decimal(size))})
    if (per_unit := parameters.get("persons_per_unit")) is not None:
        parts.append(_("personen per eenheid %(n)s") % {"n": _plain(Decimal(per_unit))})
    return "; ".join(parts)


def percent_text(fraction: Any) -> str:
    """A weight or share (0-1) as a percentage for the page: 0.3 -> 30."""
    return _plain(Decimal(str(fraction)) * 100)


def indicator_names() -> dict[str, str]:
    return dict(Indicator.objects.values_list("code", "name"))


def need_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    columns = ["code", "municipality", "year", "stay_class", "persons", "method", "status"]
    columns += ["source", "publication", "retrieved_on", "parameters"]
    rows = [
        [
            n.municipality.code,
            n.municipality.name,
            n.year,
            n.stay_class,
            n.persons,
            n.method,
            n.status,
            n.source,
            n.publication,
            n.retrieved_on,
            json.dumps(n.parameters, sort_keys=True) if n.parameters else "",
        ]
        for n in need(actor, options)
    ]
    return columns, rows


# -- need derived from the monitor ------------------------------------------------------------

DEFAULT_INDICATOR = "labour-migrants-living"


def source_indicators(actor: Any) -> QuerySet[Indicator]:
    """Counts a need can be derived from (a ratio is no number of people)."""
    return monitor_queries.indicators(actor).filter(aggregation="sum")


def monitor_figures(actor: Any, indicator: Indicator, year: int) -> list[ValueRow]:
    """The municipalities' stored figures of the indicator for the year (all stay classes
    together); municipalities without one are left out: no figure derives no need."""
    rows = monitor_queries.value_table(indicator, MUNICIPALITY, str(year), actor=actor)
    return [row for row in rows if row.value is not None]


@dataclass(frozen=True)
class DerivedLine:
    """What deriving would store for one municipality; ``kept`` are the stay classes whose
    research figure stays (a derivation never overwrites research)."""

    figure: ValueRow
    persons: dict[str, int]
    kept: frozenset[str]
    units: Decimal

    @property
    def total(self) -> int:
        return sum(self.persons.values())

    @property
    def fictitious(self) -> bool:
        return self.figure.status == ObservationStatus.FICTITIOUS

    def cells(self) -> list[tuple[int, bool]]:
        return [(self.persons[c], c in self.kept) for c in rules.STAY_CLASSES]


def derive_preview(
    actor: Any, figures: list[ValueRow], year: int, params: rules.NeedParameters
) -> list[DerivedLine]:
    research = set(
        scope(actor, HousingNeed.objects.all())
        .filter(year=year, method=NeedMethod.RESEARCH)
        .values_list("municipality_id", "stay_class")
    )
    lines = []
    for row in figures:
        persons = rules.derive_need(row.value, params)
        lines.append(
            DerivedLine(
                figure=row,
                persons=persons,
                kept=frozenset(c for c in persons if (row.area.pk, c) in research),
                units=rules.units_for(sum(persons.values()), params),
            )
        )
    return lines


def figures_for_service(figures: list[ValueRow]) -> dict[Municipality, tuple[Decimal, str, str]]:
    """The shape services.derive_need takes: municipality -> (value, status, source)."""
    return {row.area: (row.value, row.status, row.source) for row in figures}


# -- parameters -------------------------------------------------------------------------------


def parameters_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Every set of parameters, newest first (the first row applies); without any change,
    the defaults."""
    columns = ["at", "actor", "reason", "short_stay_max_months", "mid_stay_max_months"]
    columns += [f"weight_{status}" for status in rules.PROJECT_STATUSES]
    entries = [
        (e.at, e.actor, e.reason, e.as_rules()) for e in scope(actor, Parameters.objects.all())
    ]
    if not entries:
        entries = [(None, "", _("standaardwaarden"), rules.DEFAULT_PARAMETERS)]
    rows = [
        [at, who, why, params.short_max_months, params.mid_max_months,
         *(params.weight(status) for status in rules.PROJECT_STATUSES)]
        for at, who, why, params in entries
    ]  # fmt: skip
    return columns, rows
