"""The supervision overview, the queue of signals, one signal with its status flow, and the
scans that find them.

Who sees what is core.access's decision (compliance.models): signals only by the
municipality's own officers and inspectors (SIGNAL_DATA: every other role gets 403 on the
queue, a signal and its download; a signal of another municipality is 404), scans only by
the province admin (SCAN_DATA). The overview shows every role of the network numbers only
(compliance.counts). Every page and download that shows signals is audited, with the
municipalities it showed. A person is shown only by the first characters of a pseudonym.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.compliance import counts, scans, services
from waardig.compliance.models import (
    Norm,
    NormKind,
    ScanRun,
    Signal,
    SignalKind,
    SignalStatus,
)
from waardig.compliance.sections import crumbs
from waardig.compliance.signal_forms import (
    EVERY_STATUS,
    OPEN,
    ScanForm,
    SignalFilterForm,
    SignalStatusForm,
    clean_filters,
    parse_score,
)
from waardig.core.access import CHANGE, VIEW, allows, may, scope
from waardig.core.editing import show_errors
from waardig.core.views import ScopedView

SIGNALS_PER_PAGE = 50
SCANS_PER_PAGE = 20
SHORT_PSEUDONYM = 8
"""Pages and downloads show a pseudonym's first 8 characters: enough to tell persons apart
in a queue, never the whole key."""
BUSY = (ScanRun.Status.QUEUED, ScanRun.Status.RUNNING)
STALE_HOURS = 12
"""A scan still queued or running after this long is taken for dead (its worker stopped):
it no longer keeps the admin from starting a new one."""


def short_pseudonym(pseudonym: str) -> str:
    return pseudonym[:SHORT_PSEUDONYM]


# -- reads of the queue ------------------------------------------------------------------------


def filtered(actor: Any, options: dict[str, Any]) -> QuerySet:
    """The signals the actor may see that match the filters (``clean_filters``), highest
    score first: the queue and its download read this one query."""
    filters = clean_filters(options)
    found = scope(actor, Signal.objects.select_related("municipality"), VIEW)
    status = filters.get("status", OPEN)
    if status == OPEN:
        found = found.filter(status__in=[SignalStatus.NEW, SignalStatus.INVESTIGATING])
    elif status != EVERY_STATUS:
        found = found.filter(status=status)
    if kind := filters.get("kind"):
        found = found.filter(kind=kind)
    if code := filters.get("municipality"):
        found = found.filter(municipality__code=code)
    if score := filters.get("min_score"):
        found = found.filter(score__gte=parse_score(score))
    if text := filters.get("q"):
        found = found.filter(Q(address__icontains=text) | Q(address_id=text))
    return found.order_by("-score", "-last_seen", "-id")


SIGNAL_COLUMNS = [
    "id", "kind", "kind_label", "status", "outcome", "score", "municipality_code",
    "municipality", "address", "address_id", "location_id", "pseudonym", "explanation",
    "first_seen", "last_seen", "fictitious",
]  # fmt: skip


def signal_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The queue's rows as filtered (every page of it), for the download ``compliance-signals``;
    audited as a personal export by core.exports (the column municipality_code)."""
    rows = [
        [
            s.pk, s.kind, s.get_kind_display(), s.status, s.outcome, s.score,
            s.municipality.code, s.municipality.name, s.address, s.address_id, s.location_id,
            short_pseudonym(s.pseudonym), s.explanation, s.first_seen, s.last_seen, s.fictitious,
        ]
        for s in filtered(actor, options)
    ]  # fmt: skip
    return SIGNAL_COLUMNS, rows


def counts_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The overview's table for its download ``compliance-counts`` (numbers only)."""
    return counts.table(actor, timezone.localdate())


# -- pages -------------------------------------------------------------------------------------


class OverviewPage(ScopedView):
    """Every role of the network: counts per municipality (see compliance.counts)."""

    model = Norm

    def get(self, request: HttpRequest) -> HttpResponse:
        data = counts.overview(request.user, timezone.localdate())
        return self.page(
            "compliance/home.html",
            [(_("Toezicht"), None)],  # the section's own page: not a link to itself
            overview=data,
            kinds=counts.kind_headers(),
            statuses=counts.status_headers(),
            sees_signals=may(request.user, VIEW, Signal),
            may_scan=services.may_start_scan(request.user),
        )


