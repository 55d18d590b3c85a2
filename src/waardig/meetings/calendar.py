"""An iCalendar feed of a body's meetings, to subscribe to in Outlook or any calendar app.

Calendar apps cannot log in, so the link carries a signed token naming the user and the body.
The token never expires, but it is only a key to what the user may see *now*: each request
checks that the account is still active and (through core.access) still sees the body, so a
removed seat or a disabled account stops the feed.

Which meetings: planned, held and those with final minutes. Draft meetings are the
secretariat's work in progress (date not yet announced) and stay out; a meeting that is called
off is put back to draft (or removed), and calendar apps then drop it from the subscription.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from waardig.core.access import scope
from waardig.meetings.models import Body, Meeting

SALT = "waardig.meetings.calendar"
ZONE = ZoneInfo("Europe/Amsterdam")
UID_DOMAIN = "waardig.meetings"


def token_for(user: Any, body: Body) -> str:
    return signing.dumps([user.pk, body.pk], salt=SALT)


def feed_url(user: Any, body: Body) -> str:
    """The absolute address to paste into a calendar app; it works only while ``user`` may see
    ``body``, so pages should offer it only to those who do."""
    path = reverse("body-calendar", args=[body.slug])
    return f"{settings.WAARDIG_SITE_URL}{path}?token={token_for(user, body)}"


def _reader(token: str) -> tuple[Any, int]:
    """The active user and body id the token was made for; anything else is a 404."""
    try:
        user_id, body_id = signing.loads(token, salt=SALT)
        user = get_user_model().objects.get(pk=int(user_id), is_active=True)
        return user, int(body_id)
    except (signing.BadSignature, ValueError, TypeError, get_user_model().DoesNotExist):
        raise Http404 from None


@require_GET
def body_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    user, body_id = _reader(request.GET.get("token", ""))
    body = get_object_or_404(scope(user, Body.objects.all()), pk=body_id, slug=slug)
    meetings = scope(user, Meeting.objects.filter(body=body)).exclude(status=Meeting.Status.DRAFT)
    calendar = build_calendar(body, meetings.order_by("date", "start", "id"), request)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{body.slug}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def build_calendar(body: Body, meetings: Iterable[Meeting], request: HttpRequest) -> Calendar:
    """The feed; ``meetings`` in date order."""
    calendar = Calendar()
    calendar.add("prodid", "-//Waardig//Overleg//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", body.name)
    calendar.add("x-wr-timezone", str(ZONE))
    meetings = list(meetings)
    for meeting in meetings:
        calendar.add_component(_event(body, meeting, request))
    if meetings:  # the zone's rules for the years the meetings span, not a fixed range
        year = datetime.timedelta(days=366)
        calendar.add_missing_timezones(
            first_date=meetings[0].date - year, last_date=meetings[-1].date + year
        )
    return calendar


def _event(body: Body, meeting: Meeting, request: HttpRequest) -> Event:
    page = request.build_absolute_uri(reverse("meeting-detail", args=[body.slug, meeting.pk]))
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("summary", body.name)
    start, end = _span(meeting)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", meeting.online_link or page)
    lines = [_("Agenda en stukken: %(url)s") % {"url": page}]
    if meeting.online_link:
        lines.insert(0, _("Online deelnemen: %(url)s") % {"url": meeting.online_link})
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    return event


def _span(
    meeting: Meeting,
) -> tuple[datetime.date | datetime.datetime, datetime.date | datetime.datetime | None]:
    """Start and end on Amsterdam time; a meeting without a time is an all-day event, one
    without an end time has none (calendar apps then show its start only)."""
    if meeting.start is None:
        return meeting.date, meeting.date + datetime.timedelta(days=1)
    start = datetime.datetime.combine(meeting.date, meeting.start, tzinfo=ZONE)
    if meeting.end is None or meeting.end <= meeting.start:
        return start, None
    return start, datetime.datetime.combine(meeting.date, meeting.end, tzinfo=ZONE)
