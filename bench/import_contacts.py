"""Import-framework throughput against a plain bulk insert of the same rows, in one run.

Usage: .venv/bin/python bench/import_contacts.py [--rows 20000]
Runs on a throwaway SQLite database in a temporary directory (or DATABASE_URL when set).
"""

import argparse
import os
import platform
import tempfile
import time
import tracemalloc
from collections.abc import Callable


def measure(label: str, action: Callable[[int], int]) -> tuple[float, float]:
    """Time one run untraced (tracing slows Python code), then trace a second run's memory."""
    started = time.perf_counter()
    rows = action(0)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    action(1)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"{label:<28} {rows:>8} rows  {seconds:7.2f} s  {rows / seconds:9.0f} rows/s  "
        f"peak {peak:7.1f} MiB"
    )
    return rows / seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    os.environ.setdefault("WAARDIG_VAR_DIR", tempfile.mkdtemp(prefix="waardig-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waardig.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from waardig.areas.demo import load_reference_areas
    from waardig.areas.models import Municipality
    from waardig.core.access import SYSTEM
    from waardig.core.imports import run_import
    from waardig.organisations.importers import ContactsImporter
    from waardig.organisations.models import ContactPerson, Person

    call_command("migrate", verbosity=0)
    load_reference_areas()
    codes = list(Municipality.objects.current().values_list("code", flat=True))
    topics = ContactPerson.Topic.values

    def csv_rows(run: int) -> bytes:
        lines = ["municipality;topic;name;email"] + [
            f"{codes[i % len(codes)]};{topics[i % len(topics)]};Persoon {i};p{i}.{run}@bench.test"
            for i in range(args.rows)
        ]
        return "\n".join(lines).encode()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, database {connection.vendor}"
    )

    def baseline(run: int) -> int:
        municipalities = {m.code: m for m in Municipality.objects.all()}
        with transaction.atomic():
            people = Person.objects.bulk_create(
                [
                    Person(name=f"Persoon {i}", email=f"b{i}.{run}@bench.test")
                    for i in range(args.rows)
                ]
            )
            ContactPerson.objects.bulk_create(
                [
                    ContactPerson(
                        municipality=municipalities[codes[i % len(codes)]],
                        topic=topics[i % len(topics)],
                        person=person,
                    )
                    for i, person in enumerate(people)
                ]
            )
        return args.rows

    def framework(run: int) -> int:
        result = run_import(ContactsImporter(SYSTEM), csv_rows(run), "bench.csv", dry_run=False)
        assert result.ok and result.created == args.rows, result.errors[:3]
        return args.rows

    base_rate, base_peak = measure("baseline: bulk_create", baseline)
    rate, peak = measure("import framework", framework)
    print(
        f"ratio: framework runs at {rate / base_rate:.2f}x the baseline rate, "
        f"{peak / max(base_peak, 0.1):.1f}x its peak memory"
    )


if __name__ == "__main__":
    main()
