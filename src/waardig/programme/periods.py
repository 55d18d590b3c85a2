"""The fuzzy realisation periods of Dutch policy documents, read as date spans.

Action plans say "najaar 2013", "medio 2014", "Q3 2025" or "doorlopend" rather than dates. The
original text is kept; this module turns it into a span so that lists can sort and filter and
overdue actions can be flagged, and it says so (``understood=False``) rather than guessing when
it cannot. Plain functions (no models, no database), so importers, services and reports all read
periods the same way; single days are read by ``core.dates``, like every other date.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from waardig.core.dates import MONTHS, parse_date


@dataclass(frozen=True)
class Period:
    start: datetime.date | None
    end: datetime.date | None
    continuous: bool = False  # "doorlopend", "continu", "structureel": no end
    understood: bool = True  # False when the text could not be interpreted (start/end None)


UNKNOWN = Period(None, None, understood=False)

# Name -> (first month, number of months). Winter starts in December of the named year.
SEASONS: dict[str, tuple[int, int]] = {
    "voorjaar": (3, 3),
    "lente": (3, 3),
    "zomer": (6, 3),
    "najaar": (9, 3),
    "herfst": (9, 3),
    "winter": (12, 3),
}

# Name -> (first month, number of months) of a year, and (first day, last day) of a month.
PARTS_OF_YEAR: dict[str, tuple[int, int]] = {
    "begin": (1, 3),
    "start": (1, 3),
    "medio": (6, 2),
    "midden": (6, 2),
    "halverwege": (6, 2),
    "eind": (10, 3),
    "einde": (10, 3),
    "ultimo": (10, 3),
}
PARTS_OF_MONTH: dict[str, tuple[int, int]] = {
    "begin": (1, 10),
    "start": (1, 10),
    "medio": (11, 20),
    "midden": (11, 20),
    "halverwege": (11, 20),
    "eind": (21, 31),
    "einde": (21, 31),
    "ultimo": (21, 31),
}

ORDINALS: dict[str, int] = {
    "eerste": 1, "1e": 1, "1ste": 1,
    "tweede": 2, "2e": 2, "2de": 2,
    "derde": 3, "3e": 3, "3de": 3,
    "vierde": 4, "4e": 4, "4de": 4,
}  # fmt: skip

CONTINUOUS_WORDS = ("doorlopend", "continu", "structureel")
START_WORDS = ("vanaf", "per", r"m\.?i\.?v\.?", "met ingang van", "sinds")
DEADLINE_WORDS = ("uiterlijk", "voor", "tot en met", "t/m", "tot", "niet later dan", "ten laatste")

MAX_LENGTH = 200  # a period is a phrase; longer text is prose, not worth the range search
ONE_DAY = datetime.timedelta(days=1)

Span = tuple[datetime.date, datetime.date]


def _alt(words: Iterable[str]) -> str:
    """Longest first, so that "sept" wins over "sep" and "tot en met" over "tot"."""
    return "|".join(sorted(words, key=len, reverse=True))


def _months(year: int, first_month: int, count: int) -> Span:
    after = first_month - 1 + count  # zero-based index of the month after the span
    end = datetime.date(year + after // 12, after % 12 + 1, 1) - ONE_DAY
    return datetime.date(year, first_month, 1), end


def _month(m: re.Match[str]) -> int:
    return MONTHS[m["mon"]]


def _number(m: re.Match[str]) -> int:
    return int(m["n"]) if m["n"].isdigit() else ORDINALS[m["n"]]


def _part_of_month(m: re.Match[str]) -> Span:
    first, last = PARTS_OF_MONTH[m["part"]]
    start, end = _months(int(m["y"]), _month(m), 1)
    return start.replace(day=first), start.replace(day=min(last, end.day))


def _part_of_year(m: re.Match[str]) -> Span:
    return _months(int(m["y"]), *PARTS_OF_YEAR[m["part"]])


def _half(m: re.Match[str]) -> Span:
    return _months(int(m["y"]), 6 * _number(m) - 5, 6)


def _quarter(m: re.Match[str]) -> Span:
    return _months(int(m["y"]), 3 * _number(m) - 2, 3)


Y = r"(?P<y>\d{4})"
MON = rf"(?P<mon>{_alt(MONTHS)})\.?"
PART = rf"(?P<part>{_alt(PARTS_OF_YEAR)})"
HALF = rf"(?P<n>{_alt(k for k, v in ORDINALS.items() if v <= 2)})"
# Matched against normalised text (lower case, no accents, single spaces), whole text only.
# A single day ("1 juni 2022", "1-6-2022") is not among them: ``core.dates`` reads those.
FORMS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Span]]] = [
    (re.compile(pattern, re.ASCII), build)
    for pattern, build in [
        (Y, lambda m: _months(int(m["y"]), 1, 12)),
        (rf"{MON} {Y}", lambda m: _months(int(m["y"]), _month(m), 1)),
        (rf"(?P<s>{_alt(SEASONS)}) {Y}", lambda m: _months(int(m["y"]), *SEASONS[m["s"]])),
        (rf"{PART}(?: van)?(?: het)?(?: jaar)? {Y}", _part_of_year),
        (rf"{PART}(?: van)? {MON} {Y}", _part_of_month),
        (rf"{HALF} (?:helft|halfjaar)(?: van)? {Y}", _half),
        (rf"h(?P<n>[12])[ -]*{Y}", _half),
        (rf"{Y}[ -]*h(?P<n>[12])", _half),
        (rf"q(?P<n>[1-4])[ -]*{Y}", _quarter),
        (rf"{Y}[ -]*q(?P<n>[1-4])", _quarter),
        (rf"{Y} ?kw0?(?P<n>[1-4])", _quarter),
        (rf"(?:kwartaal|kw) ?0?(?P<n>[1-4])[ -]*{Y}", _quarter),
        (rf"(?P<n>{_alt(ORDINALS)}) kwartaal(?: van)? {Y}", _quarter),
    ]
]
SEPARATOR = re.compile(r" ?(?:-|t/m) ?| (?:tot en met|tot) ")
CONTINUOUS = re.compile(rf"\b(?:{_alt(CONTINUOUS_WORDS)})\b")
START = re.compile(rf"(?:{_alt(START_WORDS)}) (.+)")
DEADLINE = re.compile(rf"(?:{_alt(DEADLINE_WORDS)}) (.+)")
YEAR_WORD = re.compile(r"\d{4}", re.ASCII)


def parse_period(text: str) -> Period:
    """Never raises: an unreadable period is data to show and correct, not a failed import."""
    t = _normalise(text)
    if not t:
        return Period(None, None)
    if len(t) > MAX_LENGTH:
        return UNKNOWN
    if m := CONTINUOUS.search(t):
        rest = f"{t[: m.start()]} {t[m.end() :]}".strip(" -")
        if not rest:
            return Period(None, None, continuous=True)
        span = _single(m[1] if (m := START.fullmatch(rest)) else rest)
        return Period(span[0], None, continuous=True) if span else UNKNOWN
    if m := DEADLINE.fullmatch(t):
        span = _single(m[1])
        return Period(None, span[1]) if span else UNKNOWN
    if m := START.fullmatch(t):
        if span := _range(m[1]):  # "vanaf 2025 t/m 2027" has an end after all
            return Period(*span)
        span = _single(m[1])
        return Period(span[0], None) if span else UNKNOWN
    t = t.removeprefix("van ")  # "van september tot december 2013"
    span = _single(t) or _range(t)
    return Period(*span) if span else UNKNOWN


def describe(period: Period) -> str:
    """Dates in full, so a reader sees exactly how the text was read and can correct it."""
    start, end = (f"{d.day}-{d.month}-{d.year}" if d else None for d in (period.start, period.end))
    if period.continuous:
        return f"doorlopend vanaf {start}" if start else "doorlopend"
    if start and end:
        return start if start == end else f"{start} t/m {end}"
    if start:
        return f"vanaf {start}"
    if end:
        return f"uiterlijk {end}"
    return "onbekend"


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[\u2010-\u2015\u2212]", "-", plain)  # hyphens, en and em dashes, minus
    return " ".join(re.sub(r"[(),;:]", " ", plain).split()).strip(" .")


def _single(text: str) -> Span | None:
    try:
        if day := parse_date(text):
            return day, day
    except ValueError:  # no day date (or "31-2-2024"): maybe another form
        pass
    for pattern, build in FORMS:
        if m := pattern.fullmatch(text):
            try:
                return build(m)
            except (ValueError, OverflowError):  # 31-2-2024, year 0, winter 9999
                return None
    return None


def _range(text: str) -> Span | None:
    """Try every separator: dashes also occur inside dates ("1-6-2022 - 1-9-2023")."""
    for sep in SEPARATOR.finditer(text):
        left, right = text[: sep.start()], text[sep.end() :]
        last = _single(right)
        first = (_single(left) or _borrow(left, right, last)) if left and last else None
        if first and last and first[0] <= last[1]:
            return first[0], last[1]
    return None


def _borrow(left: str, right: str, last: Span) -> Span | None:
    """ "september - december 2013": the left side borrows the words it lacks from the right.

    When the borrowed year puts the start after the end ("november - februari 2014"), the
    writer meant the year before.
    """
    words = right.split()
    for k in range(1, len(words)):
        suffix = words[-k:]
        first = _single(" ".join([left, *suffix]))
        if first and first[0] > last[1] and YEAR_WORD.fullmatch(suffix[-1]):
            first = _single(" ".join([left, *suffix[:-1], str(int(suffix[-1]) - 1)]))
        if first:
            return first
    return None
