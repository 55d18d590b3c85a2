"""Housing fixtures: a location in Venlo and one in Maastricht, through the services."""

import datetime
from collections.abc import Callable

import pytest
from fixtures import MAASTRICHT, VENLO

from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.housing import services
from waardig.housing.models import Location


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


@pytest.fixture
def make_location(areas) -> Callable[..., Location]:
    """make_location("GM0983", name="Hotel", capacity=40, status="in_use", ...)."""

    def make(code: str = VENLO, **values) -> Location:
        fields = {
            "name": f"Locatie {code}",
            "postcode": "5911 AB",
            "house_number": 1,
            "housing_form": "hotel",
            "stay_class": "short",
            "capacity": 40,
            **values,
        }
        status = fields.pop("status", "in_use")
        location, _ = services.save_location(
            SYSTEM,
            municipality=municipality(code),
            status=status,
            status_on=datetime.date(2024, 1, 1),
            **fields,
        )
        return location

    return make


@pytest.fixture
def locations(make_location) -> dict[str, Location]:
    """An in-use short-stay location in Venlo and one in Maastricht."""
    return {
        "venlo": make_location(VENLO, name="Logies Venlo", postcode="5911 AB", house_number=1),
        "maastricht": make_location(
            MAASTRICHT, name="Logies Maastricht", postcode="6211 AA", house_number=2
        ),
    }
