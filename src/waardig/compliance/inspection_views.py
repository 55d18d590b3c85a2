"""The inspection pages: the planning by risk, a location's inspections, recording an
inspection with its findings per norm, enforcement steps, and the calendar of planned
inspections and deadlines (also as an iCalendar file).

Inspections and enforcement are the municipality's own work (models.INSPECTION_DATA): only its
officers and inspectors see them; the province's roles get 403, a location of another
municipality is not found (404). Reads are scoped by core.access, writes go through
compliance.services.
"""

from __future__ import annotations

import calendar as months
import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from waardig.compliance import norms, risk, services
from waardig.compliance.inspection_forms import (
    EnforcementForm,
    InspectionForm,
    PlanningFilterForm,
    initial_from,
    norm_rows,
)
from waardig.compliance.models import EnforcementStep, Finding, Inspection
from waardig.compliance.sections import crumbs
from waardig.core.access import CHANGE, VIEW, allows, scope
from waardig.core.editing import FormPage
from waardig.core.exports import TABLE_FORMATS
from waardig.core.views import ScopedView
from waardig.housing.models import Certification, Location, LocationStatus

UID_DOMAIN = "waardig.compliance"
ROWS_PER_PAGE = 100


def planning_crumbs(*trail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return crumbs((_("Inspectieplanning"), reverse("compliance-planning")), *trail)


def location_crumb(location: Location) -> tuple[str, str]:
    return location.name, reverse("compliance-location-inspections", args=[location.pk])


def _location(request: HttpRequest, pk: int, action: str = VIEW) -> Location:
    """A location whose inspections the user may see (or record); any other is not found."""
    found = risk.planned_locations(request.user, action).select_related("municipality")
    return get_object_or_404(found, pk=pk)


class PlanningList(ScopedView):
    """Every location in use, riskiest first, with the parts of its score."""

    model = Inspection

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PlanningFilterForm(request.GET or None, actor=request.user)
        code = form.chosen()
        rows = risk.planning(request.user, municipality=code)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        query = QueryDict(mutable=True)
        if code:
            query["municipality"] = code
        return self.page(
            "compliance/planning.html",
            crumbs((_("Inspectieplanning"), "")),
            filter_form=form,
            filtered=bool(code),
            count=len(rows),
            rows=page,
            first_rank=page.start_index(),
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query=query.urlencode(),
            formats=list(TABLE_FORMATS),
            weights=dict(risk.WEIGHTS),
            may_record=self.may_change(),
        )


class LocationInspections(ScopedView):
    """One location's inspections and enforcement steps, with its current risk."""

    model = Inspection

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = _location(request, pk)
        user, today = request.user, timezone.localdate()
        inspections = scope(user, location.inspections.all()).prefetch_related("organisations")
        steps = scope(user, location.enforcement_steps.select_related("inspection"))
        planned = risk.planning(user, today, location_ids=[location.pk])
        return self.page(
            "compliance/inspection_list.html",
            planning_crumbs((location.name, "")),
            location=location,
            row=planned[0] if planned else None,
            inspections=inspections.order_by("-on", "-id"),
            steps=[(s, _late(s, today)) for s in steps.order_by("completed_on", "deadline", "id")],
            may_record=allows(user, CHANGE, Inspection(location=location)),
        )


def _late(step: EnforcementStep, today: datetime.date) -> bool:
    return step.completed_on is None and step.deadline is not None and step.deadline < today


class InspectionCreate(FormPage):
    """An inspection of one location: who took part, the outcome, and per norm that applies
    to the location on the day whether it was met; the findings become its latest check."""

    model = Inspection
    form_class = InspectionForm
    saved_message = gettext_lazy(
        "De inspectie is vastgelegd. Haar bevindingen zijn nu de laatste toets van de locatie."
    )

    def location(self) -> Location:
        if not hasattr(self, "_location"):
            self._location = _location(self.request, self.kwargs["pk"], CHANGE)
        return self._location

    def day(self) -> datetime.date:
        """The day whose norms the form shows: the inspection's date as typed (when it is a
        date, not in the future), else the day shown before, else today."""
        today = timezone.localdate()
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        for name in ("on", "shown_on") if self.request.method == "POST" else ("datum",):
            day = _date(source.get(name))
            if day is not None and day <= today:
                return day
        return today

    def rows(self) -> list:
        if not hasattr(self, "_rows"):
            self._rows = norm_rows(self.location(), self.day())
        return self._rows

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"rows": self.rows()}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"on": self.day(), "shown_on": self.day()}

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        shown, day = _date(request.POST.get("shown_on")), self.day()
        other_norms = shown is not None and self._norm_ids(shown) != self._norm_ids(day)
        if other_norms:
            initial = {**initial_from(request.POST, self.rows()), **self.initial(None)}
            form = InspectionForm(initial=initial, rows=self.rows())
            notice = _(
                "Op %(day)s gelden andere normen dan op %(shown)s. Hieronder staan de normen "
                "van %(day)s: vul ze aan en sla dan op."
            ) % {"day": f"{day:%d-%m-%Y}", "shown": f"{shown:%d-%m-%Y}"}
            return self.show(form, None, notice)
        return super().post(request, **kwargs)

    def _norm_ids(self, day: datetime.date) -> set[int]:
        location = self.location()
        certification = location.certification or Certification.NONE
        found = norms.applicable(day, [location.housing_form], [certification])
        return {n.norm_id for n in found}

    def save(self, form: InspectionForm, obj: Any) -> Inspection:
        return services.record_inspection(
            self.request.user, self.location(), **form.service_values()
        )

    def done(self, saved: Inspection) -> HttpResponse:
        return redirect("compliance-inspection-detail", saved.pk)

    def show(self, form: InspectionForm, obj: Any, notice: str = "") -> HttpResponse:
        location = self.location()
        return self.page(
            "compliance/inspection_form.html",
            planning_crumbs(location_crumb(location), (_("Inspectie vastleggen"), "")),
            form=form,
            location=location,
            notice=notice,
            day=self.day(),
            back=reverse("compliance-location-inspections", args=[location.pk]),
        )


