"""The pages of the location register: the list, a location with its occupancy over time, the
forms that keep it (facts, status, head counts) and the guest register of one location.

Reads come from housing.occupancy, writes go through housing.services. Who sees what is
core.access's decision: locations by Location's policy (the province sees all, a
municipality its own), stays by GuestStay's (only the location's municipality); for the
province a location's occupancy is a count per month, never a stay, and a register count
too small to show is "< N" (housing.occupancy decides, per viewer).
"""

from __future__ import annotations

from typing import Any

import altair as alt
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core import audit
from waardig.core.access import CHANGE, VIEW, allows, scope
from waardig.core.charts import MUTED_COLOUR, PALETTE, WIDTH, theme
from waardig.core.editing import FormPage
from waardig.core.reports.html import chart_html
from waardig.core.views import ScopedView
from waardig.housing import occupancy, services
from waardig.housing.location_forms import (
    HeadCountForm,
    LocationFilterForm,
    LocationForm,
    LocationStatusForm,
)
from waardig.housing.models import Location
from waardig.housing.sections import crumbs
from waardig.housing.services import GUEST_STAYS

LOCATIONS_PER_PAGE = 100
STAYS_PER_PAGE = 200
SORT_COLUMNS = (
    ("name", gettext_lazy("Locatie")),
    ("municipality", gettext_lazy("Gemeente")),
    ("housing_form", gettext_lazy("Woonvorm")),
    ("stay_class", gettext_lazy("Verblijfsduur")),
    ("capacity", gettext_lazy("Capaciteit")),
    ("occupancy", gettext_lazy("Bezetting")),
    ("certified", gettext_lazy("Keurmerk geldig")),
    ("status", gettext_lazy("Status")),
)
NUMERIC_COLUMNS = frozenset({"capacity", "occupancy"})


def location_crumbs(*trail: tuple[Any, str]) -> list[tuple[Any, str | None]]:
    return crumbs((_("Locaties"), reverse("housing-location-list")), *trail)


def location_crumb(location: Location) -> tuple[str, str]:
    return location.name, reverse("housing-location-detail", args=[location.pk])


class LocationList(ScopedView):
    """The register: filtered, sorted on the server (so every page and the download agree)."""

    model = Location

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        form = LocationFilterForm(request.GET or None, actor=request.user)
        filters = form.filters()
        sort = request.GET.get("sort", "")
        found = occupancy.filtered(request.user, filters, today)
        listed = occupancy.locations(request.user, {**filters, "sort": sort}, today)
        page = Paginator(listed, LOCATIONS_PER_PAGE).get_page(request.GET.get("page"))
        query = QueryDict(mutable=True)
        query.update(filters)
        if sort:
            query["sort"] = sort
        return self.page(
            "housing/location_list.html",
            crumbs((_("Locaties"), "")),
            filter_form=form,
            filtered=bool(filters),
            summary=occupancy.summary(request.user, found, today),
            min_count=occupancy.register_min_count(),
            rows=[(loc, occupancy.rate(loc.occupancy, loc.capacity)) for loc in page],
            columns=self._columns(filters, sort),
            sort=sort,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query=query.urlencode(),
            may_add=self.may_change(),
        )

    @staticmethod
    def _columns(filters: dict[str, str], sort: str) -> list[dict[str, Any]]:
        """Each header links to the list sorted on it (again: the other way round)."""
        key, descending = occupancy.sort_key(sort)
        columns = []
        for name, label in SORT_COLUMNS:
            current = name == key
            query = QueryDict(mutable=True)
            query.update(filters)
            query["sort"] = f"-{name}" if current and not descending else name
            columns.append(
                {
                    "label": label,
                    "url": f"?{query.urlencode()}",
                    "aria_sort": ("descending" if descending else "ascending") if current else "",
                    "numeric": name in NUMERIC_COLUMNS,
                }
            )
        return columns


