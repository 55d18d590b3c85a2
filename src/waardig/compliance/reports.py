"""The inspections report (`waardig report inspections --municipality GM0983 --year 2026`):
per municipality the inspections of the year with their outcome, the findings per norm, the
enforcement steps and where they stand, the open signals counted per kind, and the top of
the planning by risk. One core.reports Document: PDF, Word, spreadsheet, Markdown and the web
page of the generic report view.

Inspections and enforcement are a municipality's own work: the report covers only the
municipalities whose inspections the actor may see (the command line: all of them); a
municipality asked for outside those is not found. Signals appear only as counts.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.areas.models import Municipality
from waardig.compliance import risk
from waardig.compliance.models import (
    EnforcementStep,
    Finding,
    Inspection,
    InspectionOutcome,
    NormKind,
    Signal,
    SignalKind,
    SignalStatus,
)
from waardig.core.access import VIEW, scope
from waardig.core.numbers import parse_year
from waardig.core.reports.document import Document, Note, Paragraph, Section, Table

FICTIEF = "fictief"
TOP = 10


def inspections_report(actor: Any, options: Mapping[str, Any]) -> Document:
    """'Toezicht: inspecties en handhaving <jaar>'; options: municipality (CBS code; empty:
    every municipality the actor may see) and year (default: this year)."""
    today = timezone.localdate()
    year = parse_year(options.get("year")) if options.get("year") else today.year
    municipalities = _municipalities(actor, str(options.get("municipality") or ""))
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    parts = [_Municipality(actor, m, first, last, today) for m in municipalities]
    fictitious = any(part.fictitious for part in parts)
    sections: list[Section] = []
    if len(parts) > 1:
        sections.append(_overview(parts, year))
    sections += [part.section() for part in parts]
    sections.append(_method())
    notes: tuple[Note, ...] = ()
    if fictitious:
        notes = (
            Note(
                _(
                    "Dit rapport bevat fictieve gegevens (demonstratie): locaties, inspecties of "
                    "handhavingsstappen die verzonnen zijn. Elke regel die erop rust, heeft de "
                    "status 'fictief'."
                ),
                kind="fictief",
            ),
        )
    names = ", ".join(m.name for m in municipalities) or _("geen")
    return Document(
        title=_("Toezicht: inspecties en handhaving %(year)s") % {"year": year},
        subtitle=_("Inspecties, bevindingen, handhaving, signalen en de planning op risico"),
        meta=(
            (_("Jaar"), str(year)),
            (_("Periode"), f"{first:%d-%m-%Y} t/m {last:%d-%m-%Y}"),
            (_("Gemeenten"), names),
            (_("Stand van signalen, handhaving en planning"), today),
            (_("Opgesteld op"), today),
        ),
        sections=tuple(sections),
        notes=notes,
    )


def _municipalities(actor: Any, code: str) -> list[Municipality]:
    """The municipalities the report covers; one named outside the actor's is not found."""
    allowed = Municipality.objects.open_to(actor, Inspection, VIEW)
    if code:
        return [allowed.get(code=code.strip().upper())]
    return list(allowed)


