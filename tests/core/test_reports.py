"""The report document and its five renderers: valid files that all say the same thing."""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from report_extract import (
    assert_same_content,
    missing_content,
    text_of_html,
    text_of_md,
    text_of_pdf,
    xlsx_values,
)

from waardig.core import charts
from waardig.core.reports import Chart, Document, Note, Paragraph, Section, Table, format_cell
from waardig.core.reports.html import render_html_fragment
from waardig.core.reports.markdown import render_markdown
from waardig.core.reports.render import CONTENT_TYPES, EXTENSIONS, FORMATS, filename, render
from waardig.core.reports.xlsx import safe_cell

FICTITIOUS_TEXT = "Alle cijfers in dit rapport zijn verzonnen voor de demonstratie."


def make_document() -> Document:
    """A realistic report: nested sections, a filled and an empty table, a chart, Dutch text."""
    spec = charts.bar_chart(
        [{"gemeente": "Venlo", "plekken": 1234}, {"gemeente": "Roermond", "plekken": 456}],
        x="gemeente",
        y="plekken",
        title="Plekken per gemeente",
        x_title="Gemeente",
        y_title="Aantal plekken",
    )
    locations = Table(
        columns=("Gemeente", "Locaties", "Bezetting (%)", "Laatste controle"),
        rows=(
            ("Venlo", 12, Decimal("87.50"), datetime.date(2026, 11, 22)),
            ("Roermond", 1234567, 0.25, None),
            ("Sint-Michielsgestel | Oost", -3, Decimal("1.0"), datetime.date(2026, 1, 5)),
        ),
        caption="Locaties per gemeente",
    )
    return Document(
        title="Voortgangsrapportage huisvesting arbeidsmigranten",
        subtitle="Tweede kwartaal, met overzicht per regio",
        meta=(("Peildatum", "22-11-2026"), ("Bron", "Registratie gemeenten")),
        notes=(Note(FICTITIOUS_TEXT, kind="fictief"),),
        sections=(
            Section(
                "Samenvatting",
                blocks=(Paragraph("De coördinatie verloopt naar wens; de bijdrage is € 12.500."),),
            ),
            Section(
                "Huisvesting",
                blocks=(
                    Paragraph("Overzicht van locaties in Noord-Limburg en Midden-Limburg."),
                    locations,
                    Chart(spec, "Plekken per gemeente", "Venlo heeft 1.234 plekken, Roermond 456."),
                ),
                subsections=(
                    Section(
                        "Knelpunten in België",
                        blocks=(
                            Table(("Knelpunt", "Aantal"), (), caption="Gemelde knelpunten"),
                            Note("Naïeve schatting; zie bijlage.", kind="info"),
                            Paragraph("=SUM(A1:A3) is tekst, geen formule."),
                        ),
                        subsections=(Section("Derde niveau", (Paragraph("Tekst diep."),)),),
                    ),
                ),
            ),
        ),
    )


@pytest.fixture(scope="module")
def document() -> Document:
    return make_document()


@pytest.fixture(scope="module")
def rendered(document: Document) -> dict[str, bytes]:
    return {fmt: render(document, fmt) for fmt in FORMATS}


def test_every_format_says_the_same(document, rendered):
    assert set(rendered) == {"html", "pdf", "docx", "xlsx", "md"}
    assert_same_content(document, rendered)


def test_the_same_content_check_notices_what_a_format_left_out(document, rendered):
    extra = Section("Bijlage", (Paragraph("Deze zin staat in geen enkel bestand."),))
    longer = dataclasses.replace(document, sections=(*document.sections, extra))
    for fmt, data in rendered.items():
        missing = missing_content(longer, fmt, data)
        assert "Deze zin staat in geen enkel bestand." in missing, fmt
        assert "Bijlage" in missing, fmt


def test_the_same_content_check_notices_a_changed_table_cell(document, rendered):
    table = next(document.tables())
    changed_rows = (("Venlo", 13, *table.rows[0][2:]), *table.rows[1:])
    changed = _replace_table(document, table, dataclasses.replace(table, rows=changed_rows))
    for fmt, data in rendered.items():
        assert missing_content(changed, fmt, data), fmt


def test_pdf_is_a_valid_a4_pdf_with_fictitious_label_on_every_page(document, rendered):
    data = rendered["pdf"]
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == document.title
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Fictieve gegevens" in text, f"page {number} lacks the fictitious label"
        assert f"Pagina {number} van {len(reader.pages)}" in text


def test_pdf_shows_the_chart_as_vector_graphics(rendered):
    # The chart's axis labels come from the SVG; a missing picture would lose them.
    assert "Aantal plekken" in text_of_pdf(rendered["pdf"])


