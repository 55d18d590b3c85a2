"""Reading observations from CBS StatLine CSV exports and from the Waardig template.

Pure functions on text: the observations importer calls them and decides what to store, so
every rule about codes, periods and numbers lives here once and is tested directly
(tests/monitor/test_cbs.py, tests/monitor/test_formats.py).

Numbers
-------
``parse_number`` reads one cell. ``""`` and ``"."`` are missing (CBS: no figure), ``"x"`` is
secret (CBS suppressed it); both give no value, the second with ``secret=True``. A minus sign
may lead. Separators follow one explicit rule:

=====================  ==========================  ========================================
notation               accepted                    meaning
=====================  ==========================  ========================================
``point``              ``1234.5``                  CBS CSV exports, and numbers from Excel
                                                   cells: ``.`` is the decimal point, no
                                                   thousands separators.
``auto`` (template)    ``1234.5``, ``0.123``       one ``.`` is the decimal point
                       ``1234,5``                  one ``,`` is the decimal comma
                       ``1.234.567``, ``1.234,5``  Dutch: ``.`` groups thousands, ``,`` is
                                                   the decimal comma
                       ``1,234.5``                 English: ``,`` groups thousands, ``.``
                                                   is the decimal point
=====================  ==========================  ========================================

In ``auto`` a number such as ``1.234`` or ``82.895`` (one dot, then exactly three digits) is
refused as ambiguous, since in Dutch it means a thousand and in English one and a bit: a
wrong guess would be silent. Write ``1234`` or ``1,234``.

The Waardig observation template
--------------------------------
A CSV (semicolon or comma separated) or XLSX sheet with one observation per row; the header
names the columns, in any order:

================  ========  ===========================================================
column            required  content
================  ========  ===========================================================
``indicator``     yes       code of the indicator, e.g. ``working-labour-migrants``
``area``          yes       CBS code of a municipality (``GM0935``) or the province
                            (``PV31``), or a region as ``<grouping>:<region name>``
                            (``corop:Zuid-Limburg``, ``admin:Westelijke Mijnstreek``)
``period``        yes       ``2022`` (year), ``2022-Q1`` (quarter), ``2022-03`` (month);
                            CBS codes (``2022JJ00``, ``2022KW01``, ``2022MM03``) also do
``stay_class``    no        empty for all, else ``short``/``mid``/``long``
                            (or ``kort``/``middellang``/``lang``)
``value``         yes       the number (rule above; in XLSX a number cell), at most 12
                            digits before and 4 after the decimal separator
``status``        yes       ``definitive``, ``provisional``, ``estimate``, ``fictitious``
                            (or ``definitief``, ``voorlopig`` / ``nader voorlopig``,
                            ``schatting``, ``fictief``)
``source``        yes       who produced the figure, e.g. ``CBS`` or ``Decisio``
``publication``   no        the table or report it comes from
``retrieved_on``  no        date the figure was taken, ``2024-05-01`` or ``01-05-2024``
================  ========  ===========================================================
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, NamedTuple, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core import dates
from waardig.core.imports.base import Column, RowErrors
from waardig.core.imports.readers import UnreadableFile, decode_text
from waardig.monitor import rules
from waardig.monitor.periods import (
    FormatError,
    Period,
    parse_period,
)

# --- areas ---------------------------------------------------------------------------------

COUNTRY, LANDSDEEL, PROVINCE, COROP = "country", "landsdeel", "province", "corop"
MUNICIPALITY, DISTRICT, NEIGHBOURHOOD = "municipality", "district", "neighbourhood"
AREA_PREFIXES: dict[str, tuple[str, int]] = {
    "NL": (COUNTRY, 2),
    "LD": (LANDSDEEL, 2),
    "PV": (PROVINCE, 2),
    "CR": (COROP, 2),
    "GM": (MUNICIPALITY, 4),
    "WK": (DISTRICT, 6),
    "BU": (NEIGHBOURHOOD, 8),
}
"""CBS region code prefix -> kind of area and number of digits after it."""
AREA_LABELS = {
    COUNTRY: gettext_lazy("land"),
    LANDSDEEL: gettext_lazy("landsdeel"),
    PROVINCE: gettext_lazy("provincie"),
    COROP: gettext_lazy("COROP-gebied"),
    MUNICIPALITY: gettext_lazy("gemeente"),
    DISTRICT: gettext_lazy("wijk"),
    NEIGHBOURHOOD: gettext_lazy("buurt"),
}


class AreaCode(NamedTuple):
    kind: str
    code: str


def parse_area(code: str) -> AreaCode:
    """A CBS region code such as ``GM0935``, ``PV31``, ``CR38``, ``LD03`` or ``NL01``; CBS pads
    codes with trailing spaces, which are dropped."""
    text = code.strip().upper()
    if not text:
        raise FormatError(_("Gebiedscode ontbreekt."))
    known = AREA_PREFIXES.get(text[:2])
    if known is None:
        raise FormatError(
            _(
                "Onbekende gebiedscode '%(code)s': verwacht een CBS-code die begint met "
                "%(prefixes)s, zoals GM0935 of PV31."
            )
            % {"code": text, "prefixes": ", ".join(AREA_PREFIXES)}
        )
    kind, digits = known
    if len(text) != 2 + digits or not text[2:].isascii() or not text[2:].isdigit():
        raise FormatError(
            _("Gebiedscode '%(code)s': een %(label)scode is %(prefix)s gevolgd door %(n)s cijfers.")
            % {"code": text, "label": AREA_LABELS[kind], "prefix": text[:2], "n": digits}
        )
    return AreaCode(kind, text)


# --- numbers -------------------------------------------------------------------------------

Notation = Literal["auto", "point"]
MAX_DECIMALS, MAX_WHOLE_DIGITS = 4, 12
"""What an observation's value can hold (16 digits, 4 of them after the separator)."""

