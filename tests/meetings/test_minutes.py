"""Minutes are read the same from TXT, DOCX and PDF, traps included."""

import datetime
import re

import pytest
from seeds import seed

from waardig.core.imports.documents import Line, read_lines
from waardig.meetings.minutes import ProposedMinutes, parse_minutes

from . import minutes_fixtures as fixture

SEED = seed("verslag-taskforce-2023-04-12.txt")


def _parse_text(text: str) -> tuple[ProposedMinutes, list]:
    return parse_minutes(read_lines(text.encode(), "verslag.txt"))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _summary(minutes: ProposedMinutes) -> dict:
    """Everything but the line numbers, text whitespace-normalised."""
    return {
        "title": minutes.title,
        "when": (minutes.date, minutes.start, minutes.end),
        "place": minutes.place,
        "present": minutes.present,
        "absent": minutes.absent,
        "absent_with_notice": minutes.absent_with_notice,
        "agenda": [(item.number, _clean(item.title)) for item in minutes.agenda],
        "minutes": {key: _clean(text) for key, text in minutes.minutes.items()},
        "action_items": [
            (_clean(item.text), item.owner, item.due, item.agenda_number)
            for item in minutes.action_items
        ],
    }


@pytest.mark.parametrize(
    ("filename", "render"),
    [
        ("verslag.txt", lambda: fixture.as_txt()[0]),
        ("verslag.docx", fixture.as_docx),
        ("verslag.pdf", fixture.as_pdf),
    ],
)
def test_every_format_yields_the_same_minutes(filename, render) -> None:
    minutes, problems = parse_minutes(read_lines(render(), filename))
    assert problems == []
    assert _summary(minutes) == {
        "title": fixture.TITLE,
        "when": (fixture.DATE, fixture.START, fixture.END),
        "place": fixture.PLACE,
        "present": fixture.PRESENT,
        "absent": fixture.ABSENT,
        "absent_with_notice": fixture.ABSENT_WITH_NOTICE,
        "agenda": fixture.AGENDA,
        "minutes": fixture.expected_minutes(),
        "action_items": fixture.ACTION_ITEMS,
    }


def test_txt_action_items_point_at_their_first_line() -> None:
    data, action_lines = fixture.as_txt()
    minutes, _ = parse_minutes(read_lines(data, "verslag.txt"))
    assert [item.line for item in minutes.action_items] == action_lines
    text_lines = data.decode().split("\n")
    assert all(re.match(r"(2\. )?actie", text_lines[n - 1], re.I) for n in action_lines)


def test_mid_sentence_action_and_discussion_stay_minutes_text() -> None:
    minutes, _ = parse_minutes(read_lines(fixture.as_txt()[0], "verslag.txt"))
    assert not any(item.text.startswith("de secretaris") for item in minutes.action_items)
    assert "Actie: de secretaris stuurt de monitor rond" in minutes.minutes["2.1"]
    # The discussion under an item heading without a full stop is a paragraph of its own.
    assert "\n\nDe factsheet is op 20 februari 2024" in minutes.minutes["2"]
    assert "Regio-Oost was leerzaam" in minutes.minutes["3"]


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("12-04-2023 14:00 uur", datetime.date(2023, 4, 12)),
        ("Vergadering d.d. 15 maart 2023", datetime.date(2023, 3, 15)),
        ("woensdag 12/4/2023", datetime.date(2023, 4, 12)),
        ("12 apr. 2023", datetime.date(2023, 4, 12)),
        ("12.04.2023, online", datetime.date(2023, 4, 12)),
        ("Eerst 31-02-2023, verplaatst naar 3 MEI 2023", datetime.date(2023, 5, 3)),
        ("Zaal 0.0.17 op 1 juni 2023", datetime.date(2023, 6, 1)),
    ],
)
def test_dutch_dates(line, date) -> None:
    minutes, problems = _parse_text(f"Verslag overleg\n{line}\nAgenda\n1. Opening\n")
    assert (minutes.date, problems) == (date, [])


