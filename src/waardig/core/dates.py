"""Dates as Dutch documents and spreadsheets write them, read in one place.

Dates reach us as CSV cells re-saved by Dutch Excel ("1-9-2024"), in minutes and action lists
("d.d. 12 april 2023", "12/4/2023") and in the files we export ourselves ("2024-09-01"). Every
reader uses this module, so a notation one import accepts, the others accept too, and a file
the application wrote reads back after a round through Excel.

Notations:

- ISO ``2024-09-01``: two-digit month and day, as ISO and our exports write them;
- day, month, year with one kind of separator: ``1-9-2024``, ``01/09/2024``, ``1.9.2024``;
  the day comes first, as in Dutch (an English ``09/01/2024`` is read as 9 January);
- ``1 september 2024``, ``1 sept. 2024``, ``1 SEP 2024``: a Dutch month name or abbreviation
  (``MONTHS``), any case, an optional full stop.

Years have four digits, so a room "0.0.17" or a version "1.2.3" is no date, and a date that
does not exist ("31-02-2023") is none either: a typing error must not become a deadline.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection

from django.utils.translation import gettext as _

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1,
    "februari": 2, "febr": 2, "feb": 2,
    "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
"""Dutch month names and their abbreviations, lower case."""

ISO, DASHES, SLASHES, DOTS, NAMED = "iso", "-", "/", ".", "named"
NOTATIONS = frozenset({ISO, DASHES, SLASHES, DOTS, NAMED})
"""The notations ``parse_date`` accepts unless told otherwise (see the module docstring)."""

# Month names match ASCII letters only ("(?a:"): with Unicode case folding "ſept" or "MEİ"
# would match and then not be found in MONTHS.
_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE = re.compile(
    r"\b(?:(?P<iso_year>[0-9]{4})-(?P<iso_month>[0-9]{2})-(?P<iso_day>[0-9]{2})"
    r"|(?P<day>[0-9]{1,2})"
    rf"(?:(?P<sep>[-/.])(?P<month>[0-9]{{1,2}})(?P=sep)|\s+(?P<name>(?a:{_NAMES}))\b\.?\s+)"
    r"(?P<year>[0-9]{4}))\b",
    re.IGNORECASE,
)
"""One date in any notation; ``find_date`` searches text with it, ``parse_date`` a whole cell."""


def find_date(text: str) -> tuple[datetime.date, int] | None:
    """The first existing date in running text, and where it ends so the caller can read on
    (minutes put the times and the place after the meeting date); None when there is none."""
    for match in DATE.finditer(text):
        try:
            return _date(match), match.end()
        except ValueError:  # "31-02-2023": look further, the text may correct itself
            continue
    return None


def parse_date(text: str, *, notations: Collection[str] = NOTATIONS) -> datetime.date | None:
    """A cell that is one date, or empty (None). Anything else raises ValueError with a Dutch
    message that names the text, for an import to show at its row and column.

    ``notations`` narrows what is accepted, for a format that has promised fewer notations.
    """
    text = text.strip()
    if not text:
        return None
    match = DATE.fullmatch(text)
    if match is None or _notation(match) not in notations:
        raise ValueError(_("'%(text)s' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ).") % {"text": text})
    try:
        return _date(match)
    except ValueError:
        raise ValueError(_("De datum '%(text)s' bestaat niet.") % {"text": text}) from None


def _notation(match: re.Match[str]) -> str:
    return ISO if match["iso_year"] else NAMED if match["name"] else match["sep"]


def _date(match: re.Match[str]) -> datetime.date:
    """Raises ValueError for a date that does not exist."""
    if match["iso_year"]:
        year, month, day = match["iso_year"], match["iso_month"], match["iso_day"]
        return datetime.date(int(year), int(month), int(day))
    month = MONTHS[match["name"].lower()] if match["name"] else int(match["month"])
    return datetime.date(int(match["year"]), month, int(match["day"]))
