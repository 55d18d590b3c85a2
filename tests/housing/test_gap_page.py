"""The gap page (the landing page of housing) and its download: the numbers of housing.gap,
'onbekend' where the need is unknown, the same rows in the CSV as on the page, and the same
aggregates for every network role."""

import csv
import datetime
import io
import json
from decimal import Decimal

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from fixtures import VENLO, VENRAY

from waardig.core.access import SYSTEM
from waardig.core.reports.document import chart_values
from waardig.housing import gap, services
from waardig.housing.sections import SECTION_PAGES

from .test_gap import WEIGHTS, need, project

pytestmark = pytest.mark.django_db

PAGE = reverse("housing-gap")
YEAR = 2025
BEESEL = "GM0889"


@pytest.fixture
def register(areas, make_location):
    """Venlo: need 100/40/20, 30 certified + 12 uncertified short stay, a project of 20 with a
    permit (weight 0.5). Venray: need 50/10/5, 60 certified. Beesel: no need at all."""
    services.set_parameters(
        SYSTEM, short_max_months=4, mid_max_months=24, weights=WEIGHTS, reason="test"
    )
    for code, persons in ((VENLO, (100, 40, 20)), (VENRAY, (50, 10, 5))):
        for stay_class, number in zip(("short", "mid", "long"), persons, strict=True):
            need(code, stay_class, number)
    make_location(VENLO, name="A", capacity=30, certification="snf", certificate_number="S1")
    make_location(VENLO, name="B", capacity=12)
    make_location(VENRAY, name="H", capacity=60, certification="akf", certificate_number="A1")
    make_location(BEESEL, name="Beesel", capacity=11, postcode="5954 AA")
    project(VENLO, "P1", 20, "permit", YEAR)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(client: Client, query: str = ""):
    response = client.get(PAGE + query)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def cells(row) -> dict[str, str]:
    return {
        cell.get("data-field"): " ".join(cell.text_content().split())
        for cell in row.xpath("./td[@data-field]")
    }


def row_of(page, code: str) -> dict[str, str]:
    return cells(page.xpath(f"//tr[@data-code='{code}']")[0])


def test_the_page_shows_the_gap_and_onbekend(register, users):
    page = html_of(client_for(users["venlo_officer"]))
    # The default year is the latest with need figures, all stay classes together.
    assert page.xpath("//select[@name='year']/option[@selected]/@value") == [str(YEAR)]
    venlo = row_of(page, VENLO)
    assert venlo["need"] == "160"  # 100 + 40 + 20
    assert venlo["certified"] == "30" and venlo["uncertified"] == "12"
    assert venlo["planned"] == "10 (20)"  # 20 x 0.5, unweighted in brackets
    assert venlo["shortage"] == f"{160 - 42 - 10} tekort"
    venray = row_of(page, VENRAY)
    assert venray["shortage"] == f"{65 - 60} tekort"
    beesel = row_of(page, BEESEL)
    assert beesel["need"].startswith("onbekend") and beesel["shortage"] == "onbekend"
    assert beesel["uncertified"] == "11"  # the capacity is known, the need is not
    noord = page.xpath("//table[@id='regions-table']//tr[th[normalize-space()='Noord']]")[0]
    noord_cells = cells(noord)
    assert noord_cells["need"].startswith("onbekend")
    assert "behoefte bekend voor 2 van 8 gemeenten, samen 225" in noord_cells["need"]
    assert noord_cells["shortage"] == "onbekend"
    assert noord_cells["uncertified"] == str(12 + 11)
    assert "Beesel" in page.xpath("string(//ul[@id='unknown-list'])")
    weights = {
        row.xpath("string(./th)"): row.xpath("string(./td)")
        for row in page.xpath("//table[@id='weights-table']/tbody/tr")
    }
    assert weights["vergunning verleend"] == "50" and weights["idee"] == "10"


def test_one_stay_class_and_a_region_of_two(register, users):
    page = html_of(client_for(users["member"]), f"?year={YEAR}&grouping=admin&stay_class=short")
    assert row_of(page, VENLO) == {
        "need": "100",
        "certified": "30",
        "uncertified": "12",
        "planned": "10 (20)",
        "shortage": f"{100 - 42 - 10} tekort",
    }
    assert row_of(page, VENRAY)["shortage"] == f"{50 - 60} overschot"


def test_every_network_role_sees_the_same_aggregates(register, users):
    """The gap adds up locations also for roles that cannot open the register itself."""
    shown = {name: row_of(html_of(client_for(users[name])), VENLO) for name in users}
    assert all(row == shown["province_admin"] for row in shown.values())
    assert shown["member"]["uncertified"] == "12"  # the register's 12, also for the member
    assert Client().get(PAGE).status_code == 302  # the public logs in first


def test_grouping_corop_moves_beesel(register, users):
    page = html_of(client_for(users["analyst"]), f"?year={YEAR}&grouping=corop")
    captions = {
        table.xpath("string(./caption)").split(":")[0]: {
            row.get("data-code") for row in table.xpath("./tbody/tr")
        }
        for table in page.xpath("//table[starts-with(@id, 'region-')]")
    }
    assert BEESEL in captions["Midden-Limburg"] and VENLO in captions["Noord-Limburg"]


def test_invalid_options_fall_back_to_the_defaults(register, users):
    page = html_of(client_for(users["analyst"]), "?year=abc&grouping=nope&stay_class=week")
    assert page.xpath("//select[@name='year']/option[@selected]/@value") == [str(YEAR)]
    assert page.xpath("//select[@name='grouping']/option[@selected]/@value") == ["admin"]
    assert row_of(page, VENLO)["need"] == "160"


