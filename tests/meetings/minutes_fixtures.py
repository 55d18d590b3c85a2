"""Invented (fictief) minutes in the shape of a taskforce's, as TXT, DOCX and PDF.

Everything here is made up: the body, the organisations, the roles and the decisions are
fictief; there are no names, as in the redacted minutes ("( )" where an owner was).

The minutes are written once as paragraphs of visual lines and rendered three ways, the way
real files lose their structure: the TXT like a Word-to-text extraction (a blank line after
almost every line but not inside a wrapped action item, trailing and leading spaces, a dash
before a role), the DOCX with one paragraph per paragraph (the owner of one action item in its
own paragraph), the PDF with the visual lines of the TXT and a page break. Traps: a wrapped
agenda title, a word broken at a hyphen ("Regio-" / "Oost"), an action item wrapping onto a
second line with its owner there, "( )" as owner, two organisations as owner, an abbreviation
at a line end inside an action item, an item heading without a full stop followed by its
discussion, a date inside an action item, "Actie:" in the middle of a sentence, "Afwezig met
kennisgeving".
"""

import datetime

from document_fixtures import docx_bytes, pdf_of_lines

TITLE = "Verslag Regiegroep Seizoensarbeid Oostrand (fictief)"
DATE_LINE = "07-03-2024 13:30 - 15:00 uur Streekhuis Oostrand, zaal 2 en online"

# (kind, visual lines); kinds: title, heading (a block heading), text, action (no blank lines
# between its visual lines in the TXT), owner (an owner in brackets, its own DOCX paragraph).
PARAGRAPHS: list[tuple[str, list[str]]] = [
    ("title", [TITLE]),
    ("text", [DATE_LINE]),
    ("heading", ["Aanwezig"]),
    ("text", ["– voorzitter"]),
    ("text", ["(Woonbond Oost)"]),
    ("text", ["(Regio Noord)"]),
    ("text", ["(Agrarisch Collectief)"]),
    ("text", ["– Secretaris (Provincie Zuiderland)"]),
    ("heading", ["Afwezig"]),
    ("text", ["(Regio Zuid)"]),
    ("heading", ["Afwezig met kennisgeving"]),
    ("text", ["(Uitzendbranche West)"]),
    ("text", ["– adviseur huisvesting"]),
    ("heading", ["Agenda Regiegroep Seizoensarbeid Oostrand"]),
    ("text", [
        "1. Opening door de voorzitter",
        "Vaststelling agenda en verslag overleg d.d. 8 februari 2024",
    ]),
    ("text", ["2. Nalopen actiepunten overleg d.d. 8 februari 2024"]),
    ("text", ["2.1 Stand van zaken logiesmonitor"]),
    ("text", ["3. Terugkoppeling werkbezoek Regio-", "Oost"]),
    ("text", ["4. Rondvraag en sluiting"]),
    ("heading", ["Verslag"]),
    ("text", [
        "1. De voorzitter opent de vergadering en heet iedereen welkom. De agenda en het verslag",
        "van het overleg van 8 februari 2024 worden zonder wijzigingen vastgesteld.",
    ]),
    ("action", [
        "2. Actiepunt: regio's leveren cijfers over logiesplekken aan (Regio Noord, Regio Zuid).",
    ]),
    ("text", ["Regio Noord heeft de cijfers geleverd, die van Regio Zuid volgen nog."]),
    ("action", ["Actiepunt: Secretaris stuurt de factsheet logiesplekken rond"]),
    ("text", [
        "De factsheet is op 20 februari 2024 aan de leden gestuurd. Gevraagd wordt om de",
        "factsheet ook met de uitzendbureaus te delen.",
    ]),
    ("action", ["Actiepunt: Secretaris stuurt de factsheet naar de uitzendbureaus ( )."]),
    ("action", [
        "Actiepunt: verzoek om deelname van de uitzendbranche via de voorzitter uit",
        "laten gaan ( )",
    ]),
    ("action", [
        "Actiepunt:Aanleveren voorbeeldlocaties voor het werkbezoek t.b.v.",
        "de regiegroep",
    ]),
    ("owner", ["(Woonbond Oost, Agrarisch Collectief)"]),
    ("action", [
        "ACTIEPUNT : Leden zetten seizoenshuisvesting op de agenda van het",
        "RWO Wonen.",
    ]),
    ("text", [
        "2.1 De logiesmonitor is bijna klaar. Regio Noord levert nog cijfers aan. Afgesproken",
        "wordt het volgende. Actie: de secretaris stuurt de monitor rond, zo besluit de groep.",
    ]),
    ("action", [
        "Actie: Provincie maakt de monitor openbaar vóór 15 april 2024 (Provincie Zuiderland).",
    ]),
    ("text", [
        "3. Het werkbezoek aan twee logieslocaties in Regio-",
        "Oost was leerzaam. De regiegroep wil vaker op werkbezoek gaan.",
    ]),
    ("action", ["actie: werkbezoek in het najaar voorbereiden, uiterlijk 1-10-2024", "( )"]),
    ("text", ["4. Geen vragen. De voorzitter dankt de aanwezigen en sluit de vergadering."]),
]  # fmt: skip

