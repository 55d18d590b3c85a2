"""The register's capacity as a monitor figure: the indicator "housing-capacity" (beds for
labour migrants in known locations) is filled from here, per municipality and year.

The figure counts the same locations as the gap's existing capacity (gap.existing_on the
year's reference date), so the monitor and the gap never disagree. A municipality without
locations in the register gets no figure (unknown is not zero), unless an earlier publication
gave it one: that figure is brought back to 0, so it does not linger after a closure.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum

from waardig.areas.models import Municipality
from waardig.housing.gap import existing_on, reference_date
from waardig.monitor import services as monitor_services
from waardig.monitor.models import Indicator, Observation, ObservationStatus

INDICATOR = "housing-capacity"
SOURCE = "Waardig, huisvestingsregister"  # data, not UI text: found again by it


@transaction.atomic
def publish_capacity(actor: Any, year: int) -> Counter[str]:
    """Write the capacity in use on the reference date of ``year`` per municipality; returns
    how many figures were created, updated or left unchanged. Checks the actor may keep
    monitor figures (through the monitor's service)."""
    indicator = Indicator.objects.get(code=INDICATOR)
    rows = (
        existing_on(reference_date(year))
        .values("municipality_id")
        .annotate(beds=Sum("capacity"), fictitious=Count("pk", filter=Q(fictitious=True)))
        .order_by()
    )
    capacity = {row["municipality_id"]: row for row in rows}
    earlier = Observation.objects.filter(
        indicator=indicator, period=str(year), source=SOURCE, municipality__isnull=False
    ).values_list("municipality_id", flat=True)
    outcomes: Counter[str] = Counter()
    for municipality in Municipality.objects.filter(pk__in={*capacity, *earlier}):
        row = capacity.get(municipality.pk, {"beds": 0, "fictitious": 0})
        _observation, outcome = monitor_services.save_observation(
            actor,
            indicator=indicator,
            municipality=municipality,
            period=str(year),
            value=Decimal(row["beds"]),
            status=ObservationStatus.FICTITIOUS
            if row["fictitious"]
            else ObservationStatus.DEFINITIVE,
            source=SOURCE,
        )
        outcomes[outcome] += 1
    return outcomes
