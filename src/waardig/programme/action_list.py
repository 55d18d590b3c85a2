"""Read a steering group's action list ("actielijst") from the lines of a document.

The province keeps its action list as a document, and what reaches us is usually a PDF or a
text extraction of one: the layout is gone, a blank line may follow every line, paragraphs are
wrapped into visual lines. What is left to go on are a few words, so these rules decide:

- A **theme** is a line whose whole text (case-insensitive, a trailing ":" ignored) is one of
  the known themes, or a DOCX paragraph with a Heading style that does not start with
  "Actie:" (a heading is a theme of its own name even if not in the list). Themes are matched
  by name because a short line such as a place name ending a paragraph looks just like one.
- An **action** starts at a line that begins with "Actie:" (any case, space optional: the
  extraction of "Actie: Monitoring" may read "Actie:Monitoring"); the rest of that line is
  its title. "Actie:" in the middle of a line is running text, not a heading. The action's
  text runs up to the next action or theme. Text before the first theme (title, intro) is
  not an action.
- The **goal** is the first sentence of that text. From a DOCX, where a line is a whole
  paragraph, it is the first paragraph. Otherwise it is the lines up to and including the
  first line that ends a sentence (".", ".)", ".”", '."') or introduces a list (":"). When
  no line does, all text is the goal. When that "goal" holds several sentences and nothing
  follows it, the action has no goal written down: its text is the state of affairs (a goal
  is one sentence; a list is kept for its state of affairs).
- The **state of affairs** ("stand van zaken") is the rest. Its lines are joined with spaces
  into paragraphs, and paragraphs with a blank line. A new paragraph starts at a bullet, at
  "Voorstel:", at a DOCX paragraph, and where the previous line ended a sentence and this one
  starts with a capital or digit (a wrapped sentence rarely ends exactly at a line end, a
  paragraph always does).

Anything that cannot be read this way is reported as an ``ActionListProblem`` with its line
number instead of raised, so the user sees every remark at once.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from waardig.core.imports.documents import Line

DEFAULT_THEMES = ("Wonen", "Werken", "Samenleven", "Algemeen")

_MID_SENTENCE_END = re.compile(r"[.;] +\S")
_HEADING = re.compile(r"actie\s*:(.*)", re.IGNORECASE)
_SENTENCE_ENDS = (".", ".)", ".”", '."', ":")
_PROPOSAL = re.compile(r"voorstel\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class ListedAction:
    """One action of the list as read from the document (not yet a model)."""

    line: int
    theme: str
    title: str
    goal: str
    state: str


@dataclass(frozen=True)
class ActionListProblem:
    """A remark on the document; line 0 means the document as a whole."""

    line: int
    message: str


@dataclass
class _Open:
    line: Line
    title: str
    theme: str | None
    body: list[Line] = field(default_factory=list)


def parse_action_list(
    lines: list[Line], themes: Sequence[str] = DEFAULT_THEMES
) -> tuple[list[ListedAction], list[ActionListProblem]]:
    """Find the actions under their themes; see the module docstring for the rules."""
    known = {_theme_key(theme): theme for theme in themes}
    actions: list[ListedAction] = []
    problems: list[ActionListProblem] = []
    theme: str | None = None
    current: _Open | None = None
    for line in lines:
        heading = _HEADING.match(line.text)
        found = None if heading else _theme_of(line, known)
        if (heading or found) and current is not None:
            _finish(current, actions, problems)
            current = None
        if found:
            theme = found
        elif heading:
            current = _Open(line, heading.group(1).strip(), theme)
        elif current is not None:
            current.body.append(line)
    if current is not None:
        _finish(current, actions, problems)
    if not actions:
        problems.append(
            ActionListProblem(
                0,
                _(
                    "Geen acties gevonden: een actie begint met een regel “Actie: …” onder een "
                    "thema (%(themes)s)."
                )
                % {"themes": ", ".join(themes)},
            )
        )
    return actions, problems


def _theme_key(text: str) -> str:
    return text.strip().rstrip(":").strip().casefold()


def _theme_of(line: Line, known: dict[str, str]) -> str | None:
    key = _theme_key(line.text)
    if key in known:
        return known[key]
    if line.heading and key:
        return line.text.strip().rstrip(":").strip()
    return None


def _finish(action: _Open, actions: list[ListedAction], problems: list[ActionListProblem]) -> None:
    number = action.line.number
    goal, state = _split(action.body)
    messages = []
    if action.theme is None:
        messages.append(_("Actie staat vóór het eerste thema; zet er een thema boven."))
    if not action.title:
        messages.append(_("Actie zonder naam: zet de naam achter “Actie:”."))
    if not goal and not state:
        messages.append(_("Actie zonder doel en zonder stand van zaken."))
    if messages or action.theme is None:
        problems.extend(ActionListProblem(number, message) for message in messages)
        return
    actions.append(ListedAction(number, action.theme, action.title, goal, state))


def _ends_sentence(text: str) -> bool:
    return text.endswith(_SENTENCE_ENDS)


def _split(body: list[Line]) -> tuple[str, str]:
    """Split an action's text into goal and state of affairs."""
    if not body:
        return "", ""
    if body[0].paragraph:
        cut = 1
    else:
        ends = [i for i, line in enumerate(body) if _ends_sentence(line.text)]
        cut = ends[0] + 1 if ends else len(body)
        if cut == len(body) and _MID_SENTENCE_END.search(_join(body)):
            return "", "\n\n".join(_join(p) for p in _paragraphs(body))
    return _join(body[:cut]), "\n\n".join(_join(p) for p in _paragraphs(body[cut:]))


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    paragraphs: list[list[Line]] = []
    for line in lines:
        if not paragraphs or _starts_paragraph(paragraphs[-1][-1], line):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def _starts_paragraph(previous: Line, line: Line) -> bool:
    if line.paragraph or line.bullet or _PROPOSAL.match(line.text):
        return True
    first = line.text[0]
    return _ends_sentence(previous.text) and (first.isupper() or first.isdigit())


def _join(lines: list[Line]) -> str:
    return " ".join(word for line in lines for word in line.text.split())
