"""Demo programmes: the two real programmes of the province, summarised in our own words
(programme/data/), with fictitious status updates and spending clearly marked 'fictief'."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from importlib.resources import files
from typing import Any

from django.utils import timezone

from waardig.core.access import SYSTEM
from waardig.core.imports import run_import
from waardig.organisations.demo import organisation
from waardig.programme import services
from waardig.programme.importers import ActionListImporter
from waardig.programme.models import Action, Programme, Status

DATA = files("waardig.programme") / "data"
DEMO_AUTHOR = "Programmacoördinator (fictief)"

# Fictitious course of the 2025-2027 actions, cycled: (days before today, status, progress).
# Relative to today, so the demo shows recent work as well as actions gone quiet.
FICTITIOUS_COURSES = [
    [(400, "running", 20), (45, "running", 60)],
    [(380, "running", 30), (30, "done", 100)],
    [(200, "delayed", 10)],
    [(300, "continuous", 50), (20, "continuous", 50)],
    [],
]


def load_integrale_aanpak() -> Programme:
    data: dict[str, Any] = json.loads((DATA / "integrale-aanpak-2025-2027.json").read_text())
    meta = dict(data["programme"])
    meta["owner"] = organisation(meta["owner"])
    programme = services.save_programme(SYSTEM, **meta)
    themes = {}
    step = 0
    for order, theme_data in enumerate(data["themes"], start=1):
        actions = theme_data.pop("actions")
        theme = services.save_theme(SYSTEM, programme, order=order, **theme_data)
        themes[theme.code] = theme
        for number, values in enumerate(actions, start=1):
            milestones = values.pop("milestones", [])
            values["lead_organisation"] = organisation(values["lead_organisation"])
            partners = [organisation(n) for n in values.pop("partners", [])]
            action = services.save_action(
                SYSTEM, programme, theme=theme, order=number, partners=partners, **values
            )
            for position, milestone in enumerate(milestones, start=1):
                services.save_milestone(SYSTEM, action, order=position, **milestone)
            _fictitious_course(action, FICTITIOUS_COURSES[step % len(FICTITIOUS_COURSES)])
            step += 1
    for order, outcome in enumerate(data["outcomes"], start=1):
        services.save_outcome(SYSTEM, programme, order=order, **outcome)
    for line in data["budget"]:
        theme_code = line.pop("theme")
        real_budget = Decimal(line.pop("budgeted"))
        fictitious = real_budget > 0
        if fictitious:  # the budget is the plan's; what is committed and spent is invented
            line["description"] += " Verplichte en bestede bedragen zijn fictief."
        services.save_budget_line(
            SYSTEM,
            programme,
            theme=themes.get(theme_code),
            budgeted=real_budget,
            committed=Decimal("118500") if fictitious else Decimal(0),
            spent=Decimal("86240") if fictitious else Decimal(0),
            fictitious=fictitious,
            **line,
        )
    return programme


def _fictitious_course(action: Action, course: list[tuple[int, str, int]]) -> None:
    today = timezone.localdate()
    for days_ago, status, progress in course:
        services.add_status_update(
            SYSTEM,
            action,
            status=status,
            progress=progress,
            date=today - datetime.timedelta(days=days_ago),
            narrative=_narrative(status),
            fictitious=True,
            author_name=DEMO_AUTHOR,
        )


def _narrative(status: str) -> str:
    return {
        Status.RUNNING: "Fictief bericht: de partners zijn aan de slag; eerste resultaten "
        "zijn met de Stuurgroep besproken.",
        Status.DONE: "Fictief bericht: het beoogde resultaat is opgeleverd en in de "
        "Stuurgroep vastgesteld.",
        Status.DELAYED: "Fictief bericht: de start schuift op omdat de capaciteit bij de "
        "partners nog niet rond is.",
        Status.CONTINUOUS: "Fictief bericht: loopt als vast onderdeel van het overleg door.",
    }.get(status, "Fictief bericht.")


def load_visie_2020() -> Programme:
    """The 2020 action list, read through the same importer users run on their documents."""
    name = "visie-2020-demo.txt"
    importer = ActionListImporter(SYSTEM, {"programme": "visie-2020"})
    result = run_import(importer, (DATA / name).read_bytes(), name, dry_run=False)
    if not result.ok:
        raise RuntimeError(f"demo action list does not import: {result.errors}")
    programme = Programme.objects.get(slug="visie-2020")
    return services.save_programme(
        SYSTEM,
        programme,
        name="Visie Internationale Werknemers Limburg (2020): actielijst",
        description="Actiepunten uit de visie van 2020 op wonen, werken, samenleven en "
        "algemeen, met de stand van zaken zoals de Stuurgroep die bijhield "
        "(samengevat voor de demonstratie).",
        period_text="2020 - 2024",
        owner=organisation("Provincie Limburg"),
        reporting_rhythm=Programme.Rhythm.QUARTERLY,
    )


def load_programmes() -> None:
    load_integrale_aanpak()
    load_visie_2020()
