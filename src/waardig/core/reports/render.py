"""One entry point from a document to a file in any format, for views, the CLI and jobs alike."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

from waardig.core.reports.document import Document

FORMATS = ("html", "pdf", "docx", "xlsx", "md")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}
# Without the dot, as in f"{name}.{EXTENSIONS[fmt]}".
EXTENSIONS = {"html": "html", "pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "md": "md"}


def render(document: Document, fmt: str) -> bytes:
    """The document as a downloadable file; HTML is the self-contained standalone page."""
    try:
        renderer = _renderers()[fmt]
    except KeyError:
        raise ValueError(f"Unknown report format {fmt!r}; expected one of {FORMATS}") from None
    return renderer(document)


def filename(document: Document, fmt: str) -> str:
    """A safe download name derived from the title, e.g. "voortgangsrapportage-2026.pdf"."""
    return f"{slugify(document.title) or 'rapport'}.{EXTENSIONS[fmt]}"


def _renderers() -> dict[str, Callable[[Document], bytes]]:
    # Imported on demand: a site page that only shows the HTML fragment should not pay for
    # loading WeasyPrint, python-docx and openpyxl.
    from waardig.core.reports.docx import render_docx
    from waardig.core.reports.html import render_print_html
    from waardig.core.reports.markdown import render_markdown
    from waardig.core.reports.pdf import render_pdf
    from waardig.core.reports.xlsx import render_xlsx

    return {
        "html": lambda document: render_print_html(document, embed_css=True).encode("utf-8"),
        "pdf": render_pdf,
        "docx": render_docx,
        "xlsx": render_xlsx,
        "md": lambda document: render_markdown(document).encode("utf-8"),
    }
