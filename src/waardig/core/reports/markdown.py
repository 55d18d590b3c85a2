"""Markdown rendering: plain text that reads well as is and diffs well between report editions.

Charts cannot be drawn in Markdown, so a chart becomes a heading with its figures as a table.
Everything that comes from data is escaped: a municipality called "A|B" or a note starting
with "#" must not change the structure of the document.
"""

from __future__ import annotations

import re

from waardig.core.reports.document import (
    Block,
    Chart,
    Document,
    Note,
    Paragraph,
    Table,
    format_cell,
)

MAX_HEADING_LEVEL = 6
SPECIAL_CHARACTERS = re.compile(r"([\\`*_\[\]<>|~])")
BLOCK_START = re.compile(r"^(\s*)([#+=-])")
ORDERED_LIST_START = re.compile(r"^(\s*\d+)([.)])")


def render_markdown(document: Document) -> str:
    parts = [f"# {_escape(document.title)}"]
    if document.subtitle:
        parts.append(f"*{_escape(document.subtitle)}*")
    if document.meta:
        parts.append(
            "\n".join(f"- **{_escape(label)}:** {_escape(value)}" for label, value in document.meta)
        )
    parts.extend(_note(note) for note in document.notes)
    for depth, section in document.walk():
        level = min(depth + 1, MAX_HEADING_LEVEL)
        parts.append(f"{'#' * level} {_escape(section.title)}")
        parts.extend(_block(block, level) for block in section.blocks)
    return "\n\n".join(parts) + "\n"


def _block(block: Block, level: int) -> str:
    if isinstance(block, Paragraph):
        return _escape(block.text)
    if isinstance(block, Note):
        return _note(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        heading = f"{'#' * min(level + 1, MAX_HEADING_LEVEL)} {_escape(block.title)}"
        parts = [heading]
        if block.description:
            parts.append(f"*{_escape(block.description)}*")
        parts.append(_table(block.data_table()))
        return "\n\n".join(parts)
    raise TypeError(f"Unknown report block: {type(block).__name__}")


def _note(note: Note) -> str:
    lines = _escape(note.text).split("\n")
    lines[0] = f"**{_escape(note.label)}:** {lines[0]}"
    return "\n".join(f"> {line}" for line in lines)


def _table(table: Table) -> str:
    numeric = table.numeric_columns()
    lines = []
    if table.caption:
        lines.extend([f"**{_escape(table.caption)}**", ""])
    lines.append(_row(table.columns))
    lines.append("| " + " | ".join("---:" if right else "---" for right in numeric) + " |")
    if not table.rows:
        lines.append(_row([table.empty_text] + [""] * (len(table.columns) - 1)))
    lines.extend(_row([format_cell(value) for value in row]) for row in table.rows)
    return "\n".join(lines)


def _row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(_escape_inline(" ".join(str(cell).split())) for cell in cells) + " |"


def _escape_inline(text: str) -> str:
    return SPECIAL_CHARACTERS.sub(r"\\\1", str(text))


def _escape(text: str) -> str:
    """Backslash-escape Markdown syntax; line starts get their own treatment (lists, quotes)."""
    lines = _escape_inline(text).splitlines() or [""]
    lines = [ORDERED_LIST_START.sub(r"\1\\\2", BLOCK_START.sub(r"\1\\\2", line)) for line in lines]
    # A backslash at the end of a line is CommonMark's hard line break.
    return "\\\n".join(lines)
