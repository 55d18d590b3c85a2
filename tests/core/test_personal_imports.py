"""Personal imports: the stored upload lives from upload to commit and not a moment longer.

A small importer made here stands for any personal kind (the housing guest register is
tested in tests/housing): it keeps a hash of each row's identifier and nothing else.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any, ClassVar

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from waardig.core.access import SYSTEM
from waardig.core.imports import Column, Importer, Item, RowError, jobs
from waardig.core.models import AuditEntry, ImportJob
from waardig.core.registry import IMPORTS

pytestmark = pytest.mark.django_db
Status = ImportJob.Status
IDENTIFIERS = ("ID-0001-AAA", "ID-0002-BBB")
GOOD = ("person_id\n" + "\n".join(IDENTIFIERS) + "\n").encode()
BAD = b"person_id\nID-0003-CCC\n\n-\n"  # the last row has no identifier


class Kept:
    """What the test importers wrote (they write no model: the framework is under test)."""

    rows: ClassVar[list[str]] = []


class PersonalImporter(Importer):
    kind = "test-personal"
    label = "test"
    model = ImportJob
    columns = (Column("person_id"),)
    personal = True
    fail = False

    def validate(self, row: int, values: dict[str, str]) -> Item:
        if not values["person_id"].strip("-"):
            raise RowError("person_id", "empty")
        digest = hashlib.sha256(values["person_id"].encode()).hexdigest()
        return Item(row=row, key=(digest,), label=digest[:8], values={"digest": digest})

    def plan(self, item: Item) -> str:
        return "unchanged" if item.values["digest"] in Kept.rows else "created"

    def write(self, item: Item) -> None:
        if self.fail:
            raise RuntimeError("the disk is full")
        Kept.rows.append(item.values["digest"])


class FailingImporter(PersonalImporter):
    kind = "test-personal-failing"
    fail = True


class PlainImporter(PersonalImporter):
    kind = "test-plain"
    personal = False


@pytest.fixture(autouse=True)
def kinds(monkeypatch) -> None:
    Kept.rows = []
    for importer in (PersonalImporter, FailingImporter, PlainImporter):
        monkeypatch.setitem(IMPORTS, importer.kind, importer)


def upload(kind: str, data: bytes) -> tuple[ImportJob, str]:
    job = jobs.create_job(SYSTEM, kind, "register.csv", data)
    assert default_storage.exists(job.file.name)
    return job, job.file.name


def audit_details(kind: str) -> list[str]:
    return list(AuditEntry.objects.filter(subject=kind).values_list("detail", flat=True))


def test_kept_between_preview_and_commit_then_deleted():
    job, stored = upload("test-personal", GOOD)
    jobs.execute(job, commit=False)
    job.refresh_from_db()
    assert job.status == Status.PREVIEW and job.created == len(IDENTIFIERS)
    assert len(job.items) == len(IDENTIFIERS)  # the preview lists the rows to confirm
    assert not [i for i in IDENTIFIERS if i in str(job.items)]
    with default_storage.open(stored) as handle:
        assert handle.read() == GOOD  # the commit reads the bytes that were checked
    assert audit_details("test-personal") == []

    jobs.execute(job, commit=True)
    job.refresh_from_db()
    assert job.status == Status.DONE and len(Kept.rows) == len(IDENTIFIERS)
    assert not default_storage.exists(stored) and not job.file
    assert job.items == []  # the preview's rows go with the file; the counts stay
    [detail] = audit_details("test-personal")
    assert "2 nieuw" in detail


def test_deleted_when_the_file_is_invalid():
    job, stored = upload("test-personal", BAD)
    jobs.execute(job, commit=False)
    job.refresh_from_db()
    assert job.status == Status.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "person_id")]
    assert not default_storage.exists(stored) and not job.file
    [detail] = audit_details("test-personal")
    assert "niets opgeslagen" in detail and "verwijderd" in detail


def test_deleted_when_the_import_fails():
    job, stored = upload("test-personal-failing", GOOD)
    jobs.execute(job, commit=False)
    with pytest.raises(RuntimeError):
        jobs.execute(job, commit=True)
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert not default_storage.exists(stored) and not job.file
    assert Kept.rows == []
    [detail] = audit_details("test-personal-failing")
    assert "mislukt" in detail


def test_a_plain_import_keeps_its_file():
    job, stored = upload("test-plain", GOOD)
    jobs.execute(job, commit=False)
    jobs.execute(job, commit=True)
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert default_storage.exists(stored) and job.file.name == stored


def test_an_unfinished_personal_upload_is_deleted_after_a_day():
    old, old_file = upload("test-personal", GOOD)
    jobs.execute(old, commit=False)
    stuck, stuck_file = upload("test-personal", GOOD + b"ID-0004-DDD\n")  # never run
    recent, recent_file = upload("test-personal", GOOD)
    jobs.execute(recent, commit=False)
    plain, plain_file = upload("test-plain", GOOD)
    jobs.execute(plain, commit=False)
    day_before = timezone.now() - datetime.timedelta(hours=jobs.PERSONAL_UPLOAD_HOURS + 1)
    ImportJob.objects.filter(pk__in=[old.pk, stuck.pk, plain.pk]).update(started_at=day_before)

    upload("test-personal", BAD)  # any new personal upload clears what was left behind
    statuses: dict[Any, str] = dict(ImportJob.objects.values_list("pk", "status"))
    assert [statuses[job.pk] for job in (old, stuck, recent, plain)] == [
        Status.INVALID,
        Status.INVALID,
        Status.PREVIEW,
        Status.PREVIEW,
    ]
    assert not default_storage.exists(old_file) and not default_storage.exists(stuck_file)
    assert default_storage.exists(recent_file) and default_storage.exists(plain_file)
    old.refresh_from_db()
    assert "opnieuw" in old.errors[0]["message"]
    assert len(audit_details("test-personal")) == 2
