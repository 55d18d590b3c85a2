"""The area file takes dates as our exports write them and as Dutch Excel saves them again."""

import datetime

import pytest

from waardig.areas.importers import AreasImporter
from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.core.imports import run_import

pytestmark = pytest.mark.django_db
HEADER = "province_code,province_name,code,name,valid_from,valid_to,successor,region:admin\n"


def load(rows: str):
    data = (HEADER + rows).encode()
    return run_import(AreasImporter(SYSTEM, {}), data, "gebieden.csv", dry_run=False)


def test_iso_and_dutch_dates_read_the_same():
    result = load(
        "PV99,Proefland,GM9901,Oud,2001-01-01,31-12-2018,GM9902,Zuid\n"
        "PV99,Proefland,GM9902,Nieuw,1-1-2019,,,Zuid\n"
    )
    assert result.ok, result.errors
    old, new = Municipality.objects.get(code="GM9901"), Municipality.objects.get(code="GM9902")
    assert (old.valid_from, old.valid_to) == (
        datetime.date(2001, 1, 1),
        datetime.date(2018, 12, 31),
    )
    assert new.valid_from == datetime.date(2019, 1, 1)


def test_a_date_that_is_none_names_the_cell():
    result = load("PV99,Proefland,GM9901,Oud,31-02-2001,,,Zuid\n")
    assert not result.ok and not Municipality.objects.exists()
    [error] = result.errors
    assert (error.row, error.column) == (2, "valid_from") and "31-02-2001" in error.message
