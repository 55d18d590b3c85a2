"""What an importer declares; the runner does the rest the same way for every kind."""

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from waardig.core.imports.readers import Table, read_table


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class Option:
    """A command-line/web option an importer needs (e.g. the programme to import into)."""

    name: str
    help: str
    required: bool = False


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class SkipRow(Exception):
    """Raised by ``validate`` for a row that is left out on purpose (counted, not an error),
    e.g. a national CBS table's figures for areas outside the province."""


class RowErrors:
    """Collects every error of one row, so the user sees them all at once."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def add(self, column: str, message: str) -> None:
        self.errors.append(RowError(column, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ExceptionGroup("row errors", self.errors)


@dataclass
class Item:
    """One validated row, ready to be compared with the database and written."""

    row: int
    key: tuple
    label: str
    values: dict[str, Any]
    action: str = ""  # create | update | unchanged, decided by the importer's plan()
    extra: dict[str, Any] = field(default_factory=dict)


class Importer:
    """Subclass per kind of import; register it in the app's ``registrations`` module.

    ``validate`` turns one row into an Item or raises RowError (or, through RowErrors,
    all errors of the row at once).
    ``plan`` says whether the item creates, updates or leaves the database unchanged;
    ``write`` makes the change through the app's services. The runner wraps all writes
    of one import in one transaction. It hands items over in batches (``plan_batch``,
    ``write_batch``), one at a time by default; an importer of large files overrides the
    two to compare and write a whole batch in a few statements.
    """

    do_not_call_in_templates = True  # templates show the class's declarations
    kind: ClassVar[str]
    label: ClassVar[str]
    model: ClassVar[Any]
    columns: ClassVar[tuple[Column, ...]]
    options: ClassVar[tuple[Option, ...]] = ()
    formats: ClassVar[tuple[str, ...]] = ("csv", "xlsx")
    document_shape: ClassVar[str] = ""
    """For document imports (not tables): how the document must be laid out, for the page."""
    ignored_columns: ClassVar[frozenset[str]] = frozenset()
    """Columns a download of the same data adds (ids, derived figures): accepted, not read,
    so a downloaded table can be edited and imported again."""
    extra_column_prefix: ClassVar[str] = ""
    """Columns starting with this are accepted besides the declared ones (e.g. region:SLUG)."""
    upload_url_name: ClassVar[str] = ""
    """The name of the URL of this kind's own upload page (e.g. one with a review screen where
    the user corrects what was read before it is saved); the generic pages send users there."""
    personal: ClassVar[bool] = False
    """The file holds person-level data (such as the identifiers of a guest register), which
    ``validate`` must reduce to what may be kept (pseudonyms): the stored upload is deleted as
    soon as the job is done, invalid or failed (core.imports.jobs), and every such upload ends
    in an audit entry. Labels, ``describe`` and error messages must never quote a cell."""

    def __init__(self, actor: Any, options: dict[str, Any] | None = None):
        self.actor = actor
        self.options = options or {}
        self.job: Any = None
        """The ImportJob this run belongs to, when there is one (provenance of what it writes)."""

    def read(self, data: bytes, filename: str) -> Table:
        """The file as rows; document importers turn headings and paragraphs into rows."""
        return read_table(data, filename)

    def prepare(self) -> None:
        """Load lookups once before the rows are validated; raise RowError for a bad option."""

    def validate(self, row: int, values: dict[str, str]) -> Item:
        raise NotImplementedError

    def cross_check(self, items: list[Item]) -> list[tuple[int, str, str]]:
        """Errors (row, column, message) between rows, once every row is valid on its own."""
        return []

    def plan(self, item: Item) -> str:
        raise NotImplementedError

    def plan_batch(self, items: list[Item]) -> None:
        """Set each item's action; override to look a whole batch up at once."""
        for item in items:
            item.action = self.plan(item)

    def write_batch(self, items: list[Item]) -> list[tuple[int, str]]:
        """Write the batch's changed items; returns (row, message) for each one refused."""
        refused = []
        for item in items:
            try:
                self.write(item)
            except (ValidationError, PermissionDenied) as exc:
                refused.append((item.row, refusal_message(exc)))
        return refused

    def describe(self, item: Item) -> dict[str, Any]:
        """Extra fields of an item for the preview (e.g. the text read from a document)."""
        return {}

    def write(self, item: Item) -> None:
        raise NotImplementedError

    def finish(self, result: Any) -> None:
        """Called after a successful commit (e.g. to write one audit entry)."""

    @classmethod
    def template_help(cls) -> list[dict[str, str]]:
        return [
            {
                "name": c.name,
                "required": _("verplicht") if c.required else _("optioneel"),
                "help": c.help,
            }
            for c in cls.columns
        ]


def refusal_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or _("Geen recht.")
