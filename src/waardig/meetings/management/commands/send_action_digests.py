"""`waardig manage send_action_digests`: the daily action-item e-mail, run from cron."""

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from waardig.meetings import digest


class Command(BaseCommand):
    help = (
        "E-mail every action-item owner their overdue items and those due soon; items without "
        "a reachable owner go to the body's secretary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to report on, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--days",
            type=int,
            help=f"how many days ahead counts as due soon (default {settings.WAARDIG_DIGEST_DAYS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                datetime.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError:
            raise CommandError(f"--date: not a date as YYYY-MM-DD: {options['date']!r}") from None
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days: give zero or more days")
        outcome = digest.send_digests(today, options["days"])
        self.stdout.write(
            f"{today:%Y-%m-%d}: {outcome.mails} e-mail(s) sent for {outcome.items} action item(s) "
            f"due; {outcome.unreachable} without a reachable owner or secretary."
        )
