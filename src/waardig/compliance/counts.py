"""The numbers of the supervision overview (``/toezicht/``): per municipality, the open
signals per kind and per status, the open findings, the inspections this year and the
enforcement steps past their deadline.

These functions count across scopes on purpose: they count the signals, findings,
inspections and enforcement steps of every municipality, whoever asks, and return only
numbers, never a signal, an address or a person. That is what the province's roles may know
of supervision: how much is going on where (models: "the province's roles see counts per
municipality"). Who reads which rows, and which numbers exactly, is decided here per viewer:

- officers and inspectors read the rows of their own municipalities, exactly (they see the
  signals behind them in their queue);
- every other role of the network reads every municipality, but a count of signals about one
  person (``models.PERSON_SIGNALS``) above 0 and below WAARDIG_REGISTER_MIN_COUNT reads
  "< N", like a small count from a guest register (``housing.occupancy``). A total that
  holds such a hidden count reads only as a lower bound ("≥ N": everything but the hidden
  counts), so that no hidden count can be worked out by subtraction.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from waardig.areas.models import Municipality
from waardig.compliance.models import (
    PERSON_SIGNALS,
    Check,
    EnforcementStep,
    Finding,
    Inspection,
    Signal,
    SignalKind,
    SignalStatus,
)
from waardig.core.access import VIEW, allowed_municipality_ids
from waardig.housing.gap import in_use_on
from waardig.housing.occupancy import hidden_text, register_min_count

OPEN_STATUSES = (SignalStatus.NEW, SignalStatus.INVESTIGATING)
KINDS = tuple(SignalKind)


@dataclass(frozen=True)
class Cell:
    """One number as its reader may read it: ``number`` when exact (None when hidden or only
    a lower bound), ``text`` always (what the page and its table show)."""

    number: int | None
    text: str

    @property
    def exact(self) -> bool:
        return self.number is not None


def exact(number: int) -> Cell:
    return Cell(number, str(number))


@dataclass(frozen=True)
class Part:
    """A count with what its reader may know of it, before it becomes a Cell: ``shown`` is
    the part that may be read, ``hidden`` says whether some of it is left out."""

    shown: int
    hidden: bool = False

    def cell(self) -> Cell:
        return Cell(None, f"≥ {self.shown}") if self.hidden else exact(self.shown)


@dataclass(frozen=True)
class Row:
    """The counts of one municipality (``municipality`` None: all rows together)."""

    municipality: Municipality | None
    kinds: tuple[Cell, ...]
    """Open signals per kind, in the order of ``KINDS``."""
    statuses: tuple[Cell, ...]
    """Open signals per status, in the order of ``OPEN_STATUSES``."""
    findings: Cell
    inspections: Cell
    overdue_steps: Cell
    exact: bool
    """Its reader sees the signals behind these numbers (their own municipality)."""

    @property
    def kind_cells(self) -> list[tuple[str, Cell]]:
        return list(zip([k.value for k in KINDS], self.kinds, strict=True))

    @property
    def status_cells(self) -> list[tuple[str, Cell]]:
        return list(zip([s.value for s in OPEN_STATUSES], self.statuses, strict=True))


@dataclass(frozen=True)
class Overview:
    rows: list[Row]
    total: Row
    scoped: bool
    """The reader acts for some municipalities only and sees just those rows."""
    protected: bool
    """Some small counts are hidden from this reader."""
    min_count: int
    year: int


# -- counting (across scopes: numbers only) ----------------------------------------------------


def _open_signals() -> dict[int, Counter]:
    """Per municipality id: open signals counted by (kind, status)."""
    counts: dict[int, Counter] = {}
    rows = (
        Signal.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("municipality_id", "kind", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts.setdefault(row["municipality_id"], Counter())[(row["kind"], row["status"])] = row[
            "n"
        ]
    return counts


def _per_municipality(queryset: Any, path: str) -> dict[int, int]:
    rows = queryset.order_by().values(path).annotate(n=Count("id"))
    return {row[path]: row["n"] for row in rows}


def open_findings(today: datetime.date) -> dict[int, int]:
    """Findings of the latest check of each location in use today, per municipality id."""
    latest = Check.objects.filter(location=OuterRef("pk")).order_by("-on", "-at", "-id")
    checks = in_use_on(today).annotate(latest=Subquery(latest.values("pk")[:1])).values("latest")
    return _per_municipality(
        Finding.objects.filter(check_run_id__in=checks), "check_run__location__municipality_id"
    )


def inspections_in_year(today: datetime.date) -> dict[int, int]:
    """Inspections from 1 January up to today, per municipality id."""
    this_year = Inspection.objects.filter(on__year=today.year, on__lte=today)
    return _per_municipality(this_year, "location__municipality_id")


def overdue_steps(today: datetime.date) -> dict[int, int]:
    """Enforcement steps whose deadline has passed without completion, per municipality id."""
    overdue = EnforcementStep.objects.filter(deadline__lt=today, completed_on__isnull=True)
    return _per_municipality(overdue, "location__municipality_id")


# -- what a reader may read ----------------------------------------------------------------------


def _municipalities(ids: Iterable[int] | None, counted: set[int]) -> list[Municipality]:
    """Today's municipalities (and any other with something counted), or just ``ids``."""
    if ids is not None:
        return list(Municipality.objects.filter(pk__in=sorted(ids)).order_by("name"))
    return list(
        Municipality.objects.filter(
            Q(pk__in=Municipality.objects.current().values("pk")) | Q(pk__in=sorted(counted))
        ).order_by("name")
    )


