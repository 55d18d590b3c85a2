"""Read the minutes ("verslag") of a meeting from the lines of a document.

Minutes reach us as Word files, PDFs or text extracted from them: the layout is gone, a blank line
follows almost every line (so blank lines mean nothing, as in ``documents``), sentences wrap over
visual lines and names may be redacted to "( )". What is left to go on are a few words:

- **Title** is the first line. **Blocks** start at a line "Aanwezig", "Afwezig", "Afwezig met
  kennisgeving" ("Afwezig m.k.", "Afgemeld"; "absent" keeps only those without notice), "Agenda …"
  and a line that is only "Verslag" or "Notulen"; inside the minutes these words are running text.
- The **date** is the first date before the first block, not in the whole text: the agenda names
  other meetings ("verslag d.d. 15 maart 2023"). Times ("14:00 - 15:30 uur", "van 14.00 tot 15.30")
  and place are the rest of that line, where minutes put them. Dates as ``core.dates`` reads
  them: "12-04-2023", "12/4/2023", "12.04.2023", "12 april 2023", "12 apr. 2023", "2023-04-12",
  "d.d." before any; four-digit years only (room "0.0.17" is no date); impossible ones
  ("31-02-2023") are skipped.
- **Attendees**: one a line, or comma-separated after "Aanwezig:". Kept is the organisation in the
  last brackets, else the role after a dash, else the entry, because names are often redacted and
  the organisation is what the programme tracks; three people of one organisation stay three.
- **Agenda**: a numbered line ("1.", "2.1") starts an item, other lines continue its wrapped title.
  A number already on the agenda means the minutes have begun without a "Verslag" heading.
- **Minutes**: a numbered line starts the section of that number, on the agenda or not (text before
  it goes under ""). Paragraphs start at a DOCX paragraph, a bullet, an action item, or a capital
  after a sentence end or a short line (a heading such as "Midden-Limburg").
- **Action items** start at a line beginning "Actiepunt:" or "Actie:" (any case, spaces optional),
  also after a section number ("2. Actiepunt: …"); mid-line it is running text. An item ends at its
  first sentence end: ")" or a "." that closes no abbreviation ("t.b.v.", "d.d."), at a line end or
  before a capital. Unfinished, it goes on to the next line only if that starts in lower case, with
  "(", a digit or an acronym ("BOM’s Wonen."): a capitalised word is the discussion under an old
  action point repeated as a heading without a full stop. A DOCX paragraph is whole, unless the next
  is only the owner in brackets. The **owner** is the last bracketed group at the end ("(LLTB, LWV)"
  -> "LLTB, LWV", "( )" -> ""), even a place ("(gemeente Heerlen)"): the secretary corrects it.
  **Due** is the first date in the item. Every occurrence is listed in document order: minutes
  repeat an old action point above its follow-up, then state the new one; the secretary decides.

A missing date or agenda is a ``MinutesProblem`` (line 0: the whole document), not an exception, so
the user sees every remark at once. No action items is no problem: some meetings decide nothing.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from waardig.core.dates import find_date
from waardig.core.imports.documents import Line

_TIMES = re.compile(
    r"[\s,;:|–-]*(?:(?:van|om|aanvang|tijd)\s*:?\s*)?([01]?\d|2[0-3])[:.]([0-5]\d)(?:\s*uur)?"
    r"(?:\s*(?:-|–|tot)\s*([01]?\d|2[0-3])[:.]([0-5]\d))?(?:\s*uur\b)?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(\d{1,2}\.(?:\d{1,2}(?:\.\d{1,2})?\.?)?)(?=\s|$|[^\W\d_])\s*")
_ACTION = re.compile(r"actie(?:punt)?\s*:\s*(.*)", re.IGNORECASE)
_BLOCKS = [
    (name, re.compile(rf"{pattern}\s*:?\s*(.*)", re.IGNORECASE))
    for name, pattern in (
        ("absent_with_notice", r"(?:afwezig\s+(?:met\s+kennisgeving\b|m\.\s*k\.)|afgemeld\b)"),
        ("absent", r"afwezig\b"),
        ("present", r"aanwezig(?:en)?\b"),
        ("agenda", r"agenda\b(?![’'])"),
        ("minutes", r"(?:verslag|notulen)\s*:?$"),
    )
]
_OWNER = re.compile(r"\(([^()]*)\)[\s.;]*$")
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:\w\.)+\w?\.?$|\b(?:bijv|ca|nr|incl|excl|dhr|mevr|mw|jl|resp)\.$", re.IGNORECASE
)
_ACRONYM = re.compile(r"[A-Z]{2,}(?![a-z])")
_SHORT = 50  # a line this short that does not end a sentence is a heading or ends a paragraph
_ATTENDEES = ("present", "absent", "absent_with_notice")  # in the order of ProposedMinutes


@dataclass(frozen=True)
class ProposedActionItem:
    line: int
    text: str
    owner: str
    due: datetime.date | None
    agenda_number: str


@dataclass(frozen=True)
class ProposedAgendaItem:
    number: str
    title: str


@dataclass(frozen=True)
class ProposedMinutes:
    """What the document says about the meeting, for the secretary to review (not yet models)."""

    title: str
    date: datetime.date | None
    start: datetime.time | None
    end: datetime.time | None
    place: str
    present: list[str]
    absent: list[str]
    absent_with_notice: list[str]
    agenda: list[ProposedAgendaItem]
    minutes: dict[str, str]
    action_items: list[ProposedActionItem]


@dataclass(frozen=True)
class MinutesProblem:
    """A remark on the document; line 0 means the document as a whole."""

    line: int
    message: str


def parse_minutes(lines: list[Line]) -> tuple[ProposedMinutes, list[MinutesProblem]]:
    """Read title, date, attendees, agenda, minutes and action items; see the module docstring."""
    reader = _Reader()
    for line in lines:
        reader.feed(line)
    reader.close_item()
    return reader.result()


def _sentence_end(text: str) -> int | None:
    """Where the first sentence of ``text`` ends (see the module docstring), None if it runs on."""
    for match in re.finditer(r"\)\.?|\.", text):
        rest = text[match.end() :]
        if rest.strip() and not re.match(r"\s+[A-Z“\"‘(]", rest):
            continue
        if match.group() == "." and _ABBREVIATION.search(text[: match.end()]):
            continue
        return match.end()
    return None


def _join(text: str, more: str) -> str:
    """Join wrapped lines; a line ending in "Midden-" goes on with "Limburg", no space."""
    if not text:
        return more
    glue = "" if re.search(r"\w-$", text) and more[:1].isupper() else " "
    return f"{text}{glue}{more}"


def _ends_sentence(text: str) -> bool:
    return text.endswith((".", ")", ".”", "?", "!", ":")) and not _ABBREVIATION.search(text)


def _attendee(entry: str) -> str:
    owner = _OWNER.search(entry)
    if owner and owner.group(1).strip():
        return owner.group(1).strip()
    entry = re.sub(r"\(\s*\)", "", entry)
    return re.split(r"\s+[-–—]\s+", entry)[-1].strip(" -–—,;.")


@dataclass
class _Item:
    line: Line
    section: str
    text: str = ""
    done: bool = False

    def add(self, text: str) -> None:
        self.text = _join(self.text, text)
        end = _sentence_end(self.text)
        if end is not None:
            self.text, self.done = self.text[:end], True

    def proposed(self) -> ProposedActionItem:
        owner = _OWNER.search(self.text)
        text = (self.text[: owner.start()] if owner else self.text).rstrip()
        due = find_date(self.text)
        return ProposedActionItem(
            self.line.number,
            text if _ABBREVIATION.search(text) else text.rstrip(" .;"),
            owner.group(1).strip() if owner else "",
            due[0] if due else None,
            self.section,
        )


@dataclass
class _Reader:
    title: str = ""
    date: datetime.date | None = None
    times: tuple[datetime.time | None, datetime.time | None] = (None, None)
    place: str = ""
    block: str = "header"
    attendees: dict[str, list[str]] = field(default_factory=lambda: {b: [] for b in _ATTENDEES})
    agenda: list[list[str]] = field(default_factory=list)
    section: str = ""
    sections: dict[str, list[str]] = field(default_factory=dict)  # number -> paragraphs
    previous: str = ""
    item: _Item | None = None
    items: list[ProposedActionItem] = field(default_factory=list)

    def feed(self, line: Line) -> None:
        text = line.text
        block = None
        if self.title and self.block != "minutes":
            block = next(((n, m[1].strip()) for n, p in _BLOCKS if (m := p.match(text))), None)
        if block:
            self.close_item()
            self.block, rest = block
            for entry in re.split(r"[,;](?![^()]*\))", rest) if self.block in _ATTENDEES else ():
                self._attend(entry)
            return
        if self.block in _ATTENDEES:
            self._attend(text)
            return
        number = _NUMBER.match(text) if self.block in ("agenda", "minutes") else None
        key = number.group(1).rstrip(".") if number else ""
        body = text[number.end() :] if number else text
        if self.block == "agenda" and not (number and key in {n for n, _t in self.agenda}):
            if number:
                self.agenda.append([key, body])
            elif self.agenda:
                self.agenda[-1][1] = _join(self.agenda[-1][1], text)
            return
        self.block = "minutes" if self.block == "agenda" else self.block
        action = _ACTION.match(body)
        new = line.paragraph or line.bullet or bool(number or action)
        if self.item and (number or action or line.bullet or not self._continues(line)):
            self.close_item()
            new = True
        elif self.item:
            self._grow(text)
        self.section = key or self.section
        if action:
            self.item = _Item(line, self.section)
            self._grow(action.group(1))
        if self.block == "header":
            self.title = self.title or text
            self._header(text)
        elif body:
            previous = self.previous
            ended = _ends_sentence(previous) or (len(previous) < _SHORT and previous[-1:] != "-")
            paragraphs = self.sections.setdefault(self.section, [])
            if new or not paragraphs or (ended and body[:1].isupper()):
                paragraphs.append(body)
            else:
                paragraphs[-1] = _join(paragraphs[-1], body)
            self.previous = text

    def _continues(self, line: Line) -> bool:
        if not self.item.text:  # "Actiepunt:" alone on its line, the text follows
            return True
        if line.paragraph or self.item.line.paragraph:
            return bool(re.fullmatch(r"\([^()]*\)[.;]?", line.text))
        first = line.text[:1]
        return first.islower() or first in "(0123456789" or bool(_ACRONYM.match(line.text))

    def _grow(self, text: str) -> None:
        self.item.add(text)
        if self.item.done:
            self.close_item()

    def close_item(self) -> None:
        if self.item is not None:
            self.items.append(self.item.proposed())
            self.item = None

    def _attend(self, entry: str) -> None:
        if value := _attendee(entry):
            self.attendees[self.block].append(value)

    def _header(self, text: str) -> None:
        found = find_date(text) if self.date is None else None
        if found:
            self.date, rest = found[0], text[found[1] :]
            if times := _TIMES.match(rest):
                h1, m1, h2, m2 = map(int, (g or 0 for g in times.groups()))
                self.times = (datetime.time(h1, m1), datetime.time(h2, m2) if times[3] else None)
                rest = rest[times.end() :]
            self.place = rest.strip(" ,;:-–|")

    def result(self) -> tuple[ProposedMinutes, list[MinutesProblem]]:
        problems = [MinutesProblem(0, message) for missing, message in (
            (self.date is None, _("Geen vergaderdatum gevonden: zet de datum (zoals 12-04-2023 of "
                                  "12 april 2023) bovenaan, vóór “Aanwezig” en “Agenda”.")),
            (not self.agenda, _("Geen agenda gevonden: zet onder een regel “Agenda” de genummerde "
                                "agendapunten (1., 2., …).")),
        ) if missing]  # fmt: skip
        minutes = ProposedMinutes(
            self.title, self.date, *self.times, self.place,
            *(self.attendees[block] for block in _ATTENDEES),
            [ProposedAgendaItem(number, title) for number, title in self.agenda],
            {key: "\n\n".join(paragraphs) for key, paragraphs in self.sections.items()},
            self.items,
        )  # fmt: skip
        return minutes, problems
