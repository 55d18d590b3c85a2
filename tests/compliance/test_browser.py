"""The inspector's flow in the browser: open the planning list, record an inspection with one
norm not met, and see the location's risk drop."""

import datetime
import re

import pytest
from fixtures import PASSWORD

from waardig.compliance.models import Finding, Inspection, SignalKind

from .test_risk import TODAY, fixed_today, overcrowded, signal  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def total_of(page, location):
    return page.locator(f"tr[data-location='{location.pk}'] [data-field='total']")


def test_inspector_records_an_inspection_and_the_risk_drops(
    page, live_server, users, make_location, today
):
    from browser import assert_accessible, assert_no_console_errors, login
    from playwright.sync_api import expect

    # Never inspected, a desk check with three findings (12 persons on 4 bedrooms and 100 m²,
    # no certificate) and two open signals (scores 80 and 60).
    location = overcrowded(make_location, name="Woning Blerick (fictief)")
    signal(location, score=80)
    signal(location, SignalKind.UNREGISTERED, score=60)
    login(page, live_server.url, "inspecteur", PASSWORD)

    page.goto(f"{live_server.url}/toezicht/planning/")
    # 14 (signals) + 40 (two high findings, one medium) + 20 (never inspected) = 74.
    expect(total_of(page, location)).to_have_text("74,0")
    row = page.locator(f"tr[data-location='{location.pk}']")
    expect(row.locator("[data-field='inspection']")).to_contain_text("nooit geïnspecteerd")
    assert_accessible(page)

    row.get_by_role("link", name=re.compile("^Inspectie vastleggen")).click()
    expect(page.locator("h1")).to_have_text("Inspectie vastleggen")
    expect(page.get_by_label("Datum van de inspectie")).to_have_value(TODAY.isoformat())
    page.get_by_label("Andere partners").fill("Politie, brandweer")
    page.get_by_label("Aangetroffen bewoners").fill("11")
    page.get_by_label("Uitkomst").select_option(label="gebreken")
    following = TODAY + datetime.timedelta(days=90)
    page.get_by_label("Volgende inspectie").fill(following.isoformat())

    bedroom = page.get_by_role("group", name=re.compile("^personen per slaapkamer"))
    expect(bedroom).to_contain_text("Volgens het register: 3, voldoet niet.")
    bedroom.get_by_label("voldoet niet", exact=True).check()
    bedroom.get_by_label("Gemeten waarde").fill("2.75")
    bedroom.get_by_label("Toelichting").fill("11 personen op 4 slaapkamers")
    page.get_by_role("group", name=re.compile("^woonoppervlak per persoon")).get_by_label(
        "voldoet", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("^geldig keurmerk")).get_by_label(
        "voldoet", exact=True
    ).check()
    assert_accessible(page)
    page.get_by_role("button", name="Inspectie opslaan").click()

    expect(page.locator("h1")).to_contain_text(f"Inspectie van {TODAY:%d-%m-%Y}")
    expect(page.locator("#findings-table tbody tr")).to_have_count(1)
    # The note per norm is in the inspection's report (local), not in the finding.
    expect(
        page.get_by_text("personen per slaapkamer: 11 personen op 4 slaapkamers")
    ).to_be_visible()
    assert_accessible(page)
    inspection = Inspection.objects.get(location=location)
    assert inspection.persons_present == 11 and inspection.next_inspection == following
    assert Finding.objects.filter(check_run__inspection=inspection).count() == 1

    page.goto(f"{live_server.url}/toezicht/planning/")
    # 14 (signals) + 15 (one high finding) + 0 (inspected today) = 29.
    expect(total_of(page, location)).to_have_text("29,0")
    expect(row.locator("[data-field='next']")).to_have_text(following.strftime("%d-%m-%Y"))

    # A warning after the inspection, with a deadline: on the list of open steps and in the
    # calendar, next to the planned inspection.
    row.get_by_role("link", name="Woning Blerick (fictief)", exact=True).click()
    expect(page.locator("#inspections-table tbody tr")).to_have_count(1)
    assert_accessible(page)
    page.locator("#inspections-table").get_by_role("link").first.click()
    page.get_by_role("link", name="Handhavingsstap toevoegen").click()
    page.get_by_label("Stap", exact=True).select_option(label="waarschuwing")
    deadline = TODAY + datetime.timedelta(days=14)
    page.get_by_label("Termijn tot").fill(deadline.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#steps-table tbody tr")).to_have_count(1)
    page.goto(f"{live_server.url}/toezicht/handhaving/")
    expect(page.locator("#open-steps-table tbody tr")).to_contain_text("waarschuwing")
    assert_accessible(page)
    page.goto(f"{live_server.url}/toezicht/agenda/?maand={deadline:%Y-%m}")
    expect(page.get_by_text("Termijn waarschuwing: Woning Blerick (fictief)")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)
