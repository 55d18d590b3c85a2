"""The check of one location: who sees it (whoever sees the location and its checks; 404 for
another municipality), who records it (the municipality's officers and inspectors), the
evaluation per norm set on a chosen day, the recorded checks with their source, and small
guest-register counts kept from the province."""

from __future__ import annotations

import datetime
from decimal import Decimal

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fixtures import MAASTRICHT, PASSWORD, VENLO

from waardig.compliance import services
from waardig.compliance.models import Check, Norm
from waardig.compliance.services import NormResult
from waardig.core.access import SYSTEM
from waardig.housing import services as housing
from waardig.housing.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db

D = datetime.date
PROVINCE = "Provinciale ondergrens Limburg 2025-2027"
WGV = "Wet goed verhuurderschap"
SNF = "SNF-norm (bestaande set)"
SNF25 = "SNF-norm vanaf 1 juli 2025 (nieuwbouw, hotels en pensions)"
AKF24 = "AKF 2024"
AKF26 = "AKF 2026"
LIVING_14 = "140 m² woonoppervlak voor 10 personen (14 m² per persoon): min. {} m² per persoon"
ROLES = [
    "province_admin", "analyst", "coordinator", "venlo_officer", "maastricht_officer",
    "inspector", "member",
]  # fmt: skip
# GET: the check page of a Venlo location; may the role record a check there?
SEES = {
    "province_admin": (200, False),
    "analyst": (200, False),
    "coordinator": (200, False),
    "venlo_officer": (200, True),
    "inspector": (200, True),
    "maastricht_officer": (404, False),
    "member": (403, False),
}
RECORDS = {
    "province_admin": 403, "analyst": 403, "coordinator": 403, "venlo_officer": 302,
    "inspector": 302, "maastricht_officer": 404, "member": 403,
}  # fmt: skip


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def check_url(location) -> str:
    return reverse("compliance-location-check", args=[location.pk])