def test_times_and_place_follow_the_date() -> None:
    minutes, _ = _parse_text("Verslag\n1 juni 2023, van 9.30 tot 11.00 uur, Stadhuis\nAgenda\n1. A")
    assert (minutes.start, minutes.end, minutes.place) == (
        datetime.time(9, 30),
        datetime.time(11, 0),
        "Stadhuis",
    )
    minutes, _ = _parse_text("Verslag\n1 juni 2023\nAgenda\n1. A")
    assert (minutes.start, minutes.end, minutes.place) == (None, None, "")


def test_only_the_header_gives_the_meeting_date() -> None:
    minutes, problems = _parse_text(
        "Verslag overleg\nAgenda\n1. Verslag d.d. 15 maart 2023\nVerslag\n1. Op 2 mei 2023 niets."
    )
    assert minutes.date is None
    assert [p.line for p in problems] == [0]
    assert problems[0].message.startswith("Geen vergaderdatum gevonden")


def test_a_document_without_date_and_agenda_has_two_problems() -> None:
    minutes, problems = _parse_text(
        "Verslag werkoverleg\nAanwezig\n(Regio Noord)\nVerslag\n1. Besproken: niets. "
    )
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (0, "Geen vergaderdatum gevonden"),
        (0, "Geen agenda gevonden"),
    ]
    assert minutes.present == ["Regio Noord"]
    assert minutes.minutes == {"1": "Besproken: niets."}


def test_no_action_items_is_no_problem() -> None:
    minutes, problems = _parse_text("Verslag\n1-6-2023\nAgenda\n1. Opening\nVerslag\n1. Geopend.")
    assert (minutes.action_items, problems) == ([], [])


def test_attendees_inline_and_redacted() -> None:
    minutes, _ = _parse_text(
        "Verslag\n1-6-2023\nAanwezig: A (LWV), B (LLTB, LWV); C – notulist\n( )\n"
        "Afwezig m.k.: (Regio Zuid)\nAfgemeld\n(Regio West)\nAgenda\n1. Opening"
    )
    assert minutes.present == ["LWV", "LLTB, LWV", "notulist"]
    assert minutes.absent_with_notice == ["Regio Zuid", "Regio West"]
    assert minutes.absent == []  # each attendee once: excused is not also absent


def test_minutes_without_a_verslag_heading_start_at_a_repeated_number() -> None:
    minutes, _ = _parse_text(
        "Verslag\n1-6-2023\nAgenda\n1. Opening\n2. Rondvraag\n1. Geopend.\n2. Actie: X doen (LWV)"
    )
    assert [item.number for item in minutes.agenda] == ["1", "2"]
    assert minutes.minutes == {"1": "Geopend.", "2": "Actie: X doen (LWV)"}
    assert [(i.text, i.owner, i.agenda_number) for i in minutes.action_items] == [
        ("X doen", "LWV", "2")
    ]


def test_action_items_end_at_their_first_sentence() -> None:
    text = (
        "Verslag\n1-6-2023\nAgenda\n1. A\nVerslag\n"
        "7. Actiepunt: X regelen (LWV). Daarna volgt uitleg\nover de stand.\n"  # cut mid-line
        "Actiepunt:\nY regelen d.d. 3 juli 2023\nDe uitleg.\n"  # text on the next line
        "Actie : Z regelen t.a.v. de regio (gemeente A)\n"  # last brackets: the owner
    )
    minutes, _ = _parse_text(text)
    assert [(i.line, i.text, i.owner, i.due, i.agenda_number) for i in minutes.action_items] == [
        (6, "X regelen", "LWV", None, "7"),
        (8, "Y regelen d.d. 3 juli 2023", "", datetime.date(2023, 7, 3), "7"),
        (11, "Z regelen t.a.v. de regio", "gemeente A", None, "7"),
    ]
    assert "uitleg over de stand." in minutes.minutes["7"]


