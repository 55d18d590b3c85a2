"""Pages of the meetings app: bodies and their meetings with the agenda, and the papers.

Everything is looked up through core.access: what a user may not see answers 404. The pages
that change something are in ``editing`` and ``records``; action items in ``action_items``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from waardig.core.access import CHANGE, current_seat, may, scope
from waardig.core.views import ScopedView
from waardig.meetings import calendar
from waardig.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    Document,
    Meeting,
    minutes_state,
)


def crumbs(*rest: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Overleg"), reverse("body-list")), *rest]


def body_crumb(body: Body) -> tuple[str, str]:
    return body.name, reverse("body-detail", args=[body.slug])


def meeting_label(meeting: Meeting) -> str:
    return _("Vergadering van %(date)s") % {"date": date_format(meeting.date, "j F Y")}


def meeting_crumb(meeting: Meeting) -> tuple[str, str]:
    url = reverse("meeting-detail", args=[meeting.body.slug, meeting.pk])
    return meeting_label(meeting), url


def item_crumb(item: ActionItem) -> tuple[str, str]:
    return Truncator(item.text).chars(60), reverse("action-item-detail", args=[item.pk])


class BodyMixin(ScopedView):
    """Pages below /overleg/<slug>/: the body and its meeting, within the user's scope."""

    def body(self) -> Body:
        if not hasattr(self, "_body"):
            self._body = get_object_or_404(
                self.scoped(Body.objects.all()), slug=self.kwargs["slug"]
            )
        return self._body

    def meeting(self) -> Meeting:
        if not hasattr(self, "_meeting"):
            meetings = self.scoped(self.body().meetings.select_related("body"))
            self._meeting = get_object_or_404(meetings, pk=self.kwargs["pk"])
        return self._meeting

    def page(self, template: str, trail: list, **context: Any) -> HttpResponse:
        return render(self.request, template, {"breadcrumbs": crumbs(*trail), **context})


class BodyList(BodyMixin):
    model = Body

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        open_items = Q(action_items__status=ActionItem.Status.OPEN)
        coming = Meeting.objects.filter(body=OuterRef("pk"), date__gte=today).order_by("date", "id")
        bodies = Body.objects.filter(pk__in=self.scoped().values("pk")).annotate(
            seats=Count("members", filter=current_seat("members", today), distinct=True),
            open_items=Count("action_items", filter=open_items, distinct=True),
            overdue_items=Count(
                "action_items", filter=open_items & Q(action_items__due__lt=today), distinct=True
            ),
            next_meeting_id=Subquery(coming.values("pk")[:1]),
            next_meeting_date=Subquery(coming.values("date")[:1]),
        )
        return self.page(
            "meetings/body_list.html",
            [(_("Overleg"), "")],
            bodies=bodies.order_by("name"),
            may_add=self.may_change(),
        )


class BodyDetail(BodyMixin):
    model = Body

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        body = self.body()
        today = timezone.localdate()
        seats = body.members.select_related("organisation", "person", "user")
        meetings = body.meetings.all()
        open_items = body.action_items.filter(status=ActionItem.Status.OPEN)
        return self.page(
            "meetings/body_detail.html",
            [(body.name, "")],
            body=body,
            seats=seats.filter(current_seat("", today)),
            former_seats=seats.exclude(current_seat("", today)),
            upcoming=meetings.filter(date__gte=today).order_by("date", "id"),
            past=meetings.filter(date__lt=today).order_by("-date", "-id"),
            open_count=open_items.count(),
            overdue_count=open_items.filter(due__lt=today).count(),
            may_change=may(request.user, CHANGE, Body),
            calendar_url=calendar.feed_url(request.user, body),
        )


@dataclass
class AgendaEntry:
    """One agenda item with what belongs to it, and its sub-items."""

    item: AgendaItem
    text: str
    documents: list[Document]
    children: list[AgendaEntry] = field(default_factory=list)


def agenda_tree(
    meeting: Meeting, texts: dict[str, str], documents: list[Document]
) -> list[AgendaEntry]:
    items = meeting.agenda.select_related("action_item").prefetch_related(
        "outcomes", "new_action_items"
    )
    papers: dict[int | None, list[Document]] = {}
    for document in documents:
        papers.setdefault(document.agenda_item_id, []).append(document)
    entries = {
        item.pk: AgendaEntry(item, texts.get(item.number, ""), papers.get(item.pk, []))
        for item in items.order_by("order", "id")
    }
    roots = []
    for entry in entries.values():
        parent = entries.get(entry.item.parent_id)
        (parent.children if parent else roots).append(entry)
    return roots


class MeetingDetail(BodyMixin):
    model = Meeting

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        meeting = self.meeting()
        versions = list(meeting.minutes.order_by("-number"))
        latest = versions[0] if versions else None
        documents = list(scope(request.user, meeting.documents.select_related("agenda_item")))
        attendance: dict[str, list[Attendance]] = {p.value: [] for p in Attendance.Presence}
        for row in meeting.attendance.all():
            attendance[row.presence].append(row)
        is_final = meeting.status == Meeting.Status.FINAL
        # what services.py refuses is not offered: final minutes lock the meeting's record,
        # and once minutes exist a new topic would shift their numbering
        may_add = may(request.user, CHANGE, Meeting) and not is_final
        return self.page(
            "meetings/meeting_detail.html",
            [body_crumb(meeting.body), (meeting_label(meeting), "")],
            body=meeting.body,
            meeting=meeting,
            title=meeting_label(meeting),
            agenda=agenda_tree(meeting, latest.texts if latest else {}, documents),
            loose_documents=[d for d in documents if d.agenda_item_id is None],
            attendance=[(p.label, attendance[p.value]) for p in Attendance.Presence],
            has_attendance=any(attendance.values()),
            latest=latest,
            minutes_state=minutes_state(latest),
            is_final=is_final,
            may_change=may(request.user, CHANGE, Meeting),
            may_add=may_add,
            may_add_topic=may_add and latest is None,
            may_share=may(request.user, CHANGE, Document),
            today=timezone.localdate(),
        )


class DocumentDownload(ScopedView):
    """A paper as an attachment under its original name, for the body's members only."""

    model = Document

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = get_object_or_404(self.scoped(), pk=pk)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.filename,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
