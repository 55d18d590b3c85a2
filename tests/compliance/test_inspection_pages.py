"""The inspection pages: the planning by risk and its downloads, recording an inspection with
findings per norm, its page, enforcement steps and the calendar; for the roles that may and
may not see them (a municipality's own work: the province's roles get 403, another
municipality's location is not found)."""

import csv
import datetime
import io
import json
from decimal import Decimal

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from fixtures import MAASTRICHT, VENLO, VENRAY
from icalendar import Calendar
from openpyxl import load_workbook

from waardig.compliance import services
from waardig.compliance.models import EnforcementStep, Finding, Inspection, SignalKind
from waardig.core.access import SYSTEM
from waardig.organisations.models import Organisation

from .test_risk import TODAY, fixed_today, overcrowded, signal  # noqa: F401

pytestmark = pytest.mark.django_db

PLANNING = reverse("compliance-planning")
PROVINCE_ROLES = ("province_admin", "analyst", "coordinator", "member")
D = datetime.timedelta


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in tree.xpath(xpath)]


@pytest.fixture
def world(make_location, today):
    """Risky Venlo, quiet Venray, and a Maastricht location the Venlo roles must not reach."""
    venlo = overcrowded(make_location, VENLO, name="Woning Venlo (fictief)")
    signal(venlo, score=90)
    signal(venlo, SignalKind.REPORT, score=100)
    venray = make_location(VENRAY, name="Logies Venray", postcode="5801 AB", house_number=3)
    maastricht = overcrowded(
        make_location, MAASTRICHT, name="Woning Maastricht", postcode="6211 AA"
    )
    return {"venlo": venlo, "venray": venray, "maastricht": maastricht}


# -- the planning ------------------------------------------------------------------------------


def test_the_planning_orders_by_risk_and_shows_every_part(users, world):
    tree = html_of(client_for(users["inspector"]).get(PLANNING))
    rows = tree.xpath("//table[@id='planning-table']/tbody/tr")
    assert [int(r.get("data-location")) for r in rows] == [world["venlo"].pk, world["venray"].pk]
    venlo = rows[0]

    def field(name):
        return " ".join(venlo.xpath(f".//*[@data-field='{name}']")[0].text_content().split())

    # 0,9 x 10 + 8 severity units x 5 + 1 report x 20 + never inspected 20 = 89.
    assert field("total") == "89,0"
    assert field("signals") == "9,0 (1 signaal)"
    assert field("findings") == "40,0 (3 bevindingen)"
    assert field("reports") == "20,0 (1 melding)"
    assert field("inspection") == "20,0 (nooit geïnspecteerd)"
    assert field("certificate") == "0,0 (geen keurmerk)"
    assert "Woning Maastricht" not in tree.text_content()
    assert "10 punten" in texts(tree, "//section")[0]  # the weights are explained


def test_the_planning_filters_by_municipality_among_theirs(users, world):
    client = client_for(users["inspector"])
    tree = html_of(client.get(PLANNING, {"municipality": VENRAY}))
    assert [int(r.get("data-location")) for r in tree.xpath("//tbody/tr")] == [world["venray"].pk]
    choices = tree.xpath("//select[@name='municipality']/option/@value")
    assert choices == ["", VENLO, VENRAY]
    tree = html_of(client.get(PLANNING, {"municipality": MAASTRICHT}))  # not theirs: ignored
    assert texts(tree, "//*[contains(@class, 'error-message')]")
    assert len(tree.xpath("//tbody/tr")) == 2


@pytest.mark.parametrize("role", PROVINCE_ROLES)
def test_the_province_may_not_open_the_planning(users, world, role):
    assert client_for(users[role]).get(PLANNING).status_code == 403
    export = reverse("export", args=["compliance-planning", "csv"])
    assert client_for(users[role]).get(export).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(world):
    assert Client().get(PLANNING).status_code == 302


