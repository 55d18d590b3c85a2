"""Compliance fixtures: the housing fixtures (make_location, locations)."""

from housing.conftest import locations, make_location  # noqa: F401
