"""The upload page for minutes: nothing is stored until the secretary has reviewed and confirmed."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from waardig.core.imports import jobs
from waardig.core.models import AuditEntry, ImportJob
from waardig.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    Meeting,
    MinutesVersion,
)

from . import minutes_fixtures as fixture

pytestmark = pytest.mark.django_db

URL = "/overleg/taskforce/verslag-inlezen/"


class FormValues(HTMLParser):
    """What a browser would send for the review form: its inputs, checked boxes, textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "form" and "confirm" not in self.values:
            self._in_form = attrs.get("method") == "post" and "verslag-inlezen" in (
                attrs.get("action") or ""
            )
        if not self._in_form or "name" not in attrs:
            return
        checkbox = attrs.get("type") == "checkbox"
        if tag == "input" and (not checkbox or "checked" in attrs):
            self.values[attrs["name"]] = attrs.get("value", "on" if checkbox else "") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            value = self.values[self._textarea]
            self.values[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        if tag == "form":
            self._in_form = False


def review_form(response) -> dict[str, str]:
    parser = FormValues()
    parser.feed(response.content.decode())
    assert parser.values.get("confirm") == "1", "no review form on the page"
    return parser.values


def counts() -> tuple[int, ...]:
    models = (Meeting, Attendance, AgendaItem, ActionItem, MinutesVersion, ImportJob)
    return tuple(model.objects.count() for model in models)


def upload(client: Client, data: bytes | None = None, name: str = "verslag.docx"):
    file = SimpleUploadedFile(name, fixture.as_docx() if data is None else data)
    return client.post(URL, {"file": file})


@pytest.fixture
def taskforce(users) -> Body:
    return Body.objects.create(slug="taskforce", name="Regiegroep", kind=Body.Kind.TASKFORCE)


def action_row(values: dict[str, str], text: str) -> str:
    """The form prefix of the action item row with this text."""
    [prefix] = [
        name.removesuffix("-text")
        for name, value in values.items()
        if name.startswith("actions-") and name.endswith("-text") and value == text
    ]
    return prefix


def test_upload_shows_what_was_read_and_saves_nothing(coordinator, taskforce) -> None:
    response = upload(coordinator)
    assert response.status_code == 200
    assert counts() == (0, 0, 0, 0, 0, 0)
    values = review_form(response)
    assert values["meeting-date"] == "2024-03-07"
    assert (values["meeting-start"], values["meeting-end"]) == ("13:30", "15:00")
    assert values["meeting-place"] == fixture.PLACE
    assert values["attendance-present"].splitlines() == fixture.PRESENT
    assert values["attendance-excused"].splitlines() == fixture.ABSENT_WITH_NOTICE
    assert values["attendance-absent"].splitlines() == ["Regio Zuid"]
    rows = range(len(fixture.AGENDA))
    agenda = [(values[f"agenda-{i}-number"], values[f"agenda-{i}-title"]) for i in rows]
    assert agenda == fixture.AGENDA
    # and an empty row for a new item
    assert values["agenda-TOTAL_FORMS"] == str(len(fixture.AGENDA) + 1)
    owners = [values[f"actions-{i}-owner"] for i in range(len(fixture.ACTION_ITEMS))]
    assert owners == [owner for _text, owner, _due, _n in fixture.ACTION_ITEMS]
    dues = [values[f"actions-{i}-due"] for i in range(len(fixture.ACTION_ITEMS))]
    assert dues == [due.isoformat() if due else "" for _t, _o, due, _n in fixture.ACTION_ITEMS]
    assert "2024-04-15" in dues  # the fixture has dates to read
    assert all(values[f"actions-{i}-include"] == "on" for i in range(len(owners)))
    assert "Opmerkingen bij het lezen" not in response.content.decode()


def test_confirm_saves_the_corrected_minutes_and_goes_to_the_meeting(coordinator, taskforce):
    values = review_form(upload(coordinator))
    row = action_row(values, "Secretaris stuurt de factsheet logiesplekken rond")
    values[f"{row}-owner"] = "Provincie Zuiderland"
    dropped = action_row(values, "regio's leveren cijfers over logiesplekken aan")
    del values[f"{dropped}-include"]  # an old action point repeated above its discussion
    values["agenda-4-title"] = "Rondvraag"

    response = coordinator.post(URL, values)

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/overleg/taskforce/vergaderingen/{meeting.pk}/"
    corrected = ActionItem.objects.get(text="Secretaris stuurt de factsheet logiesplekken rond")
    assert corrected.owner_name == "Provincie Zuiderland"
    assert corrected.agenda_item.number == "2"
    assert ActionItem.objects.count() == len(fixture.ACTION_ITEMS) - 1
    assert not ActionItem.objects.filter(text__startswith="regio's leveren").exists()
    assert meeting.agenda.get(number="4").title == "Rondvraag"
    excused = meeting.attendance.filter(presence="excused").values_list("name", flat=True)
    assert sorted(excused) == sorted(fixture.ABSENT_WITH_NOTICE)
    minutes = meeting.minutes.get()
    assert minutes.texts["3"].startswith("Het werkbezoek aan twee logieslocaties")
    assert "verslag.docx" in minutes.reason
    assert AuditEntry.objects.filter(action="import", subject="minutes").count() == 1


def test_a_bad_date_in_a_row_names_the_row_and_field(coordinator, taskforce) -> None:
    values = review_form(upload(coordinator))
    values["actions-2-due"] = "2024-02-31"
    response = coordinator.post(URL, values)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Uiterlijk (actiepunt 3): Voer een geldige datum in." in page
    assert 'href="#id_actions-2-due"' in page  # the summary leads to the field
    assert 'aria-invalid="true"' in page
    assert review_form(response)["actions-2-due"] == "2024-02-31"  # the input is kept
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_rows_are_checked_against_each_other(coordinator, taskforce) -> None:
    values = review_form(upload(coordinator))
    values["agenda-1-DELETE"] = "on"  # item 2 goes, but 2.1 and action items refer to it
    response = coordinator.post(URL, values)
    page = response.content.decode()
    assert "Nummer (agendaregel 3): Punt 2.1 hoort onder punt 2; zet dat punt erboven." in page
    values["agenda-2-DELETE"] = "on"
    page = coordinator.post(URL, values).content.decode()
    assert "Agendapunt (actiepunt 1): Punt 2 staat niet op de agenda." in page
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_minutes_already_recorded_are_refused_on_the_date(coordinator, taskforce) -> None:
    values = review_form(upload(coordinator))
    assert coordinator.post(URL, values).status_code == 302
    before = counts()
    again = upload(coordinator)
    assert "<li>Er is al een vergadering van Regiegroep op 07-03-2024" in again.content.decode()
    page = coordinator.post(URL, review_form(again)).content.decode()
    assert 'id="id_meeting-date_error"' in page
    assert counts() == before


def test_minutes_without_date_can_be_completed_in_the_review(coordinator, taskforce) -> None:
    data, _lines = fixture.as_txt()
    undated = data.replace(fixture.DATE_LINE.encode(), b"Streekhuis Oostrand")
    response = upload(coordinator, undated, "verslag.txt")
    assert "<li>Geen vergaderdatum gevonden" in response.content.decode()  # the parser's remark
    values = review_form(response)
    assert values["meeting-date"] == ""
    page = coordinator.post(URL, values).content.decode()
    assert "Datum: Dit veld is vereist." in page
    assert "<li>Geen vergaderdatum gevonden" in page  # the remarks stay on top
    assert counts() == (0, 0, 0, 0, 0, 0)
    values["meeting-date"] = "2024-03-07"
    assert coordinator.post(URL, values).status_code == 302
    assert Meeting.objects.get().date == fixture.DATE


def test_an_unreadable_file_is_an_error_on_the_upload_form(coordinator, taskforce) -> None:
    response = upload(coordinator, b"geen word-bestand", "verslag.docx")
    assert "Het Word-bestand is niet te openen" in response.content.decode()
    assert "confirm" not in response.content.decode()
    response = upload(coordinator, b"tekst", "verslag.xlsx")
    assert "Dit bestandstype wordt hier niet ondersteund." in response.content.decode()


@pytest.mark.parametrize("role", ["member", "analyst", "venlo_officer"])
def test_only_the_secretariat_reaches_the_page(users, taskforce, role) -> None:
    client = Client()
    client.force_login(users[role])
    assert client.get(URL).status_code == 403
    assert upload(client).status_code == 403
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_the_province_admin_may_import_and_anonymous_visitors_log_in(users, taskforce) -> None:
    admin = Client()
    admin.force_login(users["province_admin"])
    assert admin.get(URL).status_code == 200
    assert admin.get("/overleg/stuurgroep/verslag-inlezen/").status_code == 404
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_generic_import_pages_lead_to_the_review(coordinator, taskforce) -> None:
    index = coordinator.get("/imports/").content.decode()
    assert 'href="/overleg/verslagen/inlezen/"' in index
    response = coordinator.get("/imports/minutes/?body=taskforce")
    assert response["Location"] == "/overleg/verslagen/inlezen/?body=taskforce"
    assert coordinator.get(response["Location"])["Location"] == URL
    chooser = coordinator.get("/overleg/verslagen/inlezen/").content.decode()
    assert f'href="{URL}"' in chooser
    file = SimpleUploadedFile("verslag.docx", fixture.as_docx())
    response = coordinator.post("/imports/minutes/", {"file": file, "body": "taskforce"})
    assert response.status_code == 302
    assert counts() == (0, 0, 0, 0, 0, 0)  # no job, no preview without review


def test_a_command_line_preview_is_not_saved_from_the_generic_job_page(
    users, taskforce, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)  # the job keeps its file
    admin = Client()
    admin.force_login(users["province_admin"])
    job = jobs.create_job(
        users["province_admin"], "minutes", "verslag.docx", fixture.as_docx(), {"body": "taskforce"}
    )
    jobs.execute(job, commit=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW
    page = admin.get(f"/imports/job/{job.pk}/").content.decode()
    assert "Bevestigen en opslaan" not in page
    assert 'href="/overleg/verslagen/inlezen/"' in page
    admin.post(f"/imports/job/{job.pk}/opslaan/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW
    assert not Meeting.objects.exists()


def test_the_chooser_says_when_there_is_no_body_yet(coordinator) -> None:
    page = coordinator.get("/overleg/verslagen/inlezen/").content.decode()
    assert "Er is nog geen overleg." in page
