"""The gap report (`waardig report housing-gap --year 2025 --grouping admin`): one document as
PDF, Word, spreadsheet and Markdown, with the numbers of housing.gap, 'onbekend' where the
need is unknown, the definition and weights, the sources, and 'fictief' when any figure is."""

import io

import docx
import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from fixtures import VENLO, VENRAY
from report_extract import assert_same_content, normalise, text_of_docx, text_of_pdf

from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.core.reports.document import format_cell
from waardig.housing import gap, reports

from . import test_gap_page

pytestmark = pytest.mark.django_db

YEAR = test_gap_page.YEAR
register = test_gap_page.register  # the page's register: the report must say the same


def report(tmp_path, fmt: str, *options: str) -> bytes:
    path = tmp_path / f"gap.{fmt}"
    args = ["report", "housing-gap", "--year", str(YEAR), "--format", fmt, "--out", str(path)]
    assert main([*args, *options]) == 0
    return path.read_bytes()


def test_pdf_and_word_hold_the_numbers(register, tmp_path):
    files = {fmt: report(tmp_path, fmt, "--grouping", "admin") for fmt in ("pdf", "docx", "md")}
    document = reports.gap_report(SYSTEM, {"year": str(YEAR), "grouping": "admin"})
    assert document.title == f"Huisvesting arbeidsmigranten: tekort en overschot {YEAR}"
    assert_same_content(document, files)  # every heading, paragraph and table cell
    analysis = gap.gap_analysis(SYSTEM, YEAR, "admin")
    venlo = next(m for m in analysis.municipalities if m.code == VENLO)
    assert venlo.shortage == 160 - 42 - 10  # need - existing - weighted planned
    pdf = normalise(text_of_pdf(files["pdf"]))
    word = normalise(text_of_docx(files["docx"]))
    for text in (pdf, word):
        # Venlo's row: need, certified, uncertified, planned weighted and unweighted, shortage.
        assert "Venlo GM0983 160 30 12 10 20 108" in text
        assert "Venray GM0984 65 60 0 0 0 5" in text
        assert "Beesel GM0889 onbekend 0 11 0 0 onbekend geen behoeftecijfer" in text
        assert "behoefte bekend voor 2 van 8 gemeenten, samen 225" in text
        assert "vergunning verleend 50" in text  # the current weights
        assert "Onderzoek huisvesting (test)" in text  # the source of the need
        assert "fictief" not in text.lower()
    pictures = docx.Document(io.BytesIO(files["docx"])).inline_shapes
    assert [p._inline.docPr.get("title") for p in pictures] == [
        chart.title for chart in document.charts()
    ]
    assert len(pictures) == 2  # the regions chart and the map


def test_the_summary_and_the_stay_classes(register):
    document = reports.gap_report(SYSTEM, {"year": str(YEAR)})
    summary = next(s for _d, s in document.walk() if s.title == "Samenvatting")
    province = summary.blocks[0].text
    assert province.startswith(f"Limburg, {YEAR}: de behoefte en dus het tekort zijn onbekend")
    assert "behoefte bekend voor 2 van 31 gemeenten, samen 225" in province
    by_class = next(s for _d, s in document.walk() if s.title == "Per verblijfsduur")
    rows = by_class.blocks[1].rows
    noord_short = next(r for r in rows if r[:2] == ("kort verblijf", "Noord"))
    assert noord_short[2] == "onbekend"  # six of Noord's municipalities have no need
    unknown = next(s for _d, s in document.walk() if s.title == "Gemeenten met onbekende behoefte")
    names = [row[0] for row in unknown.blocks[1].rows]
    assert len(names) == 29 and "Beesel" in names and "Venlo" not in names


def test_fictitious_figures_are_noted(register, make_location, tmp_path):
    make_location(VENRAY, name="Demo", capacity=5, postcode="5801 AB", fictitious=True)
    document = reports.gap_report(SYSTEM, {"year": str(YEAR), "grouping": "corop"})
    assert document.is_fictitious
    rows = [row for table in document.tables() for row in table.rows if row[0] == "Venray"]
    assert rows and all(row[-1] == "fictief" for row in rows)
    pdf = normalise(text_of_pdf(report(tmp_path, "pdf", "--grouping", "corop")))
    assert "Fictieve gegevens" in pdf and format_cell(65 - 65) in pdf
    # Venray's row: need 65, 60 certified, the fictitious 5 uncertified, nothing planned:
    # 65 - 60 - 5 = 0, and the row says it rests on fictitious data.
    assert "Venray GM0984 65 60 5 0 0 0 fictief" in pdf


def test_options_are_checked(register):
    with pytest.raises(ValidationError):
        reports.gap_report(SYSTEM, {"year": "volgend jaar"})
    with pytest.raises(ValidationError):
        reports.gap_report(SYSTEM, {"year": str(YEAR), "grouping": "gemeente"})
    with pytest.raises(SystemExit):
        main(["report", "housing-gap", "--format", "pdf", "--out", "/dev/null"])  # no year


def test_the_report_opens_on_the_site_for_the_network(register, users):
    member = Client()
    member.force_login(users["member"])
    query = f"?year={YEAR}&grouping=admin"
    page = member.get(reverse("report", args=["housing-gap"]) + query)
    assert page.status_code == 200
    assert "Venlo" in page.content.decode()
    cells = lxml.html.fromstring(page.content).itertext()
    text = " ".join(" ".join(cells).split())
    # Venlo: need 160, 30 certified, 12 uncertified, 10 planned weighted (20 unweighted):
    # 160 - 42 - 10 = 108 short.
    assert "Venlo GM0983 160 30 12 10 20 108" in text
    pdf = member.get(reverse("report-download", args=["housing-gap", "pdf"]) + query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = member.get(reverse("report", args=["housing-gap"]) + "?year=abc")
    assert bad.status_code == 400
