"""Demo housing data for `waardig demo`: fictitious locations, occupancy, projects and Woondeal
agreements, housing need derived from the monitor's fictitious figures, and the short-stay
policy inventory as far as the province's own documents state it.

What is invented (``data/demo_housing.json`` and the generators below) carries
``fictitious=True`` and "(fictief)" in its name: locations with their counts and guest
registers, projects, Woondeal agreements. Streets are invented; postcodes and coordinates only
point at the right town. The need is derived from the monitor's municipal figures, which are
fictitious themselves, so ``services.derive_need`` stores it with status "fictitious".

Housing need: from "labour-migrants-living" in the latest year with municipal figures (the
monitor demo has 2017-2024, so 2024), with ``NEED_PARAMETERS``: 60 % of the labour migrants
living in a municipality need housing arranged for labour migrants, split short 40 % / mid
30 % / long 30 %, long-stayers with a household of 1.4 persons, one person per unit. These
are demo assumptions, stored with every value. One municipality, Vaals (``WITHOUT_NEED``), is
left without need on purpose: it has a (fictitious) location, so the gap page shows its
capacity with the need and the shortage "onbekend" instead of zero, and its region's total
unknown with it. Research figures, if someone imported them, are never overwritten.

Policy inventory (instrument short-stay policy) from the Stuurgroep's action list with the
state of affairs of the progress session of 18 January 2023 and the Taskforce minutes of
12 April 2023. Noord: four of eight municipalities have a policy and a fifth is preparing one;
the five named are Venlo, Venray, Horst aan de Maas, Gennep and Peel en Maas, without saying
which one is still preparing: the demo assumes Gennep (the smallest of the five) and says so
in the entry's notes. Midden: four of seven have a policy or are working on it (Nederweert,
Weert, Leudal, Roerdalen) without telling which: all four are recorded "in preparation", the
cautious reading, with a note. Zuid: Sittard-Geleen's policy plan was to go to the council in
July 2023 (minutes), so "in preparation" as of then. Every other municipality is "unknown".
The action list also says Noord registers labour migrants on the spot at large employers
without naming municipalities: recorded as "unknown" with that note for Noord's eight
municipalities, not as adopted. The other instruments stay empty (unknown).

Dates are fixed (``DEMO_DAY``), and random draws are seeded by name: a second load writes
nothing. Every write goes through ``housing.services`` as ``SYSTEM``.
"""

from __future__ import annotations

import datetime
import json
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib.resources import files
from typing import Any

from django.db import transaction

from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.housing import rules, services
from waardig.housing.capacity import INDICATOR as CAPACITY_INDICATOR
from waardig.housing.capacity import publish_capacity
from waardig.housing.models import Location, LocationStatus, Project
from waardig.housing.pseudonyms import pseudonym
from waardig.monitor import periods
from waardig.monitor.demo import LIVING
from waardig.monitor.models import Indicator, Observation

DATA = files("waardig.housing") / "data"
FILE = "demo_housing.json"

DEMO_DAY = datetime.date(2026, 10, 1)
"""The demo's 'today': the last head count and the end of the guest registers."""
COUNT_DAYS = tuple(datetime.date(y, m, 1) for y, m in ((2024, 10), (2025, 4), (2025, 10),
                                                       (2026, 4), (2026, 10)))  # fmt: skip
"""Head counts twice a year over the two years up to ``DEMO_DAY``."""
REGISTER_START = datetime.date(2025, 1, 1)
"""Guest registers cover the stays from here to ``DEMO_DAY`` (2025-2026)."""
REGISTER_BEDS = Decimal("0.9")
"""The share of a register location's capacity the simulated guests fill."""
RETURNING = 0.15
"""The chance that a stay is a returning guest (possibly at the other location)."""
COUNT_SOURCE = "Fictieve telling (demo)"

