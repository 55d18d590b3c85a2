"""The import and export kinds of this app (loaded from AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from waardig.areas import queries
from waardig.areas.importers import AreasImporter
from waardig.areas.models import Municipality
from waardig.core.navigation import NavItem, register_nav
from waardig.core.registry import ExportKind, register_export, register_import

register_import(AreasImporter)

register_export(
    ExportKind(
        kind="municipalities",
        label=_("Gemeenten met hun regio's"),
        model=Municipality,
        rows=lambda actor, options: queries.municipality_table(options),
    )
)

register_nav(NavItem(_("Gemeenten"), "municipality-list", Municipality, order=10))
