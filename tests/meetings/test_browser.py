"""The secretary in a real browser: read old minutes in, correct them, plan the next meeting."""

import pytest
from browser import assert_accessible, assert_no_console_errors, login
from fixtures import PASSWORD
from playwright.sync_api import expect

from waardig.meetings.models import ActionItem, Body, Meeting

from . import minutes_fixtures as fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORRECTED = "Secretaris stuurt de factsheet logiesplekken rond"
REPEATED = "regio's leveren cijfers over logiesplekken aan"  # an old point above its discussion


@pytest.fixture
def taskforce(users) -> Body:
    return Body.objects.create(slug="taskforce", name="Regiegroep", kind=Body.Kind.TASKFORCE)


def test_secretary_imports_minutes_and_their_action_items_return_on_the_next_agenda(
    page, live_server, taskforce
):
    login(page, live_server.url, "coordinator", PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleg").click()
    page.get_by_role("link", name="Regiegroep").click()
    page.get_by_role("link", name="Verslag inlezen").click()
    expect(page.locator("h1")).to_have_text("Verslag inlezen: Regiegroep")
    assert_accessible(page)

    page.get_by_label("Bestand").set_input_files(
        {
            "name": "verslag.docx",
            "mimeType": "application/octet-stream",
            "buffer": fixture.as_docx(),
        }
    )
    page.get_by_role("button", name="Inlezen en controleren").click()
    expect(page.locator("h1")).to_have_text("Verslag controleren: Regiegroep")
    expect(page.get_by_label("Datum", exact=True)).to_have_value("2024-03-07")
    assert not Meeting.objects.exists()  # nothing before the confirmation
    assert_accessible(page)

    rows = page.locator("tbody tr")
    corrected = rows.filter(has=page.get_by_text(CORRECTED, exact=True))
    corrected.get_by_role("textbox", name="Eigenaar").fill("Provincie Zuiderland")
    repeated = rows.filter(has=page.get_by_text(REPEATED, exact=True))
    repeated.get_by_role("checkbox", name="Opnemen").uncheck()
    page.get_by_role("button", name="Bevestigen en opslaan").click()

    expect(page.get_by_text("Het verslag is ingelezen")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("7 maart 2024")
    expect(page.locator("#agenda")).to_be_visible()
    expect(page.get_by_text(f"{CORRECTED} (Provincie Zuiderland)")).to_be_visible()
    assert ActionItem.objects.get(text=CORRECTED).owner_name == "Provincie Zuiderland"

    page.goto(f"{live_server.url}/overleg/taskforce/vergaderingen/nieuw/")
    page.get_by_label("Datum").fill("2024-04-04")
    page.get_by_label("Onderwerpen").fill("Werkbezoek najaar")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("h1")).to_contain_text("4 april 2024")
    follow_up = page.locator("li", has=page.get_by_text("Nalopen actiepunten"))
    expect(follow_up).to_contain_text(f"{CORRECTED} (Provincie Zuiderland)")
    expect(follow_up).to_contain_text("Provincie maakt de monitor openbaar")
    expect(follow_up).not_to_contain_text(REPEATED)
    draft = Meeting.objects.get(date="2024-04-04")
    assert draft.status == Meeting.Status.DRAFT
    assert draft.agenda.filter(action_item__isnull=False).count() == len(fixture.ACTION_ITEMS) - 1
    assert_accessible(page)
    assert_no_console_errors(page)
