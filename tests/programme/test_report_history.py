"""A report on an earlier period shows that period: progress, flags and the report it is
compared with are those of then, not of today; dates read from a period wording follow it."""

import datetime

import pytest

from waardig.core.access import SYSTEM
from waardig.programme import reports, services

pytestmark = pytest.mark.django_db
OPTIONS = {"programme": "aanpak"}


@pytest.fixture
def plan():
    programme = services.save_programme(SYSTEM, slug="aanpak", name="Aanpak", period_text="2024")
    theme = services.save_theme(SYSTEM, programme, code="1", title="Wonen", order=1)
    plan = services.save_action(SYSTEM, programme, theme=theme, title="Woonplan", order=1)
    for date, status, progress in (
        (datetime.date(2024, 3, 1), "running", 10),
        (datetime.date(2025, 3, 1), "done", 100),
    ):
        services.add_status_update(SYSTEM, plan, status=status, progress=progress, date=date)
    return plan


def annual(year: int):
    return reports.compose(SYSTEM, "programme-annual", {**OPTIONS, "year": year})


def section(document, title: str):
    return next(s for s in document.sections if s.title.startswith(title))


def test_the_theme_of_an_earlier_year_rolls_up_that_years_progress(plan):
    document, snapshot = annual(2024)
    assert snapshot["actions"][plan.external_id]["progress"] == 10
    theme_texts = [b.text for b in section(document, "1 Wonen").blocks if hasattr(b, "text")]
    assert "Voortgang (gewogen): 10%" in theme_texts  # not today's 100 %
    chart = section(document, "Overzicht").blocks[0]
    assert [row[-1] for row in chart.data_table().rows] == [10]


def test_an_earlier_year_is_compared_with_a_report_of_before_it(plan):
    reports.publish(SYSTEM, "programme-annual", {**OPTIONS, "year": 2025})
    document, _ = annual(2024)
    changes = section(document, "Wijzigingen")
    assert "nog geen eerder rapport" in changes.blocks[0].text  # not the 2025 report
    reports.publish(SYSTEM, "programme-annual", {**OPTIONS, "year": 2024})
    document, _ = annual(2025)
    assert "Jaarrapportage 2024" in section(document, "Wijzigingen").blocks[0].text


def test_dates_read_from_the_wording_follow_a_new_wording(plan):
    services.save_action(SYSTEM, plan.programme, plan, period_text="najaar 2013")
    plan.refresh_from_db()
    read = (plan.start_date, plan.end_date)
    assert read == (datetime.date(2013, 9, 1), datetime.date(2013, 11, 30))
    # the form sends the stored dates back with the new wording
    services.save_action(
        SYSTEM, plan.programme, plan, period_text="2015", start_date=read[0], end_date=read[1]
    )
    plan.refresh_from_db()
    assert (plan.start_date, plan.end_date) == (
        datetime.date(2015, 1, 1),
        datetime.date(2015, 12, 31),
    )
    given = (datetime.date(2015, 2, 1), datetime.date(2015, 6, 30))
    services.save_action(
        SYSTEM, plan.programme, plan, period_text="2016", start_date=given[0], end_date=given[1]
    )
    plan.refresh_from_db()
    assert (plan.start_date, plan.end_date) == given  # dates the user gave win
