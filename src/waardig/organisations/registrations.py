"""The import, export and report kinds of this app (loaded from AppConfig.ready)."""

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
from waardig.organisations import queries
from waardig.organisations.importers import CONTACT_COLUMNS, ContactsImporter
from waardig.organisations.models import ContactPerson, Organisation
from waardig.organisations.reports import build_contacts_report

register_import(ContactsImporter)

register_export(
    ExportKind(
        kind="contacts",
        label=_("Contactpersonen per gemeente"),
        model=ContactPerson,
        rows=lambda actor, options: (
            [c.name for c in CONTACT_COLUMNS],
            [queries.contact_row(c) for c in queries.contacts(actor, options)],
        ),
        personal=True,
        options=(
            Option("municipality", _("CBS-code van de gemeente")),
            Option("topic", _("onderwerp")),
        ),
    )
)

register_export(
    ExportKind(
        kind="organisations",
        label=_("Organisaties"),
        model=Organisation,
        rows=lambda actor, options: (
            ["name", "kind", "municipality", "website", "email", "phone"],
            [
                [
                    o.name,
                    o.kind,
                    o.municipality.code if o.municipality else "",
                    o.website,
                    o.email,
                    o.phone,
                ]
                for o in queries.organisations(actor, options)
            ],
        ),
        options=(Option("kind", _("soort organisatie")),),
    )
)

register_report(
    ReportKind(
        kind="contacts",
        label=_("Contactpersonen per regio en gemeente"),
        model=ContactPerson,
        build=build_contacts_report,
        personal=True,
        options=(Option("grouping", _("indeling: admin (bestuurlijke regio) of corop")),),
    )
)

register_nav(NavItem(_("Contactpersonen"), "contact-list", ContactPerson, order=20))
register_nav(NavItem(_("Organisaties"), "organisation-list", Organisation, order=30))
