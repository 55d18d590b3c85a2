"""Shared fixtures: the reference areas, one user per role, contacts in two municipalities."""

from collections.abc import Callable

import pytest
from django.test import Client

from waardig.accounts.models import User
from waardig.areas.demo import load_reference_areas
from waardig.areas.models import Municipality
from waardig.core.access import Role
from waardig.organisations import services
from waardig.organisations.models import ContactPerson, Organisation

PASSWORD = "a-long-test-password-1"
VENLO, MAASTRICHT, VENRAY = "GM0983", "GM0935", "GM0984"


@pytest.fixture
def areas(db) -> None:
    load_reference_areas()


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(username: str, role: Role, codes: tuple[str, ...] = ()) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD, role=role)
        user.is_staff = user.is_superuser = role is Role.PROVINCE_ADMIN
        user.save()
        user.municipalities.set(Municipality.objects.filter(code__in=codes))
        return User.objects.get(pk=user.pk)  # fresh: no cached municipality ids

    return make


@pytest.fixture
def users(areas, make_user) -> dict[str, User]:
    """Keys are the names the access tests use for each role."""
    return {
        "province_admin": make_user("provincie", Role.PROVINCE_ADMIN),
        "analyst": make_user("analist", Role.ANALYST),
        "coordinator": make_user("coordinator", Role.PROGRAMME_COORDINATOR),
        "venlo_officer": make_user("venlo", Role.MUNICIPALITY_OFFICER, (VENLO,)),
        "maastricht_officer": make_user("maastricht", Role.MUNICIPALITY_OFFICER, (MAASTRICHT,)),
        "inspector": make_user("inspecteur", Role.INSPECTOR, (VENLO, VENRAY)),
        "member": make_user("taskforce", Role.MEMBER),
    }


@pytest.fixture
def coordinator(users) -> Client:
    """A test client logged in as the programme coordinator (the province's secretary)."""
    client = Client()
    client.force_login(users["coordinator"])
    return client


@pytest.fixture
def contacts(users) -> dict[str, ContactPerson]:
    admin = users["province_admin"]
    venlo_org = Organisation.objects.create(name="Gemeente Venlo", kind="municipality")

    def add(code: str, topic: str, name: str, email: str, **extra) -> ContactPerson:
        return services.save_contact(
            admin,
            municipality=Municipality.objects.get(code=code),
            topic=topic,
            name=name,
            email=email,
            **extra,
        )

    return {
        "venlo": add(VENLO, "housing", "Anna Venlo", "anna@venlo.test", organisation=venlo_org),
        "maastricht": add(MAASTRICHT, "registration", "Bram Maastricht", "bram@maastricht.test"),
    }


def use_fast_password_hashing() -> None:
    """Real hashing costs ~0.3 s a user; tests create many users and test no hashing."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


def use_temporary_media() -> None:
    """Uploaded papers go to a throwaway folder, never into the developer's var/media."""
    import tempfile

    from django.conf import settings

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="waardig-media-")
