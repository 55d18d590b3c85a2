"""The coordinator's work in a real browser: find an action, report progress, edit inline,
download the annual report."""

import datetime

import pytest
from browser import assert_accessible, assert_no_console_errors, download, login
from fixtures import PASSWORD
from playwright.sync_api import expect
from report_extract import text_of_pdf

from waardig.core.access import SYSTEM
from waardig.programme import services
from waardig.programme.models import StatusUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(users):
    programme = services.save_programme(
        SYSTEM, slug="aanpak", name="Aanpak arbeidsmigratie", period_text="2025 - 2027"
    )
    theme = services.save_theme(SYSTEM, programme, code="3.2", title="Woonbehoefte")
    action = services.save_action(
        SYSTEM,
        programme,
        theme=theme,
        code="3.2.1",
        title="Behoefteonderzoek per gemeente",
        roles=["directing"],
        period_text="2025",
    )
    services.add_status_update(
        SYSTEM, action, status="running", progress=30, date=datetime.date(2025, 3, 1)
    )
    return programme


def test_coordinator_adds_a_status_update_and_downloads_the_annual_report(
    page, live_server, programme
):
    login(page, live_server.url, "coordinator", PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Programma's").click()
    page.get_by_role("link", name="Aanpak arbeidsmigratie").click()
    expect(page.locator("h1")).to_have_text("Aanpak arbeidsmigratie")
    assert_accessible(page)

    page.get_by_label("Zoeken").fill("behoefteonderzoek")
    page.get_by_role("button", name="Filteren").click()
    page.get_by_role("link", name="3.2.1 Behoefteonderzoek per gemeente").click()
    expect(page.locator("h1")).to_have_text("3.2.1 Behoefteonderzoek per gemeente")
    assert_accessible(page)

    form = page.locator("form", has=page.get_by_role("button", name="Bericht toevoegen"))
    form.get_by_label("Status").select_option("done")
    form.get_by_label("Voortgang (%)").fill("100")
    form.get_by_label("Datum").fill("2025-12-15")
    form.get_by_label("Stand van zaken").fill("Onderzoek opgeleverd en besproken.")
    form.get_by_role("button", name="Bericht toevoegen").click()
    expect(page.get_by_text("Het voortgangsbericht is toegevoegd.")).to_be_visible()
    expect(page.locator(".waardig-timeline__item").first).to_contain_text(
        "Onderzoek opgeleverd en besproken."
    )
    assert StatusUpdate.objects.filter(status="done", progress=100).count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Gegevens wijzigen").click()  # inline edit (htmx)
    page.get_by_label("Beoogd resultaat").fill("Inzicht in de woonbehoefte per gemeente.")
    page.locator("#action-facts").get_by_role("button", name="Opslaan").click()
    expect(page.locator("#action-facts")).to_contain_text("Inzicht in de woonbehoefte")
    expect(page.locator("#action-facts")).to_contain_text("Afgerond")

    page.get_by_role("link", name="Aanpak arbeidsmigratie").first.click()
    page.get_by_role("link", name="Rapporten").click()
    card = page.locator("section", has=page.get_by_role("heading", name="Jaarrapportage"))
    card.get_by_label("Jaar").select_option("2025")
    card.get_by_role("button", name="Bekijken en downloaden").click()
    expect(page.locator("h1")).to_contain_text("Jaarrapportage 2025")
    assert_accessible(page)
    filename, content = download(page, page.get_by_role("link", name="PDF"))
    assert filename.endswith(".pdf")
    text = " ".join(text_of_pdf(content).split())
    assert "3.2 Woonbehoefte" in text
    assert "Onderzoek opgeleverd en besproken." in text
    assert_no_console_errors(page)
