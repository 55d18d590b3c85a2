"""Reading numbers people type: digits and years (pages, downloads, reports, imports)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 1990, 2100
"""The years Waardig accepts anywhere: figures, need, agreements, reports."""


def digits(text: str) -> bool:
    """Only the digits 0-9 (``str.isdigit`` also takes '²' and other scripts' digits, which
    ``int`` then refuses)."""
    return text.isascii() and text.isdigit()


def parse_year(value: Any) -> int:
    """A year as a number in FIRST_YEAR-LAST_YEAR, or a ValidationError saying what is wrong."""
    text = str(value if value is not None else "").strip()
    if not digits(text):
        raise ValidationError(_("Geef het jaar als getal, bijvoorbeeld 2025."))
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(_("Het jaar ligt buiten het bereik 1990-2100."))
    return year
