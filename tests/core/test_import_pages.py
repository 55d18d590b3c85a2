"""The upload page: preview with row errors, confirm to write; large files via the job worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from waardig.core.models import AuditEntry, ImportJob
from waardig.organisations.models import ContactPerson

pytestmark = pytest.mark.django_db
HEADER = "municipality;topic;name;email\n"
REFUSED = "Deze import kan niet (meer) worden opgeslagen."  # core/imports/views.import_commit


def upload(client: Client, content: str, name: str = "contacts.csv"):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post("/imports/contacts/", {"file": file})


@pytest.fixture
def venlo(users) -> Client:
    client = Client()
    client.force_login(users["venlo_officer"])
    return client


def test_preview_then_confirm(venlo):
    response = upload(venlo, HEADER + "GM0983;housing;Anna;anna@venlo.test\n")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW and job.created == 1
    page = venlo.get(response["Location"])
    assert "Bevestigen en opslaan" in page.content.decode()
    assert ContactPerson.objects.count() == 0  # nothing before confirmation

    venlo.post(f"/imports/job/{job.pk}/opslaan/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert ContactPerson.objects.get().person.email == "anna@venlo.test"
    assert AuditEntry.objects.filter(action="import", subject="contacts").count() == 1
    # a second confirmation of the same job is refused: said so, and nothing written again
    again = venlo.post(f"/imports/job/{job.pk}/opslaan/", follow=True)
    assert again.redirect_chain == [(f"/imports/job/{job.pk}/", 302)]
    assert REFUSED in again.content.decode()
    assert ContactPerson.objects.count() == 1
    assert AuditEntry.objects.filter(action="import", subject="contacts").count() == 1


def test_errors_are_listed_per_row_and_column(venlo):
    response = upload(venlo, HEADER + "GM0935;housing;Bram;bram@maastricht.test\nGM0983;x;;\n")
    page = venlo.get(response["Location"]).content.decode()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (2, "municipality"),
        (3, "topic"),
        (3, "name"),
        (3, "email"),
    }
    assert "U mag de contactpersonen van Maastricht niet wijzigen." in page
    assert "Bevestigen en opslaan" not in page
    refused = venlo.post(f"/imports/job/{job.pk}/opslaan/", follow=True)
    assert refused.redirect_chain == [(f"/imports/job/{job.pk}/", 302)]
    assert REFUSED in refused.content.decode()
    assert ContactPerson.objects.count() == 0
    assert not AuditEntry.objects.filter(action="import").exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID


def test_wrong_file_type_is_refused_on_the_form(venlo):
    response = upload(venlo, "whatever", name="contacts.exe")
    assert response.status_code == 200
    assert "wordt hier niet ondersteund" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when it is done
def test_large_file_runs_in_the_job_worker_with_progress(venlo, settings):
    settings.WAARDIG_IMPORT_BACKGROUND_BYTES = 100
    rows = "".join(f"GM0983;housing;Person {i};p{i}@venlo.test\n" for i in range(1200))
    response = upload(venlo, HEADER + rows)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    status = venlo.get(response["Location"], HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in status.content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW
    assert (job.rows_done, job.rows_total, job.created) == (1200, 1200, 1200)
    finished = venlo.get(response["Location"], HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true"

    venlo.post(f"/imports/job/{job.pk}/opslaan/")
    call_command("db_worker", "--batch", "--no-startup-delay")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert ContactPerson.objects.count() == 1200


def test_other_users_do_not_see_the_job(venlo, users):
    upload(venlo, HEADER + "GM0983;housing;Anna;anna@venlo.test\n")
    job = ImportJob.objects.get()
    other = Client()
    other.force_login(users["maastricht_officer"])
    assert other.get(f"/imports/job/{job.pk}/").status_code == 404
    assert other.post(f"/imports/job/{job.pk}/opslaan/").status_code == 404
    assert ContactPerson.objects.count() == 0
