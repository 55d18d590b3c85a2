"""The public figures: counts per municipality, region and province for anyone, no login.

The public has no role, so the figures are read as SYSTEM; what leaves this module is all
that is published: a few count indicators (``PUBLIC_INDICATORS``) and the registration rate
made of two of them, per area, with status and source names, never an observation's other
provenance. Every figure goes through ``disclosure.protect`` here, and the page and both
downloads take their rows from ``public_table(...).for_grouping(...)``: they cannot differ.

Totals are always the sum of the published municipal figures (``rules.aggregate``, the same
rule that derives a region's figure everywhere else), never a figure observed for the region
or province itself. Only then is every total an exact equation that ``protect`` can guard and
a reader can check: an observed region figure beside its municipalities would be a total that
does not add up, and a near-equation protect() knows nothing of. A figure that exists only at
region or province level is therefore not published here.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.text import slugify

from waardig.areas.models import Municipality, Province, Region
from waardig.areas.queries import groupings_with_regions
from waardig.core.access import SYSTEM
from waardig.monitor import rules
from waardig.monitor.disclosure import Shown, Total, protect, protect_ratio
from waardig.monitor.models import Aggregation, Indicator, status_label
from waardig.monitor.periods import YEAR, Period, parse_period
from waardig.monitor.queries import municipality_places, observations, value_table

PUBLIC_INDICATORS = (
    "working-labour-migrants",
    "labour-migrants-living",
    "registered-brp",
    "registered-rni",
)
"""Counts of people: published with small numbers protected."""
PUBLIC_RATES = ("registration-rate",)
"""Ratios of two public counts: shown only where both counts are shown (``protect_ratio``)."""
RATE_STEP = Decimal("0.1")

MUNICIPALITY, REGION, PROVINCE = "municipality", "region", "province"
COLUMNS = ("kind", "code", "name", "region", "value", "shown", "protected", "status", "source")
"""The fields of a published row, in the order of the CSV columns."""


class NotPublic(LookupError):
    """The indicator does not exist or is not published."""


@dataclass(frozen=True)
class PublicRow:
    """One published figure. ``code`` is the CBS code of a municipality or province and the
    slug of a region's name; ``regions`` gives a municipality's region code per grouping
    slug (the regions whose totals it is part of)."""

    kind: str
    code: str
    name: str
    shown: Shown
    status: str = ""
    source: str = ""
    grouping: str = ""
    regions: tuple[tuple[str, str], ...] = ()

    @property
    def fictitious(self) -> bool:
        return self.status == rules.FICTITIOUS


@dataclass(frozen=True)
class Section:
    """A region of one grouping with its municipalities; ``region`` None holds the
    municipalities outside every region of the grouping."""

    region: PublicRow | None
    municipalities: tuple[PublicRow, ...]


@dataclass(frozen=True)
class GroupedTable:
    """The table as the page shows it for one grouping, and as the downloads give it."""

    indicator: Indicator
    year: int
    threshold: int
    grouping: str
    sections: tuple[Section, ...]
    provinces: tuple[PublicRow, ...]

    @property
    def rows(self) -> list[PublicRow]:
        """Every row in page order: per region its municipalities and then its total, then
        the province."""
        rows = []
        for section in self.sections:
            rows.extend(section.municipalities)
            if section.region is not None:
                rows.append(section.region)
        return rows + list(self.provinces)

    def records(self) -> list[dict[str, Any]]:
        """The rows as the downloads publish them (``COLUMNS``); status in Dutch whatever the
        visitor's language, so one file serves everyone."""
        names = {r.code: r.name for s in self.sections if (r := s.region) is not None}
        with translation.override("nl"):
            return [self._record(row, names) for row in self.rows]

    def _record(self, row: PublicRow, names: dict[str, str]) -> dict[str, Any]:
        return {
            "kind": row.kind,
            "code": row.code,
            "name": row.name,
            "region": names.get(dict(row.regions).get(self.grouping, ""), ""),
            "value": row.shown.value,
            "shown": row.shown.text(self.threshold),
            "protected": row.shown.protected,
            "status": status_label(row.status),
            "source": row.source,
        }


@dataclass(frozen=True)
class PublicTable:
    """Every published figure of one indicator and year, over all groupings at once: a
    municipality hidden for one grouping's region stays hidden in the other's."""

    indicator: Indicator
    year: int
    threshold: int
    rows: tuple[PublicRow, ...]

    def for_grouping(self, grouping: str) -> GroupedTable:
        municipalities = [r for r in self.rows if r.kind == MUNICIPALITY]
        sections = []
        listed: set[str] = set()
        for region in (r for r in self.rows if r.kind == REGION and r.grouping == grouping):
            members = [m for m in municipalities if (grouping, region.code) in m.regions]
            listed.update(m.code for m in members)
            sections.append(Section(region, tuple(members)))
        outside = tuple(m for m in municipalities if m.code not in listed)
        if outside:
            sections.append(Section(None, outside))
        return GroupedTable(
            indicator=self.indicator,
            year=self.year,
            threshold=self.threshold,
            grouping=grouping,
            sections=tuple(sections),
            provinces=tuple(r for r in self.rows if r.kind == PROVINCE),
        )


