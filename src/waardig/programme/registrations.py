"""The import, export and report kinds of the programme app (loaded from AppConfig.ready)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from waardig.core.imports import Option
from waardig.core.navigation import NavItem, register_nav
from waardig.core.registry import (
    ExportKind,
    ReportKind,
    register_export,
    register_import,
    register_report,
)
from waardig.programme import queries, reports
from waardig.programme.importers import (
    ACTION_COLUMNS,
    PROGRAMME_OPTION,
    ActionListImporter,
    ActionsImporter,
    action_row,
)
from waardig.programme.models import Action, BudgetLine, Milestone, Programme, StatusUpdate

register_import(ActionsImporter)
register_import(ActionListImporter)

FILTER_OPTIONS = (
    PROGRAMME_OPTION,
    Option("theme", _("id van een thema (met onderliggende)")),
    Option("status", _("status")),
    Option("organisation", _("id van een organisatie (trekker of partner)")),
    Option("role", _("rol van de provincie")),
    Option("overdue", _("alleen gemarkeerde acties (1)")),
    Option("q", _("zoektekst")),
)


def _action_rows(actor: Any, options: dict[str, Any]):
    programme = queries.programme(actor, options.get("programme", ""))
    found = list(queries.actions(actor, programme, options))
    latest = queries.latest_updates(found)
    return [c.name for c in ACTION_COLUMNS], [action_row(a, latest.get(a.pk)) for a in found]


def _budget_rows(actor: Any, options: dict[str, Any]):
    programme = queries.programme(actor, options.get("programme", ""))
    columns = ["theme", "action", "description", "funding_source", "year"]
    columns += ["budgeted", "committed", "spent", "over_budget", "fictitious"]
    return columns, [
        [
            str(line.theme or ""),
            line.action.external_id if line.action else "",
            line.description,
            line.funding_source,
            line.year or "",
            line.budgeted,
            line.committed,
            line.spent,
            line.over_budget,
            line.fictitious,
        ]
        for line in queries.budget_lines(actor, programme)
    ]


def _update_rows(actor: Any, options: dict[str, Any]):
    programme = queries.programme(actor, options.get("programme", ""))
    updates = StatusUpdate.objects.filter(action__programme=programme).select_related("action")
    if action := options.get("action"):
        updates = updates.filter(action__external_id=action)
    columns = ["action", "date", "status", "progress", "narrative", "author", "fictitious"]
    return columns, [
        [
            u.action.external_id,
            u.date,
            u.status,
            u.progress,
            u.narrative,
            u.author_name,
            u.fictitious,
        ]
        for u in updates.order_by("action__external_id", "date", "id")
    ]


def _programme_rows(actor: Any, options: dict[str, Any]):
    columns = ["slug", "name", "period", "start_date", "end_date", "owner", "reporting_rhythm"]
    columns += ["actions", "progress", "flagged"]
    rows = []
    for programme in queries.programmes(actor):
        root = queries.tree(actor, programme)
        rows.append(
            [
                programme.slug,
                programme.name,
                programme.period_text,
                programme.start_date,
                programme.end_date,
                str(programme.owner or ""),
                programme.reporting_rhythm,
                root.action_count,
                None if root.progress is None else round(root.progress),
                root.flagged,
            ]
        )
    return columns, rows


def _milestone_rows(actor: Any, options: dict[str, Any]):
    programme = queries.programme(actor, options.get("programme", ""))
    milestones = Milestone.objects.filter(action__in=queries.actions(actor, programme))
    names = ["title", "period_text", "planned_start", "planned_end", "achieved_on"]
    return ["action", *names], [
        [m.action.external_id, *(getattr(m, name) for name in names)]
        for m in milestones.select_related("action").order_by("action__external_id", "order")
    ]


register_export(
    ExportKind(
        kind="programmes",
        label=_("Programma's"),
        model=Programme,
        rows=_programme_rows,
    )
)
register_export(
    ExportKind(
        kind="milestones",
        label=_("Mijlpalen van een programma"),
        model=Milestone,
        rows=_milestone_rows,
        options=(PROGRAMME_OPTION,),
    )
)
register_export(
    ExportKind(
        kind="actions",
        label=_("Acties van een programma"),
        model=Action,
        rows=_action_rows,
        options=FILTER_OPTIONS,
    )
)
register_export(
    ExportKind(
        kind="budget-lines",
        label=_("Begrotingsregels van een programma"),
        model=BudgetLine,
        rows=_budget_rows,
        options=(PROGRAMME_OPTION,),
    )
)
register_export(
    ExportKind(
        kind="status-updates",
        label=_("Voortgangsberichten van een programma"),
        model=StatusUpdate,
        rows=_update_rows,
        options=(PROGRAMME_OPTION, Option("action", _("kenmerk van één actie"))),
    )
)

REPORT_LABELS = {
    "programme-status": _("Stand van zaken per thema"),
    "programme-annual": _("Jaarrapportage aan Provinciale Staten"),
    "programme-quarterly": _("Kwartaalrapportage"),
}
YEAR = Option("year", _("jaar, bijvoorbeeld 2025"))
QUARTER = Option("quarter", _("kwartaal 1-4"))
REPORT_OPTIONS = {
    "programme-status": (PROGRAMME_OPTION,),
    "programme-annual": (PROGRAMME_OPTION, YEAR),
    "programme-quarterly": (PROGRAMME_OPTION, YEAR, QUARTER),
}
for kind in reports.KINDS:
    register_report(
        ReportKind(
            kind=kind,
            label=REPORT_LABELS[kind],
            model=Action,
            build=reports.builder(kind),
            options=REPORT_OPTIONS[kind],
        )
    )

register_nav(NavItem(_("Programma's"), "programme-list", Programme, order=10))
