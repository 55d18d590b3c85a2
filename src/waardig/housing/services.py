"""Writes to the housing register: each function is one use case in one transaction.

Every function checks core.access for the object it writes (also when the municipality
changes: the officer must be allowed the new one too), validates with the model's rules and
records history where the model keeps it. Pages, API, imports and the demo all come here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.areas.models import Municipality
from waardig.core import audit
from waardig.core.access import CHANGE, account_of, allows, display_name, require
from waardig.housing import rules
from waardig.housing.models import (
    GuestStay,
    HeadCount,
    HousingNeed,
    Location,
    LocationStatus,
    LocationStatusChange,
    NeedMethod,
    Parameters,
    PolicyChange,
    PolicyEntry,
    Project,
    ProjectStatusChange,
    WoondealAgreement,
)
from waardig.monitor.models import ObservationStatus

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
GUEST_STAYS = "housing.gueststay"
"""The audit subject of every view, download and change of guest stays."""

LOCATION_FIELDS = tuple(
    f.name
    for f in Location._meta.concrete_fields
    if f.editable and f.name not in {"id", "import_job"}
)
PROJECT_FIELDS = (
    "name", "municipality", "capacity", "stay_class", "housing_form", "status",
    "expected_year", "temporary_until", "location", "notes", "fictitious",
)  # fmt: skip
AGREEMENT_FIELDS = ("agreed_capacity", "source", "notes", "fictitious")
NEED_FIELDS = ("persons", "method", "parameters", "status", "source", "publication", "retrieved_on")
POLICY_FIELDS = ("status", "decided_on", "document_url", "contact", "notes")


def _apply(obj: Any, values: dict[str, Any], names: Iterable[str]) -> bool:
    """Set the given values; True when any of them differs from what the object held."""
    unknown = set(values) - set(names)
    if unknown:
        raise TypeError(f"unknown fields for {type(obj).__name__}: {sorted(unknown)}")
    changed = False
    for name, value in values.items():
        try:
            same = getattr(obj, name) == value
        except ObjectDoesNotExist:  # a relation not set yet on a new object
            same = False
        if not same:
            setattr(obj, name, value)
            changed = True
    return changed


def _upsert(
    actor: Any, model: type, key: dict[str, Any], values: dict[str, Any], fields: Iterable[str],
    job: Any = None,
) -> tuple[Any, str]:  # fmt: skip
    """Create or bring up to date the object with this natural key: access-checked before
    anything is told, validated, and left alone when nothing differs."""
    obj = model.objects.filter(**key).first()
    outcome = UPDATED if obj else CREATED
    obj = obj or model(**key)
    require(actor, CHANGE, obj)
    if not _apply(obj, values, fields) and outcome == UPDATED:
        return obj, UNCHANGED
    obj.full_clean()
    if job is not None:
        obj.import_job = job
    obj.save()
    return obj, outcome


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Deze datum ligt in de toekomst.")})


# -- locations --------------------------------------------------------------------------------


@transaction.atomic
def save_location(
    actor: Any,
    location: Location | None = None,
    *,
    employers: Sequence[Any] | None = None,
    status: str = LocationStatus.PLANNED,
    status_on: datetime.date | None = None,
    job: Any = None,
    **values: Any,
) -> tuple[Location, str]:
    """Create a location (with its first status, default planned, since ``status_on``,
    default today) or change its facts.

    The status of an existing location changes only through ``change_location_status``.
    """
    creating = location is None
    location = location or Location()
    if not creating:
        require(actor, CHANGE, location)  # the municipality it had
    changed = _apply(location, values, LOCATION_FIELDS)
    require(actor, CHANGE, location)  # the municipality it gets
    new_employers = None if employers is None else {e.pk for e in employers}
    if new_employers is not None and not creating:
        changed |= new_employers != set(location.employers.values_list("pk", flat=True))
    if not changed and not creating:
        return location, UNCHANGED
    location.full_clean()
    if job is not None:
        location.import_job = job
    if creating:
        if status not in LocationStatus.values:
            raise ValidationError({"status": _("Onbekende status.")})
        location.status = status
    location.save()
    if new_employers is not None:
        location.employers.set(new_employers)
    if creating:
        LocationStatusChange.objects.create(
            location=location,
            status=status,
            on=status_on or timezone.localdate(),
            note=_("Locatie vastgelegd."),
            actor=display_name(actor),
        )
    return location, CREATED if creating else UPDATED


@transaction.atomic
def change_location_status(
    actor: Any, location: Location, status: str, on: datetime.date, note: str = ""
) -> LocationStatusChange:
    """Append a status change. ``on`` (since when it holds) may lie in the past, but not
    before the latest change: the history is read by date (the gap asks which status held on
    a day), so the newest entry by date is always the location's status now."""
    require(actor, CHANGE, location)
    if status not in LocationStatus.values:
        raise ValidationError({"status": _("Onbekende status.")})
    _not_in_future(on, "on")
    latest = location.status_changes.order_by("-on", "-id").first()
    if latest and on < latest.on:
        raise ValidationError(
            {"on": _("De vorige status geldt sinds %(day)s: een nieuwe status begint niet eerder.")
             % {"day": latest.on.strftime("%d-%m-%Y")}}
        )  # fmt: skip
    change = LocationStatusChange.objects.create(
        location=location, status=status, on=on, note=note, actor=display_name(actor)
    )
    Location.objects.filter(pk=location.pk).update(status=status)
    location.status = status
    return change


