"""The import, export and report kinds and the navigation of the monitor app."""

from django.utils.translation import gettext_lazy as _

from waardig.core.imports import Option
from waardig.core.navigation import NavItem, register_nav
from waardig.core.registry import ReportKind, register_import, register_report
from waardig.monitor import reports
from waardig.monitor.importers import ObservationImporter
from waardig.monitor.models import Indicator, Observation

register_import(ObservationImporter)

register_report(
    ReportKind(
        "monitor",
        _("Monitor arbeidsmigratie (jaarrapport)"),
        Indicator,
        reports.monitor_report,
        options=(
            Option("year", _("jaar, bijvoorbeeld 2022"), required=True),
            Option("grouping", _("regio-indeling: admin of corop (standaard admin)")),
            Option("province", _("CBS-code van de provincie (alleen nodig bij meer dan één)")),
        ),
    )
)

register_nav(NavItem(_("Monitor"), "monitor-dashboard", Observation, order=15))
