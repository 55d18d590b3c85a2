"""Feeding the engine from the app database, and the check of one location.

The engine sees exactly what a check needs: the locations in use on the day, their head
counts and guest stays, the registration extracts and the norms valid that day. Loading a
scan's extracts from files instead (``files``) replaces the same table."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from waardig.compliance import norms
from waardig.compliance.engine import Engine, Evaluation, Progress, SignalSettings
from waardig.compliance.models import BagAddress, Registration, SignalParameters
from waardig.housing.gap import in_use_on
from waardig.housing.models import Certification, GuestStay, HeadCount, HousingForm, Location

BATCH = 5000


def _location_row(loc: dict[str, Any]) -> tuple:
    return (
        loc["id"], loc["name"], loc["municipality__code"], loc["bag_id"], loc["housing_form"],
        loc["stay_class"], loc["certification"] or Certification.NONE,
        loc["certificate_valid_until"], loc["capacity"], loc["bedrooms"], loc["bedroom_area"],
        loc["living_area"], loc["toilets"], loc["showers"], loc["separate_contract"],
        loc["transition_days"],
    )  # fmt: skip


LOCATION_VALUES = (
    "id", "name", "municipality__code", "bag_id", "housing_form", "stay_class", "certification",
    "certificate_valid_until", "capacity", "bedrooms", "bedroom_area", "living_area", "toilets",
    "showers", "separate_contract", "transition_days",
)  # fmt: skip


def signal_settings() -> SignalSettings:
    latest = SignalParameters.objects.order_by("-at", "-id").first()
    if latest is None:
        return SignalSettings()
    return SignalSettings(
        floor_area_per_person=latest.floor_area_per_person,
        rni_max_months=latest.rni_max_months,
        rni_window_months=latest.rni_window_months,
        registration_rate_min=latest.registration_rate_min,
        min_guests=latest.min_guests,
        unrelated_households=latest.unrelated_households,
    )


def _ids(values: Iterable[int]) -> list[int]:
    return sorted(set(values))


def prepare(
    on: datetime.date,
    locations: QuerySet | None = None,
    files: dict[str, Path] | None = None,
    progress: Progress | None = None,
    *,
    registrations: bool = True,
) -> Engine:
    """An engine loaded for ``on``: ``locations`` (default: every location in use that day)
    with their occupancy, every register address, the extracts (from ``files`` where given,
    else the app database; none when ``registrations`` is False) and the norms."""
    files = files or {}
    engine = Engine(on, progress)
    try:
        chosen = in_use_on(on) if locations is None else locations
        rows = [_location_row(v) for v in chosen.values(*LOCATION_VALUES).order_by("id")]
        engine.load_rows("locations", rows)
        ids = [row[0] for row in rows]
        engine.load_rows(
            "register_addresses",
            ((a,) for a in Location.objects.exclude(bag_id="").values_list("bag_id", flat=True)),
        )
        engine.progress("locaties", 10)
        engine.load_rows(
            "head_counts",
            HeadCount.objects.filter(location_id__in=ids, counted_on__lte=on)
            .values_list("location_id", "counted_on", "persons")
            .iterator(chunk_size=BATCH)
            if len(ids) < 1000
            else HeadCount.objects.filter(counted_on__lte=on)
            .values_list("location_id", "counted_on", "persons")
            .iterator(chunk_size=BATCH),
        )
        if "guests" in files:
            engine.load_file("guests", files["guests"])
        else:
            stays = GuestStay.objects.filter(arrival__lte=on)
            if len(ids) < 1000:
                stays = stays.filter(location_id__in=ids)
            engine.load_rows(
                "guests",
                stays.values_list("location_id", "pseudonym", "arrival", "departure").iterator(
                    chunk_size=BATCH
                ),
            )
        engine.progress("gastenregisters", 25)
        if registrations:
            _load_extracts(engine, on, files)
        engine.progress("inschrijvingen", 45)
        forms = list(HousingForm.values)
        certifications = [*Certification.values]
        engine.load_norms(norms.applicable(on, forms, certifications))
        engine.build_facts()
        engine.progress("feiten", 55)
    except BaseException:
        engine.close()
        raise
    return engine


def _load_extracts(engine: Engine, on: datetime.date, files: dict[str, Path]) -> None:
    if "registrations" in files:
        engine.load_file("registrations", files["registrations"])
    else:
        engine.load_rows(
            "registrations",
            Registration.objects.filter(start__lte=on)
            .values_list(
                "pseudonym",
                "address_id",
                "municipality__code",
                "register",
                "start",
                "end",
                "household",
            )
            .iterator(chunk_size=BATCH),
        )
    if "bag" in files:
        engine.load_file("bag", files["bag"])
    else:
        engine.load_rows(
            "bag",
            BagAddress.objects.values_list(
                "address_id", "municipality__code", "postcode", "house_number",
                "house_number_addition", "floor_area",
            ).iterator(chunk_size=BATCH),
        )  # fmt: skip


def check_location(location: Location, on: datetime.date) -> list[Evaluation]:
    """Every norm valid on ``on`` for this one location, met or not, with the same engine
    a scan uses. The location is checked whatever its status."""
    with prepare(on, Location.objects.filter(pk=location.pk), registrations=False) as engine:
        return engine.evaluate(everything=True)
