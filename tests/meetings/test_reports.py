"""Agenda, minutes and action list through the shared report pipeline: the same content in every
format, the nested agenda with open action items under 3.x, minutes by version, the action
list in Excel and CSV, the command line, and 404 for whoever cannot see the meeting."""

import csv
import datetime
import io

import docx
import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from report_extract import assert_same_content, text_of_docx, text_of_pdf, xlsx_values

from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.core.exports import export
from waardig.core.reports.render import render
from waardig.meetings import reports, services
from waardig.meetings.models import Attendance, Body, BodyMember, Meeting
from waardig.organisations.models import Organisation

pytestmark = pytest.mark.django_db
FORMATS = ("html", "pdf", "docx", "xlsx", "md")
LATE = datetime.date(2023, 5, 1)  # long past: the item is overdue whenever the test runs
LATER = datetime.date(2099, 1, 1)


@pytest.fixture
def taskforce(users) -> Body:
    """A taskforce the `member` user holds a seat in, with one held meeting."""
    body = services.save_body(
        SYSTEM, slug="taskforce", name="Taskforce Internationale Werknemers", kind="taskforce"
    )
    services.save_member(SYSTEM, BodyMember(body=body), user=users["member"], role="member")
    return body


@pytest.fixture
def meeting(taskforce) -> Meeting:
    lltb = Organisation.objects.create(name="LLTB (fictief)", kind="employers")
    services.add_action_item(
        SYSTEM, taskforce, text="Namen bedrijven aanleveren", owner_name="LLTB, LWV", due=LATE
    )
    services.add_action_item(
        SYSTEM, taskforce, text="Factsheet opstellen", owner_organisation=lltb, due=LATER
    )
    meeting = services.plan_meeting(
        SYSTEM,
        taskforce,
        date=datetime.date(2023, 4, 12),
        start=datetime.time(14, 0),
        end=datetime.time(16, 0),
        place="Gouvernement Maastricht",
        topics=["Terugkoppeling Kennisambassadeur"],
    )
    topic = meeting.agenda.get(number="5")
    services.add_outcome(SYSTEM, topic, kind="decision", text="De Stuurgroep krijgt een notitie.")
    services.add_action_item(
        SYSTEM,
        taskforce,
        text="Notitie voor de Stuurgroep schrijven",
        owner_name="Provincie",
        due=LATER,
        meeting=meeting,
        agenda_item=topic,
    )
    services.set_attendance(
        SYSTEM,
        meeting,
        [
            ("Provincie Limburg", Attendance.Presence.PRESENT, None),
            ("LWV", Attendance.Presence.PRESENT, None),
            ("Regio Noord", Attendance.Presence.EXCUSED, None),
        ],
    )
    paper = SimpleUploadedFile("notitie.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.add_document(
        SYSTEM, meeting, paper, title="Notitie kennisambassadeur", agenda_item=topic
    )
    return meeting


def agenda_of(meeting, actor=SYSTEM):
    return reports.agenda_report(actor, {"meeting": str(meeting.pk)})


def headings(data: bytes) -> list[str]:
    word = docx.Document(io.BytesIO(data))
    return [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]


def test_agenda_is_numbered_and_nested_with_open_items_under_the_follow_up(meeting):
    document = agenda_of(meeting)
    rendered = {fmt: render(document, fmt) for fmt in FORMATS}
    assert_same_content(document, rendered)

    titles = headings(rendered["docx"])
    assert titles[:3] == [
        "1. Opening en vaststelling agenda",
        "2. Verslag vorige vergadering",
        "3. Nalopen actiepunten",
    ]
    assert titles[3:5] == [
        "3.1 Namen bedrijven aanleveren (LLTB, LWV)",
        "3.2 Factsheet opstellen",
    ]
    assert "5. Terugkoppeling Kennisambassadeur" in titles
    assert titles[-2:] == ["7. Sluiting", "Vergaderstukken"]
    word = docx.Document(io.BytesIO(rendered["docx"]))
    heading_levels = {p.text: p.style.name for p in word.paragraphs}
    assert heading_levels["3.1 Namen bedrijven aanleveren (LLTB, LWV)"] == "Heading 2"

    section = next(s for s in document.sections if s.title == "3. Nalopen actiepunten")
    first, second = (sub.blocks[0].text for sub in section.subsections)
    assert first == "Eigenaar: LLTB, LWV; uiterlijk 01-05-2023; te laat"
    assert second == "Eigenaar: LLTB (fictief); uiterlijk 01-01-2099"  # linked organisation

    pdf = " ".join(text_of_pdf(rendered["pdf"]).split())
    assert "Taskforce Internationale Werknemers, woensdag 12 april 2023" in pdf
    assert "14:00 - 16:00 uur" in pdf and "Gouvernement Maastricht" in pdf
    assert "Stukken: Notitie kennisambassadeur" in pdf


