"""Reads more than one place needs: the action list behind the page, the API, the export and
the report, so a filter means the same wherever it is used."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from waardig.core.access import scope
from waardig.meetings.models import ActionItem

ACTION_FILTERS = ("body", "status", "owner", "organisation", "meeting", "overdue")
"""body: slug; status: one status ("" all); owner: text in the owner as written or in the
linked person or organisation; organisation: id of the owner's organisation; meeting: id of
the meeting that agreed it; overdue: True only late items, False none of them, None both."""


def late(today: datetime.date) -> Q:
    """Open and past its due date."""
    return Q(status=ActionItem.Status.OPEN, due__lt=today)


def action_items(
    actor: Any, filters: Mapping[str, Any] | None = None, today: datetime.date | None = None
) -> QuerySet[ActionItem]:
    items = scope(actor, ActionItem.objects.all()).select_related(
        "body", "meeting", "owner_person", "owner_organisation"
    )
    return filter_action_items(items, filters or {}, today or timezone.localdate())


def filter_action_items(
    items: QuerySet[ActionItem], filters: Mapping[str, Any], today: datetime.date
) -> QuerySet[ActionItem]:
    if body := filters.get("body"):
        items = items.filter(body__slug=body)
    if status := filters.get("status"):
        items = items.filter(status=status)
    if owner := str(filters.get("owner") or "").strip():
        items = items.filter(
            Q(owner_name__icontains=owner)
            | Q(owner_person__name__icontains=owner)
            | Q(owner_organisation__name__icontains=owner)
        )
    if organisation := filters.get("organisation"):
        items = items.filter(owner_organisation=organisation)
    if meeting := filters.get("meeting"):
        items = items.filter(meeting=meeting)
    overdue = filters.get("overdue")
    if overdue is True:
        items = items.filter(late(today))
    elif overdue is False:
        items = items.exclude(late(today))
    return items
