"""The guest register import: pseudonyms at the door, nothing clear anywhere, one location.

The registers are invented (fictief): the identifiers and names below are made up, shaped like
what operators export (a document number, a BSN with its label, a name column).
"""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from openpyxl import Workbook

from waardig.core.access import SYSTEM
from waardig.core.imports import jobs, run_import
from waardig.core.imports.runner import BATCH
from waardig.core.models import AuditEntry, ImportJob
from waardig.housing.guest_register import GuestRegisterImporter
from waardig.housing.models import GuestStay
from waardig.housing.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db

IDENTIFIERS = ["NL-ID-1234567", "BSN 123456782", "XK9921004"]
NAMES = ["Jan Kowalski", "Maria Popescu", "Łukasz Wójcik"]
STAYS = [  # name, identifier, arrival, departure
    (NAMES[0], IDENTIFIERS[0], datetime.date(2024, 3, 1), datetime.date(2024, 4, 15)),
    (NAMES[1], IDENTIFIERS[1], datetime.date(2024, 3, 2), None),
    (NAMES[2], IDENTIFIERS[2], datetime.date(2024, 3, 5), datetime.date(2024, 3, 20)),
    (NAMES[2], IDENTIFIERS[2], datetime.date(2024, 3, 20), None),  # back the day they left
]
HEADER = ["naam", "person_id", "arrival", "departure", "kamer"]


def day(value: datetime.date | None, dutch: bool) -> str:
    if value is None:
        return ""
    return value.strftime("%d-%m-%Y") if dutch else value.isoformat()


# Every other row in Dutch notation; a name and a room number beside the three columns read.
REGISTER = [
    [name, person, day(arrival, n % 2 == 1), day(departure, n % 2 == 1), str(10 + n)]
    for n, (name, person, arrival, departure) in enumerate(STAYS)
]