def test_the_planning_downloads_as_csv_xlsx_and_json(users, world):
    client = client_for(users["inspector"])

    def get(fmt, **query):
        response = client.get(reverse("export", args=["compliance-planning", fmt]), query)
        assert response.status_code == 200, response.status_code
        return response.content

    rows = list(csv.DictReader(io.StringIO(get("csv").decode("utf-8-sig")), delimiter=";"))
    assert [r["location"] for r in rows] == ["Woning Venlo (fictief)", "Logies Venray"]
    assert rows[0]["risk"] == "89.0" and rows[0]["risk_findings"] == "40.0"
    sheet = load_workbook(io.BytesIO(get("xlsx"))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("rank", "location_id", "location")
    assert values[1][2] == "Woning Venlo (fictief)" and float(values[1][6]) == 89.0
    records = json.loads(get("json", municipality=VENRAY))
    assert [r["location"] for r in records] == ["Logies Venray"]
    response = client.get(
        reverse("export", args=["compliance-planning", "csv"]), {"municipality": MAASTRICHT}
    )
    assert response.status_code == 404


# -- recording an inspection -------------------------------------------------------------------


def form_url(location):
    return reverse("compliance-inspection-create", args=[location.pk])


def norm_fields(tree) -> dict[str, str]:
    """The legend of each norm's group of fields, by its prefix."""
    return {
        fs.get("id"): " ".join(fs.xpath("./legend")[0].text_content().split())
        for fs in tree.xpath("//fieldset[starts-with(@id, 'norm_')]")
    }


def test_the_form_lists_the_norms_of_the_day_with_the_register_facts(users, world):
    tree = html_of(client_for(users["inspector"]).get(form_url(world["venlo"])))
    legends = norm_fields(tree)
    assert "personen per slaapkamer: max. 1 (Provinciale ondergrens Limburg 2025-2027)" in (
        legends.values()
    )
    assert "woonoppervlak per persoon: min. 15 m² (Provinciale ondergrens Limburg 2025-2027)" in (
        legends.values()
    )
    assert not any("SNF" in legend for legend in legends.values())  # no certificate: no SNF
    register = texts(tree, "//p[contains(@id, '_register')]")
    assert "Volgens het register: 3, voldoet niet." in register  # 12 persons on 4 bedrooms
    checked = tree.xpath("//input[@type='radio'][@checked]/@value")
    assert set(checked) == {"unchecked"} and len(checked) == len(legends)


def inspection_post(tree, **values) -> dict:
    data = {name: value for name, value in tree.forms[-1].form_values()}
    return {**data, **values}


def test_an_inspection_is_recorded_with_its_findings(users, world):
    client = client_for(users["inspector"])
    venlo = world["venlo"]
    tree = html_of(client.get(form_url(venlo)))
    bedroom = next(k for k, v in norm_fields(tree).items() if v.startswith("personen per"))
    area = next(k for k, v in norm_fields(tree).items() if v.startswith("woonoppervlak"))
    police = Organisation.objects.create(name="Politie Limburg", kind="other")
    data = inspection_post(
        tree, on=(TODAY - D(days=2)).isoformat(), organisations=[police.pk],
        other_partners="Brandweer", persons_present="11", outcome="defects",
        next_inspection=(TODAY + D(days=40)).isoformat(), notes="Gesprek met beheerder.",
        **{f"{bedroom}_result": "not_met", f"{bedroom}_measured": "2.75",
           f"{bedroom}_note": "11 personen op 4 kamers", f"{area}_result": "met"},
    )  # fmt: skip
    response = client.post(form_url(venlo), data)
    inspection = Inspection.objects.get(location=venlo)
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance-inspection-detail", args=[inspection.pk])
    assert inspection.on == TODAY - D(days=2) and inspection.persons_present == 11
    assert list(inspection.organisations.all()) == [police]
    assert inspection.next_inspection == TODAY + D(days=40)
    [finding] = Finding.objects.filter(check_run__inspection=inspection)
    assert finding.kind == "persons_per_bedroom" and finding.measured == Decimal("2.75")
    # The note per norm stays with the inspection (local), not in the finding (the province's).
    assert "11 personen op 4 kamers" not in finding.explanation
    assert "personen per slaapkamer: 11 personen op 4 kamers" in inspection.notes
    assert services.latest_check(venlo).inspection == inspection

    page = html_of(client.get(response["Location"]))
    assert texts(page, "//dd[@id='inspection-outcome']") == ["gebreken"]
    [row] = texts(page, "//table[@id='findings-table']/tbody/tr")
    assert row.startswith("personen per slaapkamer Provinciale ondergrens") and "2,75" in row
    assert "Politie Limburg" in page.text_content() and "Brandweer" in page.text_content()

    planning = html_of(client.get(PLANNING))
    venlo_row = planning.xpath(f"//tr[@data-location='{venlo.pk}']")[0]
    total = venlo_row.xpath(".//*[@data-field='total']")[0].text_content()
    # 9 signal + 15 finding (high) + 20 report + 2 of 730 days x 20 = 0,1: 44,1 (was 89).
    assert total == "44,1"
    assert (TODAY + D(days=40)).strftime("%d-%m-%Y") in venlo_row.text_content()


def test_wrong_dates_are_refused_and_nothing_is_kept(users, world):
    client = client_for(users["inspector"])
    tree = html_of(client.get(form_url(world["venlo"])))
    future = inspection_post(tree, on=(TODAY + D(days=1)).isoformat(), outcome="compliant")
    page = html_of(client.post(form_url(world["venlo"]), future))
    assert "Deze datum ligt in de toekomst." in texts(page, "//*[@id='id_on_error']")[0]
    backwards = inspection_post(
        tree, on=TODAY.isoformat(), next_inspection=TODAY.isoformat(), outcome="compliant"
    )
    page = html_of(client.post(form_url(world["venlo"]), backwards))
    assert "na deze inspectie" in texts(page, "//*[@id='id_next_inspection_error']")[0]
    assert not Inspection.objects.exists()


def test_another_day_with_other_norms_shows_those_first(users, world):
    client = client_for(users["inspector"])
    tree = html_of(client.get(form_url(world["venlo"])))
    before = set(norm_fields(tree).values())
    # Before 2025 the province's lower bound did not exist: other norms, so nothing is saved.
    data = inspection_post(tree, on="2024-06-03", outcome="compliant", other_partners="Politie")
    page = html_of(client.post(form_url(world["venlo"]), data))
    assert "Op 03-06-2024 gelden andere normen" in page.text_content()
    after = set(norm_fields(page).values())
    assert after and after != before
    assert not any("Provinciale ondergrens" in legend for legend in after)
    assert page.xpath("//input[@name='other_partners']/@value") == ["Politie"]
    assert page.xpath("//input[@name='shown_on']/@value") == ["2024-06-03"]
    assert not Inspection.objects.exists()
    response = client.post(form_url(world["venlo"]), inspection_post(page))
    assert response.status_code == 302
    assert Inspection.objects.get().on == datetime.date(2024, 6, 3)


def test_another_municipality_is_not_found(users, world):
    maastricht = world["maastricht"]
    inspection = services.record_inspection(SYSTEM, maastricht, on=TODAY, outcome="compliant")
    step = services.save_enforcement_step(
        SYSTEM, location=maastricht, kind="warning", decided_on=TODAY
    )
    urls = [
        form_url(maastricht),
        reverse("compliance-location-inspections", args=[maastricht.pk]),
        reverse("compliance-inspection-detail", args=[inspection.pk]),
        reverse("compliance-enforcement-create", args=[maastricht.pk]),
        reverse("compliance-enforcement-update", args=[step.pk]),
    ]
    for role in ("inspector", "venlo_officer"):
        for url in urls:
            assert client_for(users[role]).get(url).status_code == 404, (role, url)
        assert client_for(users[role]).post(urls[0], {"on": TODAY}).status_code == 404
    for url in urls:
        assert client_for(users["maastricht_officer"]).get(url).status_code == 200, url
        for role in PROVINCE_ROLES:
            assert client_for(users[role]).get(url).status_code == 403, (role, url)


# -- enforcement -------------------------------------------------------------------------------


def test_enforcement_steps_after_an_inspection(users, world):
    client = client_for(users["venlo_officer"])
    venlo = world["venlo"]
    inspection = services.record_inspection(SYSTEM, venlo, on=TODAY - D(days=20), outcome="serious")
    create = reverse("compliance-enforcement-create", args=[venlo.pk])
    form = html_of(client.get(create, {"inspectie": inspection.pk}))
    assert form.xpath("//select[@name='inspection']/option[@selected]/@value") == [
        str(inspection.pk)
    ]
    data = {
        "kind": "warning", "inspection": inspection.pk, "decided_on": TODAY - D(days=19),
        "deadline": TODAY - D(days=5), "note": "Twee bedden weg",
    }  # fmt: skip
    response = client.post(create, data)
    assert response["Location"] == reverse("compliance-inspection-detail", args=[inspection.pk])
    step = EnforcementStep.objects.get()
    assert (step.kind, step.inspection, step.actor) == ("warning", inspection, "venlo")

    detail = html_of(client.get(response["Location"]))
    [row] = detail.xpath("//table[@id='steps-table']/tbody/tr")
    assert "waardig-row--overdue" in row.get("class") and "termijn verstreken" in row.text_content()
    listed = html_of(client.get(reverse("compliance-enforcement-list")))
    [row] = listed.xpath("//table[@id='open-steps-table']/tbody/tr")
    assert "waardig-row--overdue" in row.get("class")
    assert texts(listed, "//*[@id='enforcement-summary']") == [
        "1 open stap, waarvan 1 met verstreken termijn."
    ]

    update = reverse("compliance-enforcement-update", args=[step.pk])
    response = client.post(update, {**data, "completed_on": TODAY - D(days=6)})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.completed_on == TODAY - D(days=6)
    listed = html_of(client.get(reverse("compliance-enforcement-list")))
    assert not listed.xpath("//table[@id='open-steps-table']")

    wrong = client.post(create, {**data, "deadline": TODAY - D(days=30)})
    assert "op of na de dag van het besluit" in wrong.content.decode()
    assert EnforcementStep.objects.count() == 1


def test_the_inspector_sees_open_steps_of_their_municipalities_only(users, world):
    for location in world.values():
        services.save_enforcement_step(
            SYSTEM, location=location, kind="penalty", decided_on=TODAY, deadline=TODAY + D(days=9)
        )
    listed = html_of(client_for(users["inspector"]).get(reverse("compliance-enforcement-list")))
    names = texts(listed, "//table[@id='open-steps-table']/tbody/tr/td[2]/a")
    assert sorted(names) == ["Logies Venray", "Woning Venlo (fictief)"]


# -- the location's inspections and the calendar -----------------------------------------------


def test_a_locations_inspections_and_risk(users, world):
    venlo = world["venlo"]
    services.record_inspection(SYSTEM, venlo, on=TODAY - D(days=400), outcome="compliant")
    services.record_inspection(SYSTEM, venlo, on=TODAY - D(days=73), outcome="no_access")
    page = html_of(client_for(users["inspector"]).get(
        reverse("compliance-location-inspections", args=[venlo.pk])
    ))  # fmt: skip
    dates = texts(page, "//table[@id='inspections-table']/tbody/tr/th")
    assert dates == [(TODAY - D(days=73)).strftime("%d-%m-%Y"),
                     (TODAY - D(days=400)).strftime("%d-%m-%Y")]  # fmt: skip
    # The latest check is the last inspection's: no findings; 73 of 730 days: 2 points.
    assert texts(page, "//*[@id='location-risk']//*[@data-field='total']") == ["31,0"]


def planned(world):
    services.record_inspection(
        SYSTEM, world["venlo"], on=TODAY - D(days=60), outcome="defects",
        next_inspection=TODAY + D(days=10),
    )  # fmt: skip
    services.record_inspection(
        SYSTEM, world["maastricht"], on=TODAY - D(days=60), outcome="defects",
        next_inspection=TODAY + D(days=10),
    )  # fmt: skip
    services.save_enforcement_step(
        SYSTEM, location=world["venray"], kind="intention", decided_on=TODAY - D(days=30),
        deadline=TODAY + D(days=3),
    )  # fmt: skip
    services.save_enforcement_step(
        SYSTEM, location=world["venlo"], kind="warning", decided_on=TODAY - D(days=30),
        deadline=TODAY - D(days=1),
    )  # fmt: skip


def test_the_calendar_shows_the_month_of_the_users_municipalities(users, world):
    planned(world)
    client = client_for(users["inspector"])
    june = html_of(client.get(reverse("compliance-calendar"), {"maand": "2026-06"}))
    days = [
        (texts(day, "./h2")[0], texts(day, ".//li"))
        for day in june.xpath("//section[@class='waardig-calendar-day']")
    ]
    assert [heading for heading, _items in days] == [
        "donderdag 4 juni 2026", "donderdag 11 juni 2026",
    ]  # fmt: skip
    assert days[0][1][0].startswith("Termijn voornemen tot handhaving: Logies Venray")
    assert days[1][1][0].startswith("Inspectie gepland: Woning Venlo (fictief)")
    assert len(days[1][1]) == 1  # Maastricht's inspection that day is not theirs
    assert "Maastricht" not in june.text_content()
    may = html_of(client.get(reverse("compliance-calendar"), {"maand": "2026-05"}))
    [late] = may.xpath("//section[@class='waardig-calendar-day']//li")
    assert late.get("class") == "waardig-row--overdue"
    assert "Termijn waarschuwing: Woning Venlo (fictief)" in late.text_content()
    assert "termijn verstreken" in late.text_content()
    this_month = html_of(client.get(reverse("compliance-calendar"), {"maand": "onzin"}))
    assert texts(this_month, "//h1") == ["Agenda toezicht: juni 2026"]


def test_the_calendar_downloads_as_icalendar(users, world):
    planned(world)
    response = client_for(users["inspector"]).get(reverse("compliance-calendar-download"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summary = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in events}
    assert summary == {
        "Inspectie gepland: Woning Venlo (fictief)": TODAY + D(days=10),
        "Termijn voornemen tot handhaving: Logies Venray": TODAY + D(days=3),
        "Termijn waarschuwing: Woning Venlo (fictief)": TODAY - D(days=1),
    }
    for role in PROVINCE_ROLES:
        assert client_for(users[role]).get(reverse("compliance-calendar")).status_code == 403
        download = client_for(users[role]).get(reverse("compliance-calendar-download"))
        assert download.status_code == 403


def test_who_reaches_which_page(users, world):
    """The answers the access matrix expects, per role, for every inspection page (objects of
    Maastricht: the Venlo roles do not find them)."""
    maastricht = world["maastricht"]
    inspection = services.record_inspection(SYSTEM, maastricht, on=TODAY, outcome="compliant")
    step = services.save_enforcement_step(
        SYSTEM, location=maastricht, kind="warning", decided_on=TODAY
    )
    lists = [
        PLANNING,
        reverse("compliance-enforcement-list"),
        reverse("compliance-calendar"),
        reverse("compliance-calendar-download"),
        reverse("export", args=["compliance-planning", "xlsx"]),
        reverse("report", args=["inspections"]),
    ]
    objects = [
        reverse("compliance-location-inspections", args=[maastricht.pk]),
        form_url(maastricht),
        reverse("compliance-inspection-detail", args=[inspection.pk]),
        reverse("compliance-enforcement-create", args=[maastricht.pk]),
        reverse("compliance-enforcement-update", args=[step.pk]),
    ]
    local = {"venlo_officer": 200, "maastricht_officer": 200, "inspector": 200}
    expected_lists = {**dict.fromkeys(PROVINCE_ROLES, 403), **local}
    expected_objects = {**expected_lists, "venlo_officer": 404, "inspector": 404}
    for urls, expected in ((lists, expected_lists), (objects, expected_objects)):
        for url in urls:
            assert Client().get(url).status_code == 302, url
            answers = {role: client_for(users[role]).get(url).status_code for role in expected}
            assert answers == expected, url


def test_the_planning_pages_keep_the_rank(users, world, monkeypatch):
    from waardig.compliance import inspection_views

    monkeypatch.setattr(inspection_views, "ROWS_PER_PAGE", 1)
    second = html_of(client_for(users["inspector"]).get(PLANNING, {"page": 2}))
    [row] = second.xpath("//table[@id='planning-table']/tbody/tr")
    assert int(row.get("data-location")) == world["venray"].pk
    assert texts(row, "./td[1]") == ["2"]
    assert "Pagina 2 van 2" in second.text_content()
