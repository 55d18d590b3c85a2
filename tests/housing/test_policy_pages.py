"""The policy inventory's pages: the matrix for the network with its counts, the edit page of
one cell (who may open it, what it refuses, its own history) and the history of changes."""

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from fixtures import MAASTRICHT, VENLO

from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.housing import services
from waardig.housing.models import Instrument, PolicyChange, PolicyEntry, PolicyStatus
from waardig.housing.policy_views import CHANGES_PER_PAGE
from waardig.organisations.models import Person

pytestmark = pytest.mark.django_db

MATRIX = reverse("housing-policy")
HISTORY = reverse("housing-policy-history")
SHORT_STAY = Instrument.SHORT_STAY_POLICY
NOORD_ADOPTED = (VENLO, "GM0984", "GM1507", "GM0907")  # Venlo, Venray, Horst, Gennep
NOORD_PREPARING = "GM1894"  # Peel en Maas


def edit_url(code: str = VENLO, instrument: str = SHORT_STAY) -> str:
    return reverse("housing-policy-edit", args=[code, instrument])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(client: Client, url: str, data=None, status: int = 200):
    response = client.get(url, data or {})
    assert response.status_code == status, (url, response.status_code)
    return lxml.html.fromstring(response.content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def enter(actor, code: str, status: str, instrument: str = SHORT_STAY, **values) -> PolicyEntry:
    entry, _ = services.set_policy(
        actor, Municipality.objects.get(code=code), instrument, status=status, **values
    )
    return entry


@pytest.fixture
def noord(areas):
    for code in NOORD_ADOPTED:
        enter(SYSTEM, code, PolicyStatus.ADOPTED)
    enter(SYSTEM, NOORD_PREPARING, PolicyStatus.PREPARATION)


# --- the matrix ------------------------------------------------------------------------------


def test_the_member_sees_the_matrix_with_the_counts_of_noord_but_may_not_edit(noord, users):
    page = html_of(client_for(users["member"]), MATRIX)
    table = page.get_element_by_id("policy-matrix")
    assert table.xpath("./caption")
    headers = [text(th) for th in table.xpath("./thead//th")]
    assert headers[0] == "Gemeente" and len(headers) == 1 + len(Instrument)
    rows = table.xpath(".//tr[@data-municipality]")
    assert len(rows) == Municipality.objects.current().count()
    venlo = table.xpath(f".//tr[@data-municipality='{VENLO}']")[0]
    assert venlo.xpath("./th[@scope='row']")[0].text_content() == "Venlo"
    statuses = venlo.xpath("./td/@data-status")
    assert statuses[0] == PolicyStatus.ADOPTED and set(statuses[1:]) == {PolicyStatus.UNKNOWN}
    assert "vastgesteld" in text(venlo.xpath("./td")[0])
    noord_counts = table.xpath(".//tr[@data-counts='Noord']/td")[0]
    assert text(noord_counts.xpath(".//*[@data-summary]")[0]) == (
        "4 van 8 vastgesteld, 1 in voorbereiding"
    )
    assert "3 onbekend" in text(noord_counts)
    province = table.xpath(".//tr[@data-counts-province='Limburg']/td")[0]
    assert text(province.xpath(".//*[@data-summary]")[0]) == (
        "4 van 31 vastgesteld, 1 in voorbereiding"
    )
    assert not page.xpath("//a[contains(@href, '/huisvesting/beleid/GM')]")
    downloads = page.xpath("//a[contains(@href, '/export/housing-policy.')]/@href")
    assert {href.split("?")[0].rsplit(".", 1)[1] for href in downloads} == {"csv", "xlsx", "json"}
    assert client_for(users["member"]).get(edit_url()).status_code == 403


def test_an_empty_inventory_says_so(areas, users):
    page = html_of(client_for(users["analyst"]), MATRIX)
    assert "Er is nog niets ingevuld" in text(page.xpath("//main")[0])
    province = page.xpath("//tr[@data-counts-province='Limburg']/td")[0]
    assert text(province.xpath(".//*[@data-summary]")[0]) == "0 van 31 vastgesteld"


def test_one_instrument_shows_a_summary_per_region(noord, users):
    page = html_of(
        client_for(users["coordinator"]), MATRIX, {"instrument": SHORT_STAY, "grouping": "corop"}
    )
    matrix = page.get_element_by_id("policy-matrix")
    assert len(matrix.xpath("./thead//th")) == 2
    summary = page.get_element_by_id("policy-summary")
    assert summary.xpath("./caption")
    regions = {
        row.get("data-region"): {
            td.get("data-status"): int(td.text) for td in row.xpath("./td[@data-status]")
        }
        for row in summary.xpath(".//tr[@data-region]")
    }
    # COROP Noord-Limburg is admin Noord without Beesel (which has nothing entered).
    noord = next(counts for name, counts in regions.items() if name.startswith("Noord"))
    assert noord == {"adopted": 4, "preparation": 1, "none": 0, "unknown": 2}
    assert sum(c["adopted"] for c in regions.values()) == len(NOORD_ADOPTED)
    province = summary.xpath(".//tr[@data-province='Limburg']/td[@data-status='unknown']")[0]
    assert int(province.text) == 31 - len(NOORD_ADOPTED) - 1
    counts_link = page.xpath("//a[contains(@href, '/export/housing-policy-counts.csv')]/@href")
    assert counts_link and "instrument=short_stay_policy" in counts_link[0]
    assert "grouping=corop" in counts_link[0]


def test_the_officer_gets_edit_links_for_their_own_municipality_only(noord, users):
    page = html_of(client_for(users["venlo_officer"]), MATRIX)
    links = set(page.xpath("//table[@id='policy-matrix']//a[contains(@href, '/beleid/GM')]/@href"))
    assert links == {edit_url(VENLO, instrument) for instrument in Instrument}
    admin = html_of(client_for(users["province_admin"]), MATRIX)
    admin_links = admin.xpath("//table[@id='policy-matrix']//a[contains(@href, '/beleid/GM')]")
    assert len(admin_links) == Municipality.objects.current().count() * len(Instrument)


def test_the_public_is_sent_to_log_in(areas):
    assert Client().get(MATRIX).status_code == 302
    assert Client().get(HISTORY).status_code == 302


# --- editing one cell ------------------------------------------------------------------------


def test_the_venlo_officer_edits_venlo_and_gets_404_for_maastricht(areas, users):
    officer = client_for(users["venlo_officer"])
    form = html_of(officer, edit_url())
    assert form.xpath("//form[@method='post']//select[@name='status']")
    for name in ("status", "decided_on", "document_url", "contact", "notes"):
        field = form.xpath(f"//*[@name='{name}']")[0]
        assert form.xpath(f"//label[@for='{field.get('id')}']"), name
    response = officer.post(
        edit_url(),
        {"status": "preparation", "decided_on": "2024-03-01", "document_url": "https://venlo.test/ss",
         "notes": "Nota in de raad", "contact": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"{MATRIX}#{VENLO}"
    entry = PolicyEntry.objects.get(municipality__code=VENLO, instrument=SHORT_STAY)
    assert (entry.status, str(entry.decided_on), entry.notes) == (
        "preparation",
        "2024-03-01",
        "Nota in de raad",
    )
    change = entry.changes.get()
    assert (change.actor, change.user, change.previous_status) == (
        "venlo",
        users["venlo_officer"],
        "",
    )
    for url in (edit_url(MAASTRICHT), edit_url(MAASTRICHT, Instrument.LANDLORD_LICENCE)):
        assert officer.get(url).status_code == 404
        assert officer.post(url, {"status": "adopted"}).status_code == 404
    assert not PolicyEntry.objects.filter(municipality__code=MAASTRICHT).exists()


def test_unknown_municipality_or_instrument_answer_404(areas, users):
    admin = client_for(users["province_admin"])
    assert admin.get(edit_url(VENLO)).status_code == 200
    assert admin.get(edit_url(VENLO.lower())).status_code == 200
    assert admin.get(edit_url("GM9999")).status_code == 404
    assert admin.get(edit_url(VENLO, "curfew")).status_code == 404
    assert admin.get(edit_url("GM0951")).status_code == 404  # Nuth: merged in 2019


def test_roles_that_only_read_get_403_on_the_edit_page(areas, users):
    for role in ("member", "coordinator", "inspector"):
        client = client_for(users[role])
        assert client.get(edit_url()).status_code == 403, role
        assert client.post(edit_url(), {"status": "adopted"}).status_code == 403, role
    assert not PolicyEntry.objects.exists()
    assert Client().get(edit_url()).status_code == 302


def test_an_invalid_document_link_is_refused_with_a_field_error(areas, users):
    officer = client_for(users["venlo_officer"])
    response = officer.post(
        edit_url(), {"status": "adopted", "document_url": "geen adres maar tekst"}
    )
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    field = page.xpath("//input[@name='document_url']")[0]
    error = page.get_element_by_id(f"{field.get('id')}_error")
    assert "URL" in text(error)
    assert field.getparent().get("class").endswith("utrecht-form-field--invalid")
    assert not PolicyEntry.objects.exists() and not PolicyChange.objects.exists()


def test_the_contact_list_offers_the_municipalitys_contact_persons_first(contacts, users):
    Person.objects.create(name="Aad Anders", email="aad@elders.test")
    page = html_of(client_for(users["venlo_officer"]), edit_url())
    groups = page.xpath("//select[@name='contact']/optgroup")
    assert [g.get("label") for g in groups] == ["Contactpersonen van Venlo", "Andere personen"]
    assert [o.text for o in groups[0].xpath("./option")] == ["Anna Venlo"]
    assert "Aad Anders" in [o.text for o in groups[1].xpath("./option")]
    anna = Person.objects.get(name="Anna Venlo")
    response = client_for(users["venlo_officer"]).post(
        edit_url(), {"status": "adopted", "contact": anna.pk}
    )
    assert response.status_code == 302
    assert PolicyEntry.objects.get(municipality__code=VENLO).contact == anna


def test_the_edit_page_shows_the_cells_own_history(areas, users):
    enter(users["venlo_officer"], VENLO, PolicyStatus.PREPARATION)
    enter(users["province_admin"], VENLO, PolicyStatus.ADOPTED, notes="Besluit van de raad")
    enter(users["province_admin"], VENLO, PolicyStatus.NONE, instrument=Instrument.LANDLORD_LICENCE)
    page = html_of(client_for(users["analyst"]), edit_url())
    table = page.get_element_by_id("policy-cell-history")
    rows = table.xpath("./tbody/tr")
    assert [(text(r.xpath("./td[@data-actor]")[0]), r.xpath("./td[@data-to]/@data-from")[0],
             r.xpath("./td/@data-to")[0]) for r in rows] == [
        ("provincie", "preparation", "adopted"),
        ("venlo", "", "preparation"),
    ]  # fmt: skip
    assert "Besluit van de raad" in text(rows[0])
    empty = html_of(client_for(users["analyst"]), edit_url(MAASTRICHT))
    assert "nog niets vastgelegd" in text(empty.xpath("//main")[0])


# --- the history -----------------------------------------------------------------------------


def test_the_history_shows_who_changed_what(areas, users):
    enter(users["venlo_officer"], VENLO, PolicyStatus.PREPARATION)
    enter(users["analyst"], VENLO, PolicyStatus.ADOPTED)
    member = client_for(users["member"])
    page = html_of(member, HISTORY)
    table = page.get_element_by_id("policy-history")
    assert table.xpath("./caption")
    rows = table.xpath("./tbody/tr")
    assert [text(r.xpath("./td[@data-actor]")[0]) for r in rows] == ["analist", "venlo"]
    first = [text(td) for td in rows[0].xpath("./td")]
    assert first[2:5] == [
        "Venlo",
        "beleid short-stay huisvesting",
        "in voorbereiding → vastgesteld",
    ]
    assert "(nieuw) → in voorbereiding" in text(rows[1])
    enter(users["province_admin"], VENLO, PolicyStatus.ADOPTED, notes="Alleen de toelichting")
    latest = html_of(member, HISTORY).xpath("//table[@id='policy-history']/tbody/tr")[0]
    assert "vastgesteld (status ongewijzigd)" in text(latest)
    assert "Alleen de toelichting" in text(latest)
    downloads = page.xpath("//a[contains(@href, '/export/housing-policy-history.')]")
    assert len(downloads) == 3


def test_the_history_filters_by_municipality_and_instrument(areas, users):
    enter(users["venlo_officer"], VENLO, PolicyStatus.PREPARATION)
    enter(users["venlo_officer"], VENLO, PolicyStatus.NONE, instrument=Instrument.GUEST_REGISTER)
    enter(users["maastricht_officer"], MAASTRICHT, PolicyStatus.ADOPTED)
    member = client_for(users["member"])

    def shown(**filters) -> list[tuple[str, str]]:
        page = html_of(member, HISTORY, filters)
        return [
            (text(r.xpath("./td")[2]), r.xpath("./td/@data-to")[0])
            for r in page.xpath("//table[@id='policy-history']/tbody/tr")
        ]

    assert len(shown()) == 3
    assert shown(municipality=MAASTRICHT) == [("Maastricht", "adopted")]
    assert shown(municipality=VENLO, instrument=SHORT_STAY) == [("Venlo", "preparation")]
    assert shown(instrument=Instrument.GUEST_REGISTER) == [("Venlo", "none")]
    assert len(shown(instrument="curfew")) == 3  # an unknown filter value is left out
    empty = html_of(member, HISTORY, {"municipality": MAASTRICHT, "instrument": "guest_register"})
    assert not empty.xpath("//table[@id='policy-history']")
    assert "Geen wijzigingen gevonden met deze filters" in text(empty.xpath("//main")[0])
    page = html_of(member, HISTORY, {"municipality": VENLO, "instrument": SHORT_STAY})
    link = page.xpath("//a[contains(@href, '/export/housing-policy-history.csv')]/@href")
    assert "municipality=GM0983" in link[0] and "instrument=short_stay_policy" in link[0]


def test_the_history_is_paginated_newest_first(areas, users):
    statuses = [PolicyStatus.ADOPTED, PolicyStatus.NONE]
    for number in range(CHANGES_PER_PAGE + 1):
        enter(SYSTEM, VENLO, statuses[number % 2], notes=f"wijziging {number}")
    client = client_for(users["member"])
    first = html_of(client, HISTORY)
    assert len(first.xpath("//table[@id='policy-history']/tbody/tr")) == CHANGES_PER_PAGE
    assert f"wijziging {CHANGES_PER_PAGE}" in text(first.xpath("//table/tbody/tr")[0])
    assert first.xpath(
        "//nav[contains(@class, 'waardig-pagination')]//a[contains(@href, 'page=2')]"
    )
    second = html_of(client, HISTORY, {"page": 2})
    rows = second.xpath("//table[@id='policy-history']/tbody/tr")
    assert len(rows) == 1 and "wijziging 0" in text(rows[0])


def test_an_empty_history_says_so(areas, users):
    page = html_of(client_for(users["inspector"]), HISTORY)
    assert "Er is nog niets vastgelegd" in text(page.xpath("//main")[0])
