"""Programme imports: the actions table (CSV/XLSX round trip) and action-list documents."""

import csv
import datetime
import functools
import io
import json
from decimal import Decimal

import pytest

from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.core.exports import export
from waardig.core.imports import run_import
from waardig.core.models import ImportJob
from waardig.core.registry import EXPORTS, IMPORTS
from waardig.organisations.models import Organisation, Person
from waardig.programme import queries, services
from waardig.programme.importers import ACTION_COLUMNS, ActionListImporter, ActionsImporter
from waardig.programme.models import Action, Programme, StatusUpdate, Theme

from . import action_list_fixtures as fixture

pytestmark = pytest.mark.django_db

D = datetime.date
COLUMNS = [c.name for c in ACTION_COLUMNS]
SLUG = "arbeidsmigratie"
NO_RIGHT = "U heeft geen recht op dit object."  # core.access.require


def counts() -> tuple[int, ...]:
    return (
        Programme.objects.count(),
        Theme.objects.count(),
        Action.objects.count(),
        StatusUpdate.objects.count(),
    )


def table_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows([[row.get(c, "") for c in COLUMNS] for row in rows])
    return buffer.getvalue().encode()


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def edit_csv(data: bytes, external_id: str, **changes: str) -> bytes:
    rows = read_csv(data)
    edited = [row for row in rows if row["external_id"] == external_id]
    assert len(edited) == 1
    edited[0].update(changes)
    return table_csv(rows)


def import_actions(data: bytes, filename: str = "acties.csv", *, dry_run=False, actor=SYSTEM):
    importer = ActionsImporter(actor, {"programme": SLUG})
    return run_import(importer, data, filename, dry_run=dry_run)


def triple(result) -> tuple[int, int, int]:
    return result.created, result.updated, result.unchanged


@pytest.fixture
def programme(users):
    programme = services.save_programme(SYSTEM, slug=SLUG, name="Arbeidsmigratie")
    services.save_theme(SYSTEM, programme, code="1", title="Wonen", order=1)
    services.save_theme(SYSTEM, programme, code="2", title="Werk", order=2)
    for name, kind in [
        ("Gemeente Venlo", "municipality"),
        ("FNV", "union"),
        ("Werkgeversvereniging Noord", "employers"),
    ]:
        Organisation.objects.create(name=name, kind=kind)
    Person.objects.create(name="Anna de Vries", email="anna@venlo.test")
    return programme


GOOD_ROWS = [
    {
        "external_id": "A001",
        "theme": "1",
        "code": "1.1",
        "title": "Telling logiesplekken",
        "description": "Elke gemeente telt; de regio bundelt.",
        "roles": "facilitating; stimulating",
        "lead_organisation": "gemeente venlo",  # names match whatever their case
        "partners": "FNV;Werkgeversvereniging Noord",
        "responsible": "Anna@Venlo.test",
        "expected_result": "Een telling per gemeente",
        "programme_line": "Huisvesting",
        "period": "najaar 2024",
        "weight": "2,5",
        "status": "running",
        "progress": "40",
        "status_date": "2025-01-15",
        "narrative": 'Drie van de vijf gemeenten; "geteld".\n\nDe rest volgt.',
    },
    {
        "external_id": "A002",
        "theme": "werk",  # a theme is found by its title too
        "title": "-Voorlichting werkgevers",  # looks like a formula to a spreadsheet
        "period": "2025 - 2027",
    },
    {
        "external_id": "A003",
        "theme": "Handhaving",  # not there yet: created on commit
        "title": "=Controleteam",
        "roles": "executing",
        "start_date": "2025-01-01",
        "end_date": "2025-06-30",
        "status": "done",
        "status_date": "2025-02-01",
        "narrative": "+ afgerond, verslag volgt",
    },
]


@pytest.fixture
def imported(programme):
    result = import_actions(table_csv(GOOD_ROWS))
    assert result.ok, result.errors
    return programme


# --- actions table -----------------------------------------------------------------------


