"""The programme's reports: state of affairs, annual report to the council, quarterly report.

Each report is one Document (core.reports) plus the data it shows (a snapshot), so a
published report can be frozen and the next one can list what changed since.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.core.charts import bar_chart
from waardig.core.numbers import parse_year
from waardig.core.reports.document import Chart, Document, Note, Paragraph, Section, Table
from waardig.core.reports.render import render
from waardig.programme import queries, services
from waardig.programme.models import Action, Programme, PublishedReport, Status
from waardig.programme.rules import ActionState, changes_between

KINDS = ("programme-status", "programme-annual", "programme-quarterly")
CHANGE_LABELS = {
    "new": "nieuwe actie",
    "removed": "actie vervallen uit het programma",
    "status": "status",
    "progress": "voortgang",
    "narrative": "stand van zaken",
    "milestone": "mijlpaal bereikt",
}


def _year(options: Mapping[str, Any], default: int) -> int:
    return parse_year(options.get("year") or default)


def period_of(kind: str, options: Mapping[str, Any], today: datetime.date):
    """(first day, last day, label) the report covers; the status report covers up to today."""
    if kind == "programme-annual":
        year = _year(options, today.year)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year)
    if kind == "programme-quarterly":
        year = _year(options, today.year)
        try:
            quarter = int(options.get("quarter") or (today.month - 1) // 3 + 1)
        except (TypeError, ValueError):
            quarter = 0
        if not 1 <= quarter <= 4:
            raise ValidationError(_("Het kwartaal is 1, 2, 3 of 4."))
        first = datetime.date(year, 3 * quarter - 2, 1)
        following = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        return first, following - datetime.timedelta(days=1), f"Q{quarter} {year}"
    return None, today, today.strftime("%d-%m-%Y")


def compose(actor: Any, kind: str, options: Mapping[str, Any]) -> tuple[Document, dict]:
    """The report's document and the snapshot of what it shows."""
    programme = queries.programme(actor, options.get("programme", ""))
    today = timezone.localdate()
    first, last, period_label = period_of(kind, options, today)
    as_of = min(last, today)
    root = queries.tree(actor, programme, today=as_of)
    entries = [a for t in root.walk() for a in t.actions]
    latest = queries.latest_updates([e.action for e in entries], as_of)
    states: dict[str, ActionState] = {}
    fictitious = programme.fictitious
    for entry in entries:
        action, update = entry.action, latest.get(entry.action.pk)
        fictitious |= bool(update and update.fictitious)
        states[action.external_id] = ActionState(
            title=str(action),
            theme=str(action.theme or ""),
            status=update.status if update else Status.NOT_STARTED,
            progress=update.progress if update else 0,
            narrative=update.narrative if update else "",
            milestones_reached=[
                m.title for m in action.milestones.all() if m.achieved_on and m.achieved_on <= as_of
            ],
        )
    context = {
        "kind": kind,
        "first": first,
        "last": last,
        "as_of": as_of,
        "latest": latest,
        "states": states,
    }
    sections = [_theme_section(t, context) for t in root.children]
    if root.actions:
        sections.append(_theme_section(root, context, title=_("Zonder thema")))
    if kind == "programme-annual":
        sections.insert(0, _progress_chart_section(root))
        sections.append(_budget_section(programme, actor, first.year))
    elif kind == "programme-quarterly":
        sections.append(_budget_section(programme, actor, first.year))
    sections.append(_changes_section(programme, states, as_of))
    titles = {
        "programme-status": _("Stand van zaken"),
        "programme-annual": _("Jaarrapportage %(year)s") % {"year": period_label},
        "programme-quarterly": _("Kwartaalrapportage %(quarter)s") % {"quarter": period_label},
    }
    fictitious |= programme.budget_lines.filter(fictitious=True).exists()
    document = Document(
        title=f"{titles[kind]}: {programme.name}",
        subtitle=programme.description.split("\n")[0][:300],
        meta=(
            (_("Programma"), programme.name),
            (_("Periode programma"), programme.period_text),
            (_("Stand per"), as_of),
            (_("Aantal acties"), len(states)),
        ),
        sections=tuple(sections),
        notes=(_fictitious_note(),) if fictitious else (),
    )
    snapshot = {
        "kind": kind,
        "period": period_label,
        "as_of": as_of.isoformat(),
        "actions": {key: asdict(state) for key, state in states.items()},
    }
    return document, snapshot


def _fictitious_note() -> Note:
    return Note(
        _(
            "Dit rapport bevat fictieve voortgangsberichten of bedragen (demonstratiegegevens); "
            "ze zijn gemarkeerd met 'fictief'."
        ),
        kind="fictief",
    )


def _theme_section(entry, context, title: str | None = None) -> Section:
    theme = entry.theme
    blocks: list[Any] = []
    if theme and theme.description:
        blocks.append(Paragraph(theme.description))
    if entry.progress is not None:
        blocks.append(Paragraph(_("Voortgang (gewogen): %(p)s%%") % {"p": round(entry.progress)}))
    subsections = [_action_section(a.action, a.flags, context) for a in entry.actions]
    subsections += [_theme_section(child, context) for child in entry.children]
    heading = title or (f"{theme.code} {theme.title}".strip() if theme else "")
    return Section(heading, blocks=tuple(blocks), subsections=tuple(subsections))


