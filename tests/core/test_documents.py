"""Documents become numbered lines the user can find back, whatever the format."""

import docx
import pytest
from document_fixtures import docx_bytes
from weasyprint import HTML

from waardig.core.imports.documents import DOCUMENT_FORMATS, Line, read_lines
from waardig.core.imports.readers import UnreadableFile


def _docx(*paragraphs: tuple[str, str | None]) -> bytes:
    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    return docx_bytes(document)


def _pdf(body: str) -> bytes:
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def test_txt_numbers_match_the_editor_and_blank_lines_are_dropped() -> None:
    data = b"Titel \r\n\r\n  Wonen  \n\n\nActie: logies\nlaatste regel"
    assert read_lines(data, "lijst.TXT") == [
        Line(1, "Titel"),
        Line(3, "Wonen"),
        Line(6, "Actie: logies"),
        Line(7, "laatste regel"),
    ]


def test_txt_bullet_glyphs_are_dropped_and_remembered() -> None:
    text = "\n".join(
        [
            " \uf0e8 Regio Noord gaat door.",
            "• punt",
            "- streepje",
            "* ster",
            "-plichten blijven staan",
            "\uf0b7",
            "tekst na een losse bullet",
            "gewone regel",
        ]
    )
    lines = read_lines(text.encode(), "a.txt")
    assert [(line.text, line.bullet) for line in lines] == [
        ("Regio Noord gaat door.", True),
        ("punt", True),
        ("streepje", True),
        ("ster", True),
        ("-plichten blijven staan", False),
        ("tekst na een losse bullet", True),
        ("gewone regel", False),
    ]
    assert lines[5].number == 7


def test_txt_falls_back_to_windows_encoding_and_skips_the_bom() -> None:
    assert read_lines("Oekraïne".encode("cp1252"), "a.txt")[0].text == "Oekraïne"
    assert read_lines("Oekraïne".encode("utf-8-sig"), "a.txt")[0].text == "Oekraïne"


def test_docx_numbers_paragraphs_and_marks_headings_and_list_items() -> None:
    data = _docx(
        ("Actielijst", "Title"),
        ("", None),
        ("Wonen", "Heading 1"),
        ("Actie: logies", "Heading 2"),
        ("Een doel.", None),
        ("Een lijstpunt", "List Bullet"),
        ("• Een getypte bullet", None),
    )
    assert read_lines(data, "a.docx") == [
        Line(1, "Actielijst", heading=True, paragraph=True),
        Line(3, "Wonen", heading=True, paragraph=True),
        Line(4, "Actie: logies", heading=True, paragraph=True),
        Line(5, "Een doel.", paragraph=True),
        Line(6, "Een lijstpunt", bullet=True, paragraph=True),
        Line(7, "Een getypte bullet", bullet=True, paragraph=True),
    ]


def test_pdf_numbers_lines_over_all_pages() -> None:
    data = _pdf(
        '<p>Eerste regel<br>tweede regel</p><p style="break-before: page">• derde regel</p>'
    )
    lines = read_lines(data, "a.pdf")
    assert [(line.number, line.text, line.bullet) for line in lines] == [
        (1, "Eerste regel", False),
        (2, "tweede regel", False),
        (3, "derde regel", True),
    ]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("lijst.odt", b"tekst", ".odt wordt niet ondersteund"),
        ("lijst", b"tekst", ".? wordt niet ondersteund"),
        ("lijst.txt", b" \r\n\n\t\n", "geen tekst"),
        ("lijst.txt", "\uf0e8\n•".encode(), "geen tekst"),
        ("lijst.docx", b"PK\x03\x04 kapot", "Word-bestand is niet te openen"),
        ("lijst.pdf", b"%PDF-1.7\nkapot", "PDF-bestand is niet te openen"),
    ],
)
def test_unreadable_documents_say_why(filename: str, data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message.replace("?", r"\?")) as caught:
        read_lines(data, filename)
    if "ondersteund" in message:
        assert all(f".{fmt}" in str(caught.value) for fmt in DOCUMENT_FORMATS)


def test_empty_docx_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="geen tekst"):
        read_lines(_docx(("", None), ("  ", None)), "leeg.docx")


def test_pdf_without_text_is_taken_for_a_scan() -> None:
    data = _pdf('<div style="width: 5cm; height: 5cm; background: black"></div>')
    with pytest.raises(UnreadableFile, match="scan") as caught:
        read_lines(data, "scan.pdf")
    assert ".docx" in str(caught.value)
