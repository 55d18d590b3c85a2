"""Demo data for `waardig demo`: reference data is real, everything invented says 'fictief'."""

from django.db import transaction

from waardig.accounts.demo import load_users
from waardig.housing.demo import load_housing
from waardig.meetings.demo import load_meetings
from waardig.monitor.demo import load_monitor
from waardig.organisations.demo import load_contacts, load_organisations
from waardig.programme.demo import load_programmes

DEMO_PASSWORD = "waardig-demo-2026"  # noqa: S105 - a demo login, printed on purpose


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    load_organisations()
    load_contacts()
    load_programmes()
    load_monitor()
    load_housing()  # after the monitor: the housing need is derived from its figures
    logins = load_users(DEMO_PASSWORD)
    load_meetings()  # after the users: a demo login holds a seat
    return logins
