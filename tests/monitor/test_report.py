"""The yearly monitor report (`waardig report monitor --year 2022`): one document, as PDF, Word,
spreadsheet and Markdown, with the province's key figures, trend charts with the stored
forecasts, regions, municipalities and sources; fictitious figures say 'fictief'."""

import io
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from report_extract import assert_same_content, normalise, text_of_docx, text_of_pdf

from waardig.areas.models import Grouping, Municipality, Province
from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.core.reports import Paragraph
from waardig.monitor import charts, reports, services
from waardig.monitor.demo import BRP, LIVING, WORKING, load_monitor
from waardig.monitor.models import Observation

pytestmark = pytest.mark.django_db

YEAR = 2022
REAL_FIGURE = "82.895"  # Decisio (2024): working labour migrants in Limburg in 2022
MUNICIPALITY_COLUMNS = (
    "Gemeente",
    "Code",
    "Waarde (personen)",
    "Aandeel beroepsbevolking (%)",
    "Registratiegraad (%)",
    "Status",
)


@pytest.fixture
def demo(catalogue) -> None:
    load_monitor()


def report(tmp_path, fmt: str, *options: str, year: int = YEAR) -> bytes:
    path = tmp_path / f"monitor.{fmt}"
    args = ["report", "monitor", "--year", str(year), "--format", fmt, "--out", str(path)]
    assert main([*args, *options]) == 0
    return path.read_bytes()


def municipal(code: str, year: int = YEAR) -> dict[str, Decimal]:
    return dict(
        Observation.objects.filter(
            indicator__code=code, period=str(year), stay_class="", municipality__isnull=False
        ).values_list("municipality__code", "value")
    )


def test_pdf_and_word_show_the_figures_the_charts_and_fictief(demo, tmp_path):
    files = {fmt: report(tmp_path, fmt) for fmt in ("pdf", "docx", "xlsx", "md")}
    document = reports.monitor_report(SYSTEM, {"year": str(YEAR)})
    assert document.title == "Monitor arbeidsmigratie Limburg 2022"
    assert_same_content(document, files)  # every heading, figure, note and table cell

    shown = list(document.charts())
    trends = [chart for chart in shown if chart.title.startswith("Verloop")]
    maps = [chart for chart in shown if chart.title.startswith("Kaart")]
    assert len(trends) == len(reports.KEY_INDICATORS) and maps
    municipality_tables = [t for t in document.tables() if t.columns[0] == "Gemeente"]

    pdf = normalise(text_of_pdf(files["pdf"]))
    assert f"Limburg, 2022: {REAL_FIGURE} personen (schatting; bron: Decisio (2024)" in pdf
    assert "fictief" in pdf and "Fictieve gegevens" in pdf
    # The charts are drawn into the PDF (as vector pictures): every trend chart's legend names
    # the observed line and the forecasts, and every map writes the names on its tiles.
    assert pdf.count(charts.OBSERVED) == len(trends)
    assert pdf.count("Scenario Integrale Aanpak 2030") >= 2  # the legend and the table
    assert pdf.count("Peel en Maas") == len(municipality_tables) + len(maps)

    word = docx.Document(io.BytesIO(files["docx"]))
    pictures = word.inline_shapes
    assert [p._inline.docPr.get("title") for p in pictures] == [c.title for c in shown]
    for picture in pictures:
        blip = picture._inline.graphic.graphicData.pic.blipFill.blip
        assert word.part.related_parts[blip.embed].content_type == "image/png"
    text = normalise(text_of_docx(files["docx"]))
    assert f"Limburg, 2022: {REAL_FIGURE} personen" in text
    assert "fictief" in text and "Fictieve gegevens" in text  # in the status column, on top


def test_spreadsheet_has_the_municipal_figures_as_numbers(demo, tmp_path):
    workbook = load_workbook(io.BytesIO(report(tmp_path, "xlsx")))
    sheets = [
        s
        for s in workbook.worksheets
        if next(s.iter_rows(values_only=True))[:6] == MUNICIPALITY_COLUMNS
    ]
    assert len(sheets) == 1
    rows = {row[1]: row for row in list(sheets[0].iter_rows(values_only=True))[1:]}
    working, brp, living = municipal(WORKING), municipal(BRP), municipal(LIVING)
    assert len(rows) == len(working) == 31
    assert {code: row[2] for code, row in rows.items()} == working
    assert all(isinstance(row[2], int) for row in rows.values())  # numbers, not text
    for code, row in rows.items():
        rate = (100 * brp[code] / living[code]).quantize(Decimal("0.1"))
        assert row[4] == pytest.approx(float(rate))
        assert row[5] == "fictief"