def csv_file(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode()


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(actor, location, data: bytes, name: str = "register.csv", dry_run: bool = False):
    importer = GuestRegisterImporter(actor, {"location": str(location.pk)})
    return run_import(importer, data, name, dry_run=dry_run)


def web_import(actor, location, data: bytes, name: str = "register.csv") -> ImportJob:
    """Preview then commit through the job, as the web pages do; ``job.stored_as`` is the
    name the upload had in storage."""
    job = jobs.create_job(actor, "guest-register", name, data, {"location": str(location.pk)})
    stored_as = job.file.name
    assert default_storage.exists(stored_as)
    jobs.execute(job, commit=False)
    job.refresh_from_db()
    if job.status == ImportJob.Status.PREVIEW:
        assert default_storage.open(stored_as).read() == data  # the commit reads these
        jobs.execute(job, commit=True)
        job.refresh_from_db()
    job.stored_as = stored_as
    return job


def occurrences(text: str) -> list[str]:
    """Every model.field of every installed app whose text (JSON cast to text) holds ``text``.

    Non-ASCII text is also looked for as JSON writes it (\\u0141ukasz).
    """
    forms = {text, json.dumps(text)[1:-1]}
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                rows = model._base_manager.annotate(_text=Cast(field.name, models.TextField()))
                lookup = "_text"
            elif isinstance(field, (models.CharField, models.TextField, models.FileField)):
                rows, lookup = model._base_manager.all(), field.name
            else:
                continue
            for form in forms:
                if rows.filter(**{f"{lookup}__icontains": form}).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def secrets() -> list[str]:
    """The identifiers as written, normalised and as their bare number (a BSN), and the names."""
    normalised = ["".join(c for c in i if c.isalnum()) for i in IDENTIFIERS]
    numbers = ["".join(c for c in i if c.isdigit()) for i in IDENTIFIERS]
    return [*IDENTIFIERS, *normalised, *numbers, *NAMES]


def test_no_identifier_or_name_is_stored_anywhere(users, locations):
    officer, venlo = users["venlo_officer"], locations["venlo"]
    job = web_import(officer, venlo, csv_file([HEADER, *REGISTER]))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.created == len(REGISTER) == GuestStay.objects.count()

    stored = set(GuestStay.objects.values_list("pseudonym", "arrival", "departure"))
    assert stored == {(pseudonym(person), a, d) for __, person, a, d in STAYS}
    for secret in secrets():
        assert occurrences(secret) == [], secret
    # the search does find what is stored: the pseudonym, and the job by its file name
    assert "housing.GuestStay.pseudonym" in occurrences(pseudonym(IDENTIFIERS[0]))
    assert "housing.GuestStay.pseudonym" in occurrences(pseudonym(IDENTIFIERS[0])[:8])
    assert job.items == []  # the preview's rows are gone once the job is done
    assert "core.ImportJob.filename" in occurrences(job.filename)
    assert not job.file and not default_storage.exists(job.stored_as)
    assert AuditEntry.objects.filter(action="import", subject="guest-register").exists()


def test_the_preview_holds_pseudonyms_only(users, locations):
    data = csv_file([HEADER, *REGISTER])
    options = {"location": str(locations["venlo"].pk)}
    job = jobs.create_job(users["venlo_officer"], "guest-register", "r.csv", data, options)
    jobs.execute(job, commit=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW
    text = json.dumps([job.items, job.errors, job.options])
    assert pseudonym(IDENTIFIERS[0])[:8] in text
    for secret in secrets():
        assert secret not in text and json.dumps(secret)[1:-1] not in text
    assert not GuestStay.objects.exists()


def test_the_same_person_in_two_registers_has_one_pseudonym(users, locations):
    officer, venlo = users["venlo_officer"], locations["venlo"]
    first = web_import(officer, venlo, csv_file([HEADER, REGISTER[0]]))
    later = [["person_id", "arrival"], [IDENTIFIERS[0], datetime.date(2024, 6, 1)]]
    second = web_import(officer, venlo, xlsx_file(later), "juni.xlsx")
    assert (first.status, second.status) == (ImportJob.Status.DONE, ImportJob.Status.DONE)
    assert first.pk != second.pk
    stays = GuestStay.objects.order_by("arrival")
    assert [s.arrival for s in stays] == [datetime.date(2024, 3, 1), datetime.date(2024, 6, 1)]
    assert len({s.pseudonym for s in stays}) == 1
    assert stays[0].pseudonym == pseudonym(IDENTIFIERS[0])


def test_again_unchanged_a_later_register_adds_the_departure(users, locations):
    officer, venlo = users["venlo_officer"], locations["venlo"]
    register = csv_file([HEADER, *REGISTER])
    assert (run(officer, venlo, register).created, GuestStay.objects.count()) == (4, 4)
    again = run(officer, venlo, register)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)

    left = [[*REGISTER[1][:3], "31-05-2024", ""]]
    later = run(officer, venlo, csv_file([HEADER, *left]))
    assert (later.created, later.updated, later.unchanged) == (0, 1, 0)
    stay = GuestStay.objects.get(pseudonym=pseudonym(IDENTIFIERS[1]))
    assert stay.departure == datetime.date(2024, 5, 31)
    # the first register once more: its empty departure does not erase the known one
    assert run(officer, venlo, register).unchanged == 4
    stay.refresh_from_db()
    assert stay.departure == datetime.date(2024, 5, 31)


def test_bad_rows_are_reported_without_quoting_them_and_nothing_is_written(users, locations):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    bad = [
        [NAMES[0], "", "2024-03-01", "", ""],  # row 2: no identifier
        [NAMES[1], IDENTIFIERS[1], IDENTIFIERS[0], "", ""],  # row 3: an identifier as date
        [NAMES[2], IDENTIFIERS[2], "2024-03-10", "2024-03-01", ""],  # row 4: leaves before
        [NAMES[0], IDENTIFIERS[0], tomorrow.isoformat(), "", ""],  # row 5: future arrival
        [NAMES[1], "NL-ID-7654321", "2024-01-01", "", ""],  # row 6: still there ...
        [NAMES[1], "NL-ID-7654321", "2024-02-01", "", ""],  # row 7: ... overlaps
    ]
    job = web_import(users["venlo_officer"], locations["venlo"], csv_file([HEADER, *bad]))
    assert job.status == ImportJob.Status.INVALID
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (2, "person_id"),
        (3, "arrival"),
        (4, "departure"),
        (5, "arrival"),
    }
    text = json.dumps([job.errors, job.items])
    assert not [s for s in [*secrets(), "7654321"] if s in text]
    assert not GuestStay.objects.exists()
    assert not job.file and not default_storage.exists(job.stored_as)

    overlap = run(users["venlo_officer"], locations["venlo"], csv_file([HEADER, *bad[4:]]))
    assert [(e.row, e.column) for e in overlap.errors] == [(3, "arrival")]
    assert "regel 2" in overlap.errors[0].message


