"""Reports: a report function returns one `Document`; renderers turn it into every format.

Import the model from here; the renderers live in their own modules (and `render.render` picks
one by format name) so that building a document never loads WeasyPrint or openpyxl.
"""

from waardig.core.reports.document import (
    Block,
    Chart,
    Document,
    Note,
    Paragraph,
    Section,
    Table,
    format_cell,
)

__all__ = ["Block", "Chart", "Document", "Note", "Paragraph", "Section", "Table", "format_cell"]