def test_markdown_lists_every_source_and_publication_once(demo, tmp_path):
    markdown = report(tmp_path, "md").decode("utf-8")
    sources = markdown.split("## Bronnen", 1)[1]
    shown = Observation.objects.filter(
        indicator__code__in=[WORKING, BRP, LIVING], year__lte=YEAR
    ).values_list("source", "publication")
    expected = set(shown)
    assert len({source for source, _publication in expected}) == 2  # the study and the demo
    lines = [line for line in sources.splitlines() if line.startswith("| ") and "---" not in line]
    for source, publication in expected:
        row = f"| {source} | {publication} |"
        assert lines.count(row) == 1, row
    assert "Waardig demo (fictief)" in sources


def test_regions_follow_the_chosen_grouping(demo):
    admin = reports.monitor_report(SYSTEM, {"year": str(YEAR)})
    corop = reports.monitor_report(SYSTEM, {"year": str(YEAR), "grouping": "corop"})

    def regions(document) -> list[tuple]:
        table = next(t for t in document.tables() if t.columns[0] == "Regio")
        return [row[:3] for row in table.rows]

    assert [row[0] for row in regions(admin)] == ["Midden", "Noord", "Zuid"]
    assert [row[0] for row in regions(corop)] == ["Midden-Limburg", "Noord-Limburg", "Zuid-Limburg"]
    working = municipal(WORKING)
    # Beesel counts in Noord (administrative) but in Midden-Limburg (COROP).
    assert regions(corop)[0][1] == regions(admin)[0][1] + working["GM0889"]
    assert regions(admin)[1][2] == "afgeleid uit 8 van 8 gemeenten"
    with pytest.raises(ValidationError, match="Onbekende regio-indeling wijken"):
        reports.monitor_report(SYSTEM, {"year": str(YEAR), "grouping": "wijken"})


def test_another_province_stays_out_of_the_report(demo):
    other = Province.objects.create(code="PV30", name="Noord-Brabant")
    Grouping.objects.create(province=other, slug="admin", name="Regio").regions.create(name="West")
    Municipality.objects.create(code="GM0855", name="Tilburg", province=other)
    with pytest.raises(ValidationError, match="meerdere provincies"):
        reports.monitor_report(SYSTEM, {"year": str(YEAR)})

    document = reports.monitor_report(SYSTEM, {"year": str(YEAR), "province": "pv31"})
    assert document.title == "Monitor arbeidsmigratie Limburg 2022"
    names = {row[0] for table in document.tables() for row in table.rows}
    assert {"Noord", "Venlo"} <= names and not {"West", "Tilburg"} & names


def test_real_figures_alone_are_not_called_fictief(catalogue):
    province = Province.objects.get()
    services.save_observation(
        SYSTEM,
        indicator=catalogue[WORKING],
        province=province,
        period=str(YEAR),
        value=Decimal(82895),
        status="estimate",
        source="Decisio (2024)",
    )
    document = reports.monitor_report(SYSTEM, {"year": str(YEAR)})
    assert not document.is_fictitious
    texts = [str(cell) for table in document.tables() for row in table.rows for cell in row]
    assert "fictief" not in texts
    assert f"Limburg, 2022: {REAL_FIGURE} personen (schatting; bron: Decisio (2024))." in [
        block.text for block in document.blocks() if isinstance(block, Paragraph)
    ]


def test_a_year_without_figures_is_refused_with_a_clear_message(demo, tmp_path):
    with pytest.raises(SystemExit, match="monitor: Er zijn geen cijfers over 2010 voor Limburg"):
        report(tmp_path, "pdf", year=2010)
    with pytest.raises(SystemExit, match="Geef het jaar als getal"):
        report(tmp_path, "md", year="twintig")
    with pytest.raises(SystemExit, match="needs --year"):
        main(["report", "monitor", "--format", "md", "--out", str(tmp_path / "x.md")])
    assert not (tmp_path / "monitor.pdf").exists()
