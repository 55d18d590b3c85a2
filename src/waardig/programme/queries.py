"""Reads of programmes, always through core.access, shaped for pages, reports and exports."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from waardig.core.access import scope
from waardig.programme.models import (
    Action,
    BudgetLine,
    Milestone,
    Programme,
    PublishedReport,
    Status,
    StatusUpdate,
    Theme,
)
from waardig.programme.rules import (
    EXCLUDED_FROM_ROLLUP,
    Money,
    ProgressNode,
    is_overdue,
    is_stale,
    rolled_up,
    total,
)


def programmes(actor: Any) -> QuerySet[Programme]:
    return scope(actor, Programme.objects.select_related("owner"))


def programme(actor: Any, slug: str) -> Programme:
    return programmes(actor).get(slug=slug)


def actions(actor: Any, programme: Programme, filters: Mapping[str, Any] | None = None):
    """The programme's actions, filtered like the overview (theme includes its sub-themes)."""
    filters = filters or {}
    queryset = scope(actor, programme.actions.all()).select_related(
        "theme", "lead_organisation", "responsible"
    )
    if theme := filters.get("theme"):
        queryset = queryset.filter(theme__in=descendant_ids(programme, _pk(theme)))
    if status := filters.get("status"):
        queryset = queryset.filter(status=status)
    if organisation := filters.get("organisation"):
        organisation = _pk(organisation)
        queryset = queryset.filter(
            Q(lead_organisation=organisation) | Q(partners=organisation)
        ).distinct()
    if role := filters.get("role"):
        queryset = queryset.filter(pk__in=[a.pk for a in queryset if role in (a.roles or [])])
    if text := (filters.get("q") or "").strip():
        queryset = queryset.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(expected_result__icontains=text)
            | Q(code__icontains=text)
            | Q(external_id__iexact=text)
            | Q(updates__narrative__icontains=text)
        ).distinct()
    queryset = queryset.prefetch_related(
        "partners", Prefetch("milestones", queryset=Milestone.objects.order_by("order", "id"))
    )
    if filters.get("overdue"):
        today = timezone.localdate()
        flagged = [a.pk for a in queryset if action_flags(a, programme, today)]
        queryset = queryset.filter(pk__in=flagged)
    return queryset


def _pk(value: Any) -> int:
    return value.pk if hasattr(value, "pk") else int(value)


def descendant_ids(programme: Programme, theme_id: int) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in programme.themes.values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, todo = set(), [theme_id]
    while todo:
        current = todo.pop()
        found.add(current)
        todo.extend(children[current])
    return found


@dataclass
class Flags:
    stale: bool = False
    overdue_milestones: list[Milestone] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.stale or bool(self.overdue_milestones)


def action_flags(action: Action, programme: Programme, today: datetime.date) -> Flags:
    return Flags(
        stale=is_stale(
            status=action.status,
            last_update=action.last_update_on,
            start=action.start_date,
            today=today,
            stale_after_days=programme.stale_after_days,
        ),
        overdue_milestones=[
            m
            for m in action.milestones.all()
            if is_overdue(
                planned_end=m.planned_end,
                # reached later than ``today`` (a report on a past period): not yet reached then
                achieved_on=m.achieved_on if m.achieved_on and m.achieved_on <= today else None,
                today=today,
            )
        ],
    )


@dataclass
class ActionEntry:
    action: Action
    flags: Flags


@dataclass
class ThemeEntry:
    theme: Theme | None
    depth: int
    children: list[ThemeEntry] = field(default_factory=list)
    actions: list[ActionEntry] = field(default_factory=list)
    progress: float | None = None
    money: Money = field(default_factory=Money)

    @property
    def flagged(self) -> int:
        return sum(1 for a in self.actions if a.flags) + sum(c.flagged for c in self.children)

    @property
    def action_count(self) -> int:
        return len(self.actions) + sum(c.action_count for c in self.children)

    def walk(self):
        """This entry and every entry below it, depth first (for flat renderings)."""
        yield self
        for child in self.children:
            yield from child.walk()


