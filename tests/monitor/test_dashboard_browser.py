"""The analyst in a real browser: the monitor's dashboard, another region grouping, one
municipality's page and the download of its table."""

import csv
import io

import pytest
from browser import assert_no_console_errors, download, login
from fixtures import PASSWORD
from playwright.sync_api import expect

from waardig.areas.models import Region
from waardig.monitor.demo import load_monitor
from waardig.monitor.models import Observation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKING = "working-labour-migrants"


@pytest.fixture
def demo(catalogue, users) -> None:
    load_monitor()


def names_in(table) -> list[str]:
    return [name.strip() for name in table.locator("tbody tr th").all_inner_texts()]


def test_analyst_compares_corop_regions_and_downloads_a_municipality_s_figures(
    page, live_server, demo
):
    admin = set(Region.objects.filter(grouping__slug="admin").values_list("name", flat=True))
    corop = set(Region.objects.filter(grouping__slug="corop").values_list("name", flat=True))
    latest = max(Observation.objects.filter(indicator__code=WORKING).values_list("year", flat=True))
    largest = (
        Observation.objects.filter(
            indicator__code=WORKING, year=latest, stay_class="", municipality__isnull=False
        )
        .select_related("municipality")
        .order_by("-value")
        .first()
        .municipality
    )

    login(page, live_server.url, "analist", PASSWORD)
    page.goto(f"{live_server.url}/monitor/")
    expect(page.locator("h1")).to_have_text("Monitor arbeidsmigratie")
    trend = page.locator("section[aria-labelledby='trend-heading'] [data-vega-spec]").first
    expect(trend).to_have_attribute("data-vega-state", "drawn")
    regions = page.locator("#regions-table")
    expect(regions.locator("tbody tr")).to_have_count(len(admin))
    assert set(names_in(regions)) == admin

    corop_name = page.locator("#id_grouping option[value='corop']").inner_text()
    switch = page.get_by_role("navigation", name="Regio-indeling")
    switch.get_by_role("link", name=corop_name).click()
    expect(switch.locator("[aria-current='true']")).to_have_text(corop_name)
    expect(regions.locator("tbody tr")).to_have_count(len(corop))
    assert set(names_in(regions)) == corop
    expect(trend).to_have_attribute("data-vega-state", "drawn")

    municipalities = page.locator("#municipalities-table")
    first = municipalities.locator("tbody tr").filter(
        has=page.get_by_role("cell", name="1", exact=True)
    )
    expect(first.get_by_role("link")).to_have_text(largest.name)
    first.get_by_role("link", name=largest.name).click()
    expect(page.locator("h1")).to_contain_text(largest.name)
    chart = page.locator("main [data-vega-spec]").first
    expect(chart).to_have_attribute("data-vega-state", "drawn")

    filename, content = download(page, page.get_by_role("link", name="CSV"))
    assert filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows
    assert {(row["code"], row["municipality"]) for row in rows} == {(largest.code, largest.name)}
    own = Observation.objects.filter(municipality=largest, indicator__code=WORKING, stay_class="")
    assert {int(row["year"]) for row in rows if row["indicator"] == WORKING} == set(
        own.values_list("year", flat=True)
    )
    assert_no_console_errors(page)
