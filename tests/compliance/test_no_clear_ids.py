"""No clear person id in the database after imports and scans (issue 7: "No clear-text person
id in the database after imports (tested)").

Registrations are imported and scans read extract files holding recognisable identifiers and
names (invented, fictief), beside extra columns an extract from the BRP would bring; then
every text, JSON and file column of every model, the import jobs and the upload folder are
searched for them, as tests/housing/test_guest_register_import.py does for guest registers.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import tempfile
from pathlib import Path

import duckdb
import pytest
from django.conf import settings
from fixtures import VENLO
from housing.test_guest_register_import import occurrences

from waardig.cli import main
from waardig.compliance.importers import RegistrationImporter
from waardig.compliance.models import Registration, ScanRun, Signal
from waardig.core.access import SYSTEM
from waardig.core.imports import jobs, run_import
from waardig.core.models import ImportJob
from waardig.housing.guest_register import GuestRegisterImporter
from waardig.housing.models import GuestStay
from waardig.housing.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db

IDENTIFIERS = ["BSN 123456782", "NL-ID-7654321", "XK9921004"]
NAMES = ["Jan Kowalski", "Maria Popescu", "Łukasz Wójcik"]
HOUSEHOLD = "HUISHOUDEN-KOWALSKI-4711"
LOCATION_ADDRESS = "0983200000000001"
HEADER = [
    "naam", "person", "address_id", "municipality", "register", "start_date", "end_date",
    "household", "opmerking",
]  # fmt: skip
ROWS = [
    [NAMES[0], IDENTIFIERS[0], "0983200000000101", VENLO, "BRP", "2024-01-01", "", HOUSEHOLD,
     f"{NAMES[0]} ({IDENTIFIERS[0]})"],
    [NAMES[1], IDENTIFIERS[1], "0983200000000101", VENLO, "BRP", "2024-02-01", "2025-03-01",
     HOUSEHOLD, ""],
    [NAMES[2], IDENTIFIERS[2], LOCATION_ADDRESS, VENLO, "RNI", "2024-12-01", "", "",
     f"kamer 3, {NAMES[2]}"],
]  # fmt: skip
GUESTS = [
    ["naam", "person", "address_id", "arrival", "departure"],
    [NAMES[2], IDENTIFIERS[2], LOCATION_ADDRESS, "2024-12-01", ""],  # seven months: overstay
    [NAMES[1], IDENTIFIERS[1], LOCATION_ADDRESS, "2025-06-01", ""],
    [NAMES[0], IDENTIFIERS[0], LOCATION_ADDRESS, "2025-06-01", ""],
]


def secrets() -> list[str]:
    """The identifiers as written, normalised and as their bare numbers, the names and the
    household key."""
    clear = [*IDENTIFIERS, HOUSEHOLD]
    normalised = ["".join(c for c in i if c.isalnum()) for i in clear]
    numbers = ["".join(c for c in i if c.isdigit()) for i in clear]
    return [*clear, *normalised, *numbers, *NAMES, "Kowalski", "Popescu"]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode()


def parquet(path: Path, rows: list[list[str]]) -> Path:
    source = path.with_suffix(".source.csv")
    source.write_bytes(csv_bytes(rows))
    options = "all_varchar = true, delim = ';', header = true"
    select = f"SELECT * FROM read_csv('{source}', {options})"  # noqa: S608
    duckdb.sql(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    source.unlink()
    return path


def assert_nothing_clear() -> None:
    for secret in secrets():
        assert occurrences(secret) == [], secret
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for secret in secrets():
                assert secret.encode() not in content, (path, secret)


def upload_folders() -> set[str]:
    """Private folders the Parquet reader writes an upload to while it reads it."""
    return {p.name for p in Path(tempfile.gettempdir()).glob("waardig-upload-*")}


def web_import(actor, data: bytes, name: str) -> ImportJob:
    """Preview, then commit through the job, as the import page does."""
    job = jobs.create_job(actor, "registrations", name, data)
    jobs.execute(job, commit=False)
    job.refresh_from_db()
    if job.status == ImportJob.Status.PREVIEW:
        jobs.execute(job, commit=True)
        job.refresh_from_db()
    return job


def test_imported_registrations_leave_no_clear_id_anywhere(users, tmp_path, capsys):
    before = upload_folders()
    officer = users["venlo_officer"]
    job = web_import(officer, csv_bytes([HEADER, *ROWS]), f"BRP {NAMES[0]} 123456782.csv")
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.created == len(ROWS) == Registration.objects.count()
    assert job.items == [] and not job.file and job.errors == []
    # the same file as Parquet and as a corrected CSV through the command line
    path = parquet(tmp_path / f"{NAMES[1]}.parquet", [HEADER, *ROWS])
    assert main(["import", "registrations", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == len(ROWS)
    corrected = [[*ROWS[0][:6], "2025-05-01", *ROWS[0][7:]]]
    path = tmp_path / f"{NAMES[2]} {IDENTIFIERS[2]}.csv"
    path.write_bytes(csv_bytes([HEADER, *corrected]))
    assert main(["import", "registrations", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["updated"] == 1
    # a file with errors: refused without quoting, its upload deleted too
    bad = [[*ROWS[0][:4], IDENTIFIERS[0], *ROWS[0][5:]]]  # the number in the register column
    refused = web_import(officer, csv_bytes([HEADER, *bad]), "bad.csv")
    assert refused.status == ImportJob.Status.INVALID and not refused.file

    assert_nothing_clear()
    assert upload_folders() <= before
    # the search finds what is stored: pseudonyms of persons and of the household
    assert "compliance.Registration.pseudonym" in occurrences(pseudonym(IDENTIFIERS[0]))
    assert "compliance.Registration.household" in occurrences(pseudonym(HOUSEHOLD))
    assert ImportJob.objects.filter(kind="registrations").count() == 4


def test_the_same_person_has_one_pseudonym_in_registrations_and_guest_registers(users, locations):
    run_import(RegistrationImporter(SYSTEM), csv_bytes([HEADER, *ROWS]), "r.csv", dry_run=False)
    register = [["person_id", "arrival"], ["nl-id 765.4321", "2025-06-01"]]  # written otherwise
    importer = GuestRegisterImporter(SYSTEM, {"location": str(locations["venlo"].pk)})
    assert run_import(importer, csv_bytes(register), "g.csv", dry_run=False).ok
    stay = GuestStay.objects.get()
    registration = Registration.objects.get(start=datetime.date(2024, 2, 1))
    assert stay.pseudonym == registration.pseudonym == pseudonym(IDENTIFIERS[1])
    assert Registration.objects.get(start=datetime.date(2024, 1, 1)).pseudonym != stay.pseudonym


def test_a_scan_over_files_with_person_columns_stores_no_clear_id(make_location, tmp_path, capsys):
    location = make_location(VENLO, name="Logies Venlo", bag_id=LOCATION_ADDRESS)
    registrations = tmp_path / "registrations.csv"
    registrations.write_bytes(csv_bytes([HEADER, *ROWS]))
    guests = parquet(tmp_path / "guests.parquet", GUESTS)
    args = ["scan", "--date", "2025-06-30", "--registrations", str(registrations)]
    assert main([*args, "--guests", str(guests), "--json"]) == 0, capsys.readouterr().err
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["signals_per_kind"]["overstay"] == 1
    assert outcome["signals_per_kind"]["rni_overdue"] == 1
    # the files' persons are the pseudonyms the imports would give them
    overstay = Signal.objects.get(kind="overstay")
    assert (overstay.location, overstay.pseudonym) == (location, pseudonym(IDENTIFIERS[2]))
    assert Signal.objects.get(kind="rni_overdue").pseudonym == pseudonym(IDENTIFIERS[2])
    assert_nothing_clear()


def test_a_personal_file_the_scan_cannot_read_leaves_no_clear_id(make_location, tmp_path, capsys):
    """DuckDB's own message for a broken line quotes the line: it must not be kept."""
    make_location(VENLO, name="Logies Venlo", bag_id=LOCATION_ADDRESS)
    good = [
        [f"P-{n}", "0983200000000101", VENLO, "BRP", "2024-01-01"] for n in range(21_000)
    ]  # more than the lines DuckDB samples to learn the layout
    broken = [f"{NAMES[0]} {IDENTIFIERS[0]}", "0983200000000101", VENLO, "BRP", "2024-01-01", "x"]
    path = tmp_path / "registrations.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER[1:6], *good, broken])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert main(["scan", "--date", "2025-06-30", "--registrations", str(path)]) == 1
    capsys.readouterr()
    assert ScanRun.objects.get().status == ScanRun.Status.FAILED
    assert_nothing_clear()
