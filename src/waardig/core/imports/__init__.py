"""The one import framework: read -> rows -> validate -> preview -> commit (atomic)."""

from waardig.core.imports.base import (
    Column,
    Importer,
    Item,
    Option,
    RowError,
    RowErrors,
    SkipRow,
)
from waardig.core.imports.runner import ImportResult, run_import

__all__ = [
    "Column",
    "ImportResult",
    "Importer",
    "Item",
    "Option",
    "RowError",
    "RowErrors",
    "SkipRow",
    "run_import",
]