def page_of(response):
    return lxml.html.fromstring(response.content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def tables(page) -> dict[str, list[tuple[str, ...]]]:
    """Each norm set's table: (norm, limit, measured, outcome, explanation) per row."""
    return {
        table.get("data-norm-set"): [
            tuple(text(cell) for cell in row.xpath("./th|./td"))
            for row in table.xpath(".//tbody/tr")
        ]
        for table in page.xpath("//table[@data-norm-set]")
    }


@pytest.fixture
def akf(make_location):
    """An AKF-certified flex location in Venlo: 10 residents on 140 m² (14 m² each)."""
    location = make_location(
        VENLO, name="Flexwoningen Venlo (fictief)", housing_form="flex", stay_class="mid",
        capacity=10, bedrooms=10, living_area=Decimal(140), bedroom_area=Decimal(40), toilets=2,
        showers=2, separate_contract=True, transition_days=30, certification="akf",
        certificate_number="AKF-1 (fictief)", certificate_valid_until=D(2027, 12, 31),
    )  # fmt: skip
    housing.record_head_count(SYSTEM, location, D(2024, 3, 1), 10)
    return location


# -- who sees and who records ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_check_page_of_a_venlo_location_by_role(role, akf, users):
    status, may_record = SEES[role]
    response = client_for(users[role]).get(check_url(akf), {"on": "2026-02-01"})
    assert response.status_code == status
    if status != 200:
        return
    page = page_of(response)
    assert text(page.xpath("//h1")[0]) == "Toets van Flexwoningen Venlo (fictief)"
    assert list(tables(page)) == [WGV, PROVINCE, AKF26]
    buttons = page.xpath("//form[@id='record-check']//button")
    assert [text(b) for b in buttons] == (["Toets vastleggen"] if may_record else [])


def test_the_public_is_sent_to_the_login_page(akf):
    for response in (client_for().get(check_url(akf)), client_for().post(check_url(akf))):
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Check.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_check_by_role(role, akf, users):
    response = client_for(users[role]).post(check_url(akf), {"on": "2026-02-01"})
    assert response.status_code == RECORDS[role]
    if RECORDS[role] == 302:
        assert response["Location"] == f"{check_url(akf)}?on=2026-02-01"
        check = Check.objects.get()
        assert (check.location, check.on, check.source) == (akf, D(2026, 2, 1), "desk")
        assert check.actor == users[role].username
    else:
        assert not Check.objects.exists()


def test_a_maastricht_location_is_not_there_for_venlo(make_location, users):
    maastricht = make_location(MAASTRICHT, name="Logies Maastricht", postcode="6211 AA")
    for role in ("venlo_officer", "inspector"):
        assert client_for(users[role]).get(check_url(maastricht)).status_code == 404
    assert client_for(users["maastricht_officer"]).get(check_url(maastricht)).status_code == 200
    assert client_for(users["analyst"]).get("/toezicht/locaties/99999/toets/").status_code == 404


# -- the evaluation ----------------------------------------------------------------------------


def test_every_norm_of_the_day_grouped_per_set_with_its_outcome(akf, users):
    client = client_for(users["venlo_officer"])
    page = page_of(client.get(check_url(akf), {"on": "2026-02-01"}))
    stay = "Aaneengesloten verblijf op short-stay-locatie"
    assert tables(page) == {
        WGV: [("Huurcontract los van arbeidscontract", "verplicht", "gescheiden", "voldaan", "–")],
        PROVINCE: [
            ("Personen per slaapkamer", "max. 1 per slaapkamer", "1 per slaapkamer", "voldaan",
             "–"),
            ("Woonoppervlak per persoon", "min. 15 m² per persoon", "14 m² per persoon",
             "niet voldaan (ernst: hoog)", LIVING_14.format(15)),
            (stay, "max. 4 maanden verblijf binnen 12 maanden (kort verblijf)", "–",
             "niet van toepassing", "Geldt alleen voor locaties voor kort verblijf."),
            ("Overgangstermijn huurcontract", "min. 28 dagen na het einde van het werk",
             "30 dagen", "voldaan", "–"),
            ("Geldig keurmerk", "verplicht: een geldig keurmerk (SNF of AKF)", "geldig",
             "voldaan", "–"),
        ],
        AKF26: [
            ("Personen per slaapkamer", "max. 2 per slaapkamer", "1 per slaapkamer", "voldaan",
             "–"),
            ("Woonoppervlak per persoon", "min. 15 m² per persoon", "14 m² per persoon",
             "niet voldaan (ernst: hoog)", LIVING_14.format(15)),
            ("Geldig keurmerk", "verplicht: een geldig keurmerk (SNF of AKF)", "geldig",
             "voldaan", "–"),
        ],
    }  # fmt: skip
    summary = {
        span.get("data-status"): text(span)
        for span in page.get_element_by_id("check-summary").xpath("./span")
    }
    assert summary == {
        "violation": "2 niet voldaan", "unknown": "0 niet te toetsen", "ok": "6 voldaan",
        "n/a": "1 niet van toepassing",
    }  # fmt: skip
    assert text(page.get_element_by_id("other-sets")).endswith(f"{SNF}, {SNF25}.")
    assert "Uitkomst op 01-02-2026" in text(page.get_element_by_id("result-heading"))

    earlier = tables(page_of(client.get(check_url(akf), {"on": "2025-06-01"})))
    assert list(earlier) == [WGV, AKF24, PROVINCE]  # oldest set first
    assert earlier[AKF24][1] == (
        "Woonoppervlak per persoon", "min. 13 m² per persoon", "14 m² per persoon", "voldaan", "–",
    )  # fmt: skip


def test_a_norm_that_cannot_be_checked_names_the_missing_data(make_location, users):
    location = make_location(
        VENLO, name="Pension zonder gegevens", housing_form="hotel", stay_class="short",
        capacity=8, bedrooms=None, living_area=Decimal(120),
    )  # fmt: skip
    page = page_of(client_for(users["inspector"]).get(check_url(location), {"on": "2026-02-01"}))
    rows = {row[0]: row for row in tables(page)[PROVINCE]}
    missing_persons = "het aantal bewoners op de peildatum (een telling of het nachtregister)"
    assert rows["Personen per slaapkamer"][2:] == (
        "–", "niet te toetsen", f"Ontbreekt: {missing_persons}, het aantal slaapkamers.",
    )  # fmt: skip
    assert rows["Woonoppervlak per persoon"][4] == f"Ontbreekt: {missing_persons}."
    assert rows["Aaneengesloten verblijf op short-stay-locatie"][3:] == (
        "niet te toetsen", "Ontbreekt: een nachtregister (de verblijven van de gasten).",
    )  # fmt: skip
    assert rows["Overgangstermijn huurcontract"][4] == (
        "Ontbreekt: de overgangstermijn in het huurcontract."
    )
    assert rows["Geldig keurmerk"][3:] == (
        "niet voldaan (ernst: middel)",
        "geen keurmerk: een geldig keurmerk (SNF of AKF) is vereist",
    )
    assert tables(page)[WGV][0][3:] == (
        "niet te toetsen", "Ontbreekt: of het huurcontract los staat van het arbeidscontract.",
    )  # fmt: skip


def test_the_day_is_today_unless_chosen_and_never_in_the_future(akf, users):
    client = client_for(users["venlo_officer"])
    today = timezone.localdate()
    page = page_of(client.get(check_url(akf)))
    assert page.xpath("//input[@name='on' and @type='date']/@value") == [today.isoformat()]
    assert f"Uitkomst op {today:%d-%m-%Y}" in text(page.get_element_by_id("result-heading"))
    assert page.xpath("//form[@id='record-check']/input[@name='on']/@value") == [today.isoformat()]

    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    for day, message in ((tomorrow, "Deze datum ligt in de toekomst."),
                         ("32-01-2026", "Voer een geldige datum in.")):  # fmt: skip
        page = page_of(client.get(check_url(akf), {"on": day}))
        assert text(page.get_element_by_id("id_on_error")) == message
        assert not page.xpath("//*[@id='result-heading']") and not tables(page)

    response = client.post(check_url(akf), {"on": tomorrow})
    assert response.status_code == 200
    assert text(page_of(response).get_element_by_id("id_on_error")) == (
        "Deze datum ligt in de toekomst."
    )
    assert not Check.objects.exists()


# -- recorded checks ---------------------------------------------------------------------------


def findings_of(node) -> list[str]:
    return [text(li) for li in node.xpath(".//li[@data-kind]")]


def test_recorded_checks_with_their_findings_and_source(akf, users):
    officer, inspector = client_for(users["venlo_officer"]), client_for(users["inspector"])
    page = page_of(officer.get(check_url(akf)))
    assert text(page.get_element_by_id("no-checks")) == (
        "Voor deze locatie is nog geen toets vastgelegd."
    )
    response = officer.post(check_url(akf), {"on": "2025-06-01"}, follow=True)
    assert "De toets van 01-06-2025 is vastgelegd, met 1 bevinding(en)." in text(
        page_of(response).xpath("//main")[0]
    )
    inspector.post(check_url(akf), {"on": "2026-02-01"})
    bedroom = Norm.objects.get(norm_set__name=PROVINCE, kind="persons_per_bedroom")
    services.record_inspection(
        users["inspector"], akf, on=D(2026, 3, 1), outcome="defects",
        results=[NormResult(bedroom, False, Decimal(2), "Twee bedden per kamer (fictief)")],
    )  # fmt: skip
    Check.objects.create(location=akf, on=D(2024, 6, 1), source="scan", actor="waardig scan",
                         norm_sets=[WGV])  # fmt: skip

    page = page_of(client_for(users["analyst"]).get(check_url(akf)))  # the province reads along

    latest = page.get_element_by_id("latest-check")
    assert "Peildatum 01-03-2026 · inspectie" in text(latest)
    assert findings_of(latest) == [
        f"hoog {PROVINCE}: personen per slaapkamer: gemeten 2, grens 1 (inspectie)"
    ]  # the inspector's note stays with the inspection: the province does not read it
    earlier = page.get_element_by_id("earlier-checks").xpath("./li")
    heads = [text(item.xpath(".//p[@data-check]")[0]) for item in earlier]
    assert [h.split(" · vastgelegd")[0] for h in heads] == [
        "Peildatum 01-02-2026 · bureaucontrole",
        "Peildatum 01-06-2025 · bureaucontrole",
        "Peildatum 01-06-2024 · scan",
    ]
    assert "vastgelegd door inspecteur" in heads[0] and "vastgelegd door venlo" in heads[1]
    assert f"Normensets: {AKF26}, {PROVINCE}, {WGV}" in heads[0]
    assert findings_of(earlier[0]) == [
        f"hoog {AKF26}: {LIVING_14.format(15)}", f"hoog {PROVINCE}: {LIVING_14.format(15)}",
    ]  # fmt: skip
    assert findings_of(earlier[1]) == [f"hoog {PROVINCE}: {LIVING_14.format(15)}"]
    assert "Geen bevindingen" in text(earlier[2])


# -- small guest-register counts ---------------------------------------------------------------


@pytest.fixture
def two_guests(make_location):
    """A short-stay room in Venlo with two guests by its register: fewer than 5, so the
    province sees no exact number."""
    location = make_location(
        VENLO, name="Kamer Venlo (fictief)", housing_form="hotel", stay_class="short",
        capacity=2, bedrooms=1, living_area=Decimal(20), separate_contract=True,
        transition_days=30,
    )  # fmt: skip
    housing.record_guest_stays(SYSTEM, location, [
        (pseudonym("guest-1"), D(2026, 10, 1), None), (pseudonym("guest-2"), D(2026, 10, 15), None),
    ])  # fmt: skip
    return location


def test_a_small_register_count_is_shown_to_the_municipality_only(two_guests, users):
    on = {"on": "2026-11-01"}
    exact = "2 personen op 1 slaapkamer: max. 1 per slaapkamer"
    hidden = (
        "De uitleg noemt een klein aantal uit het nachtregister (< 5); alleen de gemeente van de "
        "locatie ziet het."
    )
    for role in ("venlo_officer", "inspector"):
        rows = {r[0]: r for r in tables(page_of(client_for(users[role]).get(
            check_url(two_guests), on)))[PROVINCE]}  # fmt: skip
        assert rows["Personen per slaapkamer"][2:] == (
            "2 per slaapkamer", "niet voldaan (ernst: hoog)", exact,
        )  # fmt: skip
    client_for(users["venlo_officer"]).post(check_url(two_guests), on)

    page = page_of(client_for(users["analyst"]).get(check_url(two_guests), on))
    rows = {r[0]: r for r in tables(page)[PROVINCE]}
    assert rows["Personen per slaapkamer"][2:] == ("–", "niet voldaan (ernst: hoog)", hidden)
    assert rows["Woonoppervlak per persoon"][2:] == ("–", "niet voldaan (ernst: hoog)", hidden)
    assert rows["Aaneengesloten verblijf op short-stay-locatie"][2] == "1 maand"
    assert "2 personen" not in page.text_content()
    assert findings_of(page.get_element_by_id("latest-check")) == [
        f"hoog {PROVINCE}: {hidden}", f"hoog {PROVINCE}: {hidden}",
        f"middel {PROVINCE}: geen keurmerk: een geldig keurmerk (SNF of AKF) is vereist",
    ]  # fmt: skip


# -- in the browser ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_inspector_checks_a_location_on_a_day_and_records_it(page, live_server, users, akf):
    from browser import assert_accessible, assert_no_console_errors, login
    from playwright.sync_api import expect

    login(page, live_server.url, "inspecteur", PASSWORD)
    page.goto(f"{live_server.url}{check_url(akf)}")
    assert_accessible(page)
    page.get_by_label("Peildatum", exact=True).fill("2026-02-01")
    page.get_by_role("button", name="Toetsen").click()
    expect(
        page.locator(f"table[data-norm-set='{AKF26}'] tr[data-status='violation']")
    ).to_have_count(1)
    page.get_by_role("button", name="Toets vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "De toets van 01-02-2026 is vastgelegd"
    )
    expect(page.locator("#latest-check")).to_contain_text(LIVING_14.format(15))
    assert Check.objects.get().actor == "inspecteur"
    assert_accessible(page)
    assert_no_console_errors(page)
