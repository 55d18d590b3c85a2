"""Each kind of norm, defined once: what it measures (as SQL over the engine's ``facts`` of a
location), whether the limit is a maximum, a minimum or a requirement, and how a finding is
explained in plain Dutch. The engine (``compliance.engine``) evaluates these definitions for
one location in a web request and for every location in a scan, on DuckDB; the benchmark
runs the same SQL on PostgreSQL.

Which norm sets apply to a location on a day is decided here too (``applicable``): a set
valid on that day whose housing forms and certifications include the location's (an empty
list includes all), and within it each norm whose own housing forms include the location's.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from waardig.compliance.models import NormKind, NormSet

MAX, MIN, REQUIRED = "max", "min", "required"
MONTH_DAYS = Decimal("30.44")
"""Stays are measured in months of 30.44 days, as housing.rules.months_between does."""


@dataclass(frozen=True)
class Definition:
    kind: str
    bound: str
    numerator: str
    """SQL over ``f`` (the facts of one location); NULL means: not known."""
    denominator: str | None
    unit: str
    explain: str
    """str.format over the finding's facts plus ``value`` and ``limit`` (Dutch numbers)."""
    applies: str = "TRUE"
    """SQL condition: where the norm does not apply the result is 'n/a', not a finding."""


DEFINITIONS: dict[str, Definition] = {
    d.kind: d
    for d in (
        Definition(
            NormKind.PERSONS_PER_BEDROOM, MAX, "f.persons", "f.bedrooms", "personen",
            "{persons} personen op {bedrooms} slaapkamers: max. {limit} per slaapkamer",
        ),
        Definition(
            NormKind.LIVING_AREA, MIN, "f.living_area", "f.persons", "m²",
            "{living_area} m² woonoppervlak voor {persons} personen ({value} m² per persoon): "
            "min. {limit} m² per persoon",
        ),
        Definition(
            NormKind.BEDROOM_AREA, MIN, "f.bedroom_area", "f.persons", "m²",
            "{bedroom_area} m² slaapkamers voor {persons} personen ({value} m² per persoon): "
            "min. {limit} m² per persoon",
        ),
        Definition(
            NormKind.PERSONS_PER_TOILET, MAX, "f.persons", "f.toilets", "personen",
            "{persons} personen op {toilets} toiletten: max. {limit} per toilet",
        ),
        Definition(
            NormKind.PERSONS_PER_SHOWER, MAX, "f.persons", "f.showers", "personen",
            "{persons} personen op {showers} douches: max. {limit} per douche",
        ),
        Definition(
            NormKind.CONSECUTIVE_STAY, MAX, "f.longest_stay_days", str(MONTH_DAYS), "maanden",
            "langste verblijf in de laatste {window_months} maanden: {value} maanden: "
            "max. {limit} maanden",
            applies="f.stay_class = 'short'",
        ),
        Definition(
            NormKind.TRANSITION_PERIOD, MIN, "f.transition_days", None, "dagen",
            "overgangstermijn van {transition_days} dagen na het einde van het werk: "
            "min. {limit} dagen",
        ),
        Definition(
            NormKind.SEPARATE_CONTRACT, REQUIRED,
            "CASE WHEN f.separate_contract IS NULL THEN NULL "
            "WHEN f.separate_contract THEN 1 ELSE 0 END",
            None, "",
            "huurcontract en arbeidscontract zijn niet gescheiden: dat is verplicht",
        ),
        Definition(
            NormKind.VALID_CERTIFICATE, REQUIRED,
            "CASE WHEN f.certification IN ('snf', 'akf') AND (f.certificate_valid_until IS NULL "
            "OR f.certificate_valid_until >= f.checked_on) THEN 1 ELSE 0 END",
            None, "",
            "{certificate_text}: een geldig keurmerk (SNF of AKF) is vereist",
        ),
    )
}  # fmt: skip
assert set(DEFINITIONS) == set(NormKind.values), "every kind of norm needs a definition"


RESIDENT_KINDS = frozenset(
    kind for kind, d in DEFINITIONS.items() if "f.persons" in (d.numerator, d.denominator)
)
"""Norms that count the residents: their findings say how many there were."""


def hides_residents(actor: Any, location: Any, small_count: bool, kind: str) -> bool:
    """Whether a finding's count of residents is a small guest-register count the actor may
    not read (housing.occupancy's small-number rule; engine.Evaluation.small_count)."""
    from waardig.housing.occupancy import sees_register

    return small_count and kind in RESIDENT_KINDS and not sees_register(actor, location)


def hidden_residents_text() -> str:
    """What a finding says instead, to whom ``hides_residents``."""
    from django.utils.translation import gettext as _

    from waardig.housing.occupancy import hidden_text

    return _(
        "De uitleg noemt een klein aantal uit het nachtregister (%(hidden)s); alleen de gemeente "
        "van de locatie ziet het."
    ) % {"hidden": hidden_text()}