def test_fictitious_figures_say_fictief(register, users, make_location):
    page = html_of(client_for(users["analyst"]))
    assert not page.xpath("//tr[@data-code='GM0984']//*[contains(@class, 'fictief')]")
    make_location(VENRAY, name="Demo", capacity=5, postcode="5801 AB", fictitious=True)
    page = html_of(client_for(users["analyst"]))
    badge = page.xpath("//tr[@data-code='GM0984']/th/span[contains(@class, 'fictief')]")
    assert [b.text_content() for b in badge] == ["fictief"]
    assert page.xpath("//div[contains(@class, 'utrecht-alert--warning')]")


def page_rows(page) -> list[tuple[str, str, str, str]]:
    """(level, name, need, shortage) of the page's rows in the order the export lists them."""
    rows = []
    tables = page.xpath("//table[starts-with(@id, 'region-')]")
    for row in [r for t in tables for r in t.xpath("./tbody/tr | ./tfoot/tr")]:
        rows.append(row)
    rows += page.xpath("//table[@id='regions-table']/tfoot/tr")
    result = []
    for row in rows:
        found = cells(row)
        need_text = found["need"].split(" ")[0]
        shortage_text = found["shortage"].split(" ")[0]
        result.append((row.get("data-level"), row.xpath("string(./th)").strip(), need_text,
                       shortage_text))  # fmt: skip
    return result


def dutch(value: str) -> str:
    """An export cell as the page writes it: '' (unknown) as onbekend, 92.5 as 92,5."""
    if value == "":
        return "onbekend"
    number = Decimal(value)
    text = f"{number:,.1f}" if number != number.to_integral_value() else f"{int(number):,}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def test_the_download_has_the_rows_of_the_page(register, users):
    client = client_for(users["coordinator"])
    query = f"?year={YEAR}&grouping=corop&stay_class=short"
    page = html_of(client, query)
    link = page.xpath("//a[contains(@href, '/export/housing-gap.csv')]/@href")[0]
    assert link == reverse("export", args=["housing-gap", "csv"]) + query
    response = client.get(link)
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    exported = [
        (row["level"], row["name"], dutch(row["need"]), dutch(row["shortage"])) for row in table
    ]
    shown = page_rows(page)
    assert exported == shown
    assert len(shown) == 31 + 3 + 1  # municipalities, COROP regions, the province
    assert {row["stay_class"] for row in table} == {"short"}
    venlo = next(row for row in table if row["code"] == VENLO)
    assert venlo["reference_date"] == "2025-12-31" and venlo["planned_weighted"] == "10"
    data = json.loads(client.get(reverse("export", args=["housing-gap", "json"]) + query).content)
    beesel = next(row for row in data if row["code"] == BEESEL)
    assert beesel["need"] is None and beesel["shortage"] is None  # unknown is never 0
    assert beesel["existing"] == 11


def test_the_page_links_the_report_and_the_parameters(register, users):
    page = html_of(client_for(users["member"]), f"?year={YEAR}&grouping=corop")
    hrefs = page.xpath("//a/@href")
    assert f"{reverse('report', args=['housing-gap'])}?year={YEAR}&grouping=corop" in hrefs
    for fmt in ("pdf", "docx", "xlsx", "md"):
        url = reverse("report-download", args=["housing-gap", fmt])
        assert f"{url}?year={YEAR}&grouping=corop" in hrefs
    parameters = page.xpath("//section[@aria-labelledby='definition-heading']//a/@href")
    assert parameters == [reverse("housing-parameters")]


def test_the_empty_year_says_unknown_everywhere(areas, users):
    page = html_of(client_for(users["analyst"]))
    this_year = datetime.date.today().year
    assert page.xpath("//select[@name='year']/option[@selected]/@value") == [str(this_year)]
    assert row_of(page, VENLO)["need"].startswith("onbekend")
    assert "Nog geen behoeftecijfers" in page.xpath("string(//table[@id='sources-table'])")
    assert gap.default_year(SYSTEM) == this_year


def test_the_other_housing_pages_are_linked_for_who_may_open_them(register, users):
    section = [reverse(name) for _label, name, _model in SECTION_PAGES]
    locations = reverse("housing-location-list")
    for name, sees_locations in (("analyst", True), ("member", False)):
        page = html_of(client_for(users[name]))
        links = page.xpath("//nav[@class='waardig-sections']//a/@href")
        assert links == [url for url in section[1:] if url in links]  # in the section's order
        assert page.xpath("//nav[@class='waardig-sections']//*[@aria-current='page']/text()") == [
            "Tekort en overschot"
        ]
        assert (locations in links) == sees_locations
        # Every other page of the section, except the register for who may not see it.
        assert links == [url for url in section[1:] if sees_locations or url != locations]


def page_specs(page) -> list[dict]:
    return [
        json.loads(page.xpath(f"//script[@id='{chart.get('data-vega-spec')}']")[0].text)
        for chart in page.xpath("//*[@data-vega-spec]")
    ]


def test_the_chart_and_the_map_show_the_tables_numbers(register, users):
    page = html_of(client_for(users["analyst"]))
    rows = [row for spec in page_specs(page) for row in chart_values(spec)]
    bars = {(r["gebied"], r["reeks"]): r for r in rows if "reeks" in r}
    noord_need = bars[("Noord", "Behoefte")]
    assert noord_need["personen"] is None  # unknown is no bar, never a bar of 0
    assert "behoefte bekend voor 2 van 8 gemeenten, samen 225" in noord_need["Toelichting"]
    assert bars[("Noord", "Bestaande capaciteit")]["personen"] == 42 + 60 + 11
    tiles = {r["code"]: r for r in rows if "waarde" in r and "code" in r}
    assert tiles[BEESEL]["waarde"] is None  # unknown need: grey, not 0
    assert tiles[VENLO]["waarde"] == 160 - 42 - 10
