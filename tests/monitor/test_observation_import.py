"""`waardig import observations` end to end: CBS StatLine exports and the Waardig template,
through the command line, the import runner, the job record and the web pages.

Every figure below is invented (fictief); only the area and period codes are real CBS codes.
Expected values and counts are derived from the same input lists the files are written from.
"""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from waardig import cli
from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.core.imports import jobs, run_import
from waardig.core.imports.runner import MAX_ERRORS, ImportResult
from waardig.core.models import ImportJob
from waardig.monitor import formats
from waardig.monitor.importers import ObservationImporter
from waardig.monitor.models import Observation

pytestmark = pytest.mark.django_db

# --- CBS StatLine export, written the way StatLine writes the "onbewerkte dataset" -----------

TOTAL, MEN, WOMEN = "T001038", "3000", "4000"  # CBS codes of the Geslacht dimension
MEASURES = {"Werkzame_1": "working-labour-migrants", "Ingeschreven_2": "registered-brp"}
UNMAPPED = "Aandeel_3"  # a measure column no option maps: read (and checked), not stored
CANONICAL = {  # CBS period code -> (our text, kind, year, first day)
    "2022JJ00": ("2022", "year", 2022, datetime.date(2022, 1, 1)),
    "2022KW01": ("2022-Q1", "quarter", 2022, datetime.date(2022, 1, 1)),
}
OURS = {"PV31", "GM0935", "GM0983"}  # in the register; NL01, CR37 and GM0363 are not
NO_FIGURE = {".", "x"}  # "." no figure, "x" secret


@dataclass(frozen=True)
class CbsLine:
    sex: str
    region: str
    period: str
    cells: dict[str, str]  # measure column -> cell text


def cbs_line(sex: str, region: str, period: str, working: str, brp: str, share: str) -> CbsLine:
    return CbsLine(
        sex, region, period, {"Werkzame_1": working, "Ingeschreven_2": brp, UNMAPPED: share}
    )


CBS_LINES = [
    cbs_line(TOTAL, "NL01", "2022JJ00", "456789", "500000", "3.1"),
    cbs_line(TOTAL, "PV31", "2022JJ00", "45678", "50000", "2.5"),
    cbs_line(TOTAL, "PV31", "2022KW01", "41234.5", ".", "2.4"),
    cbs_line(TOTAL, "CR37", "2022JJ00", "12000", "13000", "2.2"),
    cbs_line(TOTAL, "GM0935", "2022JJ00", "5432", "x", "1.9"),
    cbs_line(TOTAL, "GM0935", "2022KW01", ".", "6100", "."),
    cbs_line(MEN, "GM0935", "2022JJ00", "3000", "3500", "1.8"),
    cbs_line(TOTAL, "GM0983", "2022JJ00", "7890", "8000.25", "2.8"),
    cbs_line(WOMEN, "GM0983", "2022KW01", "x", "3900", "1.7"),
    cbs_line(TOTAL, "GM0363", "2022JJ00", "99999", "100000", "4.0"),  # Amsterdam
]
CBS_OPTIONS = {
    "measures": ",".join(f"{column}={code}" for column, code in MEASURES.items()),
    "select": f"Geslacht={TOTAL}",
    "publication": "85276NED",
    "retrieved_on": "2024-05-01",
}


def cbs_export(lines: list[CbsLine] = CBS_LINES, *, dimension: bool = True) -> bytes:
    """Semicolons, every cell quoted, region codes padded, numbers right-aligned, CRLF, BOM."""
    columns = ["ID", *(["Geslacht"] if dimension else []), "RegioS", "Perioden", *MEASURES]
    columns.append(UNMAPPED)
    text = [";".join(f'"{c}"' for c in columns)]
    for number, line in enumerate(lines):
        cells = [str(number), *([f"{line.sex:<8}"] if dimension else [])]
        cells += [f"{line.region:<8}", line.period]
        cells += [f"{line.cells[m]:>10}" for m in [*MEASURES, UNMAPPED]]
        text.append(";".join(f'"{c}"' for c in cells))
    return ("\r\n".join(text) + "\r\n").encode("utf-8-sig")


