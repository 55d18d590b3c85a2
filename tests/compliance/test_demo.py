"""The supervision demo: on top of the housing demo, fictitious addresses and registrations
that make the scan of the demo's day find each kind of signal it can, a few signals moved
through their flow, inspections and enforcement steps; everything fictitious, nothing
stored in the clear, and loaded once however often the demo runs."""

import json
from collections import Counter

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

from waardig import demo
from waardig.compliance import demo as compliance_demo
from waardig.compliance.models import (
    PERSON_SIGNALS,
    Check,
    CheckSource,
    EnforcementStep,
    Finding,
    Inspection,
    InspectionOutcome,
    Registration,
    ScanRun,
    Signal,
    SignalChange,
    SignalKind,
    SignalParameters,
    SignalStatus,
)
from waardig.core.models import AuditEntry
from waardig.housing.demo import DEMO_DAY, load_housing
from waardig.housing.models import GuestStay, Location
from waardig.housing.pseudonyms import pseudonym
from waardig.housing.services import CREATED, UNCHANGED, UPDATED
from waardig.monitor.indicators import load_indicators
from waardig.organisations.models import Organisation

pytestmark = pytest.mark.django_db

VENLO, VENRAY, MAASTRICHT = "GM0983", "GM0984", "GM0935"
SCANNED_KINDS = set(SignalKind.values) - {SignalKind.REPORT}  # a-g; reports come from people
NOT_FOUND: set[str] = set()
"""Every kind occurs (e: the housing demo counts Pension De Wingerd above its capacity)."""


@pytest.fixture
def loaded(areas) -> None:
    """What `waardig demo` loads, after what `waardig setup` loads."""
    load_indicators()
    demo.load()


def per_kind(*codes: str) -> Counter:
    signals = Signal.objects.all()
    if codes:
        signals = signals.filter(municipality__code__in=codes)
    return Counter(signals.values_list("kind", flat=True))


def test_the_scan_finds_each_kind_of_signal_it_can_all_fictitious(loaded):
    scan = ScanRun.objects.get()
    assert scan.on == DEMO_DAY and scan.status == ScanRun.Status.DONE
    assert Signal.objects.exists() and not Signal.objects.filter(fictitious=False).exists()
    assert set(per_kind()) == SCANNED_KINDS - NOT_FOUND
    # The addresses of the demo give a handful of each in Venlo/Venray and Maastricht.
    north, south = per_kind(VENLO, VENRAY), per_kind(MAASTRICHT)
    for kind in SCANNED_KINDS - NOT_FOUND - {SignalKind.CERTIFICATE, SignalKind.OVER_CAPACITY}:
        assert north[kind] >= 1 and south[kind] >= 1, kind
    assert north[SignalKind.OVER_CAPACITY] == 1 and not south[SignalKind.OVER_CAPACITY]
    for kind in SCANNED_KINDS - NOT_FOUND - {SignalKind.OVERSTAY}:
        assert per_kind()[kind] <= 10, kind
    assert north[SignalKind.CERTIFICATE] >= 1  # Logies Maasoever's certificate has expired
    # Overstay comes from the housing demo's guest registers: tens, not hundreds.
    assert per_kind()[SignalKind.OVERSTAY] < 100
    # What each signal says agrees with what it is about.
    for signal in Signal.objects.filter(kind__in=PERSON_SIGNALS):
        assert len(signal.pseudonym) == 64
    crowded = Signal.objects.filter(kind=SignalKind.OVERCROWDING)
    assert all(s.details["floor_area"] / s.details["persons"] < 12 for s in crowded)
    unregistered = Signal.objects.get(kind=SignalKind.UNREGISTERED, municipality__code=VENLO)
    assert unregistered.location.name == "Logies Maasoever (fictief)"
    assert unregistered.details["registered"] / unregistered.details["guests"] < 0.75
    # The thresholds the scan used: a version after the shipped one, with its reason.
    assert SignalParameters.objects.count() == 2
    parameters = SignalParameters.objects.order_by("-at", "-id").first()
    assert (
        parameters.reason.startswith("Fictief") and str(parameters.registration_rate_min) == "0.75"
    )