_POINT = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_COMMA = re.compile(r"\d+,\d+", re.ASCII)
_DUTCH_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_ENGLISH_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+", re.ASCII)
_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}\.\d{3}", re.ASCII)


class Number(NamedTuple):
    value: Decimal | None
    secret: bool = False


def parse_number(text: str, *, notation: Notation = "auto") -> Number:
    """One cell as a number; see the module docstring for the rule on separators."""
    cell = text.strip()
    if cell in ("", "."):
        return Number(None)
    if cell.lower() == "x":
        return Number(None, secret=True)
    negative = cell[0] in "-\u2212"
    sign, digits = ("-", cell[1:]) if negative else ("", cell)
    if notation == "auto" and _AMBIGUOUS.fullmatch(digits):
        raise FormatError(
            _(
                "'%(text)s' is dubbelzinnig: schrijf %(whole)s voor een duizendtal of "
                "%(decimal)s voor een decimaal getal."
            )
            % {
                "text": cell,
                "whole": sign + digits.replace(".", ""),
                "decimal": sign + digits.replace(".", ","),
            }
        )
    plain = None
    if _POINT.fullmatch(digits):
        plain = digits
    elif notation == "auto":
        if _COMMA.fullmatch(digits):
            plain = digits.replace(",", ".")
        elif _DUTCH_GROUPED.fullmatch(digits):
            plain = digits.replace(".", "").replace(",", ".")
        elif _ENGLISH_GROUPED.fullmatch(digits):
            plain = digits.replace(",", "")
    if plain is None:
        if notation == "point":
            message = _("'%(text)s' is geen getal (verwacht een punt als decimaalteken: 1234.5).")
        else:
            message = _("'%(text)s' is geen getal (zoals 1234, 1234,5 of 1.234,5).")
        raise FormatError(message % {"text": cell})
    return Number(Decimal(plain).copy_negate() if negative else Decimal(plain))


def storable(value: Decimal) -> Decimal:
    """The value as an observation holds it (``1.50000`` -> ``1.5``, ``-0`` -> ``0``); a value
    it cannot hold is refused rather than rounded silently."""
    if not value:
        return Decimal(0)
    sign, digits, exponent = value.as_tuple()
    exponent = int(exponent)
    while exponent < 0 and digits[-1] == 0:  # trailing zeros after the separator
        digits, exponent = digits[:-1], exponent + 1
    if -exponent > MAX_DECIMALS:
        raise FormatError(
            _("%(value)s heeft meer dan %(n)s cijfers achter de komma.")
            % {"value": value, "n": MAX_DECIMALS}
        )
    if len(digits) + exponent > MAX_WHOLE_DIGITS:
        raise FormatError(
            _("%(value)s is te groot (ten hoogste %(n)s cijfers voor de komma).")
            % {"value": value, "n": MAX_WHOLE_DIGITS}
        )
    if exponent > 0:  # 25E+3: written out as 25000
        digits, exponent = digits + (0,) * exponent, 0
    return Decimal((sign, digits, exponent))


# --- CBS StatLine CSV exports --------------------------------------------------------------

