"""The planning pages: projects with their totals, the project and Woondeal forms (an officer
only for their own municipality), deriving need from the monitor (preview, save, errors),
the parameters with their history, and downloads that hold the rows of their page."""

import csv
import io
import json
from decimal import Decimal

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from fixtures import MAASTRICHT, VENLO

from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.housing import services
from waardig.housing.models import (
    HousingNeed,
    NeedMethod,
    Parameters,
    Project,
    ProjectStatus,
    ProjectStatusChange,
    WoondealAgreement,
)
from waardig.monitor import services as monitor_services
from waardig.monitor.indicators import load_indicators
from waardig.monitor.models import Indicator

pytestmark = pytest.mark.django_db

PROJECTS = reverse("housing-project-list")
NEW_PROJECT = reverse("housing-project-create")
WOONDEAL = reverse("housing-woondeal")
NEW_AGREEMENT = reverse("housing-woondeal-edit")
NEED = reverse("housing-need-list")
DERIVE = reverse("housing-need-derive")
PARAMETERS = reverse("housing-parameters")


def place(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(client: Client, url: str, data=None, status: int = 200):
    response = client.get(url, data or {})
    assert response.status_code == status, (url, response.status_code)
    return lxml.html.fromstring(response.content.decode())


def posted(response, status: int = 200):
    assert response.status_code == status, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def errors(page) -> list[str]:
    found = page.xpath(
        "//*[contains(@class, 'utrecht-form-field-error-message')] | //*[@role='alert']//p"
    )
    return [text(node) for node in found]


def download(client: Client, kind: str, fmt: str, query: str = "") -> list[dict]:
    response = client.get(reverse("export", args=[kind, fmt]) + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "json":
        return json.loads(body)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def project(code: str, name: str, capacity: int, status: str, year: int, **values) -> Project:
    saved, _ = services.save_project(
        SYSTEM, name=name, municipality=place(code), capacity=capacity, stay_class="short",
        housing_form="flex", status=status, expected_year=year, **values,
    )  # fmt: skip
    return saved


@pytest.fixture
def projects(areas) -> dict[str, Project]:
    return {
        "venlo": project(VENLO, "Flexwoningen Blerick", 120, ProjectStatus.PERMIT, 2026),
        "venlo_idea": project(VENLO, "Idee Tegelen", 60, ProjectStatus.IDEA, 2028),
        "maastricht": project(
            MAASTRICHT,
            "Units Beatrixhaven",
            80,
            ProjectStatus.CONSTRUCTION,
            2025,
            fictitious=True,
        ),
    }


def project_form(code: str, name: str = "Nieuwe units", **values) -> dict:
    return {
        "name": name,
        "municipality": str(place(code).pk),
        "capacity": "48",
        "stay_class": "mid",
        "housing_form": "complex",
        "status": "preparation",
        "expected_year": "2027",
        "temporary_until": "",
        "location": "",
        "notes": "",
        "note": "",
        **values,
    }


# --- projects --------------------------------------------------------------------------------


def test_the_member_sees_every_project_with_totals_but_no_new_button(projects, users):
    page = html_of(client_for(users["member"]), PROJECTS)
    rows = page.get_element_by_id("projects-table").xpath("./tbody/tr")
    assert [text(r.xpath("./th")[0]) for r in rows] == [
        "Units Beatrixhaven fictief",  # Maastricht before Venlo, by name
        "Flexwoningen Blerick",
        "Idee Tegelen",
    ]
    total = page.get_element_by_id("project-total")
    cells = [text(td) for td in total.xpath("./td")]
    # 120 x 60 % + 60 x 10 % + 80 x 90 % = 72 + 6 + 72 = 150
    assert cells[0] == "3" and cells[1] == "260" and cells[3] == "150"
    permit = page.get_element_by_id("project-totals").xpath(".//tr[@data-status='permit']")[0]
    assert [text(td) for td in permit.xpath("./td")] == ["1", "120", "60%", "72"]
    assert not page.xpath(f"//a[@href='{NEW_PROJECT}']")
    assert page.xpath("//div[@role='note']")  # the fictitious project is explained


def test_the_project_list_filters_and_its_download_holds_the_same_rows(projects, users):
    client = client_for(users["analyst"])
    page = html_of(client, PROJECTS, {"municipality": VENLO, "status": "permit"})
    shown = [text(r.xpath("./th")[0]) for r in page.xpath("//table[@id='projects-table']/tbody/tr")]
    assert shown == ["Flexwoningen Blerick"]
    link = page.xpath("//a[contains(@href, '/housing-projects.csv')]/@href")[0]
    query = link.split("?", 1)[1]
    rows = download(client, "housing-projects", "csv", query)
    assert [r["name"] for r in rows] == shown
    assert rows[0]["weighted_capacity"] == "72.0" and rows[0]["fictitious"] == "False"
    everything = download(client, "housing-projects", "json")
    assert {r["name"]: r["fictitious"] for r in everything} == {
        "Flexwoningen Blerick": False,
        "Idee Tegelen": False,
        "Units Beatrixhaven": True,
    }


def test_an_empty_project_list_says_so(areas, users):
    page = html_of(client_for(users["member"]), PROJECTS)
    assert "Er zijn nog geen projecten vastgelegd." in text(page)
    filtered = html_of(client_for(users["member"]), PROJECTS, {"status": "idea"})
    assert "Geen projecten gevonden met deze filters." in text(filtered)


def test_a_venlo_officer_creates_a_venlo_project_with_its_first_status(areas, users):
    client = client_for(users["venlo_officer"])
    page = html_of(client, NEW_PROJECT)
    choices = page.xpath("//select[@name='municipality']/option[@value!='']/text()")
    assert choices == ["Venlo"]
    response = client.post(NEW_PROJECT, project_form(VENLO, note="Raadsbesluit"))
    assert response.status_code == 302
    saved = Project.objects.get(name="Nieuwe units")
    assert (saved.municipality.code, saved.capacity, saved.status) == (VENLO, 48, "preparation")
    assert response["Location"] == reverse("housing-project-detail", args=[saved.pk])
    history = list(saved.status_changes.values_list("status", "actor", "note"))
    assert history == [("preparation", "venlo", "Raadsbesluit")]


def test_a_venlo_officer_cannot_create_or_change_a_maastricht_project(projects, users):
    client = client_for(users["venlo_officer"])
    page = posted(client.post(NEW_PROJECT, project_form(MAASTRICHT)))
    assert any("geldige keuze" in e for e in errors(page))
    assert not Project.objects.filter(name="Nieuwe units").exists()
    foreign = projects["maastricht"]
    url = reverse("housing-project-update", args=[foreign.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, project_form(MAASTRICHT, name="Gekaapt", status="idea"))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert (foreign.name, foreign.status) == ("Units Beatrixhaven", "construction")
    # Moving an own project to Maastricht is refused as well.
    own = projects["venlo"]
    url = reverse("housing-project-update", args=[own.pk])
    posted(client.post(url, project_form(MAASTRICHT, name=own.name)))
    own.refresh_from_db()
    assert own.municipality.code == VENLO


def test_a_status_change_with_its_note_shows_in_the_history(projects, users):
    client = client_for(users["maastricht_officer"])
    foreign = projects["maastricht"]
    url = reverse("housing-project-update", args=[foreign.pk])
    form = project_form(MAASTRICHT, name=foreign.name, capacity="80", status="realised",
                        expected_year="2025", note="Opgeleverd in juni")  # fmt: skip
    assert client.post(url, form).status_code == 302
    assert list(foreign.status_changes.order_by("at", "id").values_list("status", flat=True)) == [
        "construction",
        "realised",
    ]
    page = html_of(
        client_for(users["member"]), reverse("housing-project-detail", args=[foreign.pk])
    )
    rows = page.get_element_by_id("status-history").xpath("./tbody/tr")
    assert [text(td) for td in rows[0].xpath("./td")][1:] == [
        "gerealiseerd",
        "maastricht",
        "Opgeleverd in juni",
    ]
    assert "fictief" in text(page.xpath("//h1")[0])
    history = download(client, "housing-project-history", "csv", f"project={foreign.pk}")
    assert [(r["status"], r["note"]) for r in history] == [
        ("construction", ""),
        ("realised", "Opgeleverd in juni"),
    ]
    # Saving again without a change appends nothing.
    client.post(url, form)
    assert ProjectStatusChange.objects.filter(project=foreign).count() == 2


def test_a_location_of_another_municipality_is_refused(projects, users, locations):
    client = client_for(users["province_admin"])
    form = project_form(VENLO, location=str(locations["maastricht"].pk))
    page = posted(client.post(NEW_PROJECT, form))
    assert "Deze locatie ligt in een andere gemeente." in errors(page)
    assert not Project.objects.filter(name="Nieuwe units").exists()


# --- Woondeal --------------------------------------------------------------------------------


@pytest.fixture
def woondeal(projects):
    services.save_agreement(SYSTEM, place(VENLO), 2026, agreed_capacity=200, source="Woondeal")
    services.save_agreement(SYSTEM, place(MAASTRICHT), 2025, agreed_capacity=100)
    project(VENLO, "Hotel Venlo", 50, ProjectStatus.REALISED, 2024)
    project(MAASTRICHT, "Pension Wyck", 25, ProjectStatus.REALISED, 2026)  # too late for 2025


def test_the_woondeal_page_shows_agreed_against_realised(woondeal, users):
    client = client_for(users["coordinator"])
    page = html_of(client, WOONDEAL)
    table = page.get_element_by_id("woondeal-municipalities")
    venlo = table.xpath(f".//tr[@data-code='{VENLO}']")[0]
    assert [text(td) for td in venlo.xpath("./td")][:5] == ["2026", "200", "50", "-150", "25,0"]
    maastricht = table.xpath(f".//tr[@data-code='{MAASTRICHT}']")[0]
    assert [text(td) for td in maastricht.xpath("./td")][:5] == ["2025", "100", "0", "-100", "0,0"]
    regions = page.get_element_by_id("woondeal-regions").xpath("./tbody/tr")
    assert [text(r.xpath("./th")[0]) for r in regions] == ["Zuid", "Noord"]  # 2025, then 2026
    assert not page.xpath(f"//a[starts-with(@href, '{NEW_AGREEMENT}')]")  # a reader
    rows = download(client, "housing-woondeal", "csv", "grouping=admin")
    assert [(r["level"], r["area"], r["year"], r["realised"]) for r in rows] == [
        ("municipality", "Maastricht", "2025", "0"),
        ("municipality", "Venlo", "2026", "50"),
        ("admin", "Zuid", "2025", "0"),
        ("admin", "Noord", "2026", "50"),
    ]
    assert rows[1]["percent_realised"] == "25.0" and rows[1]["difference"] == "-150"


def test_an_officer_records_an_agreement_for_their_municipality_only(woondeal, users):
    client = client_for(users["venlo_officer"])
    page = html_of(client, WOONDEAL)
    edit_links = page.xpath(f"//a[starts-with(@href, '{NEW_AGREEMENT}?')]/@href")
    assert edit_links == [f"{NEW_AGREEMENT}?municipality={VENLO}&year=2026"]
    form = html_of(client, edit_links[0])
    assert form.xpath("//input[@name='agreed_capacity']/@value") == ["200"]
    data = {"municipality": VENLO, "year": "2026", "agreed_capacity": "240", "source": "Woondeal",
            "notes": "Bijgesteld"}  # fmt: skip
    assert client.post(NEW_AGREEMENT, data).status_code == 302
    agreement = WoondealAgreement.objects.get(municipality__code=VENLO, year=2026)
    assert (agreement.agreed_capacity, agreement.notes) == (240, "Bijgesteld")
    assert WoondealAgreement.objects.filter(municipality__code=VENLO).count() == 1  # upserted
    refused = posted(client.post(NEW_AGREEMENT, {**data, "municipality": MAASTRICHT}))
    assert any("geldige keuze" in e for e in errors(refused))
    assert WoondealAgreement.objects.get(municipality__code=MAASTRICHT).agreed_capacity == 100
    assert client_for(users["inspector"]).get(NEW_AGREEMENT).status_code == 403


# --- need ------------------------------------------------------------------------------------


@pytest.fixture
def figures(areas):
    """labour-migrants-living 2023: Venlo 1000 (fictitious), Maastricht 2000 (estimate)."""
    load_indicators()
    indicator = Indicator.objects.get(code="labour-migrants-living")
    for code, value, status in ((VENLO, 1000, "fictitious"), (MAASTRICHT, 2000, "estimate")):
        monitor_services.save_observation(
            SYSTEM, indicator=indicator, municipality=place(code), period="2023",
            value=Decimal(value), status=status, source="Monitor demo",
        )  # fmt: skip
    return indicator


def derive_form(**values) -> dict:
    return {
        "year": "2023",
        "indicator": "labour-migrants-living",
        "share_needing_housing": "60",
        "short_share": "40",
        "mid_share": "33",
        "long_share": "27",
        "household_size": "1,5",
        "persons_per_unit": "1",
        **values,
    }


def test_the_derive_form_previews_then_stores_need_that_adds_up(figures, users):
    services.save_need(
        SYSTEM, place(MAASTRICHT), 2023, "short", persons=321, method=NeedMethod.RESEARCH,
        source="Onderzoek 2023",
    )  # fmt: skip
    client = client_for(users["analyst"])
    page = html_of(client, DERIVE)
    assert page.xpath("//select[@name='indicator']/option[@selected]/@value") == [
        "labour-migrants-living"
    ]
    assert page.xpath("//input[@name='year']/@value") == ["2023"]
    assert "nooit overschreven" in text(page)
    preview = posted(client.post(DERIVE, {**derive_form(), "preview": "1"}))
    venlo = preview.get_element_by_id("derive-preview").xpath(f".//tr[@data-code='{VENLO}']")[0]
    # 1000 x 60 % = 600: short 240, mid 198, long 162 x 1.5 = 243; total 681.
    assert [text(td) for td in venlo.xpath("./td")] == [
        "1.000 fictief",
        "240",
        "198",
        "243",
        "681",
        "681",
    ]
    assert "onderzoek blijft" in text(preview.xpath(f"//tr[@data-code='{MAASTRICHT}']")[0])
    assert not HousingNeed.objects.filter(method=NeedMethod.DERIVED).exists()

    response = client.post(DERIVE, {**derive_form(), "save": "1"})
    assert response.status_code == 302 and response["Location"] == f"{NEED}?year=2023"
    stored = {
        (n.municipality.code, n.stay_class): n
        for n in HousingNeed.objects.filter(year=2023).select_related("municipality")
    }
    venlo_need = {c: stored[(VENLO, c)].persons for c in ("short", "mid", "long")}
    workers = Decimal(1000) * Decimal("0.6")
    exact = workers * (Decimal("0.40") + Decimal("0.33") + Decimal("0.27") * Decimal("1.5"))
    assert sum(venlo_need.values()) == round(exact) == 681
    assert venlo_need == {"short": 240, "mid": 198, "long": 243}
    assert {stored[(VENLO, c)].status for c in venlo_need} == {"fictitious"}
    assert stored[(MAASTRICHT, "mid")].status == "estimate"
    assert stored[(VENLO, "long")].parameters == {
        "share_needing_housing": "0.6",
        "class_shares": {"short": "0.4", "mid": "0.33", "long": "0.27"},
        "persons_per_unit": "1",
        "household_size": "1.5",
        "indicator": "labour-migrants-living",
        "figure": "1000.0000",
    }
    research = stored[(MAASTRICHT, "short")]
    assert (research.persons, research.method) == (321, NeedMethod.RESEARCH)

    listing = html_of(client, NEED, {"year": "2023", "municipality": VENLO})
    rows = listing.get_element_by_id("need-table").xpath("./tbody/tr")
    assert [r.get("data-class") for r in rows] == ["short", "mid", "long"]
    long_stay = [text(td) for td in rows[2].xpath("./td")]
    assert long_stay[2] == "243 fictief" and long_stay[3] == "afgeleid uit de monitor"
    assert "aandeel met huisvestingsbehoefte 60 %" in long_stay[6]
    assert "huishoudgrootte lang verblijf 1,5" in long_stay[6]
    exported = download(client, "housing-need", "json", f"year=2023&municipality={VENLO}")
    assert [(r["stay_class"], r["persons"], r["status"]) for r in exported] == [
        ("short", 240, "fictitious"),
        ("mid", 198, "fictitious"),
        ("long", 243, "fictitious"),
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"short_share": "50"}, "tellen samen op tot 110"),
        ({"share_needing_housing": "120"}, "tussen 0 en 100: het is hoogstens 100"),
        ({"mid_share": "-5", "long_share": "65"}, "tussen 0 en 100: het is minstens 0"),
    ],
)
def test_invalid_shares_are_form_errors_and_store_nothing(figures, users, values, message):
    client = client_for(users["province_admin"])
    page = posted(client.post(DERIVE, {**derive_form(**values), "save": "1"}))
    assert any(message in e for e in errors(page)), errors(page)
    assert not page.xpath("//table[@id='derive-preview']")
    assert HousingNeed.objects.count() == 0


