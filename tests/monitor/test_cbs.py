"""Reading CBS StatLine exports: period and region codes, and whole CSV files.

Every number in the fixture files below is invented (fictief); only the codes are real CBS
codes of Limburg's areas.
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waardig.core.imports.readers import UnreadableFile
from waardig.monitor.formats import (
    AreaCode,
    CbsRow,
    Problem,
    is_cbs_export,
    parse_area,
    read_cbs_csv,
)
from waardig.monitor.periods import FIRST_YEAR, LAST_YEAR, FormatError, Period, parse_period

d = datetime.date

# --- periods -------------------------------------------------------------------------------

PERIODS: list[tuple[str, tuple[str, int, int, str, datetime.date, datetime.date]]] = [
    ("2022JJ00", ("year", 2022, 0, "2022", d(2022, 1, 1), d(2022, 12, 31))),
    ("2022KW01", ("quarter", 2022, 1, "2022-Q1", d(2022, 1, 1), d(2022, 3, 31))),
    ("2022KW02", ("quarter", 2022, 2, "2022-Q2", d(2022, 4, 1), d(2022, 6, 30))),
    ("2022KW03", ("quarter", 2022, 3, "2022-Q3", d(2022, 7, 1), d(2022, 9, 30))),
    ("2022KW04", ("quarter", 2022, 4, "2022-Q4", d(2022, 10, 1), d(2022, 12, 31))),
    ("2022MM01", ("month", 2022, 1, "2022-01", d(2022, 1, 1), d(2022, 1, 31))),
    ("2024MM02", ("month", 2024, 2, "2024-02", d(2024, 2, 1), d(2024, 2, 29))),
    ("2023MM02", ("month", 2023, 2, "2023-02", d(2023, 2, 1), d(2023, 2, 28))),
    ("2022MM12", ("month", 2022, 12, "2022-12", d(2022, 12, 1), d(2022, 12, 31))),
    ("2022", ("year", 2022, 0, "2022", d(2022, 1, 1), d(2022, 12, 31))),
    ("2022-Q1", ("quarter", 2022, 1, "2022-Q1", d(2022, 1, 1), d(2022, 3, 31))),
    ("2022-Q4", ("quarter", 2022, 4, "2022-Q4", d(2022, 10, 1), d(2022, 12, 31))),
    ("2022-03", ("month", 2022, 3, "2022-03", d(2022, 3, 1), d(2022, 3, 31))),
    # as files write them: padded, in lower case
    (" 2022JJ00  ", ("year", 2022, 0, "2022", d(2022, 1, 1), d(2022, 12, 31))),
    ("2022kw03", ("quarter", 2022, 3, "2022-Q3", d(2022, 7, 1), d(2022, 9, 30))),
    ("2022-q2", ("quarter", 2022, 2, "2022-Q2", d(2022, 4, 1), d(2022, 6, 30))),
    (f"{FIRST_YEAR}JJ00", ("year", FIRST_YEAR, 0, f"{FIRST_YEAR}", d(FIRST_YEAR, 1, 1), None)),
    (f"{LAST_YEAR}-12", ("month", LAST_YEAR, 12, f"{LAST_YEAR}-12", d(LAST_YEAR, 12, 1), None)),
]


@pytest.mark.parametrize(("code", "expected"), PERIODS)
def test_period_codes_read_as_their_period(code: str, expected: tuple) -> None:
    kind, year, number, canonical, start, end = expected
    period = parse_period(code)
    assert period == Period(kind, year, number, canonical, start)
    assert period.end == (end or d(year, 12, 31))


BAD_PERIODS: list[tuple[str, str]] = [
    ("", "Periode ontbreekt."),
    ("   ", "Periode ontbreekt."),
    ("2022HJ01", "CBS-periodesoort HJ wordt niet ondersteund"),
    ("2022X000", "Onbekende periode '2022X000'"),
    ("2022JJ01", "een jaarcode eindigt op JJ00"),
    ("2022KW00", "een kwartaal is 1 tot en met 4"),
    ("2022KW05", "een kwartaal is 1 tot en met 4"),
    ("2022MM00", "een maand is 01 tot en met 12"),
    ("2022MM13", "een maand is 01 tot en met 12"),
    ("2022-Q0", "een kwartaal is 1 tot en met 4"),
    ("2022-Q5", "een kwartaal is 1 tot en met 4"),
    ("2022-00", "een maand is 01 tot en met 12"),
    ("2022-13", "een maand is 01 tot en met 12"),
    ("2022-3", "Onbekende periode '2022-3'"),
    ("22JJ00", "Onbekende periode '22JJ00'"),
    ("2022Q1", "Onbekende periode '2022Q1'"),
    ("Q1 2022", "Onbekende periode 'Q1 2022'"),
    ("2022*", "Onbekende periode '2022*'"),
    ("1899JJ00", "het jaar ligt niet tussen 1900 en 2100"),
    ("2101", "het jaar ligt niet tussen 1900 en 2100"),
    ("２０２２", "Onbekende periode"),  # full-width digits are not digits of a code
]


@pytest.mark.parametrize(("code", "message"), BAD_PERIODS)
def test_anything_else_is_a_clear_period_error(code: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_period(code)
    assert message in caught.value.message


def periods() -> st.SearchStrategy[Period]:
    kinds = st.sampled_from([("year", 0, 0), ("quarter", 1, 4), ("month", 1, 12)])
    return kinds.flatmap(
        lambda k: st.builds(
            Period.of,
            st.just(k[0]),
            st.integers(FIRST_YEAR, LAST_YEAR),
            st.integers(k[1], k[2]),
        )
    )


@given(periods())
def test_canonical_text_reads_back_as_itself(period: Period) -> None:
    assert parse_period(period.canonical).canonical == period.canonical
    assert parse_period(period.canonical) == period


@given(periods())
def test_a_cbs_code_and_its_canonical_text_name_the_same_period(period: Period) -> None:
    from_cbs = parse_period(period.cbs)
    assert parse_period(from_cbs.canonical) == from_cbs == period
    assert from_cbs.start <= from_cbs.end
    assert from_cbs.start.year == from_cbs.end.year == period.year


# --- areas ---------------------------------------------------------------------------------

AREAS: list[tuple[str, AreaCode]] = [
    ("GM0935", AreaCode("municipality", "GM0935")),
    ("GM0935  ", AreaCode("municipality", "GM0935")),  # CBS pads codes with spaces
    ("gm1954", AreaCode("municipality", "GM1954")),
    ("PV31  ", AreaCode("province", "PV31")),
    ("NL01  ", AreaCode("country", "NL01")),
    ("LD03  ", AreaCode("landsdeel", "LD03")),
    ("CR38  ", AreaCode("corop", "CR38")),
    ("WK093501", AreaCode("district", "WK093501")),
    ("BU09350101", AreaCode("neighbourhood", "BU09350101")),
]


@pytest.mark.parametrize(("code", "expected"), AREAS)
def test_region_codes_read_as_kind_and_code(code: str, expected: AreaCode) -> None:
    assert parse_area(code) == expected
    kind, clean = parse_area(code)  # a plain pair, as the importer unpacks it
    assert (kind, clean) == tuple(expected)


BAD_AREAS: list[tuple[str, str]] = [
    ("", "Gebiedscode ontbreekt."),
    ("XX0935", "Onbekende gebiedscode 'XX0935'"),
    ("AM01", "Onbekende gebiedscode 'AM01'"),
    ("Maastricht", "Onbekende gebiedscode 'MAASTRICHT'"),
    ("0935", "Onbekende gebiedscode '0935'"),
    ("GM935", "een gemeentecode is GM gevolgd door 4 cijfers"),
    ("GM09351", "een gemeentecode is GM gevolgd door 4 cijfers"),
    ("GM 0935", "een gemeentecode is GM gevolgd door 4 cijfers"),
    ("GMabcd", "een gemeentecode is GM gevolgd door 4 cijfers"),
    ("GM０９３５", "een gemeentecode is GM gevolgd door 4 cijfers"),
    ("PV3", "een provinciecode is PV gevolgd door 2 cijfers"),
    ("CR380", "een COROP-gebiedcode is CR gevolgd door 2 cijfers"),
]


@pytest.mark.parametrize(("code", "message"), BAD_AREAS)
def test_unknown_or_malformed_region_codes_are_clear_errors(code: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_area(code)
    assert message in caught.value.message


# --- whole exports -------------------------------------------------------------------------


def export(*lines: str, bom: bool = True, newline: str = "\r\n") -> bytes:
    return ("\ufeff" if bom else "").encode() + newline.join(lines).encode() + b"\r\n"


# A table in the shape of a StatLine download ("onbewerkte dataset"); numbers fictief.
LABOUR_MIGRANTS = export(
    '"ID";"RegioS";"Perioden";"WerkzameArbeidsmigranten_1";"IngeschrevenBRP_2";'
    '"IngeschrevenRNI_3";"AandeelBeroepsbevolking_4"',
    '"0";"NL01    ";"2022JJ00";"  654321";"  345678";"  308643";"     7.4"',
    '"1";"PV31    ";"2022JJ00";"   71234";"   40123";"   31111";"    11.9"',
    '"2";"CR39    ";"2022JJ00";"   23456";"   12345";"   11111";"     8.0"',
    '"3";"GM0935  ";"2021JJ00";"    5432";"    3210";"    2222";"     6.25"',
    '"4";"GM0935  ";"2022JJ00";"    6012";"       .";"       x";"        "',
    '"5";"GM1954  ";"2022KW01";"     812";"     500";"     312";"    -0.5"',
    '"6";"GM0983  ";"2022MM03";"    4321";"    2100";"    2221";"    12.3456"',
)


def test_a_statline_export_yields_one_row_per_measure() -> None:
    read = read_cbs_csv(LABOUR_MIGRANTS)
    assert read.columns[:3] == ["ID", "RegioS", "Perioden"]  # the BOM is not part of "ID"
    assert read.measures == [
        "WerkzameArbeidsmigranten_1",
        "IngeschrevenBRP_2",
        "IngeschrevenRNI_3",
        "AandeelBeroepsbevolking_4",
    ]
    assert read.dimensions == []
    rows = list(read)
    assert read.errors == []
    assert len(rows) == 7 * 4
    assert rows[0] == CbsRow(
        line=2,
        area=AreaCode("country", "NL01"),
        period=parse_period("2022"),
        measure="WerkzameArbeidsmigranten_1",
        value=Decimal(654321),
    )
    by_key = {(r.line, r.measure): r for r in rows}
    assert by_key[(3, "AandeelBeroepsbevolking_4")].value == Decimal("11.9")
    assert by_key[(4, "WerkzameArbeidsmigranten_1")].area == AreaCode("corop", "CR39")
    assert by_key[(5, "IngeschrevenRNI_3")].period.canonical == "2021"
    assert by_key[(7, "AandeelBeroepsbevolking_4")].value == Decimal("-0.5")
    assert by_key[(7, "IngeschrevenBRP_2")].period.canonical == "2022-Q1"
    assert by_key[(8, "AandeelBeroepsbevolking_4")].value == Decimal("12.3456")
    assert by_key[(8, "WerkzameArbeidsmigranten_1")].period.canonical == "2022-03"


def test_missing_and_secret_figures_are_rows_without_a_value() -> None:
    rows = {r.measure: r for r in read_cbs_csv(LABOUR_MIGRANTS) if r.line == 6}
    assert rows["WerkzameArbeidsmigranten_1"].value == Decimal(6012)
    assert (rows["IngeschrevenBRP_2"].value, rows["IngeschrevenBRP_2"].secret) == (None, False)
    assert (rows["IngeschrevenRNI_3"].value, rows["IngeschrevenRNI_3"].secret) == (None, True)
    assert (rows["AandeelBeroepsbevolking_4"].value, rows["AandeelBeroepsbevolking_4"].secret) == (
        None,
        False,
    )


# Extra dimensions: sex and a stay-duration class (dimension codes invented, numbers fictief).
BY_STAY = export(
    '"ID";"Geslacht";"Verblijfsduur";"RegioS";"Perioden";"Werknemers_1";"Banen_2"',
    '"0";"T001038 ";"T001019  ";"GM0935  ";"2022JJ00";"    6012";"    6100"',
    '"1";"3000    ";"A048751  ";"GM0935  ";"2022JJ00";"    3500";"    3550"',
    '"2";"4000    ";"A048752  ";"GM0935  ";"2022JJ00";"    2512";"    2550"',
)


def test_dimension_columns_are_codes_on_each_row_not_measures() -> None:
    read = read_cbs_csv(BY_STAY)
    assert read.dimensions == ["Geslacht", "Verblijfsduur"]
    assert read.measures == ["Werknemers_1", "Banen_2"]
    rows = list(read)
    assert read.errors == []
    assert [(r.line, r.measure, r.dimensions, r.value) for r in rows] == [
        (2, "Werknemers_1", {"Geslacht": "T001038", "Verblijfsduur": "T001019"}, Decimal(6012)),
        (2, "Banen_2", {"Geslacht": "T001038", "Verblijfsduur": "T001019"}, Decimal(6100)),
        (3, "Werknemers_1", {"Geslacht": "3000", "Verblijfsduur": "A048751"}, Decimal(3500)),
        (3, "Banen_2", {"Geslacht": "3000", "Verblijfsduur": "A048751"}, Decimal(3550)),
        (4, "Werknemers_1", {"Geslacht": "4000", "Verblijfsduur": "A048752"}, Decimal(2512)),
        (4, "Banen_2", {"Geslacht": "4000", "Verblijfsduur": "A048752"}, Decimal(2550)),
    ]


def test_any_column_named_as_cbs_names_dimensions_is_one_even_with_numeric_codes() -> None:
    read = read_cbs_csv(
        export(
            '"ID";"BurgerlijkeStaat";"Generatie";"RegioS";"Perioden";"Werknemers_1"',
            '"0";"1010  ";"2012600";"GM0935  ";"2022JJ00";"   120"',
        )
    )
    assert read.dimensions == ["BurgerlijkeStaat", "Generatie"]
    assert read.measures == ["Werknemers_1"]
    assert [(r.dimensions, r.value) for r in read] == [
        ({"BurgerlijkeStaat": "1010", "Generatie": "2012600"}, Decimal(120))
    ]


def test_a_line_without_a_dimension_code_is_an_error() -> None:
    read = read_cbs_csv(BY_STAY.replace(b'"3000    "', b'"        "'))
    assert [r.line for r in read] == [2, 2, 4, 4]
    assert read.errors == [Problem(3, "Geslacht", "Code ontbreekt.")]


# Every kind of mistake, each on its own line, and one line with three; numbers fictief.
BROKEN = export(
    '"ID";"RegioS";"Perioden";"Werknemers_1";"Aandeel_2"',
    '"0";"GM0935  ";"2022JJ00";"    6012";"    11.9"',  # 2: fine
    '"1";"GM935   ";"2022JJ00";"     100";"     1.0"',  # 3: three digits
    '"2";"XX0935  ";"2022JJ00";"     100";"     1.0"',  # 4: unknown prefix
    '"3";"GM0917  ";"2022HJ01";"     100";"     1.0"',  # 5: half years are not read
    '"4";"GM0917  ";"2022KW05";"     100";"     1.0"',  # 6: no fifth quarter
    '"5";"GM0917  ";"22JJ00  ";"     100";"     1.0"',  # 7: no period code
    '"6";"GM0917  ";"2022JJ00";"1.234,5 ";"     abc"',  # 8: two bad numbers
    '"7";"GM0917  ";"2023JJ00";"    12,5";" 1.23456"',  # 9: comma; too many decimals
    '"8";"GM935   ";"2022MM13";"     zes";"     1.0"',  # 10: area, period and number
    "",  # 11: blank lines are skipped
    '"9";"GM0983  ";"2022JJ00";"     700"',  # 12: a cell short
    '"10";"GM0983  ";"2022JJ00";"     701";"     2.5"',  # 13: fine
)
POINT = "(verwacht een punt als decimaalteken: 1234.5)"
GM935 = "Gebiedscode 'GM935': een gemeentecode is GM gevolgd door 4 cijfers."
BROKEN_ERRORS = [
    Problem(3, "RegioS", GM935),
    Problem(
        4,
        "RegioS",
        "Onbekende gebiedscode 'XX0935': verwacht een CBS-code die begint met "
        "NL, LD, PV, CR, GM, WK, BU, zoals GM0935 of PV31.",
    ),
    Problem(
        5,
        "Perioden",
        "Periode '2022HJ01': CBS-periodesoort HJ wordt niet ondersteund "
        "(alleen JJ jaar, KW kwartaal en MM maand).",
    ),
    Problem(6, "Perioden", "Periode '2022KW05': een kwartaal is 1 tot en met 4."),
    Problem(
        7,
        "Perioden",
        "Onbekende periode '22JJ00': schrijf 2022, 2022-Q1 of 2022-03, "
        "of een CBS-code als 2022JJ00, 2022KW01 of 2022MM03.",
    ),
    Problem(8, "Werknemers_1", f"'1.234,5' is geen getal {POINT}."),
    Problem(8, "Aandeel_2", f"'abc' is geen getal {POINT}."),
    Problem(9, "Werknemers_1", f"'12,5' is geen getal {POINT}."),
    Problem(9, "Aandeel_2", "1.23456 heeft meer dan 4 cijfers achter de komma."),
    Problem(10, "RegioS", GM935),  # the same code again: reported again
    Problem(10, "Perioden", "Periode '2022MM13': een maand is 01 tot en met 12."),
    Problem(10, "Werknemers_1", f"'zes' is geen getal {POINT}."),
    Problem(12, "", "Deze regel heeft 4 cellen, de kopregel 5."),
]


def test_a_broken_export_lists_every_error_and_yields_only_sound_lines() -> None:
    read = read_cbs_csv(BROKEN)
    rows = list(read)
    assert [(r.line, r.area.code, r.measure, r.value) for r in rows] == [
        (2, "GM0935", "Werknemers_1", Decimal(6012)),
        (2, "GM0935", "Aandeel_2", Decimal("11.9")),
        (13, "GM0983", "Werknemers_1", Decimal(701)),
        (13, "GM0983", "Aandeel_2", Decimal("2.5")),
    ]
    assert read.errors == BROKEN_ERRORS


def test_reading_again_lists_the_errors_once() -> None:
    read = read_cbs_csv(BROKEN)
    first = (list(read), list(read.errors))
    second = (list(read), list(read.errors))
    assert first == second
    assert first[1] == BROKEN_ERRORS  # each error once, not once a reading


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Het bestand is leeg"),
        (b'\r\n"RegioS";"Perioden";"W_1"\r\n', "Het bestand is leeg"),
        (export('"ID";"RegioS";"Jaar";"Werknemers_1"'), "Geen CBS-export"),
        (export('"Regio\'s";"Perioden";"Werknemers (aantal)"'), "onbewerkte dataset"),
        (export('"ID";"RegioS";"Perioden";"Geslacht"'), "Geen kolommen met cijfers"),
        (export('"RegioS";"Perioden";"Waarde"'), "met een volgnummer, zoals Werknemers_1"),
        (
            export('"RegioS";"Perioden";"Werknemers_1";"werknemers_1"'),
            "Kolommen komen dubbel voor: Werknemers_1, werknemers_1.",
        ),
        (export('"RegioS;"Perioden";"W_1"'), "Het CSV-bestand is niet geldig"),
    ],
)
def test_a_file_that_is_no_statline_export_is_refused_at_once(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        read_cbs_csv(data)


def test_other_encodings_separators_and_line_ends_read_the_same() -> None:
    header = '"ID";"RegioS";"Perioden";"Geëmigreerd_1"'
    line = '"0";"GM0935  ";"2022JJ00";"   12"'
    variants = [
        export(header, line),
        export(header, line, bom=False, newline="\n"),
        (header + "\r\n" + line + "\r\n").encode("cp1252"),  # saved again by Excel
        export(header.replace(";", ","), line.replace(";", ",")),
    ]
    expected = [(2, AreaCode("municipality", "GM0935"), "Geëmigreerd_1", Decimal(12))]
    for data in variants:
        read = read_cbs_csv(data)
        assert [(r.line, r.area, r.measure, r.value) for r in read] == expected
        assert read.errors == []


def test_a_column_without_a_name_is_ignored_unless_it_holds_something() -> None:
    read = read_cbs_csv(
        export(
            '"RegioS";"Perioden";"Werknemers_1";',
            '"GM0935";"2022JJ00";"12";',
            '"GM0917";"2022JJ00";"13";"14"',
        )
    )
    assert read.measures == ["Werknemers_1"]
    assert [(r.line, r.value) for r in read] == [(2, Decimal(12))]
    assert read.errors == [Problem(3, "", "Waarde in een kolom zonder naam.")]


def test_a_quoting_error_stops_reading_with_its_line() -> None:
    read = read_cbs_csv(
        export(
            '"RegioS";"Perioden";"Werknemers_1"',
            '"GM0935";"2022JJ00";"12"',
            '"GM0917";"2022JJ00";"1"3"',
        )
    )
    assert [r.line for r in read] == [2]
    assert [(e.line, e.column) for e in read.errors] == [(3, "")]
    assert read.errors[0].message.startswith("Het CSV-bestand is niet geldig")


def test_values_are_held_as_observations_hold_them() -> None:
    read = read_cbs_csv(
        export(
            '"RegioS";"Perioden";"Werknemers_1"',
            '"GM0935";"2022JJ00";"25390.00000"',
            '"GM0917";"2022JJ00";"-0"',
            '"GM0983";"2022JJ00";"1234567890123"',
        )
    )
    values = [r.value for r in read]
    assert values == [Decimal(25390), Decimal(0)]
    assert [str(v) for v in values] == ["25390", "0"]
    assert read.errors == [
        Problem(
            4, "Werknemers_1", "1234567890123 is te groot (ten hoogste 12 cijfers voor de komma)."
        )
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (LABOUR_MIGRANTS, True),
        (BY_STAY, True),
        (b'"RegioS","Perioden","W_1"\n', True),
        (b"indicator;area;period;value;status;source\n", False),
        (b"PK\x03\x04\x14\x00binary", False),
        (b"", False),
    ],
)
def test_a_cbs_export_is_told_from_the_template_by_its_header(data: bytes, expected: bool) -> None:
    assert is_cbs_export(data) is expected


# --- round trip over generated exports -----------------------------------------------------

values = st.decimals(
    min_value=Decimal("-999999999999.9999"),
    max_value=Decimal("999999999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
lines = st.tuples(st.integers(1, 9999), periods(), st.one_of(st.none(), values))


@given(st.lists(lines, max_size=20))
def test_every_figure_written_in_an_export_is_read_back(written: list) -> None:
    data = export(
        '"ID";"RegioS";"Perioden";"Werknemers_1"',
        *(
            f'"{i}";"GM{code:04d}  ";"{period.cbs}";"{"." if value is None else value:>10}"'
            for i, (code, period, value) in enumerate(written)
        ),
    )
    read = read_cbs_csv(data)
    assert [(r.line, r.area.code, r.period, r.value) for r in read] == [
        (line, f"GM{code:04d}", period, value)
        for line, (code, period, value) in enumerate(written, start=2)
    ]
    assert read.errors == []
