"""The location pages: the register, a location with its occupancy, the forms that keep it and
the guest register, for the roles that may and may not see them; and their downloads."""

import csv
import datetime
import io
import json

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fixtures import MAASTRICHT, VENLO

from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.core.models import AuditEntry
from waardig.housing import pseudonyms, services
from waardig.housing.location_forms import LOCATION_FIELDSETS, LocationForm
from waardig.housing.models import HeadCount, Location, LocationStatusChange
from waardig.organisations.models import Organisation

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = reverse("housing-location-list")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in tree.xpath(xpath)]


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.status_code
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def location_post(municipality: Municipality, **values) -> dict:
    data = {
        "name": "Logies De Maas",
        "municipality": municipality.pk,
        "street": "Maasboulevard",
        "house_number": "12",
        "postcode": "6211ab",
        "place": "Maastricht",
        "housing_form": "hotel",
        "stay_class": "short",
        "capacity": "24",
        "certification": "none",
        "status": "in_use",
        "status_on": "2024-02-01",
    }
    return data | values


@pytest.fixture
def register(locations):
    """Three stays at the Maastricht location and a head count at both locations."""
    maastricht = locations["maastricht"]
    stays = [
        (pseudonyms.pseudonym("NL-111"), D(2024, 1, 10), D(2024, 3, 5)),
        (pseudonyms.pseudonym("NL-222"), D(2024, 2, 1), None),
        (pseudonyms.pseudonym("NL-333"), D(2024, 2, 15), D(2024, 2, 20)),
    ]
    services.record_guest_stays(SYSTEM, maastricht, stays)
    services.record_head_count(SYSTEM, maastricht, D(2024, 3, 10), 17, source="controle")
    services.record_head_count(SYSTEM, locations["venlo"], D(2024, 3, 10), 33)
    return maastricht


# -- the register ----------------------------------------------------------------------------


def test_list_shows_every_location_to_the_province_with_occupancy(users, register, locations):
    tree = html_of(client_for(users["analyst"]).get(LIST))
    rows = texts(tree, "//table[@id='locations-table']/tbody/tr")
    assert len(rows) == 2
    assert rows[0].startswith("Logies Maastricht") and "Maastricht" in rows[0]
    # Maastricht: the register's last news (5 Mar) is older than the count of 10 Mar.
    occupancy_cells = texts(tree, "//table[@id='locations-table']/tbody/tr/td[5]")
    assert occupancy_cells[0].startswith("17") and occupancy_cells[1].startswith("33")
    assert "42,5%" in occupancy_cells[0]  # 17 of 40
    summary = texts(tree, "//*[@id='location-summary']")[0]
    assert "2 locaties" in summary and "capaciteit 80" in summary and "bezetting 50" in summary
    assert not tree.xpath("//a[@href=$url]", url=reverse("housing-location-create"))
    # The download carries no filter when none is set, each format once.
    hrefs = tree.xpath("//a[contains(@href, '/export/housing-locations.')]/@href")
    assert sorted(h.rsplit(".", 1)[1] for h in hrefs) == ["csv", "json", "xlsx"]


def test_list_is_scoped_and_officers_may_add(users, locations):
    tree = html_of(client_for(users["venlo_officer"]).get(LIST))
    assert texts(tree, "//table[@id='locations-table']/tbody/tr/th/a") == ["Logies Venlo"]
    assert tree.xpath("//a[@href=$url]", url=reverse("housing-location-create"))
    assert client_for(users["member"]).get(LIST).status_code == 403


