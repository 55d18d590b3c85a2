"""The national supervision scan on DuckDB against the same rules as plain SQL on PostgreSQL.

Usage: .venv/bin/python bench/scan_national.py [--scale national] [--keep DIR] [--work-mem 256MB]

1. Generates the extracts with ``waardig synth --scale SCALE --format parquet --pseudonymise``
   (or reuses them from ``--keep DIR`` when its planted.json matches);
2. sets up a throwaway SQLite app database with ``waardig setup`` and loads the synthetic
   housing locations into it (bulk_create: the location import is measured elsewhere);
3. runs ``waardig scan --date D --bag --registrations --guests --json`` as a subprocess:
   wall time around it, peak memory its own maximum resident set size (os.wait4);
4. loads the engine's input tables exactly as the scan does (compliance.checks.prepare, in
   this process), writes them to CSV with DuckDB and COPYs them into a throwaway PostgreSQL
   server (tests/pg_server.py); then runs the engine's own SQL on that connection unchanged
   (``Engine(on, con=psycopg connection)``: build_facts, evaluate, signals), timed per step,
   with the server's peak memory (the sum of the proportional set sizes of all its
   processes, sampled every 0.1 s). The same steps on the DuckDB engine in this
   process give the rules-only baseline;
5. checks that both databases found the same findings and signals, and that the scan's
   signals are exactly the planted ones.

Nothing here is a test: it prints its figures and the machine, and whether the national
budget (scan under 30 s and 6 GB on the 2-core machine) was met.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from measure import measured, proc_fact

ROOT = Path(__file__).resolve().parent.parent
WAARDIG = [str(Path(sys.executable).with_name("waardig"))]  # the console script beside python
EXTRACTS = ("bag", "registrations", "guests")
BUDGET_SECONDS, BUDGET_MIB = 30, 6 * 1024
SIGNALS = dict(
    zip(
        "abcdefg",
        (
            "overcrowding",
            "overstay",
            "rni_overdue",
            "unregistered",
            "over_capacity",
            "certificate",
            "unlisted",
        ),
        strict=True,
    )
)


# --- measuring -------------------------------------------------------------------------------


def pss_mib(pids: list[int]) -> float:
    """The proportional set size of these processes together (shared memory counted once)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(ln.split()[1]) for ln in rollup if ln.startswith("Pss:"))
        except (OSError, StopIteration):
            continue  # a process that ended in between
    return total / 1024


def server_pids(postmaster: int) -> list[int]:
    pids = [postmaster]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                pids.append(int(entry.name))
    return pids