def _date(value: Any) -> datetime.date | None:
    try:
        return parse_date(str(value or ""))
    except ValueError:
        return None


class InspectionDetail(ScopedView):
    model = Inspection

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user, today = request.user, timezone.localdate()
        inspection = get_object_or_404(
            self.scoped(Inspection.objects.select_related("location__municipality")), pk=pk
        )
        location = inspection.location
        findings = Finding.objects.filter(check_run__inspection=inspection).select_related("norm")
        steps = scope(user, inspection.enforcement_steps.all()).order_by("decided_on", "id")
        return self.page(
            "compliance/inspection_detail.html",
            planning_crumbs(location_crumb(location), (f"{inspection.on:%d-%m-%Y}", "")),
            inspection=inspection,
            location=location,
            organisations=inspection.organisations.order_by("name"),
            findings=findings.order_by("kind", "norm_set_name", "id"),
            steps=[(s, _late(s, today)) for s in steps],
            may_change=allows(user, CHANGE, inspection),
        )


class EnforcementList(ScopedView):
    """Open enforcement steps, earliest deadline first; those past their deadline stand out."""

    model = EnforcementStep

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        steps = self.scoped(
            EnforcementStep.objects.filter(completed_on__isnull=True).select_related(
                "location__municipality", "inspection"
            )
        )
        ordered = sorted(steps, key=lambda s: (s.deadline is None, s.deadline, s.decided_on, s.pk))
        rows = [(s, _late(s, today)) for s in ordered]
        return self.page(
            "compliance/enforcement_list.html",
            planning_crumbs((_("Handhaving"), "")),
            rows=rows,
            late=sum(1 for _s, late in rows if late),
        )