def test_list_filters_sort_and_downloads_as_filtered(users, make_location):
    make_location(VENLO, name="Park Zuid", house_number=5, capacity=90, fictitious=True)
    make_location(VENLO, name="Hotel Noord", house_number=6, capacity=10, status="planned")
    make_location(MAASTRICHT, name="Units Maas", postcode="6211 AA", house_number=3)
    client = client_for(users["coordinator"])

    tree = html_of(client.get(LIST, {"municipality": VENLO, "sort": "-capacity"}))
    names = texts(tree, "//table[@id='locations-table']/tbody/tr/th/a")
    assert names == ["Park Zuid", "Hotel Noord"]
    fictitious_row = texts(tree, "//table[@id='locations-table']/tbody/tr[1]/th")[0]
    assert "fictief" in fictitious_row
    assert tree.xpath("//th[@aria-sort='descending']/a")[0].text_content().startswith("Capaciteit")

    csv_link = tree.xpath("//a[contains(@href, '/export/housing-locations.csv')]/@href")[0]
    assert f"municipality={VENLO}" in csv_link and "sort=-capacity" in csv_link
    rows = csv_rows(client.get(csv_link))
    assert [(r["name"], r["capacity"], r["fictitious"]) for r in rows] == [
        ("Park Zuid", "90", "True"),
        ("Hotel Noord", "10", "False"),
    ]
    data = json.loads(
        client.get(
            reverse("export", args=["housing-locations", "json"]), {"status": "planned"}
        ).content
    )
    assert [r["name"] for r in data] == ["Hotel Noord"]

    empty = html_of(client.get(LIST, {"q": "bestaat niet"}))
    assert "Geen locaties gevonden met deze filters." in empty.text_content()


def test_venlo_officer_downloads_only_venlo(users, locations):
    rows = csv_rows(
        client_for(users["venlo_officer"]).get(reverse("export", args=["housing-locations", "csv"]))
    )
    assert [r["municipality_code"] for r in rows] == [VENLO]


# -- one location ----------------------------------------------------------------------------


def test_province_sees_occupancy_series_but_no_stays(users, register, settings):
    settings.WAARDIG_REGISTER_MIN_COUNT = 2  # these small counts are shown (see below)
    client = client_for(users["province_admin"])
    tree = html_of(client.get(reverse("housing-location-detail", args=[register.pk])))
    page = tree.text_content()
    months = {
        row[0]: row[1]
        for row in (
            [" ".join(td.text_content().split()) for td in tr.xpath("./th|./td")]
            for tr in tree.xpath("//table[@id='months-table']/tbody/tr")
        )
    }
    # Present on the first of the month: 1 Feb NL-222 arrives (and NL-111 is there), 1 Mar
    # NL-111 and NL-222 (NL-333 left on 20 Feb).
    # 1 January lies before the register's first arrival: unknown ("–"), not 0.
    assert (months["januari 2024"], months["februari 2024"], months["maart 2024"]) == (
        "–",
        "2",
        "2",
    )
    spec_id = tree.xpath("//*[@data-vega-spec]/@data-vega-spec")[0]
    spec = json.loads(tree.xpath("//script[@id=$id]", id=spec_id)[0].text)
    drawn = {
        (row["Reeks"], row["Datum"]): row["Personen"]
        for row in spec["data"]["values"]
        if row["Datum"] < "2024-04"
    }
    assert drawn[("Nachtregister", "2024-02-01")] == 2
    assert drawn[("Telling", "2024-03-10")] == 17
    assert drawn[("Capaciteit", "2024-03-01")] == 40
    assert "17 (42,5% van de capaciteit)" in texts(tree, "//*[@id='occupancy-now']")[0]
    markup = lxml.html.tostring(tree, encoding="unicode")  # also links and chart data
    for pseudonym in register.guest_stays.values_list("pseudonym", flat=True):
        assert pseudonym[:10] not in page and pseudonym[:10] not in markup
    assert not tree.xpath("//a[@href=$url]", url=reverse("housing-guest-stays", args=[register.pk]))
    assert "guest-register" not in markup
    assert client.get(reverse("housing-guest-stays", args=[register.pk])).status_code == 404
    rows = csv_rows(
        client.get(
            reverse("export", args=["housing-guest-stays", "csv"]), {"location": register.pk}
        )
    )
    assert rows == []


