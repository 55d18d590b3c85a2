"""Action items come back on every next agenda until closed; final minutes are versioned."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from waardig.core.access import SYSTEM
from waardig.core.models import AppendOnlyError
from waardig.meetings import rules, services
from waardig.meetings.minutes import ProposedActionItem, ProposedAgendaItem, ProposedMinutes
from waardig.meetings.models import ActionItem, Body, Meeting, MinutesVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def taskforce() -> Body:
    return Body.objects.create(slug="taskforce", name="Taskforce", kind=Body.Kind.TASKFORCE)


def agenda_titles(meeting: Meeting) -> list[str]:
    return [f"{a.number} {a.title}" for a in meeting.agenda.order_by("order")]


def test_draft_agenda_puts_open_items_under_the_follow_up_item():
    lines = rules.draft_agenda(
        [
            rules.OpenItem(7, "Namen bedrijven aanleveren", "LLTB, LWV"),
            rules.OpenItem(9, "Notitie"),
        ],
        topics=["Terugkoppeling Kennisambassadeur"],
    )
    numbered = [(line.number, line.title) for line in lines]
    assert numbered[2] == ("3", "Nalopen actiepunten")
    assert numbered[3] == ("3.1", "Namen bedrijven aanleveren (LLTB, LWV)")
    assert lines[3].action_item == 7 and lines[3].parent == "3"
    assert numbered[4] == ("3.2", "Notitie")
    assert numbered[6] == ("5", "Terugkoppeling Kennisambassadeur")  # before the questions
    assert [n for n, _ in numbered[-2:]] == ["6", "7"]
    assert numbered[-1][1] == "Sluiting"


def test_next_meeting_lists_every_open_item_until_it_is_closed(taskforce):
    april = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 4, 12))
    first = services.add_action_item(
        SYSTEM, taskforce, text="Verzoek aan de gedeputeerde", owner_name="", meeting=april
    )
    second = services.add_action_item(
        SYSTEM, taskforce, text="Bedrijven aanleveren", owner_name="LLTB, LWV", meeting=april
    )
    may = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 5, 10))
    assert "3.1 Verzoek aan de gedeputeerde" in agenda_titles(may)
    assert "3.2 Bedrijven aanleveren (LLTB, LWV)" in agenda_titles(may)
    assert may.agenda.get(number="3.2").parent == may.agenda.get(number="3")

    services.close_action_item(SYSTEM, first, note="Verzoek is verstuurd.")
    assert "3.1 Verzoek aan de gedeputeerde" not in agenda_titles(may)  # left the draft
    june = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 6, 14))
    assert [t for t in agenda_titles(june) if t.startswith("3.")] == [
        "3.1 Bedrijven aanleveren (LLTB, LWV)"
    ]
    first.refresh_from_db()
    assert first.status == ActionItem.Status.DONE
    assert first.notes.get().text == "Verzoek is verstuurd."
    assert second.is_open
    with pytest.raises(ValidationError):
        services.close_action_item(SYSTEM, first)  # already closed


def test_a_held_meeting_keeps_its_agenda_when_an_item_closes(taskforce):
    item = services.add_action_item(SYSTEM, taskforce, text="Notitie schrijven")
    held = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 5, 10))
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)
    services.close_action_item(SYSTEM, item)
    assert "3.1 Notitie schrijven" in agenda_titles(held)


def test_final_minutes_change_only_as_a_new_version_with_a_reason(taskforce):
    meeting = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 4, 12))
    services.save_minutes(SYSTEM, meeting, {"1": "De voorzitter opent."})
    final = services.finalise_minutes(SYSTEM, meeting)
    assert final.final and final.number == 2
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.FINAL
    with pytest.raises(ValidationError, match="reden"):
        services.save_minutes(SYSTEM, meeting, {"1": "De voorzitter opent om 14:05."})
    corrected = services.save_minutes(
        SYSTEM, meeting, {"1": "De voorzitter opent om 14:05."}, reason="Tijd aangevuld"
    )
    assert corrected.number == 3 and not corrected.final

    def stored_final() -> tuple:
        stored = MinutesVersion.objects.get(pk=final.pk)  # from the database, not the object
        return (stored.number, stored.final, stored.texts, stored.reason)

    untouched = (2, True, {"1": "De voorzitter opent."}, final.reason)
    assert stored_final() == untouched  # the final version is untouched
    final.texts = {"1": "stiekem"}
    with pytest.raises(AppendOnlyError):
        final.save()
    with pytest.raises(AppendOnlyError):
        meeting.minutes.update(reason="x")
    assert stored_final() == untouched


def test_only_the_province_plans_meetings_and_keeps_action_items(taskforce, users):
    for role in ("member", "analyst", "venlo_officer"):
        with pytest.raises(PermissionDenied):
            services.plan_meeting(users[role], taskforce, date=datetime.date(2023, 4, 12))
    meeting = services.plan_meeting(
        users["coordinator"], taskforce, date=datetime.date(2023, 4, 12)
    )
    item = services.add_action_item(users["coordinator"], taskforce, text="x", meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.close_action_item(users["member"], item)


def test_a_new_topic_goes_before_the_questions_which_move_down(taskforce):
    meeting = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 5, 10))
    topic = services.add_agenda_item(SYSTEM, meeting, title="Huisvestingsmonitor")
    sub = services.add_agenda_item(SYSTEM, meeting, title="Cijfers Noord", parent=topic)
    assert agenda_titles(meeting)[-4:] == [
        "5 Huisvestingsmonitor",
        "5.1 Cijfers Noord",
        "6 Rondvraag",
        "7 Sluiting",
    ]
    assert sub.parent == topic
    other = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 6, 14))
    with pytest.raises(ValidationError):
        services.add_agenda_item(SYSTEM, other, title="x", parent=topic)


def test_recording_reviewed_minutes_saves_everything_once(taskforce):
    proposal = ProposedMinutes(
        title="Taskforce",
        date=datetime.date(2024, 3, 7),
        start=datetime.time(13, 30),
        end=None,
        place="Streekhuis",
        present=["Regio Noord", "Provincie"],
        absent=["Regio Zuid"],
        absent_with_notice=["Uitzendbranche"],
        agenda=[
            ProposedAgendaItem("1.", "Opening en vaststelling agenda"),
            ProposedAgendaItem("2.", "Nalopen actiepunten"),
            ProposedAgendaItem("2.1", "Notitie"),
            ProposedAgendaItem("3.", "Overige punten en rondvraag"),
        ],
        minutes={"1.": "De voorzitter opent.", "2.1": "Notitie is klaar.", "3.": " "},
        action_items=[
            ProposedActionItem(9, "Notitie rondsturen", "Provincie", None, "2.1"),
            ProposedActionItem(12, "Werkbezoek plannen", "", datetime.date(2024, 4, 1), "9"),
        ],
    )
    meeting = services.record_meeting(SYSTEM, taskforce, proposal, source="verslag.docx")
    assert meeting.status == Meeting.Status.HELD and meeting.place == "Streekhuis"
    assert sorted(meeting.attendance.values_list("presence", flat=True)) == [
        "absent",
        "excused",
        "present",
        "present",
    ]
    kinds = dict(meeting.agenda.values_list("number", "kind"))
    assert kinds == {"1": "opening", "2": "action_items", "2.1": "topic", "3": "any_other_business"}
    assert meeting.agenda.get(number="2.1").parent.number == "2"
    first, second = meeting.new_action_items.order_by("id")
    assert first.agenda_item.number == "2.1" and second.agenda_item is None
    assert second.due == datetime.date(2024, 4, 1)
    version = meeting.minutes.get()
    assert version.texts == {"1": "De voorzitter opent.", "2.1": "Notitie is klaar."}
    assert "verslag.docx" in version.reason
    with pytest.raises(ValidationError, match="al een vergadering"):
        services.record_meeting(SYSTEM, taskforce, proposal)
    assert taskforce.meetings.count() == 1 and taskforce.action_items.count() == 2


def test_an_owner_corrected_later_shows_on_the_draft_agenda(taskforce):
    item = services.add_action_item(SYSTEM, taskforce, text="Rapport delen", owner_name="Heerlen")
    draft = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 5, 10))
    services.update_action_item(SYSTEM, item, owner_name="Provincie Limburg ")
    assert "3.1 Rapport delen (Provincie Limburg)" in agenda_titles(draft)
    with pytest.raises(ValueError):
        services.update_action_item(SYSTEM, item, status="done")  # only by closing


def test_status_moves_by_hand_up_to_held_and_final_only_by_the_minutes(taskforce):
    meeting = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 5, 10))
    services.set_meeting_status(SYSTEM, meeting, Meeting.Status.PLANNED)
    with pytest.raises(ValidationError):
        services.set_meeting_status(SYSTEM, meeting, Meeting.Status.FINAL)
    services.save_minutes(SYSTEM, meeting, {"1": "Opening"})
    services.finalise_minutes(SYSTEM, meeting)
    with pytest.raises(ValidationError):
        services.set_meeting_status(SYSTEM, meeting, Meeting.Status.HELD)


def test_only_office_papers_are_shared(taskforce):
    meeting = services.plan_meeting(SYSTEM, taskforce, date=datetime.date(2023, 5, 10))
    page = SimpleUploadedFile("stuk.html", b"<script>", "text/html")
    with pytest.raises(ValidationError, match="toegestaan"):
        services.add_document(SYSTEM, meeting, page)
    paper = services.add_document(
        SYSTEM, meeting, SimpleUploadedFile("Notitie.DOCX", b"PK..", "application/x-whatever")
    )
    assert paper.title == "Notitie" and paper.content_type.endswith("document")
    assert (
        paper.file.name.startswith(f"meetings/{meeting.pk}/") and "Notitie" not in paper.file.name
    )
    services.remove_document(SYSTEM, paper)
    assert not meeting.documents.exists()
