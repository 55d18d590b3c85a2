"""The programme's reports: same content in every format, themes as headings, changes since
the last published report, and the command line."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.test import Client
from report_extract import (
    EXTRACTORS,
    assert_same_content,
    missing_content,
    text_of_md,
    text_of_pdf,
    xlsx_values,
)

from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.core.reports.render import render
from waardig.programme import reports, services
from waardig.programme.models import PublishedReport

pytestmark = pytest.mark.django_db
FORMATS = ("html", "pdf", "docx", "xlsx", "md")


@pytest.fixture
def programme():
    programme = services.save_programme(
        SYSTEM, slug="aanpak", name="Aanpak arbeidsmigratie", period_text="2025 - 2027"
    )
    housing = services.save_theme(SYSTEM, programme, code="3.3", title="Meer huisvesting", order=1)
    research = services.save_theme(SYSTEM, programme, code="3.2", title="Onderzoek", order=2)
    plan = services.save_action(
        SYSTEM, programme, theme=housing, code="3.3.1", title="Regionaal woonplan", order=1
    )
    survey = services.save_action(
        SYSTEM, programme, theme=research, code="3.2.1", title="Behoefteonderzoek", order=1
    )
    services.save_action(SYSTEM, programme, theme=research, title="Nog niet begonnen", order=2)
    services.add_status_update(
        SYSTEM,
        plan,
        status="running",
        progress=40,
        date=datetime.date(2025, 5, 1),
        narrative="Eerste overleg met de regio's gevoerd.",
    )
    services.add_status_update(
        SYSTEM,
        survey,
        status="done",
        progress=100,
        date=datetime.date(2025, 11, 20),
        narrative="Rapport opgeleverd aan de Stuurgroep.",
    )
    services.save_milestone(
        SYSTEM, survey, title="Vragenlijst klaar", achieved_on=datetime.date(2025, 6, 2)
    )
    services.save_milestone(SYSTEM, plan, title="Plan vastgesteld", period_text="eind 2026")
    services.save_budget_line(
        SYSTEM,
        programme,
        description="Onderzoeksbureau",
        funding_source="Beleidsbrief Integratie",
        theme=research,
        year=2025,
        budgeted=Decimal("40000"),
        committed=Decimal("38000"),
        spent=Decimal("41250.50"),
    )
    return programme


def annual(year=2025):
    return reports.compose(SYSTEM, "programme-annual", {"programme": "aanpak", "year": year})


def test_annual_report_has_themes_as_headings_and_each_action_with_its_state(programme):
    document, snapshot = annual()
    rendered = {fmt: render(document, fmt) for fmt in FORMATS}
    assert_same_content(document, rendered)

    word = docx.Document(io.BytesIO(rendered["docx"]))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "3.3 Meer huisvesting" in headings and "3.2 Onderzoek" in headings
    assert "3.2.1 Behoefteonderzoek" in headings  # the action under its theme
    assert headings.index("3.3 Meer huisvesting") < headings.index("3.3.1 Regionaal woonplan")

    pdf = " ".join(text_of_pdf(rendered["pdf"]).split())
    assert "Rapport opgeleverd aan de Stuurgroep." in pdf
    assert "Vragenlijst klaar" in pdf and "02-06-2025" in pdf  # milestone reached in 2025
    assert "41.250,50" in pdf  # the budget table
    assert "De uitgaven of verplichtingen zijn hoger dan begroot." in pdf
    cells = [str(v) for v in xlsx_values(rendered["xlsx"])]
    assert "Onderzoeksbureau" in cells
    assert "Eerste overleg met de regio's gevoerd." in text_of_md(rendered["md"])
    assert snapshot["actions"]["A002"]["status"] == "done"


def test_state_is_taken_at_the_end_of_the_chosen_year(programme):
    plan = programme.actions.get(code="3.3.1")
    services.add_status_update(
        SYSTEM, plan, status="delayed", progress=40, date=datetime.date(2026, 2, 1)
    )
    _, snapshot_2025 = annual(2025)
    _, snapshot_2026 = annual(2026)
    assert snapshot_2025["actions"][plan.external_id]["status"] == "running"
    assert snapshot_2026["actions"][plan.external_id]["status"] == "delayed"


def test_changes_since_the_last_published_report(programme):
    document, _ = annual()
    changes = next(s for s in document.sections if s.title.startswith("Wijzigingen"))
    assert "nog geen eerder rapport" in changes.blocks[0].text

    reports.publish(SYSTEM, "programme-annual", {"programme": "aanpak", "year": 2025})
    plan = programme.actions.get(code="3.3.1")
    services.add_status_update(
        SYSTEM, plan, status="done", progress=100, narrative="Plan vastgesteld door GS."
    )
    services.save_action(SYSTEM, programme, title="Nieuwe actie")
    document, _ = reports.compose(SYSTEM, "programme-status", {"programme": "aanpak"})
    changes = next(s for s in document.sections if s.title.startswith("Wijzigingen"))
    table = changes.blocks[1]
    rows = {(row[0], row[1]) for row in table.rows}
    assert ("3.3.1 Regionaal woonplan", "status") in rows
    assert ("3.3.1 Regionaal woonplan", "voortgang") in rows
    assert ("3.3.1 Regionaal woonplan", "stand van zaken") in rows
    assert ("Nieuwe actie", "nieuwe actie") in rows
    assert ("3.2.1 Behoefteonderzoek", "status") not in rows  # unchanged since publication
    text = render(document, "md").decode()
    assert "Jaarrapportage 2025: Aanpak arbeidsmigratie" in text  # names the previous report


def test_published_report_is_frozen(programme, users):
    published = reports.publish(SYSTEM, "programme-annual", {"programme": "aanpak", "year": 2025})
    assert bytes(published.pdf).startswith(b"%PDF")
    assert "Behoefteonderzoek" in published.markdown
    stored = PublishedReport.objects.get(pk=published.pk)
    stored.title = "changed"
    with pytest.raises(Exception, match="append-only"):
        stored.save()
    client = Client()
    client.force_login(users["member"])
    response = client.get(f"/programma/aanpak/rapporten/{published.pk}.docx")
    assert response.status_code == 200
    assert response.content == bytes(published.docx)


def test_publishing_from_the_page_needs_the_coordinator(programme, users):
    client = Client()
    client.force_login(users["analyst"])
    data = {"kind": "programme-annual", "year": "2025"}
    assert client.post("/programma/aanpak/rapporten/", data).status_code == 403
    assert not PublishedReport.objects.exists()
    client.force_login(users["coordinator"])
    assert client.post("/programma/aanpak/rapporten/", data).status_code == 302
    assert PublishedReport.objects.get().title == "Jaarrapportage 2025: Aanpak arbeidsmigratie"


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "md"])
def test_cli_writes_the_annual_report(tmp_path, programme, fmt):
    out = tmp_path / f"annual.{fmt}"
    args = ["report", "programme-annual", "--programme", "aanpak", "--year", "2025"]
    assert main([*args, "--format", fmt, "--out", str(out)]) == 0
    written = out.read_bytes()
    text = " ".join(EXTRACTORS[fmt](written).split())
    assert "Jaarrapportage 2025: Aanpak arbeidsmigratie" in text  # the title
    assert "3.3 Meer huisvesting" in text and "Regionaal woonplan" in text  # a theme, an action
    document, _snapshot = annual()
    assert missing_content(document, fmt, written) == []  # all of the report, not just a file


def test_cli_refuses_an_unknown_programme_and_a_bad_year(tmp_path, programme):
    out = tmp_path / "x.md"
    to_file = ["--format", "md", "--out", str(out)]
    with pytest.raises(SystemExit, match="not found"):
        main(["report", "programme-status", "--programme", "nope", *to_file])
    with pytest.raises(SystemExit, match="jaar"):
        main(["report", "programme-annual", "--programme", "aanpak", "--year", "x", *to_file])
    assert not out.exists()


def test_quarterly_report_covers_its_quarter(programme):
    document, snapshot = reports.compose(
        SYSTEM, "programme-quarterly", {"programme": "aanpak", "year": 2025, "quarter": 2}
    )
    assert document.title.startswith("Kwartaalrapportage Q2 2025")
    assert snapshot["as_of"] == "2025-06-30"
    survey = programme.actions.get(code="3.2.1")
    assert snapshot["actions"][survey.external_id]["status"] == "not_started"
    assert snapshot["actions"][survey.external_id]["milestones_reached"] == ["Vragenlijst klaar"]