def test_municipality_officer_sees_register_links_and_history(users, register):
    tree = html_of(
        client_for(users["maastricht_officer"]).get(
            reverse("housing-location-detail", args=[register.pk])
        )
    )
    assert tree.xpath("//a[@href=$url]", url=reverse("housing-guest-stays", args=[register.pk]))
    upload = reverse("import-upload", args=["guest-register"]) + f"?location={register.pk}"
    assert tree.xpath("//a[@href=$url]", url=upload)
    history = texts(tree, "//ol[@id='status-history']/li")
    assert (
        len(history) == 1
        and history[0].startswith("in gebruik sinds 01-01-2024")
        and "Locatie vastgelegd." in history[0]
    )
    counts = texts(tree, "//table[@id='head-counts-table']/tbody/tr")
    assert counts == ["10-03-2024 17 controle system (command line)"]
    for name in ("housing-location-update", "housing-location-status", "housing-headcount-create"):
        assert tree.xpath("//a[@href=$url]", url=reverse(name, args=[register.pk]))


def test_inspector_reads_register_but_may_not_upload(users, locations):
    venlo = locations["venlo"]
    tree = html_of(
        client_for(users["inspector"]).get(reverse("housing-location-detail", args=[venlo.pk]))
    )
    assert tree.xpath("//a[@href=$url]", url=reverse("housing-guest-stays", args=[venlo.pk]))
    assert "guest-register" not in lxml.html.tostring(tree).decode()
    assert not tree.xpath(
        "//a[@href=$url]", url=reverse("housing-location-update", args=[venlo.pk])
    )


@pytest.mark.parametrize(
    "name",
    [
        "housing-location-detail",
        "housing-location-update",
        "housing-location-status",
        "housing-headcount-create",
        "housing-guest-stays",
    ],
)
def test_venlo_officer_cannot_reach_a_maastricht_location(users, locations, name):
    client = client_for(users["venlo_officer"])
    maastricht, venlo = locations["maastricht"], locations["venlo"]
    assert client.get(reverse(name, args=[maastricht.pk])).status_code == 404
    assert client.get(reverse(name, args=[venlo.pk])).status_code == 200


def test_venlo_officer_cannot_post_to_a_maastricht_location(users, locations):
    client = client_for(users["venlo_officer"])
    maastricht = locations["maastricht"]
    today = timezone.localdate().isoformat()
    url = reverse("housing-location-status", args=[maastricht.pk])
    assert client.post(url, {"status": "closed", "on": today}).status_code == 404
    url = reverse("housing-headcount-create", args=[maastricht.pk])
    assert client.post(url, {"counted_on": today, "persons": "3"}).status_code == 404
    url = reverse("housing-location-update", args=[maastricht.pk])
    post = location_post(maastricht.municipality, name="Overgenomen", capacity="1")
    assert client.post(url, post).status_code == 404
    maastricht.refresh_from_db()
    assert maastricht.status == "in_use" and not maastricht.head_counts.exists()
    assert (maastricht.name, maastricht.capacity) == ("Logies Maastricht", 40)
    for kind in ("housing-occupancy", "housing-head-counts", "housing-guest-stays"):
        url = reverse("export", args=[kind, "csv"])
        assert client.get(url, {"location": maastricht.pk}).status_code == 404, kind


# -- small numbers from the guest register ---------------------------------------------------


@pytest.fixture
def one_and_six(make_location):
    """Two Maastricht locations (capacity 40) with only a guest register since 2024: one guest
    at 'Pension Een' (and one who left on 20 Feb 2024), six at 'Hotel Zes', all still there."""
    small = make_location(MAASTRICHT, name="Pension Een", postcode="6211 AB", house_number=7)
    large = make_location(MAASTRICHT, name="Hotel Zes", postcode="6211 AC", house_number=8)
    services.record_guest_stays(
        SYSTEM,
        small,
        [
            (pseudonyms.pseudonym("S-1"), D(2024, 2, 10), None),
            (pseudonyms.pseudonym("S-2"), D(2024, 1, 5), D(2024, 2, 20)),
        ],
    )
    services.record_guest_stays(
        SYSTEM, large, [(pseudonyms.pseudonym(f"L-{n}"), D(2024, 2, 10), None) for n in range(6)]
    )
    return small, large


