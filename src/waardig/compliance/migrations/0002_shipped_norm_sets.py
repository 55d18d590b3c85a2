"""The norm sets Waardig ships with and the default signal thresholds (compliance.shipped).
Later edits by the province admin are kept in NormChange / SignalParameters."""

from django.db import migrations

from waardig.compliance import shipped


def load(apps, schema_editor):
    shipped.load(
        apps.get_model("compliance", "NormSet"),
        apps.get_model("compliance", "Norm"),
        apps.get_model("compliance", "SignalParameters"),
    )


def unload(apps, schema_editor):
    apps.get_model("compliance", "NormSet").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
