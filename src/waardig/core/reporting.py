"""Building a registered report for an actor: access check and audit in one place."""

from typing import Any

from django.core.exceptions import PermissionDenied

from waardig.core import audit
from waardig.core.access import VIEW, may
from waardig.core.registry import REPORTS, ReportKind


def build(actor: Any, kind: ReportKind | str, options: dict[str, Any], *, fmt: str = "html") -> Any:
    """The report's document; reports holding personal data log who viewed or exported them."""
    spec = REPORTS[kind] if isinstance(kind, str) else kind
    if not may(actor, VIEW, spec.model):
        raise PermissionDenied
    document = spec.build(actor, options)
    if spec.personal:
        action = "view" if fmt == "html" else "export"
        audit.record(actor, action, f"rapport {spec.kind}", detail=f"{document.title} ({fmt})")
    return document
