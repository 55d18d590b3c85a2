"""Programme services and queries against the database: history, access, roll-up, money."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from waardig.core.access import SYSTEM
from waardig.core.models import AppendOnlyError
from waardig.programme import queries, services
from waardig.programme.models import Action, BudgetLine, Status, StatusUpdate

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def programme():
    return services.save_programme(
        SYSTEM, slug="arbeidsmigratie", name="Arbeidsmigratie", stale_after_days=30
    )


@pytest.fixture
def action(programme):
    return services.save_action(SYSTEM, programme, title="Telling logiesplekken")


def fresh(action: Action) -> Action:
    return Action.objects.get(pk=action.pk)


def repeated(action: Action) -> tuple:
    action = fresh(action)
    return action.status, action.progress, action.last_update_on


# --- status history --------------------------------------------------------------------------


def test_updates_are_appended_and_the_action_repeats_the_latest(action) -> None:
    services.add_status_update(
        SYSTEM, action, status="running", progress=30, narrative=" Gestart. ", date=D(2025, 1, 10)
    )
    services.add_status_update(SYSTEM, action, status="delayed", progress=35, date=D(2025, 3, 1))
    assert StatusUpdate.objects.filter(action=action).count() == 2
    assert repeated(action) == ("delayed", 35, D(2025, 3, 1))
    first = StatusUpdate.objects.get(action=action, date=D(2025, 1, 10))
    assert first.narrative == "Gestart."
    assert first.author_name == str(SYSTEM)


def test_a_back_dated_update_does_not_override_a_newer_one(action) -> None:
    services.add_status_update(SYSTEM, action, status="running", progress=60, date=D(2025, 5, 1))
    late_entry = services.add_status_update(
        SYSTEM, action, status="not_started", progress=0, date=D(2025, 2, 1)
    )
    assert late_entry.pk is not None  # it is kept in the history ...
    assert repeated(action) == ("running", 60, D(2025, 5, 1))  # ... but is not the latest
    assert (action.status, action.progress) == ("running", 60)  # the object passed in, too
    assert queries.latest_update(action).date == D(2025, 5, 1)


def test_of_two_updates_on_one_day_the_later_entry_wins(action) -> None:
    services.add_status_update(SYSTEM, action, status="running", progress=60, date=D(2025, 5, 1))
    services.add_status_update(SYSTEM, action, status="delayed", progress=40, date=D(2025, 5, 1))
    assert repeated(action) == ("delayed", 40, D(2025, 5, 1))


PROGRESS_BY_STATUS = {
    "not_started": 0,
    "running": 50,
    "delayed": 25,
    "done": 100,
    "dropped": 0,
    "continuous": 50,
}
"""The progress each status suggests: the one table of them in the tests (test_rules.py
checks that programme.rules.DEFAULT_PROGRESS names every status)."""


def test_the_default_progress_table_names_every_status() -> None:
    assert set(PROGRESS_BY_STATUS) == set(Status.values)


@pytest.mark.parametrize(("status", "progress"), PROGRESS_BY_STATUS.items())
def test_progress_defaults_to_the_status_default(action, status, progress) -> None:
    update = services.add_status_update(SYSTEM, action, status=status, date=D(2025, 1, 1))
    assert update.progress == progress
    assert repeated(action) == (status, progress, D(2025, 1, 1))


def test_an_update_without_date_is_dated_today(action) -> None:
    update = services.add_status_update(SYSTEM, action, status="running")
    assert update.date == timezone.localdate()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"status": "running", "progress": 150}, "progress"),
        ({"status": "running", "progress": -1}, "progress"),
        ({"status": "klaar"}, "status"),
        ({"status": "running", "date": "tomorrow"}, "date"),
    ],
)
def test_impossible_updates_are_refused(action, values, field) -> None:
    if values.get("date") == "tomorrow":
        values = values | {"date": timezone.localdate() + datetime.timedelta(days=1)}
    with pytest.raises(ValidationError) as refused:
        services.add_status_update(SYSTEM, action, **values)
    assert field in refused.value.message_dict
    assert not StatusUpdate.objects.filter(action=action).exists()
    assert repeated(action) == ("not_started", 0, None)


@pytest.fixture
def update(action):
    return services.add_status_update(
        SYSTEM, action, status="running", progress=40, narrative="Loopt.", date=D(2025, 1, 1)
    )


def test_an_update_cannot_be_edited(update) -> None:
    update.narrative = "Toch anders."
    with pytest.raises(AppendOnlyError):
        update.save()
    assert StatusUpdate.objects.get(pk=update.pk).narrative == "Loopt."


def test_an_update_cannot_be_deleted(update) -> None:
    with pytest.raises(AppendOnlyError):
        update.delete()
    assert StatusUpdate.objects.filter(pk=update.pk).exists()


@pytest.mark.parametrize(
    "operation",
    [
        lambda u: StatusUpdate.objects.filter(pk=u.pk).update(narrative="Toch anders."),
        lambda u: StatusUpdate.objects.filter(pk=u.pk).delete(),
        lambda u: StatusUpdate.objects.all().delete(),
        lambda u: u.action.updates.update(progress=100),
        lambda u: u.action.updates.all().delete(),
    ],
    ids=["update", "delete", "delete-all", "related-update", "related-delete"],
)
def test_querysets_cannot_change_the_history(update, operation) -> None:
    with pytest.raises(AppendOnlyError):
        operation(update)
    stored = StatusUpdate.objects.get(pk=update.pk)
    assert (stored.narrative, stored.progress) == ("Loopt.", 40)


@pytest.mark.parametrize("role", ["analyst", "member", "venlo_officer", "inspector"])
def test_the_network_may_not_report_progress(users, action, role) -> None:
    with pytest.raises(PermissionDenied):
        services.add_status_update(users[role], action, status="running", date=D(2025, 1, 1))
    assert not StatusUpdate.objects.filter(action=action).exists()
    assert repeated(action) == ("not_started", 0, None)


@pytest.mark.parametrize("role", ["coordinator", "province_admin"])
def test_coordinators_and_the_province_report_progress(users, action, role) -> None:
    user = users[role]
    update = services.add_status_update(user, action, status="running", date=D(2025, 1, 1))
    assert update.author == user
    assert update.author_name == user.username
    assert repeated(action) == ("running", 50, D(2025, 1, 1))


# --- roll-up through the tree ----------------------------------------------------------------


@pytest.fixture
def tree_programme(programme):
    """Two levels: 1 Wonen (1.1 Logies weight 3, 1.2 Short-stay weight 1), 2 Werk, 3 Leeg."""

    def theme(code, title, parent=None, weight=1):
        return services.save_theme(
            SYSTEM, programme, code=code, title=title, parent=parent, weight=Decimal(weight)
        )

    def act(theme, title, status, progress, weight=1):
        action = services.save_action(
            SYSTEM, programme, theme=theme, title=title, weight=Decimal(weight)
        )
        services.add_status_update(
            SYSTEM, action, status=status, progress=progress, date=D(2025, 1, 1)
        )
        return action

    wonen = theme("1", "Wonen")
    logies = theme("1.1", "Logies", wonen, weight=3)
    short_stay = theme("1.2", "Short-stay", wonen)
    werk = theme("2", "Werk")
    theme("3", "Leeg", weight=5)  # no actions: must not count, whatever its weight
    act(logies, "Telling", "running", 40)
    act(logies, "Locaties", "running", 80, weight=3)
    act(logies, "Vervallen plan", "dropped", 30, weight=2)  # excluded although it has 30%
    act(short_stay, "Beleidsregel", "delayed", 20)
    act(wonen, "Woonvisie", "done", 100)
    act(werk, "Voorlichting", "running", 50)
    act(werk, "Niet meetellen", "running", 0, weight=0)
    return programme


def test_tree_rolls_progress_up_with_weights(tree_programme) -> None:
    root = queries.tree(SYSTEM, tree_programme, today=D(2025, 1, 2))
    by_code = {e.theme.code: e for e in root.walk() if e.theme}
    assert by_code["1.1"].progress == pytest.approx((40 + 80 * 3) / 4)  # 70: dropped left out
    assert by_code["1.2"].progress == pytest.approx(20)
    # Wonen: its own action (100, weight 1) and Logies (70, w3) and Short-stay (20, w1).
    assert by_code["1"].progress == pytest.approx((100 + 70 * 3 + 20) / 5)  # 66
    assert by_code["2"].progress == pytest.approx(50)  # the weight-0 action does not count
    assert by_code["3"].progress is None
    assert root.progress == pytest.approx((66 + 50) / 2)
    assert [c.theme.code for c in root.children] == ["1", "2", "3"]
    assert [c.theme.code for c in by_code["1"].children] == ["1.1", "1.2"]
    assert by_code["1.1"].depth == 1 and by_code["1"].depth == 0
    assert by_code["1"].action_count == 5  # the dropped action is still listed


# --- flags -----------------------------------------------------------------------------------


def test_stale_flag_counts_from_the_last_update(programme, action) -> None:
    services.add_status_update(SYSTEM, action, status="running", date=D(2025, 1, 1))
    action = fresh(action)
    assert not queries.action_flags(action, programme, D(2025, 1, 31)).stale  # exactly 30 days
    assert queries.action_flags(action, programme, D(2025, 2, 1)).stale
    services.add_status_update(SYSTEM, action, status="done", date=D(2025, 1, 15))
    assert not queries.action_flags(fresh(action), programme, D(2026, 1, 1)).stale


def test_stale_flag_counts_from_the_start_without_updates(programme) -> None:
    action = services.save_action(
        SYSTEM, programme, title="Later", start_date=D(2025, 3, 1), end_date=D(2025, 12, 31)
    )
    assert not queries.action_flags(action, programme, D(2025, 2, 1))  # not started yet
    assert not queries.action_flags(action, programme, D(2025, 3, 31))
    flags = queries.action_flags(action, programme, D(2025, 4, 1))
    assert flags.stale and flags


def test_overdue_milestones_are_flagged(programme, action) -> None:
    services.add_status_update(SYSTEM, action, status="running", date=D(2025, 1, 1))
    late = services.save_milestone(SYSTEM, action, title="Telling klaar", planned_end=D(2025, 1, 5))
    services.save_milestone(SYSTEM, action, title="Later", planned_end=D(2025, 2, 1))
    services.save_milestone(
        SYSTEM, action, title="Gehaald", planned_end=D(2025, 1, 3), achieved_on=D(2025, 1, 4)
    )
    flags = queries.action_flags(fresh(action), programme, D(2025, 1, 10))
    assert not flags.stale
    assert flags.overdue_milestones == [late]
    assert flags
    assert queries.action_flags(fresh(action), programme, D(2025, 1, 5)).overdue_milestones == []


# --- money -----------------------------------------------------------------------------------


def line(programme, description, budgeted, committed=0, spent=0, **owner) -> BudgetLine:
    return services.save_budget_line(
        SYSTEM,
        programme,
        description=description,
        funding_source="Beleidsbrief",
        budgeted=Decimal(budgeted),
        committed=Decimal(committed),
        spent=Decimal(spent),
        **owner,
    )


def test_budget_by_owner_totals_each_level(programme) -> None:
    wonen = services.save_theme(SYSTEM, programme, code="1", title="Wonen")
    logies = services.save_theme(SYSTEM, programme, code="1.1", title="Logies", parent=wonen)
    werk = services.save_theme(SYSTEM, programme, code="2", title="Werk")
    telling = services.save_action(SYSTEM, programme, theme=logies, title="Telling")
    losse = services.save_action(SYSTEM, programme, title="Zonder thema")
    line(programme, "Programma", 1000, 100)
    line(programme, "Wonen", 500, 200, theme=wonen)
    line(programme, "Logies", 300, 100, 50, theme=logies)
    line(programme, "Telling", 100, 150, 20, action=telling)  # over budget on its own
    line(programme, "Werk", 200, 0, 10, theme=werk)
    line(programme, "Los", 50, 0, 0, action=losse)

    totals = queries.budget_by_owner(programme)

    def m(*amounts):
        return tuple(Decimal(a) for a in amounts)

    def columns(money):
        return (money.budgeted, money.committed, money.spent)

    assert columns(totals[("programme", None)]) == m(2150, 550, 80)
    assert columns(totals[("theme", wonen.pk)]) == m(900, 450, 70)  # own + sub-theme + action below
    assert columns(totals[("theme", logies.pk)]) == m(400, 250, 70)
    assert columns(totals[("theme", werk.pk)]) == m(200, 0, 10)
    assert columns(totals[("action", telling.pk)]) == m(100, 150, 20)
    assert columns(totals[("action", losse.pk)]) == m(50, 0, 0)
    assert set(totals) == {
        ("programme", None),
        ("theme", wonen.pk),
        ("theme", logies.pk),
        ("theme", werk.pk),
        ("action", telling.pk),
        ("action", losse.pk),
    }
    assert totals[("action", telling.pk)].over_budget
    assert not totals[("theme", logies.pk)].over_budget  # the theme's own money covers it

    root = queries.tree(SYSTEM, programme, today=D(2025, 1, 1))
    by_code = {e.theme.code: e for e in root.walk() if e.theme}
    assert by_code["1"].money == totals[("theme", wonen.pk)]
    assert root.money == totals[("programme", None)]


def test_a_line_over_budget_is_flagged(programme) -> None:
    assert line(programme, "Verplicht te veel", 100, 100.5).over_budget
    assert line(programme, "Besteed zonder verplichting", 100, 0, 101).over_budget
    assert not line(programme, "Precies op", 100, 100, 100).over_budget
    assert [x.over_budget for x in queries.budget_lines(SYSTEM, programme)] == [True, True, False]


def test_a_theme_total_counts_the_larger_claim_of_each_line(programme) -> None:
    wonen = services.save_theme(SYSTEM, programme, title="Wonen")
    line(programme, "Contract getekend, nog niet betaald", 100, committed=100, theme=wonen)
    line(programme, "Betaald zonder verplichting", 100, spent=100, theme=wonen)
    line(programme, "Iets te veel besteed", 100, committed=100, spent=101, theme=wonen)
    money = queries.budget_by_owner(programme)[("theme", wonen.pk)]
    # 300 budgeted, 100 + 100 + 101 claimed: nothing left, 1 euro over.
    assert money.remaining == Decimal(-1)
    assert money.over_budget


def test_a_line_belongs_to_a_theme_or_an_action_not_both(programme, action) -> None:
    wonen = services.save_theme(SYSTEM, programme, title="Wonen")
    with pytest.raises(ValidationError) as refused:
        line(programme, "Beide", 100, theme=wonen, action=action)
    assert "theme" in refused.value.message_dict
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize("column", ["budgeted", "committed", "spent"])
def test_negative_amounts_are_refused(programme, column) -> None:
    amounts = {"budgeted": 100, "committed": 0, "spent": 0} | {column: -1}
    with pytest.raises(ValidationError) as refused:
        line(programme, "Negatief", **amounts)
    assert column in refused.value.message_dict
    assert not BudgetLine.objects.exists()


# --- actions ---------------------------------------------------------------------------------


def test_period_text_gives_the_dates_when_none_are_given(programme) -> None:
    action = services.save_action(SYSTEM, programme, title="Evaluatie", period_text="najaar 2013")
    assert (fresh(action).start_date, fresh(action).end_date) == (D(2013, 9, 1), D(2013, 11, 30))


def test_dates_given_win_over_the_period_text(programme) -> None:
    action = services.save_action(
        SYSTEM, programme, title="Evaluatie", period_text="najaar 2013", start_date=D(2013, 10, 1)
    )
    assert (fresh(action).start_date, fresh(action).end_date) == (D(2013, 10, 1), None)
    assert fresh(action).period_text == "najaar 2013"


def test_external_ids_are_assigned_and_unique(programme) -> None:
    first = services.save_action(SYSTEM, programme, title="Een")
    services.save_action(SYSTEM, programme, title="Gekozen", external_id="A003")
    second = services.save_action(SYSTEM, programme, title="Twee")
    third = services.save_action(SYSTEM, programme, title="Drie")
    ids = list(programme.actions.values_list("external_id", flat=True))
    assert len(ids) == len(set(ids)) == 4
    assert (first.external_id, second.external_id, third.external_id) == ("A001", "A004", "A005")
    renamed = services.save_action(SYSTEM, programme, first, title="Een (nieuw)")
    assert renamed.external_id == "A001"  # editing keeps the key
    other = services.save_programme(SYSTEM, slug="ander", name="Ander programma")
    assert services.save_action(SYSTEM, other, title="Elders").external_id == "A001"


def test_a_taken_external_id_is_refused(programme, action) -> None:
    with pytest.raises(ValidationError):
        services.save_action(SYSTEM, programme, title="Dubbel", external_id=action.external_id)
    assert programme.actions.count() == 1
