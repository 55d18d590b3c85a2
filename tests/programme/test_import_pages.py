"""The action-list document through the upload page: the programme option, preview, confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from programme import action_list_fixtures as fixture
from waardig.core.models import ImportJob
from waardig.programme.models import Action, Programme, StatusUpdate

pytestmark = pytest.mark.django_db


def test_upload_page_asks_for_the_programme_and_explains_the_document(coordinator):
    page = coordinator.get("/imports/action-list/?programme=visie").content.decode()
    assert 'name="programme"' in page and 'value="visie"' in page  # prefilled from the link
    assert "Actie: titel" in page  # the document shape instead of a column list
    assert 'accept=".txt,.docx,.pdf"' in page


def test_docx_action_list_preview_then_confirm(coordinator):
    file = SimpleUploadedFile("actielijst.docx", fixture.as_docx())
    response = coordinator.post("/imports/action-list/", {"file": file, "programme": "visie"})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.options == {"programme": "visie"}
    assert job.status == ImportJob.Status.PREVIEW
    assert job.created == len(fixture.expected())
    assert not Programme.objects.exists()  # nothing before confirmation

    coordinator.post(f"/imports/job/{job.pk}/opslaan/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Action.objects.filter(programme__slug="visie").count() == len(fixture.expected())
    assert StatusUpdate.objects.count() == sum(1 for *_, state in fixture.expected() if state)


def test_analyst_may_not_import_actions(users):
    client = Client()
    client.force_login(users["analyst"])
    file = SimpleUploadedFile("actielijst.txt", fixture.as_txt()[0])
    response = client.post("/imports/action-list/", {"file": file, "programme": "visie"})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