@contextmanager
def peak_memory(postmaster: int):
    """Samples the server's memory every 0.1 s while the block runs; yields a dict whose
    'peak' (MiB) holds the highest sum seen."""
    result = {"peak": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            result["peak"] = max(result["peak"], pss_mib(server_pids(postmaster)))
            done.wait(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        done.set()
        thread.join()


def machine() -> str:
    cpu = proc_fact("/proc/cpuinfo", "model name") or platform.machine()
    memory = proc_fact("/proc/meminfo", "MemTotal").split()
    gib = int(memory[0]) / 2**20 if memory else 0
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {gib:.1f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average {load}"
    )


# --- the steps -------------------------------------------------------------------------------


def extracts(scale: str, data: Path, env: dict[str, str], workdir: Path) -> tuple[dict, str]:
    planted_file = data / "planted.json"
    if planted_file.is_file():
        planted = json.loads(planted_file.read_text())
        if (planted["scale"], planted["format"], planted["pseudonymised"]) == (
            scale, "parquet", True
        ):  # fmt: skip
            return planted, f"reused from {data}"
    command = [*WAARDIG, "synth", "--scale", scale, "--out", str(data), "--format", "parquet",
               "--pseudonymise"]  # fmt: skip
    seconds, peak, _ = measured(command, env, workdir)
    origin = f"generated in {seconds:.1f} s, peak {peak:,.0f} MiB"
    return json.loads(planted_file.read_text()), origin


def load_locations(path: Path) -> int:
    """The synthetic locations, in use since their status date, in bulk."""
    from waardig.areas.models import Municipality
    from waardig.housing.models import Location, LocationStatusChange

    municipalities = dict(Municipality.objects.values_list("code", "id"))
    decimal = lambda text: Decimal(text) if text else None  # noqa: E731
    number = lambda text: int(text) if text else None  # noqa: E731
    day = lambda text: datetime.date.fromisoformat(text) if text else None  # noqa: E731
    locations, since = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            locations.append(Location(
                name=row["name"], municipality_id=municipalities[row["municipality"]],
                street=row["street"], postcode=row["postcode"],
                house_number=int(row["house_number"]),
                house_number_addition=row["house_number_addition"], place=row["place"],
                bag_id=row["bag_id"], housing_form=row["housing_form"],
                stay_class=row["stay_class"], capacity=int(row["capacity"]),
                bedrooms=number(row["bedrooms"]), bedroom_area=decimal(row["bedroom_area"]),
                living_area=decimal(row["living_area"]), toilets=number(row["toilets"]),
                showers=number(row["showers"]), separate_contract=row["separate_contract"] == "ja",
                transition_days=number(row["transition_days"]),
                certification=row["certification"],
                certificate_number=row["certificate_number"],
                certificate_valid_until=day(row["certificate_valid_until"]),
                status=row["status"], fictitious=True,
            ))  # fmt: skip
            since.append(day(row["status_date"]))
    Location.objects.bulk_create(locations, batch_size=2000)
    LocationStatusChange.objects.bulk_create(
        [
            LocationStatusChange(location=loc, status=loc.status, on=on, actor="bench")
            for loc, on in zip(locations, since, strict=True)
        ],
        batch_size=2000,
    )
    return len(locations)


class Clock:
    """Seconds between an engine's progress reports, per step (the engine reports after each
    of its steps; compliance.checks.prepare after each part it loads)."""

    def __init__(self) -> None:
        self.last, self.steps = time.perf_counter(), {}

    def __call__(self, step: str, percent: int = 0) -> None:
        now = time.perf_counter()
        self.steps[step] = self.steps.get(step, 0.0) + now - self.last
        self.last = now


def rules(engine: Any) -> tuple[dict[str, float], set, set]:
    """The engine's steps, timed: (seconds per step, findings, signals)."""
    from waardig.compliance.checks import signal_settings

    clock = Clock()
    engine.build_facts()
    clock("build_facts")
    evaluations = engine.evaluate()
    clock("evaluate")
    engine.progress = clock  # one report after each signal, 'signaal a' to 'signaal g'
    signals = engine.signals(signal_settings())
    findings = {(e.location_id, e.norm_set, e.kind) for e in evaluations}
    return clock.steps, findings, {(s.kind, s.key) for s in signals}


def expected_signals(planted: dict) -> set[tuple[str, str]]:
    from waardig.housing.models import Location
    from waardig.housing.pseudonyms import pseudonym

    ids = dict(Location.objects.values_list("bag_id", "id"))
    return {
        (s["kind"], s["key"].format(
            location=ids.get(s["bag_id"]),
            pseudonym=s.get("pseudonym") or pseudonym(s.get("person", "0")),
        ))
        for s in planted["signals"]
    }  # fmt: skip


def postgres(engine: Any, workdir: Path, work_mem: str) -> dict[str, Any]:
    """Copy the DuckDB engine's input tables into a fresh PostgreSQL and run the rules there."""
    import psycopg

    sys.path.insert(0, str(ROOT / "tests"))
    from pg_server import PORT, SUPERUSER, PostgresServer, find_bindir

    from waardig.compliance.engine import TABLES, Engine

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL server installed (apt-get install postgresql)")
    csv_dir = workdir / "pg-csv"
    csv_dir.mkdir()
    for table in TABLES:  # excluded from the timing: PostgreSQL cannot read Parquet
        engine.con.execute(f"COPY {table} TO '{csv_dir / table}.csv' (FORMAT csv, HEADER false)")
    out: dict[str, Any] = {"version": bindir.parent.name}
    with PostgresServer(bindir) as server:
        postmaster = int((server.data_dir / "postmaster.pid").read_text().split()[0])
        with psycopg.connect(host=str(server.socket_dir), port=PORT, user=SUPERUSER,
                             dbname=server.database, autocommit=True) as con:  # fmt: skip
            con.execute(f"SET work_mem = '{work_mem}'")
            out["settings"] = {
                name: con.execute(f"SHOW {name}").fetchone()[0]
                for name in ("work_mem", "shared_buffers", "max_parallel_workers_per_gather", "jit")
            }
            with peak_memory(postmaster) as load_peak:
                started = time.perf_counter()
                for table, columns in TABLES.items():
                    con.execute(Engine._create(table, columns))
                    with (
                        con.cursor().copy(f"COPY {table} FROM STDIN (FORMAT csv)") as copy,
                        (csv_dir / f"{table}.csv").open("rb") as source,
                    ):
                        while block := source.read(1 << 20):
                            copy.write(block)
                    con.execute(f"ANALYZE {table}")
                out["load"] = time.perf_counter() - started
            out["load_peak"] = load_peak["peak"]
            out["rows"] = {
                t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES
            }
            pg_engine = Engine(engine.on, con=con)
            with peak_memory(postmaster) as rules_peak:
                out["steps"], out["findings"], out["signals"] = rules(pg_engine)
            out["peak"] = rules_peak["peak"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="national", choices=["tiny", "province", "national"])
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep (or reuse) the extracts")
    parser.add_argument("--work-mem", default="256MB", help="PostgreSQL work_mem (session)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="waardig-bench-scan-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path) -> None:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{workdir / 'app.sqlite3'}",
        "WAARDIG_VAR_DIR": str(workdir / "var"),
        "DJANGO_SETTINGS_MODULE": "waardig.settings",
    }
    os.environ.update(env)
    print(f"machine: {machine()}")
    data = args.keep or workdir / "extracts"
    planted, origin = extracts(args.scale, data, env, workdir)
    counts = planted["counts"]
    print(
        f"data: {args.scale}, seed {planted['seed']}, scan date {planted['scan_date']}: "
        f"{counts['bag']:,} addresses, {counts['registrations']:,} registrations, "
        f"{counts['guests']:,} guest stays, {counts['locations']:,} locations ({origin}); "
        f"Parquet with synthetic pseudonyms"
    )
    subprocess.run([*WAARDIG, "setup"], env=env, check=True, capture_output=True)
    import django

    django.setup()
    started = time.perf_counter()
    load_locations(data / "locations.csv")
    print(f"app database: SQLite, {counts['locations']:,} locations bulk-loaded in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip

    on = planted["scan_date"]
    files = {kind: data / f"{kind}.parquet" for kind in EXTRACTS}
    command = [*WAARDIG, "scan", "--date", on, "--json"]
    for kind, path in files.items():
        command += [f"--{kind}", str(path)]
    scan_seconds, scan_peak, out = measured(command, env, workdir)
    scan = json.loads(out)

    from waardig.compliance.checks import prepare
    from waardig.compliance.models import Signal

    found = set(Signal.objects.filter(scan_id=scan["scan"]).values_list("kind", "key"))
    planted_found = found == expected_signals(planted)
    loading = Clock()
    with prepare(datetime.date.fromisoformat(on), files=files, progress=loading) as engine:
        duck_rows = {t: engine.count(t) for t in ("locations", "bag", "registrations", "guests")}
        duck_steps, duck_findings, duck_signals = rules(engine)
        pg = postgres(engine, workdir, args.work_mem)

    def row(label: str, duck: str = "", postgres: str = "") -> None:
        print(f"| {label:<50} | {duck:>24} | {postgres:>24} |")

    def sec(seconds: float) -> str:
        return f"{seconds:.1f} s"

    row("step", "DuckDB", f"PostgreSQL {pg['version']}")
    print(f"|{'-' * 52}|{'-' * 25}:|{'-' * 25}:|")
    row("waardig scan, whole command (own process)",
        f"{sec(scan_seconds)}, {scan_peak:,.0f} MiB RSS")  # fmt: skip
    row("in this process, the same data:")
    names = {
        "locaties": "locations from the app database",
        "gastenregisters": "guests extract",
        "inschrijvingen": "registrations + bag extracts",
        "feiten": "norms + facts",
    }
    for step, seconds in loading.steps.items():
        row(f"  load: {names.get(step, step)}", sec(seconds))
    row("  load: COPY + ANALYZE of the engine's 7 tables", "",
        f"{sec(pg['load'])}, {pg['load_peak']:,.0f} MiB")  # fmt: skip
    for step, seconds in duck_steps.items():
        letter = step.removeprefix("signaal ")
        label = f"signal {letter}: {SIGNALS[letter]}" if letter in SIGNALS else step
        row(f"  {label}", sec(seconds), sec(pg["steps"][step]))
    duck_total, pg_total = sum(duck_steps.values()), sum(pg["steps"].values())
    row("  rules, total", sec(duck_total), f"{sec(pg_total)}, {pg['peak']:,.0f} MiB")
    print(
        "PostgreSQL memory: the sum of the proportional set sizes of the server's processes, "
        f"sampled every 0.1 s; settings {pg['settings']}"
    )
    same_rows = all(pg["rows"][t] == n for t, n in duck_rows.items())
    rows = ", ".join(f"{t} {n:,}" for t, n in duck_rows.items())
    print(f"rows: {rows} ({'the same' if same_rows else 'DIFFERENT'} in PostgreSQL)")
    print(
        f"findings: scan {scan['findings']:,}, DuckDB {len(duck_findings):,}, PostgreSQL "
        f"{len(pg['findings']):,} ({'equal' if duck_findings == pg['findings'] else 'DIFFERENT'}); "
        f"signals: scan {scan['signals_found']:,}, DuckDB {len(duck_signals):,}, PostgreSQL "
        f"{len(pg['signals']):,} ({'equal' if duck_signals == pg['signals'] else 'DIFFERENT'}); "
        f"the scan's signals are {'exactly' if planted_found else 'NOT'} the "
        f"{len(planted['signals'])} planted ones"
    )
    ratio = pg_total / max(duck_total, 1e-9)
    print(f"ratio: the rules take {ratio:.1f}x as long on PostgreSQL as on DuckDB")
    within = scan_seconds < BUDGET_SECONDS and scan_peak < BUDGET_MIB
    if args.scale != "national":
        return
    print(
        f"budget (national scan < {BUDGET_SECONDS} s and < {BUDGET_MIB // 1024} GB): "
        f"{'met' if within else 'NOT met'} ({scan_seconds:.1f} s, {scan_peak / 1024:.2f} GiB)"
    )


if __name__ == "__main__":
    main()
