"""Numbers people type: only ASCII digits, years in Waardig's range, clear messages."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from waardig.core.numbers import digits, parse_year


def test_only_ascii_digits_are_digits():
    assert digits("2025") and not digits("²⁰²⁵") and not digits("") and not digits("-1")


@pytest.mark.parametrize(("text", "message"), [
    ("twintig", "als getal"), ("²⁰²⁵", "als getal"), ("1890", "buiten het bereik"),
    ("2101", "buiten het bereik"), (None, "als getal"),
])  # fmt: skip
def test_a_year_that_is_no_year_says_why(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_year(text)


def test_a_year_is_read_with_spaces():
    assert parse_year(" 2026 ") == 2026 and parse_year(1990) == 1990


@pytest.mark.django_db
def test_pages_answer_other_scripts_digits_without_a_server_error(users):
    assert Client().get("/cijfers/?jaar=²⁰²²").status_code == 200
    client = Client()
    client.force_login(users["analyst"])
    assert client.get("/monitor/?year=²⁰²²").status_code == 200
    export = "/export/monitor-municipalities.csv?indicator=registered-brp&year=²⁰²²"
    assert client.get(export).status_code in (400, 404)
