"""The indicator catalogue shipped with Waardig (``data/indicators.json``).

Loaded by ``waardig setup``; loading again brings every indicator up to date by its code
and leaves indicators added by users alone.
"""

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from waardig.core.access import SYSTEM
from waardig.monitor.models import Indicator
from waardig.monitor.services import save_indicator

CATALOGUE = Path(__file__).parent / "data" / "indicators.json"
REFERENCES = ("numerator", "denominator", "weight")


@transaction.atomic
def load_indicators(path: Path = CATALOGUE, actor: Any = SYSTEM) -> Counter[str]:
    """Create or update each indicator of the file; returns how many were created, updated
    or left unchanged.

    Indicators may refer to ones later in the file: every indicator is saved before the
    ratios and weighted means that need it.
    """
    entries = json.loads(path.read_text(encoding="utf-8"))
    outcomes: Counter[str] = Counter()
    saved: dict[str, Indicator] = {}
    pending = list(enumerate(entries))
    while pending:
        ready = [(i, e) for i, e in pending if all(e[r] in saved for r in _refs(e))]
        if not ready:
            codes = sorted(e["code"] for _, e in pending)
            raise ValueError(f"indicators refer to unknown or circular indicators: {codes}")
        for order, entry in ready:
            indicator, outcome = save_indicator(actor, **_values(entry, order, saved))
            saved[indicator.code] = indicator
            outcomes[outcome] += 1
        pending = [(i, e) for i, e in pending if e["code"] not in saved]
    return outcomes


def _refs(entry: dict[str, Any]) -> list[str]:
    return [ref for ref in REFERENCES if entry.get(ref)]


def _values(entry: dict[str, Any], order: int, saved: dict[str, Indicator]) -> dict[str, Any]:
    values = {
        "code": entry["code"],
        "name": entry["name"],
        "unit": entry["unit"],
        "definition": entry.get("definition", ""),
        "source": entry.get("source", ""),
        "aggregation": entry.get("aggregation", "sum"),
        "scale": Decimal(entry.get("scale", "1")),
        "by_stay_class": bool(entry.get("by_stay_class", False)),
        "order": (order + 1) * 10,
    }
    values.update({ref: saved[entry[ref]] if entry.get(ref) else None for ref in REFERENCES})
    return values