def cbs_expected(lines: list[CbsLine] = CBS_LINES) -> set[tuple]:
    """(indicator, area, period, value) of every figure the options select and we keep."""
    return {
        (code, line.region, CANONICAL[line.period][0], Decimal(line.cells[column]))
        for line in lines
        if line.sex == TOTAL and line.region in OURS
        for column, code in MEASURES.items()
        if line.cells[column] not in NO_FIGURE
    }


def cbs_skipped(lines: list[CbsLine] = CBS_LINES) -> int:
    """Selected figures not stored: no figure, secret, or an area outside the register."""
    selected = sum(len(MEASURES) for line in lines if line.sex == TOTAL)
    return selected - len(cbs_expected(lines))


# --- the Waardig template --------------------------------------------------------------------

COLUMNS = [
    "indicator",
    "area",
    "period",
    "stay_class",
    "value",
    "status",
    "source",
    "publication",
    "retrieved_on",
]
GOOD = {
    "indicator": "working-labour-migrants",
    "area": "GM0935",
    "period": "2022",
    "stay_class": "",
    "value": "10",
    "status": "definitief",
    "source": "CBS",
    "publication": "",
    "retrieved_on": "",
}


def template_csv(rows: list[dict[str, str]], delimiter: str = ";") -> bytes:
    lines = [delimiter.join(COLUMNS)]
    lines += [delimiter.join(row.get(c, "") for c in COLUMNS) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def monthly_rows(count: int, **fields: str) -> list[dict[str, str]]:
    """``count`` template rows with distinct keys: each municipality of the register, month
    after month from January 2000."""
    codes = sorted(Municipality.objects.values_list("code", flat=True))
    return [
        GOOD
        | {
            "area": codes[i % len(codes)],
            "period": f"{2000 + i // len(codes) // 12}-{i // len(codes) % 12 + 1:02d}",
            "value": str(i),
        }
        | fields
        for i in range(count)
    ]


# --- reading back ----------------------------------------------------------------------------


def area_of(observation: Observation) -> str:
    if observation.region_id:
        return f"{observation.region.grouping.slug}:{observation.region.name}"
    return observation.area.code


def stored() -> set[tuple]:
    return {
        (o.indicator.code, area_of(o), o.period, o.value)
        for o in Observation.objects.select_related(
            "indicator", "municipality", "province", "region__grouping"
        )
    }


def snapshot() -> list[dict[str, Any]]:
    """Every column of every observation: what 'nothing was written' is compared with."""
    return list(Observation.objects.order_by("pk").values())


def import_file(data: bytes, filename: str, *, dry_run: bool = False, **options) -> ImportResult:
    return run_import(ObservationImporter(SYSTEM, options), data, filename, dry_run=dry_run)


def errors_of(result: ImportResult) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in result.errors]


def run_cli(tmp_path: Path, data: bytes, *args: str, name: str = "export.csv") -> int:
    path = tmp_path / name
    path.write_bytes(data)
    return cli.main(["import", "observations", str(path), *args])


def cli_options(options: dict[str, str]) -> list[str]:
    return [part for name, value in options.items() for part in (f"--{name}", value)]


# --- 1. CBS exports --------------------------------------------------------------------------


def test_a_statline_export_imports_through_the_command_line(catalogue, tmp_path, capsys):
    assert cbs_export().startswith(b"\xef\xbb\xbf") and b"\r\n" in cbs_export()
    assert run_cli(tmp_path, cbs_export(), *cli_options(CBS_OPTIONS)) == 0

    expected, skipped = cbs_expected(), cbs_skipped()
    job = ImportJob.objects.get()  # the command line records the job before it reads
    assert (job.kind, job.status, job.dry_run) == ("observations", ImportJob.Status.DONE, False)
    assert (job.created, job.updated, job.unchanged, job.skipped) == (len(expected), 0, 0, skipped)
    assert job.options == CBS_OPTIONS
    out = " ".join(capsys.readouterr().out.split())
    assert f"observations: {len(expected)} created, 0 updated, 0 unchanged" in out
    assert f"{skipped} skipped on purpose" in out

    assert stored() == expected
    observations = list(Observation.objects.all())
    assert {
        (o.status, o.source, o.publication, o.retrieved_on, o.stay_class, o.import_job_id)
        for o in observations
    } == {("definitive", "CBS", "85276NED", datetime.date(2024, 5, 1), "", job.pk)}
    assert {(o.period, o.period_kind, o.year, o.period_start) for o in observations} == {
        CANONICAL[code] for code in {line.period for line in CBS_LINES}
    }
    assert {area_of(o) for o in observations if o.province_id} == {"PV31"}


