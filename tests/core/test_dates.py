"""Reading Dutch dates: every notation, in running text and as a whole cell, and round trips."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waardig.core.dates import DASHES, ISO, MONTHS, find_date, parse_date

d = datetime.date


def test_month_table_has_every_month_with_its_full_name() -> None:
    full = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
            "september", "oktober", "november", "december"]  # fmt: skip
    assert [MONTHS[name] for name in full] == list(range(1, 13))
    assert set(MONTHS.values()) == set(range(1, 13))
    assert (MONTHS["febr"], MONTHS["sept"], MONTHS["mrt"], MONTHS["okt"]) == (2, 9, 3, 10)


# --- in running text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-04-2023 14:00 uur", (d(2023, 4, 12), 10)),
        ("Vergadering d.d. 15 maart 2023", (d(2023, 3, 15), 30)),
        ("woensdag 12/4/2023", (d(2023, 4, 12), 18)),
        ("12 apr. 2023", (d(2023, 4, 12), 12)),
        ("12.04.2023, online", (d(2023, 4, 12), 10)),
        ("3 MEI 2023", (d(2023, 5, 3), 10)),
        ("1 febr. 2024 en verder", (d(2024, 2, 1), 12)),
        ("1 Sept 2024", (d(2024, 9, 1), 11)),
        ("vastgesteld op 2023-04-12.", (d(2023, 4, 12), 25)),
        # impossible dates are skipped, the next one counts
        ("Eerst 31-02-2023, verplaatst naar 3 mei 2023", (d(2023, 5, 3), 44)),
        ("2023-02-29 of 2024-02-29", (d(2024, 2, 29), 24)),
        # four-digit years only: a room or a version number is no date
        ("Zaal 0.0.17 op 1 juni 2023", (d(2023, 6, 1), 26)),
        ("versie 1.2.3", None),
        ("12-04-23", None),
        # one kind of separator, a whole number on each side
        ("12-04/2023", None),
        ("112-04-2023", None),
        ("12-04-20231", None),
        ("2023-4-12", None),
        # a month name is a whole word, spaces around it
        ("12 aprilletje 2023", None),
        ("12april 2023", None),
        ("1 ſept 2024", None),  # long s: folds to "s" in Unicode, not in Dutch
        ("", None),
        ("geen datum hier", None),
    ],
)
def test_find_date(text: str, expected: tuple[datetime.date, int] | None) -> None:
    assert find_date(text) == expected


# --- a whole cell ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("   ", None),
        ("2024-09-01", d(2024, 9, 1)),
        ("1-9-2024", d(2024, 9, 1)),
        ("01-09-2024", d(2024, 9, 1)),
        ("1/9/2024", d(2024, 9, 1)),
        ("01.09.2024", d(2024, 9, 1)),
        ("1 september 2024", d(2024, 9, 1)),
        ("1 sept. 2024", d(2024, 9, 1)),
        ("1 SEP 2024", d(2024, 9, 1)),
        (" 29-02-2024 ", d(2024, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: datetime.date | None) -> None:
    assert parse_date(text) == expected


NO_DATE = "'{}' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)."
MISSING = "De datum '{}' bestaat niet."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-02-29", MISSING),
        ("31-4-2024", MISSING),
        ("31 april 2024", MISSING),
        ("0-1-2024", MISSING),
        ("1-13-2024", MISSING),
        ("2024-5-1", NO_DATE),
        ("1-9-24", NO_DATE),
        ("1-9/2024", NO_DATE),
        ("d.d. 1-9-2024", NO_DATE),  # a cell is the date and nothing else
        ("1-9-2024 14:00", NO_DATE),
        ("1-9-2024 - 1-10-2024", NO_DATE),
        ("september 2024", NO_DATE),
        ("morgen", NO_DATE),
    ],
)
def test_other_cells_are_errors_naming_the_text(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert str(caught.value) == message.format(text)


def test_notations_narrow_what_a_format_accepts() -> None:
    assert parse_date("05/01/2024") == d(2024, 1, 5)  # day first
    strict = (ISO, DASHES)
    assert parse_date("05-01-2024", notations=strict) == d(2024, 1, 5)
    assert parse_date("2024-01-05", notations=strict) == d(2024, 1, 5)
    for text in ("05/01/2024", "05.01.2024", "5 jan 2024"):
        with pytest.raises(ValueError, match="is geen datum"):
            parse_date(text, notations=strict)


# --- properties --------------------------------------------------------------------------


def _year(date: datetime.date) -> str:
    return f"{date.year:04d}"


@st.composite
def written_dates(draw: st.DrawFn) -> tuple[datetime.date, str]:
    """Any date, written in any notation as a person or a spreadsheet would."""
    date = draw(st.dates())
    notation = draw(st.sampled_from(["iso", "-", "/", ".", "name"]))
    if notation == "iso":
        return date, f"{_year(date)}-{date.month:02d}-{date.day:02d}"
    pad = draw(st.sampled_from(["{}", "{:02d}"]))
    day = pad.format(date.day)
    if notation == "name":
        name = draw(st.sampled_from([n for n, m in MONTHS.items() if m == date.month]))
        name = draw(st.sampled_from([name, name.upper(), name.title(), f"{name}."]))
        space = draw(st.sampled_from([" ", "  ", "\t"]))
        return date, f"{day}{space}{name}{space}{_year(date)}"
    month = pad.format(date.month)
    return date, f"{day}{notation}{month}{notation}{_year(date)}"


@given(written_dates())
def test_any_date_in_any_notation_reads_back_as_itself(case: tuple[datetime.date, str]) -> None:
    date, text = case
    assert parse_date(text) == date
    assert find_date(text) == (date, len(text))


# Text before the date has no digits (it could hold a date of its own) and ends in a space;
# text after it starts with one, so the date stays a word of its own.
before = st.text(st.characters(exclude_categories=("Nd",))).map(lambda t: f"{t} ")
after = st.text().map(lambda t: f" {t}")


@given(before, written_dates(), after)
def test_text_around_a_date_does_not_change_it(
    prefix: str, case: tuple[datetime.date, str], suffix: str
) -> None:
    date, text = case
    assert find_date(prefix + text + suffix) == (date, len(prefix) + len(text))
    assert parse_date(f" {text}\t") == date


@given(st.text())
def test_any_text_gives_a_date_none_or_a_value_error(text: str) -> None:
    found = find_date(text)
    assert found is None or isinstance(found[0], datetime.date)
    try:
        parse_date(text)
    except ValueError as error:
        assert text.strip() in str(error)
