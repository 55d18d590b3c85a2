"""Actions as a table (the same columns in and out) and action-list documents (DOCX/PDF/TXT)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core.dates import parse_date
from waardig.core.imports import Column, Importer, Item, Option, RowError, RowErrors
from waardig.core.imports.documents import DOCUMENT_FORMATS, read_lines
from waardig.core.imports.readers import Table, UnreadableFile
from waardig.organisations.models import Organisation, Person
from waardig.programme import queries, services
from waardig.programme.action_list import DEFAULT_THEMES, parse_action_list
from waardig.programme.models import ACTION_FIELDS, Action, Programme, ProvinceRole, Status, Theme

PROGRAMME_OPTION = Option("programme", gettext_lazy("korte naam (slug) van het programma"), True)
LIST_SEPARATOR = ";"
PATH_SEPARATOR = " > "

ACTION_COLUMNS = (
    Column("external_id", help=gettext_lazy("Kenmerk: vaste sleutel van de actie")),
    Column("theme", required=False, help=gettext_lazy("Nummer of titel van thema/doel")),
    Column("code", required=False, help=gettext_lazy("Nummer van de actie")),
    Column("title", help=gettext_lazy("Titel")),
    Column("description", required=False, help=gettext_lazy("Omschrijving")),
    Column(
        "roles",
        required=False,
        help=format_lazy(
            "{}: {}",
            gettext_lazy("Rol(len) van de provincie, gescheiden door ';'"),
            ", ".join(ProvinceRole.values),
        ),
    ),
    Column("lead_organisation", required=False, help=gettext_lazy("Trekker (organisatienaam)")),
    Column("partners", required=False, help=gettext_lazy("Partners, gescheiden door ';'")),
    Column("responsible", required=False, help=gettext_lazy("E-mail van de verantwoordelijke")),
    Column("expected_result", required=False, help=gettext_lazy("Beoogd resultaat")),
    Column("programme_line", required=False, help=gettext_lazy("Programmalijn")),
    Column("period", required=False, help=gettext_lazy("Periode zoals geschreven")),
    Column("start_date", required=False, help=gettext_lazy("Begin (JJJJ-MM-DD)")),
    Column("end_date", required=False, help=gettext_lazy("Einde (JJJJ-MM-DD)")),
    Column("weight", required=False, help=gettext_lazy("Gewicht in de voortgang (standaard 1)")),
    Column(
        "status",
        required=False,
        help=format_lazy("{}: {}", gettext_lazy("Laatste status"), ", ".join(Status.values)),
    ),
    Column("progress", required=False, help=gettext_lazy("Voortgang 0-100")),
    Column("status_date", required=False, help=gettext_lazy("Datum van de status (JJJJ-MM-DD)")),
    Column("narrative", required=False, help=gettext_lazy("Stand van zaken")),
)
COMPARED_FIELDS = [name for name in ACTION_FIELDS if name != "partners"]  # m2m: compared apart


def theme_key(theme: Theme) -> str:
    """How a file names a theme: its number, else its path of titles ("Wonen > Algemeen"),
    so two themes with the same title under different parents stay apart."""
    if theme.code:
        return theme.code
    titles, node = [], theme
    while node is not None:
        titles.append(node.title)
        node = node.parent
    return PATH_SEPARATOR.join(reversed(titles))


def action_row(action: Action, latest: Any = None) -> list[Any]:
    """One action as the export writes it and the import reads it back."""
    return [
        action.external_id,
        theme_key(action.theme) if action.theme else "",
        action.code,
        action.title,
        action.description,
        LIST_SEPARATOR.join(action.roles or []),
        action.lead_organisation.name if action.lead_organisation else "",
        LIST_SEPARATOR.join(sorted(p.name for p in action.partners.all())),
        action.responsible.email if action.responsible else "",
        action.expected_result,
        action.programme_line,
        action.period_text,
        action.start_date.isoformat() if action.start_date else "",
        action.end_date.isoformat() if action.end_date else "",
        f"{action.weight.normalize():f}",
        latest.status if latest else "",
        latest.progress if latest else "",
        latest.date.isoformat() if latest else "",
        latest.narrative if latest else "",
    ]


class ProgrammeImporter(Importer):
    """Shared by both action imports: the programme option and the actions already there."""

    options = (PROGRAMME_OPTION,)

    def prepare(self) -> None:
        slug = self.options.get("programme", "")
        try:
            self.programme = queries.programme(self.actor, slug)
        except Programme.DoesNotExist:
            message = _("Onbekend programma '%(slug)s'.") % {"slug": slug}
            raise RowError("programme", message) from None
        self.themes = list(self.programme.themes.select_related("parent__parent__parent"))
        self.existing = {a.external_id: a for a in queries.actions(self.actor, self.programme)}
        latest = queries.latest_updates(list(self.existing.values()))
        self.latest = {a.external_id: latest.get(a.pk) for a in self.existing.values()}

    def theme_for(self, text: str) -> Theme | None:
        """The theme a file names by number, by path of titles, or by a title used once."""
        lowered = text.strip().lower()
        by_code = [t for t in self.themes if t.code and t.code.lower() == lowered]
        by_path = [t for t in self.themes if theme_key(t).lower() == lowered]
        by_title = [t for t in self.themes if t.title.lower() == lowered]
        for found in (by_code, by_path, by_title):
            if len(found) == 1:
                return found[0]
        return None

    def status_changed(self, key: str, status: str, progress: int, narrative: str) -> bool:
        latest = self.latest.get(key)
        if latest is None:
            return status != Status.NOT_STARTED or bool(narrative) or progress != 0
        return (latest.status, latest.progress, latest.narrative) != (status, progress, narrative)

    def write_theme(self, title: str, label: str = "thema") -> Theme:
        theme = self.theme_for(title)
        if theme is None:
            theme = services.save_theme(
                self.actor, self.programme, title=title, label=label, order=len(self.themes) + 1
            )
            self.themes.append(theme)
        return theme


class ActionsImporter(ProgrammeImporter):
    kind = "actions"
    label = gettext_lazy("Acties van een programma (tabel)")
    model = Action
    columns = ACTION_COLUMNS

    def prepare(self) -> None:
        super().prepare()
        self.organisations = {o.name.lower(): o for o in Organisation.objects.all()}
        self.people = {p.email: p for p in Person.objects.exclude(email="")}

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        key = values["external_id"]
        if not key:
            errors.add("external_id", _("Kenmerk ontbreekt."))
        if not values["title"]:
            errors.add("title", _("Titel ontbreekt."))
        roles = _split(values.get("roles", ""))
        for role in roles:
            if role not in ProvinceRole.values:
                errors.add("roles", _("Onbekende rol '%(value)s'.") % {"value": role})
        lead = self._organisation(values.get("lead_organisation", ""), "lead_organisation", errors)
        partners = [
            self._organisation(name, "partners", errors)
            for name in _split(values.get("partners", ""))
        ]
        responsible = None
        if email := values.get("responsible", "").lower():
            responsible = self.people.get(email)
            if responsible is None:
                errors.add("responsible", _("Onbekende persoon '%(value)s'.") % {"value": email})
        start = _date(values, "start_date", errors)
        end = _date(values, "end_date", errors)
        if start and end and end < start:
            errors.add("end_date", _("Het einde ligt voor het begin."))
        weight = _decimal(values.get("weight", ""), "weight", errors)
        status, progress, status_date = self._status(values, errors)
        errors.raise_if_any()
        theme_text = values.get("theme", "")
        fields = {
            "theme": self.theme_for(theme_text) if theme_text else None,
            "code": values.get("code", ""),
            "title": values["title"],
            "description": values.get("description", ""),
            "roles": roles,
            "lead_organisation": lead,
            "responsible": responsible,
            "expected_result": values.get("expected_result", ""),
            "programme_line": values.get("programme_line", ""),
            "period_text": values.get("period", ""),
            "start_date": start,
            "end_date": end,
            "weight": weight,
        }
        fields["start_date"], fields["end_date"] = services.interpreted_dates(
            fields["period_text"], start, end
        )
        label = f"{key}: {values['title']}"
        if theme_text and fields["theme"] is None:
            label += " " + _("(nieuw thema '%(theme)s')") % {"theme": theme_text}
        return Item(
            row=row,
            key=(key,),
            label=label,
            values=fields,
            extra={
                "theme_text": theme_text,
                "partners": partners,
                "status": (status, progress, status_date, values.get("narrative", "")),
            },
        )

    def _organisation(self, name: str, column: str, errors: RowErrors) -> Organisation | None:
        if not name:
            return None
        found = self.organisations.get(name.lower())
        if found is None:
            errors.add(column, _("Onbekende organisatie '%(value)s'.") % {"value": name})
        return found

    def _status(self, values: dict[str, str], errors: RowErrors):
        status = values.get("status", "") or Status.NOT_STARTED
        if status not in Status.values:
            errors.add("status", _("Onbekende status '%(value)s'.") % {"value": status})
            status = Status.NOT_STARTED
        progress_text = values.get("progress", "")
        progress = Status(status).default_progress
        if progress_text:
            try:
                progress = int(progress_text)
            except ValueError:
                progress = -1
            if not 0 <= progress <= 100:
                errors.add("progress", _("Geef een geheel getal van 0 tot en met 100."))
        status_date = _date(values, "status_date", errors)
        if status_date and status_date > timezone.localdate():
            errors.add("status_date", _("Deze datum ligt in de toekomst."))
        return status, progress, status_date

    def plan(self, item: Item) -> str:
        action = self.existing.get(item.key[0])
        status, progress, __, narrative = item.extra["status"]
        status_new = self.status_changed(item.key[0], status, progress, narrative)
        if action is None:
            return "created"
        current = {name: getattr(action, name) for name in COMPARED_FIELDS}
        wanted = dict(item.values)
        if item.extra["theme_text"] and wanted["theme"] is None:
            return "updated"
        partners = {p.pk for p in item.extra["partners"]}
        same_partners = partners == {p.pk for p in action.partners.all()}
        return "unchanged" if current == wanted and same_partners and not status_new else "updated"

    def write(self, item: Item) -> None:
        values = dict(item.values)
        if item.extra["theme_text"] and values["theme"] is None:
            values["theme"] = self.write_theme(item.extra["theme_text"])
        action = services.save_action(
            self.actor,
            self.programme,
            self.existing.get(item.key[0]),
            external_id=item.key[0],
            partners=item.extra["partners"],
            **values,
        )
        status, progress, status_date, narrative = item.extra["status"]
        if self.status_changed(item.key[0], status, progress, narrative):
            services.add_status_update(
                self.actor,
                action,
                status=status,
                progress=progress,
                narrative=narrative,
                date=status_date,
            )


class ActionListImporter(ProgrammeImporter):
    """An action-list document: theme headings, "Actie: ..." headings, goal, state of affairs."""

    kind = "action-list"
    label = gettext_lazy("Actielijst (document)")
    model = Action
    formats = DOCUMENT_FORMATS
    columns = (Column("theme"), Column("title"), Column("goal"), Column("state"))
    options = (
        PROGRAMME_OPTION,
        Option(
            "themes",
            format_lazy(
                "{} ({}: {})",
                gettext_lazy("thema-koppen, gescheiden door komma's"),
                gettext_lazy("standaard"),
                ", ".join(DEFAULT_THEMES),
            ),
        ),
    )
    document_shape = gettext_lazy(
        "Een Word-, PDF- of tekstbestand zoals de actielijst van de Stuurgroep: thema-koppen "
        "(standaard Wonen, Werken, Samenleven, Algemeen; in Word ook elke kop-stijl) op een "
        "eigen regel, elke actie begint met een regel 'Actie: titel', gevolgd door het doel "
        "(de eerste zin) en de stand van zaken. Elke actie wordt een actie onder haar thema, "
        "met de stand van zaken als eerste voortgangsbericht."
    )

    def read(self, data: bytes, filename: str) -> Table:
        themes = [t.strip() for t in self.options.get("themes", "").split(",") if t.strip()]
        lines = read_lines(data, filename)
        listed, problems = parse_action_list(lines, themes or DEFAULT_THEMES)
        self.document_title = lines[0].text[:200] if lines else ""
        if problems:
            raise UnreadableFile(
                "; ".join(
                    _("regel %(line)s: %(message)s") % {"line": p.line, "message": p.message}
                    for p in problems
                )
            )
        return Table(
            columns=["theme", "title", "goal", "state"],
            rows=[
                (a.line, {"theme": a.theme, "title": a.title, "goal": a.goal, "state": a.state})
                for a in listed
            ],
        )

    def prepare(self) -> None:
        """An unknown programme is created from the document (its first line is the name)."""
        self.per_theme: dict[str, int] = {}
        slug = self.options.get("programme", "")
        if queries.programmes(self.actor).filter(slug=slug).exists():
            super().prepare()
            return
        if not slug or slugify(slug) != slug:
            raise RowError("programme", _("Geef een korte naam van kleine letters en streepjes."))
        self.programme, self.themes, self.existing, self.latest = None, [], {}, {}

    def state_is_new(self, key: str, state: str) -> bool:
        """A state of affairs already in the action's history is not added again, so
        re-reading a document never overrides progress reported since."""
        action = self.existing.get(key)
        if not state:
            return False
        return action is None or not action.updates.filter(narrative=state).exists()

    def describe(self, item: Item) -> dict[str, Any]:
        return {
            "theme": item.extra["theme"],
            "title": item.values["title"],
            "goal": item.values["description"],
            "state": item.extra["state"],
        }

    def validate(self, row: int, values: dict[str, str]) -> Item:
        # Keyed by theme and title, so an action added to the document moves no other key;
        # a title used twice in one theme gets a number (huisvesting, huisvesting-2).
        base = f"{_slug(values['theme'])[:15]}/{_slug(values['title'])[:28]}"  # fits 50
        number = self.per_theme[base] = self.per_theme.get(base, 0) + 1
        key = base if number == 1 else f"{base}-{number}"
        return Item(
            row=row,
            key=(key,),
            label=f"{values['theme']} / {values['title']}",
            values={"title": values["title"], "description": values["goal"]},
            extra={"theme": values["theme"], "state": values["state"]},
        )

    def plan(self, item: Item) -> str:
        action = self.existing.get(item.key[0])
        state = item.extra["state"]
        status_new = self.state_is_new(item.key[0], state)
        if action is None:
            return "created"
        theme = self.theme_for(item.extra["theme"])
        same = (
            theme is not None
            and action.theme_id == theme.pk
            and (action.title, action.description)
            == (item.values["title"], item.values["description"])
        )
        return "unchanged" if same and not status_new else "updated"

    def write(self, item: Item) -> None:
        if self.programme is None:
            self.programme = services.save_programme(
                self.actor,
                slug=self.options["programme"],
                name=self.document_title or self.options["programme"],
            )
        theme = self.write_theme(item.extra["theme"])
        action = services.save_action(
            self.actor,
            self.programme,
            self.existing.get(item.key[0]),
            external_id=item.key[0],
            theme=theme,
            order=item.row,
            **item.values,
        )
        state = item.extra["state"]
        if self.state_is_new(item.key[0], state):
            services.add_status_update(
                self.actor, action, status=Status.RUNNING, progress=50, narrative=state
            )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def _slug(text: str) -> str:
    return slugify(text) or "thema"


def _date(values: dict[str, str], column: str, errors: RowErrors) -> datetime.date | None:
    try:
        return parse_date(values.get(column, ""))
    except ValueError as exc:
        errors.add(column, str(exc))
        return None


def _decimal(text: str, column: str, errors: RowErrors) -> Decimal:
    if not text:
        return Decimal(1)
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if value < 0 or not value.is_finite():
        errors.add(column, _("Geef een getal van 0 of meer."))
        return Decimal(1)
    return value
