"""The housing table imports: locations, projects, need from research, the policy inventory.

Every file is written from the lists below (CSV and XLSX built here); the expected values are
read back from the same lists, not typed twice. All data is invented (fictief).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from fixtures import MAASTRICHT, VENLO
from openpyxl import Workbook

from waardig.areas.models import Municipality
from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.core.imports import run_import
from waardig.core.models import ImportJob
from waardig.core.registry import IMPORTS
from waardig.housing import services
from waardig.housing.guest_register import GuestRegisterImporter
from waardig.housing.importers import (
    LocationImporter,
    NeedImporter,
    PolicyImporter,
    ProjectImporter,
)
from waardig.housing.models import (
    GuestStay,
    HousingNeed,
    Location,
    LocationStatusChange,
    NeedMethod,
    PolicyChange,
    PolicyEntry,
    Project,
    ProjectStatusChange,
)
from waardig.organisations.models import Organisation, Person

pytestmark = pytest.mark.django_db


def csv_file(rows: list[list[str]]) -> bytes:
    """As Dutch Excel saves it: semicolons, cells holding one quoted."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode()


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(importer, actor, data: bytes, name: str = "file.csv", dry_run: bool = False):
    return run_import(importer(actor), data, name, dry_run=dry_run)


def counts(result) -> tuple[int, int, int]:
    return result.created, result.updated, result.unchanged


def error_cells(result) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in result.errors}


@pytest.fixture
def organisations(areas) -> dict[str, Organisation]:
    return {
        name: Organisation.objects.create(name=name, kind=kind)
        for name, kind in (
            ("Flexwonen Noord BV", "housing_provider"),
            ("Kas de Tuinder", "employer"),
            ("Uitzendbureau Maas", "temp_agency"),
        )
    }


# -- locations ----------------------------------------------------------------------------

LOCATION_HEADER = [
    "name", "municipality", "street", "postcode", "house_number", "house_number_addition",
    "place", "housing_form", "stay_class", "zone", "capacity", "bedrooms", "living_area",
    "operator", "employers", "certification", "certificate_number", "certificate_valid_until",
    "status", "status_date", "temporary_permit_until", "fictitious",
]  # fmt: skip
VENLO_ROW = {
    "name": "Logies De Kas", "municipality": VENLO, "street": "Kasweg", "postcode": "5911ab",
    "house_number": "12A", "house_number_addition": "", "place": "Venlo",
    "housing_form": "flex", "stay_class": "short", "zone": "edge", "capacity": "48",
    "bedrooms": "24", "living_area": "720,5", "operator": "Flexwonen Noord BV",
    "employers": "Kas de Tuinder; Uitzendbureau Maas", "certification": "SNF",
    "certificate_number": "SNF-0001", "certificate_valid_until": "31-12-2026",
    "status": "in gebruik", "status_date": "2024-03-01", "temporary_permit_until": "2030-06-30",
    "fictitious": "ja",
}  # fmt: skip
MAASTRICHT_ROW = {
    **dict.fromkeys(LOCATION_HEADER, ""),
    "name": "Pension Jeker", "municipality": "Maastricht", "postcode": "6211 AA",
    "house_number": "3", "house_number_addition": "b", "housing_form": "hotel",
    "stay_class": "mid", "capacity": "20", "fictitious": "ja",
}  # fmt: skip


def location_rows(*rows: dict[str, str], header=LOCATION_HEADER) -> list[list[str]]:
    return [list(header), *[[row.get(c, "") for c in header] for row in rows]]