def occupancy_chart(series: list[occupancy.Month]) -> dict[str, Any]:
    """Persons present by the guest register on the first of each month, the head counts as
    points, and the capacity as a dashed line: one Vega-Lite spec for page and report. A
    hidden register count is null: no point, and the line breaks there."""
    register, counted, capacity = _("Nachtregister"), _("Telling"), _("Capaciteit")
    values = []
    for month in series:
        values.append({"Datum": month.month.isoformat(), "Reeks": capacity,
                       "Personen": month.capacity})  # fmt: skip
        if month.present is not None or month.present_hidden:
            values.append({"Datum": month.month.isoformat(), "Reeks": register,
                           "Personen": month.present})  # fmt: skip
        if month.head_count_on is not None:
            values.append({"Datum": month.head_count_on.isoformat(), "Reeks": counted,
                           "Personen": month.head_count})  # fmt: skip
    names = [register, counted, capacity]
    base = alt.Chart().encode(
        x=alt.X("Datum:T", title=_("Maand"), axis=alt.Axis(format="%m-%Y", tickCount="month")),
        y=alt.Y("Personen:Q", title=_("Personen")),
        color=alt.Color(
            "Reeks:N",
            scale=alt.Scale(domain=names, range=[PALETTE[0], PALETTE[1], MUTED_COLOUR]),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("Reeks:N", title=_("Reeks")),
            alt.Tooltip("Datum:T", title=_("Datum"), format="%d-%m-%Y"),
            alt.Tooltip("Personen:Q", title=_("Personen")),
        ],
    )

    def only(name: str) -> alt.Chart:
        return base.transform_filter(alt.FieldEqualPredicate(field="Reeks", equal=name))

    def described(name: str) -> alt.Chart:
        """What a screen reader announces for a point (instead of every encoded field)."""
        text = "datum.Reeks + ' ' + timeFormat(datum.Datum, '%d-%m-%Y') + ': ' + datum.Personen"
        return (
            only(name).transform_calculate(beschrijving=text).encode(description="beschrijving:N")
        )

    # Lines are drawn for the eye; their points carry the description (axe: svg-img-alt).
    # A series without data gets no layer: an empty group of marks would have no text.
    shown = {row["Reeks"] for row in values if row["Personen"] is not None}
    layers = [only(capacity).mark_line(strokeDash=[6, 4], aria=False)]
    if register in shown:
        layers.append(only(register).mark_line(aria=False))
        layers.append(described(register).mark_point(filled=True, size=40))
    if counted in shown:
        layers.append(
            described(counted).mark_point(filled=True, shape="diamond", size=90, opacity=1)
        )
    spec = alt.layer(*layers).properties(width=WIDTH, height=240).to_dict()
    # Inline data once, for all layers, and the house theme: the same self-contained spec for
    # web, PDF and Word.
    for layer in spec["layer"]:
        layer.pop("data", None)
    spec.pop("datasets", None)
    spec.pop("config", None)
    spec["data"] = {"values": values, "format": {"parse": {"Datum": "date"}}}
    return theme(spec)


class LocationDetail(ScopedView):
    model = Location

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user, today = request.user, timezone.localdate()
        location = get_object_or_404(
            self.scoped(Location.objects.select_related("municipality", "operator")), pk=pk
        )
        now = occupancy.current(user, location, today)
        series = occupancy.monthly_series(user, location, today)
        min_count = occupancy.register_min_count()
        title = _("Bezetting van %(name)s") % {"name": location.name}
        if location.fictitious:
            title += " (" + _("fictief") + ")"
        description = _(
            "Personen volgens het nachtregister op de eerste van elke maand, tellingen als "
            "punten en de capaciteit als stippellijn."
        )
        series_hidden = any(m.present_hidden for m in series)
        if series_hidden:
            description += " " + _(
                "Aantallen uit het nachtregister boven 0 en onder de %(n)s zijn weggelaten."
            ) % {"n": min_count}
        return self.page(
            "housing/location_detail.html",
            location_crumbs((location.name, "")),
            location=location,
            now=now,
            rate=occupancy.rate(now.occupancy, location.capacity),
            min_count=min_count,
            any_hidden=now.occupancy_hidden or series_hidden,
            employers=location.employers.order_by("name"),
            history=scope(user, location.status_changes.order_by("-on", "-id"), VIEW),
            head_counts=scope(user, location.head_counts.order_by("-counted_on"), VIEW),
            projects=scope(user, location.projects.order_by("expected_year", "name"), VIEW),
            months=list(reversed(series)),
            chart=chart_html(occupancy_chart(series), title, description) if series else "",
            certified=location.certified_on(today),
            may_change=allows(user, CHANGE, location),
            sees_register=occupancy.sees_register(user, location),
            keeps_register=services.may_keep_guest_register(user, location),
            location_query=f"location={location.pk}",
        )


