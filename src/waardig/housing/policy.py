"""Reads of the municipal policy inventory: the matrix municipality x instrument with its
counts per region and province, the history of changes, and the downloads of both.

The page and the downloads are made by the same functions here, so a download always holds
what the page shows. A municipality without an entry for an instrument counts as unknown:
nobody has said yet, which is not the same as "no policy".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas.models import Municipality, Region
from waardig.core.access import CHANGE, allows, scope
from waardig.core.imports import Option
from waardig.housing import gap
from waardig.housing.models import Instrument, PolicyChange, PolicyEntry, PolicyStatus

DEFAULT_GROUPING = gap.DEFAULT_GROUPING
STATUS_ORDER = tuple(PolicyStatus)
STATUS_CSS = {
    PolicyStatus.ADOPTED: "waardig-status--done",
    PolicyStatus.PREPARATION: "waardig-status--delayed",
    PolicyStatus.NONE: "waardig-status--not_started",
    PolicyStatus.UNKNOWN: "",
}

GROUPING_OPTION = Option("grouping", gettext_lazy("indeling in regio's: admin of corop"))
INSTRUMENT_OPTION = Option(
    "instrument", gettext_lazy("één instrument, bijvoorbeeld short_stay_policy")
)
MUNICIPALITY_OPTION = Option(
    "municipality", gettext_lazy("CBS-code van de gemeente, bijvoorbeeld GM0983")
)


# -- counting (plain values) -------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """How many municipalities have each status for one instrument in one area."""

    adopted: int = 0
    preparation: int = 0
    none: int = 0
    unknown: int = 0

    @property
    def total(self) -> int:
        return self.adopted + self.preparation + self.none + self.unknown

    def of(self, status: str) -> int:
        return getattr(self, str(status))

    @property
    def by_status(self) -> list[tuple[PolicyStatus, int]]:
        return [(status, self.of(status)) for status in STATUS_ORDER]

    @property
    def summary(self) -> str:
        """The sentence the steering group uses ("4 van 8 vastgesteld, 1 in voorbereiding"):
        how far an area is, with the municipalities on their way named apart."""
        text = _("%(adopted)s van %(total)s vastgesteld") % {
            "adopted": self.adopted,
            "total": self.total,
        }
        if self.preparation:
            text += ", " + _("%(n)s in voorbereiding") % {"n": self.preparation}
        return text


def count(statuses: Iterable[str]) -> Counts:
    """Counts of a list of statuses (one per municipality; a missing entry is 'unknown')."""
    found = Counter(str(s) for s in statuses)
    unexpected = set(found) - set(PolicyStatus.values)
    if unexpected:
        raise ValueError(f"unknown policy status {sorted(unexpected)}")
    return Counts(**{status: found[status] for status in PolicyStatus.values})


# -- the matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One municipality and instrument; ``entry`` is None when nothing was entered yet."""

    municipality: Municipality
    instrument: Instrument
    entry: PolicyEntry | None
    may_change: bool

    @property
    def status(self) -> PolicyStatus:
        return PolicyStatus(self.entry.status) if self.entry else PolicyStatus.UNKNOWN

    @property
    def css(self) -> str:
        return STATUS_CSS[self.status]


@dataclass(frozen=True)
class Line:
    municipality: Municipality
    cells: list[Cell]


@dataclass
class Block:
    """The municipalities of one region with, per instrument shown, their counts."""

    name: str
    lines: list[Line] = field(default_factory=list)
    counts: list[Counts] = field(default_factory=list)


@dataclass(frozen=True)
class Matrix:
    grouping: str
    instruments: list[Instrument]
    blocks: list[Block]
    totals: list[tuple[str, list[Counts]]]
    """Per province (by name) the counts per instrument."""

    @property
    def is_empty(self) -> bool:
        return not any(block.lines for block in self.blocks)

    @property
    def entered(self) -> int:
        return sum(1 for b in self.blocks for ln in b.lines for c in ln.cells if c.entry)


def groupings() -> dict[str, str]:
    """The groupings to choose from: slug -> name (those with regions, as on the gap page)."""
    return dict(gap.groupings())


def chosen_grouping(value: str | None) -> str:
    """The grouping asked for when it exists, else the default (or the first there is)."""
    known = groupings()
    if value in known:
        return str(value)
    return DEFAULT_GROUPING if DEFAULT_GROUPING in known or not known else next(iter(known))


def chosen_instruments(value: str | None) -> list[Instrument]:
    """All instruments in their order, or the one asked for; an unknown one is an error."""
    if not value:
        return list(Instrument)
    if value not in Instrument.values:
        raise ValidationError(_("Onbekend instrument '%(i)s'.") % {"i": value})
    return [Instrument(value)]


def municipalities() -> QuerySet[Municipality]:
    """Today's municipalities with their regions: merged ones have no policy of their own."""
    regions = Region.objects.select_related("grouping")
    return (
        Municipality.objects.current()
        .select_related("province")
        .prefetch_related(Prefetch("regions", queryset=regions))
        .order_by("name", "code")
    )


def entries(actor: Any) -> QuerySet[PolicyEntry]:
    return scope(actor, PolicyEntry.objects.select_related("contact"))


