"""The norm pages: the norm sets with their period and source, one set with its norms and the
history of their changes, editing one norm (the province admin), the signal thresholds, and
the check of one location against the sets valid on a day.

Norms are public knowledge in the network (NORM_DATA). The check of a location is seen like
the location (LOCATION_DATA and CHECK_DATA both; anyone else gets 404) and recorded by the
municipality's officers and inspectors (services.record_check). The tables of these pages are
downloads too (exports compliance-norms, compliance-norm-changes,
compliance-signal-parameters), built by the functions at the end of this module.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.compliance import norms, services
from waardig.compliance.checks import check_location
from waardig.compliance.engine import Evaluation
from waardig.compliance.models import (
    Check,
    Norm,
    NormChange,
    NormKind,
    NormSet,
    Severity,
    SignalParameters,
)
from waardig.compliance.norm_forms import CheckDayForm, NormForm, SignalParametersForm, ValidOnForm
from waardig.compliance.sections import crumbs
from waardig.core.access import CHANGE, VIEW, allows, may, scope
from waardig.core.editing import FormPage, show_errors
from waardig.core.views import ScopedView
from waardig.housing import occupancy
from waardig.housing.models import Certification, HousingForm, Location

CHECKS_SHOWN = 50
KIND_ORDER = {kind: i for i, kind in enumerate(NormKind.values)}
NORM_TEXT = {
    NormKind.PERSONS_PER_BEDROOM: gettext_lazy("max. %(limit)s per slaapkamer"),
    NormKind.LIVING_AREA: gettext_lazy("min. %(limit)s m² per persoon"),
    NormKind.BEDROOM_AREA: gettext_lazy("min. %(limit)s m² slaapkamer per persoon"),
    NormKind.PERSONS_PER_TOILET: gettext_lazy("max. %(limit)s personen per toilet"),
    NormKind.PERSONS_PER_SHOWER: gettext_lazy("max. %(limit)s personen per douche"),
    NormKind.CONSECUTIVE_STAY: gettext_lazy(
        "max. %(limit)s maanden verblijf binnen %(window)s maanden (kort verblijf)"
    ),
    NormKind.TRANSITION_PERIOD: gettext_lazy("min. %(limit)s dagen na het einde van het werk"),
    NormKind.SEPARATE_CONTRACT: gettext_lazy("verplicht"),
    NormKind.VALID_CERTIFICATE: gettext_lazy("verplicht: een geldig keurmerk (SNF of AKF)"),
}
MEASURED_TEXT = {
    NormKind.PERSONS_PER_BEDROOM: gettext_lazy("%(value)s per slaapkamer"),
    NormKind.LIVING_AREA: gettext_lazy("%(value)s m² per persoon"),
    NormKind.BEDROOM_AREA: gettext_lazy("%(value)s m² per persoon"),
    NormKind.PERSONS_PER_TOILET: gettext_lazy("%(value)s per toilet"),
    NormKind.PERSONS_PER_SHOWER: gettext_lazy("%(value)s per douche"),
    NormKind.CONSECUTIVE_STAY: gettext_lazy("%(value)s maanden"),
    NormKind.TRANSITION_PERIOD: gettext_lazy("%(value)s dagen"),
}
MET_TEXT = {
    NormKind.SEPARATE_CONTRACT: (gettext_lazy("gescheiden"), gettext_lazy("niet gescheiden")),
    NormKind.VALID_CERTIFICATE: (gettext_lazy("geldig"), gettext_lazy("niet geldig")),
}
STATUSES = {
    "violation": (gettext_lazy("niet voldaan"), "waardig-badge--warning"),
    "unknown": (gettext_lazy("niet te toetsen"), "waardig-status--delayed"),
    "ok": (gettext_lazy("voldaan"), "waardig-status--done"),
    "n/a": (gettext_lazy("niet van toepassing"), "waardig-status--not_started"),
}
PERSONS = "persons"
INPUTS = {
    NormKind.PERSONS_PER_BEDROOM: (PERSONS, "bedrooms"),
    NormKind.LIVING_AREA: ("living_area", PERSONS),
    NormKind.BEDROOM_AREA: ("bedroom_area", PERSONS),
    NormKind.PERSONS_PER_TOILET: (PERSONS, "toilets"),
    NormKind.PERSONS_PER_SHOWER: (PERSONS, "showers"),
    NormKind.CONSECUTIVE_STAY: ("register",),
    NormKind.TRANSITION_PERIOD: ("transition_days",),
    NormKind.SEPARATE_CONTRACT: ("separate_contract",),
    NormKind.VALID_CERTIFICATE: (),
}
"""What each kind of norm needs to know of a location (see compliance.norms)."""
INPUT_LABELS = {
    PERSONS: gettext_lazy("het aantal bewoners op de peildatum (een telling of het nachtregister)"),
    "bedrooms": gettext_lazy("het aantal slaapkamers"),
    "living_area": gettext_lazy("het woonoppervlak"),
    "bedroom_area": gettext_lazy("het slaapkameroppervlak"),
    "toilets": gettext_lazy("het aantal toiletten"),
    "showers": gettext_lazy("het aantal douches"),
    "register": gettext_lazy("een nachtregister (de verblijven van de gasten)"),
    "transition_days": gettext_lazy("de overgangstermijn in het huurcontract"),
    "separate_contract": gettext_lazy("of het huurcontract los staat van het arbeidscontract"),
}
PARAMETER_LABELS = {
    "limit": gettext_lazy("grens"),
    "window_months": gettext_lazy("periode (maanden)"),
    "severity": gettext_lazy("ernst"),
}


# -- words for norms and their changes ---------------------------------------------------------


def is_valid_on(norm_set: NormSet, day: datetime.date) -> bool:
    return norm_set.valid_from <= day and (norm_set.valid_to is None or norm_set.valid_to >= day)


def _labels(values: list[str], choices: Any, everything: Any) -> str:
    known = dict(choices.choices)
    return ", ".join(str(known.get(v, v)) for v in values) if values else str(everything)


def forms_text(values: list[str]) -> str:
    return _labels(values, HousingForm, _("alle woonvormen"))


def certifications_text(values: list[str]) -> str:
    return _labels(values, Certification, _("ongeacht keurmerk"))


def norm_text(kind: str, limit: Any, window: int | None) -> str:
    """'max. 1 per slaapkamer', 'min. 15 m² per persoon'."""
    return str(NORM_TEXT[kind]) % {"limit": norms.dutch(limit), "window": window or "?"}


def measured_text(kind: str, value: Decimal | None) -> str:
    if value is None:
        return "–"
    if kind in MET_TEXT:
        return str(MET_TEXT[kind][0 if value >= 1 else 1])
    return norms.singular(str(MEASURED_TEXT[kind]) % {"value": norms.dutch(value)})


def _parameter_value(name: str, value: str | None) -> str:
    if value is None:
        return "–"
    if name == "limit":
        return norms.dutch(Decimal(value))
    if name == "severity" and value in Severity.values:
        return str(Severity(value).label)
    return str(value)


def change_lines(change: NormChange) -> list[str]:
    """'grens: 15 → 14' for each parameter a change touched."""
    return [
        f"{PARAMETER_LABELS.get(name, name)}: {_parameter_value(name, old)} → "
        f"{_parameter_value(name, new)}"
        for name, (old, new) in change.changes.items()
    ]


def _sorted_norms(norm_set: NormSet) -> list[Norm]:
    return sorted(norm_set.norms.all(), key=lambda n: (KIND_ORDER.get(n.kind, 99), n.code))


# -- the norm sets -----------------------------------------------------------------------------


class NormSetList(ScopedView):
    """Every norm set with its period, scope and source; which hold today; filter by day."""

    model = NormSet

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        form = ValidOnForm(request.GET or None)
        day = form.day()
        rows = [
            {
                "set": s,
                "today": is_valid_on(s, today),
                "forms": forms_text(s.housing_forms),
                "certifications": certifications_text(s.certifications),
                "norms": len(s.norms.all()),
            }
            for s in self.scoped(NormSet.objects.prefetch_related("norms"))
            if day is None or is_valid_on(s, day)
        ]
        return self.page(
            "compliance/norm_sets.html",
            crumbs((_("Normen"), None)),
            filter_form=form,
            day=day,
            filtered=form.is_bound,
            rows=rows,
            query=urlencode({"valid_on": day.isoformat()}) if day else "",
            today=today,
        )


class NormSetDetail(ScopedView):
    """One set: its norms with their parameters, and every change to them (who and why)."""

    model = NormSet

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        norm_set = get_object_or_404(self.scoped(NormSet.objects.prefetch_related("norms")), pk=pk)
        history = scope(
            request.user,
            NormChange.objects.filter(norm__norm_set=norm_set).select_related("norm"),
        ).order_by("-at", "-id")
        return self.page(
            "compliance/norm_set_detail.html",
            crumbs((_("Normen"), reverse("compliance-norm-sets")), (norm_set.name, None)),
            norm_set=norm_set,
            valid_today=is_valid_on(norm_set, timezone.localdate()),
            forms=forms_text(norm_set.housing_forms),
            certifications=certifications_text(norm_set.certifications),
            norms=[
                (
                    n,
                    norm_text(n.kind, n.limit, n.window_months),
                    forms_text(n.housing_forms) if n.housing_forms else "",
                )
                for n in _sorted_norms(norm_set)
            ],
            history=[(c, change_lines(c)) for c in history],
            may_change=may(request.user, CHANGE, Norm),
            query=urlencode({"norm_set": norm_set.pk}),
        )


class NormEdit(FormPage):
    """One norm's limit, window and severity, with a reason: only the province admin."""

    model = Norm
    form_class = NormForm
    saved_message = gettext_lazy(
        "De norm is gewijzigd; de vorige waarden staan in de geschiedenis."
    )

    def get_object(self) -> Norm:
        norms_in_reach = self.scoped(Norm.objects.select_related("norm_set"))
        return get_object_or_404(norms_in_reach, pk=self.kwargs["pk"])

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"norm": obj}

    def save(self, form: NormForm, obj: Any) -> Norm:
        fresh = Norm.objects.select_related("norm_set").get(pk=obj.pk)  # obj stays as shown
        change = services.edit_norm(
            self.request.user, fresh, form.cleaned_data["reason"], **form.values()
        )
        if change is None:
            self.saved_message = _("Er is niets gewijzigd.")
        return fresh

    def done(self, saved: Norm) -> HttpResponse:
        url = reverse("compliance-norm-set", args=[saved.norm_set_id])
        return redirect(f"{url}#norm-{saved.pk}")

    def show(self, form: NormForm, obj: Any) -> HttpResponse:
        title = _("%(kind)s wijzigen") % {"kind": obj.get_kind_display().capitalize()}
        set_url = reverse("compliance-norm-set", args=[obj.norm_set_id])
        history = scope(self.request.user, obj.changes.order_by("-at", "-id"))
        return self.page(
            "compliance/norm_edit.html",
            crumbs((_("Normen"), reverse("compliance-norm-sets")), (obj.norm_set.name, set_url),
                   (title, None)),
            form=form, norm=obj, title=title, back=set_url,
            text=norm_text(obj.kind, obj.limit, obj.window_months),
            history=[(c, change_lines(c)) for c in history],
        )  # fmt: skip