class LocationEdit(FormPage):
    """A new location (with its first status) or a location's facts."""

    model = Location
    form_class = LocationForm

    @property
    def saved_message(self) -> str:
        return _("De locatie is opgeslagen.")

    def get_object(self) -> Location | None:
        if "pk" not in self.kwargs:
            return None
        changeable = self.scoped(Location.objects.select_related("municipality"))
        return get_object_or_404(changeable, pk=self.kwargs["pk"])

    def form_kwargs(self, obj: Location | None) -> dict[str, Any]:
        return {"actor": self.request.user}

    def save(self, form: LocationForm, obj: Location | None) -> Location:
        location, _outcome = services.save_location(self.request.user, obj, **form.service_values())
        return location

    def done(self, saved: Location) -> HttpResponse:
        return redirect("housing-location-detail", saved.pk)

    def show(self, form: LocationForm, obj: Location | None) -> HttpResponse:
        if obj is None:
            title, trail = _("Nieuwe locatie"), [(_("Nieuwe locatie"), "")]
            back = reverse("housing-location-list")
        else:
            title, trail = _("Locatie wijzigen"), [location_crumb(obj), (_("Wijzigen"), "")]
            back = reverse("housing-location-detail", args=[obj.pk])
        return self.page(
            "housing/location_form.html", location_crumbs(*trail), form=form, title=title, back=back
        )


class LocationStep(FormPage):
    """A form about one location the user may change (404 for any other)."""

    model = Location
    title: Any
    intro: Any = ""

    def location(self) -> Location:
        if not hasattr(self, "_location"):
            changeable = self.scoped(Location.objects.select_related("municipality"))
            self._location = get_object_or_404(changeable, pk=self.kwargs["pk"])
        return self._location

    def done(self, saved: Any) -> HttpResponse:
        return redirect("housing-location-detail", self.location().pk)

    def show(self, form: Any, obj: Any) -> HttpResponse:
        location = self.location()
        return self.page(
            "housing/location_step_form.html",
            location_crumbs(location_crumb(location), (self.title, "")),
            form=form,
            title=self.title,
            intro=self.intro,
            location=location,
            back=reverse("housing-location-detail", args=[location.pk]),
        )


class LocationStatusPage(LocationStep):
    form_class = LocationStatusForm
    title = gettext_lazy("Status wijzigen")
    saved_message = gettext_lazy("De status is gewijzigd; de vorige staat in de geschiedenis.")

    @property
    def intro(self) -> str:
        return _("Nu: %(status)s. Een statuswijziging wordt toegevoegd aan de geschiedenis.") % {
            "status": self.location().get_status_display()
        }

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"status": self.location().status, "on": timezone.localdate()}

    def save(self, form: LocationStatusForm, obj: Any) -> Any:
        return services.change_location_status(
            self.request.user, self.location(), **form.cleaned_data
        )


class HeadCountCreate(LocationStep):
    form_class = HeadCountForm
    title = gettext_lazy("Telling vastleggen")
    saved_message = gettext_lazy("De telling is vastgelegd.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"counted_on": timezone.localdate()}

    def save(self, form: HeadCountForm, obj: Any) -> Any:
        return services.record_head_count(self.request.user, self.location(), **form.cleaned_data)


class GuestStayList(ScopedView):
    """The guest register of one location: only for the location's own municipality (officers
    and inspectors); every other role gets 404, as if it had none. Each view is audited."""

    model = Location

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user, today = request.user, timezone.localdate()
        location = get_object_or_404(
            self.scoped(Location.objects.select_related("municipality")), pk=pk
        )
        if not occupancy.sees_register(user, location):
            raise Http404
        stays: QuerySet = occupancy.guest_stays(user, location).order_by("-arrival", "id")
        params = services.current_parameters()
        page = Paginator(stays, STAYS_PER_PAGE).get_page(request.GET.get("page"))
        summary = occupancy.stay_summary(stays, today, params)
        audit.record(
            user,
            "view",
            GUEST_STAYS,
            detail=f"{location.name} (#{location.pk}): nachtregister, pagina {page.number}, "
            f"{summary.stays} verblijven",
            municipality_codes=[location.municipality.code],
        )
        return self.page(
            "housing/guest_stays.html",
            location_crumbs(location_crumb(location), (_("Nachtregister"), "")),
            location=location,
            rows=[occupancy.stay_row(stay, today, params) for stay in page],
            summary=summary,
            params=params,
            today=today,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query="",
            location_query=f"location={location.pk}",
            keeps_register=services.may_keep_guest_register(user, location),
        )


urlpatterns = [
    path("locaties/", LocationList.as_view(), name="housing-location-list"),
    path("locaties/nieuw/", LocationEdit.as_view(), name="housing-location-create"),
    path("locaties/<int:pk>/", LocationDetail.as_view(), name="housing-location-detail"),
    path("locaties/<int:pk>/wijzigen/", LocationEdit.as_view(), name="housing-location-update"),
    path("locaties/<int:pk>/status/", LocationStatusPage.as_view(), name="housing-location-status"),
    path(
        "locaties/<int:pk>/tellingen/nieuw/",
        HeadCountCreate.as_view(),
        name="housing-headcount-create",
    ),
    path("locaties/<int:pk>/nachtregister/", GuestStayList.as_view(), name="housing-guest-stays"),
]