def test_a_year_without_figures_says_so_and_stores_nothing(figures, users):
    client = client_for(users["analyst"])
    page = posted(client.post(DERIVE, {**derive_form(year="2019"), "save": "1"}))
    assert any("geen cijfers" in e for e in errors(page))
    assert HousingNeed.objects.count() == 0


def test_officers_and_members_may_not_derive_need(figures, users):
    for role in ("venlo_officer", "member", "coordinator"):
        client = client_for(users[role])
        assert client.get(DERIVE).status_code == 403
        assert client.post(DERIVE, {**derive_form(), "save": "1"}).status_code == 403
    assert HousingNeed.objects.count() == 0
    page = html_of(client_for(users["venlo_officer"]), NEED)
    assert not page.xpath(f"//a[@href='{DERIVE}']")
    assert "nog geen woonbehoefte" in text(page)


# --- parameters ------------------------------------------------------------------------------


def parameters_form(**values) -> dict:
    return {
        "short_max_months": "4",
        "mid_max_months": "24",
        "weight_idea": "10",
        "weight_preparation": "40",
        "weight_permit": "60",
        "weight_construction": "90",
        "weight_realised": "0",
        "reason": "Voorbereiding blijkt vaker door te gaan",
        **values,
    }


def test_the_admin_changes_parameters_and_the_history_says_who_changed_what(areas, users):
    admin = client_for(users["province_admin"])
    page = html_of(admin, PARAMETERS)
    assert page.xpath("//input[@name='weight_preparation']/@value") == ["30"]
    assert "nog nooit gewijzigd" in text(page)
    assert admin.post(PARAMETERS, parameters_form()).status_code == 302
    assert services.current_parameters().weight("preparation") == Decimal("0.4")
    second = parameters_form(short_max_months="6", reason="Definitie van de gemeente")
    assert admin.post(PARAMETERS, second).status_code == 302

    page = html_of(client_for(users["member"]), PARAMETERS)
    assert not page.xpath("//form[@method='post']//input[@name='reason']")
    history = page.get_element_by_id("parameters-history").xpath("./tbody/tr")
    newest, first = ([text(td) for td in row.xpath("./td")] for row in history)
    assert newest[1:] == [
        "provincie",
        "kort verblijf tot en met (maanden): 4 → 6",
        "Definitie van de gemeente",
    ]
    assert first[1:] == [
        "provincie",
        "weging in voorbereiding: 30 % → 40 %",
        "Voorbereiding blijkt vaker door te gaan",
    ]
    weights = page.get_element_by_id("current-weights")
    preparation = weights.xpath(".//tr[@data-status='preparation']/td")[0]
    assert text(preparation) == "40%"
    rows = download(client_for(users["member"]), "housing-parameters", "csv")
    assert [(r["actor"], r["short_stay_max_months"], r["weight_preparation"]) for r in rows] == [
        ("provincie", "6", "0.4"),
        ("provincie", "4", "0.4"),
    ]


