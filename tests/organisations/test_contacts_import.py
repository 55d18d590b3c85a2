"""`waardig import contacts`: every bad row reported, nothing half-written, idempotent."""

import io
import json

import pytest
from openpyxl import Workbook

from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.core.imports import run_import
from waardig.organisations.importers import ContactsImporter
from waardig.organisations.models import ContactPerson, Membership, Person

pytestmark = pytest.mark.django_db

HEADER = "municipality;municipality_name;topic;name;email;phone;function;organisation;notes\n"
GOOD = HEADER + (
    "GM0983;Venlo;housing;Anna de Vries;anna@venlo.test;+31 77 000 0000;Beleidsadviseur;;\n"
    "Maastricht;;registratie (brp/rni);Bram Smit;bram@maastricht.test;;;;via de balie\n"
    "GM0984;Venray;enforcement;Carla Peeters;carla@venray.test;;Handhaver;;\n"
)
BAD = HEADER + (
    "GM0983;Venlo;housing;Anna de Vries;anna@venlo.test;;;;\n"
    "GM9999;;housing;Onbekend;x@y.test;;;;\n"  # row 3: unknown municipality
    "GM0984;Venray;parking;Carla Peeters;not-an-email;;;;\n"  # row 4: topic and email
)


def run_cli(tmp_path, content: str, *args: str, name: str = "contacts.csv", capsys=None):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code = main(["import", "contacts", str(path), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def snapshot():
    return (
        sorted(ContactPerson.objects.values_list("municipality__code", "topic", "person__email")),
        Person.objects.count(),
        Membership.objects.count(),
    )


def test_bad_rows_are_all_reported_and_nothing_changes(tmp_path, capsys, users):
    before = snapshot()
    code, outcome = run_cli(tmp_path, BAD, capsys=capsys)
    assert code != 0
    errors = {(e["row"], e["column"]) for e in outcome["errors"]}
    assert errors == {(3, "municipality"), (4, "topic"), (4, "email")}
    assert all(e["message"] for e in outcome["errors"])
    assert outcome["created"] == outcome["updated"] == 0
    assert snapshot() == before


def test_good_file_imports_and_second_run_is_unchanged(tmp_path, capsys, users):
    code, first = run_cli(tmp_path, GOOD, capsys=capsys)
    assert code == 0, first["errors"]
    assert (first["created"], first["updated"], first["unchanged"]) == (3, 0, 0)
    anna = ContactPerson.objects.get(person__email="anna@venlo.test")
    assert anna.person.phone == "+31 77 000 0000"
    assert ContactPerson.objects.get(person__email="bram@maastricht.test").topic == "registration"

    code, second = run_cli(tmp_path, GOOD, capsys=capsys)
    assert code == 0
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 3)


def test_dry_run_writes_nothing(tmp_path, capsys, users):
    code, outcome = run_cli(tmp_path, GOOD, "--dry-run", capsys=capsys)
    assert code == 0 and outcome["dry_run"] is True and outcome["created"] == 3
    assert ContactPerson.objects.count() == 0
    assert [i["action"] for i in outcome["items"]] == ["created"] * 3


def test_changed_row_is_an_update(tmp_path, capsys, users):
    run_cli(tmp_path, GOOD, capsys=capsys)
    changed = GOOD.replace("Beleidsadviseur", "Senior beleidsadviseur")
    _code, outcome = run_cli(tmp_path, changed, capsys=capsys)
    assert (outcome["created"], outcome["updated"], outcome["unchanged"]) == (0, 1, 2)
    assert ContactPerson.objects.get(person__email="anna@venlo.test").function.startswith("Senior")


def test_venlo_officer_cannot_import_maastricht_contacts(tmp_path, capsys, users):
    code, outcome = run_cli(tmp_path, GOOD, "--as", "venlo", capsys=capsys)
    assert code != 0
    rows = {(e["row"], e["column"]) for e in outcome["errors"]}
    assert rows == {(3, "municipality"), (4, "municipality")}  # Maastricht and Venray
    assert ContactPerson.objects.count() == 0


def test_export_then_import_round_trips(tmp_path, capsys, contacts):
    out = tmp_path / "export.csv"
    assert main(["export", "contacts", "--format", "csv", "--out", str(out)]) == 0
    capsys.readouterr()
    code = main(["import", "contacts", str(out), "--json"])
    outcome = json.loads(capsys.readouterr().out)
    assert code == 0, outcome["errors"]
    assert (outcome["created"], outcome["updated"], outcome["unchanged"]) == (0, 0, 2)


def test_xlsx_file_imports_like_csv(users):
    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD.strip().splitlines():
        sheet.append(line.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run_import(ContactsImporter(SYSTEM), buffer.getvalue(), "c.xlsx", dry_run=False)
    assert result.ok, result.errors
    assert result.created == 3


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"", "empty.csv", (0, "")),
        (b"municipality;topic\nGM0983;housing\n", "short.csv", (1, "name")),
        (HEADER.encode() + b"GM0983;;housing;A;a@b.test;;;;\n", "extra.pdf", (0, "")),
        (HEADER.encode().replace(b"notes", b"remarks"), "unknown.csv", (1, "remarks")),
        (HEADER.encode(), "header-only.csv", (0, "")),
        (b"\x00\x01garbage", "broken.xlsx", (0, "")),
    ],
)
def test_unusable_files_give_a_clear_error(users, content, filename, expected):
    result = run_import(ContactsImporter(SYSTEM), content, filename, dry_run=False)
    assert not result.ok
    assert (result.errors[0].row, result.errors[0].column) == expected
    assert result.errors[0].message
    assert ContactPerson.objects.count() == 0


def test_duplicate_rows_in_one_file_are_refused(users):
    content = GOOD + "GM0983;Venlo;housing;Anna;ANNA@venlo.test;;;;\n"
    result = run_import(ContactsImporter(SYSTEM), content.encode(), "dup.csv", dry_run=False)
    assert [(e.row, e.message) for e in result.errors] == [(5, "Dubbel met regel 2.")]


def test_formula_looking_cells_survive_the_round_trip(tmp_path, capsys, users):
    content = HEADER + "GM0983;Venlo;housing;Anna;anna@venlo.test;;;;=HYPERLINK(1)\n"
    run_cli(tmp_path, content, capsys=capsys)
    out = tmp_path / "export.csv"
    main(["export", "contacts", "--format", "csv", "--out", str(out)])
    capsys.readouterr()
    exported = out.read_text(encoding="utf-8-sig")
    assert ";'=HYPERLINK(1)" in exported  # neutralised for spreadsheets
    _code, outcome = run_cli(tmp_path, exported, capsys=capsys, name="again.csv")
    assert outcome["unchanged"] == 1
    assert ContactPerson.objects.get().notes == "=HYPERLINK(1)"
