"""Spreadsheet rendering with openpyxl, for readers who want to compute with the figures.

The first sheet follows the document's text; every table and every chart's data get a sheet of
their own with real numbers and dates (never formatted text), so sorting and sums just work.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from waardig.core.reports.document import (
    FICTITIOUS_BANNER,
    Chart,
    Document,
    Note,
    Paragraph,
    Table,
    decimal_places,
    format_cell,
    is_number,
    local_time,
)

OVERVIEW_SHEET = "Overzicht"
MAX_SHEET_NAME = 31
INVALID_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
# OWASP's list for CSV injection: a spreadsheet treats a text starting with one of these as a
# formula. Tab and carriage return are included because Excel strips them before parsing.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
WARNING_FONT = Font(bold=True, color="9C2A00")
HEADER_FILL = PatternFill("solid", fgColor="E4E7EB")
WRAP = Alignment(wrap_text=True, vertical="top")


def safe_cell(value: Any) -> Any:
    """Neutralise a text that a spreadsheet would run as a formula; other values pass through.

    Shared with the CSV exports: a value typed in by one user must not execute on another's
    machine when the download is opened.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def render_xlsx(document: Document) -> bytes:
    workbook = Workbook()
    workbook.properties.title = document.title
    overview = workbook.active
    overview.title = OVERVIEW_SHEET
    names = _SheetNames()
    _write_overview(workbook, overview, document, names)
    if document.is_fictitious:
        for sheet in workbook.worksheets:
            sheet.oddHeader.center.text = FICTITIOUS_BANNER
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_overview(
    workbook: Workbook, sheet: Worksheet, document: Document, names: _SheetNames
) -> None:
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    sheet.append([safe_cell(document.title)])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=16)
    if document.subtitle:
        sheet.append([safe_cell(document.subtitle)])
        sheet.cell(sheet.max_row, 1).font = Font(italic=True, size=12)
    for label, value in document.meta:
        _labelled(sheet, label, value)
    for note in document.notes:
        _note(sheet, note)
    for depth, section in document.walk():
        sheet.append([])
        sheet.append([safe_cell(section.title)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=max(11, 15 - depth))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _labelled(sheet, "", block.text)
            elif isinstance(block, Note):
                _note(sheet, block)
            elif isinstance(block, Table):
                name = names.claim(block.caption or section.title)
                _write_table(workbook.create_sheet(name), block)
                _link(sheet, "Tabel", block.caption or section.title, name)
            elif isinstance(block, Chart):
                name = names.claim(f"Grafiek {block.title}")
                _write_table(workbook.create_sheet(name), block.data_table())
                _link(sheet, "Grafiek", block.title, name)


def _labelled(sheet: Worksheet, label: str, text: str) -> None:
    sheet.append([safe_cell(label) or None, safe_cell(text)])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.cell(sheet.max_row, 2).alignment = WRAP


def _note(sheet: Worksheet, note: Note) -> None:
    _labelled(sheet, note.label, note.text)
    if note.kind in ("fictief", "warning"):
        sheet.cell(sheet.max_row, 1).font = WARNING_FONT


def _link(sheet: Worksheet, label: str, text: str, target: str) -> None:
    """A clickable reference to the sheet that holds the figures."""
    _labelled(sheet, label, f"{text} (blad {target})")
    cell = sheet.cell(sheet.max_row, 2)
    cell.hyperlink = f"#{quote_sheetname(target)}!A1"
    cell.font = Font(color="1F5F8B", underline="single")


def _write_table(sheet: Worksheet, table: Table) -> None:
    sheet.append([safe_cell(name) for name in table.columns])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"
    if not table.rows:
        sheet.append([safe_cell(table.empty_text)])
        sheet.cell(2, 1).font = Font(italic=True)
    for row in table.rows:
        sheet.append([_cell_value(value) for value in row])
        for index, value in enumerate(row, start=1):
            if number_format := _number_format(value):
                sheet.cell(sheet.max_row, index).number_format = number_format
    if table.rows and table.columns:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{sheet.max_row}"
    for index, width in enumerate(_column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _cell_value(value: Any) -> Any:
    if isinstance(value, bool):
        return format_cell(value)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the wall-clock time the other formats show.
        return local_time(value).replace(tzinfo=None)
    return safe_cell(value)


def _number_format(value: Any) -> str | None:
    if is_number(value):
        places = decimal_places(value)
        return "#,##0" + ("." + "0" * places if places else "")
    if isinstance(value, datetime.datetime):
        return "DD-MM-YYYY HH:MM"
    if isinstance(value, datetime.date):
        return "DD-MM-YYYY"
    return None


def _column_widths(table: Table) -> Iterator[float]:
    for index, name in enumerate(table.columns):
        longest = max([len(name)] + [len(format_cell(row[index])) for row in table.rows])
        yield min(60, max(10, longest + 2))


def _without_invalid_characters(wanted: str) -> str:
    return " ".join(INVALID_SHEET_CHARACTERS.sub(" ", str(wanted)).split()).strip("'")


def sheet_name(wanted: str, fallback: str = "Export") -> str:
    """A name Excel accepts for one sheet: none of []:*?/\\, at most 31 characters."""
    return (_without_invalid_characters(wanted) or fallback)[:MAX_SHEET_NAME].strip()


class _SheetNames:
    """Sheet names that Excel accepts: unique (case-insensitive), at most 31 characters, none of
    []:*?/\\ and no leading or trailing apostrophe."""

    def __init__(self) -> None:
        self.taken = {OVERVIEW_SHEET.lower(), "history"}  # "History" is reserved by Excel

    def claim(self, wanted: str) -> str:
        base = _without_invalid_characters(wanted) or "Tabel"
        name = base[:MAX_SHEET_NAME].strip()
        counter = 1
        while name.lower() in self.taken:
            counter += 1
            suffix = f" ({counter})"
            name = base[: MAX_SHEET_NAME - len(suffix)].strip() + suffix
        self.taken.add(name.lower())
        return name
