"""The shipped norm sets against a table of hand-made locations.

Each case is a location built by hand (its facts, a head count or guest stays) and, for one or
more days, every norm evaluation expected that day: the norm set, the kind of norm and the
outcome; for a norm not met the exact plain-Dutch explanation, worked out by hand in the
comment beside it. A set that is not valid on the day, or not for the location's housing form
or certificate, must not appear at all. Then: editing a parameter changes the evaluation and
keeps the history; a recorded check uses the sets valid on its own day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from waardig.compliance import services
from waardig.compliance.checks import check_location
from waardig.compliance.models import Check, Norm, NormChange, NormKind, NormSet
from waardig.core.access import SYSTEM
from waardig.housing import services as housing
from waardig.housing.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db

D = datetime.date
PROVINCE = "Provinciale ondergrens Limburg 2025-2027"
WGV = "Wet goed verhuurderschap"
SNF = "SNF-norm (bestaande set)"
SNF25 = "SNF-norm vanaf 1 juli 2025 (nieuwbouw, hotels en pensions)"
AKF24 = "AKF 2024"
AKF26 = "AKF 2026"

BEDROOM = NormKind.PERSONS_PER_BEDROOM.value
LIVING = NormKind.LIVING_AREA.value
BEDROOM_AREA = NormKind.BEDROOM_AREA.value
TOILET = NormKind.PERSONS_PER_TOILET.value
SHOWER = NormKind.PERSONS_PER_SHOWER.value
STAY = NormKind.CONSECUTIVE_STAY.value
TRANSITION = NormKind.TRANSITION_PERIOD.value
SEPARATE = NormKind.SEPARATE_CONTRACT.value
CERTIFICATE = NormKind.VALID_CERTIFICATE.value

OK, UNKNOWN, NA = "ok", "unknown", "n/a"
NO_CERTIFICATE = "geen keurmerk: een geldig keurmerk (SNF of AKF) is vereist"


def bad(explanation: str) -> tuple[str, str]:
    return ("violation", explanation)


def outcome(evaluation: Any) -> Any:
    if evaluation.status == "violation":
        return bad(evaluation.explanation)
    return evaluation.status


# Facts every case starts from; each case says what differs.
BASE = {
    "housing_form": "flex", "stay_class": "mid", "capacity": 10, "bedrooms": 10,
    "living_area": Decimal(200), "bedroom_area": Decimal(40), "toilets": 2, "showers": 2,
    "separate_contract": True, "transition_days": 30, "certification": "none",
}  # fmt: skip
SNF_VALID = {"certification": "snf", "certificate_number": "SNF-1 (fictief)",
             "certificate_valid_until": D(2026, 12, 31)}  # fmt: skip
AKF_VALID = {"certification": "akf", "certificate_number": "AKF-1 (fictief)",
             "certificate_valid_until": D(2027, 12, 31)}  # fmt: skip
COUNTED_ON = D(2024, 3, 1)


def province(bedroom=OK, living=OK, stay=NA, transition=OK, certificate=OK) -> dict:
    """The five norms of the provincial lower bound (2025-2027), all forms and certificates."""
    return {
        (PROVINCE, BEDROOM): bedroom,
        (PROVINCE, LIVING): living,
        (PROVINCE, STAY): stay,
        (PROVINCE, TRANSITION): transition,
        (PROVINCE, CERTIFICATE): certificate,
    }


def wgv(separate=OK) -> dict:
    return {(WGV, SEPARATE): separate}


def snf(living=OK, bedroom_area=OK, bedroom=OK, toilet=OK, shower=OK, certificate=OK) -> dict:
    return {
        (SNF, LIVING): living,
        (SNF, BEDROOM_AREA): bedroom_area,
        (SNF, BEDROOM): bedroom,
        (SNF, TOILET): toilet,
        (SNF, SHOWER): shower,
        (SNF, CERTIFICATE): certificate,
    }


def snf25(living=OK, bedroom=OK) -> dict:
    return {(SNF25, LIVING): living, (SNF25, BEDROOM): bedroom}


def akf(name: str, living=OK, bedroom=OK, certificate=OK) -> dict:
    return {(name, LIVING): living, (name, BEDROOM): bedroom, (name, CERTIFICATE): certificate}


@dataclass(frozen=True)
class Case:
    name: str
    facts: dict
    checks: tuple[tuple[datetime.date, dict], ...]
    persons: int | None = None
    """Residents counted on COUNTED_ON (None: no head count)."""
    guests: tuple[tuple[str, datetime.date, datetime.date | None], ...] = field(default=())


SHORT_STAY = {**BASE, "housing_form": "hotel", "stay_class": "short", "capacity": 20,
              "bedrooms": 2, "living_area": Decimal(40), "bedroom_area": Decimal(20)}  # fmt: skip
LIVING_14 = "140 m² woonoppervlak voor 10 personen (14 m² per persoon): min. {} m² per persoon"
LIVING_11 = "110 m² woonoppervlak voor 10 personen (11 m² per persoon): min. {} m² per persoon"
LIVING_13 = "260 m² woonoppervlak voor 20 personen (13 m² per persoon): min. {} m² per persoon"
LIVING_12 = "144 m² woonoppervlak voor 12 personen (12 m² per persoon): min. {} m² per persoon"
AKF_EXPIRED = "keurmerk AKF verlopen op 31-05-2025: een geldig keurmerk (SNF of AKF) is vereist"

CASES = [
    # -- the provincial lower bound and the Wet goed verhuurderschap ---------------------------
    Case(
        "dwelling-twelve-on-eight-bedrooms",
        {**BASE, "housing_form": "dwelling", "stay_class": "long", "capacity": 12, "bedrooms": 8},
        persons=12,
        checks=(
            (D(2026, 6, 1), {  # 12 / 8 = 1,5 per bedroom; 200 / 12 = 16,7 m² per person
                **province(bedroom=bad("12 personen op 8 slaapkamers: max. 1 per slaapkamer"),
                           certificate=bad(NO_CERTIFICATE)),
                **wgv(),
            }),
            # Outside 2025-2027 the provincial lower bound is not in force: only the law.
            (D(2024, 12, 31), wgv()),
            (D(2028, 1, 1), wgv()),
        ),
    ),
    Case(
        "dwelling-cramped-tied-contract",
        {**BASE, "housing_form": "dwelling", "stay_class": "long", "living_area": Decimal(140),
         "separate_contract": False, "transition_days": 7},
        persons=10,
        checks=((D(2025, 3, 1), {  # 140 / 10 = 14 m²; 7 days < 28
            **province(living=bad(LIVING_14.format(15)),
                       transition=bad("overgangstermijn van 7 dagen na het einde van het werk: "
                                      "min. 28 dagen"),
                       certificate=bad(NO_CERTIFICATE)),
            **wgv(bad("huurcontract en arbeidscontract zijn niet gescheiden: dat is verplicht")),
        }),),
    ),
    # Short stay: at most 4 months within 12 (window 2024-09-01 .. 2025-09-01), counted in
    # nights of 30,44 a month; occupancy from the guest register (2 present).
    Case(
        "short-stay-guest-over-four-months",
        SHORT_STAY,
        guests=(
            ("a", D(2025, 3, 3), None),  # 3 March .. 1 September: 183 nights = 6,01 months
            ("b", D(2025, 7, 1), None),
            ("c", D(2025, 8, 1), D(2025, 8, 20)),
        ),
        checks=((D(2025, 9, 1), {
            **province(stay=bad("langste verblijf in de laatste 12 maanden: 6 maanden: "
                                "max. 4 maanden"),
                       certificate=bad(NO_CERTIFICATE)),
            **wgv(),
        }),),
    ),
    Case(
        "short-stay-returns-add-up",
        SHORT_STAY,
        guests=(
            # 1 Sep .. 1 Dec 2024: 91 nights in the window, 1 Jul .. 1 Sep 2025: 63 nights;
            # 154 / 30,44 = 5,06 months
            ("d", D(2024, 6, 1), D(2024, 12, 1)),
            ("d", D(2025, 7, 1), None),
            ("e", D(2025, 8, 15), None),
        ),
        checks=((D(2025, 9, 1), {
            **province(stay=bad("langste verblijf in de laatste 12 maanden: 5,1 maanden: "
                                "max. 4 maanden"),
                       certificate=bad(NO_CERTIFICATE)),
            **wgv(),
        }),),
    ),
    Case(
        "short-stay-old-stay-outside-the-window",
        SHORT_STAY,
        guests=(
            ("f", D(2023, 1, 2), D(2024, 6, 1)),  # 17 months, but before the window
            ("f", D(2025, 6, 3), None),  # 91 nights = 2,99 months
            ("g", D(2025, 8, 15), None),
        ),
        checks=((D(2025, 9, 1), {**province(stay=OK, certificate=bad(NO_CERTIFICATE)), **wgv()}),),
    ),
    Case(
        "short-stay-without-guest-register",
        {**SHORT_STAY, "bedrooms": 5, "living_area": Decimal(100)},
        persons=5,
        checks=((D(2025, 9, 1), {
            **province(stay=UNKNOWN, certificate=bad(NO_CERTIFICATE)), **wgv(),
        }),),
    ),
    # -- SNF: the existing set (lodging 10 m², dwelling 12 m²) and the set from 1 July 2025 ----
    Case(
        "snf-lodging-11-m2",
        {**BASE, **SNF_VALID, "living_area": Decimal(110)},
        persons=10,
        checks=((D(2025, 6, 1), {  # 11 m² per person: enough for lodging (10), not for 15
            **province(living=bad(LIVING_11.format(15))), **wgv(), **snf(),
        }),),
    ),
    Case(
        "snf-dwelling-11-m2",
        {**BASE, **SNF_VALID, "housing_form": "dwelling", "living_area": Decimal(110)},
        persons=10,
        checks=((D(2025, 6, 1), {  # a dwelling needs 12 m²
            **province(living=bad(LIVING_11.format(15))),
            **wgv(),
            **snf(living=bad(LIVING_11.format(12))),
        }),),
    ),
    Case(
        "snf-crowded-expired",
        {**BASE, "certification": "snf", "certificate_number": "SNF-2 (fictief)",
         "certificate_valid_until": D(2025, 3, 31), "capacity": 18, "bedrooms": 8,
         "living_area": Decimal(300), "bedroom_area": Decimal(54), "showers": 3},
        persons=18,
        checks=((D(2025, 6, 1), {  # 18 / 8 = 2,25; 54 / 18 = 3 m²; 18 / 2 = 9; 18 / 3 = 6
            **province(bedroom=bad("18 personen op 8 slaapkamers: max. 1 per slaapkamer"),
                       certificate=bad("keurmerk SNF verlopen op 31-03-2025: een geldig keurmerk "
                                       "(SNF of AKF) is vereist")),
            **wgv(),
            **snf(bedroom_area=bad("54 m² slaapkamers voor 18 personen (3 m² per persoon): "
                                   "min. 3,5 m² per persoon"),
                  bedroom=bad("18 personen op 8 slaapkamers: max. 2 per slaapkamer"),
                  toilet=bad("18 personen op 2 toiletten: max. 8 per toilet"),
                  certificate=bad("keurmerk SNF verlopen op 31-03-2025: een geldig keurmerk "
                                  "(SNF of AKF) is vereist")),
        }),),
    ),
    Case(
        "snf-hotel-before-and-from-july-2025",
        {**BASE, **SNF_VALID, "housing_form": "hotel", "stay_class": "long", "capacity": 20,
         "bedrooms": 8, "living_area": Decimal(260), "bedroom_area": Decimal(80), "toilets": 3,
         "showers": 3},
        persons=20,
        checks=(
            (D(2025, 6, 30), {  # 20 / 8 = 2,5 per bedroom; 260 / 20 = 13 m²
                **province(bedroom=bad("20 personen op 8 slaapkamers: max. 1 per slaapkamer"),
                           living=bad(LIVING_13.format(15))),
                **wgv(),
                **snf(bedroom=bad("20 personen op 8 slaapkamers: max. 2 per slaapkamer")),
            }),
            (D(2025, 7, 1), {  # the same hotel the next day: the 2025 set comes in
                **province(bedroom=bad("20 personen op 8 slaapkamers: max. 1 per slaapkamer"),
                           living=bad(LIVING_13.format(15))),
                **wgv(),
                **snf(bedroom=bad("20 personen op 8 slaapkamers: max. 2 per slaapkamer")),
                **snf25(living=bad(LIVING_13.format(15)),
                        bedroom=bad("20 personen op 8 slaapkamers: max. 2 per slaapkamer")),
            }),
        ),
    ),
    Case(
        "snf-hotel-all-met",
        {**BASE, **SNF_VALID, "housing_form": "hotel", "stay_class": "long",
         "living_area": Decimal(160), "transition_days": 28},
        persons=10,
        checks=((D(2025, 8, 1), {**province(), **wgv(), **snf(), **snf25()}),),
    ),
    # -- AKF 2024 (13 m²) and AKF 2026 (15 m²) --------------------------------------------------
    Case(
        "akf-14-m2-at-four-dates",
        {**BASE, **AKF_VALID, "living_area": Decimal(140)},
        persons=10,
        checks=(
            (D(2024, 6, 1), wgv()),  # before AKF 2024 (15 August) and the provincial set
            (D(2025, 6, 1), {  # 14 m²: enough for AKF 2024, not for the province
                **province(living=bad(LIVING_14.format(15))), **wgv(), **akf(AKF24),
            }),
            (D(2026, 2, 1), {  # the same location under AKF 2026: a finding
                **province(living=bad(LIVING_14.format(15))),
                **wgv(),
                **akf(AKF26, living=bad(LIVING_14.format(15))),
            }),
            (D(2028, 3, 1), {  # after 2027: no provincial set; the certificate has expired
                **wgv(),
                **akf(AKF26, living=bad(LIVING_14.format(15)),
                      certificate=bad("keurmerk AKF verlopen op 31-12-2027: een geldig keurmerk "
                                      "(SNF of AKF) is vereist")),
            }),
        ),
    ),
    Case(
        "akf-crowded-expired",
        {**BASE, "certification": "akf", "certificate_number": "AKF-2 (fictief)",
         "certificate_valid_until": D(2025, 5, 31), "capacity": 12, "bedrooms": 4,
         "living_area": Decimal(144)},
        persons=12,
        checks=(
            (D(2025, 6, 1), {  # 12 / 4 = 3 per bedroom; 144 / 12 = 12 m²
                **province(bedroom=bad("12 personen op 4 slaapkamers: max. 1 per slaapkamer"),
                           living=bad(LIVING_12.format(15)), certificate=bad(AKF_EXPIRED)),
                **wgv(),
                **akf(AKF24, living=bad(LIVING_12.format(13)),
                      bedroom=bad("12 personen op 4 slaapkamers: max. 2 per slaapkamer"),
                      certificate=bad(AKF_EXPIRED)),
            }),
            (D(2026, 2, 1), {
                **province(bedroom=bad("12 personen op 4 slaapkamers: max. 1 per slaapkamer"),
                           living=bad(LIVING_12.format(15)), certificate=bad(AKF_EXPIRED)),
                **wgv(),
                **akf(AKF26, living=bad(LIVING_12.format(15)),
                      bedroom=bad("12 personen op 4 slaapkamers: max. 2 per slaapkamer"),
                      certificate=bad(AKF_EXPIRED)),
            }),
        ),
    ),
    Case(
        "akf-spacious-2026",
        {**BASE, **AKF_VALID, "capacity": 8, "bedrooms": 4, "living_area": Decimal(160)},
        persons=8,
        checks=((D(2026, 3, 1), {  # 2 per bedroom: AKF allows it, the province does not
            **province(bedroom=bad("8 personen op 4 slaapkamers: max. 1 per slaapkamer")),
            **wgv(),
            **akf(AKF26),
        }),),
    ),
    # -- edge cases ------------------------------------------------------------------------------
    Case(
        "no-toilets-showers-or-bedrooms-with-residents",
        {**BASE, **SNF_VALID, "capacity": 4, "bedrooms": 0, "living_area": Decimal(80),
         "bedroom_area": Decimal(20), "toilets": 0, "showers": 0},
        persons=4,
        checks=((D(2025, 6, 1), {
            **province(bedroom=bad("4 personen op 0 slaapkamers: max. 1 per slaapkamer")),
            **wgv(),
            **snf(bedroom=bad("4 personen op 0 slaapkamers: max. 2 per slaapkamer"),
                  toilet=bad("4 personen op 0 toiletten: max. 8 per toilet"),
                  shower=bad("4 personen op 0 douches: max. 8 per douche")),
        }),),
    ),
    Case(
        "nobody-lives-there",
        {**BASE, **SNF_VALID, "bedrooms": 5, "living_area": Decimal(50),
         "bedroom_area": Decimal(10), "toilets": 0, "showers": 0},
        persons=0,
        checks=((D(2025, 6, 1), {**province(), **wgv(), **snf()}),),
    ),
    Case(
        "nothing-known",
        {**SHORT_STAY, "bedrooms": None, "living_area": None, "bedroom_area": None,
         "toilets": None, "showers": None, "separate_contract": None, "transition_days": None},
        checks=((D(2025, 6, 1), {
            **province(bedroom=UNKNOWN, living=UNKNOWN, stay=UNKNOWN, transition=UNKNOWN,
                       certificate=bad(NO_CERTIFICATE)),
            **wgv(UNKNOWN),
        }),),
    ),
    Case(
        "snf-facts-missing",
        {**BASE, **SNF_VALID, "bedrooms": None, "living_area": None, "bedroom_area": None,
         "toilets": None, "showers": None, "transition_days": None},
        persons=6,
        checks=((D(2025, 6, 1), {
            **province(bedroom=UNKNOWN, living=UNKNOWN, transition=UNKNOWN),
            **wgv(),
            **snf(living=UNKNOWN, bedroom_area=UNKNOWN, bedroom=UNKNOWN, toilet=UNKNOWN,
                  shower=UNKNOWN),
        }),),
    ),
]  # fmt: skip


def build(make_location, case: Case):
    location = make_location(name=case.name, **case.facts)
    if case.persons is not None:
        housing.record_head_count(SYSTEM, location, COUNTED_ON, case.persons)
    if case.guests:
        stays = [(pseudonym(f"guest-{who}"), arrival, left) for who, arrival, left in case.guests]
        housing.record_guest_stays(SYSTEM, location, stays)
    return location


def evaluated(location, on: datetime.date) -> dict:
    evaluations = check_location(location, on)
    found = {(e.norm_set, e.kind): outcome(e) for e in evaluations}
    assert len(found) == len(evaluations), "one evaluation per norm set and kind"
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_shipped_norm_set_evaluates_the_hand_made_locations(case, make_location):
    location = build(make_location, case)
    for on, expected in case.checks:
        assert evaluated(location, on) == expected, on


def test_the_table_meets_and_breaks_every_shipped_norm(db):
    """Guards the table: each norm of each shipped set is seen met and not met above."""
    seen: dict[str, set] = {"ok": set(), "violation": set()}
    for case in CASES:
        for _on, expected in case.checks:
            for key, result in expected.items():
                status = result[0] if isinstance(result, tuple) else result
                seen.setdefault(status, set()).add(key)
    shipped = set(Norm.objects.values_list("norm_set__name", "kind"))
    assert {name for name, _kind in shipped} == {PROVINCE, WGV, SNF, SNF25, AKF24, AKF26}
    assert shipped - seen["ok"] == set()
    assert shipped - seen["violation"] == set()


def test_a_finding_carries_norm_value_limit_and_severity(make_location):
    location = build(make_location, CASES[0])
    found = {(e.norm_set, e.kind): e for e in check_location(location, D(2026, 6, 1))}
    bedroom = found[(PROVINCE, BEDROOM)]
    norm = Norm.objects.get(norm_set__name=PROVINCE, kind=BEDROOM)
    assert (bedroom.norm_id, bedroom.value, bedroom.limit, bedroom.severity) == (
        norm.pk, Decimal("1.50"), Decimal("1.00"), "high",
    )  # fmt: skip
    assert found[(PROVINCE, LIVING)].value == Decimal("16.67")  # met: measured all the same


def test_a_head_count_after_the_day_is_not_used(make_location):
    location = build(make_location, CASES[0])  # 12 counted on 1 March 2024
    housing.record_head_count(SYSTEM, location, D(2026, 7, 1), 8)
    assert evaluated(location, D(2026, 6, 1))[(PROVINCE, BEDROOM)] == bad(
        "12 personen op 8 slaapkamers: max. 1 per slaapkamer"
    )
    assert evaluated(location, D(2026, 7, 1))[(PROVINCE, BEDROOM)] == OK


# -- editing parameters --------------------------------------------------------------------------


def akf_location(make_location):
    return build(make_location, next(c for c in CASES if c.name == "akf-14-m2-at-four-dates"))


def test_editing_a_limit_changes_the_evaluation_and_keeps_who_why_from_and_to(make_location, users):
    location = akf_location(make_location)
    on = D(2026, 2, 1)
    assert evaluated(location, on)[(AKF26, LIVING)] == bad(LIVING_14.format(15))
    norm = Norm.objects.get(norm_set__name=AKF26, kind=LIVING)
    admin = users["province_admin"]

    change = services.edit_norm(admin, norm, "  Besluit AKF-bestuur (fictief)  ", limit="14")

    assert evaluated(location, on)[(AKF26, LIVING)] == OK
    norm.refresh_from_db()
    assert norm.limit == Decimal(14)
    change.refresh_from_db()
    assert (change.norm, change.changes, change.reason, change.user, change.actor) == (
        norm, {"limit": ["15.00", "14.00"]}, "Besluit AKF-bestuur (fictief)", admin, "provincie",
    )  # fmt: skip
    # The other sets keep their own limit: the province still asks 15 m².
    assert evaluated(location, on)[(PROVINCE, LIVING)] == bad(LIVING_14.format(15))

    services.edit_norm(admin, norm, "Terug naar de gepubliceerde norm", limit=Decimal(16))
    assert evaluated(location, on)[(AKF26, LIVING)] == bad(LIVING_14.format(16))
    history = list(NormChange.objects.filter(norm=norm))  # newest first
    assert [(c.changes["limit"], c.reason) for c in history] == [
        (["14.00", "16.00"], "Terug naar de gepubliceerde norm"),
        (["15.00", "14.00"], "Besluit AKF-bestuur (fictief)"),
    ]


def test_editing_the_stay_window_and_limit_changes_the_finding(make_location, users):
    location = build(make_location, next(c for c in CASES if c.name == "short-stay-returns-add-up"))
    on = D(2025, 9, 1)
    norm = Norm.objects.get(norm_set__name=PROVINCE, kind=STAY)
    admin = users["province_admin"]

    services.edit_norm(admin, norm, "Halfjaar (fictief)", window_months=6)
    # Window 1 March .. 1 September 2025: only the second stay of d, 63 nights = 2,07 months.
    assert evaluated(location, on)[(PROVINCE, STAY)] == OK

    change = services.edit_norm(
        admin, norm, "Strenger (fictief)", limit=Decimal(2), severity="high"
    )
    assert change.changes == {"limit": ["4.00", "2.00"], "severity": ["medium", "high"]}
    assert evaluated(location, on)[(PROVINCE, STAY)] == bad(
        "langste verblijf in de laatste 6 maanden: 2,1 maanden: max. 2 maanden"
    )
    first = NormChange.objects.filter(norm=norm).last()
    assert first.changes == {"window_months": ["12", "6"]}


def test_only_the_province_admin_edits_a_norm_and_never_without_a_reason(users):
    norm = Norm.objects.get(norm_set__name=PROVINCE, kind=LIVING)
    for role in ("analyst", "coordinator", "venlo_officer", "inspector", "member"):
        with pytest.raises(PermissionDenied):
            services.edit_norm(users[role], norm, "Mag niet", limit=Decimal(10))
    with pytest.raises(ValidationError) as error:
        services.edit_norm(users["province_admin"], norm, "   ", limit=Decimal(10))
    assert "reason" in error.value.error_dict
    stay = Norm.objects.get(norm_set__name=PROVINCE, kind=STAY)
    with pytest.raises(ValidationError) as error:
        services.edit_norm(users["province_admin"], stay, "Zonder periode", window_months=None)
    assert "window_months" in error.value.error_dict
    assert services.edit_norm(users["province_admin"], norm, "Niets nieuws", limit="15") is None
    assert not NormChange.objects.exists()
    assert Norm.objects.get(pk=norm.pk).limit == Decimal(15)
    assert Norm.objects.get(pk=stay.pk).window_months == 12


# -- recorded checks -----------------------------------------------------------------------------


def test_a_recorded_check_uses_the_sets_valid_on_its_day(make_location, users):
    location = akf_location(make_location)
    officer = users["venlo_officer"]

    earlier = services.record_check(officer, location, D(2025, 6, 1))
    later = services.record_check(users["inspector"], location, D(2026, 2, 1))

    assert earlier.norm_sets == sorted([AKF24, PROVINCE, WGV])
    assert later.norm_sets == sorted([AKF26, PROVINCE, WGV])
    assert [(f.norm_set_name, f.kind, f.explanation) for f in earlier.findings.all()] == [
        (PROVINCE, LIVING, LIVING_14.format(15))
    ]
    findings = {(f.norm_set_name, f.kind): f for f in later.findings.all()}
    assert set(findings) == {(PROVINCE, LIVING), (AKF26, LIVING)}
    akf26 = findings[(AKF26, LIVING)]
    assert (akf26.norm.norm_set.name, akf26.measured, akf26.limit, akf26.severity) == (
        AKF26, Decimal("14.00"), Decimal("15.00"), "high",
    )  # fmt: skip
    assert (earlier.source, earlier.actor) == ("desk", "venlo")
    assert services.latest_check(location) == later
    # A check recorded afterwards for an earlier day does not become the latest.
    services.record_check(officer, location, D(2024, 6, 1))
    assert services.latest_check(location) == later


def test_a_check_is_never_recorded_for_the_future_or_by_someone_else(make_location, users):
    location = akf_location(make_location)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.record_check(users["venlo_officer"], location, tomorrow)
    for role in ("maastricht_officer", "province_admin", "analyst", "member"):
        with pytest.raises(PermissionDenied):
            services.record_check(users[role], location, D(2025, 6, 1))
    assert not Check.objects.exists()
    assert NormSet.objects.count() == 6
