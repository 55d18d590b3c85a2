"""The database holds the natural key and the one-area rule itself, on SQLite and PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from waardig.monitor.models import Indicator, Observation

from .places import limburg, municipality, region

pytestmark = pytest.mark.django_db


def row(indicator: Indicator, **fields) -> Observation:
    """An observation written straight to the database, past every check in Python."""
    values = {
        "period": "2022",
        "period_kind": "year",
        "year": 2022,
        "period_start": datetime.date(2022, 1, 1),
        "value": Decimal(1),
        **fields,
    }
    return Observation.objects.create(indicator=indicator, **values)


def refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        row(**fields)


@pytest.mark.parametrize("kind", ["municipality", "region", "province"])
def test_a_second_value_for_the_same_key_is_refused(catalogue, kind):
    area = {
        "municipality": lambda: municipality("GM0983"),
        "region": lambda: region("admin", "Noord"),
        "province": limburg,
    }[kind]()
    indicator = catalogue["working-labour-migrants"]
    row(indicator, **{kind: area})
    refused(indicator=indicator, **{kind: area}, value=Decimal(2))
    # Another period, stay class or indicator is another key.
    row(indicator, **{kind: area}, period="2023", year=2023)
    row(indicator, **{kind: area}, stay_class="short")
    row(catalogue["registered-brp"], **{kind: area})
    assert Observation.objects.count() == 4


def test_the_same_key_for_another_area_is_accepted(catalogue):
    indicator = catalogue["registered-rni"]
    row(indicator, municipality=municipality("GM0983"))
    row(indicator, municipality=municipality("GM0984"))
    row(indicator, region=region("admin", "Noord"))
    row(indicator, region=region("corop", "Noord-Limburg"))
    row(indicator, province=limburg())
    assert Observation.objects.count() == 5


def test_an_observation_has_exactly_one_area(catalogue):
    indicator = catalogue["labour-force"]
    refused(indicator=indicator)
    refused(indicator=indicator, municipality=municipality("GM0983"), province=limburg())
    refused(
        indicator=indicator,
        municipality=municipality("GM0983"),
        region=region("admin", "Noord"),
        province=limburg(),
    )


def test_clean_fills_the_period_from_its_text(catalogue):
    observation = Observation(
        indicator=catalogue["open-vacancies"],
        province=limburg(),
        period="2023-Q2",
        value=Decimal(30000),
    )
    observation.full_clean()
    assert (observation.period_kind, observation.year, observation.period_start) == (
        "quarter",
        2023,
        datetime.date(2023, 4, 1),
    )


def test_clean_explains_a_bad_period_a_missing_area_and_a_needless_stay_class(catalogue):
    observation = Observation(
        indicator=catalogue["labour-force"], period="2022JJ00", value=1, stay_class="short"
    )
    with pytest.raises(ValidationError) as error:
        observation.full_clean()
    assert set(error.value.message_dict) >= {"period", "municipality", "stay_class"}


def test_a_ratio_names_its_parts_and_a_sum_names_none(catalogue):
    count = catalogue["registered-brp"]
    with pytest.raises(ValidationError) as error:
        Indicator(code="rate", name="Rate", unit="%", aggregation="ratio").full_clean()
    assert set(error.value.message_dict) == {"numerator", "denominator"}
    with pytest.raises(ValidationError) as error:
        Indicator(code="total", name="Total", unit="p", numerator=count).full_clean()
    assert set(error.value.message_dict) == {"numerator"}
    with pytest.raises(ValidationError) as error:
        Indicator(code="mean", name="Mean", unit="p", aggregation="weighted_mean").full_clean()
    assert set(error.value.message_dict) == {"weight"}


def test_an_indicator_cannot_weigh_itself(catalogue):
    indicator = catalogue["labour-force"]
    indicator.aggregation, indicator.weight = "weighted_mean", indicator
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert set(error.value.message_dict) == {"weight"}


def test_an_indicator_in_use_cannot_be_deleted(catalogue):
    from django.db.models import ProtectedError

    row(catalogue["labour-force"], province=limburg())
    with pytest.raises(ProtectedError):
        catalogue["labour-force"].delete()
    with pytest.raises(ProtectedError):  # a ratio still divides by it
        catalogue["labour-migrants-living"].delete()
