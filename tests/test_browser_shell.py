"""The shell in a real browser: login, navigation, downloads, accessibility and a strict CSP."""

import pytest
from browser import assert_accessible, assert_no_console_errors, download, login
from fixtures import PASSWORD
from playwright.sync_api import expect
from report_extract import text_of_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_logs_in_navigates_and_downloads_the_contact_report(page, live_server, contacts):
    page.goto(live_server.url)
    assert_accessible(page)
    login(page, live_server.url, "taskforce", PASSWORD)
    expect(page.locator("h1")).to_contain_text("Welkom")
    expect(page.locator("svg").first).to_be_visible()  # the coverage chart rendered
    assert_accessible(page)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Contactpersonen"
    ).click()
    expect(page.locator("h1")).to_have_text("Contactpersonen per gemeente")
    expect(page.get_by_text("anna@venlo.test")).to_be_visible()
    expect(page.get_by_role("link", name="Contactpersoon toevoegen")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Rapport (PDF, Word, Excel, Markdown)").click()
    expect(page.locator("h1")).to_contain_text("Contactpersonen")
    assert_accessible(page)
    filename, content = download(page, page.get_by_role("link", name="PDF"))
    assert filename.endswith(".pdf")
    assert "Bram Maastricht" in text_of_pdf(content)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gemeenten").click()
    expect(page.get_by_role("cell", name="Beekdaelen")).to_be_visible()
    names = page.locator("table[data-sortable] tbody tr td:nth-child(2)")
    before = names.all_inner_texts()
    assert len(before) == 31 and "Beekdaelen" in before
    sort_by_name = page.get_by_role("button", name="Naam")  # sortable table header
    name_header = page.get_by_role("columnheader", name="Naam")
    sort_by_name.click()
    expect(name_header).to_have_attribute("aria-sort", "ascending")
    ascending = names.all_inner_texts()
    assert ascending == sorted(before, key=str.lower)
    sort_by_name.click()  # again: the other way round
    expect(name_header).to_have_attribute("aria-sort", "descending")
    descending = names.all_inner_texts()
    assert descending == ascending[::-1] and descending != before  # the order changed
    assert_accessible(page)
    assert_no_console_errors(page)


def test_public_visitor_sees_reference_data_and_is_asked_to_log_in(page, live_server, areas):
    page.goto(f"{live_server.url}/gebieden/GM1954/")
    expect(page.locator("h1")).to_have_text("Beekdaelen")
    expect(page.get_by_role("link", name="Nuth")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/organisaties/contactpersonen/")
    expect(page.locator("h1")).to_have_text("Inloggen")
    assert_accessible(page)
    assert_no_console_errors(page)


def test_venlo_officer_imports_contacts_with_preview(page, live_server, users, tmp_path):
    csv = tmp_path / "contacten.csv"
    csv.write_text(
        "municipality;topic;name;email\nGM0983;housing;Dirk Venlo;dirk@venlo.test\n",
        encoding="utf-8",
    )
    login(page, live_server.url, "venlo", PASSWORD)
    page.goto(f"{live_server.url}/imports/contacts/")
    assert_accessible(page)
    page.get_by_label("Bestand").set_input_files(str(csv))
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_text("Controle geslaagd")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    page.goto(f"{live_server.url}/organisaties/contactpersonen/")
    expect(page.get_by_text("dirk@venlo.test")).to_be_visible()
    assert_no_console_errors(page)


def test_contact_form_shows_errors_and_saves(page, live_server, users):
    login(page, live_server.url, "venlo", PASSWORD)
    page.goto(f"{live_server.url}/organisaties/contactpersonen/nieuw/")
    page.get_by_label("Naam").fill("Eva Venlo")
    page.get_by_label("E-mail").fill("geen-adres")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("E-mail").fill("eva@venlo.test")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De contactpersoon is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("link", name="Wijzigen Eva Venlo")).to_be_visible()
    assert_no_console_errors(page)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known defect (issue 7 note): with both the housing and the compliance routes in the "
        "schema, Swagger UI stops rendering after the first 18 operations; the schema itself "
        "validates (tests/api). Strict: passes again once fixed, and then fails here."
    ),
)
def test_api_docs_render_under_the_strict_csp(page, live_server, areas):
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("Waardig API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/municipalities/").first).to_be_visible()
    assert_no_console_errors(page)
