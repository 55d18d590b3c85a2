"""The risk score behind the inspection planning: which location to visit first.

The score is a sum of five parts, each shown on the planning page so that the order can be
explained to whoever asks "why this address first?":

- open signals about the location (its own, or about its BAG address): per signal its score
  out of 100, times ``SIGNAL_WEIGHT``;
- findings of its latest check (a desk check, a scan or an inspection): per finding the
  severity's weight (models.SEVERITY_WEIGHT: high 3, medium 2, low 1) times ``FINDING_WEIGHT``;
- public reports (open signals of kind "melding"): as signals, but times ``REPORT_WEIGHT``
  (someone saw something there);
- time since the last inspection: ``INSPECTION_MAX`` when never inspected, otherwise growing
  evenly with the days since the last inspection up to ``INSPECTION_MAX`` after
  ``INSPECTION_FULL_DAYS``;
- the certificate (SNF or AKF): ``CERTIFICATE_EXPIRED`` when it has expired,
  ``CERTIFICATE_EXPIRING`` when it expires within ``CERTIFICATE_WARNING_DAYS`` days. A location
  without a certificate scores nothing here: where one is required, the norm "valid
  certificate" is a finding and signal f says so already.

``score`` is the formula over plain numbers; ``planning`` gathers its inputs for every
location in use that the actor may plan inspections for, in three queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from waardig.areas.models import Municipality
from waardig.compliance.models import (
    SEVERITY_WEIGHT,
    Check,
    Finding,
    Inspection,
    Signal,
    SignalKind,
    SignalStatus,
)
from waardig.core.access import VIEW, allowed_municipality_ids, scope
from waardig.housing.models import Certification, Location, LocationStatus

SIGNAL_WEIGHT = Decimal(10)
"""Points for one open signal with the full score of 100 (a signal of 50 gives 5)."""
REPORT_WEIGHT = Decimal(20)
"""Points for one open public report with the full score of 100: twice a scan's signal."""
FINDING_WEIGHT = Decimal(5)
"""Points per unit of severity of a finding (high 3, medium 2, low 1): a high finding 15."""
INSPECTION_MAX = Decimal(20)
"""Points for a location never inspected, and the most the time since an inspection gives."""
INSPECTION_FULL_DAYS = 730
"""After this many days since the last inspection the time gives its full INSPECTION_MAX."""
CERTIFICATE_EXPIRED = Decimal(10)
CERTIFICATE_EXPIRING = Decimal(5)
CERTIFICATE_WARNING_DAYS = 90

WEIGHTS = (
    ("signals", SIGNAL_WEIGHT),
    ("reports", REPORT_WEIGHT),
    ("findings", FINDING_WEIGHT),
    ("inspection_max", INSPECTION_MAX),
    ("inspection_full_days", INSPECTION_FULL_DAYS),
    ("certificate_expired", CERTIFICATE_EXPIRED),
    ("certificate_expiring", CERTIFICATE_EXPIRING),
    ("certificate_warning_days", CERTIFICATE_WARNING_DAYS),
)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Risk:
    """The parts of a location's risk score, in points; ``total`` is their sum."""

    signals: Decimal
    findings: Decimal
    reports: Decimal
    inspection: Decimal
    certificate: Decimal

    @property
    def total(self) -> Decimal:
        return self.signals + self.findings + self.reports + self.inspection + self.certificate