NEED_PARAMETERS = rules.NeedParameters(
    share_needing_housing=Decimal("0.6"),
    class_shares={
        rules.SHORT: Decimal("0.4"),
        rules.MID: Decimal("0.3"),
        rules.LONG: Decimal("0.3"),
    },
    persons_per_unit=Decimal(1),
    household_size=Decimal("1.4"),
)
WITHOUT_NEED = "GM0981"  # Vaals: see the module docstring

DATE_FIELDS = frozenset({
    "temporary_building_until", "temporary_permit_until", "certificate_valid_until",
    "last_audit", "landlord_licence_until", "operating_licence_until", "temporary_until",
})  # fmt: skip
DECIMAL_FIELDS = frozenset({"latitude", "longitude", "living_area"})


@transaction.atomic
def load_housing() -> Counter[str]:
    """Load the demo; returns how many writes created, updated or left things unchanged.

    Needs the reference areas and, for the need, the monitor's demo figures.
    """
    data = read_data()
    outcomes: Counter[str] = Counter()
    locations = load_locations(data["locations"], outcomes)
    load_occupancy(data["locations"], locations, outcomes)
    load_projects(data["projects"], locations, outcomes)
    load_agreements(data["agreements"], outcomes)
    need_year = load_need(data["province"], outcomes)
    load_policy(data["province"], data["policy"], outcomes)
    if need_year and Indicator.objects.filter(code=CAPACITY_INDICATOR).exists():
        # The monitor's capacity figure for the year of the need (fictitious, as the
        # locations are), so the monitor and the gap tell the same story.
        outcomes.update(publish_capacity(SYSTEM, need_year))
    return outcomes


def read_data() -> dict[str, Any]:
    return json.loads((DATA / FILE).read_text(encoding="utf-8"))


def _values(entry: Mapping[str, Any], skip: Iterable[str]) -> dict[str, Any]:
    """A data-file entry as model values: dates and decimals parsed, extra keys left out."""
    values = {}
    for name, value in entry.items():
        if name in skip:
            continue
        if name in DATE_FIELDS:
            value = datetime.date.fromisoformat(value)
        elif name in DECIMAL_FIELDS:
            value = Decimal(value)
        values[name] = value
    return values


def _places(codes: Iterable[str]) -> dict[str, Municipality]:
    places = Municipality.objects.in_bulk(set(codes), field_name="code")
    missing = set(codes) - set(places)
    if missing:
        raise LookupError(f"municipalities not loaded: {sorted(missing)} (run `waardig setup`)")
    return places


# -- locations and occupancy ------------------------------------------------------------------


def load_locations(entries: list[dict[str, Any]], outcomes: Counter[str]) -> dict[str, Location]:
    """Each location with its status history; found again by its address and name."""
    places = _places(e["municipality"] for e in entries)
    found = {}
    for entry in entries:
        values = _values(
            entry, skip={"municipality", "history", "guest_register", "overfull_on_demo_day"}
        )
        values.setdefault("house_number_addition", "")
        values.update(municipality=places[entry["municipality"]], fictitious=True)
        history = [_step(step) for step in entry["history"]]
        location = Location.objects.filter(
            postcode=values["postcode"],
            house_number=values["house_number"],
            house_number_addition=values["house_number_addition"],
            name=values["name"],
        ).first()
        if location is None:
            status, on, _note = history[0]
            location, outcome = services.save_location(
                SYSTEM, status=status, status_on=on, **values
            )
        else:
            location, outcome = services.save_location(SYSTEM, location, **values)
        outcomes[outcome] += 1
        recorded = set(location.status_changes.values_list("status", "on"))
        for status, on, note in history[1:]:
            if (status, on) not in recorded:
                services.change_location_status(SYSTEM, location, status, on, note)
                outcomes[services.CREATED] += 1
        found[location.name] = location
    return found


def _step(step: list[str]) -> tuple[str, datetime.date, str]:
    status, on, *note = step
    return status, datetime.date.fromisoformat(on), note[0] if note else ""


def status_on(history: list[list[str]], day: datetime.date) -> str | None:
    """The status a location had on a day according to its history (None before it)."""
    current = None
    for status, on, _note in sorted(map(_step, history), key=lambda step: step[1]):
        if on <= day:
            current = status
    return current


