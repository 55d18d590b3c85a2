"""Test helper: turn a fixture document into the real files users upload (DOCX, PDF)."""

from __future__ import annotations

import html
import io
from collections.abc import Iterable
from typing import Any

PDF_STYLE = (
    "@page { size: A4 landscape; margin: 1.5cm } "
    "body { font-family: sans-serif; font-size: 10pt; font-variant-ligatures: none } "
    "h1, h2, h3, p { font-size: 10pt; margin: 0 0 0.5em 0; white-space: nowrap }"
)


def docx_bytes(document: Any) -> bytes:
    """A python-docx Document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_of_lines(lines: Iterable[tuple[str, str, bool]]) -> bytes:
    """A PDF with one visual line per (HTML tag, text, starts a new page) (WeasyPrint).

    Lines do not wrap, so the text a PDF reader extracts has the fixture's own line breaks.
    """
    from weasyprint import HTML

    page_break = ' style="break-before: page"'
    body = "".join(
        f"<{tag}{page_break if new_page else ''}>{html.escape(text)}</{tag}>"
        for tag, text, new_page in lines
    )
    page = f"<html><head><style>{PDF_STYLE}</style></head><body>{body}</body></html>"
    return HTML(string=page).write_pdf()
