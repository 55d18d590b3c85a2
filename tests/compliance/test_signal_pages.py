"""The overview, the queue of signals, one signal with its status flow, and their downloads:
who sees which signals (only their own municipalities'), and every view audited."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from fixtures import MAASTRICHT, VENLO, VENRAY
from openpyxl import load_workbook

from waardig.areas.models import Municipality
from waardig.compliance.engine import FoundSignal
from waardig.compliance.models import Signal, SignalChange
from waardig.compliance.scans import save_signals
from waardig.core.models import AuditEntry

TODAY = datetime.date(2026, 3, 10)
PROVINCE_ROLES = ["province_admin", "analyst", "coordinator", "member"]
PSEUDONYM = "3f9a1c7b52e04d8e" + "0" * 48  # the Venlo overstayer's (fictitious) key
OTHER_PSEUDONYM = "c0ffee12d00d5eed" + "1" * 48  # a Maastricht RNI registration's


def found(code, kind, key, score, address, pseudonym="", location_id=None, **details):
    return FoundSignal(
        kind, key, code, Decimal(score), f"fictief: {address}", location_id=location_id,
        address_id=f"{abs(hash(key)) % 10**16:016d}", address=address, pseudonym=pseudonym,
        details=details,
    )  # fmt: skip


@pytest.fixture
def signals(users, locations) -> dict[str, Signal]:
    """Venlo: an overstay (a person) and an overcrowded address; Venray: an unlisted
    address; Maastricht: an RNI registration (a person). Written as a scan writes them."""
    save_signals(
        [
            found(VENLO, "overstay", "overstay:v", 80, "Logies Venlo", PSEUDONYM,
                  location_id=locations["venlo"].pk, days=200, window_months=12),
            found(VENLO, "overcrowding", "overcrowding:v", 65, "5911 AB 10",
                  floor_area=40, persons=8),
            found(VENRAY, "unlisted", "unlisted:vr", 72, "5801 CD 3", households=6, persons=9),
            found(MAASTRICHT, "rni_overdue", "rni:m", 90, "Maastrichterweg 9", OTHER_PSEUDONYM,
                  days=170),
        ],
        TODAY,
    )  # fmt: skip
    return {s.key: s for s in Signal.objects.all()} | {
        "venlo": Signal.objects.get(key="overstay:v"),
        "crowded": Signal.objects.get(key="overcrowding:v"),
        "venray": Signal.objects.get(key="unlisted:vr"),
        "maastricht": Signal.objects.get(key="rni:m"),
    }


def client_of(users, role: str) -> Client:
    client = Client()
    if role != "public":
        client.force_login(users[role])
    return client


def views_by(user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(user=user, action="view").order_by("id"))


# -- the queue ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("venlo_officer", ["Logies Venlo", "5911 AB 10"], ["5801 CD 3", "Maastrichterweg 9"]),
        ("inspector", ["Logies Venlo", "5801 CD 3", "5911 AB 10"], ["Maastrichterweg 9"]),
        ("maastricht_officer", ["Maastrichterweg 9"], ["Logies Venlo", "5911 AB 10", "5801 CD 3"]),
    ],
)
def test_the_queue_holds_the_signals_of_the_users_municipalities_by_score(
    users, signals, role, shown, hidden
):
    page = client_of(users, role).get("/toezicht/signalen/").content.decode()
    positions = [page.index(address) for address in shown]
    assert positions == sorted(positions)  # highest score first
    for address in hidden:
        assert address not in page
    assert "Een signaal is een aanwijzing, geen besluit: een bezoek of onderzoek volgt." in page


def test_the_queue_shows_only_the_first_8_characters_of_a_pseudonym(users, signals):
    page = client_of(users, "venlo_officer").get("/toezicht/signalen/").content.decode()
    assert f"<code>{PSEUDONYM[:8]}</code>" in page
    assert PSEUDONYM[:9] not in page


def test_every_listing_is_audited_with_the_municipalities_it_showed(users, signals):
    inspector = users["inspector"]
    client = client_of(users, "inspector")
    client.get("/toezicht/signalen/")
    client.get("/toezicht/signalen/?kind=unlisted")
    first, second = views_by(inspector)
    assert (first.subject, first.municipality_codes) == ("signalen", f"{VENLO},{VENRAY}")
    assert "3 signalen" in first.detail
    assert second.municipality_codes == VENRAY and "kind=unlisted" in second.detail


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=overstay", ["Logies Venlo"]),
        ("municipality=GM0984", ["5801 CD 3"]),
        ("municipality=gm0983", ["Logies Venlo", "5911 AB 10"]),
        ("min_score=70", ["Logies Venlo", "5801 CD 3"]),
        ("min_score=72,5", ["Logies Venlo"]),
        ("q=5911", ["5911 AB 10"]),
        ("status=investigating", []),
        ("status=all&kind=nonsense", ["Logies Venlo", "5801 CD 3", "5911 AB 10"]),
        ("municipality=GM0935", []),  # not theirs: nothing, not everything
    ],
)
def test_the_filters(users, signals, query, expected):
    response = client_of(users, "inspector").get(f"/toezicht/signalen/?{query}")
    page = response.content.decode()
    listed = [
        a for a in ["Logies Venlo", "5801 CD 3", "5911 AB 10"] if a in page.split("<table")[-1]
    ]
    assert listed == expected
    assert "Maastrichterweg 9" not in page
    assert f"{len(expected)} signa" in page


def test_an_unreadable_score_is_shown_as_an_error_and_ignored(users, signals):
    page = client_of(users, "inspector").get("/toezicht/signalen/?min_score=veel").content.decode()
    assert "Geef een score van 0 tot 100, bijvoorbeeld 60." in page
    assert "3 signalen gevonden" in page


def test_an_inspector_of_venlo_filtering_on_maastricht_sees_and_logs_nothing(users, signals):
    client = client_of(users, "inspector")
    page = client.get("/toezicht/signalen/?municipality=GM0935&status=all").content.decode()
    assert "0 signalen gevonden" in page and "Maastrichterweg" not in page
    assert views_by(users["inspector"]) == []  # nothing shown, nothing to log


def test_closed_signals_leave_the_queue_but_stay_findable(users, signals):
    signal = signals["crowded"]
    signal.status, signal.outcome = "closed", "confirmed"
    signal.save()
    client = client_of(users, "venlo_officer")
    assert "5911 AB 10" not in client.get("/toezicht/signalen/").content.decode()
    assert "5911 AB 10" in client.get("/toezicht/signalen/?status=closed").content.decode()


def test_the_queue_is_paginated(users, signals, monkeypatch):
    from waardig.compliance import signal_views

    monkeypatch.setattr(signal_views, "SIGNALS_PER_PAGE", 2)
    client = client_of(users, "inspector")
    first = client.get("/toezicht/signalen/?kind=").content.decode()
    assert "Pagina 1 van 2" in first and "5911 AB 10" not in first.split("<table")[-1]
    second = client.get("/toezicht/signalen/?page=2").content.decode()
    assert "5911 AB 10" in second and "Logies Venlo" not in second.split("<table")[-1]


@pytest.mark.parametrize("role", PROVINCE_ROLES)
def test_province_roles_may_not_open_the_queue_a_signal_or_its_download(users, signals, role):
    client = client_of(users, role)
    assert client.get("/toezicht/signalen/").status_code == 403
    assert client.get(f"/toezicht/signalen/{signals['venlo'].pk}/").status_code == 403
    assert client.post(f"/toezicht/signalen/{signals['venlo'].pk}/", {}).status_code == 403
    for fmt in ("csv", "xlsx", "json"):
        assert client.get(f"/export/compliance-signals.{fmt}").status_code == 403
    assert not AuditEntry.objects.filter(user=users[role]).exists()


def test_visitors_are_sent_to_the_login_page(users, signals):
    client = Client()
    for url in ("/toezicht/", "/toezicht/signalen/", f"/toezicht/signalen/{signals['venlo'].pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


# -- the overview --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", PROVINCE_ROLES)
def test_province_roles_see_numbers_on_the_overview_never_a_signal(users, signals, role):
    response = client_of(users, role).get("/toezicht/")
    assert response.status_code == 200
    page = response.content.decode()
    for secret in ("Logies Venlo", "5911 AB 10", "Maastrichterweg", "fictief:", PSEUDONYM[:8],
                   OTHER_PSEUDONYM[:8], signals["venlo"].address_id):  # fmt: skip
        assert secret not in page
    assert "/toezicht/signalen/" not in page.split('id="signal-counts"')[1]  # no links to signals
    venlo = page.split(">Venlo<")[1].split("</tr>")[0]
    assert "&lt; 5" in venlo  # one overstay: a person, too few to show
    assert 'id="small-numbers-note"' in page


def test_an_officer_sees_exact_numbers_and_links_to_the_queue_for_their_own_municipality(
    users, signals
):
    page = client_of(users, "venlo_officer").get("/toezicht/").content.decode()
    table = page.split('id="signal-counts"')[1].split("</table>")[0]
    assert "Maastricht" not in table and "Venray" not in table
    assert "&lt; 5" not in page and 'id="small-numbers-note"' not in page
    assert f'href="/toezicht/signalen/?municipality={VENLO}&amp;kind=overstay">1</a>' in table
    assert "Naar de werkvoorraad met signalen" in page


# -- one signal ----------------------------------------------------------------------------------


def test_a_signal_shows_its_facts_and_is_audited(users, signals, locations):
    signal = signals["venlo"]
    response = client_of(users, "inspector").get(f"/toezicht/signalen/{signal.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Een signaal is een aanwijzing, geen besluit: een bezoek of onderzoek volgt." in page
    assert "fictief: Logies Venlo" in page  # the explanation
    assert f'href="/huisvesting/locaties/{locations["venlo"].pk}/"' in page
    assert f"<code>{PSEUDONYM[:8]}</code>" in page and PSEUDONYM[:9] not in page
    assert "10-03-2026" in page  # first and last seen
    assert "200" in page.split('id="signal-facts"')[1]  # details: days
    entry = views_by(users["inspector"])[-1]
    assert entry.municipality_codes == VENLO and f"signaal {signal.pk}" in entry.detail


@pytest.mark.parametrize("role", ["venlo_officer", "inspector"])
def test_a_maastricht_signal_does_not_exist_for_venlo(users, signals, role):
    client = client_of(users, role)
    url = f"/toezicht/signalen/{signals['maastricht'].pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "investigating"}).status_code == 404
    signals["maastricht"].refresh_from_db()
    assert signals["maastricht"].status == "new"
    assert views_by(users[role]) == []


def test_the_maastricht_officer_sees_the_maastricht_signal_only(users, signals):
    client = client_of(users, "maastricht_officer")
    assert client.get(f"/toezicht/signalen/{signals['maastricht'].pk}/").status_code == 200
    assert client.get(f"/toezicht/signalen/{signals['venlo'].pk}/").status_code == 404
    assert views_by(users["maastricht_officer"])[-1].municipality_codes == MAASTRICHT


def test_the_status_flow_through_the_form(users, signals):
    signal = signals["crowded"]
    url = f"/toezicht/signalen/{signal.pk}/"
    client = client_of(users, "inspector")
    page = client.get(url).content.decode()
    form = page.split('id="status-form"')[1]
    assert 'value="investigating"' in form and 'value="closed"' in form
    assert 'value="new"' not in form  # never back to new

    response = client.post(url, {"status": "investigating", "note": "bezoek gepland"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "De status van het signaal is gewijzigd." in response.content.decode()
    signal.refresh_from_db()
    assert signal.status == "investigating"

    # Back to new: not a step the flow allows.
    refused = client.post(url, {"status": "new"})
    assert refused.status_code == 200 and "utrecht-form-field--invalid" in refused.content.decode()
    # Closing without an outcome: the service says why.
    refused = client.post(url, {"status": "closed", "note": "geen"}).content.decode()
    assert "Kies een uitkomst om het signaal af te sluiten." in refused
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == ("investigating", "")

    client.post(url, {"status": "closed", "outcome": "confirmed", "note": "12 bewoners"})
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == ("closed", "confirmed")
    # Reopening needs a reason.
    refused = client.post(url, {"status": "investigating"}).content.decode()
    assert "Zeg waarom het signaal opnieuw wordt onderzocht." in refused
    client.post(url, {"status": "investigating", "note": "nieuwe melding"})

    steps = list(SignalChange.objects.filter(signal=signal).values_list("status", "outcome"))
    assert steps == [("investigating", ""), ("closed", "confirmed"), ("investigating", "")]
    history = client.get(url).content.decode().split('id="signal-history"')[1]
    assert "12 bewoners" in history and "nieuwe melding" in history and "inspecteur" in history
    changes = AuditEntry.objects.filter(action="change", subject="signaal")
    assert changes.count() == 3 and {e.municipality_codes for e in changes} == {VENLO}


# -- downloads -----------------------------------------------------------------------------------


def rows_of(response, fmt: str) -> list[dict]:
    if fmt == "csv":
        return list(
            csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        )
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        head, *body = list(sheet.values)
        return [dict(zip(head, row, strict=True)) for row in body]
    return json.loads(response.content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_download_holds_exactly_the_filtered_rows_and_is_audited(users, signals, fmt):
    client = client_of(users, "inspector")
    response = client.get(f"/export/compliance-signals.{fmt}?min_score=70")
    assert response.status_code == 200
    rows = rows_of(response, fmt)
    assert [r["address"] for r in rows] == ["Logies Venlo", "5801 CD 3"]
    assert {r["pseudonym"] or "" for r in rows} == {PSEUDONYM[:8], ""}
    assert PSEUDONYM[:9].encode() not in response.content or fmt == "xlsx"
    entry = AuditEntry.objects.get(user=users["inspector"], action="export")
    assert entry.subject == "compliance-signals"
    assert entry.municipality_codes == f"{VENLO},{VENRAY}" and "min_score=70" in entry.detail


def test_the_download_of_an_inspector_of_venlo_never_holds_maastricht(users, signals):
    client = client_of(users, "inspector")
    everything = rows_of(client.get("/export/compliance-signals.json?status=all"), "json")
    assert MAASTRICHT not in {r["municipality_code"] for r in everything} and len(everything) == 3
    assert rows_of(client.get("/export/compliance-signals.json?municipality=GM0935"), "json") == []
    ours = rows_of(
        client_of(users, "maastricht_officer").get("/export/compliance-signals.csv"), "csv"
    )
    assert [(r["municipality_code"], r["pseudonym"]) for r in ours] == [
        (MAASTRICHT, OTHER_PSEUDONYM[:8])
    ]


def test_the_download_link_carries_the_pages_filters(users, signals):
    page = client_of(users, "inspector").get("/toezicht/signalen/?kind=overstay&q=Logies")
    assert 'href="/export/compliance-signals.csv?kind=overstay&amp;q=Logies"' in (
        page.content.decode()
    )


def test_signals_of_a_municipality_keep_to_it(users, signals):
    """The fixture's signals landed where their municipality code says."""
    assert signals["venray"].municipality == Municipality.objects.get(code=VENRAY)
    assert signals["venlo"].location is not None and signals["crowded"].location is None


