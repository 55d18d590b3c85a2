"""The register's capacity as the monitor's "housing-capacity" figure."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from fixtures import MAASTRICHT, VENLO

from waardig.core.access import SYSTEM
from waardig.housing import services
from waardig.housing.capacity import publish_capacity
from waardig.monitor.indicators import load_indicators
from waardig.monitor.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(make_location):
    load_indicators()
    make_location(VENLO, name="A", capacity=40)
    make_location(VENLO, name="B", house_number=2, capacity=25, fictitious=True)
    make_location(VENLO, name="Gepland", house_number=3, capacity=99, status="planned")
    return make_location(MAASTRICHT, name="C", postcode="6211 AA", capacity=10)


def figures(year: int) -> dict[str, tuple[Decimal, str]]:
    return {
        o.municipality.code: (o.value, o.status)
        for o in Observation.objects.filter(indicator__code="housing-capacity", period=str(year))
    }


def test_capacity_in_use_becomes_the_monitor_figure(users, register):
    counts = publish_capacity(users["analyst"], 2025)
    assert counts["created"] == 2
    assert figures(2025) == {
        VENLO: (Decimal(65), "fictitious"),
        MAASTRICHT: (Decimal(10), "definitive"),
    }
    assert publish_capacity(users["analyst"], 2025)["unchanged"] == 2
    # Municipalities without locations get no figure: unknown is not zero.
    assert Observation.objects.filter(indicator__code="housing-capacity").count() == 2


def test_a_closed_location_brings_an_earlier_figure_back_to_zero(users, register):
    publish_capacity(SYSTEM, 2025)
    services.change_location_status(SYSTEM, register, "closed", datetime.date(2025, 6, 1))
    assert publish_capacity(SYSTEM, 2025)["updated"] == 1
    assert figures(2025)[MAASTRICHT] == (Decimal(0), "definitive")
    assert publish_capacity(SYSTEM, 2024)["created"] == 2  # in use on 31 December 2024


def test_only_who_keeps_monitor_figures_may_publish(users, register):
    with pytest.raises(PermissionDenied):
        publish_capacity(users["venlo_officer"], 2025)
    client = Client()
    client.force_login(users["venlo_officer"])
    assert client.post("/huisvesting/capaciteit-naar-monitor/", {"year": 2025}).status_code == 403
    client.force_login(users["analyst"])
    response = client.post("/huisvesting/capaciteit-naar-monitor/", {"year": 2025}, follow=True)
    assert "2 nieuw" in response.content.decode()
    assert figures(2025)[VENLO][0] == Decimal(65)
    assert (
        "Capaciteit 2025 naar de monitor schrijven"
        in client.get("/huisvesting/?year=2025").content.decode()
    )


def test_the_monitor_counts_what_the_gap_counts(users, register, make_location):
    from waardig.housing import gap

    make_location(MAASTRICHT, name="Tijdelijk", postcode="6211 AB", capacity=50,
                  temporary_permit_until=datetime.date(2025, 6, 30))  # fmt: skip
    publish_capacity(SYSTEM, 2025)
    # The permit ended before 31 December 2025: neither the gap nor the monitor counts it.
    assert figures(2025)[MAASTRICHT] == (Decimal(10), "definitive")
    analysis = gap.gap_analysis(SYSTEM, 2025, "admin", today=datetime.date(2026, 11, 22))
    maastricht = {m.code: m for m in analysis.municipalities}[MAASTRICHT]
    assert maastricht.existing == 10