class _Municipality:
    """The figures of one municipality, each gathered in one query."""

    def __init__(
        self, actor: Any, municipality: Municipality, first: datetime.date,
        last: datetime.date, today: datetime.date,
    ) -> None:  # fmt: skip
        self.municipality, self.today = municipality, today
        self.first, self.last = first, last
        inspections = scope(actor, Inspection.objects.all(), VIEW).filter(
            location__municipality=municipality, on__gte=first, on__lte=last
        )
        self.inspections = list(
            inspections.select_related("location")
            .prefetch_related("organisations")
            .annotate(n_findings=Count("check_run__findings"))
            .order_by("on", "location__name", "id")
        )
        self.findings = list(
            Finding.objects.filter(check_run__inspection__in=inspections)
            .select_related("check_run__inspection__location")
            .order_by("check_run__inspection__on", "kind", "norm_set_name", "id")
        )
        steps = scope(actor, EnforcementStep.objects.all(), VIEW).filter(
            location__municipality=municipality
        )
        self.steps = [
            s
            for s in steps.select_related("location", "inspection").order_by(
                "decided_on", "location__name", "id"
            )
            if first <= s.decided_on <= last or (s.decided_on < first and s.completed_on is None)
        ]
        signals = scope(actor, Signal.objects.exclude(status=SignalStatus.CLOSED), VIEW)
        self.signals = Counter(
            dict(
                signals.filter(municipality=municipality)
                .values_list("kind")
                .annotate(n=Count("id"))
                .order_by()
            )
        )
        self.planning = risk.planning(actor, today, municipality=municipality.code)

    @property
    def fictitious(self) -> bool:
        return (
            any(i.fictitious or i.location.fictitious for i in self.inspections)
            or any(s.fictitious or s.location.fictitious for s in self.steps)
            or any(row.location.fictitious for row in self.planning[:TOP])
        )

    def open_steps(self) -> list[EnforcementStep]:
        return [s for s in self.steps if s.completed_on is None]

    def late_steps(self) -> list[EnforcementStep]:
        return [s for s in self.open_steps() if s.deadline and s.deadline < self.today]

    def section(self) -> Section:
        name = self.municipality.name
        return Section(
            f"{name} ({self.municipality.code})",
            blocks=(Paragraph(self.summary()),),
            subsections=(
                self._inspections(),
                self._findings(),
                self._steps(),
                self._signals(),
                self._planning(),
            ),
        )

    def summary(self) -> str:
        outcomes = Counter(i.outcome for i in self.inspections)
        told = "; ".join(
            f"{label} {outcomes[value]}" for value, label in InspectionOutcome.choices
            if outcomes[value]
        )  # fmt: skip
        text = _(
            "%(name)s, %(year)s: inspecties %(n)s%(outcomes)s, bevindingen %(findings)s. Open "
            "handhavingsstappen %(open)s, waarvan met een verstreken termijn %(late)s. Open "
            "signalen en meldingen %(signals)s."
        ) % {
            "name": self.municipality.name,
            "n": len(self.inspections),
            "year": self.first.year,
            "outcomes": f" ({told})" if told else "",
            "findings": len(self.findings),
            "open": len(self.open_steps()),
            "late": len(self.late_steps()),
            "signals": sum(self.signals.values()),
        }
        return text

    def _inspections(self) -> Section:
        rows = [
            (
                i.on, i.location.name, i.get_outcome_display(), _partners(i), i.n_findings,
                i.next_inspection, FICTIEF if i.fictitious or i.location.fictitious else "",
            )
            for i in self.inspections
        ]  # fmt: skip
        return Section(
            _("Inspecties"),
            blocks=(
                Table(
                    columns=(
                        _("Datum"),
                        _("Locatie"),
                        _("Uitkomst"),
                        _("Organisaties en partners"),
                        _("Bevindingen"),
                        _("Volgende inspectie"),
                        _("Status"),
                    ),
                    rows=rows,
                    caption=_("Inspecties in %(name)s, %(year)s")
                    % {"name": self.municipality.name, "year": self.first.year},
                    empty_text=_("Geen inspecties in deze periode."),
                ),
            ),
        )

    def _findings(self) -> Section:
        per_norm: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in self.findings:
            per_norm[(f.norm_set_name, f.kind)].append(f)
        summary = [
            (
                str(NormKind(kind).label), norm_set, len(found),
                len({f.check_run.inspection.location_id for f in found}),
            )
            for (norm_set, kind), found in sorted(
                per_norm.items(), key=lambda item: (-len(item[1]), item[0])
            )
        ]  # fmt: skip
        details = [
            (
                f.check_run.inspection.on, f.check_run.inspection.location.name,
                f.get_kind_display(), f.norm_set_name, f.measured, f.limit,
                f.get_severity_display(), f.explanation,
            )
            for f in self.findings
        ]  # fmt: skip
        return Section(
            _("Bevindingen per norm"),
            blocks=(
                Paragraph(
                    _(
                        "Een bevinding is een norm waaraan bij de inspectie niet werd voldaan. "
                        "Normen die voldeden of niet zijn gecontroleerd, staan hier niet."
                    )
                ),
                Table(
                    columns=(_("Norm"), _("Normenset"), _("Bevindingen"), _("Locaties")),
                    rows=summary,
                    caption=_("Bevindingen per norm, %(year)s") % {"year": self.first.year},
                    empty_text=_("Geen bevindingen bij inspecties in deze periode."),
                ),
                Table(
                    columns=(
                        _("Datum"),
                        _("Locatie"),
                        _("Norm"),
                        _("Normenset"),
                        _("Gemeten"),
                        _("Grens"),
                        _("Ernst"),
                        _("Uitleg"),
                    ),
                    rows=details,
                    caption=_("Alle bevindingen, %(year)s") % {"year": self.first.year},
                    empty_text=_("Geen bevindingen bij inspecties in deze periode."),
                ),
            ),
        )

    def _steps(self) -> Section:
        rows = [
            (
                s.location.name, s.get_kind_display(), s.decided_on, s.deadline, s.completed_on,
                self._state(s), FICTIEF if s.fictitious or s.location.fictitious else "",
            )
            for s in self.steps
        ]  # fmt: skip
        return Section(
            _("Handhaving"),
            blocks=(
                Paragraph(
                    _(
                        "Handhavingsstappen die in het jaar zijn besloten, en stappen van "
                        "eerder die nog openstaan, met hun stand op %(day)s."
                    )
                    % {"day": f"{self.today:%d-%m-%Y}"}
                ),
                Table(
                    columns=(
                        _("Locatie"),
                        _("Stap"),
                        _("Besloten op"),
                        _("Termijn tot"),
                        _("Afgerond op"),
                        _("Stand"),
                        _("Status"),
                    ),
                    rows=rows,
                    caption=_("Handhavingsstappen in %(name)s") % {"name": self.municipality.name},
                    empty_text=_("Geen handhavingsstappen."),
                ),
            ),
        )

    def _state(self, step: EnforcementStep) -> str:
        if step.completed_on is not None:
            return _("afgerond")
        if step.deadline is not None and step.deadline < self.today:
            return _("termijn verstreken")
        return _("loopt")

    def _signals(self) -> Section:
        rows = [(str(label), self.signals[kind]) for kind, label in SignalKind.choices]
        return Section(
            _("Open signalen en meldingen"),
            blocks=(
                Paragraph(
                    _(
                        "Signalen die nieuw zijn of in onderzoek, geteld per soort (stand op "
                        "%(day)s). Een signaal is een reden om te gaan kijken, geen oordeel."
                    )
                    % {"day": f"{self.today:%d-%m-%Y}"}
                ),
                Table(
                    columns=(_("Soort"), _("Open")),
                    rows=rows,
                    caption=_("Open signalen per soort in %(name)s")
                    % {"name": self.municipality.name},
                ),
            ),
        )

    def _planning(self) -> Section:
        rows = [
            (
                rank, row.location.name, row.risk.total, row.risk.signals, row.risk.findings,
                row.risk.reports, row.risk.inspection, row.risk.certificate,
                row.last_inspection, row.next_inspection,
                FICTIEF if row.location.fictitious else "",
            )
            for rank, row in enumerate(self.planning[:TOP], start=1)
        ]  # fmt: skip
        return Section(
            _("Planning: de %(n)s hoogste risicoscores") % {"n": TOP},
            blocks=(
                Table(
                    columns=(
                        _("Nr."),
                        _("Locatie"),
                        _("Risicoscore"),
                        _("Signalen"),
                        _("Bevindingen"),
                        _("Meldingen"),
                        _("Tijd sinds inspectie"),
                        _("Keurmerk"),
                        _("Laatste inspectie"),
                        _("Volgende inspectie"),
                        _("Status"),
                    ),
                    rows=rows,
                    caption=_("Locaties in gebruik in %(name)s met de hoogste risicoscore")
                    % {"name": self.municipality.name},
                    empty_text=_("Geen locaties in gebruik."),
                ),
            ),
        )