ID_COLUMN, PERIOD_COLUMN = "ID", "Perioden"
REGION_COLUMNS = ("RegioS", "WijkenEnBuurten")
MEASURE_KEY = re.compile(r".+_\d+")
"""CBS names each measure (topic) column with a sequence number, ``Werknemers_1``; dimension
columns (``Geslacht``, ``Leeftijd``, a stay-duration class, ...) never have one. That rule,
not a list, tells them apart: dimension codes are often numbers (``3000`` for men), and a
dimension missing from a list would silently be read as figures."""


class Problem(NamedTuple):
    """One error with the line (header = 1) and column where it is, as the framework lists."""

    line: int
    column: str
    message: str


@dataclass(frozen=True)
class CbsRow:
    """One figure: a measure of one area and period (and dimension codes, if any)."""

    line: int
    area: AreaCode
    period: Period
    measure: str
    value: Decimal | None
    secret: bool = False
    dimensions: dict[str, str] = field(default_factory=dict)


T = TypeVar("T")


@dataclass
class CbsExport:
    """The columns of an export; iterate it for its rows (read once, as the file streams).

    Each iteration refills ``errors``; a line with any error yields no rows.
    """

    text: str = field(repr=False)
    delimiter: str
    columns: list[str]
    region_column: str
    dimensions: list[str]
    measures: list[str]
    errors: list[Problem] = field(default_factory=list)

    def __iter__(self) -> Iterator[CbsRow]:
        self.errors = []
        areas: dict[str, AreaCode | FormatError] = {}
        periods: dict[str, Period | FormatError] = {}
        records = csv.reader(
            io.StringIO(self.text, newline=""), delimiter=self.delimiter, strict=True
        )
        width = len(self.columns)
        try:
            next(records)  # the header, read by read_cbs_csv
            for line, record in enumerate(records, start=2):
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) != width:
                    self._error(
                        line,
                        "",
                        _("Deze regel heeft %(n)s cellen, de kopregel %(width)s.")
                        % {"n": len(record), "width": width},
                    )
                    continue
                yield from self._rows(
                    line, dict(zip(self.columns, record, strict=True)), areas, periods
                )
        except csv.Error as exc:
            self._error(
                records.line_num,
                "",
                _("Het CSV-bestand is niet geldig: %(error)s") % {"error": exc},
            )

    def _rows(
        self,
        line: int,
        cells: dict[str, str],
        areas: dict[str, AreaCode | FormatError],
        periods: dict[str, Period | FormatError],
    ) -> list[CbsRow]:
        count = len(self.errors)
        area = self._cached(line, self.region_column, cells, areas, parse_area)
        period = self._cached(line, PERIOD_COLUMN, cells, periods, parse_period)
        dimensions = {name: cells[name].strip() for name in self.dimensions}
        for name, code in dimensions.items():
            if not code:
                self._error(line, name, _("Code ontbreekt."))
        if cells.get("", "").strip():  # a column without a name, e.g. after saving in Excel
            self._error(line, "", _("Waarde in een kolom zonder naam."))
        figures = []
        for measure in self.measures:
            try:
                number = parse_number(cells[measure], notation="point")
                if number.value is not None:
                    number = number._replace(value=storable(number.value))
            except FormatError as exc:
                self._error(line, measure, exc.message)
            else:
                figures.append((measure, number))
        if len(self.errors) > count or area is None or period is None:
            return []
        return [
            CbsRow(line, area, period, measure, number.value, number.secret, dimensions)
            for measure, number in figures
        ]

    def _cached(
        self,
        line: int,
        column: str,
        cells: dict[str, str],
        cache: dict[str, T | FormatError],
        parse: Callable[[str], T],
    ) -> T | None:
        """Codes repeat on every line: each is parsed once, its error reported on every line."""
        text = cells[column]
        if text not in cache:
            try:
                cache[text] = parse(text)
            except FormatError as exc:
                cache[text] = exc
        found = cache[text]
        if isinstance(found, FormatError):
            self._error(line, column, found.message)
            return None
        return found

    def _error(self, line: int, column: str, message: str) -> None:
        self.errors.append(Problem(line, column, message))


