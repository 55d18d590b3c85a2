"""`make demo` loads its data through the same services and importers users run."""

import pytest

from waardig import demo
from waardig.areas.demo import load_reference_areas
from waardig.programme.models import Action, Programme, StatusUpdate

pytestmark = pytest.mark.django_db


def test_demo_data_loads_and_marks_invented_figures():
    load_reference_areas()
    logins = demo.load()
    assert {username for username, *_ in logins} >= {"coordinator", "provincie"}
    integrale = Programme.objects.get(slug="integrale-aanpak-2025-2027")
    assert integrale.themes.count() == 6 and integrale.outcomes.count() == 6
    assert Action.objects.filter(programme__slug="visie-2020").count() == 19
    assert StatusUpdate.objects.filter(action__programme=integrale, fictitious=False).count() == 0
    assert integrale.budget_lines.filter(fictitious=True, budgeted=195000).exists()
