"""Run an import the same way for the command line, the web page and background jobs."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waardig.core.imports.base import Importer, Item, RowError
from waardig.core.imports.readers import UnreadableFile

Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 500


@dataclass
class Error:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Error] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [asdict(e) for e in self.errors],
            "items": self.items,
        }


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


def run_import(
    importer: Importer,
    data: bytes,
    filename: str,
    *,
    dry_run: bool,
    progress: Progress = _no_progress,
) -> ImportResult:
    """Validate every row, then (unless dry_run or any error) write all rows in one transaction.

    With any error nothing is written: the result lists every error with row and column.
    """
    result = ImportResult(kind=importer.kind, dry_run=dry_run)
    items = _validated_items(importer, data, filename, result, progress)
    if result.errors:
        return result
    for item in items:
        item.action = importer.plan(item)
        setattr(result, item.action, getattr(result, item.action) + 1)
        result.items.append(
            {"row": item.row, "action": item.action, "label": item.label} | importer.describe(item)
        )
    if dry_run:
        return result
    progress("writing", 0, len(items))
    with transaction.atomic():
        for done, item in enumerate(items, start=1):
            if item.action == "unchanged":
                continue
            try:
                importer.write(item)
            except (ValidationError, PermissionDenied) as exc:
                result.errors.append(Error(item.row, "", _message(exc)))
            if done % PROGRESS_EVERY == 0:
                progress("writing", done, len(items))
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
            result.items = []
            return result
        importer.finish(result)
    progress("done", len(items), len(items))
    return result


def _validated_items(
    importer: Importer, data: bytes, filename: str, result: ImportResult, progress: Progress
) -> list[Item]:
    try:
        table = importer.read(data, filename)
    except UnreadableFile as exc:
        result.errors.append(Error(0, "", str(exc)))
        return []
    missing = [c.name for c in importer.columns if c.required and c.name not in table.columns]
    for name in missing:
        result.errors.append(Error(1, name, _("Verplichte kolom ontbreekt.")))
    known = {c.name for c in importer.columns}
    prefix = importer.extra_column_prefix
    for name in table.columns:
        if name and name not in known and not (prefix and name.startswith(prefix)):
            result.errors.append(Error(1, name, _("Onbekende kolom.")))
    if result.errors:
        return []
    try:
        importer.prepare()
    except RowError as exc:  # e.g. an option naming a programme that does not exist
        result.errors.append(Error(0, exc.column, exc.message))
        return []
    items: list[Item] = []
    seen: dict[tuple, int] = {}
    total = len(table.rows)
    for done, (row, values) in enumerate(table.rows, start=1):
        try:
            item = importer.validate(row, values)
        except RowError as exc:
            result.errors.append(Error(row, exc.column, exc.message))
        except ExceptionGroup as group:
            for exc in group.exceptions:
                if not isinstance(exc, RowError):
                    raise
                result.errors.append(Error(row, exc.column, exc.message))
        else:
            if item.key in seen:
                result.errors.append(
                    Error(row, "", _("Dubbel met regel %(row)s.") % {"row": seen[item.key]})
                )
            else:
                seen[item.key] = row
                items.append(item)
        if done % PROGRESS_EVERY == 0:
            progress("validating", done, total)
    if not table.rows:
        result.errors.append(Error(0, "", _("Het bestand bevat geen gegevensregels.")))
    if not result.errors:
        result.errors.extend(Error(*e) for e in importer.cross_check(items))
    progress("validating", total, total)
    return items


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or _("Geen recht.")