def value_sql(definition: Definition) -> str:
    """The measured value as SQL (a DOUBLE / DOUBLE PRECISION)."""
    numerator = f"CAST({definition.numerator} AS DOUBLE PRECISION)"
    if definition.denominator is None:
        return numerator
    return f"{numerator} / NULLIF({definition.denominator}, 0)"


def status_sql(definition: Definition) -> str:
    """'n/a', 'unknown', 'ok' or 'violation' for one location (``f``) and norm (``n``).

    A maximum per unit with no units at all (12 persons, 0 toilets) is a violation; a
    minimum per person where nobody lives is met."""
    value = value_sql(definition)
    inputs = [definition.numerator] + ([definition.denominator] if definition.denominator else [])
    unknown = " OR ".join(f"({part}) IS NULL" for part in inputs)
    if definition.bound == REQUIRED:
        judged = f"WHEN {value} < 1 THEN 'violation'"
    elif definition.bound == MAX:
        zero = (
            f"WHEN {definition.denominator} = 0 THEN "
            f"CASE WHEN {definition.numerator} > 0 THEN 'violation' ELSE 'ok' END "
            if definition.denominator
            else ""
        )
        judged = f"{zero}WHEN {value} > n.limit_value THEN 'violation'"
    else:
        zero = f"WHEN {definition.denominator} = 0 THEN 'ok' " if definition.denominator else ""
        judged = f"{zero}WHEN {value} < n.limit_value THEN 'violation'"
    return (
        f"CASE WHEN NOT ({definition.applies}) THEN 'n/a' WHEN {unknown} THEN 'unknown' "
        f"{judged} ELSE 'ok' END"
    )


# -- which norms apply -------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicableNorm:
    norm_id: int
    norm_set: str
    kind: str
    limit: Decimal
    window_months: int | None
    severity: str
    housing_form: str
    certification: str


def _includes(listed: list[str], value: str) -> bool:
    return not listed or value in listed


def sets_valid_on(day: datetime.date) -> list[NormSet]:
    return [
        s
        for s in NormSet.objects.prefetch_related("norms").order_by("valid_from", "name")
        if s.valid_from <= day and (s.valid_to is None or s.valid_to >= day)
    ]


def applicable(
    day: datetime.date, forms: list[str], certifications: list[str]
) -> list[ApplicableNorm]:
    """Every norm that applies on ``day`` to each combination of housing form and
    certification (one row per combination and norm)."""
    rows = []
    for norm_set in sets_valid_on(day):
        for form in forms:
            for certification in certifications:
                if not (
                    _includes(norm_set.housing_forms, form)
                    and _includes(norm_set.certifications, certification)
                ):
                    continue
                for norm in norm_set.norms.all():
                    if _includes(norm.housing_forms, form):
                        rows.append(
                            ApplicableNorm(
                                norm.pk, norm_set.name, norm.kind, norm.limit,
                                norm.window_months, norm.severity, form, certification,
                            )
                        )  # fmt: skip
    return rows


# -- explanations ------------------------------------------------------------------------------


def dutch(number: Any) -> str:
    """A number the Dutch way: 12, 12,5 (no trailing zeros)."""
    if number is None:
        return "?"
    value = Decimal(str(number)).quantize(Decimal("0.1"))
    text = f"{value.normalize():f}" if value != value.to_integral() else f"{int(value)}"
    return text.replace(".", ",")


def explain(kind: str, facts: dict[str, Any], value: Any, limit: Any, window: int | None) -> str:
    """The plain-Dutch sentence of a finding, e.g. '12 personen op 8 slaapkamers: max. 1
    per slaapkamer'."""
    words = {
        name: dutch(v) if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else v
        for name, v in facts.items()
    }
    certification, valid_until = facts.get("certification"), facts.get("certificate_valid_until")
    if certification in ("snf", "akf") and valid_until is not None:
        words["certificate_text"] = (
            f"keurmerk {certification.upper()} verlopen op {valid_until:%d-%m-%Y}"
        )
    else:
        words["certificate_text"] = "geen keurmerk"
    words |= {"value": dutch(value), "limit": dutch(limit), "window_months": window or ""}
    return singular(DEFINITIONS[kind].explain.format(**words))


SINGULAR = {"personen": "persoon", "slaapkamers": "slaapkamer", "toiletten": "toilet",
            "douches": "douche", "maanden": "maand", "dagen": "dag"}  # fmt: skip
_ONE = re.compile(r"(?<![\d,])1 (" + "|".join(SINGULAR) + r")\b")


def singular(text: str) -> str:
    """'1 slaapkamers' reads '1 slaapkamer' (but '11 slaapkamers' and '0,1 maanden' stay)."""
    return _ONE.sub(lambda m: f"1 {SINGULAR[m[1]]}", text)


__all__ = [
    "DEFINITIONS",
    "MAX",
    "MIN",
    "MONTH_DAYS",
    "REQUIRED",
    "ApplicableNorm",
    "applicable",
    "explain",
    "status_sql",
    "value_sql",
]
