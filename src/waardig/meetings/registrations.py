"""The import, export and report kinds and the navigation of the meetings app."""

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
from waardig.meetings import reports
from waardig.meetings.importers import MinutesImporter
from waardig.meetings.models import ActionItem, Body, Meeting

register_import(MinutesImporter)

MEETING = Option("meeting", _("nummer (id) van de vergadering"), required=True)
ACTION_FILTERS = (
    Option("status", _("status van de actiepunten: open, done of cancelled")),
    Option("owner", _("eigenaar bevat (zoals geschreven, persoon of organisatie)")),
    Option("organisation", _("id van de organisatie van de eigenaar")),
    Option("overdue", _("1: alleen te late, 0: geen te late")),
)
for kind, label, build in (
    ("agenda", _("Agenda van een vergadering"), reports.agenda_report),
    ("minutes", _("Verslag van een vergadering"), reports.minutes_report),
):
    register_report(ReportKind(kind, label, Meeting, build, options=(MEETING,)))
register_report(
    ReportKind(
        "action-items",
        _("Actielijst van een overleg"),
        ActionItem,
        reports.action_list_report,
        options=(Option("body", _("korte naam van het overleg"), required=True), *ACTION_FILTERS),
    )
)
register_export(
    ExportKind(
        "action-items",
        _("Actiepunten"),
        ActionItem,
        reports.action_export_rows,
        options=(Option("body", _("korte naam van het overleg (leeg: alle)")), *ACTION_FILTERS),
    )
)

register_nav(NavItem(_("Overleg"), "body-list", Body, order=20))