def list_cells(tree) -> dict[str, str]:
    """Occupancy cell per location name."""
    rows = tree.xpath("//table[@id='locations-table']/tbody/tr")
    return {
        " ".join(row.xpath("./th/a")[0].text_content().split()): " ".join(
            row.xpath("./td[5]")[0].text_content().split()
        )
        for row in rows
    }


def test_the_list_hides_a_small_register_count_and_leaves_it_out_of_the_total(users, one_and_six):
    client = client_for(users["analyst"])
    tree = html_of(client.get(LIST))
    assert list_cells(tree) == {"Hotel Zes": "6 (15,0%)", "Pension Een": "< 5"}
    summary = texts(tree, "//*[@id='location-summary']")[0]
    assert "bezetting 6 personen op 1 locatie met een telling of nachtregister" in summary
    assert "(1 locatie met minder dan 5 bewoners volgens het nachtregister niet meegeteld)" in (
        summary
    )
    # Filtered down to the small location, the total still gives nothing away.
    alone = texts(html_of(client.get(LIST, {"q": "Pension"})), "//*[@id='location-summary']")[0]
    assert "bezetting 0 personen op 0 locaties" in alone and "1 locatie met minder" in alone
    assert "Pension Een" in list_cells(html_of(client.get(LIST, {"sort": "-occupancy"})))

    # The municipality sees its register: exact numbers, the total of both.
    exact = html_of(client_for(users["maastricht_officer"]).get(LIST))
    assert list_cells(exact) == {"Hotel Zes": "6 (15,0%)", "Pension Een": "1 (2,5%)"}
    summary = texts(exact, "//*[@id='location-summary']")[0]
    assert "bezetting 7 personen op 2 locaties" in summary and "niet meegeteld" not in summary


def test_the_locations_download_hides_a_small_register_count(users, one_and_six):
    url = reverse("export", args=["housing-locations", "csv"])
    for role, small in (("analyst", ("< 5", "")), ("maastricht_officer", ("1", "2.5"))):
        rows = {r["name"]: r for r in csv_rows(client_for(users[role]).get(url))}
        assert (rows["Pension Een"]["occupancy"], rows["Pension Een"]["occupancy_rate"]) == small
        assert rows["Pension Een"]["occupancy_source"] == "register"
        assert (rows["Hotel Zes"]["occupancy"], rows["Hotel Zes"]["occupancy_rate"]) == (
            "6",
            "15.0",
        )
    data = json.loads(client_for(users["analyst"]).get(url.replace(".csv", ".json")).content)
    assert {r["name"]: r["occupancy"] for r in data} == {"Hotel Zes": 6, "Pension Een": "< 5"}


def month_cells(tree) -> dict[str, list[str]]:
    return {
        row[0]: row[1:]
        for row in (
            [" ".join(td.text_content().split()) for td in tr.xpath("./th|./td")]
            for tr in tree.xpath("//table[@id='months-table']/tbody/tr")
        )
    }


def occupancy_now(tree) -> str:
    return texts(tree, "//dl[@id='occupancy-now']/dt[.='Bezetting nu']/following-sibling::dd[1]")[0]


def register_points(tree) -> dict[str, object]:
    spec_id = tree.xpath("//*[@data-vega-spec]/@data-vega-spec")[0]
    spec = json.loads(tree.xpath("//script[@id=$id]", id=spec_id)[0].text)
    return {
        r["Datum"]: r["Personen"] for r in spec["data"]["values"] if r["Reeks"] == "Nachtregister"
    }


