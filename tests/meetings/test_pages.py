"""The meetings pages: what each role sees, and every change going through its page."""

import datetime

import pytest
from browser import assert_accessible, assert_no_console_errors, login
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from fixtures import PASSWORD
from playwright.sync_api import expect

from waardig.core.access import SYSTEM
from waardig.meetings import services
from waardig.meetings.models import (
    ActionItem,
    Attendance,
    Body,
    BodyMember,
    Document,
    Meeting,
    MinutesVersion,
    Outcome,
)
from waardig.organisations.models import Organisation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_MONTH = TODAY - datetime.timedelta(days=30)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.fixture
def taskforce(users) -> Body:
    body = services.save_body(
        SYSTEM, slug="taskforce", name="Taskforce Internationale Werknemers", kind="taskforce"
    )
    services.save_member(SYSTEM, BodyMember(body=body), user=users["member"], role="member")
    return body


@pytest.fixture
def steering_group(users) -> Body:
    return services.save_body(
        SYSTEM,
        slug="stuurgroep",
        name="Stuurgroep Internationale Werknemers",
        kind="steering_group",
    )


@pytest.fixture
def held(taskforce) -> Meeting:
    """Last month's meeting: held, with an action item agreed under one of its items."""
    meeting = services.plan_meeting(SYSTEM, taskforce, date=LAST_MONTH, topics=["Huisvesting"])
    services.set_meeting_status(SYSTEM, meeting, Meeting.Status.HELD)
    topic = meeting.agenda.get(title="Huisvesting")
    services.add_action_item(
        SYSTEM,
        taskforce,
        text="Namen van bedrijven aanleveren",
        owner_name="LLTB, LWV",
        due=LAST_MONTH + datetime.timedelta(days=14),
        meeting=meeting,
        agenda_item=topic,
    )
    services.add_outcome(SYSTEM, topic, kind="decision", text="De taskforce stemt in.")
    return meeting


def upload(name: str, content: bytes = b"%PDF-1.4 test") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_every_page_renders_for_the_coordinator(coordinator, taskforce, held):
    item = held.new_action_items.get()
    topic = item.agenda_item
    outcome = topic.outcomes.get()
    seat = taskforce.members.get()
    document = services.add_document(SYSTEM, held, upload("notitie.pdf"), agenda_item=topic)
    services.save_minutes(SYSTEM, held, {topic.number: "Besproken: de huisvesting."})
    base = f"/overleg/taskforce/vergaderingen/{held.pk}"
    pages = {
        "/overleg/": "Taskforce Internationale Werknemers",
        "/overleg/nieuw/": "Nieuw overleg",
        "/overleg/actiepunten/": "Namen van bedrijven aanleveren",
        f"/overleg/actiepunten/{item.pk}/": "LLTB, LWV",
        f"/overleg/actiepunten/{item.pk}/wijzigen/": "Actiepunt wijzigen",
        f"/overleg/actiepunten/{item.pk}/afsluiten/": "Afsluiten als",
        "/overleg/taskforce/": "Eerdere vergaderingen",
        "/overleg/taskforce/wijzigen/": "Overleg wijzigen",
        "/overleg/taskforce/leden/nieuw/": "Zetel toevoegen",
        f"/overleg/taskforce/leden/{seat.pk}/": "Zetel wijzigen",
        f"/overleg/taskforce/leden/{seat.pk}/verwijderen/": "Ja, verwijderen",
        "/overleg/taskforce/vergaderingen/nieuw/": "Onderwerpen",
        f"{base}/": "Besproken: de huisvesting.",
        f"{base}/wijzigen/": "Vergadering wijzigen",
        f"{base}/aanwezigheid/": "Afwezig met kennisgeving",
        f"{base}/agenda/nieuw/": "Onder agendapunt",
        f"{base}/agenda/{topic.pk}/uitkomst/": "Uitkomst bij",
        f"{base}/agenda/{topic.pk}/actiepunt/": "Actiepunt bij",
        f"{base}/uitkomsten/{outcome.pk}/verwijderen/": "De taskforce stemt in.",
        f"{base}/verslag/": "Besproken: de huisvesting.",
        f"{base}/verslag/vaststellen/": "Ja, vaststellen",
        f"{base}/stukken/nieuw/": "Bestand",
        f"/overleg/stukken/{document.pk}/verwijderen/": "notitie.pdf",
    }
    for url, text in pages.items():
        assert text in page_of(coordinator, url), url
    meeting_page = page_of(coordinator, f"{base}/")
    assert f"/rapporten/agenda.docx?meeting={held.pk}" in meeting_page
    assert f"/rapporten/minutes.pdf?meeting={held.pk}" in meeting_page
    assert "De taskforce stemt in." in meeting_page and "notitie" in meeting_page
    assert 'href="/overleg/"' in page_of(coordinator, "/")  # in the main navigation


