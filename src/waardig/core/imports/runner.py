"""Run an import the same way for the command line, the web page and background jobs."""

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from waardig.core.imports.base import Importer, Item, RowError, SkipRow
from waardig.core.imports.readers import UnreadableFile

Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 500
BATCH = 1000
"""Items planned and written together (one lookup per batch for importers that batch)."""
PREVIEW_ITEMS = 500
"""Rows listed in a preview; a file of a million rows is counted, not listed."""
MAX_ERRORS = 1000
"""Errors listed in full; beyond them one line counts the rest (a wrong column in a million
rows is one mistake, not a million)."""


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
    skipped: int = 0
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
            "skipped": self.skipped,
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
    The preview lists the first PREVIEW_ITEMS rows; the counts cover all of them.
    """
    result = ImportResult(kind=importer.kind, dry_run=dry_run)
    items = _validated_items(importer, data, filename, result, progress)
    if result.errors:
        _shorten(result.errors)
        return result
    for done, batch in _batches(items):
        importer.plan_batch(batch)
        for item in batch:
            setattr(result, item.action, getattr(result, item.action) + 1)
            if len(result.items) < PREVIEW_ITEMS:
                result.items.append(
                    {"row": item.row, "action": item.action, "label": item.label}
                    | importer.describe(item)
                )
        progress("planning", done, len(items))
    if dry_run:
        return result
    changed = [item for item in items if item.action != "unchanged"]
    progress("writing", 0, len(changed))
    with transaction.atomic():
        for done, batch in _batches(changed):
            result.errors.extend(
                Error(row, "", message) for row, message in importer.write_batch(batch)
            )
            progress("writing", done, len(changed))
        if result.errors:
            transaction.set_rollback(True)
            _shorten(result.errors)
            result.created = result.updated = result.unchanged = 0
            result.items = []
            return result
        importer.finish(result)
    progress("done", len(items), len(items))
    return result


def _batches(items: list[Item]) -> Iterator[tuple[int, list[Item]]]:
    """Consecutive slices of BATCH items, with how many are done after each."""
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        yield start + len(batch), batch


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
    known = {c.name for c in importer.columns} | importer.ignored_columns
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
    result.errors.extend(Error(*error) for error in table.errors)  # listed with the rows' own
    result.skipped = table.skipped
    items: list[Item] = []
    seen: dict[tuple, int] = {}
    total = len(table.rows)
    for done, (row, values) in enumerate(_consumed(table.rows), start=1):
        try:
            item = importer.validate(row, values)
        except SkipRow:
            result.skipped += 1
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
    if not total and not table.errors:
        result.errors.append(Error(0, "", _("Het bestand bevat geen gegevensregels.")))
    if not result.errors:
        result.errors.extend(Error(*e) for e in importer.cross_check(items))
    progress("validating", total, total)
    return items


def _consumed(rows: list[tuple[int, dict[str, str]]]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows in order, each let go once validated: a large file's text cells and its
    validated items are not held at the same time."""
    rows.reverse()
    while rows:
        yield rows.pop()


def _shorten(errors: list[Error]) -> None:
    if len(errors) > MAX_ERRORS:
        rest = len(errors) - MAX_ERRORS
        del errors[MAX_ERRORS:]
        errors.append(
            Error(
                0,
                "",
                _("En nog %(n)s fouten van dezelfde soort of later in het bestand.") % {"n": rest},
            )
        )