def test_a_docx_paragraph_is_a_whole_action_item_unless_an_owner_follows() -> None:
    lines = [
        Line(1, "Verslag", paragraph=True),
        Line(2, "1-6-2023", paragraph=True),
        Line(3, "Agenda", paragraph=True),
        Line(4, "1. A", paragraph=True),
        Line(5, "Verslag", heading=True, paragraph=True),
        Line(6, "1. Actiepunt: X regelen zonder punt", paragraph=True),
        Line(7, "de volgende alinea", paragraph=True),
        Line(8, "Actiepunt: Y regelen", paragraph=True),
        Line(9, "(LLTB, LWV)", paragraph=True),
    ]
    minutes, problems = parse_minutes(lines)
    assert problems == []
    assert [(i.line, i.text, i.owner) for i in minutes.action_items] == [
        (6, "X regelen zonder punt", ""),
        (8, "Y regelen", "LLTB, LWV"),
    ]
    assert minutes.minutes["1"].split("\n\n") == [
        "Actiepunt: X regelen zonder punt",
        "de volgende alinea",
        "Actiepunt: Y regelen",
        "(LLTB, LWV)",
    ]


@pytest.mark.skipif(not SEED.exists(), reason=f"seed file {SEED} is not available here")
def test_the_taskforce_minutes() -> None:
    minutes, problems = parse_minutes(read_lines(SEED.read_bytes(), SEED.name))
    assert problems == []
    assert minutes.title == "Verslag Taskforce Internationale Werknemers"
    assert (minutes.date, minutes.start, minutes.end) == (
        datetime.date(2023, 4, 12),
        datetime.time(14, 0),
        datetime.time(15, 30),
    )
    assert minutes.place == "Gouvernement Maastricht tevens digitaal"
    assert {"LWV", "LLTB", "voorzitter"} <= set(minutes.present)
    assert minutes.absent == ["Zuid-Limburg"]
    starts = (
        "Welkom en opening",
        "Nalopen actiepunten",
        "Terugkoppeling Kennisambassadeur",
        "Bespreken actielijst",
        "Overige punten en rondvraag",
    )
    assert [item.number for item in minutes.agenda] == ["1", "2", "3", "4", "5"]
    assert all(item.title.startswith(s) for item, s in zip(minutes.agenda, starts, strict=True))
    assert "Vaststelling agenda" in minutes.agenda[0].title  # the wrapped second line
    assert list(minutes.minutes) == ["1", "2", "3", "4", "5"]
    # Every line `grep -ci 'actiepunt:'` finds is an action item, and so is every line
    # `grep -ci '^actie:'` finds; no other line is.
    items = minutes.action_items
    seed_lines = SEED.read_text(encoding="utf-8").split("\n")
    actiepunt = [n for n, line in enumerate(seed_lines, 1) if "actiepunt:" in line.lower()]
    actie = [n for n, line in enumerate(seed_lines, 1) if line.lower().startswith("actie:")]
    assert actiepunt and actie and not set(actiepunt) & set(actie)
    headings = [seed_lines[item.line - 1] for item in items]
    assert sum("Actiepunt:" in heading for heading in headings) == len(actiepunt)
    assert sum(heading.startswith("Actie:") for heading in headings) == len(actie)
    assert len(items) == len(actiepunt) + len(actie)
    assert [item.line for item in items] == sorted(actiepunt + actie)  # in document order
    assert [item.agenda_number for item in items] == ["2"] * len(actiepunt) + ["3", "5", "5"]
    talks = next(item for item in items if item.text.startswith("Aanleveren bedrijven"))
    assert talks.owner == "LLTB, LWV"
    assert talks.text == "Aanleveren bedrijven t.b.v. rondetafelgesprekken aan kennisambassadeur"
    wrapped = next(item for item in items if item.text.startswith("verzoek om vertegenwoordiging"))
    assert wrapped.text.endswith("uit laten gaan")
    assert wrapped.owner == ""
    # A follow-up heading without a full stop does not swallow the discussion below it.
    assert (items[2].line, items[3].line) == (89, 97)
    assert "24 april 2023" not in items[2].text
    assert items[3].text.endswith("met voorzitter Stuurgroep")  # wrapped over a blank line
    # The last brackets are taken as the owner even where they name a place; the rest is "( )".
    assert [item.owner for item in items if item.owner] == ["LLTB, LWV", "gemeente Heerlen"]
    assert all(item.due is None for item in items)
