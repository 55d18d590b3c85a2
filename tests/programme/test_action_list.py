"""The action list is read the same from TXT, DOCX and PDF, traps included."""

from collections import Counter

import pytest
from seeds import seed

from waardig.core.imports.documents import Line, read_lines
from waardig.programme.action_list import ListedAction, parse_action_list

from . import action_list_fixtures as fixture

SEED = seed("actielijst-visie-2020-stand-van-zaken.txt")


def _parse_text(text: str, **kwargs) -> tuple[list[ListedAction], list]:
    return parse_action_list(read_lines(text.encode(), "lijst.txt"), **kwargs)


def _summary(actions: list[ListedAction], normalise: bool = False) -> list[tuple]:
    def clean(text: str) -> str:
        return " ".join(text.split()) if normalise else text

    return [(a.theme, a.title, clean(a.goal), clean(a.state)) for a in actions]


@pytest.mark.parametrize(
    ("filename", "render"),
    [
        ("lijst.txt", lambda: fixture.as_txt()[0]),
        ("lijst.docx", fixture.as_docx),
        ("lijst.pdf", fixture.as_pdf),
    ],
)
def test_every_format_yields_the_same_actions(filename, render) -> None:
    actions, problems = parse_action_list(read_lines(render(), filename))
    assert problems == []
    normalise = filename.endswith(".pdf")
    expected = [
        (theme, title, *(" ".join(t.split()) if normalise else t for t in (goal, state)))
        for theme, title, goal, state in fixture.expected()
    ]
    assert _summary(actions, normalise) == expected


def test_txt_actions_point_at_their_heading_lines() -> None:
    data, heading_lines = fixture.as_txt()
    actions, _ = parse_action_list(read_lines(data, "lijst.txt"))
    assert [a.line for a in actions] == heading_lines
    assert heading_lines[0] == 10


def test_traps_are_not_taken_for_headings() -> None:
    actions, _ = parse_action_list(read_lines(fixture.as_txt()[0], "lijst.txt"))
    by_title = {a.title: a for a in actions}
    assert not any(a.title.startswith("allen") for a in actions)
    assert by_title["Voorlichting werkgevers"].state.endswith(
        "tweede oplage komt. Actie: allen melden goede voorbeelden bij de secretaris ."
    )
    assert by_title["short-stay"].state.endswith("Velden en Beesel")
    assert by_title["short-stay"].theme == "Wonen"
    assert by_title["Meldpunt"].state == ""
    assert by_title["logies"].state.split("\n\n")[2].startswith("Voorstel:")


def test_goal_ends_at_a_closing_bracket_quote_or_list_intro() -> None:
    text = (
        "Wonen\nActie: a\nDoel (zie bijlage.)\nStand.\n"
        "Actie: b\nHet doel is “klaar.”\nStand.\n"
        "Actie: c\nDrie punten:\n- een\n- twee\n"
        "Actie: d\nalleen een doel zonder punt\nover twee regels"
    )
    actions, problems = _parse_text(text)
    assert problems == []
    assert [(a.goal, a.state) for a in actions] == [
        ("Doel (zie bijlage.)", "Stand."),
        ("Het doel is “klaar.”", "Stand."),
        ("Drie punten:", "een\n\ntwee"),
        ("alleen een doel zonder punt over twee regels", ""),
    ]


def test_state_paragraphs_start_at_bullets_proposals_and_sentence_ends() -> None:
    text = (
        "Werken\nActie: a\nDoel.\n"
        "Eerste zin loopt door\nop de volgende regel.\nNieuwe alinea;\n"
        "voorstel: iets doen\nen nog\n• punt\nzonder einde\n"
        "kleine letter na punt.\nvolgt hier"
    )
    actions, _ = _parse_text(text)
    assert actions[0].state.split("\n\n") == [
        "Eerste zin loopt door op de volgende regel.",
        "Nieuwe alinea;",
        "voorstel: iets doen en nog",
        "punt zonder einde kleine letter na punt. volgt hier",
    ]


def test_themes_match_by_name_or_docx_heading() -> None:
    lines = [
        Line(1, "WONEN:"),
        Line(2, "Actie: a"),
        Line(3, "Doel."),
        Line(4, "Vervoer", heading=True, paragraph=True),
        Line(5, "Actie: b", heading=True, paragraph=True),
        Line(6, "Doel zonder punt", paragraph=True),
        Line(7, "Stand", paragraph=True),
        Line(8, "Tweede alinea", paragraph=True),
        Line(9, "Vervoer", paragraph=True),
    ]
    actions, problems = parse_action_list(lines)
    assert problems == []
    assert [(a.line, a.theme, a.goal, a.state) for a in actions] == [
        (2, "Wonen", "Doel.", ""),
        (5, "Vervoer", "Doel zonder punt", "Stand\n\nTweede alinea\n\nVervoer"),
    ]


def test_the_list_of_themes_can_be_given() -> None:
    actions, _ = _parse_text("vervoer\nActie: a\nDoel.\nWonen\n", themes=("Vervoer",))
    assert [(a.theme, a.state) for a in actions] == [("Vervoer", "Wonen")]


def test_problems_are_reported_with_their_line() -> None:
    text = (
        "Intro\nActie: te vroeg\nDoel.\n"  # 2: before any theme
        "Wonen\nActie:\nDoel.\n"  # 5: no title
        "Actie: leeg\n"  # 7: neither goal nor state
        "Actie: goed\nDoel.\n"
    )
    actions, problems = _parse_text(text)
    assert [a.title for a in actions] == ["goed"]
    assert [(p.line, p.message) for p in problems] == [
        (2, "Actie staat vóór het eerste thema; zet er een thema boven."),
        (5, "Actie zonder naam: zet de naam achter “Actie:”."),
        (7, "Actie zonder doel en zonder stand van zaken."),
    ]


def test_a_document_without_actions_is_a_problem() -> None:
    actions, problems = _parse_text("Wonen\nGewoon een verhaal.\nActiepunten: geen.")
    assert actions == []
    assert [p.line for p in problems] == [0]
    assert "Geen acties gevonden" in problems[0].message


@pytest.mark.skipif(not SEED.exists(), reason=f"seed file {SEED} is not available here")
def test_the_provinces_action_list() -> None:
    actions, problems = parse_action_list(read_lines(SEED.read_bytes(), SEED.name))
    assert problems == []
    assert Counter(a.theme for a in actions) == {
        "Wonen": 6,
        "Werken": 2,
        "Samenleven": 6,
        "Algemeen": 5,
    }
    by_title = {a.title: a for a in actions}
    assert by_title["Omgevingsverordening"].theme == "Wonen"
    assert "18 januari 2023" in by_title["Omgevingsverordening"].state
    assert by_title["registratie"].line == 69
    assert "Roerdalen" in actions[1].state
    assert (actions[-1].theme, actions[-1].title) == ("Algemeen", "Monitoring")
    assert not any(a.title.lower().startswith("allen") for a in actions)
    beeldvorming = by_title["Beeldvorming internationale werknemers"]
    assert beeldvorming.state.endswith(
        "Actie: allen blijven alert op kansen en signaleren deze bij Kennisambassadeur ."
    )
    assert "Voorstel: Stuurgroep informeren" in actions[0].state
    assert all(a.state for a in actions)
    talks = next(a for a in actions if a.title == "In gesprek met internationale werknemers")
    assert talks.goal == ""  # the document gives no goal here, only the state of affairs
    assert talks.state.startswith("Het is zoektocht")
    assert sum(1 for a in actions if a.goal) == len(actions) - 1
