"""The contact report: one document, the same content in every format, on the CLI and the web."""

import pytest
from django.test import Client
from report_extract import (
    EXTRACTORS,
    assert_same_content,
    missing_content,
    text_of_docx,
    text_of_pdf,
)

from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.core.models import AuditEntry
from waardig.core.reports.render import render
from waardig.organisations.reports import build_contacts_report, coverage

pytestmark = pytest.mark.django_db


def test_report_has_every_region_and_municipality_and_the_contacts(contacts):
    document = build_contacts_report(SYSTEM, {})
    titles = [s.title for s in document.sections]
    assert titles == ["Dekking", "Midden", "Noord", "Zuid"]
    noord = document.sections[2]
    venlo = next(s for s in noord.subsections if s.title.startswith("Venlo"))
    table = venlo.blocks[0]
    assert any("Anna Venlo" in row and "Gemeente Venlo" in row for row in table.rows)
    assert len(noord.subsections) == 8
    zuid = document.sections[3]
    assert len(zuid.subsections) == 16  # merged municipalities are left out


def test_same_content_in_every_format(contacts):
    document = build_contacts_report(SYSTEM, {"grouping": "corop"})
    rendered = {fmt: render(document, fmt) for fmt in ("html", "pdf", "docx", "xlsx", "md")}
    assert_same_content(document, rendered)
    assert rendered["pdf"].startswith(b"%PDF")
    assert "Bram Maastricht" in text_of_pdf(rendered["pdf"])
    assert "Anna Venlo" in text_of_docx(rendered["docx"])


def test_coverage_counts_municipalities_per_topic(contacts):
    values = {
        (v["regio"], v["onderwerp"]): (v["gemeenten"], v["totaal"])
        for v in coverage(SYSTEM, "admin")
    }
    assert values[("Noord", "Huisvesting")] == (1, 8)
    assert values[("Zuid", "Registratie (BRP/RNI)")] == (1, 16)
    assert values[("Midden", "Huisvesting")] == (0, 7)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "md"])
def test_cli_writes_the_report(tmp_path, contacts, fmt):
    out = tmp_path / f"contacts.{fmt}"
    assert main(["report", "contacts", "--format", fmt, "--out", str(out)]) == 0
    written = out.read_bytes()
    text = " ".join(EXTRACTORS[fmt](written).split())
    assert "Contactpersonen arbeidsmigratie per gemeente" in text  # the title
    assert "Venlo (GM0983)" in text and "Anna Venlo" in text  # a heading and its contact
    assert missing_content(build_contacts_report(SYSTEM, {}), fmt, written) == []


def test_web_download_is_logged_and_refused_to_the_public(contacts, users):
    assert Client().get("/rapporten/contacts.pdf").status_code == 302
    client = Client()
    client.force_login(users["member"])
    response = client.get("/rapporten/contacts.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(action="export", subject="rapport contacts").get()
    assert entry.user == users["member"]
