"""The edit pages: each saves through its service, shows errors on the form, and deletes."""

import pytest

from waardig.programme.models import Action, BudgetLine, Milestone, Programme, Theme

pytestmark = pytest.mark.django_db


def test_coordinator_builds_a_programme_through_the_pages(coordinator):
    response = coordinator.post(
        "/programma/nieuw/",
        {"name": "Aanpak", "slug": "aanpak", "period_text": "2025 - 2027"}
        | {"reporting_rhythm": "yearly", "stale_after_days": "120"},
    )
    assert response.status_code == 302 and response["Location"] == "/programma/aanpak/"
    programme = Programme.objects.get(slug="aanpak")
    assert str(programme.end_date) == "2027-12-31"  # read from the wording

    coordinator.post(
        "/programma/aanpak/themas/nieuw/",
        {"label": "thema", "title": "Wonen", "order": "1", "weight": "1"},
    )
    theme = Theme.objects.get(title="Wonen")
    response = coordinator.post(
        "/programma/aanpak/acties/nieuw/",
        {"theme": theme.pk, "title": "Telling", "period_text": "najaar 2025"}
        | {"weight": "1", "order": "1", "roles": ["directing"]},
    )
    action = Action.objects.get(title="Telling")
    assert response["Location"] == f"/programma/aanpak/acties/{action.pk}/"
    assert action.roles == ["directing"] and str(action.start_date) == "2025-09-01"

    page = coordinator.get(f"/programma/aanpak/acties/{action.pk}/wijzigen/").content.decode()
    assert f'<option value="{theme.pk}" selected>' in page  # the form shows the current theme

    coordinator.post(
        f"/programma/aanpak/acties/{action.pk}/mijlpalen/nieuw/",
        {"title": "Telling klaar", "period_text": "eind 2025", "order": "1"},
    )
    milestone = Milestone.objects.get(action=action)
    coordinator.post(
        "/programma/aanpak/begroting/nieuw/",
        {"description": "Onderzoek", "funding_source": "ESF", "action": action.pk}
        | {"budgeted": "100", "committed": "0", "spent": "0"},
    )
    line = BudgetLine.objects.get(action=action)

    response = coordinator.post(f"/programma/aanpak/begroting/{line.pk}/", {"delete": "1"})
    assert response["Location"] == "/programma/aanpak/begroting/"
    assert not BudgetLine.objects.exists()
    url = f"/programma/aanpak/acties/{action.pk}/mijlpalen/{milestone.pk}/"
    assert coordinator.post(url, {"delete": "1"}).status_code == 302
    assert not Milestone.objects.exists()


def test_an_invalid_form_is_shown_again_with_its_errors(coordinator):
    coordinator.post(
        "/programma/nieuw/",
        {"name": "A", "slug": "a", "reporting_rhythm": "yearly", "stale_after_days": "1"},
    )
    response = coordinator.post(
        "/programma/a/begroting/nieuw/",
        {"description": "x", "funding_source": "ESF", "budgeted": "-5"}
        | {"committed": "0", "spent": "0"},
    )
    assert response.status_code == 200
    assert "Een bedrag kan niet negatief zijn." in response.content.decode()
    assert not BudgetLine.objects.exists()
