"""The bulk scan: every location in use and every address of the extracts through the
engine, its results written as checks with findings and as signals, in one transaction.

The same function runs from the command line (``waardig scan``, with a progress bar) and
from the web page (a background job; the ScanRun row holds its progress). A signal that is
found again while open is refreshed; one closed less than ``QUIET_DAYS`` ago stays closed
(its outcome stands); one closed longer ago opens as a new signal.
"""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from waardig.areas.models import Municipality
from waardig.compliance.checks import prepare, signal_settings
from waardig.compliance.engine import Evaluation, FoundSignal, Progress
from waardig.compliance.models import (
    Check,
    CheckSource,
    Finding,
    ScanRun,
    Signal,
    SignalStatus,
)
from waardig.core import audit
from waardig.core.access import account_of, display_name

QUIET_DAYS = 90
BATCH = 2000


def start(on: datetime.date, actor: Any, files: dict[str, Path] | None = None) -> ScanRun:
    return ScanRun.objects.create(
        on=on,
        status=ScanRun.Status.QUEUED,
        # The kind and type of each file, not its name (a personal file's name may name a
        # person, as the import jobs' neutral names avoid too).
        sources={kind: f"{kind}{path.suffix.lower()}" for kind, path in (files or {}).items()},
        user=account_of(actor),
        actor=display_name(actor),
    )


def run(
    run: ScanRun, files: dict[str, Path] | None = None, progress: Progress | None = None
) -> ScanRun:
    """Run a queued scan to its end; a failure is kept on the run (status FAILED, error)
    and nothing of it is written."""

    def report(step: str, percent: int) -> None:
        ScanRun.objects.filter(pk=run.pk).update(progress=min(99, percent))
        if progress:
            progress(step, percent)

    ScanRun.objects.filter(pk=run.pk).update(status=ScanRun.Status.RUNNING)
    try:
        with prepare(run.on, files=files, progress=lambda s, p: report(s, p * 6 // 10)) as engine:
            evaluations = engine.evaluate()
            report("normen", 65)
            engine.progress = lambda s, p: report(s, 65 + p * 25 // 100)
            found = engine.signals(signal_settings())
            checked = [
                row[0] for row in engine.con.execute("SELECT location_id FROM locations").fetchall()
            ]
            norm_sets = [r[0] for r in engine.con.execute(
                "SELECT DISTINCT norm_set FROM applicable ORDER BY 1").fetchall()]  # fmt: skip
        with transaction.atomic():
            counts = write(run, checked, evaluations, found, norm_sets)
    except Exception as error:
        ScanRun.objects.filter(pk=run.pk).update(
            status=ScanRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    ScanRun.objects.filter(pk=run.pk).update(
        status=ScanRun.Status.DONE, progress=100, counts=counts, finished_at=timezone.now()
    )
    if progress:
        progress("klaar", 100)
    audit.record(
        run.user or run.actor, "change", "scan",
        detail=f"scan {run.pk} op {run.on}: {counts['findings']} bevindingen, "
        f"{counts['signals_new']} nieuwe signalen",
    )  # fmt: skip
    run.refresh_from_db()
    return run


def write(
    run: ScanRun,
    checked: list[int],
    evaluations: list[Evaluation],
    found: list[FoundSignal],
    norm_sets: list[str],
) -> dict[str, Any]:
    """Checks for every location, findings for every violation, signals new or refreshed."""
    checks = Check.objects.bulk_create(
        [
            Check(location_id=loc, on=run.on, source=CheckSource.SCAN, scan=run,
                  norm_sets=norm_sets, actor=run.actor)
            for loc in checked
        ],
        batch_size=BATCH,
    )  # fmt: skip
    check_of = {c.location_id: c for c in checks}
    Finding.objects.bulk_create(
        [finding_of(check_of[e.location_id], e) for e in evaluations if e.status == "violation"],
        batch_size=BATCH,
    )
    new, refreshed, quiet, unknown = save_signals(found, run.on, run)
    by_norm = Counter(e.kind for e in evaluations if e.status == "violation")
    by_signal = Counter(s.kind for s in found)
    return {
        "locations": len(checked),
        "findings": sum(by_norm.values()),
        "findings_per_norm": dict(sorted(by_norm.items())),
        "signals_found": len(found),
        "signals_per_kind": dict(sorted(by_signal.items())),
        "signals_new": new,
        "signals_refreshed": refreshed,
        "signals_kept_closed": quiet,
        "signals_outside_area": unknown,
    }


def finding_of(check: Check, e: Evaluation) -> Finding:
    return Finding(
        check_run=check, norm_id=e.norm_id, norm_set_name=e.norm_set, kind=e.kind,
        measured=e.value, limit=e.limit, severity=e.severity, explanation=e.explanation[:500],
        small_count=e.small_count,
    )  # fmt: skip


def save_signals(
    found: list[FoundSignal], on: datetime.date, run: ScanRun | None = None
) -> tuple[int, int, int, int]:
    """Write found signals: (new, refreshed, kept closed, outside the known municipalities)."""
    municipalities = dict(Municipality.objects.values_list("code", "id"))
    latest: dict[str, Signal] = {}
    keys = [s.key for s in found]
    for start in range(0, len(keys), BATCH):
        for signal in Signal.objects.filter(key__in=keys[start : start + BATCH]).order_by("id"):
            latest[signal.key] = signal  # the newest wins
    new: list[Signal] = []
    refresh: list[Signal] = []
    quiet = unknown = 0
    for s in found:
        municipality = municipalities.get(s.municipality_code)
        if municipality is None:
            unknown += 1
            continue
        existing = latest.get(s.key)
        if existing is not None and existing.is_open:
            existing.score, existing.explanation = s.score, s.explanation[:500]
            existing.details, existing.last_seen, existing.scan = s.details, on, run
            refresh.append(existing)
            continue
        if existing is not None and (on - existing.updated_at.date()).days < QUIET_DAYS:
            quiet += 1
            continue
        new.append(
            Signal(
                kind=s.kind, key=s.key, municipality_id=municipality, location_id=s.location_id,
                address_id=s.address_id, address=s.address[:200], pseudonym=s.pseudonym,
                score=s.score, explanation=s.explanation[:500], details=s.details,
                status=SignalStatus.NEW, first_seen=on, last_seen=on, scan=run,
            )
        )  # fmt: skip
    Signal.objects.bulk_create(new, batch_size=BATCH)
    Signal.objects.bulk_update(
        refresh, ["score", "explanation", "details", "last_seen", "scan"], batch_size=BATCH
    )
    return len(new), len(refresh), quiet, unknown


@task()
def run_in_background(scan_id: int) -> None:
    """The web page's scan: over the app database (imported extracts), no files."""
    run(ScanRun.objects.get(pk=scan_id))