def test_docx_uses_word_headings_tables_and_a_captioned_chart(document, rendered):
    word = docx.Document(io.BytesIO(rendered["docx"]))
    styles = {paragraph.text: paragraph.style.name for paragraph in word.paragraphs}
    assert styles[document.title] == "Title"
    assert styles["Samenvatting"] == "Heading 1"
    assert styles["Knelpunten in België"] == "Heading 2"
    assert styles["Derde niveau"] == "Heading 3"
    assert styles["Plekken per gemeente"] == "Caption"
    assert [table.style.name for table in word.tables] == ["Table Grid", "Table Grid"]
    header = word.tables[0].rows[0].cells
    assert [cell.text for cell in header] == list(next(document.tables()).columns)
    assert all(run.bold for cell in header for run in cell.paragraphs[0].runs)
    assert len(word.inline_shapes) == 1
    alt_text = word.inline_shapes[0]._inline.docPr.get("descr")
    assert alt_text == "Venlo heeft 1.234 plekken, Roermond 456."
    fictitious = next(p for p in word.paragraphs if FICTITIOUS_TEXT in p.text)
    assert fictitious.runs[0].bold and fictitious.runs[0].text == "Fictief: "
    assert "Fictieve gegevens" in word.sections[0].header.paragraphs[0].text


def test_xlsx_has_overview_and_one_sheet_per_table_and_chart(rendered):
    workbook = load_workbook(io.BytesIO(rendered["xlsx"]))
    assert workbook.sheetnames == [
        "Overzicht",
        "Locaties per gemeente",
        "Grafiek Plekken per gemeente",
        "Gemelde knelpunten",
    ]
    table_sheet = workbook["Locaties per gemeente"]
    assert table_sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in table_sheet[1])
    chart_sheet = workbook["Grafiek Plekken per gemeente"]
    assert [[c.value for c in row] for row in chart_sheet.iter_rows()] == [
        ["Gemeente", "Aantal plekken"],
        ["Venlo", 1234],
        ["Roermond", 456],
    ]
    assert workbook["Gemelde knelpunten"]["A2"].value == "Geen gegevens."


def test_xlsx_keeps_numbers_and_dates_as_values(rendered):
    sheet = load_workbook(io.BytesIO(rendered["xlsx"]))["Locaties per gemeente"]
    count, share, checked = sheet["B2"], sheet["C2"], sheet["D2"]
    assert (count.value, count.data_type, count.number_format) == (12, "n", "#,##0")
    assert (share.value, share.number_format) == (87.5, "#,##0.00")
    assert checked.value == datetime.datetime(2026, 11, 22)
    assert checked.number_format == "DD-MM-YYYY"
    assert sheet["B3"].value == 1234567 and sheet["C3"].value == 0.25
    assert sheet["D3"].value is None