def test_papers_are_listed_only_for_who_may_open_them(meeting, users):
    member_text = text_of_docx(render(agenda_of(meeting, users["member"]), "docx"))
    assert "Notitie kennisambassadeur" in member_text
    analyst_text = text_of_docx(render(agenda_of(meeting, users["analyst"]), "docx"))
    assert "Nalopen actiepunten" in analyst_text  # the analyst follows the body...
    assert "Notitie kennisambassadeur" not in analyst_text  # ...but papers are members-only


def test_an_empty_agenda_says_so(taskforce):
    meeting = Meeting.objects.create(body=taskforce, date=datetime.date(2024, 1, 10))
    text = render(agenda_of(meeting), "md").decode()
    assert "Er staan nog geen punten op de agenda." in text


def test_minutes_show_the_text_of_the_latest_version_and_whether_it_is_final(meeting):
    services.save_minutes(
        SYSTEM,
        meeting,
        {"1": "De voorzitter opent de vergadering.", "5": "De ambassadeur licht het plan toe."},
    )
    services.save_minutes(
        SYSTEM,
        meeting,
        {"1": "De voorzitter opent om 14:05.", "5": "De ambassadeur licht het plan toe."},
    )
    draft = reports.minutes_report(SYSTEM, {"meeting": meeting.pk})
    assert ("Verslag", "concept, versie 2") in draft.meta
    assert "nog niet vastgesteld" in draft.notes[0].text

    services.finalise_minutes(SYSTEM, meeting)
    document = reports.minutes_report(SYSTEM, {"meeting": meeting.pk})
    assert ("Verslag", "vastgesteld, versie 3") in document.meta and not document.notes
    rendered = {fmt: render(document, fmt) for fmt in FORMATS}
    assert_same_content(document, rendered)

    pdf = " ".join(text_of_pdf(rendered["pdf"]).split())
    assert "De voorzitter opent om 14:05." in pdf
    assert "De voorzitter opent de vergadering." not in pdf  # an older version
    assert "Aanwezig: LWV, Provincie Limburg" in pdf
    assert "Afwezig met kennisgeving: Regio Noord" in pdf
    assert "Besluit: De Stuurgroep krijgt een notitie." in pdf
    assert (
        "Actiepunt: Notitie voor de Stuurgroep schrijven (Provincie), uiterlijk 01-01-2099" in pdf
    )
    topic = next(s for s in document.sections if s.title.startswith("5."))
    assert topic.blocks[0].text == "De ambassadeur licht het plan toe."
    agreed = document.sections[-1]
    assert agreed.title == "Afgesproken actiepunten"
    assert agreed.blocks[0].rows == (
        ("5", "Notitie voor de Stuurgroep schrijven", "Provincie", LATER, "Open", ""),
    )


def test_minutes_without_text_yet(meeting):
    document = reports.minutes_report(SYSTEM, {"meeting": meeting.pk})
    assert ("Verslag", "nog geen verslag") in document.meta
    assert document.notes[0].kind == "warning"


def test_minutes_name_notes_made_on_a_followed_up_item(meeting, taskforce):
    item = taskforce.action_items.get(text="Namen bedrijven aanleveren")
    services.set_meeting_status(SYSTEM, meeting, Meeting.Status.HELD)  # keeps its agenda
    services.close_action_item(SYSTEM, item, note="Lijst is aangeleverd.", meeting=meeting)
    document = reports.minutes_report(SYSTEM, {"meeting": meeting.pk})
    follow_up = next(s for s in document.sections if s.title == "3. Nalopen actiepunten")
    texts = [b.text for b in follow_up.subsections[0].blocks]
    assert texts == [
        "Eigenaar: LLTB, LWV; uiterlijk 01-05-2023; afgerond",
        "Toelichting: Lijst is aangeleverd.",
    ]


def test_action_list_flags_overdue_items_and_filters_by_status(meeting, taskforce):
    done = services.add_action_item(SYSTEM, taskforce, text="Oud punt", due=LATE)
    services.close_action_item(SYSTEM, done, note="Gedaan.")
    document = reports.action_list_report(SYSTEM, {"body": "taskforce"})
    rendered = {fmt: render(document, fmt) for fmt in FORMATS}
    assert_same_content(document, rendered)
    rows = document.sections[0].blocks[0].rows
    assert [row[0] for row in rows] == [
        "Namen bedrijven aanleveren",  # open, earliest due first
        "Factsheet opstellen",
        "Notitie voor de Stuurgroep schrijven",
        "Oud punt",  # closed ones last
    ]
    late, factsheet, notitie, old = rows
    assert late[4:6] == ("Open", "te laat")
    assert factsheet[1:3] == ("LLTB (fictief)", "LLTB (fictief)")
    assert notitie[6] == datetime.date(2023, 4, 12)  # from the meeting
    assert old[4:6] == ("Afgerond", "") and old[7] == "Gedaan."
    assert ("Waarvan te laat", "1") in document.meta

    values = xlsx_values(rendered["xlsx"])
    assert "te laat" in values and "Gedaan." in values
    assert datetime.datetime(2023, 5, 1) in values  # a real date cell

    only_open = reports.action_list_report(SYSTEM, {"body": "taskforce", "status": "open"})
    assert len(only_open.sections[0].blocks[0].rows) == 3
    with pytest.raises(ValidationError, match="Onbekende status"):
        reports.action_list_report(SYSTEM, {"body": "taskforce", "status": "klaar"})