def test_a_member_sees_the_taskforce_but_not_the_steering_group(
    users, taskforce, steering_group, held
):
    secret = services.plan_meeting(SYSTEM, steering_group, date=TODAY)
    paper = services.add_document(SYSTEM, secret, upload("begroting.pdf"))
    shared = services.add_document(SYSTEM, held, upload("verslag.pdf"))
    member = client_of(users["member"])

    overview = page_of(member, "/overleg/")
    assert "Taskforce Internationale Werknemers" in overview
    assert "Stuurgroep" not in overview and "Nieuw overleg" not in overview
    meeting_page = page_of(member, f"/overleg/taskforce/vergaderingen/{held.pk}/")
    assert f'href="/overleg/stukken/{shared.pk}/"' in meeting_page  # the shared paper
    assert f'href="/overleg/stukken/{paper.pk}/"' not in meeting_page
    assert "verslag" in meeting_page and "Verslag schrijven" not in meeting_page
    assert member.get(f"/overleg/stukken/{shared.pk}/").status_code == 200

    page_of(member, "/overleg/stuurgroep/", 404)
    page_of(member, f"/overleg/stuurgroep/vergaderingen/{secret.pk}/", 404)
    page_of(member, f"/overleg/stukken/{paper.pk}/", 404)
    assert "Stuurgroep" not in page_of(member, "/overleg/actiepunten/")
    page_of(member, f"/overleg/taskforce/vergaderingen/{held.pk}/wijzigen/", 403)


def test_an_organisation_seat_lets_its_people_in(make_user, users, taskforce, steering_group):
    lltb = Organisation.objects.create(name="LLTB", kind="employer")
    services.save_member(SYSTEM, BodyMember(body=steering_group), organisation=lltb)
    colleague = make_user("collega", "member")
    colleague.organisation = lltb
    colleague.save()
    page = page_of(client_of(colleague), "/overleg/")
    assert "Stuurgroep" in page and "Taskforce" not in page
    page_of(client_of(colleague), "/overleg/taskforce/", 404)


def test_planning_a_meeting_through_the_page_puts_open_items_on_the_agenda(
    coordinator, taskforce, held
):
    closed = services.add_action_item(SYSTEM, taskforce, text="Afgerond punt")
    services.close_action_item(SYSTEM, closed)
    response = coordinator.post(
        "/overleg/taskforce/vergaderingen/nieuw/",
        {
            "date": (TODAY + datetime.timedelta(days=14)).isoformat(),
            "start": "14:00",
            "end": "15:30",
            "place": "Gouvernement, Maastricht",
            "online_link": "https://vergader.example/taskforce",
            "topics": "Kennisambassadeur\n\nWoonbehoefte",
        },
    )
    meeting = taskforce.meetings.order_by("-date").first()
    assert response.status_code == 302
    assert response["Location"] == f"/overleg/taskforce/vergaderingen/{meeting.pk}/"
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.online_link == "https://vergader.example/taskforce"
    page = page_of(coordinator, response["Location"])
    assert "Nalopen actiepunten" in page
    assert "Namen van bedrijven aanleveren (LLTB, LWV)" in page
    assert "Afgerond punt" not in page
    numbers = {a.title: a.number for a in meeting.agenda.all()}
    assert numbers["Namen van bedrijven aanleveren (LLTB, LWV)"] == "3.1"
    assert numbers["Kennisambassadeur"] == "5" and numbers["Woonbehoefte"] == "6"
    assert numbers["Rondvraag"] == "7"


