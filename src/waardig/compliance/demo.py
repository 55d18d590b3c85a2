"""Demo supervision data for `waardig demo`, on top of the housing demo: everything here is
invented and says so (``fictitious=True`` on signals, inspections and enforcement steps,
"Fictief" in every note and reason).

- The housing demo's locations get the facts the norms need that its data file leaves open
  (``LOCATION_FACTS``: bedroom area, separate rental contract, transition period) and a
  fictitious 16-digit BAG id (municipality code, "20", "99", a serial number). Most meet the
  norms; Logies Maasoever (Venlo), Pension De Wingerd (Venray) and Pension Grensvoorbeeld
  (Vaals) clearly do not, and a few facts stay unknown so "cannot be checked" shows too.
- A fictitious BAG extract: each location's address, and in Venlo, Venray and Maastricht a
  handful of other addresses (``ADDRESSES``) with fictitious registrations. Persons are nine-
  digit numbers starting 99999, households "FICTIEF-HH-..."; both become keyed pseudonyms
  (housing.pseudonyms) before anything is stored. Guests of the two guest-register locations
  are registered at their location's address, some in the BRP, recent arrivals in the RNI:
  20 % of those present at Logies Maasoever, 60 % at Hotel Maasvoorbeeld.
- One version of the signal thresholds with a reason (registration rate 75 % instead of
  80 %), then one scan of ``DEMO_DAY``. It finds overcrowding (a), RNI overdue (c), guests not
  registered (d) and possibly unlisted housing (g) at the addresses below; overstay (b) and
  certificates (f) come from the housing demo's guest registers and certificates (b: some 70
  stays, the housing demo simulates long stays on purpose), and occupancy above capacity (e)
  from the housing demo's count of Pension De Wingerd on ``DEMO_DAY``.
- A few signals move through the status flow, three inspections are recorded (with the
  network's organisations where the organisations demo loaded them) and three enforcement
  steps, one past its deadline and not done.

Writes go through the services as ``SYSTEM`` where there is one (location facts, signal
thresholds, the scan, the signal flow, inspections, enforcement); BAG addresses and
registrations are stored by their natural keys as an import stores them, and the scan's
signals are flagged fictitious after it (the scan itself has no such option). A second load
finds what the first wrote (natural keys, the scan of ``DEMO_DAY``, signals that have a
history) and writes nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from waardig.compliance import scans, services
from waardig.compliance.checks import prepare
from waardig.compliance.models import (
    BagAddress,
    EnforcementKind,
    EnforcementStep,
    Inspection,
    InspectionOutcome,
    Norm,
    Register,
    Registration,
    ScanRun,
    Signal,
    SignalKind,
    SignalOutcome,
    SignalParameters,
    SignalStatus,
)
from waardig.core.access import SYSTEM, display_name
from waardig.housing import services as housing_services
from waardig.housing.demo import DEMO_DAY
from waardig.housing.models import GuestStay, HousingForm, Location
from waardig.housing.pseudonyms import pseudonym
from waardig.organisations.models import Organisation

CREATED, UPDATED, UNCHANGED = (
    housing_services.CREATED, housing_services.UPDATED, housing_services.UNCHANGED
)  # fmt: skip
D = datetime.date.fromisoformat

LOCATION_FACTS: dict[str, tuple[str | None, bool | None, int | None]] = {
    # name (without " (fictief)"): bedroom area m², separate contract, transition days
    "Voorbeeldlocatie De Kazerne": ("1680", True, 28),
    "Logies Maasoever": ("270", False, 14),
    "Flexwonen Voorbeeldhaven Oost": ("2160", True, 30),
    "Pension De Wingerd": ("108", True, 7),
    "Woonunits De Peelrand": ("1080", True, 31),
    "Agrarische huisvesting Hoeve Verzonnen": ("216", True, 28),
    "Recreatiepark Het Voorbeeldbos": ("600", True, 28),
    "Woningen Dorpsstraat-voorbeeld": ("96", True, 60),
    "Logeerhuis De Proefmolen": ("720", True, 28),
    "Units aan de Demoweg": ("150", True, None),
    "Voorbeeldcomplex De Ververij": ("1080", True, 28),
    "Flexwoningen Kempenrand": ("480", True, 30),
    "Tuinbouwunits Proefpolder": ("180", None, 28),
    "Woningen Voorbeeldhof": ("66", True, 60),
    "Pension Het Verzinsel": ("126", True, 28),
    "Hotel Maasvoorbeeld": ("180", True, 31),
    "Voorbeeldcomplex De Demotoren": ("1350", True, 31),
    "Woonunits De Proefhaven": ("1800", True, 28),
    "Woningen Mijnvoorbeeld": ("100", None, None),
    "Pension Grensvoorbeeld": ("36", False, None),
    "Pension De Oude Veiling": (None, None, None),  # closed: only its BAG id
}


@dataclass(frozen=True)
class People:
    """``count`` persons registered at an address from ``start`` (to ``end``); one shared
    household, or (None) each their own."""

    count: int
    register: str
    start: str
    end: str | None = None
    household: str | None = None
    again: bool = False
    """The same persons as the group before (moved to another register)."""


@dataclass(frozen=True)
class Address:
    serial: int
    municipality: str
    postcode: str
    number: int
    floor_area: int
    people: tuple[People, ...]
    purpose: str = "woonfunctie"


BRP, RNI = Register.BRP, Register.RNI
ADDRESSES = (
    # Venlo: overcrowded with six households (a, g); two overdue in the RNI (c), a third
    # too recent; five households in a large house (g); a family; people who moved out;
    # five persons in two households on 52 m² (a).
    Address(101, "GM0983", "5912 BA", 7, 48, (People(6, BRP, "2025-11-03"),)),
    Address(102, "GM0983", "5913 CE", 21, 70, (
        People(2, RNI, "2026-03-02", household="V102"),
        People(1, RNI, "2026-07-20", household="V102"),
    )),
    Address(103, "GM0983", "5921 GK", 3, 140, (People(5, BRP, "2026-01-12"),)),
    Address(104, "GM0983", "5914 AL", 15, 90, (People(4, BRP, "2019-05-01", household="V104"),)),
    Address(105, "GM0983", "5915 RT", 2, 38, (
        People(2, BRP, "2025-02-01", end="2026-05-31"), People(1, BRP, "2025-02-01"),
    )),
    Address(106, "GM0983", "5911 HV", 44, 52, (
        People(3, BRP, "2026-06-15", household="V106a"),
        People(2, BRP, "2026-06-15", household="V106b"),
    )),
    # Venray: overcrowded with five households (a, g); long in the RNI (c); a person who
    # moved from the RNI to the BRP in time (nothing).
    Address(201, "GM0984", "5801 HM", 12, 55, (People(5, BRP, "2026-02-01"),)),
    Address(202, "GM0984", "5802 KT", 9, 60, (People(1, RNI, "2026-01-12"),)),
    Address(203, "GM0984", "5803 PB", 4, 75, (
        People(1, RNI, "2026-01-05", end="2026-08-03", household="R203"),
        People(1, BRP, "2026-08-03", household="R203", again=True),
    )),
    # Maastricht: overcrowded with four households (a, g); two in the RNI too long (c);
    # three households (below the threshold of g); six households on 95 m² (g).
    Address(301, "GM0935", "6211 JK", 30, 42, (People(4, BRP, "2026-03-16"),)),
    Address(302, "GM0935", "6221 LM", 5, 64, (People(2, RNI, "2026-02-09", household="M302"),)),
    Address(303, "GM0935", "6224 BX", 77, 120, (People(3, BRP, "2025-09-01"),)),
    Address(304, "GM0935", "6217 EE", 12, 95, (People(6, BRP, "2026-04-20"),)),
)  # fmt: skip

GUEST_SHARE = {"Logies Maasoever (fictief)": 0.2, "Hotel Maasvoorbeeld (fictief)": 0.6}
"""The share of the guests present on ``DEMO_DAY`` who are registered at the address."""
RNI_RECENT_DAYS = 100
"""Guests who arrived this recently are in the RNI (not yet overdue), the others in the BRP."""

PARAMETERS_REASON = (
    "Fictief (demo): signaal d pas onder 75 % registratiegraad, omdat nieuwe gasten een paar "
    "dagen nodig hebben om zich in te schrijven."
)


@transaction.atomic
def load_compliance() -> Counter[str]:
    """Load the demo on top of the housing demo; returns what was created or left alone."""
    outcomes: Counter[str] = Counter()
    locations = {loc.name: loc for loc in Location.objects.filter(fictitious=True)}
    load_location_facts(locations, outcomes)
    load_addresses(locations, outcomes)
    load_registrations(locations, outcomes)
    if not SignalParameters.objects.filter(reason=PARAMETERS_REASON).exists():
        services.set_signal_parameters(
            SYSTEM, PARAMETERS_REASON, registration_rate_min=Decimal("0.75")
        )
        outcomes[CREATED] += 1
    run = ScanRun.objects.filter(
        on=DEMO_DAY, actor=display_name(SYSTEM), status=ScanRun.Status.DONE
    ).first()
    if run is None:
        run = scans.run(scans.start(DEMO_DAY, SYSTEM))
        Signal.objects.filter(scan=run).filter(
            Q(location__fictitious=True) | Q(address_id__in=fictitious_address_ids(locations))
        ).update(fictitious=True)
        outcomes[CREATED] += 1
    move_signals(outcomes)
    load_inspections(locations, outcomes)
    return outcomes


def bag_id(municipality_code: str, serial: int) -> str:
    """A fictitious BAG id: '0983' (the municipality), '20' (an address), '99', 8 digits."""
    return f"{municipality_code[2:]}2099{serial:08d}"


def fictitious_address_ids(locations: dict[str, Location]) -> list[str]:
    return [loc.bag_id for loc in locations.values() if loc.bag_id] + [
        bag_id(a.municipality, a.serial) for a in ADDRESSES
    ]


# -- locations and addresses -------------------------------------------------------------------


def load_location_facts(locations: dict[str, Location], outcomes: Counter[str]) -> None:
    for serial, (name, (bedroom_area, separate, transition)) in enumerate(
        LOCATION_FACTS.items(), start=1
    ):
        location = locations.get(f"{name} (fictief)")
        if location is None:  # the housing demo changed: nothing to add to
            continue
        values = {
            "bedroom_area": Decimal(bedroom_area) if bedroom_area else None,
            "separate_contract": separate,
            "transition_days": transition,
        }
        if not location.bag_id:
            values["bag_id"] = bag_id(location.municipality.code, serial)
        _location, outcome = housing_services.save_location(SYSTEM, location, **values)
        outcomes[outcome] += 1


def _upsert_bag(address_id: str, outcomes: Counter[str], **values: object) -> None:
    address = BagAddress.objects.filter(address_id=address_id).first()
    if address and all(getattr(address, k) == v for k, v in values.items()):
        outcomes[UNCHANGED] += 1
        return
    outcomes[UPDATED if address else CREATED] += 1
    address = address or BagAddress(address_id=address_id)
    for name, value in values.items():
        setattr(address, name, value)
    address.full_clean()
    address.save()


def load_addresses(locations: dict[str, Location], outcomes: Counter[str]) -> None:
    """The locations' addresses (floor area: the living area plus walls and corridors) and
    the other addresses of ``ADDRESSES``."""
    for location in locations.values():
        if not location.bag_id or location.living_area is None:
            continue
        lodging = location.housing_form != HousingForm.DWELLING
        _upsert_bag(
            location.bag_id, outcomes, municipality=location.municipality,
            postcode=location.postcode, house_number=location.house_number,
            house_number_addition=location.house_number_addition,
            floor_area=round(location.living_area * Decimal("1.3")),
            purpose="logiesfunctie" if lodging else "woonfunctie",
        )  # fmt: skip
    places = {loc.municipality.code: loc.municipality for loc in locations.values()}
    for a in ADDRESSES:
        _upsert_bag(
            bag_id(a.municipality, a.serial), outcomes, municipality=places[a.municipality],
            postcode=a.postcode, house_number=a.number, house_number_addition="",
            floor_area=a.floor_area, purpose=a.purpose,
        )  # fmt: skip


# -- registrations -----------------------------------------------------------------------------


def person(number: int) -> str:
    """A fictitious person number; only its pseudonym is stored."""
    return f"99999{number:04d}"


def _register(outcomes: Counter[str], **values: object) -> None:
    key = {k: values.pop(k) for k in ("pseudonym", "address_id", "register", "start")}
    _registration, created = Registration.objects.get_or_create(**key, defaults=values)
    outcomes[CREATED if created else UNCHANGED] += 1


def load_registrations(locations: dict[str, Location], outcomes: Counter[str]) -> None:
    places = {loc.municipality.code: loc.municipality for loc in locations.values()}
    number = 0
    for a in ADDRESSES:
        for group in a.people:
            household = pseudonym(f"FICTIEF-HH-{group.household}") if group.household else ""
            if group.again:
                number -= group.count
            for _ in range(group.count):
                number += 1
                _register(
                    outcomes, pseudonym=pseudonym(person(number)),
                    address_id=bag_id(a.municipality, a.serial), register=group.register,
                    start=D(group.start), municipality=places[a.municipality],
                    end=D(group.end) if group.end else None, household=household,
                )  # fmt: skip
    for name, share in GUEST_SHARE.items():
        location = locations.get(name)
        if location is None or not location.bag_id:
            continue
        present = list(
            GuestStay.objects.filter(location=location, arrival__lte=DEMO_DAY)
            .filter(Q(departure__isnull=True) | Q(departure__gt=DEMO_DAY))
            .order_by("arrival", "pseudonym")
        )
        for stay in present[: round(len(present) * share)]:
            recent = (DEMO_DAY - stay.arrival).days < RNI_RECENT_DAYS
            _register(
                outcomes, pseudonym=stay.pseudonym, address_id=location.bag_id,
                register=RNI if recent else BRP,
                start=stay.arrival + datetime.timedelta(days=2 if recent else 5),
                municipality=location.municipality, end=None, household="",
            )  # fmt: skip


# -- the status flow of a few signals ----------------------------------------------------------

SIGNAL_STEPS = (
    # kind, address serial or location name, steps (status, outcome, note)
    (SignalKind.OVERCROWDING, 101, (
        (SignalStatus.INVESTIGATING, "", "Fictief: huisbezoek gepland met Burgerzaken."),
    )),
    (SignalKind.UNLISTED, 103, (
        (SignalStatus.INVESTIGATING, "", "Fictief: adres bekeken; kamerverhuur vermoed."),
        (SignalStatus.CLOSED, SignalOutcome.CONFIRMED,
         "Fictief: kamerverhuur aan arbeidsmigranten; de verhuurder is aangeschreven."),
    )),
    (SignalKind.UNLISTED, 201, (
        (SignalStatus.CLOSED, SignalOutcome.NOT_CONFIRMED,
         "Fictief: één familie met volwassen kinderen, geen kamerverhuur."),
    )),
    (SignalKind.RNI_OVERDUE, 302, (
        (SignalStatus.INVESTIGATING, "", "Fictief: brief over inschrijving in de BRP gestuurd."),
        (SignalStatus.CLOSED, SignalOutcome.CORRECTED,
         "Fictief: de persoon staat inmiddels in de BRP ingeschreven."),
    )),
    (SignalKind.UNREGISTERED, "Hotel Maasvoorbeeld (fictief)", (
        (SignalStatus.INVESTIGATING, "",
         "Fictief: inschrijfactie op de locatie afgesproken met de exploitant."),
    )),
)  # fmt: skip


def move_signals(outcomes: Counter[str]) -> None:
    """Walk a few signals through the flow; a signal with any history is left alone."""
    for kind, about, steps in SIGNAL_STEPS:
        found = Signal.objects.filter(kind=kind, fictitious=True).order_by("key")
        if isinstance(about, int):
            code = next(a.municipality for a in ADDRESSES if a.serial == about)
            found = found.filter(address_id=bag_id(code, about))
        else:
            found = found.filter(location__name=about)
        signal = found.first()
        if signal is None or signal.changes.exists():
            continue
        for status, outcome, note in steps:
            services.change_signal(SYSTEM, signal, status, outcome, note)
            outcomes[CREATED] += 1


# -- inspections and enforcement ---------------------------------------------------------------

INSPECTIONS = (
    # location, day, outcome, with police and labour inspectorate, next inspection, notes
    ("Logies Maasoever (fictief)", "2026-09-17", InspectionOutcome.SERIOUS, True, "2026-11-17",
     "Fictief: gezamenlijke controle na signalen over lang verblijf en huurcontracten. "
     "Twee tot drie bedden per kamer; huur wordt ingehouden op het loon."),
    ("Flexwonen Voorbeeldhaven Oost (fictief)", "2026-05-20", InspectionOutcome.COMPLIANT, False,
     "2027-05-20", "Fictief: periodieke controle, alles in orde."),
    ("Hotel Maasvoorbeeld (fictief)", "2026-06-11", InspectionOutcome.DEFECTS, True, "2026-12-11",
     "Fictief: meer dan één persoon per slaapkamer; de exploitant zegt een uitbreiding toe."),
)  # fmt: skip

STEPS = (
    # location, kind, decided, deadline, completed, inspection day, note
    ("Logies Maasoever (fictief)", EnforcementKind.WARNING, "2026-09-18", "2026-09-30", None,
     "2026-09-17", "Fictief: huurcontract los van het arbeidscontract en ten minste 28 dagen "
     "overgangstermijn; de termijn is verstreken zonder reactie."),
    ("Pension De Wingerd (fictief)", EnforcementKind.WARNING, "2026-09-08", "2027-01-31", None,
     None, "Fictief: na de bureaucontrole: slaapkamers te klein voor het aantal bewoners."),
    ("Pension De Oude Veiling (fictief)", EnforcementKind.CLOSURE, "2025-06-02", "2025-06-30",
     "2025-06-30", None, "Fictief: sluiting wegens overbewoning na een last onder dwangsom."),
)  # fmt: skip


def _organisations(location: Location, partners: bool) -> list[Organisation]:
    """The location's municipality and, for a joint inspection, the police and the labour
    inspectorate: whichever of them the organisations demo loaded."""
    found = [Organisation.objects.filter(municipality=location.municipality).first()]
    if partners:
        for kind in (Organisation.Kind.POLICE, Organisation.Kind.INSPECTORATE):
            found.append(Organisation.objects.filter(kind=kind).order_by("name").first())
    return [o for o in found if o is not None]


def inspection_results(
    location: Location, day: datetime.date
) -> tuple[list[services.NormResult], int | None]:
    """What the inspector found per norm, as the rule engine measures the location's facts
    of that day (the demo has no other truth), and how many persons were there."""
    with prepare(day, Location.objects.filter(pk=location.pk), registrations=False) as engine:
        evaluations = engine.evaluate(everything=True)
        row = engine.con.execute("SELECT persons FROM facts").fetchone()
    norms = Norm.objects.select_related("norm_set").in_bulk({e.norm_id for e in evaluations})
    results = [
        services.NormResult(
            norms[e.norm_id],
            {"ok": True, "violation": False}.get(e.status),
            e.value,
            "Fictief." if e.status == "violation" else "",
        )
        for e in evaluations
        if e.status != "n/a"
    ]
    return results, (int(row[0]) if row and row[0] is not None else None)


def load_inspections(locations: dict[str, Location], outcomes: Counter[str]) -> None:
    done: dict[tuple[str, str], Inspection] = {}
    for name, day, outcome, partners, next_day, notes in INSPECTIONS:
        location = locations.get(name)
        if location is None:
            continue
        inspection = Inspection.objects.filter(
            location=location, on=D(day), fictitious=True
        ).first()
        if inspection is None:
            results, persons = inspection_results(location, D(day))
            inspection = services.record_inspection(
                SYSTEM, location, on=D(day), outcome=outcome, results=results,
                organisations=_organisations(location, partners), persons_present=persons,
                next_inspection=D(next_day), notes=notes, fictitious=True,
            )  # fmt: skip
            outcomes[CREATED] += 1
        done[(name, day)] = inspection
    for name, kind, decided, deadline, completed, inspected, note in STEPS:
        location = locations.get(name)
        if location is None:
            continue
        if EnforcementStep.objects.filter(
            location=location, kind=kind, decided_on=D(decided)
        ).exists():
            outcomes[UNCHANGED] += 1
            continue
        services.save_enforcement_step(
            SYSTEM, location=location, kind=kind, decided_on=D(decided),
            deadline=D(deadline), completed_on=D(completed) if completed else None,
            inspection=done.get((name, inspected)) if inspected else None, note=note,
            fictitious=True,
        )  # fmt: skip
        outcomes[CREATED] += 1
