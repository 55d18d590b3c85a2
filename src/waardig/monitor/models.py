"""Indicators and their observed values per area and period, each with its provenance.

Only observed values are stored. A region's or province's figure that nobody observed is
derived from its municipalities when it is read (``monitor.queries``), so it can never drift
from the municipal figures it is made of.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waardig.core.access import NETWORK_ROLES, AccessPolicy, Role
from waardig.monitor import forecasting, periods, rules
from waardig.monitor.periods import FormatError, parse_period

MONITOR_DATA = AccessPolicy(
    view=NETWORK_ROLES, change=frozenset({Role.PROVINCE_ADMIN, Role.ANALYST})
)
"""The network reads the monitor; the province's admin and analysts keep its figures. The
public sees only what the public view publishes (aggregated, small numbers protected)."""


class Aggregation(models.TextChoices):
    SUM = rules.SUM, _("Optellen")
    WEIGHTED_MEAN = rules.WEIGHTED_MEAN, _("Gewogen gemiddelde")
    RATIO = rules.RATIO, _("Verhouding van twee indicatoren")


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=30, help_text=_("Bijvoorbeeld personen of %."))
    definition = models.TextField(_("definitie"), blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    aggregation = models.CharField(
        _("optellen over gebieden"),
        max_length=20,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("teller"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("noemer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.ForeignKey(
        "self",
        verbose_name=_("gewicht"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("De indicator waarmee gemeentelijke waarden worden gewogen."),
    )
    scale = models.DecimalField(
        _("schaal"),
        max_digits=12,
        decimal_places=4,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Factor voor een verhouding, bijvoorbeeld 100 voor een percentage."),
    )
    by_stay_class = models.BooleanField(
        _("naar verblijfsduur"),
        default=False,
        help_text=_("Waarden kunnen ook per verblijfsklasse (kort, middellang, lang) bestaan."),
    )
    order = models.PositiveIntegerField(
        _("volgorde"), default=0, validators=[MaxValueValidator(1_000_000)]
    )

    access = MONITOR_DATA

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        ratio = self.aggregation == Aggregation.RATIO
        weighted = self.aggregation == Aggregation.WEIGHTED_MEAN
        for field, needed in (
            ("numerator", ratio),
            ("denominator", ratio),
            ("weight", weighted),
        ):
            given = getattr(self, f"{field}_id") is not None
            if needed and not given:
                errors[field] = _("Verplicht bij deze manier van optellen.")
            elif given and not needed:
                errors[field] = _("Alleen bij een verhouding of gewogen gemiddelde.")
            elif given and self.pk is not None and getattr(self, f"{field}_id") == self.pk:
                errors[field] = _("Een indicator kan niet naar zichzelf verwijzen.")
        if ratio and not self.scale:
            errors["scale"] = _("Een verhouding heeft een schaal groter dan 0.")
        if errors:
            raise ValidationError(errors)

    def parts(self) -> tuple["Indicator", ...]:
        """The indicators whose municipal values make up a derived figure of this one."""
        if self.aggregation == Aggregation.RATIO:
            return (self.numerator, self.denominator)
        if self.aggregation == Aggregation.WEIGHTED_MEAN:
            return (self, self.weight)
        return (self,)


class PeriodKind(models.TextChoices):
    YEAR = periods.YEAR, _("jaar")
    QUARTER = periods.QUARTER, _("kwartaal")
    MONTH = periods.MONTH, _("maand")


class StayClass(models.TextChoices):
    ALL = "", _("alle")
    SHORT = rules.STAY_CLASSES[0], _("kort verblijf")
    MID = rules.STAY_CLASSES[1], _("middellang verblijf")
    LONG = rules.STAY_CLASSES[2], _("lang verblijf")


class ObservationStatus(models.TextChoices):
    DEFINITIVE = rules.DEFINITIVE, _("definitief")
    PROVISIONAL = rules.PROVISIONAL, _("voorlopig")
    ESTIMATE = rules.ESTIMATE, _("schatting")
    FICTITIOUS = rules.FICTITIOUS, _("fictief")


def status_label(code: str) -> str:
    """A figure's status as users read it ("fictief"), in the active language; "" (no
    figure) and unknown codes stay as given."""
    return str(ObservationStatus(code).label) if code in ObservationStatus.values else code


AREA_FIELDS = ("municipality", "region", "province")
OBSERVATION_VALUES = ("value", "status", "source", "publication", "retrieved_on")
"""What a new figure for an existing key may change; the import job only follows a change."""


def _one_area() -> Q:
    """Exactly one of the three area fields is filled."""
    only = [Q(**{f"{name}__isnull": name != kept for name in AREA_FIELDS}) for kept in AREA_FIELDS]
    return only[0] | only[1] | only[2]


def _optional_area(to: str, label: Any) -> models.ForeignKey:
    """One of the areas a figure can belong to; a check constraint fills exactly one."""
    return models.ForeignKey(
        to, verbose_name=label, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class Observation(models.Model):
    """One value of one indicator for one area, period and stay class, with its source.

    The natural key (indicator, area, period, stay class) is unique per kind of area: three
    partial constraints, because a unique constraint over nullable columns lets rows with
    NULLs repeat on PostgreSQL and SQLite alike.
    """

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    municipality = _optional_area("areas.Municipality", _("gemeente"))
    region = _optional_area("areas.Region", _("regio"))
    province = _optional_area("areas.Province", _("provincie"))
    period = models.CharField(
        _("periode"), max_length=7, help_text=_("2022 (jaar), 2022-Q1 (kwartaal) of 2022-03.")
    )
    # Filled from ``period`` by clean(): never set on their own (hence blank, not editable).
    period_kind = models.CharField(
        _("soort periode"), max_length=7, choices=PeriodKind.choices, blank=True, editable=False
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MaxValueValidator(9999)], blank=True, editable=False
    )
    period_start = models.DateField(_("begin periode"), blank=True, editable=False)
    stay_class = models.CharField(
        _("verblijfsduur"), max_length=5, choices=StayClass.choices, default="", blank=True
    )
    value = models.DecimalField(_("waarde"), max_digits=16, decimal_places=4)
    status = models.CharField(
        _("status"),
        max_length=11,
        choices=ObservationStatus.choices,
        default=ObservationStatus.DEFINITIVE,
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)
    publication = models.CharField(_("publicatie"), max_length=300, blank=True)
    retrieved_on = models.DateField(_("opgehaald op"), null=True, blank=True)
    import_job = models.ForeignKey(
        "core.ImportJob",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    access = MONITOR_DATA

    class Meta:
        ordering = ["indicator", "period_start", "period", "id"]
        constraints = [
            models.CheckConstraint(condition=_one_area(), name="observation_one_area"),
            *(
                models.UniqueConstraint(
                    fields=["indicator", area, "period", "stay_class"],
                    condition=Q(**{f"{area}__isnull": False}),
                    name=f"observation_unique_{area}",
                    violation_error_message=_(
                        "Voor deze indicator, dit gebied, deze periode en verblijfsduur "
                        "bestaat al een waarde."
                    ),
                )
                for area in AREA_FIELDS
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"], name="observation_period")]
        verbose_name = _("waarneming")
        verbose_name_plural = _("waarnemingen")

    def __str__(self) -> str:
        stay = f" {self.get_stay_class_display()}" if self.stay_class else ""
        return f"{self.indicator} {self.area} {self.period}{stay}: {self.value}"

    @property
    def area(self):
        return self.municipality or self.region or self.province

    def clean(self) -> None:
        """Fill the period's kind, year and start from its text, which must be canonical."""
        errors = {}
        if sum(getattr(self, f"{name}_id") is not None for name in AREA_FIELDS) != 1:
            errors["municipality"] = _("Kies precies één gebied: gemeente, regio of provincie.")
        try:
            period = parse_period(self.period or "")
        except FormatError as exc:
            errors["period"] = exc.message
        else:
            self.period, self.period_kind = period.canonical, period.kind
            self.year, self.period_start = period.year, period.start
        indicator = self.indicator if self.indicator_id else None
        if self.stay_class and indicator is not None and not indicator.by_stay_class:
            errors["stay_class"] = _("Deze indicator wordt niet naar verblijfsduur gesplitst.")
        if errors:
            raise ValidationError(errors)