def public_indicators() -> list[Indicator]:
    """The published indicators present in the catalogue, in its order."""
    found = Indicator.objects.filter(code__in=PUBLIC_INDICATORS + PUBLIC_RATES).select_related(
        "numerator", "denominator"
    )
    return [indicator for indicator in found if _publishable(indicator)]


def public_indicator(code: str) -> Indicator:
    for indicator in public_indicators():
        if indicator.code == code:
            return indicator
    raise NotPublic(code)


def years(indicator: Indicator) -> list[int]:
    """The years with municipal figures to publish (for a rate: of both counts), newest
    first."""
    found = [
        set(
            observations(SYSTEM)
            .filter(
                indicator=part,
                period_kind=YEAR,
                stay_class="",
                municipality__isnull=False,
            )
            .values_list("year", flat=True)
        )
        for part in _counts_of(indicator)
    ]
    return sorted(set.intersection(*found), reverse=True)


def groupings() -> list[tuple[str, str]]:
    """(slug, name) of every grouping with regions, once per slug."""
    return [(g.slug, g.name) for g in groupings_with_regions()]


def public_table(indicator_code: str, year: int, threshold: int) -> PublicTable:
    """The indicator's protected figures for the year: every municipality of the year's
    division, every region of every grouping and every province."""
    indicator = public_indicator(indicator_code)
    period = parse_period(str(year))
    if period.kind != YEAR:
        raise ValueError(f"not a year: {year!r}")
    figures = [
        {row.code: row for row in value_table(part, MUNICIPALITY, period.canonical, actor=SYSTEM)}
        for part in _counts_of(indicator)
    ]
    layout = _Layout.build(period, set().union(*figures))
    counts = [_protected_counts(layout, found, threshold) for found in figures]
    if len(counts) == 2:
        cells = _rates(layout, counts[0], counts[1], indicator.scale)
    else:
        cells = {key: (counts[0].shown[key], counts[0].cells[key]) for key in layout.keys}
    used = {key: frozenset().union(*(c.used.get(key, ()) for c in counts)) for key in layout.keys}
    rows = tuple(
        layout.row(area, *cells[area.key], used, indicator.source) for area in layout.areas
    )
    return PublicTable(indicator, period.year, threshold, rows)


# --- building the table ------------------------------------------------------------------


def _publishable(indicator: Indicator) -> bool:
    if indicator.code in PUBLIC_INDICATORS:
        return indicator.aggregation == Aggregation.SUM
    return (
        indicator.code in PUBLIC_RATES
        and indicator.aggregation == Aggregation.RATIO
        and indicator.numerator.code in PUBLIC_INDICATORS
        and indicator.denominator.code in PUBLIC_INDICATORS
        and indicator.numerator.aggregation == Aggregation.SUM
        and indicator.denominator.aggregation == Aggregation.SUM
    )


def _counts_of(indicator: Indicator) -> tuple[Indicator, ...]:
    if indicator.aggregation == Aggregation.RATIO:
        return (indicator.numerator, indicator.denominator)
    return (indicator,)


@dataclass(frozen=True)
class _Area:
    key: Hashable
    kind: str
    code: str
    name: str
    grouping: str = ""
    members: frozenset[str] = frozenset()
    """The municipalities (codes) a region or province consists of in the year."""


@dataclass(frozen=True)
class _Cell:
    value: Decimal | None
    status: str = ""
    source: str = ""


