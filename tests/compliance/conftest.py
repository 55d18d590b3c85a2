"""Compliance fixtures: the housing fixtures (make_location, locations) and the shipped norm
sets in every test that uses the database."""

import pytest
from housing.conftest import locations, make_location  # noqa: F401

from waardig.compliance import shipped
from waardig.compliance.models import Norm, NormSet, SignalParameters


@pytest.fixture(autouse=True)
def shipped_norm_sets(request: pytest.FixtureRequest) -> None:
    """Migration 0002 loads the shipped norm sets, but a transactional test (the browser
    tests) flushes the database, and the copy pytest-django serialises is not always put
    back: load them again where they are missing."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db", "transactional_db", "live_server"
    } & set(request.fixturenames)  # fmt: skip
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    if not NormSet.objects.exists():
        shipped.load(NormSet, Norm, SignalParameters)