def test_the_location_page_hides_a_small_register_count_and_its_day(users, one_and_six):
    small, large = one_and_six
    url = reverse("housing-location-detail", args=[small.pk])
    tree = html_of(client_for(users["analyst"]).get(url))
    page = lxml.html.tostring(tree, encoding="unicode")
    now = occupancy_now(tree)
    assert now == "< 5 · volgens het nachtregister"  # no rate: the capacity would give it back
    assert "20-02-2024" not in page and "laatste aankomst" not in page
    assert texts(tree, "//*[@id='small-numbers-note']")
    months = month_cells(tree)
    # 1 Jan: before the first arrival; 1 Feb: S-2; from 1 Mar: S-1. Rate "–" where the
    # count is hidden or unknown.
    assert months["januari 2024"] == ["–", "–", "40", "–"]
    assert months["februari 2024"] == ["< 5", "–", "40", "–"]
    assert months["maart 2024"] == ["< 5", "–", "40", "–"]
    points = register_points(tree)
    assert points.get("2024-01-01") is None and points["2024-03-01"] is None
    assert set(points.values()) == {None}  # unknown before the register, hidden after
    assert "weggelaten" in page  # the chart's description says so

    # The municipality: the exact count and the day of the register's last news.
    exact = html_of(client_for(users["maastricht_officer"]).get(url))
    assert occupancy_now(exact) == (
        "1 (2,5% van de capaciteit) · volgens het nachtregister (laatste aankomst of vertrek "
        "20-02-2024)"
    )
    assert not exact.xpath("//*[@id='small-numbers-note']")
    assert month_cells(exact)["maart 2024"] == ["1", "–", "40", "2,5"]
    assert register_points(exact)["2024-03-01"] == 1

    # Six is shown to the province, without the day.
    tree = html_of(
        client_for(users["analyst"]).get(reverse("housing-location-detail", args=[large.pk]))
    )
    assert occupancy_now(tree) == "6 (15,0% van de capaciteit) · volgens het nachtregister"
    assert "10-02-2024" not in lxml.html.tostring(tree, encoding="unicode")
    assert month_cells(tree)["maart 2024"][0] == "6"
    assert register_points(tree)["2024-03-01"] == 6
    assert not tree.xpath("//*[@id='small-numbers-note']")


def test_the_occupancy_download_hides_a_small_register_count(users, one_and_six):
    small, large = one_and_six
    url = reverse("export", args=["housing-occupancy", "csv"])

    def march(role, location):
        rows = csv_rows(client_for(users[role]).get(url, {"location": location.pk}))
        row = next(r for r in rows if r["month"] == "2024-03-01")
        return row["register_present"], row["occupancy_rate"]

    assert march("analyst", small) == ("< 5", "")
    assert march("maastricht_officer", small) == ("1", "2.5")
    assert march("analyst", large) == ("6", "15.0")


# -- the forms -------------------------------------------------------------------------------


def test_location_form_offers_every_editable_field():
    grouped = {name for _legend, names in LOCATION_FIELDSETS for name in names}
    assert grouped == set(services.LOCATION_FIELDS) | {"employers"}
    assert set(LocationForm._meta.fields) == grouped


def test_creating_a_location_stores_it_with_its_first_status(users):
    officer = users["maastricht_officer"]
    maastricht = Municipality.objects.get(code=MAASTRICHT)
    employer = Organisation.objects.create(name="Uitzendbureau Zuid", kind="temp_agency")
    client = client_for(officer)
    form = html_of(client.get(reverse("housing-location-create")))
    options = form.xpath("//select[@name='municipality']/option[@value]/text()")
    assert [o for o in options if o.strip("-")] == ["Maastricht"]
    legends = texts(form, "//fieldset/legend")
    assert legends[0] == "Adres" and legends[-1] == "Status bij vastleggen"

    response = client.post(
        reverse("housing-location-create"),
        location_post(maastricht, employers=[employer.pk], capacity="24"),
    )
    location = Location.objects.get(name="Logies De Maas")
    assert response.status_code == 302
    assert response["Location"] == reverse("housing-location-detail", args=[location.pk])
    assert (location.postcode, location.capacity, location.status) == ("6211 AB", 24, "in_use")
    assert list(location.employers.values_list("name", flat=True)) == ["Uitzendbureau Zuid"]
    history = list(LocationStatusChange.objects.filter(location=location))
    assert [(h.status, h.on, h.actor) for h in history] == [
        ("in_use", D(2024, 2, 1), officer.username)
    ]


