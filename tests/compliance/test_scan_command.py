"""`waardig scan` on the command line: over extract files (CSV and Parquet written here) or
over the imported extracts in the database, its outcome as text or JSON, and every way it
can refuse or fail.

One short-stay location in Venlo and a handful of invented (fictief) persons and addresses,
planted so that each registration signal is found once:
a. four persons on 30 m² (address ...101);  b. a guest at the location for seven months;
c. seven months in the RNI (address ...102); d. one of four guests registered there;
f. the location has no certificate;          g. five households at an unlisted address.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import duckdb
import pytest
from fixtures import MAASTRICHT, VENLO

from waardig.cli import main
from waardig.compliance import commands, scans
from waardig.compliance.models import Check, Finding, ScanRun, Signal
from waardig.core.access import SYSTEM
from waardig.core.imports import run_import
from waardig.housing.guest_register import GuestRegisterImporter
from waardig.housing.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db

ON = "2025-06-30"
LOCATION_ADDRESS = "0983200000000001"
BAG = [
    ["address_id", "municipality", "postcode", "house_number", "floor_area", "purpose"],
    ["0983200000000101", VENLO, "5911 AB", "10", "30", "woonfunctie"],
    ["0983200000000102", VENLO, "5911 AC", "12", "200", "woonfunctie"],
    ["0935200000000201", MAASTRICHT, "6211 AA", "3", "500", "woonfunctie"],
]
REGISTRATIONS = [
    ["person", "address_id", "municipality", "register", "start_date", "end_date", "household"],
    ["P-1", "0983200000000101", VENLO, "BRP", "2024-01-01", "", "H-1"],
    ["P-2", "0983200000000101", VENLO, "BRP", "2024-01-01", "", "H-1"],
    ["P-3", "0983200000000101", VENLO, "BRP", "2024-01-01", "", "H-2"],
    ["P-4", "0983200000000101", VENLO, "BRP", "2024-01-01", "", "H-2"],
    ["P-5", "0983200000000102", VENLO, "RNI", "2025-01-01", "", ""],
    *[[f"Q-{n}", "0935200000000201", MAASTRICHT, "BRP", "2024-01-01", "", ""] for n in range(5)],
    ["G-1", LOCATION_ADDRESS, VENLO, "BRP", "2025-05-01", "", ""],  # a guest, registered
]
GUESTS = [
    ["person", "address_id", "arrival", "departure"],
    ["G-1", LOCATION_ADDRESS, "2024-12-01", ""],
    ["G-2", LOCATION_ADDRESS, "2025-06-01", ""],
    ["G-3", LOCATION_ADDRESS, "2025-06-01", ""],
    ["G-4", LOCATION_ADDRESS, "2025-06-01", ""],
]
SIGNALS = {
    "certificate": 1,
    "overcrowding": 1,
    "overstay": 1,
    "rni_overdue": 1,
    "unlisted": 1,
    "unregistered": 1,
}
FINDINGS = {"consecutive_stay": 1, "valid_certificate": 1}
TYPES = {
    "house_number": "INTEGER", "floor_area": "DOUBLE", "start_date": "DATE", "end_date": "DATE",
    "arrival": "DATE", "departure": "DATE",
}  # fmt: skip


def pseudonymised(rows: list[list[str]]) -> list[list[str]]:
    """As `waardig synth --pseudonymise` writes an extract: a pseudonym column."""
    return [["pseudonym", *rows[0][1:]]] + [[pseudonym(r[0]), *r[1:]] for r in rows[1:]]


def write(path: Path, rows: list[list[str]]) -> Path:
    """A CSV file, or for a .parquet path a typed Parquet file written by DuckDB's COPY."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    if path.suffix == ".csv":
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return path
    source = path.with_suffix(".source.csv")
    source.write_text(buffer.getvalue(), encoding="utf-8")
    columns = ", ".join(
        f"CAST(NULLIF({c}, '') AS {TYPES[c]}) AS {c}" if c in TYPES else c for c in rows[0]
    )
    options = "all_varchar = true, header = true"
    select = f"SELECT {columns} FROM read_csv('{source}', {options})"  # noqa: S608
    duckdb.sql(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    source.unlink()
    return path


def extracts(folder: Path, fmt: str = "csv", person: bool = False) -> list[str]:
    """The arguments naming the three extract files."""
    persons = (lambda rows: rows) if person else pseudonymised
    return [
        "--bag", str(write(folder / f"bag.{fmt}", BAG)),
        "--registrations", str(write(folder / f"registrations.{fmt}", persons(REGISTRATIONS))),
        "--guests", str(write(folder / f"guests.{fmt}", persons(GUESTS))),
    ]  # fmt: skip


@pytest.fixture
def location(make_location):
    return make_location(VENLO, name="Logies Venlo", bag_id=LOCATION_ADDRESS)


def scan_json(capsys, *args: str) -> dict:
    assert main(["scan", "--date", ON, *args, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def stored_signals() -> set[tuple]:
    return set(Signal.objects.values_list("kind", "municipality__code", "address_id", "pseudonym"))


EXPECTED_SIGNALS = {
    ("certificate", VENLO, LOCATION_ADDRESS, ""),
    ("overcrowding", VENLO, "0983200000000101", ""),
    ("overstay", VENLO, LOCATION_ADDRESS, pseudonym("G-1")),
    ("rni_overdue", VENLO, "0983200000000102", pseudonym("P-5")),
    ("unlisted", MAASTRICHT, "0935200000000201", ""),
    ("unregistered", VENLO, LOCATION_ADDRESS, ""),
}


def test_a_scan_over_csv_files_writes_findings_and_signals(location, tmp_path, capsys):
    outcome = scan_json(capsys, *extracts(tmp_path))
    run = ScanRun.objects.get()
    assert outcome["scan"] == run.pk and run.status == ScanRun.Status.DONE
    assert outcome["on"] == ON and run.on == datetime.date(2025, 6, 30)
    assert outcome["sources"] == {
        "bag": "bag.csv",
        "registrations": "registrations.csv",
        "guests": "guests.csv",
    }
    assert outcome["locations"] == 1 == Check.objects.filter(scan=run).count()
    assert outcome["findings_per_norm"] == FINDINGS
    assert outcome["findings"] == sum(FINDINGS.values()) == Finding.objects.count()
    assert outcome["signals_per_kind"] == SIGNALS
    assert outcome["signals_new"] == len(SIGNALS) and outcome["signals_refreshed"] == 0
    assert stored_signals() == EXPECTED_SIGNALS
    # the guest registered at the location's address counts as registered (one pseudonym)
    unregistered = Signal.objects.get(kind="unregistered")
    assert unregistered.details == {"guests": 4, "registered": 1}


def test_parquet_files_give_the_same_outcome_and_refresh_the_signals(location, tmp_path, capsys):
    first = scan_json(capsys, *extracts(tmp_path, "csv"))
    again = scan_json(capsys, *extracts(tmp_path, "parquet"))
    assert again["sources"]["bag"] == "bag.parquet"
    for key in ("locations", "findings_per_norm", "signals_per_kind"):
        assert again[key] == first[key], key
    assert (again["signals_new"], again["signals_refreshed"]) == (0, len(SIGNALS))
    assert stored_signals() == EXPECTED_SIGNALS
    assert Signal.objects.filter(scan_id=again["scan"]).count() == len(SIGNALS)


def test_files_with_clear_person_numbers_give_the_same_outcome(location, tmp_path, capsys):
    outcome = scan_json(capsys, *extracts(tmp_path, "parquet", person=True))
    assert outcome["signals_per_kind"] == SIGNALS
    assert stored_signals() == EXPECTED_SIGNALS


def test_a_scan_over_the_imported_extracts_finds_the_same(location, tmp_path, capsys):
    """Imported with `waardig import` (clear numbers pseudonymised there) and the guest
    register, then scanned without files: the database's scan is the files' scan."""
    bag = write(tmp_path / "bag.parquet", BAG)
    registrations = write(tmp_path / "registrations.csv", REGISTRATIONS)
    assert main(["import", "bag", str(bag), "--json"]) == 0
    assert main(["import", "registrations", str(registrations), "--json"]) == 0
    register = io.StringIO()
    csv.writer(register).writerows([["person_id", *GUESTS[0][2:]]] + [
        [row[0], *row[2:]] for row in GUESTS[1:]
    ])  # fmt: skip
    importer = GuestRegisterImporter(SYSTEM, {"location": str(location.pk)})
    assert run_import(importer, register.getvalue().encode(), "r.csv", dry_run=False).ok
    capsys.readouterr()

    outcome = scan_json(capsys)
    assert outcome["sources"] == {}
    assert outcome["signals_per_kind"] == SIGNALS
    assert outcome["findings_per_norm"] == FINDINGS
    assert stored_signals() == EXPECTED_SIGNALS
    assert Signal.objects.get(kind="unregistered").details == {"guests": 4, "registered": 1}


def test_the_text_outcome_names_locations_findings_and_signals(location, tmp_path, capsys):
    assert main(["scan", "--date", ON, *extracts(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1 location checked, 2 findings, 6 signals (6 new, 0 refreshed" in out
    assert "consecutive_stay" in out and "aaneengesloten verblijf" in out
    for kind in SIGNALS:
        assert kind in out, kind
    assert "bag from bag.csv" in out


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("30-06-2025", "YYYY-MM-DD"),
        ("2025-6-30", "YYYY-MM-DD"),
        ("2025-02-30", "does not exist"),
        ("morgen", "YYYY-MM-DD"),
        ("future", "lies in the future"),
    ],
)
def test_a_bad_date_is_refused_before_anything_runs(location, capsys, given, message):
    if given == "future":
        given = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    assert main(["scan", "--date", given]) == 1
    assert message in capsys.readouterr().err
    assert not ScanRun.objects.exists()


def test_a_missing_file_is_refused_before_anything_runs(location, tmp_path, capsys):
    args = extracts(tmp_path)
    args[3] = str(tmp_path / "nergens.csv")
    assert main(["scan", "--date", ON, *args, "--json"]) == 1
    captured = capsys.readouterr()
    assert "--registrations" in captured.err and "nergens.csv" in captured.err
    assert json.loads(captured.out)["status"] == "failed"
    assert not ScanRun.objects.exists()


def test_a_file_of_another_kind_is_refused_before_anything_runs(location, tmp_path, capsys):
    sheet = tmp_path / "bag.xlsx"
    sheet.write_bytes(b"PK")
    assert main(["scan", "--date", ON, "--bag", str(sheet)]) == 1
    assert "--bag" in capsys.readouterr().err
    assert not ScanRun.objects.exists()


def test_the_default_day_is_today(location, capsys):
    assert main(["scan", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["on"] == datetime.date.today().isoformat()


def test_an_unreadable_extract_names_row_and_column_and_writes_nothing(location, tmp_path, capsys):
    rows = pseudonymised(REGISTRATIONS)
    rows[2][3] = ""  # row 3: no register
    rows[4][4] = "1-1-2024"  # row 5: no ISO date
    args = extracts(tmp_path)
    write(tmp_path / "registrations.csv", rows)
    assert main(["scan", "--date", ON, *args]) == 1
    err = capsys.readouterr().err
    assert "registrations extract registrations.csv cannot be read" in err
    assert "row 3, column register" in err and "row 5, column start_date" in err
    run = ScanRun.objects.get()
    assert run.status == ScanRun.Status.FAILED and "register" in run.error
    assert not Check.objects.exists() and not Signal.objects.exists()

    assert main(["scan", "--date", ON, *args, "--json"]) == 1
    failed = json.loads(capsys.readouterr().out)
    assert failed["status"] == "failed" and failed["scan"] == ScanRun.objects.first().pk
    assert [(p["row"], p["column"]) for p in failed["problems"]] == [
        (3, "register"),
        (5, "start_date"),
    ]


def test_any_failure_is_kept_on_the_run_and_writes_nothing(location, tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scans, "write", broken)
    assert main(["scan", "--date", ON, *extracts(tmp_path)]) == 1
    assert "the scan failed: disk full" in capsys.readouterr().err
    run = ScanRun.objects.get()
    assert run.status == ScanRun.Status.FAILED and run.error == "disk full"
    assert not Check.objects.exists() and not Signal.objects.exists()


def test_only_who_may_start_a_scan_may_run_one(users, location, capsys):
    assert main(["scan", "--date", ON, "--as", "venlo"]) == 1
    assert "may not start a scan" in capsys.readouterr().err
    assert not ScanRun.objects.exists()
    assert main(["scan", "--date", ON, "--as", "provincie", "--json"]) == 0
    assert ScanRun.objects.get().user == users["province_admin"]


@pytest.mark.parametrize(
    ("tty", "as_json", "bar"), [(True, False, True), (True, True, False), (False, False, False)]
)
def test_a_progress_bar_on_a_terminal_only(location, capsys, monkeypatch, tty, as_json, bar):
    given = []
    real = scans.run

    def run(run, files=None, progress=None):
        given.append(progress)
        return real(run, files, progress=progress)

    monkeypatch.setattr(commands.scans, "run", run)
    monkeypatch.setattr("sys.stdout.isatty", lambda: tty)
    assert main(["scan", "--date", ON, *(["--json"] if as_json else [])]) == 0
    assert (given[0] is not None) is bar
    if as_json:
        assert json.loads(capsys.readouterr().out)["status"] == "done"