def test_bad_rows_are_all_reported_and_nothing_is_written(programme) -> None:
    before = counts()
    rows = [
        GOOD_ROWS[0],
        {"external_id": "B1", "title": "Rol", "roles": "facilitating;bestuurlijk"},
        {"external_id": "B2", "title": "Trekker", "lead_organisation": "Onbekende Stichting"},
        {"external_id": "B3", "title": "Datum", "start_date": "2025-13-01"},
        {"external_id": "B4", "title": "Voortgang", "status": "running", "progress": "101"},
    ]
    for dry_run in (True, False):
        result = import_actions(table_csv(rows), dry_run=dry_run)
        assert {(e.row, e.column) for e in result.errors} == {
            (3, "roles"),
            (4, "lead_organisation"),
            (5, "start_date"),
            (6, "progress"),
        }
        messages = {e.column: e.message for e in result.errors}
        assert "bestuurlijk" in messages["roles"]
        assert "Onbekende Stichting" in messages["lead_organisation"]
        assert "2025-13-01" in messages["start_date"]
        assert messages["progress"]
        assert triple(result) == (0, 0, 0)
        assert result.items == []
        assert counts() == before


def test_a_valid_import_creates_actions_and_their_first_update(programme) -> None:
    before = counts()
    preview = import_actions(table_csv(GOOD_ROWS), dry_run=True)
    assert preview.ok and triple(preview) == (3, 0, 0)
    assert counts() == before

    result = import_actions(table_csv(GOOD_ROWS))
    assert result.ok, result.errors
    assert triple(result) == (3, 0, 0)
    assert counts() == (before[0], before[1] + 1, 3, 2)  # theme Handhaving; A002 has no status

    telling = Action.objects.get(programme=programme, external_id="A001")
    assert (telling.theme.title, telling.code, telling.title) == (
        "Wonen",
        "1.1",
        GOOD_ROWS[0]["title"],
    )
    assert telling.roles == ["facilitating", "stimulating"]
    assert telling.lead_organisation.name == "Gemeente Venlo"
    assert sorted(p.name for p in telling.partners.all()) == ["FNV", "Werkgeversvereniging Noord"]
    assert telling.responsible.email == "anna@venlo.test"
    assert (telling.start_date, telling.end_date) == (D(2024, 9, 1), D(2024, 11, 30))
    assert telling.weight == Decimal("2.5")
    assert (telling.status, telling.progress, telling.last_update_on) == (
        "running",
        40,
        D(2025, 1, 15),
    )
    assert telling.updates.get().narrative == GOOD_ROWS[0]["narrative"]

    voorlichting = Action.objects.get(external_id="A002")
    assert voorlichting.title == "-Voorlichting werkgevers"
    assert voorlichting.theme.title == "Werk"
    assert (voorlichting.status, voorlichting.updates.count()) == ("not_started", 0)
    assert voorlichting.start_date == D(2025, 1, 1)

    handhaving = Action.objects.get(external_id="A003")
    assert handhaving.theme.title == "Handhaving"
    assert (handhaving.status, handhaving.progress) == ("done", 100)  # the status's default


def test_the_same_file_again_changes_nothing(imported) -> None:
    before = counts()
    result = import_actions(table_csv(GOOD_ROWS))
    assert triple(result) == (0, 0, 3)
    assert counts() == before


def exported(fmt: str) -> bytes:
    return export(SYSTEM, EXPORTS["actions"], fmt, {"programme": SLUG})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(imported, fmt) -> None:
    # A back-dated entry: the export must carry the latest update, not the last entered one.
    a001 = Action.objects.get(external_id="A001")
    services.add_status_update(SYSTEM, a001, status="not_started", date=D(2024, 12, 1))
    before = counts()
    data = exported(fmt)
    result = import_actions(data, f"acties.{fmt}")
    assert result.ok, result.errors
    assert triple(result) == (0, 0, Action.objects.count())
    assert counts() == before


def test_the_export_is_the_import_format(imported) -> None:
    rows = read_csv(exported("csv"))
    assert list(rows[0]) == COLUMNS
    by_id = {row["external_id"]: row for row in rows}
    assert set(by_id) == {"A001", "A002", "A003"}
    assert by_id["A001"]["partners"] == "FNV;Werkgeversvereniging Noord"
    assert by_id["A001"]["weight"] == "2.5"
    assert by_id["A001"]["narrative"] == GOOD_ROWS[0]["narrative"]
    assert by_id["A002"]["title"] == "'-Voorlichting werkgevers"  # guarded against formulas
    assert by_id["A003"]["theme"] == "Handhaving"


def test_one_changed_cell_is_one_update(imported) -> None:
    before = counts()
    data = edit_csv(exported("csv"), "A002", title="Voorlichting aan werkgevers")
    result = import_actions(data)
    assert triple(result) == (0, 1, 2)
    assert [i["label"] for i in result.items if i["action"] == "updated"] == [
        "A002: Voorlichting aan werkgevers"
    ]
    assert Action.objects.get(external_id="A002").title == "Voorlichting aan werkgevers"
    assert counts() == before  # no status update for a changed title