def test_locations_import_every_field_and_again_unchanged(organisations):
    data = csv_file(location_rows(VENLO_ROW, MAASTRICHT_ROW))
    first = run(LocationImporter, SYSTEM, data)
    assert first.ok, first.errors
    assert counts(first) == (2, 0, 0)

    kas = Location.objects.get(name=VENLO_ROW["name"])
    assert (kas.municipality.code, kas.postcode, kas.house_number, kas.house_number_addition) == (
        VENLO, "5911 AB", 12, "A",
    )  # fmt: skip
    assert (kas.housing_form, kas.stay_class, kas.zone, kas.capacity) == (
        "flex",
        "short",
        "edge",
        48,
    )
    assert kas.living_area == Decimal("720.5")
    assert kas.operator.name == VENLO_ROW["operator"]
    assert sorted(kas.employers.values_list("name", flat=True)) == [
        n.strip() for n in VENLO_ROW["employers"].split(";")
    ]
    assert (kas.certification, kas.certificate_valid_until) == ("snf", datetime.date(2026, 12, 31))
    assert kas.status == "in_use" and kas.fictitious
    assert list(kas.status_changes.values_list("status", "on")) == [
        ("in_use", datetime.date(2024, 3, 1))
    ]
    jeker = Location.objects.get(name=MAASTRICHT_ROW["name"])
    assert (jeker.municipality.code, jeker.house_number_addition, jeker.status) == (
        MAASTRICHT, "b", "planned",
    )  # fmt: skip
    assert "(fictief)" in first.items[0]["label"]

    again = run(LocationImporter, SYSTEM, data)
    assert counts(again) == (0, 0, 2)
    assert LocationStatusChange.objects.count() == 2


def test_locations_from_xlsx_read_like_csv(organisations):
    """Spreadsheet cells (numbers, dates) give the same locations as the CSV's text."""
    typed = {
        **VENLO_ROW,
        "capacity": 48,
        "bedrooms": 24,
        "living_area": 720.5,
        "certificate_valid_until": datetime.datetime(2026, 12, 31),
        "status_date": datetime.date(2024, 3, 1),
    }
    result = run(LocationImporter, SYSTEM, xlsx_file(location_rows(typed)), "register.xlsx")
    assert result.ok, result.errors
    assert counts(result) == (1, 0, 0)
    again = run(LocationImporter, SYSTEM, csv_file(location_rows(VENLO_ROW)))
    assert counts(again) == (0, 0, 1)


def test_changed_status_is_appended_to_the_history(organisations):
    run(LocationImporter, SYSTEM, csv_file(location_rows(VENLO_ROW)))
    closed = {**VENLO_ROW, "status": "closed", "status_date": "01-02-2025"}
    result = run(LocationImporter, SYSTEM, csv_file(location_rows(closed)))
    assert counts(result) == (0, 1, 0)
    location = Location.objects.get()
    assert location.status == "closed"
    assert list(location.status_changes.values_list("status", "on")) == [
        ("in_use", datetime.date(2024, 3, 1)),
        ("closed", datetime.date(2025, 2, 1)),
    ]


def test_a_column_left_out_keeps_the_stored_value_an_empty_one_clears_it(organisations):
    run(LocationImporter, SYSTEM, csv_file(location_rows(VENLO_ROW)))
    without = [c for c in LOCATION_HEADER if c not in ("bedrooms", "employers")]
    result = run(LocationImporter, SYSTEM, csv_file(location_rows(VENLO_ROW, header=without)))
    assert counts(result) == (0, 0, 1)
    location = Location.objects.get()
    assert location.bedrooms == int(VENLO_ROW["bedrooms"]) and location.employers.count() == 2

    emptied = {**VENLO_ROW, "bedrooms": "", "employers": ""}
    result = run(LocationImporter, SYSTEM, csv_file(location_rows(emptied)))
    assert counts(result) == (0, 1, 0)
    location.refresh_from_db()
    assert location.bedrooms is None and location.employers.count() == 0


