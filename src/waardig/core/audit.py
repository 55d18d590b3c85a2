"""Recording who viewed, exported or changed what: one function, used everywhere."""

from collections.abc import Iterable
from typing import Any

from waardig.core.access import account_of
from waardig.core.models import AuditEntry


def record(
    actor: Any,
    action: str,
    subject: str,
    *,
    detail: str = "",
    reason: str = "",
    municipality_codes: Iterable[str] = (),
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=account_of(actor),
        actor=str(getattr(actor, "username", "") or actor),
        action=action,
        subject=subject,
        detail=detail,
        reason=reason,
        municipality_codes=",".join(sorted(set(municipality_codes)))[:500],
    )
