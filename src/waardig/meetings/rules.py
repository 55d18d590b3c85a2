"""The standing agenda of a meeting, on plain values (no Django): what every next meeting
of a body starts with, and where the open action items go."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

STANDING_ITEMS = (
    ("opening", "Opening en vaststelling agenda"),
    ("previous_minutes", "Verslag vorige vergadering"),
    ("action_items", "Nalopen actiepunten"),
    ("regions", "Terugkoppeling uit de regio's"),
    ("any_other_business", "Rondvraag"),
    ("closing", "Sluiting"),
)
"""The taskforce's fixed order (see its minutes): topics of the day go before the questions."""


@dataclass(frozen=True)
class OpenItem:
    key: int
    text: str
    owner: str = ""


@dataclass(frozen=True)
class AgendaLine:
    number: str
    title: str
    kind: str
    action_item: int | None = None
    parent: str | None = None


def agenda_title(text: str, owner: str = "") -> str:
    """How an action item reads on an agenda and in lists: "text (owner)"."""
    return f"{text} ({owner})" if owner else text


def draft_agenda(open_items: Sequence[OpenItem], topics: Sequence[str] = ()) -> list[AgendaLine]:
    """Standing items numbered 1..n, the day's topics before the questions, and each open
    action item as a sub-item of "Nalopen actiepunten" (3.1, 3.2, ...)."""
    lines: list[AgendaLine] = []
    number = 0
    for kind, title in STANDING_ITEMS:
        if kind == "any_other_business":
            for topic in topics:
                number += 1
                lines.append(AgendaLine(str(number), topic, "topic"))
        number += 1
        lines.append(AgendaLine(str(number), title, kind))
        if kind == "action_items":
            for sub, item in enumerate(open_items, start=1):
                lines.append(
                    AgendaLine(
                        f"{number}.{sub}",
                        agenda_title(item.text, item.owner),
                        "action_items",
                        item.key,
                        str(number),
                    )
                )
    return lines


_STANDING_WORDS = (
    ("action_items", r"actiepunten|actielijst vorig"),
    ("previous_minutes", r"^(?:vaststell\w* )?(?:verslag|notulen)"),
    ("opening", r"^(?:welkom|opening)"),
    ("regions", r"regio'?s\b|uit de regio"),
    ("any_other_business", r"rondvraag|w\.?v\.?t\.?t\.?"),
    ("closing", r"^sluiting"),
)


def kind_of_title(title: str) -> str:
    """The standing item an agenda title written by someone else stands for, else a topic:
    "Nalopen actiepunten ..." is the follow-up, "Overige punten en rondvraag" the questions."""
    text = title.strip().lower().replace("’", "'")
    for kind, pattern in _STANDING_WORDS:
        if re.search(pattern, text):
            return kind
    return "topic"