def score(
    signal_scores: Decimal | int,
    finding_weights: int,
    report_scores: Decimal | int,
    days_since_inspection: int | None,
    certificate_days_left: int | None,
) -> Risk:
    """The risk of one location from plain numbers.

    ``signal_scores`` and ``report_scores``: the sum of the scores (0-100) of its open signals
    and of its open public reports; ``finding_weights``: the sum of the severity weights of the
    findings of its latest check; ``days_since_inspection``: None when never inspected;
    ``certificate_days_left``: days until its certificate expires (negative: expired), None
    when it has none or one without an end date.
    """
    if days_since_inspection is None:
        inspection = INSPECTION_MAX
    else:
        days = min(max(days_since_inspection, 0), INSPECTION_FULL_DAYS)
        inspection = INSPECTION_MAX * days / INSPECTION_FULL_DAYS
    if certificate_days_left is None:
        certificate = Decimal(0)
    elif certificate_days_left < 0:
        certificate = CERTIFICATE_EXPIRED
    elif certificate_days_left <= CERTIFICATE_WARNING_DAYS:
        certificate = CERTIFICATE_EXPIRING
    else:
        certificate = Decimal(0)
    return Risk(
        signals=_points(SIGNAL_WEIGHT * Decimal(signal_scores) / 100),
        findings=_points(FINDING_WEIGHT * finding_weights),
        reports=_points(REPORT_WEIGHT * Decimal(report_scores) / 100),
        inspection=_points(inspection),
        certificate=_points(certificate),
    )


def _points(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TENTH)


# -- the inputs of every location an actor plans for -------------------------------------------


@dataclass(frozen=True)
class PlanningRow:
    """One location of the planning with what its score rests on."""

    location: Location
    signals: int
    signal_scores: Decimal
    reports: int
    report_scores: Decimal
    findings: int
    finding_weights: int
    last_inspection: datetime.date | None
    next_inspection: datetime.date | None
    days_since_inspection: int | None
    certificate_days_left: int | None
    risk: Risk

    @property
    def certificate_expired(self) -> bool:
        return self.certificate_days_left is not None and self.certificate_days_left < 0


def planned_locations(actor: Any, action: str = VIEW) -> Any:
    """Locations whose inspections the actor may see (or record): their municipality's own
    officers and inspectors; the command line every one."""
    allowed = allowed_municipality_ids(actor, Inspection, action)
    locations = Location.objects.all()
    if allowed is not None:
        locations = locations.filter(municipality_id__in=sorted(allowed))
    return locations


def planning(
    actor: Any,
    today: datetime.date | None = None,
    municipality: str = "",
    location_ids: Sequence[int] | None = None,
) -> list[PlanningRow]:
    """Every location in use the actor may plan inspections for (optionally of one
    municipality, by CBS code, or only ``location_ids``), riskiest first."""
    today = today or timezone.localdate()
    latest_inspection = Inspection.objects.filter(location=OuterRef("pk")).order_by("-on", "-id")
    latest_check = Check.objects.filter(location=OuterRef("pk")).order_by("-on", "-at", "-id")
    base = planned_locations(actor).filter(status=LocationStatus.IN_USE)
    if municipality:
        base = base.filter(municipality__code=municipality.upper())
    if location_ids is not None:
        base = base.filter(pk__in=list(location_ids))
    located = base.annotate(
        last_inspection=Subquery(latest_inspection.values("on")[:1]),
        next_inspection=Subquery(latest_inspection.values("next_inspection")[:1]),
        latest_check_id=Subquery(latest_check.values("id")[:1]),
    )
    locations = list(located.select_related("municipality").order_by("id"))
    findings = _findings(located)
    signals = _signals(actor, base, locations)
    rows = []
    for loc in locations:
        count, weights = findings.get(loc.latest_check_id, (0, 0))
        found = signals.get(loc.pk, {})
        n_signals, signal_scores = found.get("signals", (0, Decimal(0)))
        n_reports, report_scores = found.get("reports", (0, Decimal(0)))
        days = None if loc.last_inspection is None else (today - loc.last_inspection).days
        left = None
        if loc.certification != Certification.NONE and loc.certificate_valid_until:
            left = (loc.certificate_valid_until - today).days
        rows.append(
            PlanningRow(
                location=loc, signals=n_signals, signal_scores=signal_scores, reports=n_reports,
                report_scores=report_scores, findings=count, finding_weights=weights,
                last_inspection=loc.last_inspection, next_inspection=loc.next_inspection,
                days_since_inspection=days, certificate_days_left=left,
                risk=score(signal_scores, weights, report_scores, days, left),
            )
        )  # fmt: skip
    rows.sort(key=lambda r: (-r.risk.total, r.location.name, r.location.pk))
    return rows


