"""Numbers, dates and the Waardig observation template, read from CSV and XLSX files.

All figures in the files below are invented (fictief).
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waardig.core.imports.base import RowError
from waardig.core.imports.readers import read_table
from waardig.monitor import formats
from waardig.monitor.formats import (
    MAX_DECIMALS,
    MAX_WHOLE_DIGITS,
    STATUSES,
    STAY_CLASSES,
    TEMPLATE_COLUMNS,
    AreaCode,
    FormatError,
    Number,
    RegionName,
    TemplateRow,
    parse_date,
    parse_number,
    parse_period,
    parse_template_row,
    storable,
)
from waardig.monitor.models import ObservationStatus, StayClass

D = Decimal

# --- numbers -------------------------------------------------------------------------------

NUMBERS: list[tuple[str, Number]] = [
    # missing and secret
    ("", Number(None)),
    ("   ", Number(None)),
    (".", Number(None)),
    ("       .", Number(None)),
    ("x", Number(None, secret=True)),
    ("  X ", Number(None, secret=True)),
    # CBS and English: a point
    ("25390", Number(D(25390))),
    ("   25390", Number(D(25390))),
    ("1234.5", Number(D("1234.5"))),
    ("0.123", Number(D("0.123"))),
    ("12.3456", Number(D("12.3456"))),
    ("1234.567", Number(D("1234.567"))),
    ("-0.5", Number(D("-0.5"))),
    ("\u22123", Number(D(-3))),  # a typographic minus
    # Dutch: a comma, points grouping thousands
    ("1234,5", Number(D("1234.5"))),
    ("0,5", Number(D("0.5"))),
    ("12,345", Number(D("12.345"))),
    ("-12,5", Number(D("-12.5"))),
    ("1.234,5", Number(D("1234.5"))),
    ("1.234.567", Number(D(1234567))),
    ("-1.234.567,89", Number(D("-1234567.89"))),
    # English with thousands: both separators, the last one is the decimal
    ("1,234.5", Number(D("1234.5"))),
    ("1,234,567.25", Number(D("1234567.25"))),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_numbers_read_by_the_documented_rule(text: str, expected: Number) -> None:
    assert parse_number(text) == expected


BAD_NUMBERS: list[tuple[str, str]] = [
    ("1.234", "'1.234' is dubbelzinnig: schrijf 1234 voor een duizendtal of 1,234"),
    ("82.895", "'82.895' is dubbelzinnig: schrijf 82895 voor een duizendtal of 82,895"),
    ("-1.234", "'-1.234' is dubbelzinnig: schrijf -1234 voor een duizendtal of -1,234"),
    ("abc", "'abc' is geen getal"),
    ("-", "'-' is geen getal"),
    ("--5", "'--5' is geen getal"),
    ("1 234", "'1 234' is geen getal"),
    ("1,2,3", "'1,2,3' is geen getal"),
    ("1,234,567", "'1,234,567' is geen getal"),
    ("1.23.4", "'1.23.4' is geen getal"),
    ("12.34,5", "'12.34,5' is geen getal"),
    ("1.234,5.6", "'1.234,5.6' is geen getal"),
    (".5", "'.5' is geen getal"),
    ("5.", "'5.' is geen getal"),
    ("12,5%", "'12,5%' is geen getal"),
    ("1e5", "'1e5' is geen getal"),
    ("+5", "'+5' is geen getal"),
    ("٣", "'٣' is geen getal"),  # an Arabic-Indic three is not a digit of ours
    ("xx", "'xx' is geen getal"),
]


@pytest.mark.parametrize(("text", "message"), BAD_NUMBERS)
def test_anything_else_is_an_error_naming_the_text(text: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_number(text)
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.5", D("1234.5")), ("1.234", D("1.234")), ("-0.0001", D("-0.0001")), ("7", D(7))],
)
def test_point_notation_reads_a_cbs_file_or_excel_cell_without_doubt(
    text: str, expected: Decimal
) -> None:
    assert parse_number(text, notation="point") == Number(expected)


@pytest.mark.parametrize("text", ["1234,5", "1.234,5", "1,234.5", "1.234.567"])
def test_point_notation_refuses_other_separators(text: str) -> None:
    with pytest.raises(FormatError, match="verwacht een punt als decimaalteken"):
        parse_number(text, notation="point")


values = st.decimals(
    min_value=D("-999999999999.9999"),
    max_value=D("999999999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


def written(value: Decimal) -> dict[str, str]:
    """The ways people and programs write a number."""
    english = f"{value:,f}"
    return {
        "plain point": f"{value:f}",
        "plain comma": f"{value:f}".replace(".", ","),
        "english grouped": english,
        "dutch grouped": english.replace(",", "_").replace(".", ",").replace("_", "."),
    }


@given(values)
def test_a_number_is_read_back_exactly_or_refused_never_misread(value: Decimal) -> None:
    for way, text in written(value).items():
        try:
            number = parse_number(text)
        except FormatError as exc:
            assert "dubbelzinnig" in exc.message, (way, text)
            assert re.fullmatch(r"-?[1-9]\d{0,2}\.\d{3}", text), (way, text)
        else:
            assert number == Number(value), (way, text)
    assert parse_number(f"{value:f}", notation="point") == Number(value)


@given(values)
def test_an_unambiguous_dutch_number_is_always_read(value: Decimal) -> None:
    assert parse_number(f"{value:f}".replace(".", ",")) == Number(value)


STORABLE: list[tuple[Decimal, str]] = [
    (D("1.50000"), "1.5"),
    (D("25390.0000"), "25390"),
    (D("0.00000"), "0"),
    (D("-0"), "0"),
    (D("2.5E+3"), "2500"),
    (D("999999999999.9999"), "999999999999.9999"),
    (D("-999999999999.9999"), "-999999999999.9999"),
    (D("0.0001"), "0.0001"),
]


@pytest.mark.parametrize(("value", "expected"), STORABLE)
def test_values_are_written_as_observations_hold_them(value: Decimal, expected: str) -> None:
    assert str(storable(value)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (D("0.00001"), f"meer dan {MAX_DECIMALS} cijfers achter de komma"),
        (D("1.23456"), f"meer dan {MAX_DECIMALS} cijfers achter de komma"),
        (D("1000000000000"), f"ten hoogste {MAX_WHOLE_DIGITS} cijfers voor de komma"),
        (D("-1E+12"), f"ten hoogste {MAX_WHOLE_DIGITS} cijfers voor de komma"),
    ],
)
def test_values_an_observation_cannot_hold_are_refused_not_rounded(
    value: Decimal, message: str
) -> None:
    with pytest.raises(FormatError, match=message):
        storable(value)


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("  ", None),
        ("2024-05-01", datetime.date(2024, 5, 1)),
        ("01-05-2024", datetime.date(2024, 5, 1)),
        ("1-5-2024", datetime.date(2024, 5, 1)),
        (" 29-02-2024 ", datetime.date(2024, 2, 29)),
    ],
)
def test_dates_are_iso_or_dutch(text: str, expected: datetime.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-02-29", "De datum '2023-02-29' bestaat niet."),
        ("31-04-2024", "De datum '31-04-2024' bestaat niet."),
        ("05/01/2024", "'05/01/2024' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)."),
        ("2024-5-1", "'2024-5-1' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)."),
        ("1 mei 2024", "'1 mei 2024' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)."),
    ],
)
def test_other_dates_are_errors(text: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_date(text)
    assert caught.value.message == message


# --- template rows -------------------------------------------------------------------------

ROW = {
    "indicator": "working-labour-migrants",
    "area": "GM0935",
    "period": "2022",
    "stay_class": "",
    "value": "6012",
    "status": "fictitious",
    "source": "Waardig demo",
    "publication": "Demoreeks (fictief)",
    "retrieved_on": "2024-05-01",
}


def test_a_template_row_becomes_a_plain_record() -> None:
    assert parse_template_row(7, ROW) == TemplateRow(
        row=7,
        indicator="working-labour-migrants",
        area=AreaCode("municipality", "GM0935"),
        period=parse_period("2022"),
        stay_class="",
        value=D(6012),
        status="fictitious",
        source="Waardig demo",
        publication="Demoreeks (fictief)",
        retrieved_on=datetime.date(2024, 5, 1),
    )


def test_optional_columns_may_be_left_out_of_the_file() -> None:
    required = {c.name: ROW[c.name] for c in TEMPLATE_COLUMNS if c.required}
    parsed = parse_template_row(2, required)
    assert (parsed.stay_class, parsed.publication, parsed.retrieved_on) == ("", "", None)


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("indicator", " Working-Labour-Migrants ", "working-labour-migrants"),
        ("area", "pv31 ", AreaCode("province", "PV31")),
        ("area", "corop:Zuid-Limburg", RegionName("corop", "Zuid-Limburg")),
        ("area", " Admin : Westelijke  Mijnstreek ", RegionName("admin", "Westelijke Mijnstreek")),
        ("area", "admin:Noord: Venlo e.o.", RegionName("admin", "Noord: Venlo e.o.")),
        ("period", "2022KW01", parse_period("2022-Q1")),
        ("period", "2022-03", parse_period("2022MM03")),
        ("stay_class", "short", "short"),
        ("stay_class", "Kort", "short"),
        ("stay_class", "middellang", "mid"),
        ("stay_class", "LANG", "long"),
        ("stay_class", "mid", "mid"),
        ("value", "1.234,5", D("1234.5")),
        ("value", "12,5", D("12.5")),
        ("value", "1234.50000", D("1234.5")),
        ("status", "Definitief", "definitive"),
        ("status", "voorlopig", "provisional"),
        ("status", "Nader  voorlopig", "provisional"),
        ("status", "schatting", "estimate"),
        ("status", "estimate", "estimate"),
        ("status", "FICTIEF", "fictitious"),
        ("retrieved_on", "01-05-2024", datetime.date(2024, 5, 1)),
        ("retrieved_on", "", None),
    ],
)
def test_template_cells_accept_english_dutch_and_cbs_forms(
    column: str, text: str, expected: object
) -> None:
    assert getattr(parse_template_row(2, ROW | {column: text}), column) == expected


def test_the_template_knows_every_status_and_stay_class_an_observation_has() -> None:
    assert set(STATUSES.values()) == set(ObservationStatus.values)
    assert set(STAY_CLASSES.values()) == set(StayClass.values)


BAD_CELLS: list[tuple[str, str, str]] = [
    ("indicator", "", "Indicator ontbreekt."),
    ("indicator", "werkzame migranten", "'werkzame migranten' is geen indicatorcode"),
    ("area", "", "Gebiedscode ontbreekt."),
    ("area", "GM935", "een gemeentecode is GM gevolgd door 4 cijfers"),
    ("area", "Maastricht", "Onbekende gebiedscode 'MAASTRICHT'"),
    ("area", "CR39", "'CR39' is een COROP-gebied: geef een gemeente"),
    ("area", "NL01", "'NL01' is een land: geef een gemeente"),
    ("area", "corop:", "Regio 'corop:': schrijf indeling:regionaam"),
    ("area", ":Zuid-Limburg", "Regio ':Zuid-Limburg': schrijf indeling:regionaam"),
    ("area", "COROP gebied:Zuid", "Regio 'COROP gebied:Zuid': schrijf indeling:regionaam"),
    ("period", "", "Periode ontbreekt."),
    ("period", "Q1 2022", "Onbekende periode 'Q1 2022'"),
    ("period", "2022-13", "een maand is 01 tot en met 12"),
    ("stay_class", "seizoen", "Onbekende verblijfsduur 'seizoen'"),
    ("value", "", "Waarde ontbreekt."),
    ("value", ".", "Waarde ontbreekt."),
    ("value", "x", "Een geheime waarde (x) hoort niet in het sjabloon"),
    ("value", "82.895", "'82.895' is dubbelzinnig"),
    ("value", "veel", "'veel' is geen getal"),
    ("value", "1,23456", "meer dan 4 cijfers achter de komma"),
    ("status", "", "Onbekende status ''"),
    ("status", "final", "Onbekende status 'final'"),
    ("source", "  ", "Bron ontbreekt"),
    ("retrieved_on", "mei 2024", "'mei 2024' is geen datum"),
    ("retrieved_on", "31-02-2024", "De datum '31-02-2024' bestaat niet."),
]


def errors_of(values: dict[str, str], **options: str) -> list[tuple[str, str]]:
    with pytest.raises(ExceptionGroup) as caught:
        parse_template_row(2, values, **options)
    assert all(isinstance(e, RowError) for e in caught.value.exceptions)
    return [(e.column, e.message) for e in caught.value.exceptions]


@pytest.mark.parametrize(("column", "text", "message"), BAD_CELLS)
def test_a_bad_cell_is_a_row_error_naming_its_column(column: str, text: str, message: str) -> None:
    [(named, said)] = errors_of(ROW | {column: text})
    assert named == column
    assert message in said


def test_every_error_of_a_row_is_reported_at_once() -> None:
    bad = {
        "indicator": "werkzame migranten",
        "area": "CR39",
        "period": "2022-13",
        "stay_class": "seizoen",
        "value": "veel",
        "status": "final",
        "source": "",
        "retrieved_on": "mei 2024",
    }
    assert [column for column, _message in errors_of(bad)] == list(bad)  # in column order


def test_an_empty_row_says_what_is_missing() -> None:
    assert [column for column, _message in errors_of({})] == [
        "indicator",
        "area",
        "period",
        "value",
        "status",
        "source",
    ]


# --- whole template files through the core readers ------------------------------------------

HEADER = [c.name for c in TEMPLATE_COLUMNS]
LINES = [  # figures fictief
    ["working-labour-migrants", "GM0935", "2022", "", "6012", "fictief", "Waardig demo", "", ""],
    ["working-labour-migrants", "PV31", "2022", "", "71234", "fictief", "Waardig demo", "", ""],
    [
        "working-labour-migrants",
        "corop:Zuid-Limburg",
        "2022-Q1",
        "kort",
        "1234,5",
        "schatting",
        "Waardig demo",
        "Demoreeks",
        "01-05-2024",
    ],
    ["registration-rate", "GM1954", "2022MM03", "", "62,75", "voorlopig", "Demo", "", ""],
]
EXPECTED = [
    (2, AreaCode("municipality", "GM0935"), "2022", "", D(6012), "fictitious", None),
    (3, AreaCode("province", "PV31"), "2022", "", D(71234), "fictitious", None),
    (
        4,
        RegionName("corop", "Zuid-Limburg"),
        "2022-Q1",
        "short",
        D("1234.5"),
        "estimate",
        datetime.date(2024, 5, 1),
    ),
    (5, AreaCode("municipality", "GM1954"), "2022-03", "", D("62.75"), "provisional", None),
]


def rows_of(data: bytes, filename: str, **options: str) -> list[tuple]:
    table = read_table(data, filename)
    assert table.columns == HEADER
    parsed = [parse_template_row(row, values, **options) for row, values in table.rows]
    return [
        (p.row, p.area, p.period.canonical, p.stay_class, p.value, p.status, p.retrieved_on)
        for p in parsed
    ]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_a_template_csv_reads_with_either_separator(delimiter: str) -> None:
    def line(cells: list[str]) -> str:
        return delimiter.join(f'"{c}"' if delimiter in c else c for c in cells)

    data = "\r\n".join(line(cells) for cells in [HEADER, *LINES]).encode("utf-8-sig")
    assert rows_of(data, "waarnemingen.csv") == EXPECTED


def test_a_template_xlsx_reads_numbers_and_dates_from_typed_cells() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for cells in LINES:
        typed: list[object] = list(cells)
        value = cells[4]
        typed[4] = float(value.replace(",", ".")) if "," in value else int(value)
        if cells[8]:
            day, month, year = (int(part) for part in cells[8].split("-"))
            typed[8] = datetime.datetime(year, month, day)
        sheet.append(typed)
    sheet.append(["fte-ratio", "GM0983", "2022", "", 1.234, "definitief", "Demo", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    expected_extra = (6, AreaCode("municipality", "GM0983"), "2022", "", D("1.234"), "definitive")
    assert rows_of(buffer.getvalue(), "waarnemingen.xlsx", notation="point") == [
        *EXPECTED,
        (*expected_extra, None),
    ]


# --- documentation -------------------------------------------------------------------------


def test_the_docstring_table_documents_exactly_the_template_columns() -> None:
    documented = re.findall(r"^``(\w+)``\s+(yes|no)\s", formats.__doc__ or "", re.MULTILINE)
    assert documented == [(c.name, "yes" if c.required else "no") for c in TEMPLATE_COLUMNS]
