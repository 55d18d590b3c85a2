"""Table exports: one rendering for CSV, XLSX and JSON."""

import datetime
import io
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from waardig.core.exports import render_table


def test_moments_are_written_as_local_wall_clock_time_in_every_format():
    moment = datetime.datetime(2026, 1, 15, 11, 30, 5, 123456, tzinfo=ZoneInfo("UTC"))
    assert "2026-01-15T12:30:05" in render_table(["at"], [[moment]], "csv").decode()
    assert '"2026-01-15T12:30:05"' in render_table(["at"], [[moment]], "json").decode()
    workbook = load_workbook(io.BytesIO(render_table(["at"], [[moment]], "xlsx")))
    assert workbook.active["A2"].value == datetime.datetime(2026, 1, 15, 12, 30, 5)
