"""Tables out of Waardig: one function for CSV, XLSX and JSON, used by the CLI and the pages."""

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied

from waardig.core import audit
from waardig.core.access import VIEW, may
from waardig.core.registry import EXPORTS, ExportKind
from waardig.core.reports.document import local_time
from waardig.core.reports.xlsx import safe_cell, sheet_name

TABLE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def render_table(columns: list[str], rows: list[list[Any]], fmt: str, title: str = "") -> bytes:
    rows = [[_wall_clock(value) for value in row] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(columns)
        writer.writerows([[_csv_cell(v) for v in row] for row in rows])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = sheet_name(title or "")
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=1, default=_json_value).encode()
    raise ValueError(f"unknown format {fmt!r}")


def _wall_clock(value: Any) -> Any:
    """A moment as the local time the pages show, to the second: the same in every format
    (Excel knows no time zones, so a zone-aware time cannot go into a spreadsheet at all)."""
    if isinstance(value, datetime) and value.tzinfo:
        return local_time(value).replace(tzinfo=None, microsecond=0)
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return safe_cell(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


MUNICIPALITY_COLUMN = "municipality_code"
"""The column by which a personal export says whose data it holds (for the audit log)."""


def export(actor: Any, kind: ExportKind | str, fmt: str, options: dict[str, Any]) -> bytes:
    """Render an export kind for this actor; personal data exports are audit-logged."""
    spec = EXPORTS[kind] if isinstance(kind, str) else kind
    if not may(actor, VIEW, spec.model):
        raise PermissionDenied
    columns, rows = spec.rows(actor, options)
    if spec.personal:
        # A municipality's officers see the exports of their data in its part of the log.
        where = columns.index(MUNICIPALITY_COLUMN) if MUNICIPALITY_COLUMN in columns else None
        audit.record(
            actor,
            "export",
            spec.kind,
            detail=f"{len(rows)} regels als {fmt}; filters: {_describe(options)}",
            reason=str(options.get("reason", "")),
            municipality_codes={str(row[where]) for row in rows} if where is not None else (),
        )
    return render_table(columns, rows, fmt, title=str(spec.label))


def _describe(options: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(options.items()) if v and k != "reason") or "-"
