"""Writes to the monitor: each function is one use case in one transaction, access-checked.

Observations are aggregate figures, not personal data: no audit entry per value (an import
is recorded by its import job).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from waardig.core.access import CHANGE, require
from waardig.monitor.models import AREA_FIELDS, Indicator, Observation

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

INDICATOR_FIELDS = (
    "name",
    "unit",
    "definition",
    "source",
    "aggregation",
    "numerator",
    "denominator",
    "weight",
    "scale",
    "by_stay_class",
    "order",
)
OBSERVATION_VALUES = ("value", "status", "source", "publication", "retrieved_on")
"""What a new figure for an existing key may change; the import job only follows a change."""


def _apply(obj: Any, values: dict[str, Any], names: tuple[str, ...]) -> bool:
    """Set the given values; True when any of them differs from what the object held."""
    changed = False
    for name in names:
        if name in values and getattr(obj, name) != values[name]:
            setattr(obj, name, values[name])
            changed = True
    return changed


@transaction.atomic
def save_indicator(actor: Any, code: str, **values: Any) -> tuple[Indicator, str]:
    """Create the indicator with this code or bring it up to date (the catalogue loader)."""
    unknown = set(values) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    indicator = Indicator.objects.filter(code=code).first()
    outcome = UPDATED if indicator else CREATED
    indicator = indicator or Indicator(code=code)
    require(actor, CHANGE, indicator)  # before anything is told, as for observations
    if not _apply(indicator, values, INDICATOR_FIELDS) and outcome == UPDATED:
        return indicator, UNCHANGED
    indicator.full_clean()
    indicator.save()
    return indicator, outcome


@transaction.atomic
def save_observation(actor: Any, **fields: Any) -> tuple[Observation, str]:
    """Record one figure under its natural key (indicator, area, period, stay class).

    Returns the observation and whether it was created, updated or left unchanged, so an
    import can report all three and a second run of the same file changes nothing.
    ``fields`` are the model's fields; the period's kind, year and start follow from its
    text. Values are compared as numbers: 12.5 and 12.5000 are the same figure. Fields left
    out keep their stored value on an update.
    """
    unknown = set(fields) - {n for f in Observation._meta.fields for n in (f.name, f.attname)}
    if unknown:
        raise TypeError(f"unknown observation fields: {sorted(unknown)}")
    candidate = Observation(**fields)
    require(actor, CHANGE, candidate)
    # Validated as given (period normalised, text converted); the key is looked up next.
    candidate.full_clean(validate_constraints=False)
    existing = _find(candidate)
    if existing is None:
        candidate.save()
        return candidate, CREATED
    require(actor, CHANGE, existing)
    given = {name: getattr(candidate, name) for name in OBSERVATION_VALUES if name in fields}
    if not _apply(existing, given, OBSERVATION_VALUES):
        return existing, UNCHANGED
    if "import_job" in fields:
        existing.import_job = candidate.import_job
    existing.save()
    return existing, UPDATED


def _find(candidate: Observation) -> Observation | None:
    area = next(name for name in AREA_FIELDS if getattr(candidate, f"{name}_id") is not None)
    return (
        Observation.objects.select_for_update()
        .filter(
            indicator_id=candidate.indicator_id,
            period=candidate.period,
            stay_class=candidate.stay_class,
            **{f"{area}_id": getattr(candidate, f"{area}_id")},
        )
        .first()
    )
