"""A small invented (fictief) action list in the shape of the province's, as TXT, DOCX and PDF.

The list is written once as structure (themes, actions, goal lines, state paragraphs of
wrapped lines) and rendered three ways, the way real files lose that structure: the TXT like
a PDF-to-text extraction (a blank line after almost every line, bullet glyphs, trailing
spaces), the DOCX with one paragraph per paragraph and Heading styles, the PDF with the same
visual lines as the TXT. ``expected()`` is what the structure says the parser must recover.
"""

from dataclasses import dataclass

from document_fixtures import docx_bytes, pdf_of_lines

BULLET = "\uf0e8"  # the Wingdings arrow a PDF extraction leaves in the text

TITLE = "Actielijst – Regiegroep Seizoenswerk (fictief)"
INTRO = [
    "Afspraken uit de regiovisie seizoenswerk en de stand van zaken, op het vlak van wonen,",
    "werken en samenleven:",
]


@dataclass(frozen=True)
class Action:
    heading: str
    title: str
    goal: list[str]
    state: list[tuple[bool, list[str]]]  # paragraphs: (starts with a bullet, wrapped lines)


THEMES: list[tuple[str, list[Action]]] = [
    ("Wonen", [
        Action("Actie: logies ", "logies", [
            "Elke gemeente legt in haar woonbeleid vast hoeveel logiesplekken voor",
            "seizoenswerkers nodig zijn en waar die mogen komen.",
        ], [
            (False, [
                "Drie van de vijf gemeenten hebben een telling laten doen; de andere twee",
                "wachten op de uitkomst van het regionale woningonderzoek.",
            ]),
            (True, [
                "Afgesproken is dat de telling jaarlijks in het voorjaar wordt herhaald,",
                "zodat de cijfers bij de begroting beschikbaar zijn.",
            ]),
            (False, [
                "Voorstel: de regiegroep vraagt de wethouders wonen om de telling op te",
                "nemen in de woonvisie van 2025.",
            ]),
        ]),
        Action("Actie: short-stay", "short-stay", [
            "Gemeenten maken short-stay mogelijk in leegstaande kantoren en",
            "bedrijfsgebouwen, met duidelijke eisen aan brandveiligheid en beheer.",
        ], [
            (False, [
                "Regio West: twee gemeenten hebben een beleidsregel vastgesteld; een derde",
                "gemeente werkt eraan.",
            ]),
            (False, [
                "Regio Oost: vier gemeenten verkennen locaties, inmiddels in Arcen, Lomm,",
                "Velden en",
                "Beesel",
            ]),
        ]),
        Action("Actie:Meldpunt", "Meldpunt", [
            "Een regionaal meldpunt voor misstanden in de huisvesting (doorlopend).",
        ], []),
    ]),
    ("Werken", [
        Action("Actie: Voorlichting werkgevers", "Voorlichting werkgevers", [
            "Werkgevers krijgen een folder over goed werkgeverschap en de regels voor",
            "huisvesting.",
        ], [
            (False, [
                "De folder is in het voorjaar verspreid onder zestig bedrijven. Bij de",
                "evaluatie bleek dat vooral kleine bedrijven de folder nuttig vonden en",
                "om een vervolg vragen. De regiegroep beslist in het najaar of er een",
                "tweede oplage komt. Actie: allen",
                "melden goede voorbeelden bij de secretaris .",
            ]),
        ]),
        Action("Actie: Handhaving", "Handhaving", [
            "Een gezamenlijk controleteam van gemeenten en arbeidsinspectie in een",
            "proef van een jaar.",
        ], [
            (True, ["De proef is afgerond; het verslag volgt in het voorjaar."]),
            (True, [
                "Voorstel: de proef met een jaar verlengen en uitbreiden naar de",
                "gemeenten in het zuiden.",
            ]),
        ]),
    ]),
    ("Samenleven", [
        Action("Actie: Taalles", "Taalles", [
            "Werkgevers en bibliotheken bieden samen taalles aan op de werkplek, zoals",
            "het Taalcafé in Venray.",
        ], [
            (False, [
                "Twaalf werkgevers doen mee. De bibliotheek meldt dat de groepen vol zitten",
                "en zoekt extra vrijwilligers voor de avonduren.",
            ]),
        ]),
        Action("Actie: Kennismaking", "Kennismaking", [
            "Jaarlijks een kennismakingsavond voor nieuwe inwoners en omwonenden.",
        ], [
            (False, [
                "De eerste avond trok ruim honderd bezoekers; een tweede avond is gepland",
                "voor het najaar.",
            ]),
        ]),
    ]),
]  # fmt: skip


def expected() -> list[tuple[str, str, str, str]]:
    """(theme, title, goal, state) per action, as the structure says."""
    return [
        (
            theme,
            action.title,
            " ".join(action.goal),
            "\n\n".join(" ".join(lines) for _, lines in action.state),
        )
        for theme, actions in THEMES
        for action in actions
    ]


def _visual_lines(bullet: str) -> list[tuple[str, str]]:
    """(kind, text) per visual line as a PDF shows it; kind: title, theme, heading or text."""
    lines = [("title", TITLE)] + [("text", line) for line in INTRO]
    for theme, actions in THEMES:
        lines.append(("theme", theme))
        for action in actions:
            lines.append(("heading", action.heading))
            lines += [("text", line) for line in action.goal]
            for starts_with_bullet, paragraph in action.state:
                prefix = f"{bullet} " if starts_with_bullet else ""
                lines.append(("text", prefix + paragraph[0]))
                lines += [("text", line) for line in paragraph[1:]]
    return lines


def as_txt() -> tuple[bytes, list[int]]:
    """The TXT and the line number of every action heading in it.

    Like the extraction: a blank line after every line except an action heading, trailing
    spaces, and a bullet line with a leading space.
    """
    out: list[str] = [""]
    headings = []
    for kind, text in _visual_lines(BULLET):
        if kind == "heading":
            headings.append(len(out) + 1)
            out.append(text)
            continue
        if text.startswith(BULLET):
            text = " " + text
        out += [text + ("  " if kind == "theme" else " "), ""]
    return "\n".join(out).encode("utf-8"), headings


def as_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(" ".join(INTRO))
    for theme, actions in THEMES:
        document.add_paragraph(theme, style="Heading 1")
        for number, action in enumerate(actions):
            # Alternate the two ways people format an action heading.
            document.add_paragraph(action.heading, style="Heading 2" if number % 2 else None)
            document.add_paragraph(" ".join(action.goal))
            for starts_with_bullet, paragraph in action.state:
                style = "List Bullet" if starts_with_bullet else None
                document.add_paragraph(" ".join(paragraph), style=style)
        document.add_paragraph("")
    return docx_bytes(document)


def as_pdf() -> bytes:
    """The visual lines of the TXT, each its own line, the last theme on a second page."""
    tags = {"title": "h1", "theme": "h2", "heading": "h3"}
    return pdf_of_lines(
        (tags.get(kind, "p"), text, text == THEMES[-1][0]) for kind, text in _visual_lines("•")
    )
