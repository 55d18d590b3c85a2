"""Reading the realisation periods of policy documents: every documented form, and properties.

Each table row states the full expected ``Period``, so a wrong start, end or flag fails it.
"""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waardig.programme.periods import (
    MONTHS,
    ORDINALS,
    PARTS_OF_YEAR,
    SEASONS,
    Period,
    describe,
    parse_period,
)

d = datetime.date
UNKNOWN = Period(None, None, understood=False)


def span(start: datetime.date, end: datetime.date) -> Period:
    return Period(start, end)


CASES: list[tuple[str, Period]] = [
    # nothing to interpret, and continuous work
    ("", Period(None, None)),
    ("   ", Period(None, None)),
    ("doorlopend", Period(None, None, continuous=True)),
    ("Continu", Period(None, None, continuous=True)),
    ("STRUCTUREEL", Period(None, None, continuous=True)),
    ("doorlopend vanaf 2025", Period(d(2025, 1, 1), None, continuous=True)),
    ("structureel per 1 maart 2024", Period(d(2024, 3, 1), None, continuous=True)),
    ("2025 (doorlopend)", Period(d(2025, 1, 1), None, continuous=True)),
    # years and year ranges
    ("2013", span(d(2013, 1, 1), d(2013, 12, 31))),
    ("2013 - 2015", span(d(2013, 1, 1), d(2015, 12, 31))),
    ("2013-2015", span(d(2013, 1, 1), d(2015, 12, 31))),
    ("2013 – 2015", span(d(2013, 1, 1), d(2015, 12, 31))),
    ("2013—2015", span(d(2013, 1, 1), d(2015, 12, 31))),
    ("  2013   -   2015 ", span(d(2013, 1, 1), d(2015, 12, 31))),
    ("2025 t/m 2027", span(d(2025, 1, 1), d(2027, 12, 31))),
    ("2025 tot en met 2027", span(d(2025, 1, 1), d(2027, 12, 31))),
    ("2025 tot 2027", span(d(2025, 1, 1), d(2027, 12, 31))),
    ("2013 - 2013", span(d(2013, 1, 1), d(2013, 12, 31))),
    # seasons
    ("voorjaar 2013", span(d(2013, 3, 1), d(2013, 5, 31))),
    ("zomer 2013", span(d(2013, 6, 1), d(2013, 8, 31))),
    ("najaar 2013", span(d(2013, 9, 1), d(2013, 11, 30))),
    ("Herfst 2013", span(d(2013, 9, 1), d(2013, 11, 30))),
    ("winter 2013", span(d(2013, 12, 1), d(2014, 2, 28))),
    ("winter 2023", span(d(2023, 12, 1), d(2024, 2, 29))),
    # parts of a year
    ("medio 2013", span(d(2013, 6, 1), d(2013, 7, 31))),
    ("midden 2013", span(d(2013, 6, 1), d(2013, 7, 31))),
    ("begin 2013", span(d(2013, 1, 1), d(2013, 3, 31))),
    ("start 2013", span(d(2013, 1, 1), d(2013, 3, 31))),
    ("eind 2013", span(d(2013, 10, 1), d(2013, 12, 31))),
    ("einde 2013", span(d(2013, 10, 1), d(2013, 12, 31))),
    ("ultimo 2013", span(d(2013, 10, 1), d(2013, 12, 31))),
    ("eind van 2013", span(d(2013, 10, 1), d(2013, 12, 31))),
    ("Eind van het jaar 2013", span(d(2013, 10, 1), d(2013, 12, 31))),
    ("eerste helft 2014", span(d(2014, 1, 1), d(2014, 6, 30))),
    ("1e helft 2014", span(d(2014, 1, 1), d(2014, 6, 30))),
    ("H1 2014", span(d(2014, 1, 1), d(2014, 6, 30))),
    ("tweede helft 2014", span(d(2014, 7, 1), d(2014, 12, 31))),
    ("2e helft 2014", span(d(2014, 7, 1), d(2014, 12, 31))),
    ("H2 2014", span(d(2014, 7, 1), d(2014, 12, 31))),
    ("eind juni 2025", span(d(2025, 6, 21), d(2025, 6, 30))),
    ("begin februari 2024", span(d(2024, 2, 1), d(2024, 2, 10))),
    ("eind februari 2024", span(d(2024, 2, 21), d(2024, 2, 29))),
    # quarters
    ("Q3 2013", span(d(2013, 7, 1), d(2013, 9, 30))),
    ("q1 2013", span(d(2013, 1, 1), d(2013, 3, 31))),
    ("Q3-2013", span(d(2013, 7, 1), d(2013, 9, 30))),
    ("2013 Q3", span(d(2013, 7, 1), d(2013, 9, 30))),
    ("2013Q4", span(d(2013, 10, 1), d(2013, 12, 31))),
    ("3e kwartaal 2013", span(d(2013, 7, 1), d(2013, 9, 30))),
    ("derde kwartaal 2013", span(d(2013, 7, 1), d(2013, 9, 30))),
    ("kwartaal 3 2013", span(d(2013, 7, 1), d(2013, 9, 30))),
    ("2022KW01", span(d(2022, 1, 1), d(2022, 3, 31))),
    ("2022KW04", span(d(2022, 10, 1), d(2022, 12, 31))),
    # months and month ranges
    ("januari 2014", span(d(2014, 1, 1), d(2014, 1, 31))),
    ("februari 2016", span(d(2016, 2, 1), d(2016, 2, 29))),
    ("December 2014", span(d(2014, 12, 1), d(2014, 12, 31))),
    ("jan 2014", span(d(2014, 1, 1), d(2014, 1, 31))),
    ("mrt 2014", span(d(2014, 3, 1), d(2014, 3, 31))),
    ("sept 2014", span(d(2014, 9, 1), d(2014, 9, 30))),
    ("sep 2014", span(d(2014, 9, 1), d(2014, 9, 30))),
    ("sept. 2014", span(d(2014, 9, 1), d(2014, 9, 30))),
    ("okt 2014", span(d(2014, 10, 1), d(2014, 10, 31))),
    ("september - december 2013", span(d(2013, 9, 1), d(2013, 12, 31))),
    ("van september tot december 2013", span(d(2013, 9, 1), d(2013, 12, 31))),
    ("sept 2013 - jan 2014", span(d(2013, 9, 1), d(2014, 1, 31))),
    ("november - februari 2014", span(d(2013, 11, 1), d(2014, 2, 28))),
    # dates
    ("2013-05-01", span(d(2013, 5, 1), d(2013, 5, 1))),
    ("1 juni 2022", span(d(2022, 6, 1), d(2022, 6, 1))),
    ("1-6-2022", span(d(2022, 6, 1), d(2022, 6, 1))),
    ("01-06-2022", span(d(2022, 6, 1), d(2022, 6, 1))),
    ("1 - 15 juni 2023", span(d(2023, 6, 1), d(2023, 6, 15))),
    # open-ended: a deadline or a start
    ("voor 1 juli 2025", Period(None, d(2025, 7, 1))),
    ("uiterlijk 1 juli 2025", Period(None, d(2025, 7, 1))),
    ("vóór 1 juli 2025", Period(None, d(2025, 7, 1))),
    ("uiterlijk eind 2025", Period(None, d(2025, 12, 31))),
    ("vanaf 2025", Period(d(2025, 1, 1), None)),
    ("per 1 januari 2025", Period(d(2025, 1, 1), None)),
    ("m.i.v. 2025", Period(d(2025, 1, 1), None)),
    ("met ingang van Q2 2025", Period(d(2025, 4, 1), None)),
    ("vanaf 2025 t/m 2027", span(d(2025, 1, 1), d(2027, 12, 31))),
    # ranges mixing forms
    ("1 juni 2022 - 1 september 2023", span(d(2022, 6, 1), d(2023, 9, 1))),
    ("1-6-2022 - 1-9-2023", span(d(2022, 6, 1), d(2023, 9, 1))),
    ("2022-06-01 t/m 2023-09-01", span(d(2022, 6, 1), d(2023, 9, 1))),
    ("najaar 2013 - medio 2014", span(d(2013, 9, 1), d(2014, 7, 31))),
    ("2025 - eind 2027", span(d(2025, 1, 1), d(2027, 12, 31))),
    ("Q4 2024 – H1 2025", span(d(2024, 10, 1), d(2025, 6, 30))),
    # not understood
    ("nader te bepalen", UNKNOWN),
    ("2015 - 2013", UNKNOWN),
    ("december 2014 - januari 2014", UNKNOWN),
    ("31-2-2024", UNKNOWN),
    ("13-13-2013", UNKNOWN),
    ("Q5 2013", UNKNOWN),
    ("derde helft 2014", UNKNOWN),
    ("winter 9999", UNKNOWN),
    ("0000", UNKNOWN),
    ("doorlopend tot 2027", UNKNOWN),
    ("vanaf", UNKNOWN),
    ("2013 - 2014 - 2015", UNKNOWN),
    ("2013 " * 100, UNKNOWN),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(t[:40]) for t, _ in CASES])
