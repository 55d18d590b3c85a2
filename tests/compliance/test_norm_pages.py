"""The norm pages: the list of norm sets (for the whole network, filtered by day, downloads),
one set with its norms and history, editing a norm (the province admin only, with a reason,
errors at their field) and the signal thresholds."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import lxml.html
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waardig.compliance import services
from waardig.compliance.models import Norm, NormChange, NormSet, SignalParameters

pytestmark = pytest.mark.django_db

LIST = reverse("compliance-norm-sets")
SIGNALS = reverse("compliance-signal-parameters")
PROVINCE = "Provinciale ondergrens Limburg 2025-2027"
WGV = "Wet goed verhuurderschap"
SNF = "SNF-norm (bestaande set)"
SNF25 = "SNF-norm vanaf 1 juli 2025 (nieuwbouw, hotels en pensions)"
AKF24 = "AKF 2024"
AKF26 = "AKF 2026"
NETWORK_ROLES = [
    "province_admin", "analyst", "coordinator", "venlo_officer", "maastricht_officer",
    "inspector", "member",
]  # fmt: skip
NOT_ADMIN = [role for role in NETWORK_ROLES if role != "province_admin"]


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def html_of(client: Client, url: str, data=None, status: int = 200):
    response = client.get(url, data or {})
    assert response.status_code == status, (url, response.status_code)
    return lxml.html.fromstring(response.content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def norm(set_name: str, kind: str) -> Norm:
    return Norm.objects.select_related("norm_set").get(norm_set__name=set_name, kind=kind)


def set_url(name: str) -> str:
    return reverse("compliance-norm-set", args=[NormSet.objects.get(name=name).pk])


def edit_url(n: Norm) -> str:
    return reverse("compliance-norm-edit", args=[n.pk])


def listed(page) -> dict[str, str]:
    """Each set in the list with whether it holds today."""
    return {
        text(row.xpath("./th")[0]): row.xpath("./td[@data-today]/@data-today")[0]
        for row in page.get_element_by_id("norm-sets").xpath(".//tbody/tr")
    }


def described(page, element_id: str) -> dict[str, str]:
    """A definition list as {term: first line of its description}."""
    dl = page.get_element_by_id(element_id)
    pairs = zip(dl.xpath("./dt"), dl.xpath("./dd"), strict=True)
    return {text(dt): (dd.text or "").strip() for dt, dd in pairs}


def field_error(page, name: str) -> str:
    errors = page.xpath(f"//*[@id='id_{name}_error']")
    return text(errors[0]) if errors else ""


# -- the list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", NETWORK_ROLES)
def test_every_network_role_sees_the_norm_sets_and_which_hold_today(role, users):
    page = html_of(client_for(users[role]), LIST)
    today = timezone.localdate()
    expected = {
        s.name: "valid" if s.valid_from <= today and (s.valid_to is None or s.valid_to >= today)
        else "not-valid"
        for s in NormSet.objects.all()
    }  # fmt: skip
    assert listed(page) == expected
    assert set(expected) == {PROVINCE, WGV, SNF, SNF25, AKF24, AKF26}
    table = page.get_element_by_id("norm-sets")
    assert table.xpath("./caption") and table.xpath("./thead//th[@scope='col']")
    akf = next(r for r in table.xpath(".//tbody/tr") if text(r.xpath("./th")[0]) == AKF24)
    cells = [text(td) for td in akf.xpath("./td")]
    assert cells[0] == "15-08-2024 – 31-12-2025"
    assert cells[1:4] == ["alle woonvormen", "AKF", "3"]
    assert "Agrarisch Keurmerk Flexwonen" in cells[4]
    snf25 = next(r for r in table.xpath(".//tbody/tr") if text(r.xpath("./th")[0]) == SNF25)
    assert [text(td) for td in snf25.xpath("./td")][:3] == [
        "01-07-2025 – doorlopend", "hotel of pension", "SNF",
    ]  # fmt: skip
    downloads = page.xpath("//a[contains(@href, '/export/compliance-norms.')]/@href")
    assert {href.rsplit(".", 1)[1] for href in downloads} == {"csv", "xlsx", "json"}
    assert page.xpath(f"//a[@href='{SIGNALS}']")


def test_the_list_is_not_for_the_public():
    response = client_for().get(LIST)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("day", "sets"),
    [
        ("2024-06-01", {WGV, SNF}),
        ("2024-08-15", {WGV, SNF, AKF24}),
        ("2025-07-01", {PROVINCE, WGV, SNF, SNF25, AKF24}),
        ("2026-01-01", {PROVINCE, WGV, SNF, SNF25, AKF26}),
        ("2028-01-01", {WGV, SNF, SNF25, AKF26}),
        ("1999-12-31", set()),
    ],
)
def test_the_filter_shows_the_sets_valid_on_a_day(day, sets, users):
    page = html_of(client_for(users["analyst"]), LIST, {"valid_on": day})
    shown = set(listed(page)) if sets else set()
    assert shown == sets
    status = text(page.get_element_by_id("norm-set-count"))
    assert status.startswith(f"{len(sets)} normenset") and day[8:] + "-" in status
    if not sets:
        assert "Op die dag gold geen enkele normenset." in text(page.xpath("//main")[0])
    else:
        link = page.xpath("//a[contains(@href, '/export/compliance-norms.csv')]/@href")[0]
        assert link.endswith(f"?valid_on={day}")


def test_a_wrong_day_is_an_error_at_its_field_and_shows_every_set(users):
    page = html_of(client_for(users["member"]), LIST, {"valid_on": "2025-13-01"})
    assert field_error(page, "valid_on")
    assert len(listed(page)) == 6


# -- one set -----------------------------------------------------------------------------------


def norms_table(page) -> dict[str, list[str]]:
    return {
        row.get("data-code"): [text(c) for c in row.xpath("./th|./td")]
        for row in page.get_element_by_id("norms").xpath(".//tbody/tr")
    }


def test_a_set_shows_its_norms_in_words_and_its_source(users):
    page = html_of(client_for(users["member"]), set_url(PROVINCE))
    rows = norms_table(page)
    assert rows == {
        "one-per-bedroom": ["Personen per slaapkamer", "max. 1 per slaapkamer", "hoog", "–"],
        "living-area": ["Woonoppervlak per persoon", "min. 15 m² per persoon", "hoog", "–"],
        "short-stay": [
            "Aaneengesloten verblijf op short-stay-locatie",
            "max. 4 maanden verblijf binnen 12 maanden (kort verblijf)",
            "middel",
            "Kort verblijf: ten hoogste 4 maanden aaneengesloten binnen een periode van ten "
            "hoogste een jaar.",
        ],
        "transition": [
            "Overgangstermijn huurcontract",
            "min. 28 dagen na het einde van het werk",
            "middel",
            "Tijdelijke huurcontracten: ten minste een maand overgangstermijn, niet dakloos op "
            "de dag dat het werk eindigt.",
        ],
        "certificate": [
            "Geldig keurmerk", "verplicht: een geldig keurmerk (SNF of AKF)", "middel", "–",
        ],
    }  # fmt: skip
    facts = text(page.get_element_by_id("norm-set-facts"))
    assert "01-01-2025 – 31-12-2027" in facts and "Integrale Aanpak Arbeidsmigratie" in facts
    assert "De ondergrens die de provincie" in text(page.xpath("//main")[0])
    assert not page.xpath("//a[contains(@href, '/wijzigen/')]")  # the member may not edit
    assert page.get_element_by_id("norm-history-empty") is not None


def test_a_norm_for_some_housing_forms_says_so(users):
    rows = norms_table(html_of(client_for(users["analyst"]), set_url(SNF)))
    assert rows["living-area-lodging"][:2] == [
        "Woonoppervlak per persoon alleen: hotel of pension, units in een gebouwencomplex, "
        "flexwoningen (woonunits), recreatiepark, op het terrein van de werkgever",
        "min. 10 m² per persoon",
    ]
    assert rows["living-area-residential"][:2] == [
        "Woonoppervlak per persoon alleen: reguliere woning", "min. 12 m² per persoon",
    ]  # fmt: skip
    assert rows["bedroom-area"][1] == "min. 3,5 m² slaapkamer per persoon"
    assert rows["toilets"][1] == "max. 8 personen per toilet"


def test_only_the_admin_sees_the_edit_links(users):
    page = html_of(client_for(users["province_admin"]), set_url(PROVINCE))
    links = page.xpath("//table[@id='norms']//a[contains(@href, '/wijzigen/')]/@href")
    assert sorted(links) == sorted(
        edit_url(n) for n in Norm.objects.filter(norm_set__name=PROVINCE)
    )
    for role in NOT_ADMIN:
        page = html_of(client_for(users[role]), set_url(PROVINCE))
        assert not page.xpath("//a[contains(@href, '/wijzigen/')]"), role


def test_an_unknown_set_is_404(users):
    assert client_for(users["analyst"]).get("/toezicht/normen/99999/").status_code == 404


# -- editing a norm ----------------------------------------------------------------------------


def test_the_admin_changes_a_norm_and_the_set_shows_the_history(users):
    admin = client_for(users["province_admin"])
    living = norm(AKF26, "living_area_per_person")
    page = html_of(admin, edit_url(living))
    names = page.xpath("//main//form[@method='post']//*[@name]/@name")
    assert names == ["csrfmiddlewaretoken", "limit", "severity", "reason"]
    assert page.xpath("//input[@name='limit']/@value") == ["15"]

    response = admin.post(
        edit_url(living),
        {"limit": "14", "severity": "medium", "reason": "Bestuursbesluit (fictief)"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{set_url(AKF26)}#norm-{living.pk}"
    living.refresh_from_db()
    assert (living.limit, living.severity) == (Decimal(14), "medium")
    change = NormChange.objects.get(norm=living)
    assert (change.reason, change.actor, change.user) == (
        "Bestuursbesluit (fictief)", "provincie", users["province_admin"],
    )  # fmt: skip
    page = html_of(admin, set_url(AKF26))
    assert "De norm is gewijzigd" in text(page.xpath("//main")[0])
    assert norms_table(page)["living-area"][1] == "min. 14 m² per persoon"
    history = page.get_element_by_id("norm-history")
    row = history.xpath(".//tbody/tr")[0]
    assert [text(td) for td in row.xpath("./td")][1:3] == [
        "provincie", "Woonoppervlak per persoon (living-area)",
    ]  # fmt: skip
    assert [text(li) for li in row.xpath(".//li")] == ["grens: 15 → 14", "ernst: hoog → middel"]
    assert text(row.xpath("./td")[-1]) == "Bestuursbesluit (fictief)"
    # The history is everyone's to read, on the page and as a download.
    member_page = html_of(client_for(users["member"]), set_url(AKF26))
    assert member_page.get_element_by_id("norm-history") is not None
    own_history = html_of(admin, edit_url(living)).get_element_by_id("norm-history")
    assert "grens: 15 → 14" in text(own_history)


def test_a_stay_norm_has_a_window_and_a_requirement_no_limit(users):
    admin = client_for(users["province_admin"])
    stay = norm(PROVINCE, "consecutive_stay")
    page = html_of(admin, edit_url(stay))
    assert page.xpath("//main//form[@method='post']//*[@name]/@name")[1:] == [
        "limit", "window_months", "severity", "reason",
    ]  # fmt: skip
    certificate = norm(PROVINCE, "valid_certificate")
    page = html_of(admin, edit_url(certificate))
    assert page.xpath("//main//form[@method='post']//*[@name]/@name")[1:] == ["severity", "reason"]

    response = admin.post(edit_url(stay), {
        "limit": "3", "window_months": "6", "severity": "high", "reason": "Korter (fictief)",
    })  # fmt: skip
    assert response.status_code == 302
    assert NormChange.objects.get(norm=stay).changes == {
        "limit": ["4.00", "3.00"], "window_months": ["12", "6"], "severity": ["medium", "high"],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        ("living_area_per_person", {"limit": "14", "severity": "high", "reason": ""},
         "reason", "Geef de reden van de wijziging."),
        ("living_area_per_person", {"limit": "14", "severity": "high", "reason": "   "},
         "reason", "Geef de reden van de wijziging."),
        ("living_area_per_person", {"limit": "-1", "severity": "high", "reason": "x"},
         "limit", "minstens 0"),
        ("living_area_per_person", {"limit": "veel", "severity": "high", "reason": "x"},
         "limit", "Voer een getal in."),
        ("living_area_per_person", {"limit": "14.555", "severity": "high", "reason": "x"},
         "limit", "niet meer dan 2 cijfers achter de komma"),
        ("persons_per_bedroom", {"limit": "0", "severity": "high", "reason": "x"},
         "limit", "Een maximum van 0 laat niemand toe"),
        ("living_area_per_person", {"limit": "14", "severity": "extreme", "reason": "x"},
         "severity", "Selecteer een geldige keuze."),
        ("consecutive_stay", {"limit": "4", "window_months": "", "severity": "high",
                              "reason": "x"},
         "window_months", "Een verblijfsnorm heeft een periode nodig."),
        ("consecutive_stay", {"limit": "4", "window_months": "0", "severity": "high",
                              "reason": "x"},
         "window_months", "minstens 1"),
    ],
)  # fmt: skip
def test_a_wrong_value_is_shown_at_its_field_and_nothing_changes(kind, data, field, message, users):
    target = norm(PROVINCE, kind)
    response = client_for(users["province_admin"]).post(edit_url(target), data)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    assert message in field_error(page, field)
    others = [name for name in ("limit", "window_months", "severity", "reason") if name != field]
    assert not any(field_error(page, other) for other in others)
    assert page.xpath(f"//*[@name='{field}']/@aria-invalid") == ["true"]
    assert not NormChange.objects.exists()
    assert Norm.objects.get(pk=target.pk).limit == target.limit


def test_saving_the_same_values_changes_nothing(users):
    admin = client_for(users["province_admin"])
    living = norm(PROVINCE, "living_area_per_person")
    response = admin.post(
        edit_url(living), {"limit": "15.00", "severity": "high", "reason": "Controle"}, follow=True
    )
    assert "Er is niets gewijzigd." in response.content.decode()
    assert not NormChange.objects.exists()


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_nobody_but_the_admin_may_open_or_post_the_edit_page(role, users):
    target = norm(PROVINCE, "living_area_per_person")
    client = client_for(users[role])
    assert client.get(edit_url(target)).status_code == 403
    data = {"limit": "1", "severity": "low", "reason": "Poging"}
    assert client.post(edit_url(target), data).status_code == 403
    assert Norm.objects.get(pk=target.pk).limit == Decimal(15)
    assert not NormChange.objects.exists()


def test_the_public_is_sent_to_the_login_page(db):
    target = norm(PROVINCE, "living_area_per_person")
    for url in (edit_url(target), set_url(PROVINCE), SIGNALS):
        response = client_for().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# -- downloads ---------------------------------------------------------------------------------


def download(client: Client, kind: str, fmt: str, data=None, status: int = 200):
    response = client.get(reverse("export", args=[kind, fmt]), data or {})
    assert response.status_code == status, response.status_code
    return response.content


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_norms_download_in_three_formats(users):
    client = client_for(users["member"])
    rows = csv_rows(download(client, "compliance-norms", "csv"))
    assert len(rows) == Norm.objects.count() == 21
    bedroom = next(r for r in rows if r["norm_set"] == PROVINCE and r["code"] == "one-per-bedroom")
    assert (bedroom["limit"], bedroom["bound"], bedroom["norm"], bedroom["valid_to"]) == (
        "1.00", "max", "max. 1 per slaapkamer", "2027-12-31",
    )  # fmt: skip
    lodging = next(r for r in rows if r["code"] == "living-area-lodging")
    assert lodging["norm_housing_forms"] == "hotel, complex, flex, recreation, employer_site"
    assert lodging["set_certifications"] == "snf"

    sheet = openpyxl.load_workbook(io.BytesIO(download(client, "compliance-norms", "xlsx"))).active
    values = list(sheet.values)
    assert values[0][:3] == ("norm_set", "source", "source_url") and len(values) == 22

    records = json.loads(download(client, "compliance-norms", "json", {"valid_on": "2024-06-01"}))
    assert {r["norm_set"] for r in records} == {WGV, SNF}
    assert len(records) == 1 + 7

    one = csv_rows(download(client, "compliance-norms", "csv", {
        "norm_set": NormSet.objects.get(name=AKF26).pk,
    }))  # fmt: skip
    assert [r["code"] for r in one] == ["two-per-bedroom", "living-area", "certificate"]


def test_wrong_download_options_are_refused(users):
    client = client_for(users["analyst"])
    download(client, "compliance-norms", "csv", {"valid_on": "morgen"}, status=400)
    download(client, "compliance-norms", "csv", {"norm_set": "99999"}, status=404)
    download(client, "compliance-norm-changes", "csv", {"norm_set": "abc"}, status=400)


def test_the_change_history_downloads_one_row_per_parameter(users):
    admin = users["province_admin"]
    stay = norm(PROVINCE, "consecutive_stay")
    services.edit_norm(admin, stay, "Korter (fictief)", limit=Decimal(3), window_months=6)
    services.edit_norm(admin, norm(AKF26, "living_area_per_person"), "AKF (fictief)", limit="14")
    client = client_for(users["venlo_officer"])
    rows = csv_rows(download(client, "compliance-norm-changes", "csv"))
    assert [(r["norm_set"], r["parameter"], r["old"], r["new"], r["actor"]) for r in rows] == [
        (AKF26, "limit", "15.00", "14.00", "provincie"),
        (PROVINCE, "limit", "4.00", "3.00", "provincie"),
        (PROVINCE, "window_months", "12", "6", "provincie"),
    ]
    only = csv_rows(download(client, "compliance-norm-changes", "csv", {
        "norm_set": NormSet.objects.get(name=PROVINCE).pk,
    }))  # fmt: skip
    assert {r["reason"] for r in only} == {"Korter (fictief)"}
    assert (
        client_for().get(reverse("export", args=["compliance-norm-changes", "csv"])).status_code
        == 302
    )


# -- signal thresholds -------------------------------------------------------------------------


@pytest.mark.parametrize("role", NETWORK_ROLES)
def test_the_network_reads_the_signal_thresholds_and_only_the_admin_gets_a_form(role, users):
    page = html_of(client_for(users[role]), SIGNALS)
    assert described(page, "current-signal-parameters") == {
        "Minimaal vloeroppervlak per ingeschreven persoon (m²)": "12",
        "RNI: maximaal aantal maanden": "4",
        "RNI: binnen hoeveel maanden": "6",
        "Minimale registratiegraad per locatie": "0,8",
        "Signaal d: minimaal aantal gasten": "3",
        "Signaal g: minimaal aantal huishoudens op één adres": "4",
    }
    history = page.get_element_by_id("signal-parameters-history")
    assert "Standaardwaarden van Waardig" in text(history)
    assert bool(page.xpath("//main//form[@method='post']//*[@name='reason']")) == (
        role == "province_admin"
    )


def test_the_admin_sets_new_thresholds_with_a_reason(users):
    admin = client_for(users["province_admin"])
    page = html_of(admin, SIGNALS)
    assert page.xpath("//input[@name='floor_area_per_person']/@value") == ["12.0"]
    data = {
        "floor_area_per_person": "10", "rni_max_months": "4", "rni_window_months": "6",
        "registration_rate_min": "0.75", "min_guests": "3", "unrelated_households": "4",
        "reason": "Afspraak met de LAA (fictief)",
    }  # fmt: skip
    response = admin.post(SIGNALS, data)
    assert response.status_code == 302 and response["Location"] == SIGNALS
    latest = SignalParameters.objects.order_by("-at", "-id").first()
    assert (latest.floor_area_per_person, latest.registration_rate_min, latest.actor) == (
        Decimal(10), Decimal("0.75"), "provincie",
    )  # fmt: skip
    page = html_of(admin, SIGNALS)
    first_row = page.get_element_by_id("signal-parameters-history").xpath(".//tbody/tr")[0]
    cells = first_row.xpath("./td")
    assert (text(cells[1]), text(cells[3])) == ("provincie", "Afspraak met de LAA (fictief)")
    assert [text(li) for li in cells[2].xpath(".//li")] == [
        "minimaal vloeroppervlak per ingeschreven persoon (m²): 12 → 10",
        "minimale registratiegraad per locatie: 0,8 → 0,75",
    ]
    current = described(page, "current-signal-parameters")
    assert current["Minimaal vloeroppervlak per ingeschreven persoon (m²)"] == "10"
    assert current["Minimale registratiegraad per locatie"] == "0,75"


def test_signal_thresholds_need_a_reason_and_a_window_that_holds_the_months(users):
    admin = client_for(users["province_admin"])
    data = {
        "floor_area_per_person": "12", "rni_max_months": "8", "rni_window_months": "6",
        "registration_rate_min": "1.5", "min_guests": "3", "unrelated_households": "4",
        "reason": "",
    }  # fmt: skip
    response = admin.post(SIGNALS, data)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    assert field_error(page, "reason") == "Geef de reden van de wijziging."
    assert "past niet in de periode van 6 maanden" in field_error(page, "rni_max_months")
    assert field_error(page, "registration_rate_min")
    assert SignalParameters.objects.count() == 1


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_others_may_not_post_signal_thresholds(role, users):
    data = {"floor_area_per_person": "5", "reason": "Poging"}
    assert client_for(users[role]).post(SIGNALS, data).status_code == 403
    assert SignalParameters.objects.count() == 1


def test_the_signal_thresholds_download(users):
    services.set_signal_parameters(users["province_admin"], "Strenger (fictief)", min_guests=5)
    rows = csv_rows(
        download(client_for(users["coordinator"]), "compliance-signal-parameters", "csv")
    )
    assert [(r["reason"], r["min_guests"]) for r in rows] == [
        ("Strenger (fictief)", "5"), ("Standaardwaarden van Waardig", "3"),
    ]  # fmt: skip
    assert datetime.datetime.fromisoformat(rows[0]["at"]).date() == timezone.localdate()


# -- in the browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_changes_a_norm_with_a_reason_in_the_browser(page, live_server, users):
    from browser import assert_accessible, assert_no_console_errors, login
    from fixtures import PASSWORD
    from playwright.sync_api import expect

    login(page, live_server.url, "provincie", PASSWORD)
    page.goto(f"{live_server.url}{LIST}")
    assert_accessible(page)
    page.get_by_label("Geldig op").fill("2026-02-01")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("#norm-sets tbody tr")).to_have_count(5)
    page.get_by_role("link", name=AKF26).click()
    assert_accessible(page)
    page.locator("#norms tr[data-code='living-area']").get_by_role("link").click()
    page.get_by_label("Grens (m²)").fill("14")
    page.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.locator("#id_reason_error")).to_have_text("Geef de reden van de wijziging.")
    assert_accessible(page)
    page.get_by_label("Reden van de wijziging").fill("Besluit AKF-bestuur (fictief)")
    page.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.locator("#norms tr[data-code='living-area'] td[data-limit]")).to_have_text(
        "min. 14 m² per persoon"
    )
    expect(page.locator("#norm-history")).to_contain_text("grens: 15 → 14")
    expect(page.locator("#norm-history")).to_contain_text("Besluit AKF-bestuur (fictief)")
    assert NormChange.objects.get().reason == "Besluit AKF-bestuur (fictief)"
    assert_no_console_errors(page)
