"""Turn an uploaded file into rows of text cells, whatever its format.

Rows carry the line number a user sees in the file (header = 1), so every error can
point at the row and column to fix. A Parquet file has no header line; its rows are counted
as if it had one (the first row is 2), as the scan's extract reader (compliance.extracts)
counts them.
"""

import csv
import io
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePath

from django.utils.translation import gettext as _


class UnreadableFile(Exception):
    """The file cannot be read as a table at all."""


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, column, message) a reader found in lines it could not turn into rows."""
    skipped: int = 0
    """Figures the reader left out on purpose (e.g. values a statistics office kept secret)."""


TABLE_FORMATS = ("csv", "xlsx", "parquet")


def extension(filename: str) -> str:
    return PurePath(filename).suffix.lower().lstrip(".")


def read_table(data: bytes, filename: str, *, decimal_comma: bool = False) -> Table:
    """``decimal_comma`` writes spreadsheet number cells with a decimal comma (1234,5), so a
    reader that also takes text cells in Dutch notation cannot mistake a number for a
    thousands-grouped text or the other way round."""
    fmt = extension(filename)
    if fmt == "csv":
        return _read_csv(data)
    if fmt == "xlsx":
        return _read_xlsx(data, decimal_comma)
    if fmt == "parquet":
        return _read_parquet(data, decimal_comma)
    raise UnreadableFile(
        _("Bestandssoort .%(ext)s wordt niet ondersteund; gebruik %(formats)s.")
        % {"ext": fmt or "?", "formats": ", ".join(f".{f}" for f in TABLE_FORMATS)}
    )


def decode_text(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without byte-order mark), else as Excel saves it (cp1252)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("De tekens in het bestand zijn niet te lezen (geen UTF-8)."))


def _read_csv(data: bytes) -> Table:
    text = decode_text(data)
    if not text.strip():
        raise UnreadableFile(_("Het bestand is leeg."))
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise UnreadableFile(
            _("Het CSV-bestand is niet geldig: %(error)s") % {"error": exc}
        ) from exc
    return _to_table(records)


def _read_xlsx(data: bytes, decimal_comma: bool = False) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(_("Het Excel-bestand is niet te openen.")) from exc
    sheet = workbook.worksheets[0]
    records = [
        ["" if cell is None else _cell_text(cell, decimal_comma) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return _to_table(records)


PARQUET_CHUNK = 10_000


def _read_parquet(data: bytes, decimal_comma: bool = False) -> Table:
    """DuckDB reads Parquet from a file only (without fsspec): the bytes go to a file in a
    private temporary folder (owner-only), deleted as soon as the rows are read."""
    import duckdb

    with tempfile.TemporaryDirectory(prefix="waardig-upload-") as folder:
        path = Path(folder) / "upload.parquet"
        path.write_bytes(data)
        con = duckdb.connect(":memory:")
        try:
            result = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
            records: list[list[str]] = [[name for name, *__ in result.description]]
            while chunk := result.fetchmany(PARQUET_CHUNK):
                records.extend(
                    ["" if cell is None else _cell_text(cell, decimal_comma) for cell in row]
                    for row in chunk
                )
        except duckdb.Error as exc:
            raise UnreadableFile(_("Het Parquet-bestand is niet te lezen.")) from exc
        finally:
            con.close()
    return _to_table(records)


def _cell_text(value: object, decimal_comma: bool = False) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float) and decimal_comma:
        return format(Decimal(repr(value)), "f").replace(".", ",")
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()  # type: ignore[attr-defined]
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[attr-defined]
    return str(value)


FORMULA_STARTS = ("=", "+", "-", "@")


def unescape_cell(text: str) -> str:
    """Undo the quote our exports put before = + - @ (formula-injection guard), for round trips."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def _to_table(records: list[list[str]]) -> Table:
    if not records or not any(cell.strip() for cell in records[0]):
        raise UnreadableFile(_("De eerste regel moet de kolomnamen bevatten."))
    columns = [cell.strip().lower() for cell in records[0]]
    while columns and not columns[-1]:
        columns.pop()
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(str(cell).strip() for cell in record):
            continue  # blank lines are not rows
        values = {
            name: unescape_cell(record[i].strip()) if i < len(record) else ""
            for i, name in enumerate(columns)
        }
        rows.append((number, values))
    return Table(columns=columns, rows=rows)
