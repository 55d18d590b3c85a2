"""Every write of the compliance app: norm parameters, signal thresholds, checks, the
status flow of signals, inspections and enforcement steps. Each checks the actor's right
(core.access) itself, so pages, the API and the command line behave alike."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.compliance import norms, scans
from waardig.compliance.checks import check_location
from waardig.compliance.engine import Evaluation
from waardig.compliance.models import (
    Check,
    CheckSource,
    EnforcementStep,
    Finding,
    Inspection,
    Norm,
    NormChange,
    NormKind,
    ScanRun,
    Signal,
    SignalChange,
    SignalOutcome,
    SignalParameters,
    SignalStatus,
)
from waardig.core import audit
from waardig.core.access import CHANGE, VIEW, account_of, display_name, may, require
from waardig.housing.models import Location

NORM_PARAMETERS = ("limit", "window_months", "severity")
SIGNAL_PARAMETERS = (
    "floor_area_per_person", "rni_max_months", "rni_window_months", "registration_rate_min",
    "min_guests", "unrelated_households",
)  # fmt: skip


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Deze datum ligt in de toekomst.")})


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden: de geschiedenis bewaart die.")})
    return reason[:300]


# -- norms -------------------------------------------------------------------------------------


@transaction.atomic
def edit_norm(actor: Any, norm: Norm, reason: str, **values: Any) -> NormChange | None:
    """Change a norm's parameters (limit, window, severity); the change is kept with the
    old and new values, who and why. Returns None when nothing changed."""
    require(actor, CHANGE, norm)
    reason = _reason(reason)
    changes = {}
    for name in NORM_PARAMETERS:
        if name not in values:
            continue
        old, new = getattr(norm, name), values[name]
        if name == "limit" and new is not None:
            new = Decimal(str(new)).quantize(Decimal("0.01"))  # as stored: "15.00"
        if old != new:
            changes[name] = [None if old is None else str(old), None if new is None else str(new)]
            setattr(norm, name, new)
    if not changes:
        return None
    if norm.kind == NormKind.CONSECUTIVE_STAY and not norm.window_months:
        raise ValidationError({"window_months": _("Een verblijfsnorm heeft een periode nodig.")})
    norm.full_clean()
    norm.save()
    return NormChange.objects.create(
        norm=norm, changes=changes, reason=reason, user=account_of(actor),
        actor=display_name(actor),
    )  # fmt: skip


def set_signal_parameters(actor: Any, reason: str, **values: Any) -> SignalParameters:
    """A new version of the signal thresholds (the latest holds)."""
    require(actor, CHANGE, Norm)
    current = SignalParameters.objects.order_by("-at", "-id").first()
    fields = {name: getattr(current, name) for name in SIGNAL_PARAMETERS} if current else {}
    fields |= {k: v for k, v in values.items() if k in SIGNAL_PARAMETERS}
    params = SignalParameters(**fields, reason=_reason(reason), actor=display_name(actor))
    params.full_clean()
    params.save()
    return params


# -- checks ------------------------------------------------------------------------------------


@transaction.atomic
def record_check(actor: Any, location: Location, on: datetime.date | None = None) -> Check:
    """Check one location against the norms valid on ``on`` (default today) and keep the
    result as its latest check (a desk check)."""
    require(actor, CHANGE, Check(location=location))
    on = on or timezone.localdate()
    _not_in_future(on, "on")
    evaluations = check_location(location, on)
    return _keep_check(actor, location, on, CheckSource.DESK, evaluations)


def _keep_check(
    actor: Any, location: Location, on: datetime.date, source: str,
    evaluations: Sequence[Evaluation], inspection: Inspection | None = None,
) -> Check:  # fmt: skip
    check = Check.objects.create(
        location=location, on=on, source=source, inspection=inspection,
        norm_sets=sorted({e.norm_set for e in evaluations}), actor=display_name(actor),
    )  # fmt: skip
    Finding.objects.bulk_create(
        [scans.finding_of(check, e) for e in evaluations if e.status == "violation"]
    )
    return check


def latest_check(location: Location) -> Check | None:
    return location.checks.order_by("-on", "-at", "-id").first()


# -- signals -----------------------------------------------------------------------------------

ALLOWED = {
    SignalStatus.NEW: {SignalStatus.INVESTIGATING, SignalStatus.CLOSED},
    SignalStatus.INVESTIGATING: {SignalStatus.CLOSED},
    SignalStatus.CLOSED: {SignalStatus.INVESTIGATING},
}
"""The status flow: new -> under investigation -> closed with an outcome; a closed signal
may be reopened for investigation (with a note), never back to new."""


@transaction.atomic
def change_signal(
    actor: Any, signal: Signal, status: str, outcome: str = "", note: str = ""
) -> SignalChange:
    require(actor, CHANGE, signal)
    if status not in ALLOWED.get(signal.status, set()):
        raise ValidationError(
            {"status": _("Van '%(old)s' kan een signaal niet naar '%(new)s'.")
             % {"old": SignalStatus(signal.status).label,
                "new": SignalStatus(status).label if status in SignalStatus.values else status}}
        )  # fmt: skip
    if status == SignalStatus.CLOSED and outcome not in SignalOutcome.values:
        raise ValidationError({"outcome": _("Kies een uitkomst om het signaal af te sluiten.")})
    if status != SignalStatus.CLOSED:
        outcome = ""
    note = (note or "").strip()
    if signal.status == SignalStatus.CLOSED and not note:
        raise ValidationError({"note": _("Zeg waarom het signaal opnieuw wordt onderzocht.")})
    signal.status, signal.outcome = status, outcome
    signal.save(update_fields=["status", "outcome", "updated_at"])
    audit.record(
        actor, "change", "signaal", detail=f"signaal {signal.pk}: {status} {outcome}".strip(),
        municipality_codes=[signal.municipality.code],
    )  # fmt: skip
    return SignalChange.objects.create(
        signal=signal, status=status, outcome=outcome, note=note[:1000],
        user=account_of(actor), actor=display_name(actor),
    )  # fmt: skip


def audit_signal_view(actor: Any, signals: Iterable[Signal], detail: str) -> None:
    """Every view of person-level signals is logged, with the municipalities it showed."""
    shown = list(signals)
    if not shown:
        return
    audit.record(
        actor, "view", "signalen", detail=detail[:1000],
        municipality_codes={s.municipality.code for s in shown},
    )  # fmt: skip


# -- inspections and enforcement ---------------------------------------------------------------


@dataclass(frozen=True)
class NormResult:
    """What an inspector found for one norm: met (True), not met (False) or not looked at
    (None); ``measured`` and ``note`` explain a norm not met."""

    norm: Norm
    met: bool | None
    measured: Decimal | None = None
    note: str = ""


@transaction.atomic
def record_inspection(
    actor: Any,
    location: Location,
    *,
    on: datetime.date,
    outcome: str,
    results: Sequence[NormResult] = (),
    organisations: Iterable[Any] = (),
    other_partners: str = "",
    persons_present: int | None = None,
    next_inspection: datetime.date | None = None,
    notes: str = "",
    fictitious: bool = False,
) -> Inspection:
    """An inspection with its findings per norm; the findings become the location's latest
    check (source: inspection)."""
    # A note per norm is the inspector's own text: it stays with the inspection (seen by the
    # municipality only), never in a finding (which the province reads).
    norm_notes = [
        f"{r.norm.get_kind_display()}: {r.note.strip()}" for r in results if r.note.strip()
    ]
    notes = "\n".join(filter(None, [notes.strip(), *norm_notes]))
    inspection = Inspection(
        location=location, on=on, outcome=outcome, other_partners=other_partners,
        persons_present=persons_present, next_inspection=next_inspection, notes=notes,
        user=account_of(actor), actor=display_name(actor), fictitious=fictitious,
    )  # fmt: skip
    require(actor, CHANGE, inspection)
    _not_in_future(on, "on")
    if next_inspection and next_inspection <= on:
        raise ValidationError(
            {"next_inspection": _("De volgende inspectie ligt na deze inspectie.")}
        )
    inspection.full_clean()
    inspection.save()
    inspection.organisations.set(list(organisations))
    evaluations = [
        Evaluation(
            location.pk, r.norm.pk, r.norm.norm_set.name, r.norm.kind,
            "violation" if r.met is False else ("ok" if r.met else "unknown"),
            r.measured, r.norm.limit, r.norm.severity, r.norm.window_months,
            explanation=inspection_explanation(r),
        )
        for r in results
    ]  # fmt: skip
    _keep_check(actor, location, on, CheckSource.INSPECTION, evaluations, inspection)
    audit.record(
        actor, "change", "inspectie", detail=f"inspectie {inspection.pk} van {location.name}",
        municipality_codes=[location.municipality.code],
    )  # fmt: skip
    return inspection


def inspection_explanation(result: NormResult) -> str:
    norm = result.norm
    measured = "" if result.measured is None else f": gemeten {norms.dutch(result.measured)}"
    return f"{norm.get_kind_display()}{measured}, grens {norms.dutch(norm.limit)} (inspectie)"


@transaction.atomic
def save_enforcement_step(
    actor: Any, step: EnforcementStep | None = None, **values: Any
) -> EnforcementStep:
    """Create or change an enforcement step (kind, dates, note, completion)."""
    step = step or EnforcementStep()
    if step.pk:
        require(actor, CHANGE, step)
    for name, value in values.items():
        setattr(step, name, value)
    step.actor = display_name(actor)
    require(actor, CHANGE, step)
    if step.inspection_id and step.inspection.location_id != step.location_id:
        raise ValidationError({"inspection": _("Deze inspectie hoort bij een andere locatie.")})
    step.full_clean()
    step.save()
    audit.record(
        actor, "change", "handhaving",
        detail=f"{step.get_kind_display()} {step.location.name}",
        municipality_codes=[step.location.municipality.code],
    )  # fmt: skip
    return step


def may_start_scan(actor: Any) -> bool:
    return may(actor, VIEW, ScanRun)
