"""The officer's flow in the browser: register a location, import its guest register, see
the occupancy and the municipality's gap change."""

import datetime
import re

import pytest
from fixtures import MAASTRICHT, PASSWORD

from waardig.core.access import SYSTEM
from waardig.core.models import ImportJob
from waardig.housing import services
from waardig.housing.models import GuestStay, Location

from .conftest import municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def guest_register(today: datetime.date) -> str:
    """Three guests; the second has left again (so two are there tonight)."""

    def day(days_ago: int) -> str:
        return (today - datetime.timedelta(days=days_ago)).isoformat()

    return (
        "person_id;naam;arrival;departure\n"
        f"PL-AB-1001;Jan Kowalski;{day(80)};\n"
        f"PL-AB-1002;Ana Popescu;{day(65)};{day(30)}\n"
        f"PL-AB-1003;Ivan Petrov;{day(50)};\n"
    )


def starts_with_number(number: int) -> re.Pattern:
    return re.compile(rf"^\s*{number}(\D|$)")


def shortage_of(page, code: str):
    return page.locator(
        f"tr[data-level='municipality'][data-code='{code}'] [data-field='shortage']"
    )


def test_officer_registers_a_location_imports_a_register_and_sees_the_gap_change(
    page, live_server, users, tmp_path
):
    from browser import assert_accessible, assert_no_console_errors, login
    from playwright.sync_api import expect

    year = datetime.date.today().year
    services.save_need(
        SYSTEM, municipality(MAASTRICHT), year, "short", persons=100, method="research",
        source="Woononderzoek (fictief)", status="fictitious",
    )  # fmt: skip
    login(page, live_server.url, "maastricht", PASSWORD)

    gap_url = f"{live_server.url}/huisvesting/?year={year}&stay_class=short"
    page.goto(gap_url)
    expect(shortage_of(page, MAASTRICHT)).to_have_text(starts_with_number(100))
    assert_accessible(page)

    page.goto(f"{live_server.url}/huisvesting/locaties/nieuw/")
    page.get_by_label("Naam").fill("Logies Sint Pieter (fictief)")
    page.get_by_label("Straat").fill("Voorbeeldweg")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Postcode").fill("6212xx")
    page.get_by_label("Woonvorm").select_option("hotel")
    page.get_by_label("Verblijfsduur").select_option("short")
    page.get_by_label("Capaciteit (personen)").fill("30")
    page.get_by_label("Status", exact=True).select_option("in_use")
    page.get_by_label("Sinds").fill(f"{year}-01-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("h1")).to_have_text("Logies Sint Pieter (fictief)")
    location = Location.objects.get(name="Logies Sint Pieter (fictief)")
    expect(page.locator("#occupancy-now")).to_contain_text("onbekend: nog geen telling")

    page.get_by_role("link", name="Nieuw nachtregister inlezen").click()
    register = tmp_path / "nachtregister.csv"
    register.write_text(guest_register(datetime.date.today()), encoding="utf-8")
    page.get_by_label("Bestand").set_input_files(str(register))
    assert_accessible(page)
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("button", name="Bevestigen en opslaan")).to_be_visible()
    assert "PL-AB-1001" not in page.content() and "Kowalski" not in page.content()
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    expect(page.get_by_text("opgeslagen").first).to_be_visible()
    assert GuestStay.objects.filter(location=location).count() == 3
    assert not ImportJob.objects.get(kind="guest-register").file  # the clear ids are gone

    page.goto(f"{live_server.url}/huisvesting/locaties/{location.pk}/")
    # Two guests are still there tonight (the second has left): 2 of 30 is 6,7 %.
    expect(page.locator("#occupancy-now")).to_contain_text("2 (6,7% van de capaciteit)")
    expect(page.locator("#occupancy-now")).to_contain_text("nachtregister")
    assert_accessible(page)

    page.goto(gap_url)
    # 100 needed - 30 in use (uncertified) - nothing planned = 70 short.
    expect(shortage_of(page, MAASTRICHT)).to_have_text(starts_with_number(70))
    assert_accessible(page)
    assert_no_console_errors(page)
