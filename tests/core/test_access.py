"""The access module decides alone: these are its rules, checked role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from waardig.areas.models import Municipality
from waardig.core.access import (
    CHANGE,
    SYSTEM,
    VIEW,
    AccessPolicy,
    Role,
    allows,
    may,
    require,
    role_of,
    scope,
)
from waardig.organisations.models import ContactPerson

pytestmark = pytest.mark.django_db


def test_anonymous_and_inactive_users_are_public(users):
    assert role_of(AnonymousUser()) is Role.PUBLIC
    officer = users["venlo_officer"]
    officer.is_active = False
    assert role_of(officer) is Role.PUBLIC
    assert role_of(None) is Role.PUBLIC


def test_contacts_are_seen_by_the_network_but_not_the_public(contacts, users):
    queryset = ContactPerson.objects.all()
    assert scope(AnonymousUser(), queryset).count() == 0
    for name, user in users.items():
        assert scope(user, queryset).count() == 2, name


def test_municipality_officer_changes_only_own_municipality(contacts, users):
    venlo = users["venlo_officer"]
    assert allows(venlo, CHANGE, contacts["venlo"])
    assert not allows(venlo, CHANGE, contacts["maastricht"])
    with pytest.raises(PermissionDenied):
        require(venlo, CHANGE, contacts["maastricht"])
    changeable = scope(venlo, ContactPerson.objects.all(), CHANGE)
    assert list(changeable) == [contacts["venlo"]]


def test_unsaved_object_is_checked_by_its_municipality(users):
    candidate = ContactPerson(municipality=Municipality.objects.get(code="GM0935"))
    assert not allows(users["venlo_officer"], CHANGE, candidate)
    assert allows(users["maastricht_officer"], CHANGE, candidate)
    assert allows(users["province_admin"], CHANGE, candidate)
    assert not allows(users["analyst"], CHANGE, candidate)


def test_scoped_role_without_municipalities_may_do_nothing(make_user, areas):
    loose = make_user("loose", Role.MUNICIPALITY_OFFICER)
    assert not may(loose, CHANGE, ContactPerson)
    assert may(loose, VIEW, ContactPerson)  # viewing contacts is for the whole network


def test_system_actor_has_province_rights(contacts):
    assert allows(SYSTEM, CHANGE, contacts["maastricht"])


def test_policy_with_scoped_roles_needs_a_path():
    with pytest.raises(ValueError, match="municipality_path"):
        AccessPolicy(view_scoped=frozenset({Role.INSPECTOR}))


def test_models_without_policy_are_refused():
    class Plain:
        pass

    with pytest.raises(TypeError):
        may(SYSTEM, VIEW, Plain)