@transaction.atomic
def record_head_count(
    actor: Any, location: Location, counted_on: datetime.date, persons: int, source: str = ""
) -> tuple[HeadCount, str]:
    """Record (or correct) the number of residents counted on a day."""
    require(actor, CHANGE, location)
    _not_in_future(counted_on, "counted_on")
    count = HeadCount.objects.filter(location=location, counted_on=counted_on).first()
    if count and count.persons == persons and count.source == source:
        return count, UNCHANGED
    outcome = UPDATED if count else CREATED
    count = count or HeadCount(location=location, counted_on=counted_on)
    count.persons, count.source, count.actor = persons, source, display_name(actor)
    count.full_clean()
    count.save()
    return count, outcome


def may_keep_guest_register(actor: Any, location: Location) -> bool:
    return allows(actor, CHANGE, GuestStay(location=location))


@transaction.atomic
def record_guest_stays(
    actor: Any,
    location: Location,
    stays: Iterable[tuple[str, datetime.date, datetime.date | None]],
    job: Any = None,
) -> dict[str, int]:
    """Store stays (pseudonym, arrival, departure) of a location's guest register.

    A stay is known by its location, pseudonym and arrival: importing the same register
    again changes nothing, a later register may add or correct the departure (an empty one
    never erases it). Takes pseudonyms only
    (housing.pseudonyms), never a clear identifier. Writes one audit entry.
    """
    if not may_keep_guest_register(actor, location):
        raise PermissionDenied(_("U mag het nachtregister van deze locatie niet bijhouden."))
    stays = list(stays)
    known = {
        (s.pseudonym, s.arrival): s
        for s in GuestStay.objects.filter(
            location=location, pseudonym__in={p for p, _a, _d in stays}
        )
    }
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    new = []
    for pseudonym, arrival, departure in stays:
        if len(pseudonym) != 64:
            raise ValueError("record_guest_stays takes pseudonyms, not identifiers")
        if departure is not None and departure < arrival:
            raise ValidationError(_("Vertrek ligt voor aankomst."))
        stay = known.get((pseudonym, arrival))
        if stay is None:
            new.append(GuestStay(location=location, pseudonym=pseudonym, arrival=arrival,
                                 departure=departure, import_job=job))  # fmt: skip
            counts[CREATED] += 1
        elif departure is not None and stay.departure != departure:  # never erased
            stay.departure = departure
            stay.save(update_fields=["departure"])
            counts[UPDATED] += 1
        else:
            counts[UNCHANGED] += 1
    GuestStay.objects.bulk_create(new, batch_size=1000)
    if counts[CREATED] or counts[UPDATED]:
        audit.record(
            actor,
            "change",
            GUEST_STAYS,
            detail=f"{location.name}: {counts[CREATED]} nieuw, {counts[UPDATED]} gewijzigd",
            municipality_codes=[location.municipality.code],
        )
    return counts


# -- projects and Woondeal --------------------------------------------------------------------


@transaction.atomic
def save_project(
    actor: Any, project: Project | None = None, *, note: str = "", job: Any = None, **values: Any
) -> tuple[Project, str]:
    """Create or change a planned project; a status change is appended to its history."""
    creating = project is None
    project = project or Project()
    if not creating:
        require(actor, CHANGE, project)
    previous_status = None if creating else project.status
    if not _apply(project, values, PROJECT_FIELDS) and not creating:
        return project, UNCHANGED
    require(actor, CHANGE, project)
    project.full_clean()
    if job is not None:
        project.import_job = job
    project.save()
    if project.status != previous_status:
        ProjectStatusChange.objects.create(
            project=project, status=project.status, actor=display_name(actor), note=note
        )
    return project, CREATED if creating else UPDATED


