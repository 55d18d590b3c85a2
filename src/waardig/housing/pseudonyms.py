"""Person identifiers become pseudonyms at the door: a keyed hash (HMAC-SHA256).

The same identifier always gives the same pseudonym (so two guest registers, or a guest
register and a registration extract, can be linked), while without the key nobody can go
back from the pseudonym to the identifier, nor test a guessed BSN against a stored pseudonym.
(Whoever may import a location's register can still test a guess through Waardig itself: an
import's preview says whether a stay is already known. That is within their own register;
every import is audited.) The key is ``WAARDIG_PSEUDONYM_KEY`` (see .env.example); the clear
identifier is never stored.
"""

import hashlib
import hmac

from django.conf import settings


def normalise(identifier: str) -> str:
    """Spaces, dots and dashes are formatting, letters are case-insensitive: '1234.56.782'
    and '123456782' are the same person. Leading zeros of an all-digit identifier are dropped,
    because a spreadsheet drops them from a number cell: '012345678' (text) and 12345678
    (number) are one person too."""
    normal = "".join(ch for ch in identifier.upper() if ch.isalnum())
    return (normal.lstrip("0") or normal) if normal.isdigit() else normal


def pseudonym(identifier: str, key: str | None = None) -> str:
    """64 hex digits; raises ValueError for an identifier without letters or digits."""
    normal = normalise(identifier)
    if not normal:
        raise ValueError("empty person identifier")
    secret = (key if key is not None else settings.WAARDIG_PSEUDONYM_KEY).encode()
    return hmac.new(secret, normal.encode(), hashlib.sha256).hexdigest()
