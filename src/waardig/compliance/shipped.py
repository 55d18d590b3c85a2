"""The norm sets Waardig ships with (data/norm_sets.json) and the default signal thresholds.

Migration 0002 loads them into every new database with its historical models; the tests load
them again with the same function where an earlier test emptied the tables (a transactional
test flushes the database)."""

import json
from importlib.resources import files
from typing import Any

DATA = files("waardig.compliance") / "data" / "norm_sets.json"


def load(norm_set_model: Any, norm_model: Any, signal_parameters_model: Any) -> None:
    for entry in json.loads(DATA.read_text(encoding="utf-8")):
        norms = entry.pop("norms")
        norm_set = norm_set_model.objects.create(**entry)
        for norm in norms:
            norm_model.objects.create(norm_set=norm_set, **norm)
    signal_parameters_model.objects.create(reason="Standaardwaarden van Waardig", actor="waardig")