def _kind_part(count: int, kind: str, protect: bool, min_count: int) -> tuple[Part, Cell]:
    if protect and kind in PERSON_SIGNALS and 0 < count < min_count:
        return Part(0, hidden=True), Cell(None, hidden_text(min_count))
    return Part(count), exact(count)


def _add(parts: Iterable[Part]) -> Part:
    parts = list(parts)
    return Part(sum(p.shown for p in parts), any(p.hidden for p in parts))


def _row(
    municipality: Municipality,
    signals: Counter,
    findings: int,
    inspections: int,
    steps: int,
    protect: bool,
    min_count: int,
) -> tuple[Row, dict[str, Part], dict[str, Part]]:
    kind_parts, kind_cells, status_parts = {}, [], {}
    hidden_kinds = set()
    for kind in KINDS:
        count = sum(signals[(kind.value, status.value)] for status in OPEN_STATUSES)
        part, cell = _kind_part(count, kind, protect, min_count)
        kind_parts[kind.value] = part
        kind_cells.append(cell)
        if part.hidden:
            hidden_kinds.add(kind.value)
    for status in OPEN_STATUSES:
        status_parts[status.value] = _add(
            Part(0, hidden=True) if kind.value in hidden_kinds
            else Part(signals[(kind.value, status.value)])
            for kind in KINDS
        )  # fmt: skip
    row = Row(
        municipality=municipality,
        kinds=tuple(kind_cells),
        statuses=tuple(status_parts[s.value].cell() for s in OPEN_STATUSES),
        findings=exact(findings),
        inspections=exact(inspections),
        overdue_steps=exact(steps),
        exact=not protect,
    )
    return row, kind_parts, status_parts


def _total_kind(parts: list[Part], exact_sum: int, kind: str, protect: bool, mc: int) -> Cell:
    """A column total: a small total of person-level signals is hidden like a cell, and a
    total over hidden cells reads as a lower bound."""
    if protect and kind in PERSON_SIGNALS and 0 < exact_sum < mc:
        return Cell(None, hidden_text(mc))
    return _add(parts).cell()


def overview(actor: Any, today: datetime.date) -> Overview:
    """The counts per municipality as ``actor`` may read them (see the module docstring)."""
    ids = allowed_municipality_ids(actor, Signal, VIEW)
    scoped = bool(ids)
    protect = ids is not None and not ids
    min_count = register_min_count()
    signals = _open_signals()
    findings, inspections, steps = (
        open_findings(today),
        inspections_in_year(today),
        overdue_steps(today),
    )
    counted = set(signals) | set(findings) | set(inspections) | set(steps)
    rows, all_kinds, all_statuses = [], [], []
    for municipality in _municipalities(ids if scoped else None, counted):
        row, kind_parts, status_parts = _row(
            municipality,
            signals.get(municipality.pk, Counter()),
            findings.get(municipality.pk, 0),
            inspections.get(municipality.pk, 0),
            steps.get(municipality.pk, 0),
            protect,
            min_count,
        )
        rows.append(row)
        all_kinds.append(kind_parts)
        all_statuses.append(status_parts)
    shown = {row.municipality.pk for row in rows if row.municipality}
    kind_totals = []
    for kind in KINDS:
        exact_sum = sum(
            signals.get(pk, Counter())[(kind.value, s.value)] for pk in shown for s in OPEN_STATUSES
        )
        parts = [p[kind.value] for p in all_kinds]
        kind_totals.append(_total_kind(parts, exact_sum, kind, protect, min_count))
    total = Row(
        municipality=None,
        kinds=tuple(kind_totals),
        statuses=tuple(_add(p[s.value] for p in all_statuses).cell() for s in OPEN_STATUSES),
        findings=exact(sum(r.findings.number or 0 for r in rows)),
        inspections=exact(sum(r.inspections.number or 0 for r in rows)),
        overdue_steps=exact(sum(r.overdue_steps.number or 0 for r in rows)),
        exact=not protect,
    )
    hidden = any(not c.exact for row in [*rows, total] for c in (*row.kinds, *row.statuses))
    return Overview(rows, total, scoped, hidden, min_count, today.year)


def kind_headers() -> list[tuple[str, str, str]]:
    """(value, short label, full label) of each kind: the table's column heads are short."""
    headers = []
    for kind in KINDS:
        label = str(kind.label)
        short = label.split(" (")[0].split(":")[0]
        headers.append((kind.value, short, label))
    return headers


def status_headers() -> list[tuple[str, str]]:
    return [(s.value, str(s.label)) for s in OPEN_STATUSES]


def table(actor: Any, today: datetime.date) -> tuple[list[str], list[list[Any]]]:
    """The overview as one table (columns, rows of text), as the reader may read it."""
    data = overview(actor, today)
    columns = [
        _("gemeente"),
        _("CBS-code"),
        *[f"{_('open signalen')}: {label}" for _v, _s, label in kind_headers()],
        *[f"{_('open signalen')}: {label}" for _v, label in status_headers()],
        _("open bevindingen"),
        _("inspecties %(year)s") % {"year": data.year},
        _("handhavingsstappen over de termijn"),
    ]
    rows = []
    for row in [*data.rows, data.total]:
        name = row.municipality.name if row.municipality else _("Totaal")
        code = row.municipality.code if row.municipality else ""
        cells = [*row.kinds, *row.statuses, row.findings, row.inspections, row.overdue_steps]
        rows.append([name, code, *[c.number if c.exact else c.text for c in cells]])
    return columns, rows
