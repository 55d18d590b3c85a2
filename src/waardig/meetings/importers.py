"""Minutes of a meeting held before Waardig (DOCX, PDF, TXT) through the import framework.

One document is one meeting. Its rows are the meeting itself (date, times, place, attendees,
agenda) and each action item, so the preview lists every "Actiepunt:" with the line to find it
at; the parser's remarks become errors of their lines. On commit the meeting row saves the whole
meeting in one service call (``record_meeting``); the action-item rows are part of it. On the web
the secretary reviews and corrects the proposal first (``meetings.review``), so the generic
upload page sends minutes there.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core.access import CHANGE, may, scope
from waardig.core.imports import Column, Importer, Item, Option, RowError
from waardig.core.imports.documents import DOCUMENT_FORMATS, read_lines
from waardig.core.imports.readers import Table
from waardig.meetings import services
from waardig.meetings.minutes import parse_minutes
from waardig.meetings.models import Body, Meeting
from waardig.meetings.rules import agenda_title

BODY_OPTION = Option("body", gettext_lazy("korte naam (slug) van het overleg"), True)
MEETING, ACTION_ITEM, PROBLEM = "meeting", "action_item", "problem"


def body_for(actor: Any, slug: str) -> Body:
    """The body the minutes belong to; unknown and invisible bodies are the same error."""
    body = scope(actor, Body.objects.all()).filter(slug=slug).first()
    if body is None:
        raise RowError("body", _("Onbekend overleg '%(slug)s'.") % {"slug": slug})
    if not may(actor, CHANGE, Meeting):
        raise RowError(
            "body", _("U mag geen vergaderingen van %(body)s vastleggen.") % {"body": body}
        )
    return body


class MinutesImporter(Importer):
    kind = "minutes"
    label = gettext_lazy("Verslag van een vergadering (document)")
    model = Meeting
    formats = DOCUMENT_FORMATS
    columns = (Column("part"), Column("index"))
    options = (BODY_OPTION,)
    upload_url_name = "minutes-import-start"
    document_shape = gettext_lazy(
        "Een Word-, PDF- of tekstbestand zoals de verslagen van de Taskforce: bovenaan de titel "
        "en een regel met datum, tijd en plaats; dan blokken 'Aanwezig', 'Afwezig' (of 'Afwezig "
        "met kennisgeving'), 'Agenda' met genummerde punten en 'Verslag' met de tekst per punt. "
        "Elk besluit dat opvolging vraagt staat op een regel 'Actiepunt: …', met de eigenaar "
        "tussen haakjes aan het eind."
    )

    def read(self, data: bytes, filename: str) -> Table:
        lines = read_lines(data, filename)
        self.filename = filename
        self.minutes, self.problems = parse_minutes(lines)
        rows = [(lines[0].number, {"part": MEETING, "index": "0"})]  # the title heads the header
        rows += [
            (item.line, {"part": ACTION_ITEM, "index": str(index)})
            for index, item in enumerate(self.minutes.action_items)
        ]
        rows += [
            (problem.line, {"part": PROBLEM, "index": str(index)})
            for index, problem in enumerate(self.problems)
        ]
        return Table(columns=["part", "index"], rows=rows)

    def prepare(self) -> None:
        self.body = body_for(self.actor, self.options.get("body", ""))
        date = self.minutes.date
        # Read before: the same minutes again change nothing (idempotent, as every import);
        # a meeting planned in Waardig on that day without minutes is no reason to skip them.
        recorded = self.body.meetings.filter(date=date, minutes__isnull=False)
        self.recorded = date is not None and recorded.exists()

    def validate(self, row: int, values: dict[str, str]) -> Item:
        part, index = values["part"], int(values["index"])
        if part == PROBLEM:
            raise RowError("", self.problems[index].message)
        if part == ACTION_ITEM:
            item = self.minutes.action_items[index]
            label = agenda_title(item.text, item.owner)
            return Item(row, (ACTION_ITEM, index), label, {"item": item})
        if not self.recorded and (message := services.recording_problem(self.body, self.minutes)):
            raise RowError("date", message)
        date = self.minutes.date
        facts = {"body": self.body, "date": date.strftime("%d-%m-%Y") if date else "?"}
        if self.recorded:
            label = (
                _(
                    "Vergadering van %(body)s op %(date)s bestaat al: het verslag wordt niet "
                    "opnieuw ingelezen."
                )
                % facts
            )
        else:
            label = _("Vergadering van %(body)s op %(date)s") % facts
        return Item(row, (MEETING,), label, {})

    def plan(self, item: Item) -> str:
        return "unchanged" if self.recorded else "created"

    def describe(self, item: Item) -> dict[str, Any]:
        if item.key[0] == ACTION_ITEM:
            action = item.values["item"]
            return {
                "part": ACTION_ITEM,
                "text": action.text,
                "owner": action.owner,
                "due": action.due.isoformat() if action.due else None,
                "agenda_number": action.agenda_number,
            }
        minutes = self.minutes
        return {
            "part": MEETING,
            "title": minutes.title,
            "date": minutes.date.isoformat() if minutes.date else None,
            "start": minutes.start.strftime("%H:%M") if minutes.start else None,
            "end": minutes.end.strftime("%H:%M") if minutes.end else None,
            "place": minutes.place,
            "present": minutes.present,
            "absent_with_notice": minutes.absent_with_notice,
            "absent": minutes.absent,
            "agenda": [{"number": a.number, "title": a.title} for a in minutes.agenda],
            "minutes": sorted(number for number, text in minutes.minutes.items() if text.strip()),
        }

    def write(self, item: Item) -> None:
        if item.key[0] == MEETING:  # the action items are saved with their meeting
            services.record_meeting(self.actor, self.body, self.minutes, source=self.filename)
