"""`waardig scan`: every location against the norms and the registration signals, on the
command line, with a progress bar (docs/compliance.md).

The scan itself is compliance.scans (the web page runs the same one as a background job);
this module reads the arguments, shows the progress and prints the outcome. Exit status 0
when the scan is written, 1 when it could not run (it is then kept as failed, nothing of it
written).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.utils import timezone

from waardig.compliance import scans
from waardig.compliance.extracts import ExtractError
from waardig.compliance.models import NormKind, ScanRun, SignalKind
from waardig.compliance.services import may_start_scan

EXTRACTS = ("bag", "registrations", "guests")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FILE_TYPES = (".csv", ".txt", ".parquet")
"""What compliance.extracts reads."""


class ScanArgumentError(ValueError):
    """An argument the scan cannot start with (no run is made)."""


def scan_date(text: str | None, today: datetime.date) -> datetime.date:
    """The day to check: YYYY-MM-DD, not after today (default: today)."""
    if not text:
        return today
    if not ISO_DATE.fullmatch(text.strip()):
        raise ScanArgumentError(f"--date {text!r}: give the day as YYYY-MM-DD, e.g. 2025-06-30")
    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise ScanArgumentError(f"--date {text}: this day does not exist") from None
    if day > today:
        raise ScanArgumentError(
            f"--date {day}: lies in the future (today is {today}); a scan checks what is known"
        )
    return day


def extract_files(args: argparse.Namespace) -> dict[str, Path]:
    """The extracts given as files; each must exist."""
    files = {kind: getattr(args, kind) for kind in EXTRACTS if getattr(args, kind, None)}
    for kind, path in files.items():
        if Path(path).suffix.lower() not in FILE_TYPES:
            raise ScanArgumentError(f"--{kind} {path}: give a .csv or .parquet file")
        if not Path(path).is_file():
            raise ScanArgumentError(f"--{kind} {path}: no such file")
    return {kind: Path(path) for kind, path in files.items()}


def scan(args: argparse.Namespace, actor: Any) -> int:
    as_json = bool(args.json)
    try:
        if not may_start_scan(actor):
            raise ScanArgumentError(f"{actor} may not start a scan (only the province admin)")
        on = scan_date(args.date, timezone.localdate())
        files = extract_files(args)
    except ScanArgumentError as error:
        return _failed(str(error), as_json)
    run = scans.start(on, actor, files)
    try:
        with _progress(enabled=not as_json and sys.stdout.isatty()) as progress:
            run = scans.run(run, files, progress=progress)
    except ExtractError as error:
        problems = [
            {"row": row, "column": column, "message": message}
            for row, column, message in error.problems
        ]
        lines = [
            f"  row {p['row']}, column {p['column']}: {p['message']}" if p["row"] else
            f"  {p['message']}"
            for p in problems
        ]  # fmt: skip
        message = f"the {error.kind} extract {error.path.name} cannot be read:\n" + "\n".join(lines)
        return _failed(message, as_json, run, problems)
    except Exception as error:  # the run is kept as FAILED by scans.run
        return _failed(f"the scan failed: {error}", as_json, run)
    if as_json:
        print(json.dumps(outcome(run), ensure_ascii=False, indent=1, default=str))
    else:
        print_outcome(run)
    return 0


def outcome(run: ScanRun) -> dict[str, Any]:
    """The scan's record as one JSON object (its counts as scans.write gives them)."""
    return {
        "scan": run.pk,
        "on": run.on.isoformat(),
        "status": run.status,
        "sources": run.sources,
        **run.counts,
    }


def print_outcome(run: ScanRun) -> None:
    from rich.console import Console
    from rich.table import Table

    counts = run.counts
    console = Console()
    console.print(
        f"Scan {run.pk} on {run.on:%Y-%m-%d}: {_n(counts.get('locations', 0), 'location')} "
        f"checked, {_n(counts.get('findings', 0), 'finding')}, "
        f"{_n(counts.get('signals_found', 0), 'signal')} "
        f"({counts.get('signals_new', 0)} new, {counts.get('signals_refreshed', 0)} refreshed, "
        f"{counts.get('signals_kept_closed', 0)} closed recently and left closed).",
        soft_wrap=True,
    )
    if run.sources:
        sources = ", ".join(f"{kind} from {name}" for kind, name in sorted(run.sources.items()))
        console.print(f"Extracts: {sources}; the rest from the database.", soft_wrap=True)
    for title, per_kind, labels in (
        ("Findings per norm", counts.get("findings_per_norm", {}), NormKind),
        ("Signals per kind", counts.get("signals_per_kind", {}), SignalKind),
    ):
        if not per_kind:
            console.print(f"{title}: none.")
            continue
        table = Table(title=title)
        table.add_column("kind")
        table.add_column("description")
        table.add_column("number", justify="right")
        for kind, number in per_kind.items():
            table.add_row(kind, str(_label(labels, kind)), str(number))
        console.print(table)
    if outside := counts.get("signals_outside_area"):
        console.print(
            f"{_n(outside, 'signal')} at addresses outside the known municipalities: left out."
        )


def _n(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _label(choices: Any, kind: str) -> str:
    try:
        return str(choices(kind).label)
    except ValueError:
        return ""


def _failed(
    message: str,
    as_json: bool,
    run: ScanRun | None = None,
    problems: list[dict[str, Any]] | None = None,
) -> int:
    print(f"waardig scan: {message}", file=sys.stderr)
    if as_json:
        failed: dict[str, Any] = {"scan": run.pk if run else None, "status": "failed"}
        failed["error"] = message
        if problems is not None:
            failed["problems"] = problems
        print(json.dumps(failed, ensure_ascii=False, indent=1))
    return 1


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int], None] | None]:
    """A rich progress bar fed with the scan's steps and percentages."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    with Progress(
        TextColumn("{task.description:<16}"), BarColumn(), TaskProgressColumn(), transient=True
    ) as bar:
        task = bar.add_task("scan", total=100)

        def update(step: str, percent: int) -> None:
            bar.update(task, description=step, completed=percent)

        yield update