def test_a_statline_export_imports_through_the_runner_with_its_options(catalogue):
    options = CBS_OPTIONS | {"status": "voorlopig", "publication": "85277NED"}
    del options["retrieved_on"]  # then the day it is read
    importer = ObservationImporter(SYSTEM, options)
    importer.job = jobs.create_job(SYSTEM, "observations", "export.csv", cbs_export(), options)

    preview = run_import(importer, cbs_export(), "export.csv", dry_run=True)
    expected = cbs_expected()
    assert (preview.created, preview.skipped, preview.errors) == (len(expected), cbs_skipped(), [])
    assert Observation.objects.count() == 0

    result = run_import(importer, cbs_export(), "export.csv", dry_run=False)
    assert (result.created, result.updated, result.unchanged) == (len(expected), 0, 0)
    assert result.skipped == cbs_skipped()
    assert stored() == expected
    assert set(
        Observation.objects.values_list(
            "status", "source", "publication", "retrieved_on", "import_job"
        )
    ) == {("provisional", "CBS", "85277NED", timezone.localdate(), importer.job.pk)}


def test_errors_in_the_lines_of_an_export_are_listed_with_line_and_column(catalogue):
    broken = [
        CBS_LINES[1],
        cbs_line(TOTAL, "GM93", "2022JJ00", "1", "2", "3"),
        cbs_line(TOTAL, "GM0935", "2022XX01", "1", "2", "3"),
        cbs_line(TOTAL, "GM0983", "2022JJ00", "1,5", "2", "3"),
        cbs_line(TOTAL, "GM0983", "2022KW01", "1", "2", "veel"),  # unmapped columns are read too
    ]
    before = snapshot()
    result = import_file(cbs_export(broken), "export.csv", **CBS_OPTIONS)
    assert errors_of(result) == [
        (3, "RegioS"),
        (4, "Perioden"),
        (5, "Werkzame_1"),
        (6, UNMAPPED),
    ]
    assert "GM93" in result.errors[0].message and "1,5" in result.errors[2].message
    assert snapshot() == before


OPTION_ERRORS = [
    ({"measures": ""}, "measures", "Werkzame_1, Ingeschreven_2, Aandeel_3"),
    ({"measures": "Werkzaam_9=working-labour-migrants"}, "measures", "Werkzaam_9"),
    ({"measures": "Werkzame_1"}, "measures", "naam=waarde"),
    ({"select": ""}, "select", "Geslacht"),
    ({"status": "zeker"}, "status", "zeker"),
    ({"retrieved_on": "05/01/2024"}, "retrieved_on", "'05/01/2024' is geen datum"),
]


@pytest.mark.parametrize(("change", "column", "named"), OPTION_ERRORS)
def test_a_wrong_option_is_one_error_not_one_per_line(
    catalogue, tmp_path, capsys, change, column, named
):
    many = CBS_LINES * 3  # thirty lines: an option error must still be listed once
    options = {name: value for name, value in (CBS_OPTIONS | change).items() if value}
    assert run_cli(tmp_path, cbs_export(many), *cli_options(options), "--json") == 1
    outcome = json.loads(capsys.readouterr().out)
    assert [(e["row"], e["column"]) for e in outcome["errors"]] == [(0, column)]
    assert named in outcome["errors"][0]["message"]
    assert Observation.objects.count() == 0
    assert ImportJob.objects.get().status == ImportJob.Status.INVALID


# --- 2. the template as XLSX -----------------------------------------------------------------