def test_an_end_before_the_start_is_refused(coordinator, taskforce):
    response = coordinator.post(
        "/overleg/taskforce/vergaderingen/nieuw/",
        {"date": TODAY.isoformat(), "start": "15:00", "end": "14:00"},
    )
    assert "Het einde ligt voor of op het begin." in response.content.decode()
    assert not taskforce.meetings.exists()


def test_closing_an_action_item_via_the_page_removes_it_from_a_draft_agenda(
    coordinator, taskforce, held
):
    item = held.new_action_items.get()
    draft = services.plan_meeting(SYSTEM, taskforce, date=TODAY)
    assert draft.agenda.filter(action_item=item).exists()
    response = coordinator.post(
        f"/overleg/actiepunten/{item.pk}/afsluiten/",
        {"status": "done", "text": "Namen zijn binnen.", "meeting": draft.pk},
    )
    assert response["Location"] == f"/overleg/actiepunten/{item.pk}/"
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    assert not draft.agenda.filter(action_item=item).exists()
    assert held.agenda.filter(title="Huisvesting").exists()
    assert "Namen van bedrijven aanleveren" not in page_of(
        coordinator, f"/overleg/taskforce/vergaderingen/{draft.pk}/"
    )
    detail = page_of(coordinator, response["Location"])
    assert "Namen zijn binnen." in detail and "Afgerond" in detail
    assert f"/overleg/actiepunten/{item.pk}/afsluiten/" not in detail

    again = coordinator.post(f"/overleg/actiepunten/{item.pk}/afsluiten/", {"status": "done"})
    assert "Dit actiepunt is al gesloten." in again.content.decode()
    assert item.notes.count() == 1


def test_follow_up_notes_are_added_and_an_empty_one_is_refused(coordinator, held):
    item = held.new_action_items.get()
    url = f"/overleg/actiepunten/{item.pk}/notitie/"
    response = coordinator.post(url, {"text": "   "})
    assert response.status_code == 200
    assert "Schrijf een notitie." in response.content.decode()
    assert not item.notes.exists()
    response = coordinator.post(url, {"text": "LWV heeft drie namen gestuurd."})
    assert response["Location"] == f"/overleg/actiepunten/{item.pk}/"
    assert item.notes.get().text == "LWV heeft drie namen gestuurd."
    assert coordinator.get(url).status_code == 405


def test_minutes_edit_after_finalising_needs_a_reason(coordinator, held):
    url = f"/overleg/taskforce/vergaderingen/{held.pk}/verslag/"
    form = page_of(coordinator, url)
    assert "Alleen nodig als het verslag al is vastgesteld." in form
    opening = held.agenda.get(number="1")
    fields = {f"text_{i}": "" for i in range(held.agenda.count())}
    order = list(held.agenda.order_by("order", "id"))
    field = f"text_{order.index(opening)}"
    coordinator.post(url, fields | {field: "De voorzitter opent."})
    assert held.minutes.get().texts == {"1": "De voorzitter opent."}
    coordinator.post(url, fields | {field: "De voorzitter opent."})
    assert held.minutes.count() == 1  # nothing changed, no new version

    response = coordinator.post(f"/overleg/taskforce/vergaderingen/{held.pk}/verslag/vaststellen/")
    assert response.status_code == 302
    assert Meeting.objects.get(pk=held.pk).status == Meeting.Status.FINAL
    assert "Verplicht: het verslag is vastgesteld." in page_of(coordinator, url)

    response = coordinator.post(url, fields | {field: "De voorzitter opent om 14:05."})
    assert response.status_code == 200
    assert (
        "Het verslag is vastgesteld: geef de reden van de wijziging." in response.content.decode()
    )
    assert held.minutes.count() == 2
    coordinator.post(url, fields | {field: "De voorzitter opent om 14:05.", "reason": "Tijd"})
    latest = held.minutes.order_by("-number").first()
    assert (latest.number, latest.reason, latest.final) == (3, "Tijd", False)
    assert "Tijd" in page_of(coordinator, url)  # in the version history


