"""The registration extracts the engine reads: their columns, and reading a CSV or Parquet
file into DuckDB with every bad cell reported by row and column.

Three extracts, each joined to the others by the BAG address (``address_id``, the 16-digit
nummeraanduiding):
- ``bag``: address_id, municipality (CBS code), postcode, house_number,
  house_number_addition, floor_area (m², gebruiksoppervlakte), purpose;
- ``registrations``: person or pseudonym, address_id, municipality, register (BRP or RNI),
  start_date, end_date (empty: still registered), household (optional: persons sharing it
  count as one household);
- ``guests`` (guest registers of short-stay locations): person or pseudonym, address_id (of
  the location in the housing register), arrival, departure (empty: still there).

A ``person`` column holds a clear identifier: it is replaced by its keyed hash
(housing.pseudonyms) while the file is read, inside the engine's memory; a ``pseudonym``
column holds that hash already (64 hex digits), as ``waardig synth --pseudonymise`` writes.
The clear identifier is never written anywhere.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from waardig.housing.pseudonyms import pseudonym

TEXT, INT, DECIMAL, DATE = "VARCHAR", "BIGINT", "DOUBLE", "DATE"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = True


PERSON = "person"
PSEUDONYM = "pseudonym"

SCHEMAS: dict[str, tuple[Column, ...]] = {
    "bag": (
        Column("address_id", TEXT),
        Column("municipality", TEXT),
        Column("postcode", TEXT, False),
        Column("house_number", INT, False),
        Column("house_number_addition", TEXT, False),
        Column("floor_area", DECIMAL),
        Column("purpose", TEXT, False),
    ),
    "registrations": (
        Column("address_id", TEXT),
        Column("municipality", TEXT),
        Column("register", TEXT),
        Column("start_date", DATE),
        Column("end_date", DATE, False),
        Column("household", TEXT, False),
    ),
    "guests": (
        Column("address_id", TEXT),
        Column("arrival", DATE),
        Column("departure", DATE, False),
    ),
}
PERSONAL = frozenset({"registrations", "guests"})
"""Extracts with a person in every row (a ``person`` or ``pseudonym`` column)."""

MAX_ERRORS = 20


class ExtractError(ValueError):
    """A file that cannot be read: each problem with its row (as counted in the file, the
    header being row 1) and column."""

    def __init__(self, kind: str, path: Path, problems: list[tuple[int, str, str]]):
        self.kind, self.path, self.problems = kind, path, problems
        lines = [f"rij {row}, kolom {column}: {message}" for row, column, message in problems]
        super().__init__(f"{path.name} ({kind}): " + "; ".join(lines))


def _source(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix.lower() == ".parquet":
        return f"read_parquet('{quoted}')"
    if path.suffix.lower() in {".csv", ".txt"}:
        return f"read_csv('{quoted}', all_varchar = true, header = true, auto_detect = true)"
    raise ExtractError("?", path, [(0, "-", "alleen .csv of .parquet")])


def _pseudonyms(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    """Table ``pseudonyms`` (person, pseudonym) of every distinct person of ``raw``: hashed
    in Python (housing.pseudonyms, the one keyed hash), loaded back through a private
    temporary file that is gone before this returns."""
    persons = con.execute(
        f"SELECT DISTINCT TRIM(CAST(person AS VARCHAR)) FROM {raw} WHERE person IS NOT NULL"
    ).fetchall()
    with tempfile.TemporaryDirectory(prefix="waardig-pseudonyms-") as folder:
        path = Path(folder) / "pseudonyms.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            for (person,) in persons:
                writer.writerow([person, pseudonym(person)])
        con.execute(
            "CREATE OR REPLACE TEMP TABLE pseudonyms AS SELECT * FROM read_csv(?, header = false, "
            "columns = {'person': 'VARCHAR', 'pseudonym': 'VARCHAR'}, quote = '\"', "
            "escape = '\"', all_varchar = true)",
            [str(path)],
        )


def load(con: duckdb.DuckDBPyConnection, kind: str, path: Path) -> int:
    """Read the ``kind`` extract at ``path`` into table ``kind`` (typed, pseudonymised);
    raises ExtractError listing the first problems. Returns the number of rows."""
    if not path.is_file():
        raise ExtractError(kind, path, [(0, "-", "bestand niet gevonden")])
    raw = f"raw_{kind}"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {raw} AS "
            f"SELECT row_number() OVER () + 1 AS _row, * FROM {_source(path)}"
        )
    except duckdb.Error as error:
        # DuckDB's message quotes the broken line: for a personal file, that may hold a person.
        detail = "" if kind in PERSONAL else f" ({error})"
        raise ExtractError(kind, path, [(0, "-", f"onleesbaar bestand{detail}")]) from None
    present = {name.lower() for (name,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [raw]
    ).fetchall()}  # fmt: skip
    problems: list[tuple[int, str, str]] = []
    columns = list(SCHEMAS[kind])
    person = None
    if kind in PERSONAL:
        person = PSEUDONYM if PSEUDONYM in present else PERSON
        columns.insert(0, Column(person, TEXT))
    for column in columns:
        if column.name not in present and column.required:
            problems.append((1, column.name, "kolom ontbreekt"))
    if problems:
        raise ExtractError(kind, path, problems)
    selects, checks = [], []
    for column in columns:
        if column.name not in present:
            selects.append(f"CAST(NULL AS {column.type}) AS {column.name}")
            continue
        cell = f"NULLIF(TRIM(CAST({column.name} AS VARCHAR)), '')"
        value = cell if column.type == TEXT else f"TRY_CAST({cell} AS {column.type})"
        if column.type == DECIMAL:
            value = f"TRY_CAST(REPLACE({cell}, ',', '.') AS DOUBLE)"
        selects.append(f"{value} AS {column.name}")
        if column.required:
            checks.append((column.name, f"{cell} IS NULL", "leeg"))
        if column.type != TEXT:
            checks.append(
                (
                    column.name,
                    f"{cell} IS NOT NULL AND {value} IS NULL",
                    "geen "
                    + {INT: "geheel getal", DECIMAL: "getal", DATE: "datum (JJJJ-MM-DD)"}[
                        column.type
                    ],
                )
            )
    if person == PSEUDONYM:
        checks.append((PSEUDONYM, "NOT regexp_full_match(COALESCE(pseudonym, ''), '[0-9a-f]{64}')",
                       "geen pseudoniem (64 hexadecimale tekens)"))  # fmt: skip
    if kind == "registrations":
        checks.append(("register", "UPPER(TRIM(register)) NOT IN ('BRP', 'RNI')", "BRP of RNI"))
    for column, condition, message in checks:
        for (row,) in con.execute(
            f"SELECT _row FROM {raw} WHERE {condition} ORDER BY _row LIMIT {MAX_ERRORS}"
        ).fetchall():
            problems.append((row, column, message))
    if problems:
        problems.sort()
        raise ExtractError(kind, path, problems[:MAX_ERRORS])
    source = raw
    if person == PERSON:
        _pseudonyms(con, raw)
        selects[0] = "p.pseudonym AS pseudonym"
        source = f"{raw} JOIN pseudonyms p ON p.person = TRIM(CAST({raw}.person AS VARCHAR))"
    elif person == PSEUDONYM:
        selects[0] = "pseudonym"
    select = ", ".join(selects)
    con.execute(f"CREATE OR REPLACE TABLE {kind}_file AS SELECT {select} FROM {source}")
    con.execute(f"DROP TABLE {raw}")
    con.execute("DROP TABLE IF EXISTS pseudonyms")
    (count,) = con.execute(f"SELECT COUNT(*) FROM {kind}_file").fetchone()
    return int(count)
