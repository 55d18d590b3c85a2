"""The action list is one query: the page, its download, the report and the API filter alike."""

import csv
import datetime
import io

import pytest
from django.test import Client

from waardig.core.access import SYSTEM
from waardig.meetings import services
from waardig.meetings.models import Body
from waardig.organisations.models import Organisation

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def items():
    body = services.save_body(SYSTEM, slug="taskforce", name="Taskforce", kind=Body.Kind.TASKFORCE)
    lltb = Organisation.objects.create(name="LLTB", kind="employers")
    late, soon = TODAY - datetime.timedelta(days=3), TODAY + datetime.timedelta(days=3)
    services.add_action_item(SYSTEM, body, text="Te laat, LLTB", due=late, owner_organisation=lltb)
    services.add_action_item(SYSTEM, body, text="Op tijd, LLTB", due=soon, owner_organisation=lltb)
    services.add_action_item(
        SYSTEM, body, text="Te laat, provincie", owner_name="Provincie", due=late
    )
    closed = services.add_action_item(
        SYSTEM, body, text="Gesloten, LLTB", owner_name="LLTB", due=late
    )
    services.close_action_item(SYSTEM, closed)
    return lltb


def page_texts(client: Client, query: str) -> set[str]:
    html = client.get(f"/overleg/actiepunten/?{query}").content.decode()
    return {
        t
        for t in ("Te laat, LLTB", "Op tijd, LLTB", "Te laat, provincie", "Gesloten, LLTB")
        if t in html
    }


@pytest.mark.parametrize(
    "query",
    ["owner=lltb", "overdue=on", "owner=lltb&overdue=on", "status=all&owner=lltb", "status=done"],
)
def test_the_download_holds_what_the_filtered_page_shows(coordinator, items, query):
    shown = page_texts(coordinator, query)
    page = coordinator.get(f"/overleg/actiepunten/?{query}").content.decode()
    link = page.split('href="/export/action-items.csv?')[1].split('"')[0].replace("&amp;", "&")
    rows = csv.DictReader(
        io.StringIO(
            coordinator.get(f"/export/action-items.csv?{link}").content.decode("utf-8-sig")
        ),
        delimiter=";",
    )
    assert {row["text"] for row in rows} == shown and shown


def test_the_api_filters_like_the_page(coordinator, items):
    api = coordinator.get(f"/api/v1/action-items/?owner=lltb&owner_organisation={items.pk}")
    texts = {row["text"] for row in api.json()["results"]}
    assert texts == {"Te laat, LLTB", "Op tijd, LLTB"}  # the linked organisation counts too
    assert texts == page_texts(coordinator, f"owner=lltb&organisation={items.pk}")
