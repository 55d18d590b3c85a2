"""Where apps announce their import, export and report kinds.

``core`` sits below every app, so it cannot import them; each app registers its kinds in
its ``registrations`` module (loaded from ``AppConfig.ready``). The command line, the
generic download views and the import pages all look kinds up here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from waardig.core.imports.base import Importer, Option

IMPORTS: dict[str, type[Importer]] = {}
EXPORTS: dict[str, "ExportKind"] = {}
REPORTS: dict[str, "ReportKind"] = {}


@dataclass(frozen=True)
class ExportKind:
    """A table anyone allowed may download as CSV, XLSX or JSON.

    ``rows(actor, options)`` returns (columns, rows) already scoped to the actor;
    ``personal`` exports write an audit entry.
    """

    kind: str
    label: str
    model: Any
    rows: Callable[[Any, dict[str, Any]], tuple[list[str], list[list[Any]]]]
    personal: bool = False
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class ReportKind:
    """A report: a function from (actor, options) to a core.reports Document."""

    kind: str
    label: str
    model: Any
    build: Callable[[Any, dict[str, Any]], Any]
    personal: bool = False
    options: tuple[Option, ...] = field(default=())


def personal_import_kinds() -> list[str]:
    """The import kinds whose files hold person-level data (``Importer.personal``)."""
    return [kind for kind, importer in IMPORTS.items() if importer.personal]


def register_import(importer: type[Importer]) -> type[Importer]:
    _add(IMPORTS, importer.kind, importer)
    return importer


def register_export(kind: ExportKind) -> ExportKind:
    _add(EXPORTS, kind.kind, kind)
    return kind


def register_report(kind: ReportKind) -> ReportKind:
    _add(REPORTS, kind.kind, kind)
    return kind


def _add(table: dict, key: str, value: Any) -> None:
    if key in table and table[key] is not value:
        raise ValueError(f"kind {key!r} is registered twice")
    table[key] = value
