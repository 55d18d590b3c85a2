"""Import jobs: the record of every import, run inline or as a background task.

The uploaded file is kept with the job between preview and commit, so the commit writes
exactly what the user checked. A personal import's file (clear person identifiers) is kept no
longer than that: it is deleted once the job is done, invalid or failed, and a job left
unfinished (an unconfirmed preview) loses it PERSONAL_UPLOAD_HOURS later, at the next personal
upload; each of those ends in one audit entry.
"""

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from waardig.core import audit
from waardig.core.access import SYSTEM
from waardig.core.imports.runner import ImportResult, run_import
from waardig.core.models import ImportJob
from waardig.core.registry import IMPORTS, personal_import_kinds

Status = ImportJob.Status
PERSONAL_UPLOAD_HOURS = 24
"""How long a checked personal upload waits for confirmation before it is deleted."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def create_job(
    actor: Any, kind: str, filename: str, data: bytes, options: dict | None = None
) -> ImportJob:
    """Keep the uploaded file with the job, so preview and commit read the very same bytes."""
    if is_personal(kind):
        discard_unconfirmed(timezone.now() - timedelta(hours=PERSONAL_UPLOAD_HOURS))
        filename = neutral_filename(kind, filename)
    job = ImportJob(
        kind=kind,
        filename=filename,
        file_hash=sha256(data),
        options=options or {},
        user=actor if getattr(actor, "pk", None) else None,
        actor=str(getattr(actor, "username", actor)),
    )
    job.file.save(
        f"{job.file_hash[:16]}-{kind}.{filename.rsplit('.', 1)[-1].lower()}",
        ContentFile(data),
        save=False,
    )
    job.save()
    return job


def runs_in_background(data: bytes) -> bool:
    return len(data) > settings.WAARDIG_IMPORT_BACKGROUND_BYTES


def execute(job: ImportJob, *, commit: bool) -> ImportResult:
    """Validate (and with commit, write) the job's file; the job records progress and outcome."""
    importer = IMPORTS[job.kind](actor=job.user or SYSTEM, options=job.options)
    with job.file.open("rb") as handle:
        data = handle.read()

    def progress(phase: str, done: int, total: int) -> None:
        status = Status.WRITING if phase == "writing" else Status.VALIDATING
        ImportJob.objects.filter(pk=job.pk).update(status=status, rows_done=done, rows_total=total)

    ImportJob.objects.filter(pk=job.pk).update(status=Status.VALIDATING, rows_done=0)
    return run(job, importer, data, job.filename, dry_run=not commit, progress=progress)


def run(
    job: ImportJob, importer: Any, data: bytes, filename: str, *, dry_run: bool, progress: Any
) -> ImportResult:
    """Run an importer for its job (web, worker and command line alike): the outcome is
    recorded on the job, and a run that breaks leaves the job FAILED, nothing written and
    no copy of a personal file."""
    importer.job = job
    try:
        result = run_import(importer, data, filename, dry_run=dry_run, progress=progress)
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, finished_at=timezone.now())
        if is_personal(job.kind):
            discard_upload(job, "mislukt, niets opgeslagen")
        raise
    save_outcome(job, result)
    return result


def save_outcome(job: ImportJob, result: ImportResult) -> None:
    outcome = result.as_dict()
    job.refresh_from_db()
    job.dry_run = result.dry_run
    job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
    job.skipped = result.skipped
    job.errors, job.items = outcome["errors"], outcome["items"]
    if result.errors:
        job.status = Status.INVALID
    else:
        job.status = Status.PREVIEW if result.dry_run else Status.DONE
    job.rows_done = job.rows_total
    job.finished_at = timezone.now()
    job.save()
    if job.status == Status.DONE:
        if is_personal(job.kind):
            discard_upload(job)
        audit.record(
            job.user or SYSTEM,
            "import",
            job.kind,
            detail=f"{job.filename} ({job.file_hash[:12]}): {result.created} nieuw, "
            f"{result.updated} gewijzigd, {result.unchanged} ongewijzigd",
        )
    elif job.status == Status.INVALID and is_personal(job.kind):
        discard_upload(job, f"{len(result.errors)} fouten, niets opgeslagen")


def neutral_filename(kind: str, filename: str) -> str:
    """A personal upload's name may itself name a person ("register Jan K. 123456782.csv"):
    only its kind, the day and the extension are kept (the hash identifies the file)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    name = f"{kind}-{timezone.localdate():%Y-%m-%d}"
    return f"{name}.{extension}" if extension.isalnum() else name


def is_personal(kind: str) -> bool:
    importer = IMPORTS.get(kind)
    return bool(importer and importer.personal)


def discard_upload(job: ImportJob, outcome: str = "") -> None:
    """Delete a personal import's stored file once it has served; with ``outcome`` (an
    upload that wrote nothing) say so in the audit log, so every upload of person-level data
    leaves a trace (a committed one has its import entry already). Audit details are
    Dutch whatever the user's language, like the other import entries."""
    if job.file:
        job.file.delete(save=False)
    # The preview's rows (pseudonyms and dates of each stay) go too: the counts stay.
    ImportJob.objects.filter(pk=job.pk).update(file="", items=[])
    if outcome:
        audit.record(
            job.user or SYSTEM,
            "import",
            job.kind,
            detail=f"{job.filename} ({job.file_hash[:12]}): {outcome}; het bestand is verwijderd",
        )


UNFINISHED = (Status.QUEUED, Status.VALIDATING, Status.PREVIEW, Status.WRITING)


def discard_unconfirmed(before: Any) -> int:
    """Delete the files of personal imports started before ``before`` and never finished:
    an abandoned preview, a dry run on the command line, a run that died on the way. The job
    can no longer be committed and tells the user to upload again. Returns how many."""
    kinds = personal_import_kinds()
    stale = ImportJob.objects.filter(
        kind__in=kinds, status__in=UNFINISHED, started_at__lt=before
    ).exclude(file="")
    for job in stale:
        job.status = Status.INVALID
        job.errors = [
            {
                "row": 0,
                "column": "",
                "message": _(
                    "Niet binnen %(hours)s uur bevestigd: het bestand is verwijderd. "
                    "Lees het opnieuw in."
                )
                % {"hours": PERSONAL_UPLOAD_HOURS},
            }
        ]
        job.save(update_fields=["status", "errors"])
        discard_upload(job, "niet bevestigd, niets opgeslagen")
    return len(stale)


@task()
def execute_in_background(job_id: int, commit: bool) -> None:
    execute(ImportJob.objects.get(pk=job_id), commit=commit)


def start(job: ImportJob, *, commit: bool, data: bytes) -> None:
    """Run now for small files; hand large files to the job worker (progress on the page)."""
    if runs_in_background(data):
        ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED)
        execute_in_background.enqueue(job.pk, commit)
    else:
        execute(job, commit=commit)
