"""Turn an uploaded document (TXT, DOCX, PDF) into numbered lines of text.

Tables have rows and columns; documents such as action lists and minutes have only running
text, often a PDF extraction without any structure left. This module does the format-specific
part once, so a parser for one kind of document works on plain ``Line`` values whatever the
file was. Line numbers are what the user can find back in the file (see ``Line.number``), so a
parser's remarks can point at the place to fix. Blank lines carry no meaning in PDF
extractions (they often follow every line), so they are dropped but still counted.
"""

import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .readers import UnreadableFile, extension

DOCUMENT_FORMATS = ("txt", "docx", "pdf")


@dataclass(frozen=True)
class Line:
    """One non-blank line of a document.

    ``number`` is 1-based: the line in a TXT file, the paragraph in a DOCX (blank ones
    included), the running line over all pages of a PDF. ``text`` has its surrounding
    whitespace and a leading bullet glyph removed; ``bullet`` keeps the fact that there was
    one (or that the DOCX paragraph is a list item), because a bullet starts a new paragraph.
    ``heading`` marks a DOCX paragraph with a Heading/Title style. ``paragraph`` says the line
    is a whole paragraph (DOCX) rather than a visual line that may be part of a wrapped one.
    """

    number: int
    text: str
    heading: bool = False
    bullet: bool = False
    paragraph: bool = False


# Glyphs that are a bullet wherever they stand first; U+E000-U+F8FF are the private-use
# Symbol/Wingdings characters (such as U+F0E8) that PDF extractions turn bullets into.
_GLYPHS = "•▪◦‣●○■□➢➤►✓·"
# Characters that are only a bullet when followed by a space ("-plichten" is a word).
_DASHES = "-*–"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def read_lines(data: bytes, filename: str) -> list[Line]:
    """Read the document's non-blank lines; raise UnreadableFile with a Dutch message."""
    fmt = extension(filename)
    if fmt == "txt":
        lines = _text_lines(_decode(data))
    elif fmt == "docx":
        lines = _docx_lines(data)
    elif fmt == "pdf":
        lines = _pdf_lines(data)
    else:
        raise UnreadableFile(
            _("Bestandssoort .%(ext)s wordt niet ondersteund; gebruik %(formats)s.")
            % {"ext": fmt or "?", "formats": _formats()}
        )
    if not lines:
        raise UnreadableFile(_("Het document bevat geen tekst."))
    return lines


def _formats() -> str:
    return ", ".join(f".{f}" for f in DOCUMENT_FORMATS)


def _split_bullet(raw: str) -> tuple[bool, str]:
    text = raw.strip()
    if text and (text[0] in _GLYPHS or _PRIVATE_USE.match(text[0])):
        return True, text[1:].strip()
    if len(text) > 1 and text[0] in _DASHES and text[1].isspace():
        return True, text[1:].strip()
    return False, text


def _text_lines(text: str, first: int = 1) -> list[Line]:
    """Number every visual line, keep the non-blank ones.

    A bullet glyph alone on its line (some PDF extractions put it there) marks the next line.
    """
    lines = []
    pending_bullet = False
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=first):
        bullet, stripped = _split_bullet(raw)
        if not stripped:
            pending_bullet = pending_bullet or bullet
            continue
        lines.append(Line(number, stripped, bullet=bullet or pending_bullet))
        pending_bullet = False
    return lines


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _docx_lines(data: bytes) -> list[Line]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise UnreadableFile(
            _("Het Word-bestand is niet te openen; lever het aan als %(formats)s.")
            % {"formats": _formats()}
        ) from exc
    lines = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        bullet, text = _split_bullet(" ".join(paragraph.text.split()))
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        heading = style.startswith(("heading", "title", "kop", "titel"))
        p_pr = paragraph._p.pPr
        listed = style.startswith("list") or (p_pr is not None and p_pr.numPr is not None)
        lines.append(Line(number, text, heading, bullet or listed, paragraph=True))
    return lines


def _pdf_lines(data: bytes) -> list[Line]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many kinds for a damaged or locked file
        raise UnreadableFile(
            _(
                "Het PDF-bestand is niet te openen (beschadigd of beveiligd); lever het aan als "
                "%(formats)s."
            )
            % {"formats": _formats()}
        ) from exc
    if not any(page.strip() for page in pages):
        raise UnreadableFile(
            _(
                "De PDF bevat geen tekst (misschien een scan); lever een PDF met tekst aan of "
                "gebruik %(formats)s."
            )
            % {"formats": _formats()}
        )
    lines: list[Line] = []
    first = 1
    for page in pages:
        lines.extend(_text_lines(page, first))
        first += len(re.split(r"\r\n|\r|\n", page))
    return lines