def test_bad_location_rows_are_all_reported_and_nothing_is_written(organisations):
    bad = [
        {**VENLO_ROW, "municipality": "GM9999"},
        {**VENLO_ROW, "name": "B", "postcode": "591 AB", "capacity": "veel"},
        {**VENLO_ROW, "name": "C", "operator": "Onbekend BV", "housing_form": "tent"},
        {**VENLO_ROW, "name": "D", "certificate_valid_until": "31-02-2026", "house_number": "x"},
        {**VENLO_ROW, "name": "E", "certification": "akf", "certificate_number": ""},
        {**VENLO_ROW, "name": "F", "living_area": "12,34", "fictitious": "misschien"},
        VENLO_ROW,  # the only good row: not written either
    ]
    result = run(LocationImporter, SYSTEM, csv_file(location_rows(*bad)))
    assert error_cells(result) == {
        (2, "municipality"),
        (3, "postcode"),
        (3, "capacity"),
        (4, "operator"),
        (4, "housing_form"),
        (5, "certificate_valid_until"),
        (5, "house_number"),
        (6, "certificate_number"),
        (7, "living_area"),
        (7, "fictitious"),
    }
    assert all(e.message for e in result.errors)
    assert "Onbekende organisatie 'Onbekend BV'." in {e.message for e in result.errors}
    assert not Location.objects.exists()


def test_the_same_location_twice_in_a_file_is_an_error(organisations):
    result = run(LocationImporter, SYSTEM, csv_file(location_rows(VENLO_ROW, VENLO_ROW)))
    assert [(e.row, e.message) for e in result.errors] == [(3, "Dubbel met regel 2.")]
    assert not Location.objects.exists()


def test_an_officer_imports_only_their_own_municipalities(users, organisations):
    data = csv_file(location_rows(VENLO_ROW, MAASTRICHT_ROW))
    refused = run(LocationImporter, users["venlo_officer"], data)
    assert error_cells(refused) == {(3, "municipality")}
    assert not Location.objects.exists()

    own = run(LocationImporter, users["venlo_officer"], csv_file(location_rows(VENLO_ROW)))
    assert own.ok and counts(own) == (1, 0, 0)
    assert Location.objects.get().municipality.code == VENLO


def test_an_officer_cannot_take_over_another_municipalitys_location(users, make_location):
    """A row in their own municipality with the key of a Maastricht location is refused."""
    theirs = make_location(MAASTRICHT, name="Pension Jeker", postcode="6211 AA", house_number=3)
    row = {**MAASTRICHT_ROW, "municipality": VENLO, "house_number_addition": ""}
    result = run(LocationImporter, users["venlo_officer"], csv_file(location_rows(row)))
    assert error_cells(result) == {(2, "municipality")}
    theirs.refresh_from_db()
    assert theirs.municipality.code == MAASTRICHT