class EnforcementEdit(FormPage):
    """A new enforcement step at a location (optionally after one of its inspections:
    ``?inspectie=<id>``), or a change to one, such as its completion."""

    model = EnforcementStep
    form_class = EnforcementForm
    saved_message = gettext_lazy("De handhavingsstap is opgeslagen.")

    def get_object(self) -> EnforcementStep | None:
        if "step" not in self.kwargs:
            return None
        if not hasattr(self, "_step"):
            steps = self.scoped(EnforcementStep.objects.select_related("location__municipality"))
            self._step = get_object_or_404(steps, pk=self.kwargs["step"])
        return self._step

    def location(self) -> Location:
        step = self.get_object()
        if step is not None:
            return step.location
        if not hasattr(self, "_location"):
            self._location = _location(self.request, self.kwargs["pk"], CHANGE)
        return self._location

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"location": self.location()}

    def initial(self, obj: EnforcementStep | None) -> dict[str, Any]:
        if obj is not None:
            names = ("kind", "inspection", "decided_on", "deadline", "completed_on", "note")
            return {name: getattr(obj, name) for name in names}
        initial: dict[str, Any] = {"decided_on": timezone.localdate()}
        wanted = str(self.request.GET.get("inspectie", ""))
        if wanted.isdigit():
            initial["inspection"] = self.location().inspections.filter(pk=int(wanted)).first()
        return initial

    def save(self, form: EnforcementForm, obj: EnforcementStep | None) -> EnforcementStep:
        return services.save_enforcement_step(
            self.request.user, obj, location=self.location(), **form.cleaned_data
        )

    def done(self, saved: EnforcementStep) -> HttpResponse:
        if saved.inspection_id:
            return redirect("compliance-inspection-detail", saved.inspection_id)
        return redirect("compliance-location-inspections", saved.location_id)

    def show(self, form: EnforcementForm, obj: EnforcementStep | None) -> HttpResponse:
        location = self.location()
        title = _("Handhavingsstap wijzigen") if obj else _("Handhavingsstap toevoegen")
        return self.page(
            "compliance/enforcement_form.html",
            planning_crumbs(location_crumb(location), (title, "")),
            form=form,
            title=title,
            location=location,
            back=reverse("compliance-location-inspections", args=[location.pk]),
        )


# -- the calendar ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One day's item in the calendar: a planned inspection or an enforcement deadline."""

    day: datetime.date
    location: Location
    inspection: Inspection | None = None
    step: EnforcementStep | None = None

    @property
    def title(self) -> str:
        if self.step is not None:
            return _("Termijn %(step)s: %(location)s") % {
                "step": self.step.get_kind_display(), "location": self.location.name,
            }  # fmt: skip
        return _("Inspectie gepland: %(location)s") % {"location": self.location.name}

    @property
    def done(self) -> bool:
        return self.step is not None and self.step.completed_on is not None

    @property
    def url(self) -> str:
        if self.step is not None and self.step.inspection_id:
            return reverse("compliance-inspection-detail", args=[self.step.inspection_id])
        return reverse("compliance-location-inspections", args=[self.location.pk])


def calendar_entries(
    actor: Any, first: datetime.date | None = None, last: datetime.date | None = None,
    *, open_only: bool = False,
) -> list[Entry]:  # fmt: skip
    """Planned next inspections (of each location's latest inspection; closed locations left
    out) and enforcement deadlines between ``first`` and ``last`` (either may be open), for the
    actor's municipalities, by day."""
    latest = Inspection.objects.filter(location=OuterRef("location")).order_by("-on", "-id")
    planned = (
        scope(actor, Inspection.objects.filter(next_inspection__isnull=False), VIEW)
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .exclude(location__status=LocationStatus.CLOSED)
        .select_related("location__municipality")
    )
    steps = scope(actor, EnforcementStep.objects.filter(deadline__isnull=False), VIEW)
    steps = steps.select_related("location__municipality")
    if open_only:
        steps = steps.filter(completed_on__isnull=True)
    if first is not None:
        planned, steps = (
            planned.filter(next_inspection__gte=first),
            steps.filter(deadline__gte=first),
        )
    if last is not None:
        planned, steps = planned.filter(next_inspection__lte=last), steps.filter(deadline__lte=last)
    entries = [Entry(i.next_inspection, i.location, inspection=i) for i in planned]
    entries += [Entry(s.deadline, s.location, step=s) for s in steps]
    return sorted(entries, key=lambda e: (e.day, e.step is not None, e.location.name))