@pytest.mark.parametrize("text", ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=cmd"])
def test_safe_cell_neutralises_formulas(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Venlo", "", "e=mc2", 5, -5, Decimal("-1.5"), None])
def test_safe_cell_leaves_other_values_alone(value):
    assert safe_cell(value) == value


def test_xlsx_never_contains_a_formula(rendered):
    workbook = load_workbook(io.BytesIO(rendered["xlsx"]))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'=SUM(A1:A3) is tekst, geen formule." in xlsx_values(rendered["xlsx"])


def test_xlsx_sheet_names_are_valid_and_unique():
    long = "Huisvesting van arbeidsmigranten per gemeente en per regio"
    tables = [
        Table(("A",), ((1,),), caption=caption) for caption in (long, long, "Regio's: N/M [x]?")
    ]
    workbook = load_workbook(
        io.BytesIO(render(Document("T", sections=(Section("S", tables),)), "xlsx"))
    )
    names = workbook.sheetnames[1:]
    assert len(names) == 3 and len({name.lower() for name in names}) == 3
    assert all(len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name) for name in names)
    assert names[0] == long[:31] and names[1].endswith(" (2)")


def test_markdown_structure_and_escaping(rendered):
    text = rendered["md"].decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Voortgangsrapportage huisvesting arbeidsmigranten"
    assert "## Huisvesting" in lines and "### Knelpunten in België" in lines
    assert "#### Derde niveau" in lines
    assert f"> **Fictief:** {FICTITIOUS_TEXT}" in lines
    assert "- **Peildatum:** 22-11-2026" in lines
    assert "| Sint-Michielsgestel \\| Oost | -3 | 1,0 | 05-01-2026 |" in lines
    assert "| --- | ---: | ---: | --- |" in lines
    assert "### Plekken per gemeente" in lines  # a chart becomes a heading plus its data
    assert "| Venlo | 1.234 |" in lines


def test_markdown_text_cannot_change_the_structure():
    document = Document(
        "Titel",
        sections=(Section("S", (Paragraph("# geen kop"), Paragraph("<b>geen html</b>"))),),
    )
    text = render_markdown(document)
    assert "\n# geen kop" not in text and "\\# geen kop" in text
    assert "<b>" not in text
    assert "# geen kop" in text_of_md(text.encode())


def test_html_fragment_obeys_the_content_security_policy(document):
    fragment = render_html_fragment(document)
    tags = _tags(fragment)
    assert not [tag for tag, attrs in tags if "style" in attrs or tag == "style"]
    assert not [attrs for _tag, attrs in tags if any(name.startswith("on") for name in attrs)]
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts and all(attrs.get("type") == "application/json" for attrs in scripts)
    (canvas,) = [attrs for _tag, attrs in tags if "data-vega-spec" in attrs]
    assert canvas["data-vega-spec"] == scripts[0]["id"]


def test_html_fragment_carries_the_spec_and_an_accessible_data_table(document):
    fragment = render_html_fragment(document)
    spec_json = re.search(
        r'<script id="[^"]+" type="application/json">(.*?)</script>', fragment, re.S
    )
    spec = json.loads(spec_json.group(1))
    assert spec["data"]["values"][0] == {"gemeente": "Venlo", "plekken": 1234}
    assert spec["config"]["font"] == charts.FONT  # the house theme travels with the spec
    figure = fragment[fragment.index('<figure class="waardig-chart') : fragment.index("</figure>")]
    assert "<details" in figure and "<figcaption" in figure
    assert '<td class="utrecht-table__cell utrecht-table__cell--numeric-data">1.234</td>' in figure


def test_html_fragment_uses_heading_levels_and_utrecht_classes(document):
    fragment = render_html_fragment(document, base_level=2)
    assert '<h2 class="utrecht-heading-2 waardig-report__title">' in fragment
    assert '<h3 class="utrecht-heading-3">Samenvatting</h3>' in fragment
    assert '<h5 class="utrecht-heading-5">Derde niveau</h5>' in fragment
    assert 'class="utrecht-alert utrecht-alert--warning waardig-note waardig-note--fictief"' in (
        fragment
    )
    assert "utrecht-table__cell--numeric-data" in fragment


def test_html_escapes_text_and_chart_specs():
    hostile = "<script>alert(1)</script>"
    spec = charts.bar_chart([{"x": hostile, "y": 1}], "x", "y", title=hostile)
    document = Document(
        hostile, sections=(Section(hostile, (Paragraph(hostile), Chart(spec, hostile))),)
    )
    fragment = render_html_fragment(document)
    assert hostile not in fragment
    assert [tag for tag, _attrs in _tags(fragment) if tag == "script"] == ["script"]
    assert hostile in text_of_html(fragment)


def test_standalone_html_is_self_contained(document, rendered):
    page = rendered["html"].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert "@page" in page  # the house style is embedded
    assert 'src="data:image/svg+xml;base64,' in page
    assert "data-vega-spec" not in page  # a download must work without scripts


def test_render_offers_every_format_with_its_content_type():
    assert set(CONTENT_TYPES) == set(EXTENSIONS) == set(FORMATS)
    assert filename(Document("Rapport Ëxport 2026"), "docx") == "rapport-export-2026.docx"
    with pytest.raises(ValueError, match="Unknown report format"):
        render(Document("T"), "odt")


def test_cells_are_formatted_the_dutch_way():
    amsterdam_noon = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)
    assert format_cell(1234567) == "1.234.567"
    assert format_cell(Decimal("1234.50")) == "1.234,50"
    assert format_cell(0.1 + 0.2) == "0,3"
    assert format_cell(-3) == "-3"
    assert format_cell(datetime.date(2026, 1, 5)) == "05-01-2026"
    assert format_cell(amsterdam_noon) == "01-06-2026 12:00"
    assert format_cell(None) == ""
    assert format_cell(True) == "ja"


def test_tables_are_checked_and_frozen():
    table = Table(["A", "B"], [[1, 2]])
    assert table.rows == ((1, 2),) and table.columns == ("A", "B")
    assert table.numeric_columns() == (True, True)
    with pytest.raises(ValueError, match="has 1 cells, expected 2"):
        Table(("A", "B"), ((1,),))


def test_document_lists_tables_in_reading_order(document):
    assert [t.caption for t in document.tables()] == ["Locaties per gemeente", "Gemelde knelpunten"]
    assert document.is_fictitious
    assert not Document("T", sections=(Section("S", (Note("x"),)),)).is_fictitious


def test_chart_data_table_uses_axis_titles_and_dates():
    spec = charts.line_chart(
        [{"datum": datetime.date(2026, 1, 1), "aantal": Decimal("3.5")}],
        "datum",
        "aantal",
        x_title="Datum",
        y_title="Aantal",
    )
    table = Chart(spec, "Verloop").data_table()
    assert table.columns == ("Datum", "Aantal")
    assert table.rows == ((datetime.date(2026, 1, 1), 3.5),)


def _replace_table(document: Document, old: Table, new: Table) -> Document:
    def swap(section: Section) -> Section:
        blocks = tuple(new if block is old else block for block in section.blocks)
        return dataclasses.replace(
            section, blocks=blocks, subsections=tuple(swap(s) for s in section.subsections)
        )

    return dataclasses.replace(document, sections=tuple(swap(s) for s in document.sections))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    collector = Collector()
    collector.feed(html)
    return collector.tags


def test_a_long_title_and_subtitle_still_make_a_word_file():
    """Word's document properties hold 255 characters; the page shows the whole text."""
    subtitle = "Een lange omschrijving van het programma. " * 10
    long = Document(title="T" * 300, subtitle=subtitle, sections=(Section("Kop"),))
    word = docx.Document(io.BytesIO(render(long, "docx")))
    assert word.core_properties.subject == subtitle[:255]
    assert subtitle.strip() in "\n".join(p.text for p in word.paragraphs)