def _findings(located: Any) -> dict[int, tuple[int, int]]:
    """Per latest check: the number of findings and the sum of their severity weights."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    counted = (
        Finding.objects.filter(check_run_id__in=located.values("latest_check_id"))
        .values("check_run_id", "severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in counted:
        totals[row["check_run_id"]][0] += row["n"]
        totals[row["check_run_id"]][1] += row["n"] * SEVERITY_WEIGHT.get(row["severity"], 1)
    return {check: (n, weight) for check, (n, weight) in totals.items()}


def _signals(
    actor: Any, base: Any, locations: list[Location]
) -> dict[int, dict[str, tuple[int, Decimal]]]:
    """Per location: (count, sum of scores) of its open signals and of its open public
    reports. A signal counts for the location it names and for every location at its BAG
    address, once for each."""
    by_address: dict[str, list[int]] = defaultdict(list)
    for loc in locations:
        if loc.bag_id:
            by_address[loc.bag_id].append(loc.pk)
    open_signals = scope(actor, Signal.objects.exclude(status=SignalStatus.CLOSED), VIEW).filter(
        Q(location_id__in=base.values("pk"))
        | Q(address_id__in=base.exclude(bag_id="").values("bag_id"))
    )
    sums: dict[int, dict[str, list[Any]]] = defaultdict(
        lambda: {"signals": [0, Decimal(0)], "reports": [0, Decimal(0)]}
    )
    wanted = {loc.pk for loc in locations}
    rows = open_signals.values_list("id", "location_id", "address_id", "kind", "score")
    for _id, location_id, address_id, kind, signal_score in rows:
        targets = set(by_address.get(address_id, ())) if address_id else set()
        if location_id in wanted:
            targets.add(location_id)
        part = "reports" if kind == SignalKind.REPORT else "signals"
        for target in targets:
            sums[target][part][0] += 1
            sums[target][part][1] += signal_score
    return {
        loc: {part: (n, total) for part, (n, total) in parts.items()} for loc, parts in sums.items()
    }


# -- the planning as a table (export and report) -----------------------------------------------

TABLE_COLUMNS = [
    "rank", "location_id", "location", "address", "municipality_code", "municipality",
    "risk", "risk_signals", "risk_findings", "risk_reports", "risk_inspection",
    "risk_certificate", "open_signals", "open_reports", "findings", "last_inspection",
    "days_since_inspection", "next_inspection", "certificate_valid_until", "fictitious",
]  # fmt: skip


def table_row(rank: int, row: PlanningRow) -> list[Any]:
    loc, risk = row.location, row.risk
    return [
        rank, loc.pk, loc.name, loc.address, loc.municipality.code, loc.municipality.name,
        risk.total, risk.signals, risk.findings, risk.reports, risk.inspection, risk.certificate,
        row.signals, row.reports, row.findings, row.last_inspection, row.days_since_inspection,
        row.next_inspection, loc.certificate_valid_until if loc.certification != "none" else None,
        loc.fictitious,
    ]  # fmt: skip


def municipality_option(actor: Any, options: Mapping[str, Any]) -> str:
    """The ``municipality`` option as a CBS code the actor may plan for ("" for all); any
    other municipality is not found (Municipality.DoesNotExist: 404 on the site)."""
    code = str(options.get("municipality") or "").strip().upper()
    if not code:
        return ""
    found = Municipality.objects.filter(code=code)
    allowed = allowed_municipality_ids(actor, Inspection, VIEW)
    if allowed is not None:
        found = found.filter(pk__in=sorted(allowed))
    return found.get().code


def planning_table(actor: Any, options: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The planning as CSV, XLSX or JSON (export ``compliance-planning``), riskiest first."""
    rows = planning(actor, municipality=municipality_option(actor, options))
    return list(TABLE_COLUMNS), [table_row(rank, row) for rank, row in enumerate(rows, start=1)]