def test_a_template_workbook_imports_numbers_dates_regions_and_dutch_words(catalogue):
    from openpyxl import Workbook

    day = datetime.date(2024, 5, 1)  # written as a date cell
    rows: list[tuple[Any, ...]] = [
        # indicator, area, period, stay_class, value, status, source, publication, retrieved_on
        ("working-labour-migrants", "GM0935", "2022", None, 1234.5, "definitief", "CBS",
         "85276NED", day),
        ("registered-brp", "corop:Noord-Limburg", "2022-Q1", None, 250, "voorlopig", "BRP",
         None, None),
        ("labour-force", "PV31", "2022-03", None, 612345, "schatting", "UWV", None, None),
        ("working-labour-migrants", "GM0983", "2022", "kort", 321, "definitive", "Decisio",
         None, day),
        ("registered-rni", "GM0984", "2022KW02", "lang", 0.25, "fictief", "Demo", None, None),
    ]  # fmt: skip
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    assert sheet["I2"].is_date and sheet["E2"].data_type == "n"
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_file(buffer.getvalue(), "waarnemingen.xlsx")
    assert (result.errors, result.created, result.skipped) == ([], len(rows), 0)
    statuses = {
        "definitief": "definitive",
        "voorlopig": "provisional",
        "schatting": "estimate",
        "definitive": "definitive",
        "fictief": "fictitious",
    }
    stays = {None: "", "kort": "short", "lang": "long"}
    periods = {"2022": "2022", "2022-Q1": "2022-Q1", "2022-03": "2022-03", "2022KW02": "2022-Q2"}
    found = {
        (area_of(o), o.indicator.code): (
            o.period,
            o.stay_class,
            o.value,
            o.status,
            o.source,
            o.publication,
            o.retrieved_on,
        )
        for o in Observation.objects.select_related("indicator", "region__grouping")
    }
    assert found == {
        (area, indicator): (
            periods[period],
            stays[stay],
            Decimal(str(value)),
            statuses[status],
            source,
            publication or "",
            retrieved,
        )
        for indicator, area, period, stay, value, status, source, publication, retrieved in rows
    }
    region = Observation.objects.get(region__isnull=False).region
    assert (region.grouping.slug, region.name) == ("corop", "Noord-Limburg")


# --- 3. bad input: every error listed, nothing written ---------------------------------------

BAD_ROWS: list[tuple[dict[str, str], list[tuple[str, str]]]] = [
    ({"area": "XX0935"}, [("area", "XX0935")]),
    ({"area": "GM093"}, [("area", "GM093")]),
    ({"area": "CR37"}, [("area", "COROP")]),
    ({"area": "corop:Atlantis"}, [("area", "Atlantis")]),
    ({"area": "GM0363"}, [("area", "Onbekend gebied 'GM0363'")]),  # Amsterdam: not ours
    ({"period": "2022-13"}, [("period", "2022-13")]),
    ({"period": "Q1 2022"}, [("period", "Q1 2022")]),
    ({"value": "1.234"}, [("value", "dubbelzinnig")]),
    ({"value": "veel"}, [("value", "veel")]),
    ({"indicator": "no-such-indicator"}, [("indicator", "no-such-indicator")]),
    ({"indicator": "labour-force", "stay_class": "kort"}, [("stay_class", "verblijfsduur")]),
    ({"retrieved_on": "05/01/2024"}, [("retrieved_on", "'05/01/2024' is geen datum")]),
    (
        {"period": "2022KW05", "value": "12,3,4", "status": "zeker", "source": ""},
        [("period", "2022KW05"), ("value", "12,3,4"), ("status", "zeker"), ("source", "Bron")],
    ),
    (GOOD, [("", "Dubbel met regel 2")]),  # the first line's key again
]


def test_every_error_is_listed_with_row_and_column_and_nothing_is_written(catalogue, record):
    record("labour-force", Municipality.objects.get(code="GM0983"), "2021", 500)
    before = snapshot()
    rows = [GOOD] + [GOOD | change for change, _ in BAD_ROWS]  # the first line alone is valid

    result = import_file(template_csv(rows), "waarnemingen.csv")

    expected = [
        (line, column, named)
        for line, (_, problems) in enumerate(BAD_ROWS, start=3)
        for column, named in problems
    ]
    assert errors_of(result) == [(line, column) for line, column, _ in expected]
    for error, (_, _, named) in zip(result.errors, expected, strict=True):
        assert named in error.message, error
    assert (result.created, result.updated) == (0, 0)
    assert snapshot() == before  # the valid first line was not written either


