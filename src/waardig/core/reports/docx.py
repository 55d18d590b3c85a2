"""Word rendering with python-docx, for reports that civil servants edit further.

Real Word heading styles (so the navigation pane and a table of contents work), tables in the
built-in "Table Grid" style with a repeating header row, charts as PNG pictures with alt text.
"""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.document import Document as WordFile
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from waardig.core.reports.document import (
    FICTITIOUS_BANNER,
    Block,
    Chart,
    Document,
    Note,
    Paragraph,
    Table,
    format_cell,
    is_number,
)

MAX_HEADING_LEVEL = 9
CHART_WIDTH = Cm(16)
WARNING_COLOUR = RGBColor(0x9C, 0x2A, 0x00)


PROPERTY_LIMIT = 255


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    # Word keeps document properties to 255 characters; the text itself is not shortened.
    word.core_properties.title = document.title[:PROPERTY_LIMIT]
    word.core_properties.subject = document.subtitle[:PROPERTY_LIMIT]
    word.core_properties.language = "nl-NL"
    word.add_heading(document.title, level=0)
    if document.subtitle:
        word.add_paragraph(document.subtitle, style="Subtitle")
    for label, value in document.meta:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    if document.is_fictitious:
        _mark_every_page(word)
    for note in document.notes:
        _add_note(word, note)
    for depth, section in document.walk():
        word.add_heading(section.title, level=min(depth, MAX_HEADING_LEVEL))
        for block in section.blocks:
            _add_block(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _add_block(word: WordFile, block: Block) -> None:
    if isinstance(block, Paragraph):
        word.add_paragraph(block.text)
    elif isinstance(block, Note):
        _add_note(word, block)
    elif isinstance(block, Table):
        _add_table(word, block)
    elif isinstance(block, Chart):
        _add_chart(word, block)
    else:
        raise TypeError(f"Unknown report block: {type(block).__name__}")


def _add_note(word: WordFile, note: Note) -> None:
    paragraph = word.add_paragraph()
    label = paragraph.add_run(f"{note.label}: ")
    label.bold = True
    if note.kind in ("fictief", "warning"):
        label.font.color.rgb = WARNING_COLOUR
        label.font.size = Pt(12)
    paragraph.add_run(note.text)


def _add_table(word: WordFile, table: Table) -> None:
    if table.caption:
        word.add_paragraph(table.caption, style="Caption")
    numeric = table.numeric_columns()
    grid = word.add_table(rows=1, cols=max(1, len(table.columns)), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = grid.rows[0]
    _repeat_as_header(header)
    for index, name in enumerate(table.columns):
        cell_paragraph = header.cells[index].paragraphs[0]
        cell_paragraph.add_run(name).bold = True
        if numeric[index]:
            cell_paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not table.rows:
        cells = grid.add_row().cells
        merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
        merged.paragraphs[0].add_run(table.empty_text).italic = True
    for row in table.rows:
        cells = grid.add_row().cells
        for index, value in enumerate(row):
            cell_paragraph = cells[index].paragraphs[0]
            cell_paragraph.add_run(format_cell(value))
            if is_number(value):
                cell_paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()


def _add_chart(word: WordFile, chart: Chart) -> None:
    from waardig.core import charts  # altair and vl-convert load only when a chart is drawn

    word.add_picture(io.BytesIO(charts.to_png(chart.spec)), width=CHART_WIDTH)
    picture = word.inline_shapes[-1]
    # Alt text for screen readers, as Word's own "Alternative text" field.
    picture._inline.docPr.set("descr", chart.description or chart.title)
    picture._inline.docPr.set("title", chart.title)
    word.add_paragraph(chart.title, style="Caption")


def _repeat_as_header(row: object) -> None:
    """Mark the row as table header: repeated on every page and announced as such."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _mark_every_page(word: WordFile) -> None:
    """Fictitious figures are labelled in the page header, so no printed page can hide it."""
    for section in word.sections:
        paragraph = section.header.paragraphs[0]
        run = paragraph.add_run(FICTITIOUS_BANNER)
        run.bold = True
        run.font.color.rgb = WARNING_COLOUR