def test_action_list_of_a_body_without_items(taskforce):
    document = reports.action_list_report(SYSTEM, {"body": "taskforce"})
    assert "Geen actiepunten." in render(document, "md").decode()


def test_reports_of_what_the_actor_cannot_see_do_not_exist(meeting, users):
    steering = services.save_body(
        SYSTEM, slug="stuurgroep", name="Stuurgroep", kind="steering_group"
    )
    other = services.plan_meeting(SYSTEM, steering, date=datetime.date(2023, 5, 1))
    member = users["member"]
    assert agenda_of(meeting, member).title == "Agenda van de vergadering"
    with pytest.raises(ObjectDoesNotExist):
        agenda_of(other, member)
    with pytest.raises(ObjectDoesNotExist):
        reports.action_list_report(member, {"body": "stuurgroep"})
    with pytest.raises(ObjectDoesNotExist):
        reports.minutes_report(users["venlo_officer"], {"meeting": meeting.pk})
    with pytest.raises(ValidationError, match="nummer van de vergadering"):
        reports.agenda_report(member, {"meeting": "twaalf"})


def test_export_has_the_same_rows_as_csv_and_for_the_visible_bodies_only(meeting, users):
    steering = services.save_body(
        SYSTEM, slug="stuurgroep", name="Stuurgroep", kind="steering_group"
    )
    services.add_action_item(SYSTEM, steering, text="Geheim punt", due=LATE)

    data = export(users["member"], "action-items", "csv", {})
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == reports.EXPORT_COLUMNS
    by_text = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_text) == {
        "Namen bedrijven aanleveren",
        "Factsheet opstellen",
        "Notitie voor de Stuurgroep schrijven",
    }
    late = by_text["Namen bedrijven aanleveren"]
    assert (late["body"], late["due"], late["status"], late["overdue"]) == (
        "taskforce",
        "2023-05-01",
        "open",
        "True",
    )
    with pytest.raises(Body.DoesNotExist):  # not theirs: as if it did not exist (404)
        export(users["member"], "action-items", "csv", {"body": "stuurgroep"})
    everything = export(users["coordinator"], "action-items", "xlsx", {"body": "stuurgroep"})
    assert "Geheim punt" in xlsx_values(everything)


def test_web_downloads_answer_404_to_who_is_not_a_member(meeting, users):
    client = Client()
    client.force_login(users["member"])
    response = client.get(f"/rapporten/agenda.pdf?meeting={meeting.pk}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.get(f"/rapporten/minutes.docx?meeting={meeting.pk}")
    assert response.status_code == 200
    response = client.get("/rapporten/action-items.xlsx?body=taskforce")
    assert "te laat" in xlsx_values(response.content)
    assert client.get("/export/action-items.xlsx?body=taskforce").status_code == 200
    assert client.get("/rapporten/agenda.pdf?meeting=abc").status_code == 400
    page = client.get(f"/rapporten/agenda/?meeting={meeting.pk}")
    assert page.status_code == 200 and "3.1 Namen bedrijven aanleveren" in page.content.decode()

    client.force_login(users["venlo_officer"])  # no seat in the taskforce
    assert client.get(f"/rapporten/agenda.pdf?meeting={meeting.pk}").status_code == 404
    assert client.get(f"/rapporten/minutes.pdf?meeting={meeting.pk}").status_code == 404
    assert client.get("/rapporten/action-items.xlsx?body=taskforce").status_code == 404
    assert client.get(f"/rapporten/agenda/?meeting={meeting.pk}").status_code == 404


def test_command_line_writes_agenda_minutes_and_action_list(tmp_path, meeting):
    services.save_minutes(SYSTEM, meeting, {"1": "De voorzitter opent de vergadering."})
    agenda, minutes, actions = (tmp_path / n for n in ("a.docx", "m.pdf", "l.xlsx"))
    pk = str(meeting.pk)
    assert (
        main(["report", "agenda", "--meeting", pk, "--format", "docx", "--out", str(agenda)]) == 0
    )
    assert "3.1 Namen bedrijven aanleveren (LLTB, LWV)" in headings(agenda.read_bytes())
    assert (
        main(["report", "minutes", "--meeting", pk, "--format", "pdf", "--out", str(minutes)]) == 0
    )
    assert "De voorzitter opent de vergadering." in text_of_pdf(minutes.read_bytes())
    args = ["report", "action-items", "--body", "taskforce", "--format", "xlsx"]
    assert main([*args, "--out", str(actions)]) == 0
    assert "Namen bedrijven aanleveren" in xlsx_values(actions.read_bytes())
    with pytest.raises(SystemExit, match="not found"):
        main(["report", "agenda", "--meeting", "999999", "--format", "md", "--out", str(agenda)])
    with pytest.raises(SystemExit, match="needs --body"):
        main(["report", "action-items", "--format", "md", "--out", str(actions)])
