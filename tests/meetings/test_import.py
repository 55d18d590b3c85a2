"""Minutes through the import framework: `waardig import minutes FILE --body SLUG`."""

import json

import pytest

from waardig.cli import main
from waardig.core.imports import run_import
from waardig.core.models import ImportJob
from waardig.core.registry import IMPORTS
from waardig.meetings import services
from waardig.meetings.importers import MinutesImporter
from waardig.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Meeting,
    MinutesVersion,
)

from . import minutes_fixtures as fixture

pytestmark = pytest.mark.django_db

RENDERERS = {
    "verslag.txt": lambda: fixture.as_txt()[0],
    "verslag.docx": fixture.as_docx,
    "verslag.pdf": fixture.as_pdf,
}


def counts() -> tuple[int, ...]:
    models = (Meeting, Attendance, AgendaItem, ActionItem, MinutesVersion)
    return tuple(model.objects.count() for model in models)


def clean(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def taskforce() -> Body:
    return Body.objects.create(slug="taskforce", name="Regiegroep", kind=Body.Kind.TASKFORCE)


@pytest.fixture
def run_cli(tmp_path, settings, capsys, taskforce):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the import job keeps its file here

    def run(filename: str, *args: str, data: bytes | None = None) -> tuple[int, dict]:
        path = tmp_path / filename
        path.write_bytes(RENDERERS[filename]() if data is None else data)
        code = main(["import", "minutes", str(path), "--json", *args])
        return code, json.loads(capsys.readouterr().out)

    return run


def test_minutes_are_a_registered_import_with_their_own_upload_page() -> None:
    assert IMPORTS["minutes"] is MinutesImporter
    assert MinutesImporter.upload_url_name == "minutes-import-start"


@pytest.mark.parametrize("filename", list(RENDERERS))
def test_dry_run_shows_the_meeting_and_every_action_item(run_cli, filename) -> None:
    code, outcome = run_cli(filename, "--body", "taskforce", "--dry-run")
    assert code == 0, outcome["errors"]
    meeting, *actions = outcome["items"]
    assert meeting["part"] == "meeting"
    assert (meeting["date"], meeting["start"], meeting["end"]) == ("2024-03-07", "13:30", "15:00")
    assert meeting["place"] == fixture.PLACE
    assert meeting["present"] == fixture.PRESENT
    assert meeting["absent_with_notice"] == fixture.ABSENT_WITH_NOTICE
    assert meeting["absent"] == ["Regio Zuid"]  # the excused are not absent twice
    assert [(a["number"], clean(a["title"])) for a in meeting["agenda"]] == fixture.AGENDA
    assert [(clean(a["text"]), a["owner"], a["due"], a["agenda_number"]) for a in actions] == [
        (text, owner, due.isoformat() if due else None, number)
        for text, owner, due, number in fixture.ACTION_ITEMS
    ]
    assert outcome["created"] == 1 + len(fixture.ACTION_ITEMS)
    assert counts() == (0, 0, 0, 0, 0)


def test_txt_action_items_are_rows_at_their_line(run_cli) -> None:
    code, outcome = run_cli("verslag.txt", "--body", "taskforce", "--dry-run")
    assert code == 0
    assert [i["row"] for i in outcome["items"][1:]] == fixture.as_txt()[1]


def test_commit_records_the_held_meeting_with_everything_in_it(run_cli, taskforce) -> None:
    code, outcome = run_cli("verslag.docx", "--body", "taskforce")
    assert code == 0, outcome["errors"]
    meeting = Meeting.objects.get()
    assert (meeting.body, meeting.date, meeting.status) == (taskforce, fixture.DATE, "held")
    assert (meeting.start, meeting.end, meeting.place) == (
        fixture.START,
        fixture.END,
        fixture.PLACE,
    )
    presence = sorted(meeting.attendance.values_list("presence", "name"))
    assert presence == sorted(
        [("present", n) for n in fixture.PRESENT]
        + [("excused", n) for n in fixture.ABSENT_WITH_NOTICE]
        + [("absent", "Regio Zuid")]
    )
    agenda = list(meeting.agenda.order_by("order"))
    assert [(a.number, clean(a.title)) for a in agenda] == fixture.AGENDA
    assert agenda[2].parent == agenda[1]  # 2.1 under 2
    items = list(ActionItem.objects.order_by("id"))
    assert [(clean(i.text), i.owner_name, i.due) for i in items] == [
        (text, owner, due) for text, owner, due, _number in fixture.ACTION_ITEMS
    ]
    assert [i.agenda_item.number for i in items] == [n for *_, n in fixture.ACTION_ITEMS]
    assert all(i.meeting == meeting and i.is_open for i in items)
    minutes = MinutesVersion.objects.get()
    assert (minutes.meeting, minutes.number, minutes.final) == (meeting, 1, False)
    assert set(minutes.texts) == set(fixture.expected_minutes())
    assert "verslag.docx" in minutes.reason
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


def test_the_same_minutes_again_change_nothing(run_cli) -> None:
    assert run_cli("verslag.txt", "--body", "taskforce")[0] == 0
    before = counts()
    for args in (("--dry-run",), ()):
        code, outcome = run_cli("verslag.pdf", "--body", "taskforce", *args)
        assert code == 0 and not outcome["errors"]
        assert outcome["created"] == 0 and outcome["unchanged"] == len(outcome["items"]) > 1
        meeting = outcome["items"][0]
        assert meeting["date"] == "2024-03-07" and "bestaat al" in meeting["label"]
    assert counts() == before


def test_minutes_without_a_date_are_a_clear_error_and_save_nothing(run_cli) -> None:
    data, _lines = fixture.as_txt()
    undated = data.replace(fixture.DATE_LINE.encode(), b"Streekhuis Oostrand, zaal 2")
    assert undated != data
    code, outcome = run_cli("verslag.txt", "--body", "taskforce", data=undated)
    assert code == 1
    assert [(e["row"], e["column"]) for e in outcome["errors"]] == [(0, "")]
    assert "Geen vergaderdatum gevonden" in outcome["errors"][0]["message"]
    assert counts() == (0, 0, 0, 0, 0)


def test_minutes_of_a_meeting_still_to_come_are_refused(run_cli) -> None:
    data, _lines = fixture.as_txt()
    future = data.replace(b"07-03-2024 13:30", b"07-03-2999 13:30")
    code, outcome = run_cli("verslag.txt", "--body", "taskforce", data=future)
    assert code == 1
    assert outcome["errors"][0]["column"] == "date"
    assert "07-03-2999 ligt in de toekomst" in outcome["errors"][0]["message"]
    assert counts() == (0, 0, 0, 0, 0)


def test_a_document_without_text_is_an_error(run_cli) -> None:
    code, outcome = run_cli("verslag.txt", "--body", "taskforce", data=b"\n \n")
    assert code == 1
    assert outcome["errors"][0]["message"] == "Het document bevat geen tekst."


def test_the_body_option_is_required_and_must_exist(run_cli) -> None:
    with pytest.raises(SystemExit, match="minutes needs --body"):
        run_cli("verslag.txt")
    code, outcome = run_cli("verslag.txt", "--body", "stuurgroep")
    assert code == 1
    assert outcome["errors"] == [
        {"row": 0, "column": "body", "message": "Onbekend overleg 'stuurgroep'."}
    ]
    assert counts() == (0, 0, 0, 0, 0)


def import_as(user, filename: str = "verslag.txt"):
    importer = MinutesImporter(user, {"body": "taskforce"})
    return run_import(importer, RENDERERS[filename](), filename, dry_run=False)


def test_a_body_the_user_cannot_see_is_unknown_to_them(users, taskforce) -> None:
    result = import_as(users["member"])
    assert [e.message for e in result.errors] == ["Onbekend overleg 'taskforce'."]
    assert counts() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("role", ["analyst", "member"])
def test_who_sees_a_body_but_keeps_no_minutes_may_not_import(users, taskforce, role) -> None:
    user = users[role]
    services.save_member(users["province_admin"], BodyMember(body=taskforce), user=user)
    result = import_as(user)
    assert [e.message for e in result.errors] == [
        "U mag geen vergaderingen van Regiegroep vastleggen."
    ]
    assert counts() == (0, 0, 0, 0, 0)


def test_the_secretary_imports_as_themselves(users, taskforce) -> None:
    result = import_as(users["coordinator"])
    assert result.ok, result.errors
    assert Meeting.objects.get().minutes.get().author_name == "coordinator"