def read_cbs_csv(data: bytes) -> CbsExport:
    """An export of a CBS StatLine table ("onbewerkte dataset": codes, not labels).

    Raises UnreadableFile when the file is not such an export at all; errors in its lines
    (codes, periods, numbers) are collected in ``errors`` while the rows are read.
    """
    text = decode_text(data)
    first_line = text.partition("\n")[0].rstrip("\r")
    if not first_line.strip():
        raise UnreadableFile(_("Het bestand is leeg of de eerste regel is leeg."))
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        header = next(csv.reader([first_line], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise UnreadableFile(
            _("Het CSV-bestand is niet geldig: %(error)s") % {"error": exc}
        ) from exc
    columns = [cell.strip() for cell in header]
    lowered = [c.lower() for c in columns]
    if doubles := sorted({c for c in columns if c and lowered.count(c.lower()) > 1}):
        raise UnreadableFile(
            _("Kolommen komen dubbel voor: %(columns)s.") % {"columns": ", ".join(doubles)}
        )
    region = next((c for c in columns if c.lower() in {r.lower() for r in REGION_COLUMNS}), None)
    if region is None or PERIOD_COLUMN.lower() not in lowered:
        raise UnreadableFile(
            _(
                "Geen CBS-export: de kolommen %(region)s en %(period)s ontbreken. Download bij "
                "CBS StatLine de onbewerkte dataset (met codes) als CSV."
            )
            % {"region": REGION_COLUMNS[0], "period": PERIOD_COLUMN}
        )
    fixed = {ID_COLUMN.lower(), region.lower(), PERIOD_COLUMN.lower()}
    named = [c for c in columns if c and c.lower() not in fixed]
    measures = [c for c in named if MEASURE_KEY.fullmatch(c)]
    if not measures:
        raise UnreadableFile(
            _(
                "Geen kolommen met cijfers: CBS geeft die een naam met een volgnummer, "
                "zoals Werknemers_1."
            )
        )
    return CbsExport(
        text=text,
        delimiter=delimiter,
        columns=[PERIOD_COLUMN if c.lower() == PERIOD_COLUMN.lower() else c for c in columns],
        region_column=region,
        dimensions=[c for c in named if not MEASURE_KEY.fullmatch(c)],
        measures=measures,
    )


def is_cbs_export(data: bytes) -> bool:
    """Whether a CSV file is a CBS export (header with region and period columns) rather
    than the Waardig template, so one import command takes both."""
    head = data[:4096].decode("utf-8-sig", errors="replace").split("\n", 1)[0].lower()
    names = {cell.strip().strip('"').strip() for cell in re.split(r"[;,]", head)}
    return PERIOD_COLUMN.lower() in names and bool(names & {r.lower() for r in REGION_COLUMNS})


# --- the Waardig template ------------------------------------------------------------------

STAY_CLASSES = {"": "", **{c: c for c in rules.STAY_CLASSES}} | dict(
    zip(("kort", "middellang", "lang"), rules.STAY_CLASSES, strict=True)
)
STATUSES = {s: s for s in rules.STATUS_ORDER} | {
    "definitief": rules.DEFINITIVE,
    "voorlopig": rules.PROVISIONAL,
    "nader voorlopig": rules.PROVISIONAL,
    "schatting": rules.ESTIMATE,
    "fictief": rules.FICTITIOUS,
}
TEMPLATE_AREA_KINDS = (MUNICIPALITY, PROVINCE)
MAX_TEXT = 300
"""The length an observation's source and publication hold."""
REGION, REGION_SEPARATOR = "region", ":"

TEMPLATE_COLUMNS = (
    Column("indicator", help=gettext_lazy("Code van de indicator")),
    Column(
        "area",
        help=gettext_lazy("Gemeente (GM0935), provincie (PV31) of regio als indeling:naam"),
    ),
    Column("period", help=gettext_lazy("Jaar 2022, kwartaal 2022-Q1 of maand 2022-03")),
    Column("stay_class", required=False, help=gettext_lazy("Leeg, kort, middellang of lang")),
    Column("value", help=gettext_lazy("Waarde, bijvoorbeeld 1234 of 1234,5")),
    Column("status", help=gettext_lazy("Definitief, voorlopig, schatting of fictief")),
    Column("source", help=gettext_lazy("Bron, bijvoorbeeld CBS")),
    Column("publication", required=False, help=gettext_lazy("Tabel of rapport")),
    Column(
        "retrieved_on",
        required=False,
        help=gettext_lazy("Datum opgehaald (JJJJ-MM-DD of DD-MM-JJJJ)"),
    ),
)

_SLUG = re.compile(r"[-a-z0-9_]+", re.ASCII)


class RegionName(NamedTuple):
    grouping: str
    name: str

    @property
    def kind(self) -> str:
        return REGION


@dataclass(frozen=True)
class TemplateRow:
    row: int
    indicator: str
    area: AreaCode | RegionName
    period: Period
    stay_class: str
    value: Decimal
    status: str
    source: str
    publication: str
    retrieved_on: datetime.date | None


def parse_template_row(
    row: int, values: dict[str, str], *, notation: Notation = "auto"
) -> TemplateRow:
    """One template row, or every error in it at once (the framework's RowErrors).

    Give ``notation="point"`` for an XLSX file: the core reader writes numeric cells with a
    decimal point, and a cell like 1.234 is then a number, not an ambiguous text.
    """
    errors = RowErrors()

    def cell(column: str) -> str:
        return (values.get(column) or "").strip()

    def read(column: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(cell(column))
        except FormatError as exc:
            errors.add(column, exc.message)
            return None

    indicator = read("indicator", _indicator)
    area = read("area", parse_template_area)
    period = read("period", _known_period)
    stay_class = read("stay_class", _stay_class)
    value = read("value", lambda text: _template_value(text, notation))
    status = read("status", _status)
    if not cell("source"):
        errors.add("source", _("Bron ontbreekt: elke waarde vermeldt waar ze vandaan komt."))
    for column in ("source", "publication"):
        if len(cell(column)) > MAX_TEXT:
            errors.add(
                column,
                _("Ten hoogste %(n)s tekens (nu %(length)s).")
                % {"n": MAX_TEXT, "length": len(cell(column))},
            )
    retrieved_on = read("retrieved_on", parse_date)
    errors.raise_if_any()
    return TemplateRow(
        row=row,
        indicator=indicator,
        area=area,
        period=period,
        stay_class=stay_class,
        value=value,
        status=status,
        source=cell("source"),
        publication=cell("publication"),
        retrieved_on=retrieved_on,
    )


# Codes and periods repeat on every line of a large file: each distinct text is read once
# (errors are raised, not cached, so a bad one is reported on every line it is on).
_known_period = functools.lru_cache(maxsize=4096)(parse_period)


def _indicator(text: str) -> str:
    if not text:
        raise FormatError(_("Indicator ontbreekt."))
    if not _SLUG.fullmatch(text.lower()):
        raise FormatError(
            _("'%(text)s' is geen indicatorcode (kleine letters, cijfers en streepjes).")
            % {"text": text}
        )
    return text.lower()


def _stay_class(text: str) -> str:
    if (found := STAY_CLASSES.get(text.lower())) is None:
        raise FormatError(
            _("Onbekende verblijfsduur '%(text)s': laat leeg, of kort, middellang of lang.")
            % {"text": text}
        )
    return found


def _status(text: str) -> str:
    if (found := STATUSES.get(" ".join(text.lower().split()))) is None:
        raise FormatError(
            _("Onbekende status '%(text)s': definitief, voorlopig, schatting of fictief.")
            % {"text": text}
        )
    return found


@functools.lru_cache(maxsize=4096)  # see _known_period
def parse_template_area(text: str) -> AreaCode | RegionName:
    """An area as the template (and the API's area filter) names it: a municipality or
    province CBS code, or ``grouping:region name``."""
    if REGION_SEPARATOR in text:
        grouping, name = (part.strip() for part in text.split(REGION_SEPARATOR, 1))
        if not _SLUG.fullmatch(grouping.lower()) or not name:
            raise FormatError(
                _("Regio '%(text)s': schrijf indeling:regionaam, bijvoorbeeld corop:Zuid-Limburg.")
                % {"text": text}
            )
        return RegionName(grouping.lower(), " ".join(name.split()))
    area = parse_area(text)
    if area.kind not in TEMPLATE_AREA_KINDS:
        raise FormatError(
            _(
                "'%(code)s' is een %(label)s: geef een gemeente (GM0935), de provincie (PV31) "
                "of een regio als indeling:regionaam."
            )
            % {"code": area.code, "label": AREA_LABELS[area.kind]}
        )
    return area


def _template_value(text: str, notation: Notation) -> Decimal:
    number = parse_number(text, notation=notation)
    if number.secret:
        raise FormatError(
            _("Een geheime waarde (x) hoort niet in het sjabloon: laat de regel weg.")
        )
    if number.value is None:
        raise FormatError(_("Waarde ontbreekt."))
    return storable(number.value)


def parse_date(text: str) -> datetime.date | None:
    """An ISO date (2024-05-01) or a Dutch one (1-5-2024, 01-05-2024); empty is no date.

    Read by ``core.dates`` but held to the two notations the template promises: a slash date
    (05/01/2024) means another day in an English export, so it is refused rather than guessed,
    as the ambiguous numbers are.
    """
    try:
        return dates.parse_date(text, notations=(dates.ISO, dates.DASHES))
    except ValueError as exc:
        raise FormatError(str(exc)) from None
