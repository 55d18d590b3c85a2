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
from waardig.programme.models import Action, BudgetLine, Programme, StatusUpdate

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
    found = queries.actions(actor, programme, options)
    return [c.name for c in ACTION_COLUMNS], [
        action_row(a, queries.latest_update(a)) for a in found
    ]


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