class CalendarPage(ScopedView):
    """A month of planned inspections and deadlines, as a list per day (``?maand=2026-11``)."""

    model = Inspection

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        first = _month(request.GET.get("maand")) or today.replace(day=1)
        last = first.replace(day=months.monthrange(first.year, first.month)[1])
        entries = calendar_entries(request.user, first, last)
        days: dict[datetime.date, list[Entry]] = {}
        for entry in entries:
            days.setdefault(entry.day, []).append(entry)
        before = (first - datetime.timedelta(days=1)).replace(day=1)
        after = last + datetime.timedelta(days=1)
        return self.page(
            "compliance/calendar.html",
            planning_crumbs((_("Agenda"), "")),
            month=first,
            days=sorted(days.items()),
            count=len(entries),
            today=today,
            previous=f"{before:%Y-%m}",
            next=f"{after:%Y-%m}",
        )


def _month(value: Any) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(str(value or ""), "%Y-%m").date().replace(day=1)
    except ValueError:
        return None


class CalendarDownload(ScopedView):
    """The open deadlines and planned inspections as an iCalendar file (all-day events), to
    import into a calendar app. A download, not a subscription: a feed that calendar apps
    fetch without logging in would put addresses under enforcement behind a bare link."""

    model = Inspection

    def get(self, request: HttpRequest) -> HttpResponse:
        return _ics(request, calendar_entries(request.user, open_only=True))


def _ics(request: HttpRequest, entries: list[Entry]) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", "-//Waardig//Toezicht//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Toezicht: inspecties en termijnen"))
    for entry in entries:
        cal.add_component(_event(request, entry))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="waardig-toezicht-agenda.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _event(request: HttpRequest, entry: Entry) -> Event:
    event = Event()
    if entry.step is not None:
        event.add("uid", f"enforcement-{entry.step.pk}@{UID_DOMAIN}")
    else:
        event.add("uid", f"inspection-{entry.inspection.pk}-next@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("summary", entry.title)
    event.add("dtstart", entry.day)
    event.add("dtend", entry.day + datetime.timedelta(days=1))
    location = entry.location
    event.add("location", f"{location.address}, {location.municipality.name}".strip(", "))
    page = request.build_absolute_uri(entry.url)
    event.add("url", page)
    event.add("description", _("Zie %(url)s") % {"url": page})
    return event


urlpatterns: list = [
    path("planning/", PlanningList.as_view(), name="compliance-planning"),
    path(
        "locaties/<int:pk>/inspecties/",
        LocationInspections.as_view(),
        name="compliance-location-inspections",
    ),
    path(
        "locaties/<int:pk>/inspecties/nieuw/",
        InspectionCreate.as_view(),
        name="compliance-inspection-create",
    ),
    path("inspecties/<int:pk>/", InspectionDetail.as_view(), name="compliance-inspection-detail"),
    path("handhaving/", EnforcementList.as_view(), name="compliance-enforcement-list"),
    path(
        "locaties/<int:pk>/handhaving/nieuw/",
        EnforcementEdit.as_view(),
        name="compliance-enforcement-create",
    ),
    path(
        "handhaving/<int:step>/wijzigen/",
        EnforcementEdit.as_view(),
        name="compliance-enforcement-update",
    ),
    path("agenda/", CalendarPage.as_view(), name="compliance-calendar"),
    path("agenda/toezicht.ics", CalendarDownload.as_view(), name="compliance-calendar-download"),
]
