"""`waardig import observations` on a large template file against a plain bulk insert.

Usage: .venv/bin/python bench/import_observations.py [--rows 1000000]

Generates a Waardig template CSV with unique keys (indicator and stay class x the municipality
codes of src/waardig/areas/data/pv31-limburg.csv x months from 1900-01) and times three
subprocesses:

1. ``waardig import observations FILE`` on a fresh database (read, validate every row, plan,
   write atomically, with the import job the command records);
2. ``waardig import observations FILE`` again on the database of run 1 (all unchanged);
3. the baseline, on a fresh database too: csv.reader + executemany INSERT of the same rows
   into the same table, with only the conversion the table needs (ids looked up, period
   split, decimal comma).

Wall time is measured around each subprocess, peak memory is the subprocess's own maximum
resident set size (os.wait4). A throwaway SQLite database per run in a temporary directory,
or the PostgreSQL database DATABASE_URL names (its observations are deleted before each run;
the database itself is set up with ``waardig setup`` first).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from measure import measured, proc_fact

from waardig.monitor.periods import FIRST_YEAR, LAST_YEAR  # the years a period may have

ROOT = Path(__file__).resolve().parent.parent
WAARDIG = [str(Path(sys.executable).with_name("waardig"))]  # the console script beside python
AREAS = ROOT / "src/waardig/areas/data/pv31-limburg.csv"
INDICATORS = ROOT / "src/waardig/monitor/data/indicators.json"
STAY_CLASSES = ("", "kort", "middellang", "lang")
STATUS = {"definitief": "definitive"}


# --- the file --------------------------------------------------------------------------------


def keys_per_month() -> list[tuple[str, str, str]]:
    """(indicator, stay class, municipality): 27 x 34 = 918 distinct figures a month."""
    indicators = json.loads(INDICATORS.read_text(encoding="utf-8"))
    with AREAS.open(encoding="utf-8", newline="") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    return [
        (indicator["code"], stay, code)
        for indicator in indicators
        for stay in (STAY_CLASSES if indicator.get("by_stay_class") else ("",))
        for code in codes
    ]


def write_template(path: Path, rows: int) -> None:
    keys = keys_per_month()
    months = (LAST_YEAR - FIRST_YEAR + 1) * 12
    if rows > len(keys) * months:
        raise SystemExit(f"at most {len(keys) * months} distinct figures fit the period range")
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";", lineterminator="\n")
        out.writerow(["indicator", "area", "period", "stay_class", "value", "status", "source"])
        for i in range(rows):
            month, (indicator, stay, code) = divmod(i, len(keys))[0], keys[i % len(keys)]
            period = f"{FIRST_YEAR + month // 12}-{month % 12 + 1:02d}"
            value = f"{i % 9973},5" if i % 4 == 0 else str(i % 99991)  # some decimal commas
            out.writerow([indicator, code, period, stay, value, "definitief", "bench (fictief)"])


# --- running and measuring -------------------------------------------------------------------


def fresh_database(env: dict[str, str], template: Path | None, name: str, workdir: Path) -> dict:
    """A copy of the set-up SQLite file, or the PostgreSQL database with no observations."""
    if template is None:
        subprocess.run([sys.executable, __file__, "--reset-worker"], env=env, check=True)
        return env
    copy = workdir / f"{name}.sqlite3"
    shutil.copyfile(template, copy)
    return env | {"DATABASE_URL": f"sqlite:///{copy}"}


def report(label: str, rows: int, seconds: float, peak: float) -> float:
    rate = rows / seconds
    print(f"{label:<34} {rows:>9} rows {seconds:8.1f} s {rate:9.0f} rows/s  peak {peak:7.1f} MiB")
    return rate


def machine(env: dict[str, str], size: int) -> None:
    cpu = proc_fact("/proc/cpuinfo", "model name") or platform.machine()
    memory = proc_fact("/proc/meminfo", "MemTotal").split()
    memory_gib = int(memory[0]) / 2**20 if memory else 0
    url = env.get("DATABASE_URL", "")
    database = (
        f"PostgreSQL, database {urlsplit(url).path.strip('/')}"
        if url.startswith("postgres")
        else f"SQLite {sqlite3.sqlite_version}"
    )
    print(
        f"machine: {cpu}, {os.cpu_count()} cores, "
        f"{memory_gib:.1f} GiB RAM, {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}, database {database}, file {size / 2**20:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reset-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_worker:
        return baseline_worker(args.baseline_worker)
    if args.reset_worker:
        return reset_worker()

    workdir = Path(tempfile.mkdtemp(prefix="waardig-bench-"))
    try:
        run(args.rows, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(rows: int, workdir: Path) -> None:
    env = os.environ | {"WAARDIG_VAR_DIR": str(workdir / "var")}
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    template = None if postgres else workdir / "setup.sqlite3"
    if template is not None:
        env["DATABASE_URL"] = f"sqlite:///{template}"
    subprocess.run([*WAARDIG, "setup"], env=env, check=True)
    if template is not None:
        with sqlite3.connect(template) as db:  # one file to copy: no write-ahead log beside it
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")

    data = workdir / "observations.csv"
    write_template(data, rows)
    machine(env, data.stat().st_size)
    command = [*WAARDIG, "import", "observations", str(data), "--json"]

    framework_env = fresh_database(env, template, "framework", workdir)
    seconds, peak, out = measured(command, framework_env, workdir)
    outcome = json.loads(out)
    assert (outcome["created"], outcome["errors"]) == (rows, []), outcome["errors"][:3]
    rate = report("waardig import observations", rows, seconds, peak)

    again_seconds, again_peak, out = measured(command, framework_env, workdir)
    outcome = json.loads(out)
    assert (outcome["unchanged"], outcome["created"], outcome["updated"]) == (rows, 0, 0)
    again_rate = report("  again, all unchanged", rows, again_seconds, again_peak)

    baseline_env = fresh_database(env, template, "baseline", workdir)
    worker = [sys.executable, __file__, "--baseline-worker", str(data)]
    base_seconds, base_peak, out = measured(worker, baseline_env, workdir)
    assert int(out) == rows, out
    base_rate = report("baseline: csv + executemany INSERT", rows, base_seconds, base_peak)

    print(
        f"ratio: the import runs at {rate / base_rate:.2f}x the baseline rate "
        f"({seconds / base_seconds:.1f}x its time) with {peak / base_peak:.1f}x its peak memory; "
        f"re-importing at {again_rate / base_rate:.2f}x the baseline rate"
    )


# --- the subprocesses measured or used above ---------------------------------------------------


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waardig.settings")
    import django

    django.setup()


def reset_worker() -> None:
    django_setup()
    from waardig.monitor.models import Observation

    Observation.objects.all().delete()


def baseline_worker(path: Path) -> None:
    """The least a loader must do: read the CSV, look up ids, split the period, insert."""
    django_setup()
    from decimal import Decimal

    from django.db import connection, transaction

    from waardig.areas.models import Municipality
    from waardig.monitor.models import Indicator, Observation

    indicators = dict(Indicator.objects.values_list("code", "pk"))
    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    stays = dict(zip(STAY_CLASSES, ("", "short", "mid", "long"), strict=True))
    names = [
        "indicator_id",
        "municipality_id",
        "period",
        "period_kind",
        "year",
        "period_start",
        "stay_class",
        "value",
        "status",
        "source",
        "publication",
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Observation._meta.db_table),
        ", ".join(quote(name) for name in names),
        ", ".join(["%s"] * len(names)),
    )

    def converted(record: list[str]) -> list[object]:
        indicator, area, period, stay, value, status, source = record
        return [
            indicators[indicator],
            municipalities[area],
            period,
            "month",
            int(period[:4]),
            f"{period}-01",
            stays[stay],
            Decimal(value.replace(",", ".")),
            STATUS[status],
            source,
            "",
        ]

    with path.open(encoding="utf-8", newline="") as handle, transaction.atomic():
        records = csv.reader(handle, delimiter=";")
        next(records)
        with connection.cursor() as cursor:
            while batch := [converted(r) for r in itertools.islice(records, 1000)]:
                cursor.executemany(sql, batch)
    print(Observation.objects.count())


if __name__ == "__main__":
    main()