# -- in the browser ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_inspector_works_a_signal_from_the_overview_in_the_browser(
    page, live_server, users, signals
):
    from browser import assert_accessible, assert_no_console_errors, download, login
    from fixtures import PASSWORD
    from playwright.sync_api import expect

    login(page, live_server.url, "inspecteur", PASSWORD)
    page.goto(f"{live_server.url}/toezicht/")
    expect(page.locator("#signal-counts")).to_contain_text("Venray")
    assert_accessible(page)
    page.get_by_role("link", name="Naar de werkvoorraad met signalen").click()
    page.get_by_label("Soort").select_option("overstay")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("#signal-summary")).to_have_text("1 signaal gevonden.")
    assert_accessible(page)
    name, content = download(page, page.get_by_role("link", name="CSV"))
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["address"], r["pseudonym"]) for r in rows] == [("Logies Venlo", PSEUDONYM[:8])]

    page.get_by_role("link", name="Logies Venlo").click()
    expect(page.locator("h1")).to_contain_text("te lang verblijf")
    assert_accessible(page)
    page.get_by_label("Nieuwe status").select_option("closed")
    page.get_by_role("button", name="Status opslaan").click()
    expect(page.locator("#id_outcome_error")).to_contain_text("Kies een uitkomst")
    page.get_by_label("Nieuwe status").select_option("closed")
    page.get_by_label("Uitkomst").select_option("not_confirmed")
    page.get_by_label("Toelichting").fill("Gast was op bezoek; verblijf klopt niet (fictief)")
    page.get_by_role("button", name="Status opslaan").click()
    expect(page.locator("#signal-status")).to_contain_text("afgesloten (niet bevestigd)")
    expect(page.locator("#signal-history")).to_contain_text("verblijf klopt niet")
    assert_no_console_errors(page)
    signals["venlo"].refresh_from_db()
    assert (signals["venlo"].status, signals["venlo"].outcome) == ("closed", "not_confirmed")
