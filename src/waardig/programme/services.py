"""Writes to programmes: each function is one use case in one transaction, access-checked."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.core import audit
from waardig.core.access import CHANGE, account_of, display_name, require
from waardig.organisations.models import Organisation
from waardig.programme.models import (
    Action,
    BudgetLine,
    Milestone,
    Outcome,
    Programme,
    PublishedReport,
    Status,
    StatusUpdate,
    Theme,
)
from waardig.programme.periods import parse_period


def _save(actor: Any, obj: Model, values: dict[str, Any]) -> Model:
    for name, value in values.items():
        setattr(obj, name, value)
    require(actor, CHANGE, obj)
    obj.full_clean()
    obj.save()
    return obj


def interpreted_dates(
    period_text: str,
    start: datetime.date | None,
    end: datetime.date | None,
    previous_text: str = "",
) -> tuple[datetime.date | None, datetime.date | None]:
    """Dates the user gave win; otherwise the dates read from the wording ("najaar 2013").

    Forms and exports send the stored dates back: when the wording changed and the dates are
    exactly those read from the previous wording, they were read, not given, and are read anew.
    """
    if previous_text and previous_text != period_text and (start, end) == _read(previous_text):
        start = end = None
    if start or end or not period_text:
        return start, end
    return _read(period_text)


def _read(period_text: str) -> tuple[datetime.date | None, datetime.date | None]:
    period = parse_period(period_text)
    return period.start, period.end


@transaction.atomic
def save_programme(actor: Any, programme: Programme | None = None, **values: Any) -> Programme:
    programme = programme or Programme()
    if "period_text" in values:  # a change of other fields keeps the dates as they are
        values["start_date"], values["end_date"] = interpreted_dates(
            values["period_text"],
            values.get("start_date"),
            values.get("end_date"),
            programme.period_text,
        )
    return _save(actor, programme, values)


@transaction.atomic
def save_theme(
    actor: Any, programme: Programme, theme: Theme | None = None, **values: Any
) -> Theme:
    theme = theme or Theme(programme=programme)
    if theme.programme_id != programme.pk:
        raise ValidationError(_("Dit thema hoort bij een ander programma."))
    return _save(actor, theme, values)


class InUse(ValidationError):
    """The object cannot be removed: other data still depends on it."""


@transaction.atomic
def delete_theme(actor: Any, theme: Theme) -> None:
    """Only an empty theme goes: actions, sub-themes and budget lines must move first."""
    require(actor, CHANGE, theme)
    blockers = [
        label
        for label, in_use in (
            (_("acties"), theme.actions.exists()),
            (_("onderliggende niveaus"), theme.children.exists()),
            (_("begrotingsregels"), BudgetLine.objects.filter(theme=theme).exists()),
        )
        if in_use
    ]
    if blockers:
        raise InUse(
            _(
                "Dit thema kan niet worden verwijderd: er hangen nog %(what)s onder. "
                "Verplaats of verwijder die eerst."
            )
            % {"what": ", ".join(blockers)}
        )
    theme.delete()


@transaction.atomic
def save_action(
    actor: Any,
    programme: Programme,
    action: Action | None = None,
    *,
    partners: Iterable[Organisation] | None = None,
    **values: Any,
) -> Action:
    action = action or Action(programme=programme)
    if action.programme_id != programme.pk:
        raise ValidationError(_("Deze actie hoort bij een ander programma."))
    if "period_text" in values:
        values["start_date"], values["end_date"] = interpreted_dates(
            values["period_text"],
            values.get("start_date"),
            values.get("end_date"),
            action.period_text,
        )
    if not values.get("external_id", action.external_id):
        values["external_id"] = _next_external_id(programme)
    _save(actor, action, values)
    if partners is not None:
        action.partners.set(partners)
    return action


def _next_external_id(programme: Programme) -> str:
    taken = set(programme.actions.values_list("external_id", flat=True))
    number = len(taken) + 1
    while f"A{number:03d}" in taken:
        number += 1
    return f"A{number:03d}"


@transaction.atomic
def add_status_update(
    actor: Any,
    action: Action,
    *,
    status: str,
    progress: int | None = None,
    narrative: str = "",
    date: datetime.date | None = None,
    fictitious: bool = False,
    author_name: str = "",
) -> StatusUpdate:
    """Append one entry to the action's history and repeat the latest one on the action.

    Progress defaults to the status's default; a date in the future is refused (an
    update reports what happened).
    """
    require(actor, CHANGE, action)
    if status not in Status.values:
        raise ValidationError({"status": _("Onbekende status.")})
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise ValidationError({"date": _("Een voortgangsbericht kan niet in de toekomst liggen.")})
    if progress is None:
        progress = Status(status).default_progress
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("De voortgang ligt tussen 0 en 100%.")})
    update = StatusUpdate(
        action=action,
        date=date,
        author=account_of(actor),
        author_name=author_name or display_name(actor),
        status=status,
        progress=progress,
        narrative=narrative.strip(),
        fictitious=fictitious,
    )
    update.full_clean()
    update.save()
    latest = action.updates.latest()
    Action.objects.filter(pk=action.pk).update(
        status=latest.status, progress=latest.progress, last_update_on=latest.date
    )
    action.status, action.progress, action.last_update_on = (
        latest.status,
        latest.progress,
        latest.date,
    )
    return update


@transaction.atomic
def save_milestone(
    actor: Any, action: Action, milestone: Milestone | None = None, **values: Any
) -> Milestone:
    milestone = milestone or Milestone(action=action)
    if milestone.action_id != action.pk:
        raise ValidationError(_("Deze mijlpaal hoort bij een andere actie."))
    if "period_text" in values:
        values["planned_start"], values["planned_end"] = interpreted_dates(
            values["period_text"],
            values.get("planned_start"),
            values.get("planned_end"),
            milestone.period_text,
        )
    achieved = values.get("achieved_on")
    if achieved and achieved > timezone.localdate():
        raise ValidationError({"achieved_on": _("Deze datum ligt in de toekomst.")})
    return _save(actor, milestone, values)


@transaction.atomic
def delete_milestone(actor: Any, milestone: Milestone) -> None:
    require(actor, CHANGE, milestone)
    milestone.delete()


@transaction.atomic
def save_budget_line(
    actor: Any, programme: Programme, line: BudgetLine | None = None, **values: Any
) -> BudgetLine:
    line = line or BudgetLine(programme=programme)
    if line.programme_id != programme.pk:
        raise ValidationError(_("Deze begrotingsregel hoort bij een ander programma."))
    return _save(actor, line, values)


@transaction.atomic
def delete_budget_line(actor: Any, line: BudgetLine) -> None:
    require(actor, CHANGE, line)
    line.delete()


@transaction.atomic
def save_outcome(
    actor: Any, programme: Programme, outcome: Outcome | None = None, **values: Any
) -> Outcome:
    outcome = outcome or Outcome(programme=programme)
    if outcome.programme_id != programme.pk:
        raise ValidationError(_("Dit resultaat hoort bij een ander programma."))
    return _save(actor, outcome, values)


@transaction.atomic
def publish_report(
    actor: Any,
    programme: Programme,
    *,
    kind: str,
    title: str,
    options: dict[str, Any],
    snapshot: dict[str, Any],
    files: dict[str, bytes | str],
) -> PublishedReport:
    """Freeze a report as sent: its files and the data it showed (reports.publish builds them)."""
    require(actor, CHANGE, programme)
    report = PublishedReport(
        programme=programme,
        kind=kind,
        title=title,
        options=options,
        published_by=account_of(actor),
        published_by_name=display_name(actor),
        snapshot=snapshot,
        pdf=files["pdf"],
        docx=files["docx"],
        xlsx=files["xlsx"],
        markdown=files["md"],
    )
    report.save()
    audit.record(actor, "change", "rapport gepubliceerd", detail=f"{programme.slug}: {title}")
    return report