@pytest.mark.parametrize(
    ("column", "value", "stored"),
    [
        ("theme", "2", lambda a: a.theme.code == "2"),
        ("roles", "facilitating", lambda a: a.roles == ["facilitating"]),
        ("lead_organisation", "FNV", lambda a: a.lead_organisation.name == "FNV"),
        ("partners", "FNV", lambda a: [p.name for p in a.partners.all()] == ["FNV"]),
        ("partners", "", lambda a: not a.partners.exists()),
        ("responsible", "", lambda a: a.responsible is None),
        ("weight", "3", lambda a: a.weight == 3),
        ("end_date", "2024-12-31", lambda a: a.end_date == D(2024, 12, 31)),
        ("description", "Anders.", lambda a: a.description == "Anders."),
    ],
)
def test_each_column_is_compared(imported, column, value, stored) -> None:
    before = counts()
    result = import_actions(edit_csv(exported("csv"), "A001", **{column: value}))
    assert result.ok, result.errors
    assert triple(result) == (0, 1, 2)
    assert stored(Action.objects.get(external_id="A001"))
    assert counts() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"narrative": "De laatste twee gemeenten hebben geteld."},
        {"status": "delayed"},
        {"progress": "45"},
    ],
)
def test_a_changed_status_appends_exactly_one_update(imported, changes) -> None:
    before = counts()
    data = edit_csv(exported("csv"), "A001", **changes)
    result = import_actions(data)
    assert triple(result) == (0, 1, 2)
    assert counts() == (*before[:3], before[3] + 1)
    telling = Action.objects.get(external_id="A001")
    assert telling.updates.count() == 2
    latest = queries.latest_update(telling)
    expected = {"status": "running", "progress": 40, "narrative": GOOD_ROWS[0]["narrative"]}
    expected |= {k: int(v) if k == "progress" else v for k, v in changes.items()}
    assert (latest.status, latest.progress, latest.narrative) == tuple(expected.values())
    assert (telling.status, telling.progress) == (expected["status"], expected["progress"])
    assert import_actions(data).updated == 0  # and the same file again adds nothing


def test_an_unknown_programme_is_an_error_of_row_0(programme) -> None:
    importer = ActionsImporter(SYSTEM, {"programme": "bestaat-niet"})
    result = run_import(importer, table_csv(GOOD_ROWS), "acties.csv", dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(0, "programme")]
    assert "bestaat-niet" in result.errors[0].message


@pytest.mark.parametrize("role", ["analyst", "venlo_officer"])
def test_only_who_may_change_programmes_imports(programme, users, role) -> None:
    before = counts()
    result = import_actions(table_csv(GOOD_ROWS), actor=users[role])
    assert not result.ok
    assert {e.message for e in result.errors} == {NO_RIGHT}  # refused for want of rights
    assert counts() == before


def test_both_programme_imports_are_registered() -> None:
    assert IMPORTS["actions"] is ActionsImporter
    assert IMPORTS["action-list"] is ActionListImporter


# --- action-list documents ---------------------------------------------------------------

LIST_SLUG = "regiegroep-seizoenswerk"
DOCUMENTS = {
    "lijst.txt": lambda: fixture.as_txt()[0],
    "lijst.docx": fixture.as_docx,
    "lijst.pdf": fixture.as_pdf,
}


# What the action list holds, counted from its structure (action_list_fixtures.THEMES).
LIST_ACTIONS = len(fixture.expected())
LIST_THEMES = len(fixture.THEMES)
LIST_STATES = sum(1 for *_, state in fixture.expected() if state)  # actions with a state


@functools.cache
def document(filename: str) -> bytes:
    return DOCUMENTS[filename]()


def plain(text: str) -> str:
    """Whitespace as a PDF extraction leaves it is not the point of these tests."""
    return " ".join(text.split())


def import_list(filename: str, *, dry_run: bool, slug: str = LIST_SLUG, actor=SYSTEM, data=None):
    importer = ActionListImporter(actor, {"programme": slug})
    return run_import(
        importer, document(filename) if data is None else data, filename, dry_run=dry_run
    )


@pytest.fixture
def list_programme(users):
    return services.save_programme(SYSTEM, slug=LIST_SLUG, name="Regiegroep seizoenswerk")


def expected_plain() -> list[tuple[str, ...]]:
    return [
        (theme, title, plain(goal), plain(state))
        for theme, title, goal, state in fixture.expected()
    ]


