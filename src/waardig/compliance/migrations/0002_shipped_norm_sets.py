"""The norm sets Waardig ships with (compliance/data/norm_sets.json) and the default signal
thresholds. Later edits by the province admin are kept in NormChange / SignalParameters."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "norm_sets.json"


def load(apps, schema_editor):
    NormSet = apps.get_model("compliance", "NormSet")
    Norm = apps.get_model("compliance", "Norm")
    SignalParameters = apps.get_model("compliance", "SignalParameters")
    for entry in json.loads(DATA.read_text(encoding="utf-8")):
        norms = entry.pop("norms")
        norm_set = NormSet.objects.create(**entry)
        for norm in norms:
            Norm.objects.create(norm_set=norm_set, **norm)
    SignalParameters.objects.create(reason="Standaardwaarden van Waardig", actor="waardig")


def unload(apps, schema_editor):
    apps.get_model("compliance", "NormSet").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
