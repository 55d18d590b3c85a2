"""`make demo` loads its data through the same services and importers users run."""

import pytest

from waardig import demo
from waardig.areas.demo import load_reference_areas as _load_areas
from waardig.monitor.indicators import load_indicators
from waardig.programme.models import Action, Programme, StatusUpdate

pytestmark = pytest.mark.django_db


def load_reference_areas() -> None:
    """What `waardig setup` loads before the demo: the areas and the indicator catalogue."""
    _load_areas()
    load_indicators()


def test_demo_data_loads_and_marks_invented_figures():
    load_reference_areas()
    logins = demo.load()
    assert {username for username, *_ in logins} >= {"coordinator", "provincie"}
    integrale = Programme.objects.get(slug="integrale-aanpak-2025-2027")
    assert integrale.themes.count() == 6 and integrale.outcomes.count() == 6
    assert Action.objects.filter(programme__slug="visie-2020").count() == 19
    assert StatusUpdate.objects.filter(action__programme=integrale, fictitious=False).count() == 0
    assert integrale.budget_lines.filter(fictitious=True, budgeted=195000).exists()


def test_a_second_demo_keeps_the_data_and_renews_the_logins():
    """`make demo` again on the same database serves what is there instead of failing."""
    load_reference_areas()
    demo.load()
    counts = (Programme.objects.count(), Action.objects.count(), StatusUpdate.objects.count())
    logins = demo.load()
    assert {username for username, *_ in logins} >= {"coordinator", "provincie"}
    assert (
        Programme.objects.count(),
        Action.objects.count(),
        StatusUpdate.objects.count(),
    ) == counts


def test_demo_meetings_show_the_taskforce_of_april_2023_and_its_next_agenda():
    from waardig.accounts.models import User
    from waardig.core.access import scope
    from waardig.meetings.models import ActionItem, Body, Meeting

    load_reference_areas()
    demo.load()
    taskforce = Body.objects.get(slug="taskforce")
    april = taskforce.meetings.get(date="2023-04-12")
    assert april.agenda.count() == 5 and april.new_action_items.count() == 9
    may = taskforce.meetings.get(date="2023-05-17")
    assert may.status == Meeting.Status.DRAFT
    follow_up = may.agenda.filter(action_item__isnull=False)
    assert follow_up.count() == taskforce.action_items.filter(status="open").count() == 9
    fictitious = ActionItem.objects.filter(body__slug="stuurgroep")
    assert fictitious.count() == 3 and all(i.text.startswith("Fictief") for i in fictitious)
    venlo, member = User.objects.get(username="venlo"), User.objects.get(username="taskforce")
    assert not scope(venlo, Body.objects.all()).exists()  # no seat, no sight
    assert set(scope(member, Body.objects.all()).values_list("slug", flat=True)) == {
        "stuurgroep",
        "taskforce",
    }


def test_demo_monitor_has_real_province_figures_and_a_scenario_within_its_bounds():
    from decimal import Decimal

    from waardig.monitor.models import Forecast, Observation

    load_reference_areas()
    demo.load()
    real = Observation.objects.filter(province__code="PV31", period="2022")
    assert real.get(indicator__code="working-labour-migrants").value == 82895
    municipal = Observation.objects.filter(municipality__isnull=False)
    assert municipal.exists() and not municipal.exclude(status="fictitious").exists()
    scenario = Forecast.objects.get(method="scenario", province__code="PV31")
    last = scenario.points[-1]
    assert last["year"] == 2030
    assert Decimal(96000) <= Decimal(last["central"]) <= Decimal(112000)
    assert "fictief" in scenario.name
