"""The import, export and report kinds and the navigation of the housing app."""

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
from waardig.housing import gap, gap_views, importers, occupancy, planning, policy, reports
from waardig.housing.guest_register import GuestRegisterImporter
from waardig.housing.models import (
    HousingNeed,
    Location,
    Parameters,
    PolicyChange,
    PolicyEntry,
    Project,
    WoondealAgreement,
)

for importer in (
    importers.LocationImporter,
    importers.ProjectImporter,
    importers.NeedImporter,
    importers.PolicyImporter,
    GuestRegisterImporter,
):
    register_import(importer)

# -- locations and occupancy ------------------------------------------------------------------

LOCATION = Option("location", _("nummer van de locatie"), required=True)
LOCATION_FILTERS = (
    Option("q", _("zoektekst in naam, adres of postcode")),
    Option("municipality", _("CBS-code van de gemeente, bijvoorbeeld GM0983")),
    Option("status", _("status: planned, in_use of closed")),
    Option("housing_form", _("woonvorm, bijvoorbeeld hotel of flex")),
    Option("stay_class", _("verblijfsduur: short, mid of long")),
    Option("certification", _("keurmerk: snf, akf of none")),
    Option("certified", _("geldig certificaat vandaag: yes of no")),
    Option("sort", _("sortering, bijvoorbeeld capacity of -occupancy")),
)
for kind, label, rows, options in (
    ("housing-locations", _("Huisvesting: locaties"), occupancy.location_table, LOCATION_FILTERS),
    ("housing-occupancy", _("Huisvesting: bezetting van een locatie per maand"),
     occupancy.occupancy_table, (LOCATION,)),
    ("housing-head-counts", _("Huisvesting: tellingen van een locatie"),
     occupancy.head_count_table, (LOCATION,)),
):  # fmt: skip
    register_export(ExportKind(kind, label, Location, rows, options=options))
# Whoever sees a location may ask; the rows are scoped to GuestStay's policy (a province role
# gets none) and every download is audited (personal).
register_export(
    ExportKind(
        "housing-guest-stays",
        _("Huisvesting: nachtregister (verblijven)"),
        Location,
        occupancy.guest_stay_table,
        personal=True,
        options=(Option("location", _("nummer van de locatie (leeg: alle die u mag zien)")),),
    )
)

# -- projects, Woondeal, need, parameters -----------------------------------------------------

MUNICIPALITY = Option("municipality", _("CBS-code van de gemeente"))
YEAR = Option("year", _("jaar, bijvoorbeeld 2025"))
GROUPING = Option("grouping", _("regio-indeling: admin of corop (standaard admin)"))
for kind, label, model, rows, options in (
    ("housing-projects", _("Huisvesting: projecten (geplande capaciteit)"), Project,
     planning.project_table, (
         MUNICIPALITY,
         Option("region", _("id van de regio")),
         Option("status", _("status van het project, bijvoorbeeld permit")),
         Option("stay_class", _("verblijfsduur: short, mid of long")),
         Option("year", _("verwacht gereed in dit jaar")),
     )),
    ("housing-project-history", _("Huisvesting: statusgeschiedenis van een project"), Project,
     planning.project_history_table,
     (Option("project", _("nummer van het project"), required=True),)),
    ("housing-woondeal", _("Huisvesting: Woondeal-afspraken en realisatie"), WoondealAgreement,
     planning.woondeal_table,
     (MUNICIPALITY, YEAR, GROUPING)),
    ("housing-need", _("Huisvesting: woonbehoefte met herkomst"), HousingNeed,
     planning.need_table, (MUNICIPALITY, YEAR)),
    ("housing-parameters", _("Huisvesting: parameters en hun geschiedenis"), Parameters,
     planning.parameters_table, ()),
):  # fmt: skip
    register_export(ExportKind(kind, label, model, rows, options=options))

# -- gap analysis -----------------------------------------------------------------------------

register_export(
    ExportKind(
        "housing-gap",
        _("Huisvesting: tekort of overschot per gemeente en regio"),
        HousingNeed,
        gap_views.export_rows,
        options=(gap.YEAR, gap.GROUPING, gap.STAY_CLASS),
    )
)
register_report(
    ReportKind(
        "housing-gap",
        _("Huisvesting arbeidsmigranten: tekort en overschot (jaarrapport)"),
        HousingNeed,
        reports.gap_report,
        options=(gap.YEAR, gap.GROUPING),
    )
)

# -- policy inventory -------------------------------------------------------------------------

BY_AREA = (policy.GROUPING_OPTION, policy.INSTRUMENT_OPTION)
for kind, label, model, rows, options in (
    ("housing-policy", _("Huisvesting: beleid per gemeente en instrument"), PolicyEntry,
     policy.matrix_rows, BY_AREA),
    ("housing-policy-counts", _("Huisvesting: beleid geteld per regio en provincie"),
     PolicyEntry, policy.count_rows, BY_AREA),
    ("housing-policy-history", _("Huisvesting: wijzigingen in de beleidsinventarisatie"),
     PolicyChange, policy.history_rows, (policy.MUNICIPALITY_OPTION, policy.INSTRUMENT_OPTION)),
):  # fmt: skip
    register_export(ExportKind(kind, label, model, rows, options=options))

register_nav(NavItem(_("Huisvesting"), "housing-gap", HousingNeed, order=20))
