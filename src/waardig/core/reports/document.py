"""The report document: what a report says, independent of the format it is delivered in.

A report function builds one `Document`; every renderer reads the same object, so the web page,
the PDF, the Word file, the spreadsheet and the Markdown can never drift apart. The classes are
frozen plain dataclasses (no Django) so a document can be built in `rules`/`reports` code, stored
alongside a published report and compared with the next edition.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

# The labels below are part of the (Dutch) document itself, not of the site chrome, so they are
# fixed here instead of going through gettext: a report reads the same whoever downloads it.
NOTE_LABELS = {
    "info": "Toelichting",
    "warning": "Let op",
    "fictief": "Fictief",
    "source": "Bron",
}
CHART_DATA_LABEL = "Gegevens bij de grafiek"
DEFAULT_EMPTY_TEXT = "Geen gegevens."
FICTITIOUS_BANNER = "Fictieve gegevens"
# Readers are in the Netherlands; stored aware datetimes are shown on their wall clock.
DISPLAY_TIMEZONE = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...] = ()
    caption: str = ""
    empty_text: str = DEFAULT_EMPTY_TEXT

    def __post_init__(self) -> None:
        # Report code naturally produces lists (query results); freezing them here keeps the
        # document immutable without making every caller remember to convert.
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"Row {number} of table {self.caption!r} has {len(row)} cells, "
                    f"expected {len(self.columns)}"
                )

    def numeric_columns(self) -> tuple[bool, ...]:
        """A column is right-aligned when all its filled cells are numbers, as in a spreadsheet."""
        result = []
        for index in range(len(self.columns)):
            values = [row[index] for row in self.rows if row[index] is not None]
            result.append(bool(values) and all(is_number(value) for value in values))
        return tuple(result)


@dataclass(frozen=True)
class Chart:
    spec: dict[str, Any]
    title: str
    description: str = ""

    def data_table(self) -> Table:
        """The chart's numbers as a table, for readers and formats that cannot use the image."""
        values = chart_values(self.spec)
        fields: list[str] = []
        for row in values:
            fields.extend(key for key in row if key not in fields)
        titles = _encoding_titles(self.spec)
        return Table(
            columns=tuple(titles.get(name, name) for name in fields),
            rows=tuple(tuple(_json_cell(row.get(name)) for name in fields) for row in values),
        )


@dataclass(frozen=True)
class Note:
    text: str
    kind: str = "info"

    @property
    def label(self) -> str:
        return NOTE_LABELS.get(self.kind, NOTE_LABELS["info"])


Block = Paragraph | Table | Chart | Note


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))
        object.__setattr__(self, "subsections", tuple(self.subsections))


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str = ""
    meta: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()
    notes: tuple[Note, ...] = ()

    def __post_init__(self) -> None:
        meta = tuple((str(label), format_cell(value)) for label, value in self.meta)
        object.__setattr__(self, "meta", meta)
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "notes", tuple(self.notes))

    def walk(self) -> Iterator[tuple[int, Section]]:
        """Sections depth-first in reading order with their depth (1 = top level)."""
        stack = [(1, section) for section in reversed(self.sections)]
        while stack:
            depth, section = stack.pop()
            yield depth, section
            stack.extend((depth + 1, child) for child in reversed(section.subsections))

    def blocks(self) -> Iterator[Block]:
        for _depth, section in self.walk():
            yield from section.blocks

    def tables(self) -> Iterator[Table]:
        return (block for block in self.blocks() if isinstance(block, Table))

    def charts(self) -> Iterator[Chart]:
        return (block for block in self.blocks() if isinstance(block, Chart))

    def all_notes(self) -> Iterator[Note]:
        yield from self.notes
        yield from (block for block in self.blocks() if isinstance(block, Note))

    @property
    def is_fictitious(self) -> bool:
        return any(note.kind == "fictief" for note in self.all_notes())


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def decimal_places(value: int | float | Decimal) -> int:
    """How many decimals a number is shown with: a Decimal keeps its own precision (the report
    chose it), a float is shown with at most two so binary noise never reaches a reader."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0")
        return len(text.split(".")[1]) if "." in text else 0
    return 0


def format_cell(value: Any) -> str:
    """One cell as a Dutch reader expects it (1.234,5 and 22-11-2026), the same in every format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if is_number(value):
        places = decimal_places(value)
        text = f"{value:,.{places}f}"
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if isinstance(value, datetime.datetime):
        return local_time(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def local_time(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(DISPLAY_TIMEZONE) if value.tzinfo else value


def chart_values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline data rows of a Vega-Lite spec, also when altair moved them to `datasets`."""
    data = spec.get("data") or {}
    if "values" in data:
        values = data["values"]
    elif "name" in data:
        values = (spec.get("datasets") or {}).get(data["name"], [])
    else:
        values = []
    return [row for row in values if isinstance(row, dict) and row]


def _encoding_titles(spec: dict[str, Any]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for channel in _channels(spec):
        if isinstance(channel, dict) and channel.get("field") and channel.get("title"):
            titles.setdefault(str(channel["field"]), str(channel["title"]))
    return titles


def _channels(spec: dict[str, Any]) -> Sequence[Any]:
    channels = list((spec.get("encoding") or {}).values())
    for layer in spec.get("layer") or []:
        channels.extend((layer.get("encoding") or {}).values())
    return channels


def _json_cell(value: Any) -> Any:
    """Chart data come from JSON; ISO dates are turned back into dates so they format alike."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dict | list):
        return str(value)
    return value
