"""The contact inventory as a CSV/XLSX file: the same columns in and out (round trip)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas.models import Municipality
from waardig.core.access import CHANGE, SYSTEM, allowed_municipality_ids
from waardig.core.imports import Column, Importer, Item, RowErrors
from waardig.organisations import queries, services
from waardig.organisations.models import ContactPerson, Organisation, Person


def topic_by_text() -> dict[str, str]:
    """Topics by key or by label (in the active language, so files may use either)."""
    return {
        **{value: value for value in ContactPerson.Topic.values},
        **{str(label).lower(): value for value, label in ContactPerson.Topic.choices},
    }


CONTACT_COLUMNS = (
    Column("municipality", help=gettext_lazy("CBS-code (GM0983) of naam van de gemeente")),
    Column(
        "municipality_name",
        required=False,
        help=gettext_lazy("Naam van de gemeente (ter controle)"),
    ),
    Column(
        "topic",
        help=format_lazy(
            "{}: {}", gettext_lazy("Onderwerp"), ", ".join(ContactPerson.Topic.values)
        ),
    ),
    Column("name", help=gettext_lazy("Naam van de contactpersoon")),
    Column(
        "email",
        help=gettext_lazy("E-mailadres (sleutel: per gemeente en onderwerp één regel per adres)"),
    ),
    Column("phone", required=False, help=gettext_lazy("Telefoonnummer")),
    Column("function", required=False, help=gettext_lazy("Functie")),
    Column("organisation", required=False, help=gettext_lazy("Naam van een bekende organisatie")),
    Column("notes", required=False, help=gettext_lazy("Toelichting")),
)


class ContactsImporter(Importer):
    kind = "contacts"
    label = gettext_lazy("Contactpersonen per gemeente")
    model = ContactPerson
    columns = CONTACT_COLUMNS

    def prepare(self) -> None:
        municipalities = list(Municipality.objects.all())
        self.municipalities = {m.code: m for m in municipalities} | {
            m.name.lower(): m for m in municipalities
        }
        self.organisations = {o.name.lower(): o for o in Organisation.objects.all()}
        self.allowed = allowed_municipality_ids(self.actor, ContactPerson, CHANGE)
        self.topics = topic_by_text()
        self.people = {p.email: p for p in Person.objects.exclude(email="")}
        self.existing = {
            (c.municipality_id, c.topic, c.person.email): c
            for c in queries.contacts(SYSTEM)  # prefetched person and organisation
        }

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        key = values.get("municipality", "")
        municipality = self.municipalities.get(key.upper()) or self.municipalities.get(key.lower())
        if municipality is None:
            errors.add("municipality", _("Onbekende gemeente '%(value)s'.") % {"value": key})
        elif self.allowed is not None and municipality.id not in self.allowed:
            errors.add(
                "municipality",
                _("U mag de contactpersonen van %(name)s niet wijzigen.")
                % {"name": municipality.name},
            )
        elif values.get("municipality_name") and (
            values["municipality_name"].lower() != municipality.name.lower()
        ):
            errors.add(
                "municipality_name",
                _("Naam past niet bij code %(code)s (%(name)s).")
                % {"code": municipality.code, "name": municipality.name},
            )
        topic = self.topics.get(values.get("topic", "").lower())
        if topic is None:
            errors.add(
                "topic",
                _("Onbekend onderwerp; kies uit %(topics)s.")
                % {"topics": ", ".join(ContactPerson.Topic.values)},
            )
        if not values.get("name"):
            errors.add("name", _("Verplicht veld is leeg."))
        email = services.normalise_email(values.get("email", ""))
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", _("Geen geldig e-mailadres."))
        organisation = None
        if org_name := values.get("organisation"):
            organisation = self.organisations.get(org_name.lower())
            if organisation is None:
                errors.add(
                    "organisation", _("Onbekende organisatie '%(value)s'.") % {"value": org_name}
                )
        for column, limit in (("phone", 30), ("function", 200), ("notes", 500), ("name", 200)):
            if len(values.get(column, "")) > limit:
                errors.add(column, _("Te lang (maximaal %(limit)s tekens).") % {"limit": limit})
        errors.raise_if_any()
        return Item(
            row=row,
            key=(municipality.code, topic, email),
            label=f"{municipality.name}: {values['name']} ({topic})",
            values={
                "municipality": municipality,
                "topic": topic,
                "name": values["name"],
                "email": email,
                "phone": values.get("phone", ""),
                "function": values.get("function", ""),
                "notes": values.get("notes", ""),
                "organisation": organisation,
            },
        )

    def plan(self, item: Item) -> str:
        values = item.values
        contact = self.existing.get((values["municipality"].id, values["topic"], values["email"]))
        item.extra["contact"] = contact
        if contact is None:
            return "created"
        current = services.contact_values(contact)
        wanted = dict(item.values)
        if wanted["organisation"] is None:
            wanted["organisation"] = current["organisation"]  # empty means: leave as it is
        return "unchanged" if current == wanted else "updated"

    def write(self, item: Item) -> None:
        person = self.people.get(item.values["email"])
        contact = services.save_contact(
            self.actor,
            contact=item.extra["contact"],
            person=person,
            audit_change=False,
            **item.values,
        )
        self.people[contact.person.email] = contact.person  # a later row may name them again