def load_occupancy(
    entries: list[dict[str, Any]], locations: Mapping[str, Location], outcomes: Counter[str]
) -> None:
    """Guest registers for the locations that keep one, head counts for every location on the
    count days it was in use (from the register where there is one, so the two agree)."""
    registers = {
        entry["name"]: simulated_stays(entry["name"], entry["capacity"])
        for entry in entries
        if entry.get("guest_register")
    }
    for name, stays in identified(registers).items():
        counts = services.record_guest_stays(
            SYSTEM,
            locations[name],
            [
                (pseudonym(identifier), arrival, departure)
                for identifier, arrival, departure in stays
            ],
        )
        outcomes.update(counts)
    for entry in entries:
        location = locations[entry["name"]]
        stays = [rules.Stay(a, d) for a, d in registers.get(entry["name"], ())]
        for day in COUNT_DAYS:
            if status_on(entry["history"], day) != LocationStatus.IN_USE:
                continue
            if stays and day >= REGISTER_START:
                persons = rules.present_on(stays, day)
            elif day == DEMO_DAY and entry.get("overfull_on_demo_day"):
                # A location counted above its capacity: supervision's signal e.
                persons = entry["capacity"] + entry["overfull_on_demo_day"]
            else:
                share = _draw(entry["name"], "count", day).uniform(0.55, 1.0)
                persons = round(entry["capacity"] * share)
            _count, outcome = services.record_head_count(
                SYSTEM, location, day, persons, source=COUNT_SOURCE
            )
            outcomes[outcome] += 1


def stay_days(draw: random.Random) -> int:
    """Mostly short stays of weeks up to four months, some up to ten, a few long ones."""
    kind = draw.random()
    if kind < 0.7:
        return draw.randint(14, 120)
    if kind < 0.9:
        return draw.randint(121, 300)
    return draw.randint(301, 540)


def simulated_stays(name: str, capacity: int) -> list[tuple[datetime.date, datetime.date | None]]:
    """Stays bed by bed: each bed's first guest arrived before the register starts, then guest
    follows guest after a few empty days; whoever is there on ``DEMO_DAY`` is still present."""
    beds = int(capacity * REGISTER_BEDS)
    stays = []
    for bed in range(beds):
        draw = _draw(name, "bed", bed)
        arrival = REGISTER_START - datetime.timedelta(days=draw.randint(1, 120))
        while arrival <= DEMO_DAY:
            departure = arrival + datetime.timedelta(days=stay_days(draw))
            if departure > DEMO_DAY:
                stays.append((arrival, None))
                break
            if departure >= REGISTER_START:
                stays.append((arrival, departure))
            arrival = departure + datetime.timedelta(days=draw.randint(1, 21))
    return stays


def identified(
    registers: Mapping[str, list[tuple[datetime.date, datetime.date | None]]],
) -> dict[str, list[tuple[str, datetime.date, datetime.date | None]]]:
    """Give each stay a person identifier ("DEMO-000123"), in order of arrival over all
    registers: sometimes a guest who left at least two weeks earlier comes back, here or at
    the other location, so one person can have several stays that never overlap."""
    ordered = sorted(
        (arrival, name, departure or datetime.date.max)
        for name, stays in registers.items()
        for arrival, departure in stays
    )
    draw = _draw("guest identities")
    left: dict[str, datetime.date] = {}  # identifier -> day of departure, for those gone
    result: dict[str, list[tuple[str, datetime.date, datetime.date | None]]] = {
        name: [] for name in registers
    }
    number = 0
    for arrival, name, departure in ordered:
        free = sorted(i for i, gone in left.items() if gone + datetime.timedelta(14) <= arrival)
        if free and draw.random() < RETURNING:
            identifier = draw.choice(free)
            del left[identifier]
        else:
            number += 1
            identifier = f"DEMO-{number:06d}"
        if departure != datetime.date.max:
            left[identifier] = departure
        result[name].append(
            (identifier, arrival, None if departure == datetime.date.max else departure)
        )
    return result