@dataclass
class _Counts:
    cells: dict[Hashable, _Cell]
    shown: dict[Hashable, Shown]
    used: dict[Hashable, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Layout:
    """The areas of one year: its municipalities (and any other with a figure for it), the
    regions of every grouping and the provinces, with their members in that year."""

    areas: tuple[_Area, ...]
    places: dict[str, rules.Place]
    groupings: dict[tuple[str, str], tuple[_Area, ...]]
    """Per (province code, grouping slug) its regions."""

    @classmethod
    def build(cls, period: Period, with_figures: set[str]) -> _Layout:
        municipalities = Municipality.objects.valid_on(period.start) | Municipality.objects.filter(
            code__in=with_figures
        )
        places = municipality_places()
        areas = [
            _Area((MUNICIPALITY, m.code), MUNICIPALITY, m.code, m.name)
            for m in municipalities.order_by("name", "code")
        ]
        groupings: dict[tuple[str, str], list[_Area]] = {}
        regions = Region.objects.select_related("grouping__province").prefetch_related(
            "municipalities"
        )
        for region in regions.order_by("grouping__province__name", "grouping__slug", "name"):
            members = {m.code for m in region.municipalities.all()}
            area = _Area(
                (REGION, region.pk),
                REGION,
                slugify(region.name),
                region.name,
                region.grouping.slug,
                rules.members_in_period(members, places, period),
            )
            areas.append(area)
            key = (region.grouping.province.code, region.grouping.slug)
            groupings.setdefault(key, []).append(area)
        for province in Province.objects.order_by("name").prefetch_related("municipalities"):
            members = {m.code for m in province.municipalities.all()}
            areas.append(
                _Area(
                    (PROVINCE, province.code),
                    PROVINCE,
                    province.code,
                    province.name,
                    members=rules.members_in_period(members, places, period),
                )
            )
        return cls(tuple(areas), places, {key: tuple(found) for key, found in groupings.items()})

    @property
    def keys(self) -> list[Hashable]:
        return [area.key for area in self.areas]

    def row(
        self,
        area: _Area,
        shown: Shown,
        figure: _Cell,
        used: dict[Hashable, frozenset[str]],
        default_source: str,
    ) -> PublicRow:
        """The published row; a figure recorded without a source names the indicator's."""
        regions: tuple[tuple[str, str], ...] = ()
        if area.kind == MUNICIPALITY:
            regions = tuple(
                (region.grouping, region.code)
                for region in self.areas
                if region.kind == REGION
                and (area.code in region.members or area.code in used[region.key])
            )
        return PublicRow(
            kind=area.kind,
            code=area.code,
            name=area.name,
            shown=shown,
            status=figure.status,
            source=figure.source or (default_source if figure.value is not None else ""),
            grouping=area.grouping,
            regions=regions,
        )


def _protected_counts(layout: _Layout, figures: dict[str, Any], threshold: int) -> _Counts:
    """One count indicator's cells, totals and protection."""
    parts = {code: (row.value,) for code, row in figures.items() if row.value is not None}
    cells: dict[Hashable, _Cell] = {}
    used: dict[Hashable, frozenset[str]] = {}
    totals = []
    for area in layout.areas:
        if area.kind == MUNICIPALITY:
            row = figures.get(area.code)
            cells[area.key] = _Cell(row.value, row.status, row.source) if row else _Cell(None)
            continue
        result = rules.aggregate(rules.SUM, parts, area.members, layout.places)
        found = [figures[code] for code in sorted(result.used)]
        cells[area.key] = _Cell(
            result.value,
            rules.least_certain(row.status for row in found),
            rules.joined_sources(row.source for row in found),
        )
        used[area.key] = result.used
        totals.append(Total(area.key, frozenset((MUNICIPALITY, code) for code in result.used)))
    totals.extend(_province_by_regions(layout, used))
    shown = protect({key: cell.value for key, cell in cells.items()}, totals, threshold)
    return _Counts(cells, shown, used)


def _province_by_regions(layout: _Layout, used: dict[Hashable, frozenset[str]]) -> list[Total]:
    """Province = its regions of one grouping (+ municipalities in none of them), where the
    regions do not overlap: the equation a reader can form by adding up the region rows."""
    totals = []
    for (province, _grouping), regions in layout.groupings.items():
        covered: set[str] = set()
        for region in regions:
            if covered & used[region.key]:
                break  # overlapping regions: their sum is no part of the province's
            covered |= used[region.key]
        else:
            whole = used[(PROVINCE, province)]
            if covered <= whole:
                rest = {(MUNICIPALITY, code) for code in whole - covered}
                totals.append(
                    Total((PROVINCE, province), frozenset({r.key for r in regions} | rest))
                )
    return totals


def _rates(
    layout: _Layout, numerator: _Counts, denominator: _Counts, scale: Decimal
) -> dict[Hashable, tuple[Shown, _Cell]]:
    """numerator / denominator x scale per area, hidden where either count is hidden."""
    cells = {}
    for key in layout.keys:
        top, bottom = numerator.cells[key], denominator.cells[key]
        value = None
        if top.value is not None and bottom.value:
            value = (scale * top.value / bottom.value).quantize(RATE_STEP, ROUND_HALF_UP)
        status = rules.least_certain(s for s in (top.status, bottom.status) if s)
        source = rules.joined_sources((top.source, bottom.source))
        shown = protect_ratio(numerator.shown[key], denominator.shown[key], value)
        cells[key] = (shown, _Cell(value, status, source))
    return cells
