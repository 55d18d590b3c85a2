"""Demo data for `waardig demo`: reference data is real, everything invented says 'fictief'."""

from django.db import transaction

from waardig.accounts.demo import load_users
from waardig.compliance.demo import load_compliance
from waardig.housing.demo import load_housing
from waardig.meetings.demo import load_meetings
from waardig.monitor.demo import load_monitor
from waardig.organisations.demo import load_contacts, load_organisations
from waardig.programme.demo import load_programmes

DEMO_PASSWORD = "waardig-demo-2026"  # noqa: S105 - a demo login, printed on purpose


def loaded() -> bool:
    """Whether the demo was loaded into this database before (its programmes exist): a second
    `waardig demo` then only refreshes the logins and serves what is there."""
    from waardig.programme.models import Programme

    return Programme.objects.exists()


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    if loaded():
        return load_users(DEMO_PASSWORD)
    load_organisations()
    load_contacts()
    load_programmes()
    load_monitor()
    load_housing()  # after the monitor: the housing need is derived from its figures
    load_compliance()  # after the housing demo: its locations and guest registers
    logins = load_users(DEMO_PASSWORD)
    load_meetings()  # after the users: a demo login holds a seat
    return logins