def test_parse_period(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (span(d(2013, 9, 1), d(2013, 11, 30)), "1-9-2013 t/m 30-11-2013"),
        (span(d(2022, 6, 1), d(2022, 6, 1)), "1-6-2022"),
        (Period(None, None, continuous=True), "doorlopend"),
        (Period(d(2025, 1, 1), None, continuous=True), "doorlopend vanaf 1-1-2025"),
        (Period(d(2025, 1, 1), None), "vanaf 1-1-2025"),
        (Period(None, d(2025, 7, 1)), "uiterlijk 1-7-2025"),
        (UNKNOWN, "onbekend"),
        (Period(None, None), "onbekend"),
    ],
)
def test_describe(period: Period, expected: str) -> None:
    assert describe(period) == expected


years = st.integers(min_value=1900, max_value=2100)
separators = st.sampled_from([" - ", "-", " – ", "—", " t/m ", " tot en met ", " tot "])


@st.composite
def named_periods(draw: st.DrawFn) -> tuple[str, int, int]:
    """A generated text with the first and last year its span must lie in."""
    year = draw(years)
    kind = draw(st.sampled_from(["year", "season", "part", "half", "quarter", "month"]))
    if kind == "year":
        return str(year), year, year
    if kind == "season":
        season = draw(st.sampled_from(sorted(SEASONS)))
        return f"{season} {year}", year, year + (season == "winter")
    if kind == "part":
        return f"{draw(st.sampled_from(sorted(PARTS_OF_YEAR)))} {year}", year, year
    if kind == "half":
        half = draw(st.integers(1, 2))
        text = draw(st.sampled_from([f"H{half} {year}", f"{half}e helft {year}"]))
        return text, year, year
    if kind == "quarter":
        q = draw(st.integers(1, 4))
        ordinal = draw(st.sampled_from([k for k, v in ORDINALS.items() if v == q]))
        forms = [f"Q{q} {year}", f"{year}Q{q}", f"{year}KW0{q}", f"{ordinal} kwartaal {year}"]
        return draw(st.sampled_from(forms)), year, year
    return f"{draw(st.sampled_from(sorted(MONTHS)))} {year}", year, year