def test_venlo_officer_cannot_create_a_location_in_maastricht(users):
    client = client_for(users["venlo_officer"])
    maastricht = Municipality.objects.get(code=MAASTRICHT)
    response = client.post(reverse("housing-location-create"), location_post(maastricht))
    tree = html_of(response)  # the form again, with the refusal on the municipality
    errors = texts(
        tree, "//select[@name='municipality']/../*[@class='utrecht-form-field-error-message']"
    )
    assert errors and "geldige keuze" in errors[0]
    assert not Location.objects.filter(name="Logies De Maas").exists()


def test_model_validation_shows_on_the_fields(users, locations):
    location = locations["maastricht"]
    client = client_for(users["maastricht_officer"])
    url = reverse("housing-location-update", args=[location.pk])
    values = location_post(
        location.municipality, name=location.name, postcode="12", certification="snf"
    )
    tree = html_of(client.post(url, values))
    errors = {
        field.xpath(".//*[@name]/@name")[0]: texts(
            field, "./div[@class='utrecht-form-field-error-message']"
        )
        for field in tree.xpath("//div[contains(@class, 'utrecht-form-field--invalid')]")
    }
    assert set(errors) == {"postcode", "certificate_number"}
    location.refresh_from_db()
    assert location.postcode == "6211 AA"


def test_updating_a_location_keeps_its_status(users, locations):
    location = locations["maastricht"]
    client = client_for(users["province_admin"])
    url = reverse("housing-location-update", args=[location.pk])
    form = html_of(client.get(url))
    assert not form.xpath("//*[@name='status']"), "the status changes on its own page"
    values = location_post(location.municipality, name=location.name, capacity="55")
    assert client.post(url, values).status_code == 302
    location.refresh_from_db()
    assert (location.capacity, location.status, location.street) == (55, "in_use", "Maasboulevard")
    assert location.status_changes.count() == 1


def test_status_change_is_appended_to_the_history(users, locations):
    location = locations["maastricht"]
    client = client_for(users["maastricht_officer"])
    url = reverse("housing-location-status", args=[location.pk])
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    tree = html_of(client.post(url, {"status": "closed", "on": future}))
    assert "Deze datum ligt in de toekomst." in texts(tree, "//main//form")[0]
    assert (
        client.post(
            url, {"status": "closed", "on": "2024-06-30", "note": "Vergunning verlopen"}
        ).status_code
        == 302
    )
    location.refresh_from_db()
    assert location.status == "closed"
    assert list(location.status_changes.values_list("status", "on", "note")) == [
        ("in_use", D(2024, 1, 1), "Locatie vastgelegd."),
        ("closed", D(2024, 6, 30), "Vergunning verlopen"),
    ]


def test_head_count_form_records_and_corrects_a_count(users, locations):
    location = locations["venlo"]
    client = client_for(users["venlo_officer"])
    url = reverse("housing-headcount-create", args=[location.pk])
    assert (
        client.post(
            url, {"counted_on": "2024-04-02", "persons": "12", "source": "bezoek"}
        ).status_code
        == 302
    )
    assert client.post(url, {"counted_on": "2024-04-02", "persons": "14"}).status_code == 302
    assert list(HeadCount.objects.filter(location=location).values_list("persons", "source")) == [
        (14, "")
    ]
    tree = html_of(client.post(url, {"counted_on": "2024-04-03", "persons": "-1"}))
    assert tree.xpath("//div[contains(@class, 'utrecht-form-field--invalid')]//*[@name='persons']")


# -- the guest register ----------------------------------------------------------------------


