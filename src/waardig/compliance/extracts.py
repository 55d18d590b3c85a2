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
    """Make view ``{kind}_file`` over the ``kind`` extract at ``path``: typed, pseudonymised,
    checked (raises ExtractError listing the first problems). Returns the number of rows.
    The file is read once to check it and once more by whoever reads the view; ``drop``
    removes the view and what it needs."""
    if not path.is_file():
        raise ExtractError(kind, path, [(0, "-", "bestand niet gevonden")])
    raw = f"raw_{kind}"
    try:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {raw} AS SELECT * FROM {_source(path)}")
        present = {d[0].lower() for d in con.execute(f"SELECT * FROM {raw} LIMIT 0").description}
    except duckdb.Error as error:
        raise _unreadable(kind, path, error) from None
    columns = list(SCHEMAS[kind])
    person = None
    if kind in PERSONAL:
        person = PSEUDONYM if PSEUDONYM in present else PERSON
        columns.insert(0, Column(person, TEXT))
    missing = [
        (1, c.name, "kolom ontbreekt") for c in columns if c.required and c.name not in present
    ]
    if missing:
        raise ExtractError(kind, path, missing)
    selects, checks = _selects_and_checks(kind, columns, present, person)
    try:
        counted = con.execute(
            "SELECT COUNT(*), "
            + ", ".join(f"count_if({condition})" for _c, condition, _m in checks)
            + f" FROM {raw}"
        ).fetchone()
    except duckdb.Error as error:
        raise _unreadable(kind, path, error) from None
    if any(counted[1:]):
        raise ExtractError(kind, path, _problem_rows(con, raw, checks))
    source = raw
    if person == PERSON:
        _pseudonyms(con, raw)
        selects[0] = "p.pseudonym AS pseudonym"
        source = f"{raw} JOIN pseudonyms p ON p.person = TRIM(CAST({raw}.person AS VARCHAR))"
    elif person == PSEUDONYM:
        selects[0] = "pseudonym"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {kind}_file AS SELECT {', '.join(selects)} FROM {source}"
    )
    return int(counted[0])


def drop(con: duckdb.DuckDBPyConnection, kind: str) -> None:
    """Remove what ``load`` made, once the view has been read."""
    con.execute(f"DROP VIEW IF EXISTS {kind}_file")
    con.execute(f"DROP VIEW IF EXISTS raw_{kind}")
    con.execute("DROP TABLE IF EXISTS pseudonyms")


def _unreadable(kind: str, path: Path, error: Exception) -> ExtractError:
    # DuckDB's message quotes the broken line: for a personal file, that may hold a person.
    detail = "" if kind in PERSONAL else f" ({error})"
    return ExtractError(kind, path, [(0, "-", f"onleesbaar bestand{detail}")])


def _selects_and_checks(
    kind: str, columns: list[Column], present: set[str], person: str | None
) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The typed column expressions of the view, and the checks (column, SQL condition of a
    bad cell, message)."""
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
            expected = {INT: "geheel getal", DECIMAL: "getal", DATE: "datum (JJJJ-MM-DD)"}
            checks.append(
                (
                    column.name,
                    f"{cell} IS NOT NULL AND {value} IS NULL",
                    "geen " + expected[column.type],
                )
            )
    if person == PSEUDONYM:
        checks.append((PSEUDONYM, "NOT regexp_full_match(COALESCE(pseudonym, ''), '[0-9a-f]{64}')",
                       "geen pseudoniem (64 hexadecimale tekens)"))  # fmt: skip
    if kind == "registrations":
        checks.append(("register", "UPPER(TRIM(register)) NOT IN ('BRP', 'RNI')", "BRP of RNI"))
    return selects, checks


def _problem_rows(
    con: duckdb.DuckDBPyConnection, raw: str, checks: list[tuple[str, str, str]]
) -> list[tuple[int, str, str]]:
    """Only for a file with problems: number its rows in file order (one thread, order kept;
    the header is row 1) and list the first bad cells."""
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET threads = 1")
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE numbered AS SELECT row_number() OVER () + 1 AS _row, * "
            f"FROM {raw}"
        )
        problems = [
            (row, column, message)
            for column, condition, message in checks
            for (row,) in con.execute(
                f"SELECT _row FROM numbered WHERE {condition} ORDER BY _row LIMIT {MAX_ERRORS}"
            ).fetchall()
        ]
    finally:
        con.execute("DROP TABLE IF EXISTS numbered")
        con.execute("SET threads = 2")
        con.execute("SET preserve_insertion_order = false")
    return sorted(problems)[:MAX_ERRORS]