@pytest.mark.parametrize("filename", list(DOCUMENTS))
def test_dry_run_lists_every_action_under_its_theme(list_programme, filename) -> None:
    before = counts()
    result = import_list(filename, dry_run=True)
    assert result.ok, result.errors
    outcome = result.as_dict()
    assert outcome["dry_run"] is True
    assert (outcome["created"], outcome["updated"], outcome["unchanged"]) == (LIST_ACTIONS, 0, 0)
    items = outcome["items"]
    assert [(i["theme"], i["title"], plain(i["goal"]), plain(i["state"])) for i in items] == (
        expected_plain()
    )
    assert {i["action"] for i in items} == {"created"}
    assert all(i["label"] == f"{i['theme']} / {i['title']}" for i in items)
    assert counts() == before


@pytest.mark.parametrize("filename", list(DOCUMENTS))
def test_commit_creates_themes_actions_and_updates_and_is_idempotent(
    list_programme, filename
) -> None:
    preview = import_list(filename, dry_run=True).items
    result = import_list(filename, dry_run=False)
    assert result.ok, result.errors
    assert triple(result) == (LIST_ACTIONS, 0, 0)

    themes = list(list_programme.themes.order_by("order"))
    assert [t.title for t in themes] == ["Wonen", "Werken", "Samenleven"]
    actions = list(list_programme.actions.select_related("theme").order_by("order"))
    assert [(a.theme.title, a.title, plain(a.description)) for a in actions] == [
        row[:3] for row in expected_plain()
    ]
    for action, item in zip(actions, preview, strict=True):
        updates = list(action.updates.all())
        if item["state"]:
            assert [(u.status, u.progress, u.narrative) for u in updates] == [
                ("running", 50, item["state"].strip())
            ]
            assert (action.status, action.progress) == ("running", 50)
        else:  # "Meldpunt" has no state of affairs: no update
            assert updates == []
    assert StatusUpdate.objects.count() == LIST_STATES

    before = counts()
    again = import_list(filename, dry_run=False)
    assert again.ok, again.errors
    assert triple(again) == (0, 0, LIST_ACTIONS)
    assert counts() == before


def test_an_imported_list_exports_and_imports_back_as_a_table(list_programme) -> None:
    """The states hold paragraphs (blank lines), quotes and ';': the table must keep them."""
    assert import_list("lijst.txt", dry_run=False).ok
    for fmt in ("csv", "xlsx"):
        data = export(SYSTEM, "actions", fmt, {"programme": LIST_SLUG})
        importer = ActionsImporter(SYSTEM, {"programme": LIST_SLUG})
        result = run_import(importer, data, f"acties.{fmt}", dry_run=True)
        assert result.ok, result.errors
        assert triple(result) == (0, 0, LIST_ACTIONS), fmt


def test_an_unknown_programme_is_created_from_the_document_on_commit(users) -> None:
    before = counts()
    preview = import_list("lijst.txt", dry_run=True, slug="nieuwe-lijst")
    assert preview.ok, preview.errors
    assert preview.created == LIST_ACTIONS
    assert counts() == before
    assert not Programme.objects.filter(slug="nieuwe-lijst").exists()

    result = import_list("lijst.txt", dry_run=False, slug="nieuwe-lijst")
    assert result.ok, result.errors
    programme = Programme.objects.get(slug="nieuwe-lijst")
    assert programme.name == fixture.TITLE
    assert programme.actions.count() == LIST_ACTIONS
    assert programme.themes.count() == LIST_THEMES


@pytest.mark.parametrize("slug", ["", "Geen Slug", "met/streep"])
def test_a_programme_slug_must_be_valid(users, slug) -> None:
    before = counts()
    for dry_run in (True, False):
        result = import_list("lijst.txt", dry_run=dry_run, slug=slug)
        assert [(e.row, e.column) for e in result.errors] == [(0, "programme")]
    assert counts() == before


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is no Word document",
        b"plain text renamed to .docx",
        "docx-cut-short",
    ],
)
def test_a_damaged_docx_is_a_clear_error_and_writes_nothing(list_programme, data) -> None:
    if data == "docx-cut-short":
        data = document("lijst.docx")[:400]
    before = counts()
    for dry_run in (True, False):
        result = import_list("lijst.docx", dry_run=dry_run, data=data)
        assert [(e.row, e.column) for e in result.errors] == [(0, "")]
        assert "Word-bestand is niet te openen" in result.errors[0].message
        assert triple(result) == (0, 0, 0)
    assert counts() == before


