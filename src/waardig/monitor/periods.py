"""Periods of monitor figures: a year, quarter or month, written as our canonical text ("2022",
"2022-Q1", "2022-03") or as a CBS StatLine code ("2022JJ00", "2022KW01", "2022MM03").

The one place that reads periods: observations store the canonical text, the formats read both.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _


class FormatError(ValueError):
    """A code, period, number or date that cannot be read; the message says which and why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- periods -------------------------------------------------------------------------------

YEAR, QUARTER, MONTH = "year", "quarter", "month"
FIRST_YEAR, LAST_YEAR = 1900, 2100
"""Years outside this span are typing errors in a labour-migration monitor, not data."""

_CBS_PERIOD = re.compile(r"(?P<year>\d{4})(?P<kind>[A-Z]{2})(?P<number>\d{2})", re.ASCII)
_CANONICAL_PERIOD = re.compile(
    r"(?P<year>\d{4})(?:-Q(?P<quarter>\d)|-(?P<month>\d{2}))?", re.ASCII | re.IGNORECASE
)
_CBS_KINDS = {"JJ": (YEAR, 0, 0), "KW": (QUARTER, 1, 4), "MM": (MONTH, 1, 12)}
_CBS_LETTERS = {kind: letters for letters, (kind, _low, _high) in _CBS_KINDS.items()}


@dataclass(frozen=True)
class Period:
    """A year, quarter or month. ``number`` is 0 for a year, else the quarter or month."""

    kind: str
    year: int
    number: int
    canonical: str
    start: datetime.date

    @classmethod
    def of(cls, kind: str, year: int, number: int = 0) -> Period:
        if kind == YEAR:
            return cls(kind, year, 0, f"{year}", datetime.date(year, 1, 1))
        if kind == QUARTER:
            return cls(
                kind, year, number, f"{year}-Q{number}", datetime.date(year, 3 * number - 2, 1)
            )
        return cls(kind, year, number, f"{year}-{number:02d}", datetime.date(year, number, 1))

    @property
    def end(self) -> datetime.date:
        last_month = {YEAR: 12, QUARTER: 3 * self.number, MONTH: self.number}[self.kind]
        return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def cbs(self) -> str:
        """The period as a CBS StatLine code, e.g. ``2022KW01``."""
        return f"{self.year}{_CBS_LETTERS[self.kind]}{self.number:02d}"


def parse_period(code: str) -> Period:
    """A CBS period code (``2022JJ00``, ``2022KW01``, ``2022MM03``) or our canonical text
    (``2022``, ``2022-Q1``, ``2022-03``); anything else raises FormatError."""
    text = code.strip().upper()
    if not text:
        raise FormatError(_("Periode ontbreekt."))
    if match := _CBS_PERIOD.fullmatch(text):
        year, letters, number = int(match["year"]), match["kind"], int(match["number"])
        if letters not in _CBS_KINDS:
            raise FormatError(
                _(
                    "Periode '%(code)s': CBS-periodesoort %(kind)s wordt niet ondersteund "
                    "(alleen JJ jaar, KW kwartaal en MM maand)."
                )
                % {"code": text, "kind": letters}
            )
        kind, low, high = _CBS_KINDS[letters]
    elif match := _CANONICAL_PERIOD.fullmatch(text):
        year = int(match["year"])
        if match["quarter"]:
            kind, number, low, high = QUARTER, int(match["quarter"]), 1, 4
        elif match["month"]:
            kind, number, low, high = MONTH, int(match["month"]), 1, 12
        else:
            kind, number, low, high = YEAR, 0, 0, 0
    else:
        raise FormatError(
            _(
                "Onbekende periode '%(code)s': schrijf 2022, 2022-Q1 of 2022-03, "
                "of een CBS-code als 2022JJ00, 2022KW01 of 2022MM03."
            )
            % {"code": text}
        )
    if not low <= number <= high:
        message = {
            YEAR: _("Periode '%(code)s': een jaarcode eindigt op JJ00."),
            QUARTER: _("Periode '%(code)s': een kwartaal is 1 tot en met 4."),
            MONTH: _("Periode '%(code)s': een maand is 01 tot en met 12."),
        }[kind]
        raise FormatError(message % {"code": text})
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FormatError(
            _("Periode '%(code)s': het jaar ligt niet tussen %(first)s en %(last)s.")
            % {"code": text, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return Period.of(kind, year, number)
