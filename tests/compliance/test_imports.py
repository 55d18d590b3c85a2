"""Imports of the registration extracts: BAG addresses and registrations (BRP/RNI), from CSV,
XLSX and Parquet files written here; the expected values are read back from the same lists.

Every address, number and name is invented (fictief).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import duckdb
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from fixtures import MAASTRICHT, VENLO
from openpyxl import Workbook

from waardig.areas.models import Municipality
from waardig.cli import main
from waardig.compliance.importers import BagImporter, RegistrationImporter
from waardig.compliance.models import BagAddress, Registration
from waardig.core.access import SYSTEM
from waardig.core.dates import parse_date
from waardig.core.imports import run_import
from waardig.core.models import AuditEntry, ImportJob
from waardig.core.registry import IMPORTS
from waardig.housing.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db

BAG_HEADER = [
    "address_id", "municipality", "postcode", "house_number", "house_number_addition",
    "floor_area", "purpose", "woonplaats",
]  # fmt: skip
BAG_ROWS = [
    ["0983200000000101", VENLO, "5911AB", "10", "", "30", "woonfunctie", "Venlo"],
    ["0983200000000102", "Venlo", "5911 AC", "12", "A", "85,4", "woonfunctie", "Venlo"],
    ["0935200000000201", MAASTRICHT.lower(), "6211 AA", "3", "", "140", "", "Maastricht"],
]
REG_HEADER = [
    "naam", "person", "address_id", "municipality", "register", "start_date", "end_date",
    "household", "geboortedatum",
]  # fmt: skip
REG_ROWS = [
    ["Jan Kowalski", "123456782", "0983200000000101", VENLO, "BRP", "2024-01-15", "", "HH-1",
     "1990-01-01"],
    ["Maria Popescu", "NL-ID-7654321", "0983200000000101", VENLO, "brp", "01-02-2024",
     "31-03-2025", "HH-1", "1991-02-02"],
    ["Łukasz Wójcik", "XK9921004", "0983200000000102", VENLO, "RNI", "2025-01-01", "", "",
     "1992-03-03"],
    ["Ana Ionescu", "BSN 111222333", "0935200000000201", MAASTRICHT, "BRP", "2023-05-01", "",
     "", "1993-04-04"],
]  # fmt: skip


def csv_file(rows: list[list[str]]) -> bytes:
    """As Dutch Excel saves it: semicolons."""
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


def parquet_file(path: Path, rows: list[list[str]], types: dict[str, str]) -> Path:
    """A typed Parquet file (dates as DATE, numbers as numbers) written by DuckDB's COPY,
    from the same rows as the CSV files."""
    header, body = rows[0], rows[1:]
    dates = [i for i, c in enumerate(header) if types.get(c) == "DATE"]
    body = [[parse_date(c).isoformat() if i in dates and c else c for i, c in enumerate(row)]
            for row in body]  # fmt: skip
    source = path.with_suffix(".source.csv")
    source.write_bytes(csv_file([header, *body]))
    columns = ", ".join(
        f"CAST(NULLIF(REPLACE({c}, ',', '.'), '') AS {types[c]}) AS {c}" if c in types else c
        for c in rows[0]
    )
    options = "all_varchar = true, delim = ';', header = true"
    select = f"SELECT {columns} FROM read_csv('{source}', {options})"  # noqa: S608
    duckdb.sql(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    source.unlink()
    return path


BAG_TYPES = {"house_number": "INTEGER", "floor_area": "DOUBLE"}
REG_TYPES = {"start_date": "DATE", "end_date": "DATE", "geboortedatum": "DATE"}


def run(importer, actor, data: bytes, name: str = "file.csv", dry_run: bool = False):
    return run_import(importer(actor), data, name, dry_run=dry_run)


def counts(result) -> tuple[int, int, int]:
    return result.created, result.updated, result.unchanged


def error_cells(result) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in result.errors}


def stored_bag() -> set[tuple]:
    return set(
        BagAddress.objects.values_list(
            "address_id", "municipality__code", "postcode", "house_number",
            "house_number_addition", "floor_area", "purpose",
        )
    )  # fmt: skip


EXPECTED_BAG = {
    ("0983200000000101", VENLO, "5911 AB", 10, "", 30, "woonfunctie"),
    ("0983200000000102", VENLO, "5911 AC", 12, "A", 85, "woonfunctie"),
    ("0935200000000201", MAASTRICHT, "6211 AA", 3, "", 140, ""),
}


def stored_registrations() -> set[tuple]:
    return set(
        Registration.objects.values_list(
            "pseudonym", "address_id", "municipality__code", "register", "start", "end",
            "household",
        )
    )  # fmt: skip


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


EXPECTED_REGISTRATIONS = {
    (pseudonym("123456782"), "0983200000000101", VENLO, "BRP", day("2024-01-15"), None,
     pseudonym("HH-1")),
    (pseudonym("NL-ID-7654321"), "0983200000000101", VENLO, "BRP", day("2024-02-01"),
     day("2025-03-31"), pseudonym("HH-1")),
    (pseudonym("XK9921004"), "0983200000000102", VENLO, "RNI", day("2025-01-01"), None, ""),
    (pseudonym("BSN 111222333"), "0935200000000201", MAASTRICHT, "BRP", day("2023-05-01"),
     None, ""),
}  # fmt: skip


def test_both_kinds_are_registered_registrations_as_personal():
    assert IMPORTS["bag"] is BagImporter and IMPORTS["registrations"] is RegistrationImporter
    assert RegistrationImporter.personal and not BagImporter.personal
    for importer in (BagImporter, RegistrationImporter):
        assert "parquet" in importer.formats


def test_bag_from_csv_then_again_unchanged_then_updated(areas):
    result = run(BagImporter, SYSTEM, csv_file([BAG_HEADER, *BAG_ROWS]))
    assert result.ok, result.errors
    assert counts(result) == (3, 0, 0)
    assert stored_bag() == EXPECTED_BAG
    again = run(BagImporter, SYSTEM, csv_file([BAG_HEADER, *BAG_ROWS]))
    assert counts(again) == (0, 0, 3)
    assert stored_bag() == EXPECTED_BAG

    bigger = [[*BAG_ROWS[0][:5], "60", *BAG_ROWS[0][6:]]]
    changed = run(BagImporter, SYSTEM, csv_file([BAG_HEADER, *bigger]))
    assert counts(changed) == (0, 1, 0)
    assert BagAddress.objects.get(address_id="0983200000000101").floor_area == 60


def test_bag_from_xlsx_and_parquet_read_like_csv(areas, tmp_path):
    xlsx_rows = [
        [
            int(c) if h in ("house_number",) and c else c
            for h, c in zip(BAG_HEADER, row, strict=True)
        ]
        for row in BAG_ROWS
    ]
    assert run(BagImporter, SYSTEM, xlsx_file([BAG_HEADER, *xlsx_rows]), "bag.xlsx").ok
    assert stored_bag() == EXPECTED_BAG
    path = parquet_file(tmp_path / "bag.parquet", [BAG_HEADER, *BAG_ROWS], BAG_TYPES)
    again = run(BagImporter, SYSTEM, path.read_bytes(), "bag.parquet")
    assert again.ok, again.errors
    assert counts(again) == (0, 0, 3)  # the same data, whatever the format
    assert stored_bag() == EXPECTED_BAG


def test_a_bag_column_left_out_keeps_the_stored_value_an_empty_one_clears_it(areas):
    run(BagImporter, SYSTEM, csv_file([BAG_HEADER, *BAG_ROWS]))
    without = [["address_id", "municipality", "floor_area"], ["0983200000000101", VENLO, "30"]]
    assert counts(run(BagImporter, SYSTEM, csv_file(without))) == (0, 0, 1)
    assert BagAddress.objects.get(address_id="0983200000000101").postcode == "5911 AB"
    emptied = [["address_id", "municipality", "floor_area", "postcode"],
               ["0983200000000101", VENLO, "30", ""]]  # fmt: skip
    assert counts(run(BagImporter, SYSTEM, csv_file(emptied))) == (0, 1, 0)
    assert BagAddress.objects.get(address_id="0983200000000101").postcode == ""


def test_bad_bag_rows_are_all_reported_and_nothing_is_written(areas):
    bad = [
        ["98320000000010", VENLO, "5911 AB", "1", "", "30", "", ""],  # 2: 14 digits
        ["0983200000000103", "Atlantis", "5911 AB", "1", "", "30", "", ""],  # 3: unknown
        ["0983200000000104", VENLO, "59111", "100000", "", "veel", "", ""],  # 4: 3 errors
        ["0983200000000105", VENLO, "", "", "", "", "", ""],  # 5: no floor area
        ["0983200000000106", VENLO, "", "", "ABCDEFGHIJKL", "0", "", ""],  # 6: two errors
        ["0983200000000107", VENLO, "", "", "", "30", "", ""],  # fine ...
        ["0983200000000107", VENLO, "", "", "", "31", "", ""],  # 8: ... but twice
    ]
    result = run(BagImporter, SYSTEM, csv_file([BAG_HEADER, *bad]))
    assert error_cells(result) == {
        (2, "address_id"),
        (3, "municipality"),
        (4, "postcode"),
        (4, "house_number"),
        (4, "floor_area"),
        (5, "floor_area"),
        (6, "house_number_addition"),
        (6, "floor_area"),
        (8, ""),
    }
    assert "Atlantis" not in json.dumps(result.as_dict())  # no cell is quoted back
    assert not BagAddress.objects.exists()
    missing = run(BagImporter, SYSTEM, csv_file([["address_id", "postcode"], ["1", "2"]]))
    assert error_cells(missing) == {(1, "municipality"), (1, "floor_area")}


def test_registrations_are_pseudonymised_and_again_unchanged(areas):
    result = run(RegistrationImporter, SYSTEM, csv_file([REG_HEADER, *REG_ROWS]))
    assert result.ok, result.errors
    assert counts(result) == (4, 0, 0)
    assert stored_registrations() == EXPECTED_REGISTRATIONS
    assert counts(run(RegistrationImporter, SYSTEM, csv_file([REG_HEADER, *REG_ROWS]))) == (
        0, 0, 4,
    )  # fmt: skip
    deregistered = [[*REG_ROWS[0][:6], "2025-04-30", *REG_ROWS[0][7:]]]
    changed = run(RegistrationImporter, SYSTEM, csv_file([REG_HEADER, *deregistered]))
    assert counts(changed) == (0, 1, 0)
    assert Registration.objects.get(pseudonym=pseudonym("123456782")).end == day("2025-04-30")
    # the household column left out leaves the households alone
    short = [[c for i, c in enumerate(row) if i != 7] for row in [REG_HEADER, *deregistered]]
    assert counts(run(RegistrationImporter, SYSTEM, csv_file(short))) == (0, 0, 1)
    assert Registration.objects.get(pseudonym=pseudonym("123456782")).household == pseudonym("HH-1")


def test_registrations_from_xlsx_and_parquet_read_like_csv(areas, tmp_path):
    assert run(RegistrationImporter, SYSTEM, xlsx_file([REG_HEADER, *REG_ROWS]), "r.xlsx").ok
    assert stored_registrations() == EXPECTED_REGISTRATIONS
    path = parquet_file(tmp_path / "r.parquet", [REG_HEADER, *REG_ROWS], REG_TYPES)
    again = run(RegistrationImporter, SYSTEM, path.read_bytes(), "r.parquet")
    assert again.ok, again.errors
    assert counts(again) == (0, 0, 4)


def test_a_file_of_pseudonyms_imports_like_one_of_numbers(areas, tmp_path):
    """As `waardig synth --pseudonymise` writes it: a pseudonym column, no person column."""
    rows = [["pseudonym", *REG_HEADER[2:8]]] + [[pseudonym(row[1]), *row[2:8]] for row in REG_ROWS]
    path = parquet_file(tmp_path / "p.parquet", rows, REG_TYPES)
    result = run(RegistrationImporter, SYSTEM, path.read_bytes(), "p.parquet")
    assert result.ok, result.errors
    assert stored_registrations() == EXPECTED_REGISTRATIONS
    assert counts(run(RegistrationImporter, SYSTEM, csv_file([REG_HEADER, *REG_ROWS]))) == (
        0, 0, 4,
    )  # fmt: skip


def test_bad_registration_rows_name_row_and_column_and_quote_nothing(areas):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    header = [*REG_HEADER[:2], "pseudonym", *REG_HEADER[2:]]
    bad = [
        ["Jan Kowalski", "", "", "0983200000000101", VENLO, "BRP", "2024-01-01", "", "", ""],
        ["Jan Kowalski", "123456782", "", "123456782", "123456782", "XYZ", "123456782", "", "",
         ""],
        ["Maria Popescu", "NL-ID-7654321", "", "0983200000000101", VENLO, "RNI", tomorrow, "",
         "", ""],
        ["Maria Popescu", "NL-ID-7654321", "", "0983200000000101", VENLO, "RNI", "2024-05-01",
         "2024-04-01", "", ""],
        ["Maria Popescu", "NL-ID-7654321", "ab" * 32, "0983200000000101", VENLO, "RNI",
         "2024-06-01", "", "", ""],
        ["", "", "NL-ID-7654321", "0983200000000101", VENLO, "RNI", "2024-06-01", "", "---", ""],
    ]  # fmt: skip
    result = run(RegistrationImporter, SYSTEM, csv_file([header, *bad]))
    assert error_cells(result) == {
        (2, "person"),
        (3, "address_id"),
        (3, "municipality"),
        (3, "register"),
        (3, "start_date"),
        (4, "start_date"),
        (5, "end_date"),
        (6, "pseudonym"),
        (7, "pseudonym"),
        (7, "household"),
    }
    text = json.dumps(result.as_dict(), ensure_ascii=False)
    for secret in ("123456782", "7654321", "Kowalski", "Popescu", "XYZ"):
        assert secret not in text, secret
    assert not Registration.objects.exists()


def test_a_merged_municipality_counts_for_the_years_it_existed(areas):
    beekdaelen = Municipality.objects.get(code="GM1954")
    Municipality.objects.create(
        code="GM1955",  # an invented code: Nuth had its own
        name="Nuth",
        province=beekdaelen.province,
        valid_to=datetime.date(2018, 12, 31),
        successor=beekdaelen,
    )
    rows = [
        ["P-1", "1955200000000001", "Nuth", "BRP", "2015-01-01", "2016-01-01"],
        ["P-2", "1955200000000002", "GM1955", "BRP", "2020-01-01", ""],
    ]
    header = ["person", "address_id", "municipality", "register", "start_date", "end_date"]
    result = run(RegistrationImporter, SYSTEM, csv_file([header, *rows]))
    assert error_cells(result) == {(3, "municipality")}
    assert "Beekdaelen" in result.errors[0].message


def test_an_officer_imports_only_rows_of_their_own_municipalities(users):
    officer = users["venlo_officer"]
    result = run(RegistrationImporter, officer, csv_file([REG_HEADER, *REG_ROWS]))
    assert error_cells(result) == {(5, "municipality")}  # the Maastricht row
    assert "Maastricht" in result.errors[0].message
    assert not Registration.objects.exists()
    own = run(RegistrationImporter, officer, csv_file([REG_HEADER, *REG_ROWS[:3]]))
    assert own.ok and counts(own) == (3, 0, 0)
    # an inspector of Venlo and Venray may import them too (the policy's change roles)
    assert counts(run(RegistrationImporter, users["inspector"], csv_file([REG_HEADER,
                                                                          *REG_ROWS[:3]]))) == (
        0, 0, 3,
    )  # fmt: skip


def test_an_officer_cannot_take_over_a_registration_of_another_municipality(users):
    run(RegistrationImporter, SYSTEM, csv_file([REG_HEADER, *REG_ROWS]))
    moved = [[*REG_ROWS[3][:3], VENLO, *REG_ROWS[3][4:]]]  # Maastricht's row, now "Venlo"
    result = run(RegistrationImporter, users["venlo_officer"], csv_file([REG_HEADER, *moved]))
    assert error_cells(result) == {(2, "municipality")}
    assert stored_registrations() == EXPECTED_REGISTRATIONS


def test_bag_addresses_are_imported_by_the_system_only(users):
    """The BAG is public data that no web role may change (BAG_DATA): the command line."""
    for role in ("province_admin", "venlo_officer"):
        result = run(BagImporter, users[role], csv_file([BAG_HEADER, *BAG_ROWS]))
        assert [(e.row, e.column) for e in result.errors] == [(0, "")], role
        assert "BAG-adressen" in result.errors[0].message
    assert not BagAddress.objects.exists()


def test_province_roles_may_not_import_registrations(users):
    result = run(RegistrationImporter, users["province_admin"], csv_file([REG_HEADER, *REG_ROWS]))
    assert [(e.row, e.column) for e in result.errors] == [(0, "")]
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("role", "bag", "registrations"),
    [
        ("province_admin", 403, 403),
        ("analyst", 403, 403),
        ("coordinator", 403, 403),
        ("member", 403, 403),
        ("venlo_officer", 403, 200),
        ("inspector", 403, 200),
    ],
)
def test_the_import_pages_by_role(users, role, bag, registrations):
    client = Client()
    client.force_login(users[role])
    assert client.get("/imports/bag/").status_code == bag
    assert client.get("/imports/registrations/").status_code == registrations


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_the_web_import_of_registrations(users, tmp_path, fmt):
    client = Client()
    client.force_login(users["venlo_officer"])
    rows = [REG_HEADER, *REG_ROWS[:3]]
    data = {
        "csv": lambda: csv_file(rows),
        "xlsx": lambda: xlsx_file(rows),
        "parquet": lambda: parquet_file(tmp_path / "r.parquet", rows, REG_TYPES).read_bytes(),
    }[fmt]()
    page = client.get("/imports/registrations/").content.decode()
    assert ".parquet" in page and "household" in page
    upload = SimpleUploadedFile(f"inschrijvingen Jan Kowalski.{fmt}", data)
    response = client.post("/imports/registrations/", {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    assert "Kowalski" not in job.filename
    preview = client.get(response["Location"]).content.decode()
    assert pseudonym("123456782")[:8] in preview
    assert "123456782" not in preview and "Kowalski" not in preview
    stored_as = job.file.name
    client.post(f"/imports/job/{job.pk}/opslaan/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created == 3
    assert not job.file and not default_storage.exists(stored_as) and job.items == []
    assert Registration.objects.filter(import_job=job).count() == 3
    entry = AuditEntry.objects.get(action="change", subject="inschrijvingen")
    assert entry.municipality_codes == VENLO
    # a personal import: its job is seen by who started it only, not the province admin
    client.force_login(users["province_admin"])
    assert client.get(f"/imports/job/{job.pk}/").status_code == 404


def test_the_command_line_imports_both_and_keeps_no_copy_of_registrations(areas, tmp_path, capsys):
    bag = parquet_file(tmp_path / "bag.parquet", [BAG_HEADER, *BAG_ROWS], BAG_TYPES)
    registrations = tmp_path / "registrations.csv"
    registrations.write_bytes(csv_file([REG_HEADER, *REG_ROWS]))
    assert main(["import", "bag", str(bag), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 3
    assert main(["import", "registrations", str(registrations), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 4
    assert stored_bag() == EXPECTED_BAG and stored_registrations() == EXPECTED_REGISTRATIONS
    job = ImportJob.objects.get(kind="registrations")
    assert not job.file and job.items == [] and job.filename.startswith("registrations-")
    assert ImportJob.objects.get(kind="bag").filename == "bag.parquet"  # not personal

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([REG_HEADER, [*REG_ROWS[0][:4], "XYZ", *REG_ROWS[0][5:]]]))
    assert main(["import", "registrations", str(bad), "--json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "register")]
    assert Registration.objects.count() == 4


def test_spreadsheet_numbers_of_more_than_15_digits_are_refused(areas):
    rows = [
        ["person", "address_id", "municipality", "register", "start_date"],
        [1234567890123456, "0983200000000101", VENLO, "BRP", "2024-01-01"],
        [123456782, "0983200000000101", VENLO, "BRP", "2024-01-01"],
    ]
    result = run(RegistrationImporter, SYSTEM, xlsx_file(rows), "r.xlsx")
    assert error_cells(result) == {(2, "person")}
    assert "1234567890123456" not in json.dumps(result.as_dict())