def _region_name(municipality: Municipality, grouping: str) -> str:
    return next((r.name for r in municipality.regions.all() if r.grouping.slug == grouping), "")


def matrix(actor: Any, grouping: str | None = None, instrument: str | None = None) -> Matrix:
    """The inventory of every current municipality, in blocks per region of the grouping
    (alphabetical; municipalities in no region of it last), with counts per region and
    province. Each cell says whether the actor may change it (core.access decides)."""
    slug = chosen_grouping(grouping)
    instruments = chosen_instruments(instrument)
    found = {(e.municipality_id, e.instrument): e for e in entries(actor)}
    places = list(municipalities())
    provinces = {m.province.name for m in places}
    blocks: dict[str, Block] = {}
    for municipality in places:
        region = _region_name(municipality, slug)
        if region and len(provinces) > 1:
            region = f"{region} ({municipality.province.name})"
        block = blocks.setdefault(region, Block(region))
        probe = PolicyEntry(municipality=municipality)
        changeable = allows(actor, CHANGE, probe)
        block.lines.append(
            Line(
                municipality,
                [
                    Cell(municipality, i, found.get((municipality.pk, i.value)), changeable)
                    for i in instruments
                ],
            )
        )
    ordered = sorted(blocks.values(), key=lambda b: (b.name == "", b.name))
    width = len(instruments)
    for block in ordered:
        block.name = block.name or _("Zonder regio")
        block.counts = _column_counts(block.lines, width)
    lines = [line for block in ordered for line in block.lines]
    totals = [
        (name, _column_counts([ln for ln in lines if ln.municipality.province.name == name], width))
        for name in sorted(provinces)
    ]
    return Matrix(slug, instruments, ordered, totals)


def _column_counts(lines: list[Line], width: int) -> list[Counts]:
    return [count(line.cells[column].status for line in lines) for column in range(width)]


# -- history -----------------------------------------------------------------------------------


def changes(actor: Any, municipality: str = "", instrument: str = "") -> QuerySet[PolicyChange]:
    """Every recorded change the actor may see, newest first; filtered by municipality code
    and instrument when given."""
    found = scope(
        actor,
        PolicyChange.objects.select_related("entry__municipality", "contact"),
    )
    if municipality:
        found = found.filter(entry__municipality__code=municipality.upper())
    if instrument:
        found = found.filter(entry__instrument=instrument)
    return found.order_by("-at", "-id")


# -- downloads ---------------------------------------------------------------------------------

MATRIX_COLUMNS = [
    "code", "municipality", "grouping", "region", "instrument", "instrument_name", "status",
    "status_name", "decided_on", "document_url", "contact", "contact_name", "notes",
]  # fmt: skip
"""``contact`` is the e-mail address the import reads, ``contact_name`` for the reader."""
COUNT_COLUMNS = [
    "grouping", "area", "instrument", "instrument_name", *PolicyStatus.values, "total", "summary",
]  # fmt: skip
HISTORY_COLUMNS = [
    "at", "actor", "code", "municipality", "instrument", "instrument_name", "previous_status",
    "status", "decided_on", "document_url", "contact", "notes",
]  # fmt: skip


def matrix_rows(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per municipality and instrument, in the order of the page (region, then
    municipality, then instrument); a cell with no entry is 'unknown' with empty facts."""
    table = matrix(actor, options.get("grouping"), options.get("instrument"))
    rows = []
    for block in table.blocks:
        for line in block.lines:
            for cell in line.cells:
                entry = cell.entry
                rows.append(
                    [
                        line.municipality.code,
                        line.municipality.name,
                        table.grouping,
                        block.name,
                        cell.instrument.value,
                        str(cell.instrument.label),
                        cell.status.value,
                        str(cell.status.label),
                        entry.decided_on if entry else None,
                        entry.document_url if entry else "",
                        entry.contact.email if entry and entry.contact else "",
                        entry.contact.name if entry and entry.contact else "",
                        entry.notes if entry else "",
                    ]
                )
    return MATRIX_COLUMNS, rows


def count_rows(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Per region and instrument the municipalities per status, then the province totals
    (with an empty grouping), as the page's count rows show them."""
    table = matrix(actor, options.get("grouping"), options.get("instrument"))
    areas = [(table.grouping, block.name, block.counts) for block in table.blocks]
    areas += [("", name, counts) for name, counts in table.totals]
    rows = [
        [
            grouping,
            name,
            instrument.value,
            str(instrument.label),
            *(n for _status, n in counts.by_status),
            counts.total,
            counts.summary,
        ]
        for grouping, name, per_instrument in areas
        for instrument, counts in zip(table.instruments, per_instrument, strict=True)
    ]
    return COUNT_COLUMNS, rows


def history_rows(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    instrument = options.get("instrument", "")
    if instrument:
        chosen_instruments(instrument)  # an unknown instrument is an error, not an empty file
    found = changes(actor, options.get("municipality", ""), instrument)
    rows = [
        [
            change.at,
            change.actor,
            change.entry.municipality.code,
            change.entry.municipality.name,
            change.entry.instrument,
            str(Instrument(change.entry.instrument).label),
            change.previous_status,
            change.status,
            change.decided_on,
            change.document_url,
            change.contact.name if change.contact else "",
            change.notes,
        ]
        for change in found
    ]
    return HISTORY_COLUMNS, rows
