"""The pages of the housing section, linked from each of them (a row of section links)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy

from waardig.core import navigation
from waardig.housing.models import (
    HousingNeed,
    Location,
    Parameters,
    PolicyEntry,
    Project,
    WoondealAgreement,
)

SECTION_PAGES: tuple[tuple[Any, str, type[Model]], ...] = (
    (gettext_lazy("Tekort en overschot"), "housing-gap", HousingNeed),
    (gettext_lazy("Locaties"), "housing-location-list", Location),
    (gettext_lazy("Projecten"), "housing-project-list", Project),
    (gettext_lazy("Woondeal"), "housing-woondeal", WoondealAgreement),
    (gettext_lazy("Woonbehoefte"), "housing-need-list", HousingNeed),
    (gettext_lazy("Parameters"), "housing-parameters", Parameters),
    (gettext_lazy("Beleidsinventarisatie"), "housing-policy", PolicyEntry),
)


def section_links(user: Any, current_path: str = "") -> list[tuple[Any, str, bool]]:
    """(label, url, is the current page) of the section pages the user may open."""
    return navigation.section_links(user, SECTION_PAGES, current_path)


def crumbs(*trail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    """Breadcrumbs of a housing page: the section first, then ``trail``."""
    return [(gettext_lazy("Huisvesting"), reverse("housing-gap")), *trail]