# -- projects and Woondeal --------------------------------------------------------------------


def load_projects(
    entries: list[dict[str, Any]], locations: Mapping[str, Location], outcomes: Counter[str]
) -> None:
    places = _places(e["municipality"] for e in entries)
    for entry in entries:
        values = _values(entry, skip={"municipality", "location"})
        municipality = places[entry["municipality"]]
        values.update(
            municipality=municipality,
            location=locations[entry["location"]] if entry.get("location") else None,
            fictitious=True,
        )
        project = Project.objects.filter(municipality=municipality, name=entry["name"]).first()
        _project, outcome = services.save_project(SYSTEM, project, **values)
        outcomes[outcome] += 1


def load_agreements(data: Mapping[str, Any], outcomes: Counter[str]) -> None:
    places = _places(data["capacity"])
    for code, by_year in data["capacity"].items():
        for year, capacity in by_year.items():
            _agreement, outcome = services.save_agreement(
                SYSTEM,
                places[code],
                int(year),
                agreed_capacity=capacity,
                source=data["source"],
                notes=data["notes"],
                fictitious=True,
            )
            outcomes[outcome] += 1


# -- need -------------------------------------------------------------------------------------


def need_figures(
    province_code: str,
) -> tuple[int | None, dict[Municipality, tuple[Decimal, str, str]]]:
    """The monitor's municipal figures of labour migrants living in the province in its latest
    year with such figures, as ``services.derive_need`` takes them (Vaals left out)."""
    observations = Observation.objects.filter(
        indicator__code=LIVING,
        municipality__province__code=province_code,
        period_kind=periods.YEAR,
        stay_class="",
    ).exclude(municipality__code=WITHOUT_NEED)
    year = max(observations.values_list("year", flat=True), default=None)
    figures = {
        observation.municipality: (
            _plain(observation.value),
            observation.status,
            observation.source,
        )
        for observation in observations.filter(year=year).select_related("municipality")
    }
    return year, figures


def _plain(value: Decimal) -> Decimal:
    """1234.0000 -> 1234, so the figure kept with the need reads as it was counted."""
    whole = value.to_integral_value()
    return whole.quantize(Decimal(1)) if value == whole else value.normalize()


def load_need(province_code: str, outcomes: Counter[str]) -> int | None:
    """Derive the need of the latest year with monitor figures; returns that year."""
    year, figures = need_figures(province_code)
    if year is None:  # no monitor figures loaded: nothing to derive from
        return None
    outcomes.update(services.derive_need(SYSTEM, year, figures, NEED_PARAMETERS, LIVING))
    return year


# -- policy inventory -------------------------------------------------------------------------


def load_policy(province_code: str, data: Mapping[str, Any], outcomes: Counter[str]) -> None:
    """The cells the sources fill, then 'unknown' for the instrument's other municipalities."""
    sources = data["sources"]
    done: set[tuple[str, str]] = set()
    for entry in data["entries"]:
        places = _places(entry["municipalities"])
        for code in entry["municipalities"]:
            _set_policy(places[code], entry, sources, outcomes)
            done.add((code, entry["instrument"]))
    others = data["others"]
    for municipality in Municipality.objects.current().filter(province__code=province_code):
        if (municipality.code, others["instrument"]) not in done:
            _set_policy(municipality, others, sources, outcomes)


def _set_policy(
    municipality: Municipality,
    entry: Mapping[str, Any],
    sources: Mapping[str, str],
    outcomes: Counter[str],
) -> None:
    _entry, outcome = services.set_policy(
        SYSTEM,
        municipality,
        entry["instrument"],
        status=entry["status"],
        notes=entry["notes"].format(**sources),
    )
    outcomes[outcome] += 1


def _draw(*seed: object) -> random.Random:
    """A random source of its own per location, bed or day: no draw depends on another."""
    return random.Random("/".join(map(str, seed)))  # noqa: S311 - invented demo data
