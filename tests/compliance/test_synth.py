"""`waardig synth`: on the tiny scale, a scan over its files finds exactly the planted signals
and norm findings, nothing else; in CSV and Parquet, with clear person numbers and with
pseudonyms; and the same seed gives the same data.

The files are read back as a user's files are: the locations through the housing import, the
extracts by the scan itself.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from waardig.cli import main as cli
from waardig.compliance import scans
from waardig.compliance.models import Finding, NormKind, Signal, SignalKind
from waardig.core.access import SYSTEM
from waardig.core.imports import run_import
from waardig.housing.importers import LocationImporter
from waardig.housing.models import Location
from waardig.housing.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db

EXTRACTS = ("bag", "registrations", "guests")


def synth(out: Path, *options: str) -> dict:
    assert cli(["synth", "--scale", "tiny", "--out", str(out), *options]) == 0
    return json.loads((out / "planted.json").read_text(encoding="utf-8"))


def scan_synth(out: Path, fmt: str, planted: dict):
    """Import the locations, scan the extracts on the planted date: (run, location ids)."""
    data = (out / "locations.csv").read_bytes()
    result = run_import(LocationImporter(SYSTEM), data, "locations.csv", dry_run=False)
    assert result.ok, result.errors[:3]
    assert result.created == planted["counts"]["locations"]
    files = {kind: out / f"{kind}.{fmt}" for kind in EXTRACTS}
    on = datetime.date.fromisoformat(planted["scan_date"])
    run = scans.run(scans.start(on, SYSTEM, files), files=files)
    assert run.status == "done", run.error
    return run, dict(Location.objects.values_list("bag_id", "id"))


def expected_signals(planted: dict, ids: dict[str, int]) -> set[tuple[str, str]]:
    def person(entry: dict) -> str:
        return entry.get("pseudonym") or pseudonym(entry.get("person", "0"))

    return {
        (s["kind"], s["key"].format(location=ids.get(s["bag_id"]), pseudonym=person(s)))
        for s in planted["signals"]
    }


def found(run) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    signals = set(Signal.objects.filter(scan=run).values_list("kind", "key"))
    findings = set(
        Finding.objects.filter(check_run__scan=run).values_list(
            "check_run__location__bag_id", "norm_set_name", "kind"
        )
    )
    return signals, findings


def test_plants_cover_every_signal_and_many_norms(tmp_path):
    planted = synth(tmp_path, "--format", "csv")
    assert {s["kind"] for s in planted["signals"]} == set(SignalKind.values) - {"report"}
    assert {f["kind"] for f in planted["findings"]} == set(NormKind.values)
    assert planted["counts"]["bag"] >= 300


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_scan_finds_exactly_what_was_planted(tmp_path, areas, fmt):
    planted = synth(tmp_path, "--format", fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*(f"{k}.{fmt}" for k in EXTRACTS), "locations.csv", "planted.json"]
    )
    run, ids = scan_synth(tmp_path, fmt, planted)
    signals, findings = found(run)
    assert signals == expected_signals(planted, ids)
    assert findings == {(f["bag_id"], f["norm_set"], f["kind"]) for f in planted["findings"]}
    assert run.counts["signals_outside_area"] == 0
    assert run.counts["locations"] == planted["counts"]["locations"]
    assert Location.objects.filter(fictitious=True).count() == planted["counts"]["locations"]


def test_pseudonymised_files_hold_no_person_number_and_give_the_same_plants(tmp_path, areas):
    planted = synth(tmp_path, "--format", "parquet", "--pseudonymise", "--seed", "11")
    for kind in ("registrations", "guests"):
        columns = duckdb.read_parquet(str(tmp_path / f"{kind}.parquet")).columns
        assert columns[0] == "pseudonym"
        assert "person" not in columns
    people = [s for s in planted["signals"] if "person" in s]
    assert people
    for entry in people:  # the documented derivation: sha256 of salt and number
        salted = f"waardig-synth:11:{entry['person']}".encode()
        assert entry["pseudonym"] == hashlib.sha256(salted).hexdigest()
    run, ids = scan_synth(tmp_path, "parquet", planted)
    signals, findings = found(run)
    assert signals == expected_signals(planted, ids)
    assert findings == {(f["bag_id"], f["norm_set"], f["kind"]) for f in planted["findings"]}


def content(out: Path) -> dict[str, list[tuple]]:
    """Each file's rows in order (the generator writes them in parallel, in any order)."""
    rows = {}
    for path in [out / f"{kind}.parquet" for kind in EXTRACTS] + [out / "locations.csv"]:
        read = duckdb.read_parquet if path.suffix == ".parquet" else duckdb.read_csv
        rows[path.name] = sorted(read(str(path)).fetchall(), key=repr)
    return rows


def test_the_same_seed_gives_the_same_data(tmp_path):
    first = synth(tmp_path / "a", "--seed", "5")
    again = synth(tmp_path / "b", "--seed", "5")
    other = synth(tmp_path / "c", "--seed", "6")
    assert first == again
    assert content(tmp_path / "a") == content(tmp_path / "b")
    assert content(tmp_path / "a") != content(tmp_path / "c")
    assert other["signals"] == first["signals"]  # the plants themselves do not depend on it
