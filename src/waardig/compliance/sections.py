"""The pages of the supervision section, linked from each of them (a row of links)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy

from waardig.compliance.models import Inspection, Norm, NormSet, ScanRun, Signal
from waardig.core import navigation

SECTION_PAGES: tuple[tuple[Any, str, type[Model]], ...] = (
    (gettext_lazy("Overzicht"), "compliance-home", Norm),
    (gettext_lazy("Signalen"), "compliance-signal-list", Signal),
    (gettext_lazy("Inspectieplanning"), "compliance-planning", Inspection),
    (gettext_lazy("Normen"), "compliance-norm-sets", NormSet),
    (gettext_lazy("Scans"), "compliance-scans", ScanRun),
)


def section_links(user: Any, current_path: str = "") -> list[tuple[Any, str, bool]]:
    return navigation.section_links(user, SECTION_PAGES, current_path)


def crumbs(*trail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    """Breadcrumbs of a supervision page: the section first, then ``trail``."""
    return [(gettext_lazy("Toezicht"), reverse("compliance-home")), *trail]