def test_finalising_without_minutes_shows_why(coordinator, held):
    response = coordinator.post(f"/overleg/taskforce/vergaderingen/{held.pk}/verslag/vaststellen/")
    assert response.status_code == 200
    assert "Er is nog geen verslag om vast te stellen." in response.content.decode()
    assert not MinutesVersion.objects.exists()


def test_overdue_items_are_filtered_and_marked(coordinator, taskforce, steering_group, held):
    services.add_action_item(SYSTEM, taskforce, text="Later klaar", due=TODAY)
    services.add_action_item(SYSTEM, steering_group, text="Brief aan de minister", owner_name="")
    old = services.add_action_item(SYSTEM, taskforce, text="Oud en klaar", due=LAST_MONTH)
    services.close_action_item(SYSTEM, old)

    page = page_of(coordinator, "/overleg/actiepunten/")
    assert "3 actiepunten gevonden, waarvan 1 te laat." in page
    assert "Oud en klaar" not in page  # open ones by default
    assert page.count("waardig-row--overdue") == 1
    row = page.split("waardig-row--overdue")[1].split("</tr>")[0]
    assert "Namen van bedrijven aanleveren" in row and "te laat" in row

    only_late = page_of(coordinator, "/overleg/actiepunten/?overdue=on")
    assert "1 actiepunt gevonden" in only_late and "Later klaar" not in only_late
    by_owner = page_of(coordinator, "/overleg/actiepunten/?owner=lwv&status=open")
    assert "Namen van bedrijven aanleveren" in by_owner and "Brief aan" not in by_owner
    by_body = page_of(coordinator, "/overleg/actiepunten/?body=stuurgroep")
    assert "Brief aan de minister" in by_body and "Later klaar" not in by_body
    assert "body=stuurgroep&amp;status=open" in by_body  # the download takes the filters
    everything = page_of(coordinator, "/overleg/actiepunten/?status=all")
    assert "Oud en klaar" in everything and "waarvan 1 te laat" in everything
    empty = page_of(coordinator, "/overleg/actiepunten/?owner=niemand")
    assert "Geen actiepunten gevonden met deze filters." in empty


def test_the_organisation_filter_uses_the_owner_organisation(coordinator, taskforce):
    lwv = Organisation.objects.create(name="LWV", kind="employer")
    item = services.add_action_item(SYSTEM, taskforce, text="Werkgevers peilen")
    services.update_action_item(SYSTEM, item, owner_organisation=lwv)
    services.add_action_item(SYSTEM, taskforce, text="Iets anders")
    page = page_of(coordinator, f"/overleg/actiepunten/?organisation={lwv.pk}")
    assert "Werkgevers peilen" in page and "Iets anders" not in page


