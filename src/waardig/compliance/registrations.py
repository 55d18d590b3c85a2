"""The import, export and report kinds and the navigation of the compliance app.

Each part registers its own kinds in its own section below."""

from django.utils.translation import gettext_lazy as _

from waardig.compliance.models import Norm
from waardig.core.navigation import NavItem, register_nav

register_nav(NavItem(_("Toezicht"), "compliance-home", Norm, order=30))

# -- norms and checks (section of the norms pages) --------------------------------------------

from waardig.compliance import norm_views  # noqa: E402
from waardig.compliance.models import NormChange, NormSet, SignalParameters  # noqa: E402
from waardig.core.imports import Option  # noqa: E402
from waardig.core.registry import ExportKind, register_export  # noqa: E402

# Norms are public knowledge in the network (NORM_DATA): no person, no audit entry.
NORM_SET = Option("norm_set", _("nummer van de normenset (leeg: alle)"))
for kind, label, model, rows, options in (
    ("compliance-norms", _("Toezicht: normen van de normensets"), NormSet, norm_views.norm_rows,
     (Option("valid_on", _("alleen sets die gelden op deze datum (JJJJ-MM-DD)")), NORM_SET)),
    ("compliance-norm-changes", _("Toezicht: wijzigingen van normen (wie, wat, waarom)"),
     NormChange, norm_views.norm_change_rows, (NORM_SET,)),
    ("compliance-signal-parameters", _("Toezicht: signaalinstellingen en hun geschiedenis"),
     SignalParameters, norm_views.signal_parameter_rows, ()),
):  # fmt: skip
    register_export(ExportKind(kind, label, model, rows, options=options))

# -- signals and scans (section of the signals pages) -----------------------------------------

from waardig.compliance import signal_forms, signal_views  # noqa: E402
from waardig.compliance.models import Signal  # noqa: E402
from waardig.core.registry import ExportKind, register_export  # noqa: E402

# Only the municipality's officers and inspectors may ask (Signal's policy); the rows are the
# queue's, filtered the same way, and every download is audited (personal).
register_export(
    ExportKind(
        "compliance-signals",
        _("Toezicht: signalen (wordt vastgelegd)"),
        Signal,
        signal_views.signal_table,
        personal=True,
        options=signal_forms.OPTIONS,
    )
)
# Numbers per municipality for the whole network (compliance.counts: small counts hidden).
register_export(
    ExportKind(
        "compliance-counts",
        _("Toezicht: aantallen per gemeente"),
        Norm,
        signal_views.counts_table,
    )
)

# -- registration extracts (section of the importers) -----------------------------------------

from waardig.compliance.importers import BagImporter, RegistrationImporter  # noqa: E402
from waardig.core.registry import register_import  # noqa: E402

register_import(BagImporter)
register_import(RegistrationImporter)

# -- inspections and enforcement (section of the inspection pages) ----------------------------

from waardig.compliance import reports, risk  # noqa: E402
from waardig.compliance.models import Inspection  # noqa: E402
from waardig.core.imports import Option  # noqa: E402
from waardig.core.registry import (  # noqa: E402
    ExportKind,
    ReportKind,
    register_export,
    register_report,
)

# The municipality's own officers and inspectors (Inspection's policy); no person in them.
register_export(
    ExportKind(
        "compliance-planning",
        _("Toezicht: inspectieplanning op risico"),
        Inspection,
        risk.planning_table,
        options=(Option("municipality", _("CBS-code van de gemeente, bijvoorbeeld GM0983")),),
    )
)
register_report(
    ReportKind(
        "inspections",
        _("Toezicht: inspecties en handhaving (jaarrapport per gemeente)"),
        Inspection,
        reports.inspections_report,
        options=(
            Option("municipality", _("CBS-code van de gemeente (leeg: alle die u mag zien)")),
            Option("year", _("jaar, bijvoorbeeld 2026 (standaard: dit jaar)")),
        ),
    )
)