def _partners(inspection: Inspection) -> str:
    names = [o.name for o in inspection.organisations.all()]
    if inspection.other_partners:
        names.append(inspection.other_partners)
    return "; ".join(names)


def _overview(parts: list[_Municipality], year: int) -> Section:
    rows = [
        (
            p.municipality.name, p.municipality.code, len(p.inspections), len(p.findings),
            len(p.open_steps()), len(p.late_steps()), sum(p.signals.values()),
        )
        for p in parts
    ]  # fmt: skip
    return Section(
        _("Overzicht"),
        blocks=(
            Table(
                columns=(
                    _("Gemeente"),
                    _("Code"),
                    _("Inspecties"),
                    _("Bevindingen"),
                    _("Open stappen"),
                    _("Termijn verstreken"),
                    _("Open signalen"),
                ),
                rows=rows,
                caption=_("Inspecties en handhaving per gemeente, %(year)s") % {"year": year},
            ),
        ),
    )


def _method() -> Section:
    return Section(
        _("Hoe de risicoscore is opgebouwd"),
        blocks=(
            Paragraph(
                _(
                    "De planning zet de locaties in gebruik op volgorde van een risicoscore: de "
                    "som van vijf onderdelen, elk in punten."
                )
            ),
            Table(
                columns=(_("Onderdeel"), _("Punten")),
                rows=(
                    (
                        _("Open signaal (per signaal, naar score 0-100)"),
                        _("score/100 × %(w)s") % {"w": risk.SIGNAL_WEIGHT},
                    ),
                    (
                        _("Bevinding van de laatste toets (per bevinding)"),
                        _("ernst (hoog 3, middel 2, laag 1) × %(w)s") % {"w": risk.FINDING_WEIGHT},
                    ),
                    (
                        _("Melding (per melding, naar score 0-100)"),
                        _("score/100 × %(w)s") % {"w": risk.REPORT_WEIGHT},
                    ),
                    (
                        _("Tijd sinds de laatste inspectie"),
                        _("nooit: %(max)s; anders naar rato tot %(max)s na %(days)s dagen")
                        % {"max": risk.INSPECTION_MAX, "days": risk.INSPECTION_FULL_DAYS},
                    ),
                    (
                        _("Keurmerk"),
                        _("verlopen: %(expired)s; verloopt binnen %(days)s dagen: %(expiring)s")
                        % {
                            "expired": risk.CERTIFICATE_EXPIRED,
                            "expiring": risk.CERTIFICATE_EXPIRING,
                            "days": risk.CERTIFICATE_WARNING_DAYS,
                        },
                    ),
                ),
                caption=_("Onderdelen van de risicoscore"),
            ),
        ),
    )