def test_a_member_downloads_a_paper_a_stranger_gets_404(coordinator, users, taskforce, held):
    url = f"/overleg/taskforce/vergaderingen/{held.pk}/stukken/nieuw/"
    topic = held.agenda.get(title="Huisvesting")
    response = coordinator.post(
        url,
        {"file": upload("Notitie huisvesting.pdf", b"%PDF-1.4 inhoud"), "agenda_item": topic.pk},
    )
    document = Document.objects.get()
    assert response["Location"] == f"/overleg/taskforce/vergaderingen/{held.pk}/"
    assert (document.title, document.agenda_item) == ("Notitie huisvesting", topic)

    download = client_of(users["member"]).get(f"/overleg/stukken/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 inhoud"
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Notitie huisvesting.pdf" in download["Content-Disposition"]
    for stranger in ("venlo_officer", "analyst"):
        assert client_of(users[stranger]).get(f"/overleg/stukken/{document.pk}/").status_code == 404

    confirm = page_of(coordinator, f"/overleg/stukken/{document.pk}/verwijderen/")
    assert "Notitie huisvesting.pdf" in confirm
    coordinator.post(f"/overleg/stukken/{document.pk}/verwijderen/")
    assert not Document.objects.exists()


def test_a_refused_file_type_shows_an_error(coordinator, held):
    url = f"/overleg/taskforce/vergaderingen/{held.pk}/stukken/nieuw/"
    response = coordinator.post(url, {"file": upload("script.html", b"<script></script>")})
    assert response.status_code == 200
    assert "Dit soort bestand kan niet worden gedeeld" in response.content.decode()
    assert not Document.objects.exists()


def test_bodies_and_seats_through_the_pages(coordinator, users):
    response = coordinator.post(
        "/overleg/nieuw/", {"name": "Werkgroep Wonen", "slug": "wonen", "kind": "working_group"}
    )
    assert response["Location"] == "/overleg/wonen/"
    refused = coordinator.post(
        "/overleg/nieuw/", {"name": "Actiepunten", "slug": "actiepunten", "kind": "taskforce"}
    )
    assert "Deze korte naam is gereserveerd" in refused.content.decode()
    coordinator.post(
        "/overleg/wonen/wijzigen/",
        {"name": "Werkgroep Wonen", "slug": "wonen", "kind": "working_group"}
        | {"description": "Huisvesting van internationale werknemers."},
    )
    assert Body.objects.get(slug="wonen").description.startswith("Huisvesting")

    empty = coordinator.post("/overleg/wonen/leden/nieuw/", {"role": "member"})
    assert "Geef een organisatie, een persoon of een account." in empty.content.decode()
    coordinator.post(
        "/overleg/wonen/leden/nieuw/",
        {"user": users["member"].pk, "role": "chair", "start": "2025-01-01"},
    )
    seat = BodyMember.objects.get(body__slug="wonen")
    assert seat.role == "chair" and str(seat.start) == "2025-01-01"
    assert "Voorzitter" in page_of(coordinator, "/overleg/wonen/")
    backwards = coordinator.post(
        f"/overleg/wonen/leden/{seat.pk}/",
        {"user": users["member"].pk, "role": "chair", "start": "2025-01-01", "end": "2024-01-01"},
    )
    assert "Het einde ligt voor het begin." in backwards.content.decode()
    coordinator.post(f"/overleg/wonen/leden/{seat.pk}/verwijderen/")
    assert not BodyMember.objects.filter(body__slug="wonen").exists()


def test_the_meeting_is_kept_through_its_pages(coordinator, taskforce, held):
    base = f"/overleg/taskforce/vergaderingen/{held.pk}"
    coordinator.post(
        f"{base}/wijzigen/",
        {"date": LAST_MONTH.isoformat(), "place": "Venlo", "status": "planned"},
    )
    held.refresh_from_db()
    assert (held.place, held.status) == ("Venlo", Meeting.Status.PLANNED)

    coordinator.post(
        f"{base}/aanwezigheid/",
        {"present": "LLTB\nProvincie Limburg\n", "excused": "LWV", "absent": ""},
    )
    assert sorted(held.attendance.values_list("name", "presence")) == [
        ("LLTB", Attendance.Presence.PRESENT),
        ("LWV", Attendance.Presence.EXCUSED),
        ("Provincie Limburg", Attendance.Presence.PRESENT),
    ]

    regions = held.agenda.get(title="Terugkoppeling uit de regio's")
    coordinator.post(f"{base}/agenda/nieuw/", {"title": "Noord-Limburg", "parent": regions.pk})
    north = held.agenda.get(title="Noord-Limburg")
    assert north.parent == regions and north.number == f"{regions.number}.1"

    coordinator.post(f"{base}/agenda/{north.pk}/uitkomst/", {"kind": "information", "text": "Info"})
    outcome = Outcome.objects.get(text="Info")
    coordinator.post(
        f"{base}/agenda/{north.pk}/actiepunt/",
        {"text": "Regio Noord stuurt cijfers", "owner_name": "Venlo", "due": TODAY.isoformat()},
    )
    new = ActionItem.objects.get(text="Regio Noord stuurt cijfers")
    assert (new.meeting, new.agenda_item, new.owner_name) == (held, north, "Venlo")
    page = page_of(coordinator, f"{base}/")
    assert "Noord-Limburg" in page and "Regio Noord stuurt cijfers" in page and "LLTB" in page

    coordinator.post(f"{base}/uitkomsten/{outcome.pk}/verwijderen/")
    assert not Outcome.objects.filter(pk=outcome.pk).exists()

    coordinator.post(
        f"/overleg/actiepunten/{new.pk}/wijzigen/",
        {"text": "Regio Noord stuurt de cijfers", "owner_name": "Gemeente Venlo"},
    )
    new.refresh_from_db()
    assert (new.text, new.owner_name, new.due) == (
        "Regio Noord stuurt de cijfers",
        "Gemeente Venlo",
        None,
    )


def test_a_final_meeting_cannot_be_set_back_by_its_form(coordinator, held):
    services.save_minutes(SYSTEM, held, {"1": "Opening."})
    services.finalise_minutes(SYSTEM, held)
    base = f"/overleg/taskforce/vergaderingen/{held.pk}"
    form = page_of(coordinator, f"{base}/wijzigen/")
    assert 'name="status"' not in form
    coordinator.post(f"{base}/wijzigen/", {"date": LAST_MONTH.isoformat(), "status": "draft"})
    assert Meeting.objects.get(pk=held.pk).status == Meeting.Status.FINAL
    assert "Verwijderen" not in page_of(coordinator, f"{base}/").split('id="agenda"')[1]


def test_empty_states(users):
    analyst = client_of(users["analyst"])
    assert "Er is nog geen overleg." not in page_of(analyst, "/overleg/")
    assert "Er is geen overleg dat u kunt inzien." in page_of(analyst, "/overleg/")
    assert "Er zijn geen open actiepunten." in page_of(analyst, "/overleg/actiepunten/")
    assert "Er is nog geen overleg." in page_of(client_of(users["province_admin"]), "/overleg/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_secretary_plans_a_meeting_and_closes_an_item_in_the_browser(
    page, live_server, taskforce, held
):
    login(page, live_server.url, "coordinator", PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleg").click()
    assert_accessible(page)
    page.get_by_role("link", name="Taskforce Internationale Werknemers").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe vergadering").click()
    page.get_by_label("Datum").fill((TODAY + datetime.timedelta(days=7)).isoformat())
    page.get_by_label("Onderwerpen").fill("Kennisambassadeur")
    page.get_by_role("button", name="Opslaan").click()
    agenda = page.locator(".waardig-agenda").first
    expect(agenda).to_contain_text("3.1 Namen van bedrijven aanleveren (LLTB, LWV)")
    expect(agenda).to_contain_text("te laat")
    assert_accessible(page)

    agenda.get_by_role("link", name="Actiepunt", exact=True).click()
    expect(page.locator("h1")).to_have_text("Actiepunt")
    assert_accessible(page)
    page.get_by_role("link", name="Afsluiten").click()
    page.get_by_label("Afsluiten als").select_option("done")
    page.get_by_label("Toelichting").fill("De namen zijn binnen.")
    assert_accessible(page)
    page.get_by_role("button", name="Afsluiten").click()
    expect(page.get_by_text("Het actiepunt is afgesloten")).to_be_visible()
    expect(page.locator(".waardig-timeline")).to_contain_text("De namen zijn binnen.")

    page.get_by_role("link", name="Actiepunten").first.click()
    expect(page.get_by_text("Er zijn geen open actiepunten.")).to_be_visible()
    assert_accessible(page)
    draft = taskforce.meetings.get(status=Meeting.Status.DRAFT)
    page.goto(f"{live_server.url}/overleg/taskforce/vergaderingen/{draft.pk}/")
    expect(page.locator(".waardig-agenda").first).not_to_contain_text("Namen van bedrijven")
    assert_no_console_errors(page)
