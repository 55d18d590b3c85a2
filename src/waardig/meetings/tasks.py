"""Background tasks of the meetings app (django-tasks, run by the job worker of `waardig serve`)."""

import datetime

from django.utils import timezone
from django_tasks import task

from waardig.meetings import digest


@task()
def send_action_digests(date: str | None = None, days: int | None = None) -> dict[str, int]:
    """The daily digest as a task (arguments are JSON: the date as YYYY-MM-DD)."""
    today = datetime.date.fromisoformat(date) if date else timezone.localdate()
    outcome = digest.send_digests(today, days)
    return {"mails": outcome.mails, "items": outcome.items, "unreachable": outcome.unreachable}