@transaction.atomic
def save_agreement(
    actor: Any, municipality: Municipality, year: int, **values: Any
) -> tuple[WoondealAgreement, str]:
    """Record what a municipality agreed in the Woondeal for a year (upsert by the two)."""
    key = {"municipality": municipality, "year": year}
    return _upsert(actor, WoondealAgreement, key, values, AGREEMENT_FIELDS)


# -- need and parameters ----------------------------------------------------------------------


@transaction.atomic
def save_need(
    actor: Any, municipality: Municipality, year: int, stay_class: str, job: Any = None,
    **values: Any,
) -> tuple[HousingNeed, str]:  # fmt: skip
    """Record the housing need of a municipality, year and stay class with its provenance."""
    key = {"municipality": municipality, "year": year, "stay_class": stay_class}
    return _upsert(actor, HousingNeed, key, values, NEED_FIELDS, job)


def derived_status(statuses: Iterable[str]) -> str:
    """A need derived from figures is an estimate, or fictitious when any figure was."""
    return (
        ObservationStatus.FICTITIOUS
        if ObservationStatus.FICTITIOUS in set(statuses)
        else ObservationStatus.ESTIMATE
    )


@transaction.atomic
def derive_need(
    actor: Any,
    year: int,
    figures: dict[Municipality, tuple[Decimal, str, str]],
    params: rules.NeedParameters,
    indicator_code: str,
) -> dict[str, int]:
    """Store the need derived from a monitor figure per municipality: ``figures`` maps a
    municipality to (value, status, source) of its figure for ``year``.

    The parameters and the figure used are kept with each value (provenance); research
    figures already present are left alone: a derivation never overwrites research.
    """
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, "kept": 0}
    research = set(
        HousingNeed.objects.filter(year=year, method=NeedMethod.RESEARCH).values_list(
            "municipality_id", "stay_class"
        )
    )
    for municipality, (value, status, source) in figures.items():
        parameters = {**params.as_json(), "indicator": indicator_code, "figure": str(value)}
        for stay_class, persons in rules.derive_need(value, params).items():
            if (municipality.pk, stay_class) in research:
                counts["kept"] += 1
                continue
            _need, outcome = save_need(
                actor,
                municipality,
                year,
                stay_class,
                persons=persons,
                method=NeedMethod.DERIVED,
                parameters=parameters,
                status=derived_status([status]),
                source=_("Afgeleid uit %(indicator)s (%(source)s)")
                % {"indicator": indicator_code, "source": source or _("bron onbekend")},
                publication="",
                retrieved_on=None,
            )
            counts[outcome] += 1
    return counts


@transaction.atomic
def set_parameters(
    actor: Any, *, short_max_months: int, mid_max_months: int, weights: dict[str, Decimal],
    reason: str,
) -> Parameters:  # fmt: skip
    """Append a new set of parameters (the newest applies); the rules check them first."""
    require(actor, CHANGE, Parameters())
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van de wijziging.")})
    try:
        rules.Parameters(short_max_months, mid_max_months, weights)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return Parameters.objects.create(
        short_stay_max_months=short_max_months,
        mid_stay_max_months=mid_max_months,
        project_weights={k: str(v) for k, v in weights.items()},
        reason=reason.strip(),
        actor=display_name(actor),
    )


def current_parameters() -> rules.Parameters:
    latest = Parameters.objects.first()
    return latest.as_rules() if latest else rules.DEFAULT_PARAMETERS


# -- policy inventory -------------------------------------------------------------------------


@transaction.atomic
def set_policy(
    actor: Any, municipality: Municipality, instrument: str, **values: Any
) -> tuple[PolicyEntry, str]:
    """Set one cell of the policy matrix; every change is appended to its history."""
    key = {"municipality": municipality, "instrument": instrument}
    previous = PolicyEntry.objects.filter(**key).values_list("status", flat=True).first() or ""
    entry, outcome = _upsert(actor, PolicyEntry, key, values, POLICY_FIELDS)
    if outcome == UNCHANGED:
        return entry, outcome
    PolicyChange.objects.create(
        entry=entry,
        status=entry.status,
        previous_status=previous,
        decided_on=entry.decided_on,
        document_url=entry.document_url,
        contact=entry.contact,
        notes=entry.notes,
        user=account_of(actor),
        actor=display_name(actor),
    )
    return entry, outcome