def test_parameters_need_a_reason_and_sensible_limits(areas, users):
    admin = client_for(users["province_admin"])
    page = posted(admin.post(PARAMETERS, parameters_form(reason="")))
    assert "Geef de reden van de wijziging." in errors(page)
    page = posted(admin.post(PARAMETERS, parameters_form(short_max_months="30")))
    assert any("kies meer dan 30 maanden" in e for e in errors(page))
    page = posted(admin.post(PARAMETERS, parameters_form(weight_permit="150")))
    assert any("hoogstens 100" in e for e in errors(page))
    assert Parameters.objects.count() == 0


def test_only_the_province_admin_may_change_parameters(areas, users):
    for role in ("analyst", "venlo_officer", "member"):
        client = client_for(users[role])
        assert client.get(PARAMETERS).status_code == 200
        assert client.post(PARAMETERS, parameters_form()).status_code == 403
    assert Client().get(PARAMETERS).status_code == 302  # to the login page
    assert Parameters.objects.count() == 0


def test_other_scripts_digits_are_refused_not_a_server_error(users):
    client = Client()
    client.force_login(users["analyst"])
    assert client.get("/export/housing-need.csv?year=²⁰²⁵").status_code == 400


def test_histories_download_as_spreadsheets_too(projects, users):
    import io

    from openpyxl import load_workbook

    client = Client()
    client.force_login(users["province_admin"])
    services.set_parameters(users["province_admin"], short_max_months=4, mid_max_months=24,
                            weights={}, reason="test")  # fmt: skip
    for kind, query in (
        ("housing-project-history", {"project": projects["venlo"].pk}),
        ("housing-parameters", {}),
    ):
        response = client.get(reverse("export", args=[kind, "xlsx"]), query)
        assert response.status_code == 200, kind  # zone-aware times once broke Excel
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 2 and sheet["A1"].value is not None, kind
