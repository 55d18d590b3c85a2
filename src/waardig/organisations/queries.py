"""Reads of organisations and contacts, always scoped to the user through core.access."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from waardig.areas.models import Region
from waardig.core.access import scope
from waardig.organisations.models import ContactPerson, Membership, Organisation


def contacts(actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[ContactPerson]:
    filters = filters or {}
    queryset = (
        scope(actor, ContactPerson.objects.all())
        .select_related("municipality", "person")
        .prefetch_related(
            Prefetch(
                "person__memberships", queryset=Membership.objects.select_related("organisation")
            )
        )
    )
    if code := filters.get("municipality"):
        queryset = queryset.filter(municipality__code=code)
    if topic := filters.get("topic"):
        queryset = queryset.filter(topic=topic)
    if region := filters.get("region"):
        queryset = queryset.filter(municipality__regions=region)
    if text := filters.get("q"):
        queryset = queryset.filter(person__name__icontains=text) | queryset.filter(
            person__email__icontains=text
        )
    return queryset


def organisation_of(contact: ContactPerson) -> Organisation | None:
    memberships = list(contact.person.memberships.all())
    return memberships[0].organisation if memberships else None


def contact_row(contact: ContactPerson) -> list[Any]:
    """One contact in the columns of the contacts import (so export -> import round-trips)."""
    organisation = organisation_of(contact)
    return [
        contact.municipality.code,
        contact.municipality.name,
        contact.topic,
        contact.person.name,
        contact.person.email,
        contact.person.phone,
        contact.function,
        organisation.name if organisation else "",
        contact.notes,
    ]


def regions_of(grouping_slug: str) -> QuerySet[Region]:
    return Region.objects.filter(grouping__slug=grouping_slug).prefetch_related("municipalities")


def organisations(actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Organisation]:
    filters = filters or {}
    queryset = scope(actor, Organisation.objects.select_related("municipality"))
    if kind := filters.get("kind"):
        queryset = queryset.filter(kind=kind)
    if text := filters.get("q"):
        queryset = queryset.filter(name__icontains=text)
    return queryset