@given(st.text())
def test_never_raises_and_keeps_invariants(text: str) -> None:
    _check_invariants(parse_period(text))


# Word soup from the vocabulary the parser knows, to reach its branches far more often than
# arbitrary text does.
WORDS = [
    *MONTHS, *SEASONS, *PARTS_OF_YEAR, *ORDINALS, "doorlopend", "vanaf", "voor", "per", "m.i.v.",
    "tot", "t/m", "-", "–", "van", "het", "jaar", "helft", "kwartaal", "q3", "h2", "kw02", "2013",
    "2015", "1", "31", "1-6-2022", "2013-05-01", "0000", "9999", "(", ")",
]  # fmt: skip


@given(st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join))
def test_word_soup_keeps_invariants(text: str) -> None:
    _check_invariants(parse_period(text))


def _check_invariants(period: Period) -> None:
    assert isinstance(period, Period)
    if period.start and period.end:
        assert period.start <= period.end
    if not period.understood:
        assert (period.start, period.end, period.continuous) == (None, None, False)
    if period.continuous:
        assert period.end is None


@given(named_periods())
def test_named_periods_lie_in_their_years(case: tuple[str, int, int]) -> None:
    text, first_year, last_year = case
    period = parse_period(text)
    assert period.start and period.end, text
    assert (period.start.year, period.end.year) == (first_year, last_year)
    assert period.start.day == 1
    assert (period.end + datetime.timedelta(days=1)).day == 1  # whole months


@given(named_periods(), separators, named_periods())
def test_ranges_join_start_of_first_and_end_of_second(
    first: tuple[str, int, int], separator: str, second: tuple[str, int, int]
) -> None:
    left, right = parse_period(first[0]), parse_period(second[0])
    period = parse_period(first[0] + separator + second[0])
    assert left.start and right.end
    if left.start <= right.end:
        assert period == span(left.start, right.end)
    else:
        assert period == UNKNOWN


@given(years, years, separators)
def test_year_ranges(first: int, last: int, separator: str) -> None:
    period = parse_period(f"{first}{separator}{last}")
    if first <= last:
        assert period == span(d(first, 1, 1), d(last, 12, 31))
    else:
        assert period == UNKNOWN


@given(named_periods())
def test_description_reads_back_as_the_same_period(case: tuple[str, int, int]) -> None:
    period = parse_period(case[0])
    assert parse_period(describe(period)) == period
