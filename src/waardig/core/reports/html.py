"""HTML renderings of a report document: the fragment for site pages and the standalone page.

Both come from the same template (`core/report_document.html`); the only difference is how a
chart appears. On the site it is a JSON spec that charts.js hands to vega-embed (no inline
script, so the strict Content-Security-Policy holds); in the standalone page, which WeasyPrint
turns into the PDF and which is offered as the HTML download, it is a static SVG picture.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from waardig.core.reports.document import (
    CHART_DATA_LABEL,
    Block,
    Chart,
    Document,
    Note,
    Paragraph,
    Section,
    Table,
    format_cell,
    is_number,
)

PRINT_CSS = Path(__file__).resolve().parents[2] / "static" / "waardig" / "report-print.css"
MAX_HEADING_LEVEL = 6


@dataclass
class _Node:
    """A section as the template needs it: heading level decided here, not in template logic."""

    title: str = ""
    level: int = 2
    blocks: list[dict[str, Any]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


def render_html_fragment(document: Document, base_level: int = 1) -> str:
    """The document body for use inside a site page.

    `base_level` is the heading level of the document title; a page that already has its own
    h1 passes 2 so the outline stays correct.
    """
    return render_to_string("core/report_document.html", _context(document, base_level, False))


def render_print_html(document: Document, embed_css: bool = False) -> str:
    """The standalone page with static charts; `embed_css` makes it a self-contained file."""
    context = _context(document, 1, True)
    if embed_css:
        # Our own stylesheet, read from the package: trusted, and escaping would break `>`.
        context["inline_css"] = mark_safe(PRINT_CSS.read_text(encoding="utf-8"))
    return render_to_string("core/report_print.html", context)


def _context(document: Document, base_level: int, static_charts: bool) -> dict[str, Any]:
    base_level = max(1, min(base_level, MAX_HEADING_LEVEL))
    charts = _ChartIds(document)
    header_notes = _Node(blocks=[_block(note, charts, static_charts) for note in document.notes])
    return {
        "document": document,
        "title_level": base_level,
        "header_notes": header_notes,
        "sections": [
            _node(section, base_level + 1, charts, static_charts) for section in document.sections
        ],
        "static_charts": static_charts,
        "chart_data_label": CHART_DATA_LABEL,
    }


def _node(section: Section, level: int, charts: _ChartIds, static_charts: bool) -> _Node:
    return _Node(
        title=section.title,
        level=min(level, MAX_HEADING_LEVEL),
        blocks=[_block(block, charts, static_charts) for block in section.blocks],
        children=[_node(child, level + 1, charts, static_charts) for child in section.subsections],
    )


def _block(block: Block, charts: _ChartIds, static_charts: bool) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text}
    if isinstance(block, Note):
        prominent = block.kind in ("fictief", "warning")
        return {
            "kind": "note",
            "note_kind": block.kind,
            "label": block.label,
            "text": block.text,
            "alert_modifier": "warning" if prominent else "info",
        }
    if isinstance(block, Table):
        return {"kind": "table", "table": table_view(block)}
    if isinstance(block, Chart):
        return _chart_block(block, charts.next_id(), static_charts)
    raise TypeError(f"Unknown report block: {type(block).__name__}")


def _chart_block(chart: Chart, chart_id: str, static_charts: bool) -> dict[str, Any]:
    from waardig.core import charts  # altair and vl-convert load only when a chart is drawn

    spec = charts.theme(chart.spec)
    if chart.description:
        spec.setdefault("description", chart.description)
    view: dict[str, Any] = {
        "kind": "chart",
        "id": chart_id,
        "title": chart.title,
        "description": chart.description or chart.title,
        "table": table_view(chart.data_table()),
    }
    if static_charts:
        svg = charts.to_svg(spec).encode("utf-8")
        view["image_src"] = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    else:
        view["spec"] = spec
    return view


def table_view(table: Table) -> dict[str, Any]:
    """Cells pre-formatted once, so every HTML use of a table shows the same text."""
    numeric = table.numeric_columns()
    return {
        "caption": table.caption,
        "empty_text": table.empty_text,
        "columns": [
            {"text": name, "numeric": numeric[index]} for index, name in enumerate(table.columns)
        ],
        "rows": [
            [{"text": format_cell(value), "numeric": is_number(value)} for value in row]
            for row in table.rows
        ],
    }


class _ChartIds:
    """Element ids that are stable for the same document (frozen reports render identically)
    and distinct for different documents shown on one page."""

    def __init__(self, document: Document) -> None:
        digest = hashlib.sha256(document.title.encode("utf-8"))
        for chart in document.charts():
            digest.update(json.dumps(chart.spec, sort_keys=True, default=str).encode("utf-8"))
        self.prefix = f"waardig-chart-{digest.hexdigest()[:10]}"
        self.count = 0

    def next_id(self) -> str:
        self.count += 1
        return f"{self.prefix}-{self.count}"


def chart_html(spec: dict[str, Any], title: str, description: str = "") -> str:
    """One chart as the site draws it, with its numbers as a table for screen readers (the
    same markup as a chart in a report shown on a page)."""
    chart = Chart(spec, title, description)
    return render_html_fragment(Document(title="", sections=(Section("", (chart,)),)), base_level=2)