# -- the signal thresholds ---------------------------------------------------------------------


def current_signal_parameters() -> SignalParameters:
    """The latest thresholds (the defaults when none were ever stored)."""
    return SignalParameters.objects.order_by("-at", "-id").first() or SignalParameters()


def plain(value: Any) -> str:
    """A threshold as it was entered, the Dutch way: 12, 0,75."""
    if isinstance(value, Decimal):
        value = f"{value.normalize():f}"
    return str(value).replace(".", ",")


def signal_changes(entry: SignalParameters, older: SignalParameters | None) -> list[str]:
    if older is None:
        return []
    found = []
    for name in services.SIGNAL_PARAMETERS:
        before, after = getattr(older, name), getattr(entry, name)
        if before != after:
            label = SignalParameters._meta.get_field(name).verbose_name
            found.append(f"{label}: {plain(before)} → {plain(after)}")
    return found


class SignalParametersPage(FormPage):
    """The network reads the thresholds of the registration signals and their history; the
    province admin sets new ones (with a reason)."""

    model = SignalParameters
    form_class = SignalParametersForm
    saved_message = gettext_lazy("De signaalinstellingen zijn gewijzigd.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.action = CHANGE if request.method == "POST" else VIEW
        return super().dispatch(request, *args, **kwargs)

    def initial(self, obj: Any) -> dict[str, Any]:
        current = current_signal_parameters()
        return {name: getattr(current, name) for name in services.SIGNAL_PARAMETERS}

    def save(self, form: SignalParametersForm, obj: Any) -> SignalParameters:
        return services.set_signal_parameters(
            self.request.user, form.cleaned_data["reason"], **form.values()
        )

    def done(self, saved: SignalParameters) -> HttpResponse:
        return redirect("compliance-signal-parameters")

    def show(self, form: SignalParametersForm, obj: Any) -> HttpResponse:
        history = list(scope(self.request.user, SignalParameters.objects.order_by("-at", "-id")))
        current = history[0] if history else SignalParameters()
        fields = [
            (SignalParameters._meta.get_field(name), getattr(current, name))
            for name in services.SIGNAL_PARAMETERS
        ]
        return self.page(
            "compliance/norm_signal_parameters.html",
            crumbs(
                (_("Normen"), reverse("compliance-norm-sets")), (_("Signaalinstellingen"), None)
            ),
            form=form if may(self.request.user, CHANGE, SignalParameters) else None,
            current=current,
            fields=[(f.verbose_name, f.help_text, plain(v)) for f, v in fields],
            history=[
                (e, signal_changes(e, history[i + 1] if i + 1 < len(history) else None))
                for i, e in enumerate(history)
            ],
        )


# -- the check of one location -----------------------------------------------------------------


def _missing(e: Evaluation, location: Location) -> str:
    """'Ontbreekt: ...': the data a norm that could not be checked needs."""

    def absent(name: str) -> bool:
        if name == PERSONS:
            return e.persons is None
        if name == "register":
            return not e.has_register
        return getattr(location, name) is None

    names = [str(INPUT_LABELS[name]) for name in INPUTS[e.kind] if absent(name)]
    return _("Ontbreekt: %(data)s.") % {"data": ", ".join(names)} if names else ""


def evaluation_row(e: Evaluation, location: Location, sees_register: bool) -> dict[str, Any]:
    """One norm of the check; a small register count is hidden from who may not see it."""
    masked = e.small_count and not sees_register and e.kind in norms.RESIDENT_KINDS
    label, css = STATUSES[e.status]
    if e.status == "violation":
        explanation = norms.hidden_residents_text() if masked else e.explanation
    elif e.status == "unknown":
        explanation = _missing(e, location)
    elif e.status == "n/a":
        explanation = _("Geldt alleen voor locaties voor kort verblijf.")
    else:
        explanation = ""
    return {
        "kind": NormKind(e.kind).label, "norm": norm_text(e.kind, e.limit, e.window_months),
        "measured": "–" if masked else measured_text(e.kind, e.value), "status": e.status,
        "label": label, "css": css, "explanation": explanation,
        "severity": Severity(e.severity).label if e.status == "violation" else "",
    }  # fmt: skip


class LocationCheck(ScopedView):
    """A location against every norm valid on a day (default today), its latest recorded
    check and the earlier ones; recording a check (POST) is for the municipality's officers and
    inspectors. A location the user may not see, or whose checks they may not see, is 404."""

    model = Check

    def location(self, pk: int) -> Location:
        location = get_object_or_404(
            scope(self.request.user, Location.objects.select_related("municipality")), pk=pk
        )
        if not allows(self.request.user, VIEW, Check(location=location)):
            raise Http404
        return location

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = self.location(pk)
        form = CheckDayForm(request.GET if "on" in request.GET else None)
        if not form.is_bound:
            form = CheckDayForm(initial={"on": timezone.localdate()})
            return self.show(location, form, timezone.localdate())
        return self.show(location, form, form.cleaned_data["on"] if form.is_valid() else None)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = self.location(pk)
        if not allows(request.user, CHANGE, Check(location=location)):
            raise PermissionDenied
        form = CheckDayForm(request.POST)
        if form.is_valid():
            try:
                check = services.record_check(request.user, location, form.cleaned_data["on"])
            except ValidationError as error:
                show_errors(form, error)
            else:
                told = _("De toets van %(day)s is vastgelegd, met %(n)s bevinding(en).")
                messages.success(
                    request, told % {"day": f"{check.on:%d-%m-%Y}", "n": check.findings.count()}
                )
                url = reverse("compliance-location-check", args=[location.pk])
                return redirect(f"{url}?{urlencode({'on': check.on.isoformat()})}")
        return self.show(location, form, None)

    def show(
        self, location: Location, form: CheckDayForm, day: datetime.date | None
    ) -> HttpResponse:
        user = self.request.user
        sees = occupancy.sees_register(user, location)
        groups: dict[str, list] = {}
        counts = dict.fromkeys(STATUSES, 0)
        other_sets: list[NormSet] = []
        if day is not None:
            evaluations = sorted(check_location(location, day), key=lambda e: KIND_ORDER[e.kind])
            for e in evaluations:
                groups.setdefault(e.norm_set, []).append(evaluation_row(e, location, sees))
                counts[e.status] += 1
            valid = norms.sets_valid_on(day)
            other_sets = [s for s in valid if s.name not in groups]
            order = [s.name for s in valid]
            groups = dict(sorted(groups.items(), key=lambda g: order.index(g[0])))
        checks = list(
            scope(user, location.checks.order_by("-on", "-at", "-id")).prefetch_related("findings")[
                :CHECKS_SHOWN
            ]
        )

        def findings(check: Check) -> list[tuple[Any, str]]:
            hidden = norms.hidden_residents_text()
            return [
                (f, hidden if norms.hides_residents(user, location, f.small_count, f.kind)
                 else f.explanation)
                for f in check.findings.all()
            ]  # fmt: skip

        title = _("Toets van %(name)s") % {"name": location.name}
        return self.page(
            "compliance/check_location.html",
            crumbs((location.name, reverse("housing-location-detail", args=[location.pk])),
                   (_("Toets"), None)),
            title=title, location=location, form=form, day=day,
            groups=[(name, rows) for name, rows in groups.items()],
            counts=[(STATUSES[s][0], n, s) for s, n in counts.items()],
            other_sets=other_sets,
            latest=(checks[0], findings(checks[0])) if checks else None,
            earlier=[(c, findings(c)) for c in checks[1:]],
            more_checks=len(checks) == CHECKS_SHOWN,
            may_record=allows(user, CHANGE, Check(location=location)),
        )  # fmt: skip


# -- downloads ---------------------------------------------------------------------------------


def _option_day(options: dict[str, Any], name: str) -> datetime.date | None:
    text = options.get(name, "")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Geef de datum als JJJJ-MM-DD.")) from None


def _option_set(actor: Any, options: dict[str, Any]) -> NormSet | None:
    text = options.get("norm_set", "")
    if not text:
        return None
    if not str(text).isdigit():
        raise ValidationError(_("Geef het nummer van de normenset."))
    return scope(actor, NormSet.objects.all()).get(pk=int(text))


NORM_COLUMNS = [
    "norm_set", "source", "source_url", "valid_from", "valid_to", "set_housing_forms",
    "set_certifications", "code", "kind", "kind_label", "bound", "limit", "unit",
    "window_months", "severity", "norm_housing_forms", "norm", "note",
]  # fmt: skip


def norm_rows(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Every norm of every set (or of the sets valid on ``valid_on``, or one ``norm_set``).
    Empty housing forms or certifications mean: all of them."""
    day, chosen = _option_day(options, "valid_on"), _option_set(actor, options)
    sets = scope(actor, NormSet.objects.prefetch_related("norms"))
    rows = []
    for s in sets.filter(pk=chosen.pk) if chosen else sets:
        if day is not None and not is_valid_on(s, day):
            continue
        for n in _sorted_norms(s):
            definition = norms.DEFINITIONS[n.kind]
            rows.append([
                s.name, s.source, s.source_url, s.valid_from, s.valid_to,
                ", ".join(s.housing_forms), ", ".join(s.certifications), n.code, n.kind,
                str(n.get_kind_display()), definition.bound, n.limit, definition.unit,
                n.window_months, n.severity, ", ".join(n.housing_forms),
                norm_text(n.kind, n.limit, n.window_months), n.note,
            ])  # fmt: skip
    return NORM_COLUMNS, rows


CHANGE_COLUMNS = ["at", "actor", "norm_set", "code", "kind", "parameter", "old", "new", "reason"]


def norm_change_rows(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Every change of a norm's parameters, newest first: one row per parameter changed."""
    changes = NormChange.objects.select_related("norm__norm_set").order_by("-at", "-id")
    if chosen := _option_set(actor, options):
        changes = changes.filter(norm__norm_set=chosen)
    rows = [
        [c.at, c.actor, c.norm.norm_set.name, c.norm.code, c.norm.kind, name, old, new, c.reason]
        for c in scope(actor, changes)
        for name, (old, new) in c.changes.items()
    ]
    return CHANGE_COLUMNS, rows


def signal_parameter_rows(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Every version of the signal thresholds, newest first (the first row holds)."""
    entries = scope(actor, SignalParameters.objects.order_by("-at", "-id"))
    rows = [
        [e.at, e.actor, e.reason, *(getattr(e, n) for n in services.SIGNAL_PARAMETERS)]
        for e in entries
    ]
    return ["at", "actor", "reason", *services.SIGNAL_PARAMETERS], rows


urlpatterns = [
    path("normen/", NormSetList.as_view(), name="compliance-norm-sets"),
    path(
        "normen/signaalinstellingen/",
        SignalParametersPage.as_view(),
        name="compliance-signal-parameters",
    ),
    path("normen/<int:pk>/", NormSetDetail.as_view(), name="compliance-norm-set"),
    path("normen/norm/<int:pk>/wijzigen/", NormEdit.as_view(), name="compliance-norm-edit"),
    path("locaties/<int:pk>/toets/", LocationCheck.as_view(), name="compliance-location-check"),
]