def test_bad_input_through_the_command_line_fails_and_writes_nothing(catalogue, tmp_path, capsys):
    rows = [GOOD, GOOD | {"value": "veel"}, GOOD | {"period": "2022", "area": "GM0983"}]
    assert run_cli(tmp_path, template_csv(rows, ","), name="sjabloon.csv") == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "1 error(s): nothing was written" in out and "'veel'" in out
    assert Observation.objects.count() == 0
    assert ImportJob.objects.get().status == ImportJob.Status.INVALID


# --- 4. importing again ----------------------------------------------------------------------


def import_job(data: bytes, filename: str, *, commit: bool = True) -> ImportJob:
    """The way the web pages and background tasks run an import: through its job."""
    job = jobs.create_job(SYSTEM, "observations", filename, data)
    jobs.execute(job, commit=commit)
    job.refresh_from_db()
    return job


def test_the_same_file_again_changes_nothing_and_one_new_value_changes_one_row(catalogue):
    rows = [*monthly_rows(40), GOOD | {"area": "corop:Zuid-Limburg"}, GOOD | {"area": "PV31"}]
    first = import_job(template_csv(rows), "waarnemingen.csv")
    assert (first.status, first.created) == (ImportJob.Status.DONE, len(rows))
    after_first = snapshot()
    assert {o["import_job_id"] for o in after_first} == {first.pk}

    again = import_job(template_csv(rows), "waarnemingen.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
    assert snapshot() == after_first

    changed = 7
    rows[changed] = rows[changed] | {"value": rows[changed]["value"] + ",5"}
    third = import_job(template_csv(rows), "waarnemingen.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, len(rows) - 1)
    after_third = {o["id"]: o for o in snapshot()}
    differing = [o for o in after_first if o != after_third[o["id"]]]
    assert len(differing) == 1
    moved = after_third[differing[0]["id"]]
    assert moved["value"] == Decimal(rows[changed]["value"].replace(",", "."))
    assert moved["import_job_id"] == third.pk
    assert {o["import_job_id"] for o in after_third.values() if o is not moved} == {first.pk}


def test_a_dry_run_counts_but_writes_nothing(catalogue, tmp_path, capsys):
    rows = monthly_rows(30)
    import_job(template_csv(rows), "waarnemingen.csv")
    before = snapshot()
    changed_rows = [rows[0] | {"value": "99999"}, *rows[1:], *monthly_rows(35)[30:]]
    data = template_csv(changed_rows)

    assert run_cli(tmp_path, data, "--dry-run", name="sjabloon.csv") == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"observations: 5 created, 1 updated, {len(rows) - 1} unchanged (would be" in out
    job = import_job(data, "waarnemingen.csv", commit=False)
    assert (job.status, job.created, job.updated, job.unchanged) == (
        ImportJob.Status.PREVIEW,
        5,
        1,
        len(rows) - 1,
    )
    assert snapshot() == before


# --- 5. the web pages ------------------------------------------------------------------------


def upload(client: Client, data: bytes, name: str, **options: str):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post("/imports/observations/", {"file": file, **options})


@pytest.fixture
def analyst(users, catalogue) -> Client:
    client = Client()
    client.force_login(users["analyst"])
    return client


def test_an_analyst_uploads_an_export_sees_the_preview_and_commits(analyst):
    response = upload(analyst, cbs_export(), "export.csv", **CBS_OPTIONS)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    expected, skipped = cbs_expected(), cbs_skipped()
    assert (job.status, job.created, job.skipped) == ("preview", len(expected), skipped)
    assert job.options == CBS_OPTIONS
    page = " ".join(analyst.get(response["Location"]).content.decode().split())
    assert f"Nieuw: {len(expected)}, gewijzigd: 0, ongewijzigd: 0." in page
    assert f"{skipped} regels bewust overgeslagen" in page
    assert "Bevestigen en opslaan" in page
    assert Observation.objects.count() == 0

    assert analyst.post(f"/imports/job/{job.pk}/opslaan/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert stored() == expected
    assert set(Observation.objects.values_list("import_job", "publication")) == {
        (job.pk, CBS_OPTIONS["publication"])
    }


def test_a_municipal_officer_may_not_import_figures(users, catalogue):
    client = Client()
    client.force_login(users["venlo_officer"])
    assert client.get("/imports/observations/").status_code == 403
    assert upload(client, cbs_export(), "export.csv", **CBS_OPTIONS).status_code == 403
    assert not ImportJob.objects.exists()
    assert Observation.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when it is done
def test_a_large_file_runs_in_the_background_with_progress(users, catalogue, settings, monkeypatch):
    settings.WAARDIG_IMPORT_BACKGROUND_BYTES = 1000
    client = Client()
    client.force_login(users["analyst"])
    rows = monthly_rows(1200)
    seen: list[tuple[str, int, int]] = []  # the job as the page would read it while it runs
    run = jobs.run_import

    def watched(importer, data, filename, *, dry_run, progress):
        def report(phase: str, done: int, total: int) -> None:
            progress(phase, done, total)
            seen.append(
                ImportJob.objects.values_list("status", "rows_done", "rows_total").get(
                    pk=importer.job.pk
                )
            )

        return run(importer, data, filename, dry_run=dry_run, progress=report)

    monkeypatch.setattr(jobs, "run_import", watched)
    response = upload(client, template_csv(rows), "groot.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED and seen == []

    call_command("db_worker", "--batch", "--no-startup-delay")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW
    assert (job.rows_done, job.rows_total, job.created) == (len(rows), len(rows), len(rows))
    validating = [(done, total) for status, done, total in seen if status == "validating"]
    assert (500, len(rows)) in validating and (1000, len(rows)) in validating
    assert client.get(response["Location"], HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"

    seen.clear()
    client.post(f"/imports/job/{job.pk}/opslaan/")
    assert ImportJob.objects.get().status == ImportJob.Status.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert ("writing", 1000, len(rows)) in seen
    assert Observation.objects.filter(import_job=job).count() == len(rows)


# --- 6. many errors --------------------------------------------------------------------------


def test_beyond_the_cap_the_errors_are_counted_in_one_line(catalogue):
    more = 237
    rows = [GOOD | {"value": "veel"}] * (MAX_ERRORS + more)
    result = import_file(template_csv(rows), "waarnemingen.csv")
    assert errors_of(result)[:MAX_ERRORS] == [(line, "value") for line in range(2, MAX_ERRORS + 2)]
    assert len(result.errors) == MAX_ERRORS + 1
    summary = result.errors[-1]
    assert (summary.row, summary.column) == (0, "")
    assert summary.message == f"En nog {more} fouten van dezelfde soort of later in het bestand."
    assert Observation.objects.count() == 0


# --- options and cells the first version got wrong -----------------------------------------


def test_selecting_a_dimension_the_export_does_not_have_is_an_option_error(catalogue):
    options = CBS_OPTIONS | {"select": f"Geslacht={TOTAL},Leeftijd=52052"}
    result = import_file(cbs_export(), "export.csv", **options)
    assert errors_of(result) == [(0, "select")]


def test_an_unknown_indicator_in_the_measures_option_is_one_error(catalogue):
    options = CBS_OPTIONS | {"measures": "Werkzame_1=working-migrants"}
    result = import_file(cbs_export(CBS_LINES * 3), "export.csv", **options)
    assert errors_of(result) == [(0, "measures")]


def test_an_ambiguous_number_typed_as_text_in_a_workbook_is_refused(catalogue):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append([GOOD[c] if c != "value" else "1.234" for c in COLUMNS])
    assert workbook.active["E2"].data_type == "s"  # a text cell, as typed by a Dutch user
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_file(buffer.getvalue(), "waarnemingen.xlsx")
    assert errors_of(result) == [(2, "value")]


def test_a_source_longer_than_the_field_is_a_row_error(catalogue):
    result = import_file(
        template_csv([GOOD | {"source": "B" * (formats.MAX_TEXT + 1)}]), "waarnemingen.csv"
    )
    assert errors_of(result) == [(2, "source")]