def test_location_upload_page_preview_and_commit(users, organisations):
    client = Client()
    client.force_login(users["venlo_officer"])
    upload = SimpleUploadedFile("locaties.csv", csv_file(location_rows(VENLO_ROW)))
    response = client.post("/imports/housing-locations/", {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.PREVIEW
    assert VENLO_ROW["name"] in client.get(response["Location"]).content.decode()
    assert not Location.objects.exists()
    client.post(f"/imports/job/{job.pk}/opslaan/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Location.objects.get().import_job == job


# -- projects -----------------------------------------------------------------------------

PROJECT_HEADER = [
    "name", "municipality", "capacity", "stay_class", "housing_form", "status",
    "expected_year", "temporary_until", "notes", "fictitious",
]  # fmt: skip
PROJECTS = [
    ["Flexhof Blerick", VENLO, "120", "mid", "flex", "permit", "2026", "31-12-2036", "", "ja"],
    ["Campus Randwyck", "maastricht", "60", "long", "complex", "", "2027", "", "", "ja"],
]


def test_projects_import_and_status_changes_keep_history(users):
    data = csv_file([PROJECT_HEADER, *PROJECTS])
    first = run(ProjectImporter, users["analyst"], data)
    assert first.ok, first.errors
    assert counts(first) == (2, 0, 0)
    flexhof = Project.objects.get(name=PROJECTS[0][0])
    assert (flexhof.capacity, flexhof.status, flexhof.expected_year) == (120, "permit", 2026)
    assert flexhof.temporary_until == datetime.date(2036, 12, 31) and flexhof.fictitious
    assert Project.objects.get(name=PROJECTS[1][0]).status == "idea"  # empty: the default
    assert counts(run(ProjectImporter, users["analyst"], data)) == (0, 0, 2)

    building = [[*PROJECTS[0][:5], "in aanbouw", *PROJECTS[0][6:]]]
    result = run(ProjectImporter, users["analyst"], csv_file([PROJECT_HEADER, *building]))
    assert counts(result) == (0, 1, 0)
    assert list(
        ProjectStatusChange.objects.filter(project=flexhof).values_list("status", flat=True)
    ) == ["permit", "construction"]


def test_bad_project_rows_and_scope(users):
    bad = [
        ["", VENLO, "-5", "short", "flex", "", "1900", "", "", ""],
        ["Elders", MAASTRICHT, "10", "short", "flex", "", "2026", "", "", ""],
    ]
    result = run(ProjectImporter, users["venlo_officer"], csv_file([PROJECT_HEADER, *bad]))
    assert error_cells(result) == {
        (2, "name"),
        (2, "capacity"),
        (2, "expected_year"),
        (3, "municipality"),
    }
    assert not Project.objects.exists()


# -- need ---------------------------------------------------------------------------------

NEED_HEADER = ["municipality", "year", "stay_class", "persons", "status", "source", "retrieved_on"]
NEEDS = [
    [VENLO, "2025", "short", "850", "fictief", "Onderzoek woonbehoefte (fictief)", "2025-02-01"],
    [VENLO, "2025", "lang verblijf", "400", "schatting", "Onderzoek woonbehoefte", ""],
    ["Maastricht", "2025", "mid", "300", "definitive", "Onderzoek woonbehoefte", ""],
]


def test_need_from_research_imports_replaces_a_derivation_and_is_idempotent(users):
    venlo = Municipality.objects.get(code=VENLO)
    services.save_need(
        SYSTEM, venlo, 2025, "short", persons=1, method=NeedMethod.DERIVED,
        parameters={"share": "0.5"}, status="estimate", source="monitor",
    )  # fmt: skip
    data = csv_file([NEED_HEADER, *NEEDS])
    first = run(NeedImporter, users["analyst"], data)
    assert first.ok, first.errors
    assert counts(first) == (2, 1, 0)
    stored = {
        (n.municipality.code, n.stay_class): (n.persons, n.method, n.status, n.parameters)
        for n in HousingNeed.objects.select_related("municipality")
    }
    assert stored == {
        (VENLO, "short"): (850, "research", "fictitious", {}),
        (VENLO, "long"): (400, "research", "estimate", {}),
        (MAASTRICHT, "mid"): (300, "research", "definitive", {}),
    }
    assert "(fictief)" in next(i["label"] for i in first.items if i["row"] == 2)
    assert counts(run(NeedImporter, users["analyst"], data)) == (0, 0, 3)


def test_need_errors_and_officers_may_not_import_need(users):
    bad = [[VENLO, "2025", "kort", "veel", "zeker", "", ""]]
    result = run(NeedImporter, users["analyst"], csv_file([NEED_HEADER, *bad]))
    assert error_cells(result) == {(2, "stay_class"), (2, "persons"), (2, "status"), (2, "source")}
    refused = run(NeedImporter, users["venlo_officer"], csv_file([NEED_HEADER, NEEDS[0]]))
    assert error_cells(refused) == {(2, "municipality")}
    assert not HousingNeed.objects.exists()


def test_need_through_the_command_line(tmp_path, capsys, areas):
    path = tmp_path / "behoefte.xlsx"
    path.write_bytes(xlsx_file([NEED_HEADER, *NEEDS]))
    code = main(["import", "housing-need", str(path), "--json"])
    outcome = json.loads(capsys.readouterr().out)
    assert code == 0, outcome["errors"]
    assert outcome["created"] == len(NEEDS) == HousingNeed.objects.count()


# -- policy inventory ---------------------------------------------------------------------

POLICY_HEADER = ["municipality", "instrument", "status", "decided_on", "document_url", "contact"]
POLICIES = [
    [VENLO, "short_stay_policy", "adopted", "12-03-2021", "https://example.org/venlo.pdf", ""],
    [VENLO, "verplicht nachtregister", "in voorbereiding", "", "", "anna@venlo.test"],
    [MAASTRICHT, "landlord_licence", "geen", "", "", ""],
]


def test_policy_imports_codes_or_labels_and_keeps_history(users):
    anna = Person.objects.create(name="Anna", email="anna@venlo.test")
    data = csv_file([POLICY_HEADER, *POLICIES])
    first = run(PolicyImporter, users["province_admin"], data)
    assert first.ok, first.errors
    assert counts(first) == (3, 0, 0)
    stored = {
        (e.municipality.code, e.instrument): (e.status, e.decided_on, e.contact)
        for e in PolicyEntry.objects.select_related("municipality", "contact")
    }
    assert stored == {
        (VENLO, "short_stay_policy"): ("adopted", datetime.date(2021, 3, 12), None),
        (VENLO, "guest_register"): ("preparation", None, anna),
        (MAASTRICHT, "landlord_licence"): ("none", None, None),
    }
    assert counts(run(PolicyImporter, users["province_admin"], data)) == (0, 0, 3)

    adopted = [[VENLO, "guest_register", "vastgesteld", "01-01-2025", "", "anna@venlo.test"]]
    result = run(PolicyImporter, users["venlo_officer"], csv_file([POLICY_HEADER, *adopted]))
    assert counts(result) == (0, 1, 0)
    history = PolicyChange.objects.filter(entry__instrument="guest_register")
    assert list(history.values_list("previous_status", "status", "actor")) == [
        ("", "preparation", users["province_admin"].username),
        ("preparation", "adopted", users["venlo_officer"].username),
    ]


def test_bad_policy_rows(users):
    bad = [
        [VENLO, "parkeerbeleid", "adopted", "", "geen-link", "niemand@example.org"],
        [MAASTRICHT, "short_stay_policy", "adopted", "", "", ""],
    ]
    result = run(PolicyImporter, users["venlo_officer"], csv_file([POLICY_HEADER, *bad]))
    assert error_cells(result) == {
        (2, "instrument"),
        (2, "document_url"),
        (2, "contact"),
        (3, "municipality"),
    }
    assert not PolicyEntry.objects.exists()


def test_every_kind_is_registered_with_its_model():
    assert {kind: IMPORTS[kind].model for kind in IMPORTS if kind.startswith("housing-")} == {
        "housing-locations": Location,
        "housing-projects": Project,
        "housing-need": HousingNeed,
        "housing-policy": PolicyEntry,
    }


DOCS = Path(__file__).resolve().parents[2] / "docs" / "housing.md"


def test_the_examples_in_the_documentation_import_as_documented(locations):
    """docs/housing.md shows one CSV example per kind, in this order."""
    examples = re.findall(r"```csv\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    kinds = [LocationImporter, ProjectImporter, NeedImporter, PolicyImporter]
    models = [Location, Project, HousingNeed, PolicyEntry, GuestStay]
    assert len(examples) == len(kinds) + 1
    before = [model.objects.count() for model in models]
    for importer, example in zip(kinds, examples, strict=False):
        result = run(importer, SYSTEM, example.encode())
        assert result.ok, (importer.kind, result.errors)
    register = GuestRegisterImporter(SYSTEM, {"location": str(locations["venlo"].pk)})
    result = run_import(register, examples[-1].encode(), "register.csv", dry_run=False)
    assert result.ok, result.errors
    rows = [len(example.strip().splitlines()) - 1 for example in examples]
    assert [m.objects.count() - b for m, b in zip(models, before, strict=True)] == rows


def test_a_merged_municipality_is_refused_today_but_not_in_its_own_years(areas):
    beekdaelen = Municipality.objects.get(code="GM1954")
    Municipality.objects.create(
        code="GM1955",  # an invented code: Nuth had its own
        name="Nuth",
        province=beekdaelen.province,
        valid_to=datetime.date(2018, 12, 31),
        successor=beekdaelen,
    )
    location = {**MAASTRICHT_ROW, "municipality": "Nuth"}
    refused = run(LocationImporter, SYSTEM, csv_file(location_rows(location)))
    assert [(e.row, e.column) for e in refused.errors] == [(2, "municipality")]
    assert "Beekdaelen" in refused.errors[0].message
    need = [["Nuth", year, "short", "10", "fictief", "Voorbeeld", ""] for year in ("2017", "2020")]
    result = run(NeedImporter, SYSTEM, csv_file([NEED_HEADER, *need]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "municipality")]


def test_the_download_of_the_register_imports_again_unchanged(users, make_location):
    from waardig.core.exports import export

    make_location(name="Units (fictief)", living_area=Decimal("120.5"), fictitious=True,
                  certification="snf", certificate_number="SNF-1",
                  certificate_valid_until=datetime.date(2027, 1, 1))  # fmt: skip
    make_location("GM0935", name="Hotel", postcode="6211 AA", status="planned")
    admin = users["province_admin"]
    for fmt in ("csv", "xlsx"):
        data = export(admin, "housing-locations", fmt, {})
        result = run_import(LocationImporter(admin), data, f"locaties.{fmt}", dry_run=True)
        assert not result.errors, result.errors
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2), fmt


def test_downloads_of_projects_need_and_policy_import_again_unchanged(users, locations):
    from waardig.core.exports import export
    from waardig.organisations.models import Person

    venlo = locations["venlo"].municipality
    services.save_project(SYSTEM, name="Units", municipality=venlo, capacity=10,
                          stay_class="short", housing_form="flex", expected_year=2027)  # fmt: skip
    services.save_need(SYSTEM, venlo, 2026, "short", persons=10, method="research", source="x")
    services.save_need(SYSTEM, venlo, 2026, "mid", persons=5, method="derived", source="m")
    anna = Person.objects.create(name="Anna", email="anna@venlo.test")
    services.set_policy(SYSTEM, venlo, "short_stay_policy", status="adopted", contact=anna)
    admin = users["province_admin"]
    before = PolicyEntry.objects.count()
    for kind, expected in (
        ("housing-projects", (0, 0, 1, 0)),
        ("housing-need", (0, 0, 1, 1)),  # the derived figure is skipped, not made research
        ("housing-policy", (0, 0, 1, 31 * 7 - 1)),  # empty cells record nothing
    ):
        data = export(admin, kind, "csv", {})
        result = run_import(IMPORTS[kind](admin), data, "download.csv", dry_run=False)
        assert not result.errors, (kind, result.errors)
        counts = (result.created, result.updated, result.unchanged, result.skipped)
        assert counts == expected, kind
    assert PolicyEntry.objects.count() == before


def test_locations_import_what_supervision_checks(organisations):
    """Bedroom area, a separate rental contract (yes, no or unknown) and the transition
    period are the facts the compliance norms read."""
    header = [*LOCATION_HEADER, "bedroom_area", "separate_contract", "transition_days"]
    rows = [
        {**MAASTRICHT_ROW, "bedroom_area": "42,5", "separate_contract": "ja",
         "transition_days": "28"},
        {**MAASTRICHT_ROW, "name": "Pension Geul", "separate_contract": "nee"},
        {**MAASTRICHT_ROW, "name": "Pension Maas", "separate_contract": ""},
        {**MAASTRICHT_ROW, "name": "Pension Roer", "transition_days": "veel"},
    ]  # fmt: skip
    refused = run(LocationImporter, SYSTEM, csv_file(location_rows(*rows, header=header)))
    assert error_cells(refused) == {(5, "transition_days")}
    result = run(LocationImporter, SYSTEM, csv_file(location_rows(*rows[:3], header=header)))
    assert result.ok, result.errors
    stored = {
        loc.name: (loc.bedroom_area, loc.separate_contract, loc.transition_days)
        for loc in Location.objects.all()
    }
    assert stored == {
        "Pension Jeker": (Decimal("42.5"), True, 28),
        "Pension Geul": (None, False, None),
        "Pension Maas": (None, None, None),
    }
