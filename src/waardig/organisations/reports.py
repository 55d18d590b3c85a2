"""The contact-person report: who to call in which municipality, per region."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from waardig.areas.models import Grouping
from waardig.core.charts import bar_chart
from waardig.core.reports.document import Chart, Document, Paragraph, Section, Table
from waardig.organisations import queries
from waardig.organisations.models import ContactPerson


def contact_table_columns() -> tuple[str, ...]:
    return (_("Onderwerp"), _("Naam"), _("Functie"), _("Organisatie"), _("E-mail"), _("Telefoon"))


def coverage(actor: Any, grouping_slug: str) -> list[dict[str, Any]]:
    """Per region and topic: how many municipalities have at least one contact person."""
    covered = set(queries.contacts(actor).values_list("municipality_id", "topic"))
    values = []
    for region in queries.regions_of(grouping_slug):
        municipality_ids = [
            m.id for m in region.municipalities.all() if m.is_valid_on(date.today())
        ]
        for topic, label in ContactPerson.Topic.choices:
            values.append(
                {
                    "regio": region.name,
                    "onderwerp": str(label),
                    "gemeenten": sum((mid, topic) in covered for mid in municipality_ids),
                    "totaal": len(municipality_ids),
                }
            )
    return values


def coverage_chart(actor: Any, grouping_slug: str) -> Chart:
    values = coverage(actor, grouping_slug)
    return Chart(
        spec=bar_chart(
            values,
            x="onderwerp",
            y="gemeenten",
            color="regio",
            title=_("Gemeenten met een contactpersoon, per onderwerp en regio"),
            x_title=_("Onderwerp"),
            y_title=_("Aantal gemeenten"),
            horizontal=True,
        ),
        title=_("Dekking contactpersonen per onderwerp en regio"),
        description=_(
            "Staafdiagram: per onderwerp het aantal gemeenten met ten minste één contactpersoon, "
            "gestapeld per regio."
        ),
    )


def build_contacts_report(actor: Any, options: dict[str, Any]) -> Document:
    grouping_slug = options.get("grouping") or "admin"
    grouping = Grouping.objects.filter(slug=grouping_slug).first()
    contacts = list(queries.contacts(actor))
    by_municipality: dict[int, list[ContactPerson]] = {}
    for contact in contacts:
        by_municipality.setdefault(contact.municipality_id, []).append(contact)
    today = date.today()
    sections = [
        Section(
            _("Dekking"),
            blocks=(
                Paragraph(
                    _(
                        "Per onderwerp hoeveel gemeenten ten minste één contactpersoon hebben "
                        "opgegeven. Ontbrekende onderwerpen staan per gemeente hieronder."
                    )
                ),
                coverage_chart(actor, grouping_slug),
            ),
        )
    ]
    for region in queries.regions_of(grouping_slug):
        subsections = []
        for municipality in sorted(region.municipalities.all(), key=lambda m: m.name):
            if not municipality.is_valid_on(today):
                continue
            own = by_municipality.get(municipality.id, [])
            missing = set(ContactPerson.Topic.values) - {c.topic for c in own}
            blocks: list[Any] = [
                Table(
                    columns=contact_table_columns(),
                    rows=tuple(_contact_cells(c) for c in own),
                    empty_text=_("Nog geen contactpersonen opgegeven."),
                )
            ]
            if missing:
                labels = [
                    str(label) for value, label in ContactPerson.Topic.choices if value in missing
                ]
                blocks.append(
                    Paragraph(
                        _("Geen contactpersoon voor: %(topics)s.") % {"topics": ", ".join(labels)}
                    )
                )
            subsections.append(Section(f"{municipality.name} ({municipality.code})", tuple(blocks)))
        sections.append(Section(region.name, subsections=tuple(subsections)))
    return Document(
        title=_("Contactpersonen arbeidsmigratie per gemeente"),
        subtitle=grouping.name if grouping else "",
        meta=(
            (_("Peildatum"), today.strftime("%d-%m-%Y")),
            (_("Aantal contactpersonen"), str(len(contacts))),
            (_("Indeling"), grouping.name if grouping else grouping_slug),
        ),
        sections=tuple(sections),
    )


def _contact_cells(contact: ContactPerson) -> tuple[str, ...]:
    organisation = queries.organisation_of(contact)
    return (
        contact.get_topic_display(),
        contact.person.name,
        contact.function,
        organisation.name if organisation else "",
        contact.person.email,
        contact.person.phone,
    )