def _action_section(action: Action, flags, context) -> Section:
    update = context["latest"].get(action.pk)
    status = Status(update.status).label if update else Status.NOT_STARTED.label
    facts = [
        (_("Status"), f"{status} ({update.progress if update else 0}%)"),
        (_("Laatste bericht"), update.date if update else _("nog geen")),
    ]
    if action.role_labels:
        facts.append((_("Rol provincie"), ", ".join(action.role_labels)))
    if action.lead_organisation:
        facts.append((_("Trekker"), action.lead_organisation.name))
    if action.period_text or action.start_date:
        facts.append((_("Periode"), action.period_text or action.start_date))
    blocks: list[Any] = []
    if action.description:
        blocks.append(Paragraph(action.description))
    blocks.append(Table(columns=(_("Gegeven"), _("Waarde")), rows=tuple(facts)))
    if action.expected_result:
        blocks.append(Paragraph(_("Beoogd resultaat: %(r)s") % {"r": action.expected_result}))
    state = update.narrative if update else ""
    label = _("Stand van zaken") + (
        " (" + _("fictief") + ")" if update and update.fictitious else ""
    )
    state = state or _("geen stand van zaken gemeld.")
    blocks.append(Paragraph(f"{label}: {state}"))
    if flags.stale:
        blocks.append(Note(_("Geen voortgangsbericht binnen de afgesproken termijn."), "warning"))
    milestones = list(action.milestones.all())
    if context["kind"] != "programme-status" and milestones:
        blocks.append(_milestone_table(milestones, context))
    return Section(str(action), blocks=tuple(blocks))


def _milestone_table(milestones, context) -> Table:
    first, last = context["first"], context["last"]
    rows = []
    for m in milestones:
        reached = m.achieved_on and m.achieved_on <= context["as_of"]
        in_period = reached and (first is None or m.achieved_on >= first) and m.achieved_on <= last
        rows.append(
            (
                m.title,
                m.period_text or m.planned_end,
                m.achieved_on if reached else "",
                _("bereikt in deze periode") if in_period else ("" if reached else _("open")),
            )
        )
    return Table(
        columns=(_("Mijlpaal"), _("Gepland"), _("Bereikt op"), _("Stand")),
        rows=tuple(rows),
        caption=_("Mijlpalen"),
    )


def _progress_chart_section(root) -> Section:
    values = [{"thema": str(t.theme), "voortgang": round(t.progress or 0)} for t in root.children]
    chart = Chart(
        spec=bar_chart(
            values,
            x="thema",
            y="voortgang",
            title=_("Voortgang per thema (%)"),
            x_title=_("Thema"),
            y_title=_("Voortgang (%)"),
            horizontal=True,
        ),
        title=_("Voortgang per thema"),
        description=_("Staafdiagram: gewogen voortgang van de acties per thema, in procenten."),
    )
    return Section(_("Overzicht"), blocks=(chart,))


def _budget_section(programme: Programme, actor: Any, year: int) -> Section:
    lines = [
        line
        for line in queries.budget_lines(actor, programme)
        if line.year is None or line.year == year
    ]
    rows = []
    for line in lines:
        owner = line.action or line.theme
        rows.append(
            (
                str(owner) if owner else _("Programma"),
                line.description + (" (" + _("fictief") + ")" if line.fictitious else ""),
                line.funding_source,
                line.budgeted,
                line.committed,
                line.spent,
            )
        )
    money = queries.budget_total(lines)
    rows.append((_("Totaal"), "", "", money.budgeted, money.committed, money.spent))
    blocks: list[Any] = [
        Table(
            columns=(
                _("Thema/actie"),
                _("Omschrijving"),
                _("Bron"),
                _("Begroot (EUR)"),
                _("Verplicht (EUR)"),
                _("Besteed (EUR)"),
            ),
            rows=tuple(rows) if lines else (),
            caption=_("Begroting %(year)s (regels zonder jaar tellen mee)") % {"year": year},
            empty_text=_("Geen begrotingsregels."),
        )
    ]
    if money.over_budget:
        blocks.append(Note(_("De uitgaven of verplichtingen zijn hoger dan begroot."), "warning"))
    return Section(_("Begroting"), blocks=tuple(blocks))


def _changes_section(
    programme: Programme, states: dict[str, ActionState], as_of: datetime.date
) -> Section:
    previous = queries.last_published(programme, as_of)
    if previous is None:
        return Section(
            _("Wijzigingen"), blocks=(Paragraph(_("Er is nog geen eerder rapport gepubliceerd.")),)
        )
    before = {
        key: ActionState.from_dict(value)
        for key, value in previous.snapshot.get("actions", {}).items()
    }
    rows = tuple(
        (
            change.title,
            CHANGE_LABELS[change.kind],
            _status_text(change.before) if change.kind == "status" else change.before,
            _status_text(change.after) if change.kind in ("status", "new") else change.after,
        )
        for change in changes_between(before, states)
    )
    intro = _("Sinds '%(title)s', gepubliceerd op %(date)s.") % {
        "title": previous.title,
        "date": timezone.localtime(previous.published_at).strftime("%d-%m-%Y"),
    }
    table = Table(
        columns=(_("Actie"), _("Wijziging"), _("Was"), _("Nu")),
        rows=rows,
        empty_text=_("Geen wijzigingen."),
    )
    return Section(_("Wijzigingen sinds het vorige rapport"), blocks=(Paragraph(intro), table))


def _status_text(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def builder(kind: str):
    def build(actor: Any, options: dict[str, Any]) -> Document:
        return compose(actor, kind, options)[0]

    return build


def publish(actor: Any, kind: str, options: Mapping[str, Any]) -> PublishedReport:
    """Render the report in every format and freeze it with its data."""
    document, snapshot = compose(actor, kind, options)
    programme = queries.programme(actor, options.get("programme", ""))
    files: dict[str, bytes | str] = {fmt: render(document, fmt) for fmt in ("pdf", "docx", "xlsx")}
    files["md"] = render(document, "md").decode("utf-8")
    return services.publish_report(
        actor,
        programme,
        kind=kind,
        title=document.title,
        options=dict(options),
        snapshot=snapshot,
        files=files,
    )
