"""Provinces, municipalities (with validity and successors) and groupings into regions.

Nothing here knows Limburg: a province and its municipalities arrive through the areas
import (see ``areas.importers``) from a data file such as ``areas/data/pv31-limburg.csv``.
"""

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waardig.core.access import CHANGE, PUBLIC_DATA, allowed_municipality_ids


class Province(models.Model):
    code = models.CharField(_("CBS-code"), max_length=4, unique=True)  # PV31
    name = models.CharField(_("naam"), max_length=100)

    access = PUBLIC_DATA

    class Meta:
        ordering = ["name"]
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> "MunicipalityQuerySet":
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self) -> "MunicipalityQuerySet":
        return self.valid_on(date.today())

    def open_to(
        self, actor: Any, model: Any, action: str = CHANGE, keep: int | None = None
    ) -> "MunicipalityQuerySet":
        """Today's municipalities the actor may act for on ``model`` (core.access), by name;
        ``keep``: the id of one an object already has, even when it has merged since."""
        found = self.current()
        if keep is not None:
            found = self.filter(Q(pk__in=found.values("pk")) | Q(pk=keep))
        allowed = allowed_municipality_ids(actor, model, action)
        if allowed is not None:
            found = found.filter(pk__in=allowed)
        return found.order_by("name")


class MunicipalityManager(models.Manager.from_queryset(MunicipalityQuerySet)):
    def get_queryset(self) -> MunicipalityQuerySet:
        """Boundaries are large and only maps read them (by asking for them by name)."""
        return super().get_queryset().defer("boundary")


class Municipality(models.Model):
    code = models.CharField(_("CBS-code"), max_length=6, unique=True)  # GM0935
    name = models.CharField(_("naam"), max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="municipalities")
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("opvolger"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("De gemeente die na een herindeling verdergaat."),
    )
    boundary = models.JSONField(
        pgettext_lazy("boundary of an area", "grens"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("GeoJSON-geometrie (WGS84), geladen met `waardig manage load_boundaries`."),
    )

    objects = MunicipalityManager()
    access = PUBLIC_DATA

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def final_successor(self) -> "Municipality":
        """The municipality this one lives on in after every merger (itself if none)."""
        current, seen = self, {self.pk}
        while current.successor_id and current.successor_id not in seen:
            seen.add(current.successor_id)
            current = current.successor
        return current


class Grouping(models.Model):
    """A way to divide a province into regions: administrative regions, COROP areas, ..."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="groupings")
    slug = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("naam"), max_length=100)

    access = PUBLIC_DATA

    class Meta:
        ordering = ["province", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["province", "slug"], name="grouping_unique_slug")
        ]
        verbose_name = _("indeling")
        verbose_name_plural = _("indelingen")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(_("naam"), max_length=100)
    municipalities = models.ManyToManyField(Municipality, related_name="regions", blank=True)

    access = PUBLIC_DATA

    class Meta:
        ordering = ["grouping", "name"]
        constraints = [
            models.UniqueConstraint(fields=["grouping", "name"], name="region_unique_name")
        ]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")

    def __str__(self) -> str:
        return f"{self.name} ({self.grouping.name})"