def test_location_facts_make_a_few_locations_fail_and_leave_some_unknown(loaded):
    locations = Location.objects.filter(fictitious=True)
    assert all(len(loc.bag_id) == 16 and loc.bag_id.isdigit() for loc in locations)
    assert len({loc.bag_id for loc in locations}) == locations.count()
    scan = ScanRun.objects.get()

    def found(name: str) -> set[str]:
        check = Check.objects.get(scan=scan, location__name=f"{name} (fictief)")
        return set(check.findings.values_list("kind", flat=True))

    assert {"separate_contract", "transition_period"} <= found("Logies Maasoever")
    assert {"bedroom_area_per_person", "transition_period"} <= found("Pension De Wingerd")
    assert "separate_contract" in found("Pension Grensvoorbeeld")
    assert found("Flexwonen Voorbeeldhaven Oost") == set()
    # Unknown facts are not findings: Units aan de Demoweg's transition period is unknown.
    assert Location.objects.get(name="Units aan de Demoweg (fictief)").transition_days is None
    assert "transition_period" not in found("Units aan de Demoweg")
    new_kinds = {"separate_contract", "transition_period", "bedroom_area_per_person"}
    failing = {
        f.check_run.location_id
        for f in Finding.objects.filter(check_run__scan=scan, kind__in=new_kinds)
    }
    assert 3 <= len(failing) <= 5


def test_signals_move_inspections_and_enforcement_are_recorded_and_fictitious(loaded):
    changed = Signal.objects.filter(changes__isnull=False).distinct()
    assert {s.status for s in changed} == {SignalStatus.INVESTIGATING, SignalStatus.CLOSED}
    closed = changed.filter(status=SignalStatus.CLOSED)
    assert len({s.outcome for s in closed}) == 3  # confirmed, not confirmed, corrected
    for signal in changed:
        history = list(signal.changes.order_by("at", "id"))
        assert history[-1].status == signal.status and history[-1].outcome == signal.outcome
        assert all(c.note.startswith("Fictief") for c in history)
    assert not Signal.objects.filter(changes__isnull=True).exclude(status="new").exists()

    inspections = Inspection.objects.all()
    assert 2 <= inspections.count() <= 3 and all(i.fictitious for i in inspections)
    assert all("Fictief" in i.notes for i in inspections)
    assert {i.location.municipality.code for i in inspections} == {VENLO, MAASTRICHT}
    assert {i.outcome for i in inspections} >= {
        InspectionOutcome.SERIOUS,
        InspectionOutcome.COMPLIANT,
    }
    joint = inspections.get(location__name="Logies Maasoever (fictief)")
    kinds = set(joint.organisations.values_list("kind", flat=True))
    assert kinds == {
        Organisation.Kind.MUNICIPALITY, Organisation.Kind.POLICE, Organisation.Kind.INSPECTORATE
    }  # fmt: skip
    for inspection in inspections:  # findings per norm: the inspection's own check
        check = inspection.check_run
        assert check.source == CheckSource.INSPECTION and check.on == inspection.on
        assert (inspection.outcome == InspectionOutcome.COMPLIANT) == (not check.findings.exists())

    steps = EnforcementStep.objects.all()
    assert steps.count() >= 2 and all(s.fictitious and "Fictief" in s.note for s in steps)
    overdue = [s for s in steps if s.completed_on is None and s.deadline < DEMO_DAY]
    assert len(overdue) == 1 and overdue[0].inspection == joint


def test_loading_twice_changes_no_counts_and_stores_no_clear_person_number(loaded):
    models = [
        *apps.get_app_config("compliance").get_models(),
        Location,
        GuestStay,
        AuditEntry,
    ]
    before = {m.__name__: m.objects.count() for m in models}
    load_housing()  # the demos it builds on, again (the organisations demo is not repeatable)
    again = compliance_demo.load_compliance()
    assert again[CREATED] == again[UPDATED] == 0 and again[UNCHANGED] > 100
    assert {m.__name__: m.objects.count() for m in models} == before

    # The fictitious person numbers and household labels are stored as pseudonyms only.
    numbers = [compliance_demo.person(n) for n in range(1, 60)]
    pseudonyms = set(Registration.objects.values_list("pseudonym", flat=True))
    assert sum(pseudonym(n) in pseudonyms for n in numbers) >= 30
    households = {f"FICTIEF-HH-{a}" for a in ("V102", "V104", "V106a", "M302", "R203")}
    assert {pseudonym(h) for h in households} <= set(
        Registration.objects.values_list("household", flat=True)
    )
    guests = {f"DEMO-{n:06d}" for n in range(1, 2000)}
    clear = [*numbers, *households, *guests]
    for model in (Registration, Signal, SignalChange):
        text = json.dumps(list(model.objects.values()), cls=DjangoJSONEncoder)
        assert not [c for c in clear if c in text], model.__name__
    assert all(len(p) == 64 for p in pseudonyms)
