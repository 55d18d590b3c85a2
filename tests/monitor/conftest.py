"""Monitor fixtures: the indicator catalogue and a short way to record a figure."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from waardig.core.access import SYSTEM
from waardig.monitor import services
from waardig.monitor.indicators import load_indicators
from waardig.monitor.models import Indicator, Observation

from .places import AREA_FIELD


@pytest.fixture
def catalogue(areas) -> dict[str, Indicator]:
    load_indicators()
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


@pytest.fixture
def record(catalogue) -> Callable[..., Observation]:
    """record("registered-brp", area, "2022", 120, status="estimate") through the service."""

    def record(code: str, area, period: str, value, **fields) -> Observation:
        observation, _ = services.save_observation(
            SYSTEM,
            indicator=catalogue[code],
            period=period,
            value=Decimal(value),
            **{AREA_FIELD[type(area)]: area},
            **fields,
        )
        return observation

    return record
