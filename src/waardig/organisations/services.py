"""Writes to organisations, people and the contact inventory, each checked against access."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waardig.areas.models import Municipality
from waardig.core import audit
from waardig.core.access import CHANGE, require
from waardig.organisations import queries
from waardig.organisations.models import ContactPerson, Organisation, Person

CONTACT_FIELDS = ("name", "email", "phone", "function", "notes", "organisation")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_person(email: str) -> Person | None:
    return Person.objects.filter(email=normalise_email(email)).first() if email else None


def contact_values(contact: ContactPerson) -> dict[str, Any]:
    """The contact as the flat values a form, an import row or an export uses."""
    return {
        "municipality": contact.municipality,
        "topic": contact.topic,
        "name": contact.person.name,
        "email": contact.person.email,
        "phone": contact.person.phone,
        "function": contact.function,
        "notes": contact.notes,
        "organisation": queries.organisation_of(contact),
    }


@transaction.atomic
def save_contact(
    actor: Any,
    *,
    municipality: Municipality,
    topic: str,
    name: str,
    email: str,
    phone: str = "",
    function: str = "",
    notes: str = "",
    organisation: Organisation | None = None,
    contact: ContactPerson | None = None,
    person: Person | None = None,
    audit_change: bool = True,
) -> ContactPerson:
    """Create or change one entry of the contact inventory (and the person behind it).

    Imports pass the ``person`` they already looked up, and leave ``audit_change`` off: the
    import as a whole is audited once (core.imports.jobs).
    """
    if contact is not None:
        require(actor, CHANGE, contact)  # the municipality it belongs to now
    if topic not in ContactPerson.Topic.values:
        raise ValidationError({"topic": _("Onbekend onderwerp.")})
    person = person or find_person(email) or (contact.person if contact else None) or Person()
    person.name, person.email, person.phone = name, normalise_email(email), phone
    contact = contact or ContactPerson()
    contact.municipality, contact.topic = municipality, topic
    contact.function, contact.notes = function, notes
    require(actor, CHANGE, contact)  # ... and the municipality it is moved to
    person.full_clean()
    person.save()
    contact.person = person
    contact.full_clean()
    contact.save()
    if organisation is not None:
        person.memberships.update_or_create(
            organisation=organisation, defaults={"function": function}
        )
    if audit_change:
        audit.record(
            actor,
            "change",
            "contactpersoon",
            detail=f"{municipality.code} {topic}: {person.name}",
            municipality_codes=[municipality.code],
        )
    return contact


@transaction.atomic
def delete_contact(actor: Any, contact: ContactPerson) -> None:
    require(actor, CHANGE, contact)
    audit.record(
        actor,
        "change",
        "contactpersoon verwijderd",
        detail=f"{contact.municipality.code} {contact.topic}: {contact.person.name}",
        municipality_codes=[contact.municipality.code],
    )
    person = contact.person
    contact.delete()
    if not person.contact_roles.exists() and not person.memberships.exists():
        person.delete()