DATE = datetime.date(2024, 3, 7)
START, END = datetime.time(13, 30), datetime.time(15, 0)
PLACE = "Streekhuis Oostrand, zaal 2 en online"
PRESENT = [
    "voorzitter",
    "Woonbond Oost",
    "Regio Noord",
    "Agrarisch Collectief",
    "Provincie Zuiderland",
]
ABSENT_WITH_NOTICE = ["Uitzendbranche West", "adviseur huisvesting"]
ABSENT = ["Regio Zuid"]
AGENDA = [
    ("1", "Opening door de voorzitter Vaststelling agenda en verslag overleg d.d. 8 februari 2024"),
    ("2", "Nalopen actiepunten overleg d.d. 8 februari 2024"),
    ("2.1", "Stand van zaken logiesmonitor"),
    ("3", "Terugkoppeling werkbezoek Regio-Oost"),
    ("4", "Rondvraag en sluiting"),
]
# (text, owner, due, agenda number) per action item, in document order.
ACTION_ITEMS = [
    ("regio's leveren cijfers over logiesplekken aan", "Regio Noord, Regio Zuid", None, "2"),
    ("Secretaris stuurt de factsheet logiesplekken rond", "", None, "2"),
    ("Secretaris stuurt de factsheet naar de uitzendbureaus", "", None, "2"),
    ("verzoek om deelname van de uitzendbranche via de voorzitter uit laten gaan", "", None, "2"),
    (
        "Aanleveren voorbeeldlocaties voor het werkbezoek t.b.v. de regiegroep",
        "Woonbond Oost, Agrarisch Collectief",
        None,
        "2",
    ),
    ("Leden zetten seizoenshuisvesting op de agenda van het RWO Wonen", "", None, "2"),
    (
        "Provincie maakt de monitor openbaar vóór 15 april 2024",
        "Provincie Zuiderland",
        datetime.date(2024, 4, 15),
        "2.1",
    ),
    (
        "werkbezoek in het najaar voorbereiden, uiterlijk 1-10-2024",
        "",
        datetime.date(2024, 10, 1),
        "3",
    ),
]


def joined(lines: list[str]) -> str:
    """The visual lines as one paragraph; "Regio-" + "Oost" is one word."""
    text = ""
    for line in lines:
        glue = "" if not text or (text.endswith("-") and line[:1].isupper()) else " "
        text += glue + line
    return text


def expected_minutes() -> dict[str, str]:
    """Section number -> the text of the "Verslag" paragraphs under it, whitespace-normalised."""
    sections: dict[str, list[str]] = {}
    verslag = PARAGRAPHS[[lines for _, lines in PARAGRAPHS].index(["Verslag"]) + 1 :]
    section = ""
    for _kind, lines in verslag:
        text = joined(lines)
        number, _space, rest = text.partition(" ")
        if number.rstrip(".").replace(".", "").isdigit():
            section, text = number.rstrip("."), rest
        sections.setdefault(section, []).append(text)
    return {key: " ".join(" ".join(texts).split()) for key, texts in sections.items()}


def as_txt() -> tuple[bytes, list[int]]:
    """The TXT and the line number of every action item in it."""
    out = ["", " "]
    action_lines = []
    for kind, lines in PARAGRAPHS:
        if kind == "action":
            action_lines.append(len(out) + 1)
            out += [line + " " for line in lines]
            continue
        for line in lines:
            out += [(" " if line.startswith(("–", "(")) else "") + line + " ", ""]
    return "\n".join(out).encode("utf-8"), action_lines


def as_docx() -> bytes:
    import docx

    document = docx.Document()
    for kind, lines in PARAGRAPHS:
        style = {"title": "Title", "heading": "Heading 2"}.get(kind)
        document.add_paragraph(joined(lines), style=style)
        if kind == "heading":
            document.add_paragraph("")
    return docx_bytes(document)


def as_pdf() -> bytes:
    """The visual lines, each its own line, the "Verslag" block on a second page."""
    tags = {"title": "h1", "heading": "h2"}
    return pdf_of_lines(
        (tags.get(kind, "p"), line, lines == ["Verslag"])
        for kind, lines in PARAGRAPHS
        for line in lines
    )