class SignalList(ScopedView):
    """The queue: the signals of the user's municipalities, filtered, highest score first."""

    model = Signal

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        form = SignalFilterForm(request.GET or None, actor=user)
        if form.is_bound:
            form.is_valid()  # errors on their fields; clean_filters decides what counts
        filters = clean_filters(request.GET)
        page = Paginator(filtered(user, filters), SIGNALS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        shown = list(page)
        services.audit_signal_view(
            user,
            shown,
            detail=f"signalenlijst, pagina {page.number} van {page.paginator.num_pages}, "
            f"{page.paginator.count} signalen; filters: "
            + (", ".join(f"{k}={v}" for k, v in sorted(filters.items())) or "-"),
        )
        query = QueryDict(mutable=True)
        query.update(filters)
        return self.page(
            "compliance/signal_list.html",
            crumbs((_("Signalen"), "")),
            filter_form=form,
            filtered=bool(filters),
            rows=[(s, short_pseudonym(s.pseudonym)) for s in shown],
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query=query.urlencode(),
        )


DETAIL_LABELS = {
    "floor_area": gettext_lazy("gebruiksoppervlakte (m²)"),
    "persons": gettext_lazy("personen"),
    "days": gettext_lazy("dagen"),
    "window_months": gettext_lazy("periode (maanden)"),
    "guests": gettext_lazy("gasten"),
    "registered": gettext_lazy("ingeschreven"),
    "capacity": gettext_lazy("capaciteit"),
    "certification": gettext_lazy("keurmerk"),
    "valid_until": gettext_lazy("geldig tot"),
    "households": gettext_lazy("huishoudens"),
}


class SignalDetail(ScopedView):
    """One signal, its history and (for who may change it) the next step of its flow."""

    model = Signal

    def signal(self, action: str = VIEW) -> Signal:
        signals = Signal.objects.select_related("municipality", "location", "scan")
        return get_object_or_404(self.scoped(signals, action), pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        signal = self.signal()
        form = SignalStatusForm(signal=signal) if allows(request.user, CHANGE, signal) else None
        return self.show(signal, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        signal = self.signal(CHANGE)
        form = SignalStatusForm(request.POST, signal=signal)
        if form.is_valid():
            try:
                services.change_signal(request.user, signal, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("De status van het signaal is gewijzigd."))
                return redirect("compliance-signal-detail", signal.pk)
        signal.refresh_from_db()
        return self.show(signal, form)

    def show(self, signal: Signal, form: SignalStatusForm | None) -> HttpResponse:
        user = self.request.user
        services.audit_signal_view(user, [signal], detail=f"signaal {signal.pk}")
        location = signal.location
        return self.page(
            "compliance/signal_detail.html",
            crumbs(
                (_("Signalen"), reverse("compliance-signal-list")),
                (_("Signaal %(id)s") % {"id": signal.pk}, ""),
            ),
            signal=signal,
            pseudonym=short_pseudonym(signal.pseudonym),
            details=[(DETAIL_LABELS.get(k, k), v) for k, v in sorted(signal.details.items())],
            location_link=location is not None and allows(user, VIEW, location),
            history=scope(user, signal.changes.order_by("at", "id"), VIEW),
            form=form,
        )


# -- scans -------------------------------------------------------------------------------------


def running_scan() -> ScanRun | None:
    """A scan queued or still running (and not taken for dead): one at a time, so that two
    scans never write the same signals twice."""
    since = timezone.now() - timedelta(hours=STALE_HOURS)
    return ScanRun.objects.filter(status__in=BUSY, started_at__gte=since).first()


class ScanList(ScopedView):
    """The province admin's scans, and the form that starts one as a background job."""

    model = ScanRun

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(ScanForm(initial={"on": timezone.localdate()}))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not services.may_start_scan(request.user):
            raise PermissionDenied
        form = ScanForm(request.POST)
        if form.is_valid():
            if busy := running_scan():
                form.add_error(
                    None,
                    _("Scan %(id)s loopt nog; start een nieuwe scan als die klaar is.")
                    % {"id": busy.pk},
                )
            else:
                run = scans.start(form.cleaned_data["on"], request.user)
                scans.run_in_background.enqueue(run.pk)
                messages.success(request, _("De scan is gestart."))
                return redirect("compliance-scan-detail", run.pk)
        return self.show(form)

    def show(self, form: ScanForm) -> HttpResponse:
        runs = self.scoped(ScanRun.objects.select_related("user"))
        page = Paginator(runs, SCANS_PER_PAGE).get_page(self.request.GET.get("page"))
        return self.page(
            "compliance/scan_list.html",
            crumbs((_("Scans"), "")),
            form=form,
            runs=list(page),
            busy=running_scan(),
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query="",
        )


def scan_outcome(run: ScanRun) -> dict[str, Any]:
    """A finished scan's counts with Dutch labels (ScanRun.counts is scans.write's dict)."""
    found = run.counts or {}
    totals = [
        (_("Gecontroleerde locaties"), found.get("locations")),
        (_("Bevindingen"), found.get("findings")),
        (_("Signalen gevonden"), found.get("signals_found")),
        (_("Nieuwe signalen"), found.get("signals_new")),
        (_("Bijgewerkte open signalen"), found.get("signals_refreshed")),
        (_("Onlangs afgesloten, niet opnieuw geopend"), found.get("signals_kept_closed")),
        (_("Buiten de bekende gemeenten"), found.get("signals_outside_area")),
    ]
    norm_labels, kind_labels = dict(NormKind.choices), dict(SignalKind.choices)
    per_norm = found.get("findings_per_norm") or {}
    per_kind = found.get("signals_per_kind") or {}
    return {
        "totals": [(label, n) for label, n in totals if n is not None],
        "per_norm": [(norm_labels.get(k, k), n) for k, n in sorted(per_norm.items())],
        "per_kind": [(kind_labels.get(k, k), n) for k, n in sorted(per_kind.items())],
    }


class ScanDetail(ScopedView):
    """One scan: its progress while it runs (the page asks again every second, htmx), then
    its outcome."""

    model = ScanRun

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = get_object_or_404(self.scoped(), pk=pk)
        busy = run.status in BUSY
        context = {"run": run, "busy": busy}
        if request.headers.get("HX-Request"):
            response = render(request, "compliance/scan_status.html", context)
            if not busy:
                response["HX-Refresh"] = "true"  # finished: show the whole outcome
            return response
        return self.page(
            "compliance/scan_detail.html",
            crumbs((_("Scans"), reverse("compliance-scans")), (str(run), "")),
            outcome=scan_outcome(run),
            **context,
        )


urlpatterns = [
    path("", OverviewPage.as_view(), name="compliance-home"),
    path("signalen/", SignalList.as_view(), name="compliance-signal-list"),
    path("signalen/<int:pk>/", SignalDetail.as_view(), name="compliance-signal-detail"),
    path("scans/", ScanList.as_view(), name="compliance-scans"),
    path("scans/<int:pk>/", ScanDetail.as_view(), name="compliance-scan-detail"),
]
