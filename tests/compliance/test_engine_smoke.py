"""The engine checks one location end to end (the norm-set tests go into every detail)."""

import datetime
from decimal import Decimal

from waardig.compliance.checks import check_location
from waardig.housing.models import HeadCount

PROVINCE = "Provinciale ondergrens Limburg 2025-2027"


def test_one_location_is_checked_against_the_sets_of_its_day(make_location):
    loc = make_location(
        housing_form="dwelling", stay_class="long", capacity=12, bedrooms=8,
        living_area=Decimal(200), toilets=2, showers=2,
    )  # fmt: skip
    HeadCount.objects.create(location=loc, counted_on=datetime.date(2026, 5, 1), persons=12)
    found = {(e.norm_set, e.kind): e for e in check_location(loc, datetime.date(2026, 6, 1))}
    bedroom = found[(PROVINCE, "persons_per_bedroom")]
    assert bedroom.status == "violation"
    assert bedroom.explanation == "12 personen op 8 slaapkamers: max. 1 per slaapkamer"
    assert found[(PROVINCE, "living_area_per_person")].status == "ok"
