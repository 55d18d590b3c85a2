"""Region and province totals equal the sum of their municipalities, in every grouping and
every year, merged municipalities included (the property the monitor's figures rest on)."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from waardig.areas.models import Grouping, Municipality, Region
from waardig.areas.queries import region_of
from waardig.core.access import SYSTEM
from waardig.monitor import queries

pytestmark = pytest.mark.django_db

YEARS = range(2015, 2025)
CODES = 34  # the 31 municipalities of today and the 3 that merged into Beekdaelen in 2019


@pytest.mark.parametrize("merged_listed", [True, False], ids=["listed", "through-successor"])
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    year=st.sampled_from(YEARS),
    values=st.lists(
        st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False),
        min_size=CODES,
        max_size=CODES,
    ),
    missing=st.sets(st.integers(0, CODES - 1), max_size=4),
)
# Always a year before the merger with every municipality present, so the merged ones count.
@example(year=2018, values=[Decimal(index + 1) for index in range(CODES)], missing=set())
def test_totals_are_the_sums_of_their_municipalities(record, merged_listed, year, values, missing):
    municipalities = list(Municipality.objects.order_by("code").select_related("successor"))
    assert len(municipalities) == CODES
    merged = [m for m in municipalities if m.successor_id]
    assert len(merged) == 3
    if not merged_listed:
        # Membership on today's municipalities only: a merged municipality then belongs to a
        # region through its successor alone (the rule under test, not the data file).
        Region.municipalities.through.objects.filter(municipality__in=merged).delete()
        assert not Region.objects.filter(municipalities__in=merged).exists()
    period = str(year)
    with transaction.atomic():
        valid, present = [], {}
        for index, municipality in enumerate(municipalities):
            if not municipality.is_valid_on(datetime.date(year, 1, 1)):
                continue
            valid.append(municipality)
            if index not in missing:
                present[municipality.code] = values[index]
                record("working-labour-migrants", municipality, period, values[index])

        def expect(members: list[Municipality]) -> tuple:
            found = [present[m.code] for m in members if m.code in present]
            return (sum(found, Decimal(0)) if found else None, len(found), len(members))

        totals = {}
        for grouping in Grouping.objects.all():
            rows = queries.value_table(
                "working-labour-migrants", grouping.slug, period, actor=SYSTEM
            )
            assert {row.area.grouping_id for row in rows} == {grouping.pk}
            for row in rows:
                # Membership of a merged municipality comes from the one it merged into.
                members = [
                    m for m in valid if region_of(m.final_successor(), grouping.slug) == row.area
                ]
                value, count, expected = expect(members)
                assert row.value == value, (grouping.slug, row.name)
                if value is not None:
                    assert row.derived and (row.count, row.expected) == (count, expected)
                    assert row.complete == (count == expected)
            # The regions of a grouping divide the province: nothing lost, nothing twice (each
            # region has figures: at most 4 are missing and the smallest region has 7).
            totals[grouping.slug] = (
                sum((row.value for row in rows if row.value is not None), Decimal(0)),
                sum(row.expected or 0 for row in rows),
            )
        (province,) = queries.value_table(
            "working-labour-migrants", "province", period, actor=SYSTEM
        )
        assert (province.value, province.count, province.expected) == expect(valid)
        for total, expected in totals.values():
            assert total == (province.value or 0)
            assert expected == (province.expected if present else 0)
        assert province.expected == (33 if year < 2019 else 31)
        transaction.set_rollback(True)
