"""Test helper: the visible text of every report format, and a check that all formats agree.

Any app's report test can do::

    rendered = {fmt: render(document, fmt) for fmt in FORMATS}
    assert_same_content(document, rendered)

Comparison is on whitespace-collapsed, NFKC-normalised text, so line wrapping in a PDF or a
ligature glyph does not count as a difference; a missing or altered word does.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from waardig.core.reports.document import (
    Document,
    Note,
    Paragraph,
    Table,
    format_cell,
    is_number,
    local_time,
)

# Formats that carry a chart's numbers as text; PDF and DOCX show the chart as a picture.
CHART_DATA_FORMATS = frozenset({"html", "md", "xlsx"})


def text_of_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def text_of_docx(data: bytes) -> str:
    import docx

    word = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) not in seen:  # merged cells repeat the same element
                    seen.add(id(cell._tc))
                    parts.append(cell.text)
    for section in word.sections:
        parts.extend(paragraph.text for paragraph in section.header.paragraphs)
    return "\n".join(parts)


def xlsx_values(data: bytes) -> list[Any]:
    """Every non-empty cell value of every sheet, with its spreadsheet type (number, date...)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    return [
        value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


def text_of_xlsx(data: bytes) -> str:
    return "\n".join(str(value) for value in xlsx_values(data))


def text_of_md(data: bytes) -> str:
    text = data.decode("utf-8")
    text = re.sub(r"^\|?[\s:|-]*-{3,}[\s:|-]*$", "", text, flags=re.MULTILINE)  # table rules
    text = re.sub(r"(?<!\\)\|", " ", text)  # table cell borders
    text = re.sub(r"^\s*(#{1,6}|>|-)\s", "", text, flags=re.MULTILINE)  # headings, quotes, lists
    text = re.sub(r"(?<!\\)\*+", "", text)  # emphasis
    text = re.sub(r"\\\n", "\n", text)  # hard line breaks
    return re.sub(r"\\(.)", r"\1", text)  # escapes


def text_of_html(data: bytes | str) -> str:
    parser = _TextParser()
    parser.feed(data.decode("utf-8") if isinstance(data, bytes) else data)
    parser.close()
    return " ".join(parser.parts)


EXTRACTORS = {
    "pdf": text_of_pdf,
    "docx": text_of_docx,
    "xlsx": text_of_xlsx,
    "md": text_of_md,
    "html": text_of_html,
}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return " ".join(text.split())


def expected_items(document: Document, chart_data: bool = True) -> Iterator[str | tuple[Any, ...]]:
    """What a reader must find: texts, and table rows as tuples of raw cell values."""
    yield document.title
    yield document.subtitle
    for label, value in document.meta:
        yield label
        yield value
    for note in document.notes:
        yield from (note.label, note.text)
    for _depth, section in document.walk():
        yield section.title
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield block.text
            elif isinstance(block, Note):
                yield from (block.label, block.text)
            elif isinstance(block, Table):
                yield from _table_items(block)
            else:  # a chart
                yield block.title
                if chart_data:
                    yield from _table_items(block.data_table())


def missing_content(document: Document, fmt: str, data: bytes) -> list[str]:
    """What of the document cannot be found in one rendered file (empty list: all present)."""
    found = _Finder(fmt, data)
    missing = []
    for item in expected_items(document, chart_data=fmt in CHART_DATA_FORMATS):
        if isinstance(item, tuple):
            missing.extend(found.row(item))
        elif not found.text(item):
            missing.append(normalise(item))
    return missing


def assert_same_content(document: Document, rendered: dict[str, bytes]) -> None:
    """Every heading, paragraph, note and table cell of the document is in every format."""
    assert rendered, "no rendered formats given"
    problems = {}
    for fmt, data in rendered.items():
        if missing := missing_content(document, fmt, data):
            problems[fmt] = missing
    assert not problems, f"content missing from rendered reports: {problems}"


class _Finder:
    def __init__(self, fmt: str, data: bytes) -> None:
        self.fmt = fmt
        self.content = normalise(EXTRACTORS[fmt](data))
        self.squeezed = self.content.replace(" ", "")
        self.values = xlsx_values(data) if fmt == "xlsx" else []

    def text(self, expected: str) -> bool:
        wanted = normalise(expected)
        if not wanted or wanted in self.content:
            return True
        # A PDF breaks lines wherever it likes, and pypdf may drop or add spaces around them.
        return self.fmt == "pdf" and wanted.replace(" ", "") in self.squeezed

    def row(self, cells: tuple[Any, ...]) -> list[str]:
        """A table row reads as one run of text, except in a spreadsheet (cells hold values) and
        where a PDF wraps a long cell (its lines interleave with the neighbours'): then each
        cell must be found on its own."""
        texts = [format_cell(value) for value in cells]
        if self.fmt != "xlsx" and self.text(" ".join(texts)):
            return []
        if self.fmt not in ("xlsx", "pdf"):
            return [normalise(" ".join(texts))]
        missing = []
        for value, text in zip(cells, texts, strict=True):
            if self.fmt == "xlsx" and (is_number(value) or isinstance(value, datetime.date)):
                if not any(_same_value(value, actual) for actual in self.values):
                    missing.append(f"{value!r} (as a spreadsheet value)")
            elif not self.text(text):
                missing.append(normalise(text))
        return missing


def _table_items(table: Table) -> Iterator[str | tuple[Any, ...]]:
    yield table.caption
    yield tuple(table.columns)
    if not table.rows:
        yield table.empty_text
    yield from table.rows


def _same_value(expected: Any, actual: Any) -> bool:
    if isinstance(expected, datetime.datetime):
        wall_clock = local_time(expected).replace(tzinfo=None, second=0, microsecond=0)
        return (
            isinstance(actual, datetime.datetime)
            and actual.replace(second=0, microsecond=0) == wall_clock
        )
    if isinstance(expected, datetime.date):
        return isinstance(actual, datetime.datetime) and actual.date() == expected
    if is_number(actual):
        return math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-9)
    return False


class _TextParser(HTMLParser):
    """Text a reader sees or hears: scripts and styles are not content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.skipping += 1
        elif tag == "img":
            self.parts.extend(value or "" for name, value in attrs if name == "alt")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


__all__ = [
    "EXTRACTORS",
    "assert_same_content",
    "missing_content",
    "text_of_docx",
    "text_of_html",
    "text_of_md",
    "text_of_pdf",
    "text_of_xlsx",
    "xlsx_values",
]