def test_guest_register_page_for_the_municipality_is_audited(users, register):
    officer = users["maastricht_officer"]
    # Limits that keep the ongoing stay (since 2024) mid-long whenever the test runs.
    weights = {"idea": 0}
    services.set_parameters(SYSTEM, short_max_months=1, mid_max_months=600, weights=weights,
                            reason="test")  # fmt: skip
    tree = html_of(client_for(officer).get(reverse("housing-guest-stays", args=[register.pk])))
    shown = texts(tree, "//table[@id='stays-table']/tbody/tr/th")
    stored = set(register.guest_stays.values_list("pseudonym", flat=True))
    assert sorted(shown) == sorted(p[:10] for p in stored)
    page = lxml.html.tostring(tree).decode()
    assert not any(p in page for p in stored), "never the whole pseudonym"
    assert "NL-111" not in page
    summary = texts(tree, "//dl[@id='stay-summary']/dd")
    # Three stays, one still present. NL-111 stayed 55 days (1.8 months: mid), NL-333 five
    # days (short), NL-222 is still there (mid up to 600 months).
    assert summary[0] == "3" and summary[1].startswith("1 op")
    classes = [texts(tree, f"//*[@id='stay-class-{c}']")[0] for c in ("short", "mid", "long")]
    assert classes == ["1", "2", "0"]
    assert "tot en met 1 maanden" in tree.text_content()
    entry = AuditEntry.objects.get(action="view", subject="housing.gueststay")
    assert (entry.user, entry.municipality_codes) == (officer, MAASTRICHT)
    assert "3 verblijven" in entry.detail


def test_guest_register_download_is_scoped_and_audited(users, register):
    client = client_for(users["maastricht_officer"])
    url = reverse("export", args=["housing-guest-stays", "csv"])
    rows = csv_rows(client.get(url, {"location": register.pk}))
    assert sorted(r["arrival"] for r in rows) == ["2024-01-10", "2024-02-01", "2024-02-15"]
    assert {len(r["pseudonym"]) for r in rows} == {10}
    [entry] = AuditEntry.objects.filter(action="export", subject="housing-guest-stays")
    assert entry.municipality_codes == register.municipality.code  # in Maastricht's log
    venlo = client_for(users["venlo_officer"])
    assert venlo.get(url, {"location": register.pk}).status_code == 404
    assert csv_rows(venlo.get(url)) == []  # no stays of their own


def test_empty_guest_register_says_so(users, locations):
    tree = html_of(
        client_for(users["venlo_officer"]).get(
            reverse("housing-guest-stays", args=[locations["venlo"].pk])
        )
    )
    assert "Er is nog geen nachtregister ingelezen" in tree.text_content()
    assert not tree.xpath("//table")


# -- in the browser --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_registers_a_location_and_records_a_count_in_the_browser(
    page, live_server, users, tmp_path
):
    from browser import assert_accessible, assert_no_console_errors, login
    from fixtures import PASSWORD
    from playwright.sync_api import expect

    login(page, live_server.url, "maastricht", PASSWORD)
    page.goto(f"{live_server.url}{LIST}")
    expect(page.get_by_text("Er zijn nog geen locaties")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe locatie").click()
    assert_accessible(page)
    page.get_by_label("Naam").fill("Logies Jekerdal")
    page.get_by_label("Straat").fill("Jekerweg")
    page.get_by_label("Huisnummer").fill("4")
    page.get_by_label("Postcode").fill("6211bb")
    page.get_by_label("Woonvorm").select_option("complex")
    page.get_by_label("Verblijfsduur").select_option("mid")
    page.get_by_label("Capaciteit (personen)").fill("20")
    page.get_by_label("Status", exact=True).select_option("in_use")
    page.get_by_label("Sinds").fill("2024-01-15")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("h1")).to_have_text("Logies Jekerdal")
    expect(page.locator("#location-status")).to_have_text("in gebruik")

    page.get_by_role("link", name="Telling vastleggen").click()
    page.get_by_label("Peildatum").fill("2024-03-01")
    page.get_by_label("Aantal bewoners").fill("15")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#occupancy-now")).to_contain_text("15 (75,0% van de capaciteit)")
    expect(
        page.locator(".waardig-chart__canvas svg, .waardig-chart__canvas canvas")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nachtregister van deze locatie bekijken").click()
    expect(page.locator("h1")).to_contain_text("Nachtregister van Logies Jekerdal")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "register.png"), full_page=True)
    assert_no_console_errors(page)
