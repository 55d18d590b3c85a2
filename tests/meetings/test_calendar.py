"""The iCalendar feed of a body: announced meetings on Amsterdam time, stable UIDs, and a
token that stops working the moment its user may no longer see the body."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.test import Client
from icalendar import Calendar

from waardig.core.access import SYSTEM
from waardig.meetings import calendar, services
from waardig.meetings.models import Body, BodyMember, Meeting

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def seat(users) -> BodyMember:
    body = services.save_body(
        SYSTEM, slug="taskforce", name="Taskforce Internationale Werknemers", kind="taskforce"
    )
    return services.save_member(SYSTEM, BodyMember(body=body), user=users["member"])


@pytest.fixture
def taskforce(seat) -> Body:
    body = seat.body
    planned = Meeting.objects.create(
        body=body,
        date=datetime.date(2023, 7, 12),  # summer time: 14:00 is 12:00 UTC
        start=datetime.time(14, 0),
        end=datetime.time(16, 0),
        place="Gouvernement Maastricht",
        status=Meeting.Status.PLANNED,
    )
    Meeting.objects.create(
        body=body,
        date=datetime.date(2023, 9, 13),
        online_link="https://vergaderen.example.nl/taskforce",
        status=Meeting.Status.FINAL,
    )
    Meeting.objects.create(body=body, date=datetime.date(2023, 10, 11))  # a draft
    body.planned = planned
    return body


def fetch(url: str) -> Calendar:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def feed_path(user, body) -> str:
    return f"/overleg/{body.slug}/agenda.ics?token={calendar.token_for(user, body)}"


def test_feed_lists_announced_meetings_on_amsterdam_time(taskforce, users):
    feed = fetch(feed_path(users["member"], taskforce))
    assert str(feed["X-WR-CALNAME"]) == "Taskforce Internationale Werknemers"
    assert [tz["TZID"] for tz in feed.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = feed.walk("VEVENT")
    assert len(events) == 2  # the draft is not announced yet

    timed, all_day = events
    start = timed.decoded("DTSTART")
    assert start == datetime.datetime(2023, 7, 12, 14, 0, tzinfo=AMSTERDAM)
    assert start.utcoffset() == datetime.timedelta(hours=2)
    assert timed["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert timed.decoded("DTEND") == datetime.datetime(2023, 7, 12, 16, 0, tzinfo=AMSTERDAM)
    assert str(timed["SUMMARY"]) == "Taskforce Internationale Werknemers"
    assert str(timed["LOCATION"]) == "Gouvernement Maastricht"
    page = f"http://testserver/overleg/taskforce/vergaderingen/{taskforce.planned.pk}/"
    assert str(timed["URL"]) == page
    assert page in str(timed["DESCRIPTION"])

    assert all_day.decoded("DTSTART") == datetime.date(2023, 9, 13)
    assert all_day.decoded("DTEND") == datetime.date(2023, 9, 14)
    assert str(all_day["URL"]) == "https://vergaderen.example.nl/taskforce"
    assert "LOCATION" not in all_day


def test_uids_are_stable_and_a_meeting_put_back_to_draft_leaves_the_feed(taskforce, users):
    path = feed_path(users["member"], taskforce)
    first = [str(e["UID"]) for e in fetch(path).walk("VEVENT")]
    assert first == [str(e["UID"]) for e in fetch(path).walk("VEVENT")]
    assert first[0] == f"meeting-{taskforce.planned.pk}@waardig.meetings"
    services.set_meeting_status(SYSTEM, taskforce.planned, Meeting.Status.DRAFT)
    assert [str(e["UID"]) for e in fetch(path).walk("VEVENT")] == first[1:]


def test_start_without_end_has_no_end(seat, users):
    Meeting.objects.create(
        body=seat.body,
        date=datetime.date(2024, 1, 10),
        start=datetime.time(9, 30),
        status=Meeting.Status.PLANNED,
    )
    (event,) = fetch(feed_path(users["member"], seat.body)).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.datetime(2024, 1, 10, 9, 30, tzinfo=AMSTERDAM)
    assert "DTEND" not in event


def test_feed_url_is_absolute_and_works(taskforce, users, settings):
    settings.WAARDIG_SITE_URL = "https://waardig.example.nl"
    url = calendar.feed_url(users["member"], taskforce)
    assert url.startswith("https://waardig.example.nl/overleg/taskforce/agenda.ics?token=")
    assert len(fetch(url.removeprefix("https://waardig.example.nl")).walk("VEVENT")) == 2


def test_bad_or_foreign_tokens_are_404(taskforce, users):
    client = Client()
    member = users["member"]
    steering = services.save_body(
        SYSTEM, slug="stuurgroep", name="Stuurgroep", kind="steering_group"
    )
    good = calendar.token_for(member, taskforce)
    other_salt = signing.dumps([member.pk, taskforce.pk])
    for url in (
        "/overleg/taskforce/agenda.ics",
        "/overleg/taskforce/agenda.ics?token=nonsense",
        f"/overleg/taskforce/agenda.ics?token={good[:-2]}xx",  # tampered
        f"/overleg/taskforce/agenda.ics?token={other_salt}",  # signed for something else
        f"/overleg/stuurgroep/agenda.ics?token={good}",  # the token names another body
        f"/overleg/stuurgroep/agenda.ics?token={calendar.token_for(member, steering)}",  # no seat
        f"/overleg/taskforce/agenda.ics?token={signing.dumps('x', salt=calendar.SALT)}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/overleg/taskforce/agenda.ics?token={good}").status_code == 200


def test_feed_stops_when_the_seat_ends_or_the_account_is_disabled(taskforce, seat, users):
    member = users["member"]
    path = feed_path(member, taskforce)
    assert Client().get(path).status_code == 200
    yesterday = datetime.date.today() - datetime.timedelta(days=2)
    services.save_member(SYSTEM, seat, start=datetime.date(2020, 1, 1), end=yesterday)
    assert Client().get(path).status_code == 404

    services.save_member(SYSTEM, seat, end=None)
    assert Client().get(path).status_code == 200
    member.is_active = False
    member.save()
    assert Client().get(path).status_code == 404


def test_province_roles_follow_every_body_without_a_seat(taskforce, users):
    assert Client().get(feed_path(users["analyst"], taskforce)).status_code == 200
    assert Client().get(feed_path(users["venlo_officer"], taskforce)).status_code == 404