def test_a_member_cannot_create_a_programme_by_import(users) -> None:
    result = import_list("lijst.txt", dry_run=False, slug="nieuwe-lijst", actor=users["member"])
    assert not result.ok
    assert {e.message for e in result.errors} == {NO_RIGHT}  # refused for want of rights
    assert not Programme.objects.filter(slug="nieuwe-lijst").exists()
    assert Action.objects.count() == 0


# --- the command line --------------------------------------------------------------------


@pytest.fixture
def run_cli(tmp_path, settings, capsys):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the import job keeps its file here
    path = tmp_path / "lijst.txt"
    path.write_bytes(document("lijst.txt"))

    def run(*args: str) -> tuple[int, dict]:
        code = main(["import", "action-list", str(path), "--programme", LIST_SLUG, "--json", *args])
        return code, json.loads(capsys.readouterr().out)

    return run


def test_cli_dry_run_then_commit(users, run_cli) -> None:
    code, outcome = run_cli("--dry-run")
    assert code == 0, outcome["errors"]
    assert (outcome["dry_run"], outcome["created"]) == (True, LIST_ACTIONS)
    assert [i["title"] for i in outcome["items"]] == [row[1] for row in fixture.expected()]
    assert not Programme.objects.filter(slug=LIST_SLUG).exists()

    code, outcome = run_cli()
    assert code == 0, outcome["errors"]
    assert Programme.objects.get(slug=LIST_SLUG).actions.count() == LIST_ACTIONS
    assert [j.status for j in ImportJob.objects.order_by("id")] == ["preview", "done"]

    code, outcome = run_cli()
    assert (code, outcome["created"], outcome["unchanged"]) == (0, 0, LIST_ACTIONS)


def test_cli_as_a_user_without_rights_writes_nothing(users, run_cli) -> None:
    code, outcome = run_cli("--as", users["analyst"].username)
    assert code == 1
    assert outcome["errors"]
    assert {e["message"] for e in outcome["errors"]} == {NO_RIGHT}  # refused for want of rights
    assert not Programme.objects.filter(slug=LIST_SLUG).exists()


# --- regressions: keys and history that must survive a re-import ------------------------


def test_a_round_trip_keeps_actions_under_themes_of_the_same_title(imported) -> None:
    programme = Programme.objects.get(slug=SLUG)
    general = [
        services.save_theme(SYSTEM, programme, title="Algemeen", parent=parent)
        for parent in Theme.objects.filter(code__in=["1", "2"]).order_by("code")
    ]
    for number, theme in enumerate(general):
        services.save_action(SYSTEM, programme, title=f"Algemeen {number}", theme=theme)
    result = import_actions(exported("csv"))
    assert Action.objects.get(title="Algemeen 1").theme == general[1]
    assert triple(result) == (0, 0, 5)


def test_an_action_added_to_the_list_leaves_the_others_alone(list_programme) -> None:
    assert import_list("lijst.txt", dry_run=False).ok
    logies = list_programme.actions.get(title="logies")
    history = list(logies.updates.values_list("narrative", flat=True))
    text = document("lijst.txt").decode()
    added = "Actie: Nieuw\nEen nieuwe actie.\nGestart.\nActie: logies"
    text = text.replace("Actie: logies", added, 1)
    result = import_list("lijst.txt", dry_run=False, data=text.encode())
    assert result.ok, result.errors
    logies = Action.objects.get(pk=logies.pk)
    assert logies.title == "logies"
    assert list(logies.updates.values_list("narrative", flat=True)) == history
    assert triple(result) == (1, 0, LIST_ACTIONS)


def test_reimporting_an_unchanged_list_keeps_newer_progress(list_programme) -> None:
    assert import_list("lijst.txt", dry_run=False).ok
    action = list_programme.actions.get(title="Handhaving")
    services.add_status_update(SYSTEM, action, status="done", narrative="Verlengd en afgerond.")
    result = import_list("lijst.txt", dry_run=False)
    assert Action.objects.get(pk=action.pk).status == "done"
    assert triple(result) == (0, 0, LIST_ACTIONS)


def test_long_titles_give_keys_that_fit(list_programme) -> None:
    title = "Een bijzonder lange titel van een actie die veel langer is dan vijftig tekens"
    text = f"Actielijst\nWonen\nActie: {title}\nHet doel.\nDe stand.\n"
    result = import_list("lang.txt", dry_run=False, data=text.encode())
    assert result.ok, result.errors
    key = list_programme.actions.get(title=title).external_id
    assert key.startswith("wonen/een-bijzonder-lange-titel") and len(key) <= 50
