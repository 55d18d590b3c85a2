"""PDF rendering: WeasyPrint typesets the standalone HTML page with the print stylesheet.

The PDF is made from the same HTML as the web page, so it cannot say anything the page does not.
WeasyPrint may load nothing but the inline chart pictures (data: URLs): report text is data, and
data must never make the server request a URL or read a file.
"""

from __future__ import annotations

from waardig.core.reports.document import Document
from waardig.core.reports.html import PRINT_CSS, render_print_html


def render_pdf(document: Document) -> bytes:
    from weasyprint import CSS, HTML  # heavy import, only needed when a PDF is asked for
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=["data"])
    html = HTML(string=render_print_html(document), url_fetcher=fetcher)
    stylesheet = CSS(filename=str(PRINT_CSS))
    # PDF/UA tags headings and tables, so screen readers can follow the PDF too.
    return html.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")