@pytest.mark.parametrize("option", ["maastricht", "none", "text"])
def test_a_location_the_user_may_not_keep_is_one_option_error(users, locations, option):
    value = {
        "maastricht": str(locations["maastricht"].pk),
        "none": str(max(loc.pk for loc in locations.values()) + 1000),
        "text": "Logies Venlo",
    }[option]
    importer = GuestRegisterImporter(users["venlo_officer"], {"location": value})
    result = run_import(importer, csv_file([HEADER, *REGISTER]), "r.csv", dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(0, "location")]
    assert not GuestStay.objects.exists()


def test_a_large_register_is_planned_and_written_in_batches(
    users, locations, django_assert_max_num_queries
):
    first = datetime.date(2020, 1, 1)
    rows = [
        [f"P-{n:06d}", (first + datetime.timedelta(days=n % 1000)).isoformat()]
        for n in range(BATCH + 250)
    ]
    data = csv_file([["person_id", "arrival"], *rows])
    with django_assert_max_num_queries(40):  # a few per batch, not a few per row
        result = run(SYSTEM, locations["venlo"], data)
    assert result.ok and result.created == len(rows) == GuestStay.objects.count()
    assert run(SYSTEM, locations["venlo"], data).unchanged == len(rows)


def test_the_web_import_for_an_officers_own_location(users, locations):
    client = Client()
    client.force_login(users["venlo_officer"])
    venlo, maastricht = locations["venlo"], locations["maastricht"]
    page = client.get(f"/imports/guest-register/?location={venlo.pk}")
    assert page.status_code == 200
    assert f'value="{venlo.pk}"' in page.content.decode()

    upload = SimpleUploadedFile("nachtregister.csv", csv_file([HEADER, *REGISTER]))
    response = client.post(
        f"/imports/guest-register/?location={venlo.pk}", {"file": upload, "location": venlo.pk}
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    preview = client.get(response["Location"]).content.decode()
    assert pseudonym(IDENTIFIERS[0])[:8] in preview
    assert not [s for s in secrets() if s in preview]
    assert default_storage.exists(job.file.name)  # kept for the commit

    client.post(f"/imports/job/{job.pk}/opslaan/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert GuestStay.objects.filter(location=venlo, import_job=job).count() == len(REGISTER)
    assert not job.file

    foreign = SimpleUploadedFile("nachtregister.csv", csv_file([HEADER, *REGISTER]))
    client.post("/imports/guest-register/", {"file": foreign, "location": maastricht.pk})
    refused = ImportJob.objects.exclude(pk=job.pk).get()
    assert refused.status == ImportJob.Status.INVALID
    assert [(e["row"], e["column"]) for e in refused.errors] == [(0, "location")]
    assert not GuestStay.objects.filter(location=maastricht).exists()


def test_province_roles_may_not_import_a_register(users, locations):
    client = Client()
    for role in ("province_admin", "analyst", "inspector"):
        client.force_login(users[role])
        url = f"/imports/guest-register/?location={locations['venlo'].pk}"
        assert client.get(url).status_code == 403, role


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_command_line_keeps_no_copy_of_the_register(locations, tmp_path, dry_run):
    from waardig.cli import main

    path = tmp_path / "register.csv"
    path.write_bytes(csv_file([HEADER, *REGISTER]))
    location = locations["venlo"]
    args = ["import", "guest-register", str(path), "--location", str(location.pk), "--json"]
    assert main([*args, *(["--dry-run"] if dry_run else [])]) == 0
    job = ImportJob.objects.get(kind="guest-register")
    assert not job.file
    assert GuestStay.objects.filter(location=location).exists() is not dry_run


def test_only_who_started_a_register_import_sees_its_job(users, locations):
    officer = users["venlo_officer"]
    job = jobs.create_job(
        officer, "guest-register", "register.csv", csv_file([HEADER, *REGISTER]),
        {"location": str(locations["venlo"].pk)},
    )  # fmt: skip
    jobs.execute(job, commit=False)
    contacts_job = jobs.create_job(officer, "housing-need", "need.csv", b"x")
    client = Client()
    client.force_login(users["province_admin"])
    assert client.get(f"/imports/job/{job.pk}/").status_code == 404
    assert client.get(f"/imports/job/{contacts_job.pk}/").status_code == 200  # not personal
    client.force_login(officer)
    page = client.get(f"/imports/job/{job.pk}/").content.decode()
    assert f"/imports/guest-register/?location={locations['venlo'].pk}" in page  # upload again


def test_a_job_keeps_no_rows_of_stays_nor_a_telling_file_name_once_done(users, locations):
    officer, venlo = users["venlo_officer"], locations["venlo"]
    data = csv_file([HEADER, *REGISTER])
    job = jobs.create_job(
        officer, "guest-register", "register Jan Kowalski 123456782.csv", data,
        {"location": str(venlo.pk)},
    )  # fmt: skip
    assert "Kowalski" not in job.filename and job.filename.startswith("guest-register-")
    jobs.execute(job, commit=False)
    job.refresh_from_db()
    assert job.items  # the preview lists the stays (pseudonyms) until it is confirmed
    jobs.execute(job, commit=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.items == [] and not job.file
    assert job.created == len(REGISTER)
    client = Client()
    client.force_login(officer)
    page = client.get(f"/imports/job/{job.pk}/").content.decode()
    assert "niet bewaard" in page and "De eerste 0" not in page


def test_the_admin_site_shows_no_register_imports(users, locations):
    officer, venlo = users["venlo_officer"], locations["venlo"]
    job = jobs.create_job(officer, "guest-register", "r.csv", csv_file([HEADER, *REGISTER]),
                          {"location": str(venlo.pk)})  # fmt: skip
    other = jobs.create_job(officer, "housing-need", "need.csv", b"x")
    client = Client()
    client.force_login(users["province_admin"])
    assert client.get(f"/beheer/core/importjob/{job.pk}/change/").status_code == 302  # not found
    assert client.get(f"/beheer/core/importjob/{other.pk}/change/").status_code == 200
    assert client.get(f"/beheer/core/importjob/{other.pk}/delete/").status_code == 403


def test_leading_zeros_and_long_spreadsheet_numbers(users, locations):
    venlo = locations["venlo"]
    assert pseudonym("012345678") == pseudonym("12345678") != pseudonym("123456780")
    rows = [["person_id", "arrival"], [1234567890123456, "2025-01-01"], ["012", "2025-01-01"]]
    result = run(users["venlo_officer"], venlo, xlsx_file(rows), name="register.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(2, "person_id")]
    assert "1234567890123456" not in json.dumps(result.as_dict(), default=str)


def test_a_command_line_import_that_breaks_keeps_no_copy(locations, tmp_path, monkeypatch):
    from waardig.cli import main
    from waardig.housing import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record_guest_stays", broken)
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file([HEADER, *REGISTER]))
    with pytest.raises(RuntimeError):
        main(["import", "guest-register", str(path), "--location", str(locations["venlo"].pk)])
    job = ImportJob.objects.get(kind="guest-register")
    assert not job.file and job.status == ImportJob.Status.FAILED
    assert not GuestStay.objects.exists()


def test_a_stay_overlapping_a_stored_one_of_that_person_is_refused(users, locations):
    venlo, officer = locations["venlo"], users["venlo_officer"]
    first = [["person_id", "arrival", "departure"], ["P-1", "2025-03-01", ""]]
    assert not run(officer, venlo, csv_file(first)).errors
    corrected = [["person_id", "arrival", "departure"], ["P-1", "2025-03-03", ""]]
    result = run(officer, venlo, csv_file(corrected))
    assert [(e.row, e.column) for e in result.errors] == [(2, "arrival")]
    assert "01-03-2025" in result.errors[0].message and "P-1" not in result.errors[0].message
    later = [["person_id", "arrival", "departure"], ["P-1", "2025-03-01", "2025-04-01"],
             ["P-1", "2025-05-01", ""]]  # fmt: skip
    assert not run(officer, venlo, csv_file(later)).errors  # the departure, then a return
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    future = [["person_id", "arrival", "departure"], ["P-2", "2025-01-01", tomorrow.isoformat()]]
    assert [(e.row, e.column) for e in run(officer, venlo, csv_file(future)).errors] == [
        (2, "departure")
    ]