def tree(
    actor: Any,
    programme: Programme,
    filters: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
) -> ThemeEntry:
    """The programme as a tree of themes with their (filtered) actions, progress and money.

    Themes without matching actions are left out when a filter is active. Progress rolls
    up over all actions of a theme (weighted), not only the filtered ones. With ``today`` in
    the past (a report on an earlier period) every action is as its updates left it then.
    """
    today = today or timezone.localdate()
    themes = list(scope(actor, programme.themes.all()))
    all_actions = list(
        scope(actor, programme.actions.all()).only(
            "pk", "status", "progress", "weight", "theme", "last_update_on"
        )
    )
    shown = list(actions(actor, programme, filters))
    if today < timezone.localdate():
        latest = latest_updates(all_actions, today)
        for action in (*all_actions, *shown):
            _as_on(action, latest.get(action.pk))
    money = budget_by_owner(programme)
    root = ThemeEntry(theme=None, depth=0, money=money.get(("programme", None), Money()))
    entries = {
        t.pk: ThemeEntry(theme=t, depth=0, money=money.get(("theme", t.pk), Money()))
        for t in themes
    }
    for t in themes:
        parent = entries.get(t.parent_id, root) if t.parent_id else root
        parent.children.append(entries[t.pk])
    for a in shown:
        entry = entries.get(a.theme_id, root) if a.theme_id else root
        entry.actions.append(ActionEntry(a, action_flags(a, programme, today)))
    _set_depth(root, -1)
    weights = {t.pk: float(t.weight) for t in themes}
    leaves = defaultdict(list)
    for a in all_actions:
        excluded = a.status in EXCLUDED_FROM_ROLLUP
        leaves[a.theme_id].append(ProgressNode(float(a.weight), None if excluded else a.progress))
    _roll_up(root, leaves, weights)
    if filters and any(filters.values()):
        _prune(root)
    return root


def _as_on(action: Action, update: StatusUpdate | None) -> None:
    """The action's status, progress and last update as ``update`` (the latest then) left
    them; without one it had not started. In memory only: the list shows a past day."""
    action.status = update.status if update else Status.NOT_STARTED
    action.progress = update.progress if update else 0
    action.last_update_on = update.date if update else None


def _set_depth(entry: ThemeEntry, depth: int) -> None:
    entry.depth = depth
    for child in entry.children:
        _set_depth(child, depth + 1)


def _roll_up(entry: ThemeEntry, leaves, weights) -> ProgressNode:
    key = entry.theme.pk if entry.theme else None
    children = tuple(leaves[key]) + tuple(_roll_up(c, leaves, weights) for c in entry.children)
    node = ProgressNode(weights.get(key, 1.0), None, children)
    entry.progress = rolled_up(node) if children else None
    return node if children else ProgressNode(0.0)


def _prune(entry: ThemeEntry) -> bool:
    entry.children = [c for c in entry.children if _prune(c)]
    return bool(entry.actions or entry.children)


def budget_by_owner(programme: Programme) -> dict[tuple[str, int | None], Money]:
    """Totals of the lines booked on the programme, each theme (incl. sub-themes' and
    actions' lines) and each action."""
    parents = dict(programme.themes.values_list("pk", "parent_id"))
    action_theme = dict(programme.actions.values_list("pk", "theme_id"))
    totals: dict[tuple[str, int | None], Money] = defaultdict(Money)
    for line in programme.budget_lines.all():
        money = line.money
        totals[("programme", None)] += money
        theme_id = line.theme_id
        if line.action_id:
            totals[("action", line.action_id)] += money
            theme_id = action_theme.get(line.action_id)
        while theme_id is not None:
            totals[("theme", theme_id)] += money
            theme_id = parents.get(theme_id)
    return dict(totals)


def budget_lines(actor: Any, programme: Programme) -> QuerySet[BudgetLine]:
    return scope(actor, programme.budget_lines.select_related("theme", "action"))


def budget_total(lines: list[BudgetLine]) -> Money:
    return total(line.money for line in lines)


def history(actor: Any, action: Action) -> QuerySet[StatusUpdate]:
    return scope(actor, action.updates.select_related("author"))


def latest_updates(
    actions: list[Action], as_of: datetime.date | None = None
) -> dict[int, StatusUpdate]:
    """Each action's latest update (by date, then entry), optionally on or before ``as_of``;
    one query for all of them."""
    updates = StatusUpdate.objects.filter(action__in=actions)
    if as_of is not None:
        updates = updates.filter(date__lte=as_of)
    return {update.action_id: update for update in updates.order_by("date", "id")}


def latest_update(action: Action) -> StatusUpdate | None:
    return latest_updates([action]).get(action.pk)


def published(actor: Any, programme: Programme) -> QuerySet[PublishedReport]:
    return scope(actor, programme.published.defer("pdf", "docx", "xlsx", "markdown"))


def last_published(programme: Programme, as_of: datetime.date) -> PublishedReport | None:
    """The latest report published on the state of ``as_of`` or earlier: a report on 2024
    made after the one on 2025 compares with what was known about 2024, not with 2025."""
    reports = programme.published.defer("pdf", "docx", "xlsx", "markdown")
    for report in reports.order_by("-published_at", "-id"):
        if report.snapshot.get("as_of", "") <= as_of.isoformat():
            return report
    return None