class ForecastMethod(models.TextChoices):
    CAGR = forecasting.CAGR, _("gemiddelde jaarlijkse groei")
    LINEAR = forecasting.LINEAR, _("lineaire trend")
    SCENARIO = forecasting.SCENARIO, _("scenario (provinciale onder- en bovengrens)")


class Forecast(models.Model):
    """Where one indicator may go in one area: a path of yearly ranges (low, central, high)
    with the method and parameters that made it, so every forecast can be redone and is never
    mistaken for an observation.

    Forecasts made together carry one ``name`` (e.g. "Scenario Integrale Aanpak 2030"): the
    province's path and its municipalities' shares of it. A region's forecast is the sum of
    its municipalities' when it is read.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="forecasts"
    )
    name = models.CharField(_("naam"), max_length=120)
    municipality = _optional_area("areas.Municipality", _("gemeente"))
    province = _optional_area("areas.Province", _("provincie"))
    stay_class = models.CharField(
        _("verblijfsduur"), max_length=5, choices=StayClass.choices, default="", blank=True
    )
    method = models.CharField(_("methode"), max_length=10, choices=ForecastMethod.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    target_year = models.PositiveSmallIntegerField(_("doeljaar"))
    points = models.JSONField(
        _("prognose per jaar"), default=list, help_text=_("Per jaar: laag, midden en hoog.")
    )
    made_at = models.DateTimeField(_("gemaakt op"), auto_now=True)
    made_by = models.CharField(_("gemaakt door"), max_length=150, blank=True)

    access = MONITOR_DATA

    class Meta:
        ordering = ["indicator", "name", "province", "municipality__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=True, province__isnull=False)
                | Q(municipality__isnull=False, province__isnull=True),
                name="forecast_one_area",
            ),
            *(
                models.UniqueConstraint(
                    fields=["indicator", "name", area, "stay_class"],
                    condition=Q(**{f"{area}__isnull": False}),
                    name=f"forecast_unique_{area}",
                )
                for area in ("municipality", "province")
            ),
        ]
        verbose_name = _("prognose")
        verbose_name_plural = _("prognoses")

    def __str__(self) -> str:
        return f"{self.name}: {self.indicator} {self.area} {self.target_year}"

    @property
    def area(self):
        return self.municipality or self.province

    @property
    def path(self) -> forecasting.Path:
        return forecasting.Path(
            self.method,
            self.parameters,
            tuple(
                forecasting.Point(
                    p["year"], Decimal(p["low"]), Decimal(p["central"]), Decimal(p["high"])
                )
                for p in self.points
            ),
        )

    @staticmethod
    def stored_points(path: forecasting.Path) -> list[dict]:
        return [
            {"year": p.year, "low": str(p.low), "central": str(p.central), "high": str(p.high)}
            for p in path.points
        ]
