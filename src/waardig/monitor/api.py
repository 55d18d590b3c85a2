"""Indicators, observations and forecasts under /api/v1/: read-only.

The whole network reads the monitor (``MONITOR_DATA``), the public gets 403 as on every
network endpoint: what the public may see is the public figures page, with small numbers
protected. Nothing is written here: figures arrive through the import (``waardig import
observations`` or the import pages) and forecasts are made by ``services.make_forecasts``,
so every figure keeps its source and import job and every forecast its method.

An area is referred to as on the import template: a CBS code (``GM0935``, ``PV31``) or, for
a region, ``grouping:name`` (``admin:Noord``, ``corop:Zuid-Limburg``). Stored figures are
listed under ``/observations/``; a region's or the province's figure that nobody observed is
derived from its municipalities by ``/observations/table/``, which says so (``derived``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from waardig.areas.api import municipality_filter
from waardig.areas.models import Municipality, Province, Region
from waardig.areas.queries import groupings_with_regions
from waardig.core.api import ReadOnlyScopedViewSet
from waardig.monitor import queries
from waardig.monitor.formats import REGION, AreaCode, RegionName, parse_template_area
from waardig.monitor.models import (
    Forecast,
    ForecastMethod,
    Indicator,
    Observation,
    ObservationStatus,
    PeriodKind,
    StayClass,
)
from waardig.monitor.periods import FormatError, parse_period

MUNICIPALITY, PROVINCE = queries.MUNICIPALITY, queries.PROVINCE
ALL_STAYS = "all"
"""The filter value for figures of all stay classes together (stored as an empty class)."""
STAY_CLASS_FILTER = [
    (ALL_STAYS, gettext_lazy("alle verblijfsduren samen")),
    *[(value, label) for value, label in StayClass.choices if value],
]

# --- areas -----------------------------------------------------------------------------------


class AreaRefSerializer(serializers.Serializer):
    """The area of a figure, referred to as the import template does."""

    kind = serializers.ChoiceField(choices=[MUNICIPALITY, REGION, PROVINCE])
    code = serializers.CharField(
        help_text=gettext_lazy("CBS-code (GM0935, PV31) of voor een regio indeling:naam.")
    )
    name = serializers.CharField()


def area_reference(area: Municipality | Region | Province) -> dict[str, str]:
    if isinstance(area, Region):
        return {"kind": REGION, "code": f"{area.grouping.slug}:{area.name}", "name": area.name}
    kind = MUNICIPALITY if isinstance(area, Municipality) else PROVINCE
    return {"kind": kind, "code": area.code, "name": area.name}


def _parse_area(text: str) -> AreaCode | RegionName:
    try:
        return parse_template_area(text.strip())
    except FormatError as exc:
        raise forms.ValidationError(exc.message) from None


def _parse_period(text: str) -> str:
    try:
        return parse_period(text).canonical
    except FormatError as exc:
        raise forms.ValidationError(exc.message) from None


# --- filters ---------------------------------------------------------------------------------


class _CodesWidget(forms.TextInput):
    """``?indicator=a&indicator=b`` and ``?indicator=a,b`` alike."""

    def value_from_datadict(self, data, files, name) -> list[str]:
        given = data.getlist(name) if hasattr(data, "getlist") else [data.get(name) or ""]
        return [code.strip() for text in given for code in text.split(",") if code.strip()]


class _CodesField(forms.Field):
    widget = _CodesWidget

    def to_python(self, value: Any) -> list[str]:
        return list(value or [])


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "description": "Code(s) van de indicator: herhaal de parameter of scheid met komma's.",
    }
)
class CodesFilter(filters.Filter):
    field_class = _CodesField

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class _PeriodField(forms.CharField):
    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return _parse_period(text) if text else text


class PeriodFilter(filters.CharFilter):
    """A period as ``2022``, ``2022-Q1``, ``2022-03`` or a CBS code (``2022KW01``)."""

    field_class = _PeriodField


class _AreaField(forms.CharField):
    def __init__(self, *args: Any, regions: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.regions = regions

    def clean(self, value: Any) -> AreaCode | RegionName | str:
        text = super().clean(value)
        if not text:
            return text
        area = _parse_area(text)
        if area.kind == REGION and not self.regions:
            raise forms.ValidationError(
                _("Hier alleen een gemeente (GM0935) of de provincie (PV31).")
            )
        return area


class AreaFilter(filters.CharFilter):
    """GM0935, PV31 or a region as ``grouping:name`` (``regions=False``: no region)."""

    field_class = _AreaField

    def filter(self, qs: QuerySet, value: AreaCode | RegionName | str) -> QuerySet:
        if not value:
            return qs
        if isinstance(value, RegionName):
            return qs.filter(region__grouping__slug=value.grouping, region__name__iexact=value.name)
        return qs.filter(**{f"{value.kind}__code": value.code})


def _stay_class(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.filter(stay_class="" if value == ALL_STAYS else value)


class ObservationFilter(filters.FilterSet):
    indicator = CodesFilter(field_name="indicator__code")
    area = AreaFilter(
        label="Gebied: gemeente (GM0935), provincie (PV31) of regio als indeling:naam (admin:Noord)"
    )
    municipality = municipality_filter()
    grouping = filters.CharFilter(
        method="filter_grouping",
        label="Indeling (slug): de regio's ervan en de gemeenten in die regio's",
    )
    period = PeriodFilter(label="Periode: 2022, 2022-Q1, 2022-03 of een CBS-code als 2022KW01")
    year = filters.NumberFilter()
    period_kind = filters.ChoiceFilter(choices=PeriodKind.choices)
    stay_class = filters.ChoiceFilter(
        choices=STAY_CLASS_FILTER, method=_stay_class, label="Verblijfsduur (all = samen)"
    )
    status = filters.ChoiceFilter(choices=ObservationStatus.choices)

    class Meta:
        model = Observation
        fields = [
            "indicator",
            "area",
            "municipality",
            "grouping",
            "period",
            "year",
            "period_kind",
            "stay_class",
            "status",
        ]

    def filter_grouping(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        members = Region.municipalities.through.objects.filter(region__grouping__slug=value)
        return queryset.filter(
            Q(region__grouping__slug=value) | Q(municipality__in=members.values("municipality"))
        )


class ForecastFilter(filters.FilterSet):
    indicator = CodesFilter(field_name="indicator__code")
    name = filters.CharFilter(label="Naam van de prognose (zoals geschreven)")
    area = AreaFilter(
        regions=False,
        label="Gemeente (GM0935) of provincie (PV31); een regio's prognose is de som van haar "
        "gemeenten",
    )
    municipality = municipality_filter()
    method = filters.ChoiceFilter(choices=ForecastMethod.choices)
    stay_class = filters.ChoiceFilter(
        choices=STAY_CLASS_FILTER, method=_stay_class, label="Verblijfsduur (all = samen)"
    )

    class Meta:
        model = Forecast
        fields = ["indicator", "name", "area", "municipality", "method", "stay_class"]


# --- indicators ------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    numerator = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    denominator = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    weight = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "definition",
            "source",
            "aggregation",
            "numerator",
            "denominator",
            "weight",
            "scale",
            "by_stay_class",
        ]
        read_only_fields = fields


class IndicatorViewSet(ReadOnlyScopedViewSet):
    """The catalogue: what each indicator counts, where it comes from and how municipal
    figures add up to a region's (sum, weighted mean, or a ratio of two indicators)."""

    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    lookup_field = "code"

    def base_queryset(self) -> QuerySet[Indicator]:
        return queries.indicators(self.request.user)


# --- observations ----------------------------------------------------------------------------


class ObservationSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.SerializerMethodField()
    derived = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Altijd false: opgeslagen waarden zijn waargenomen; afgeleide staan in "
            "/observations/table/."
        )
    )

    class Meta:
        model = Observation
        fields = [
            "id",
            "indicator",
            "area",
            "period",
            "period_kind",
            "year",
            "stay_class",
            "value",
            "status",
            "source",
            "publication",
            "retrieved_on",
            "derived",
        ]
        read_only_fields = fields

    @extend_schema_field(AreaRefSerializer)
    def get_area(self, observation: Observation) -> dict[str, str]:
        return area_reference(observation.area)

    def get_derived(self, observation: Observation) -> bool:
        return False


class ValueTableQuerySerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text=gettext_lazy("Code van de indicator."))
    level = serializers.CharField(
        help_text=gettext_lazy(
            "municipality, province, of de slug van een indeling (admin, corop): dan één rij "
            "per regio."
        )
    )
    period = serializers.CharField(
        help_text=gettext_lazy("2022, 2022-Q1, 2022-03 of een CBS-code als 2022KW01.")
    )
    stay_class = serializers.ChoiceField(
        choices=STAY_CLASS_FILTER,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Leeg of all: alle verblijfsduren samen."),
    )

    def validate_indicator(self, code: str) -> Indicator:
        found = queries.indicators(self.context["request"].user).filter(code=code).first()
        if found is None:
            raise serializers.ValidationError(_("Onbekende indicator '%(code)s'.") % {"code": code})
        return found

    def validate_level(self, level: str) -> str:
        slugs = [g.slug for g in groupings_with_regions()]
        if level in (MUNICIPALITY, PROVINCE) or level in slugs:
            return level
        raise serializers.ValidationError(
            _("Onbekend niveau '%(level)s': kies municipality, province of een indeling (%(g)s).")
            % {"level": level, "g": ", ".join(slugs)}
        )

    def validate_period(self, text: str) -> str:
        try:
            return parse_period(text).canonical
        except FormatError as exc:
            raise serializers.ValidationError(exc.message) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("stay_class") == ALL_STAYS:
            attrs["stay_class"] = ""
        if attrs.get("stay_class") and not attrs["indicator"].by_stay_class:
            raise serializers.ValidationError(
                {"stay_class": _("Deze indicator wordt niet naar verblijfsduur gesplitst.")}
            )
        return attrs


class ValueRowSerializer(serializers.Serializer):
    code = serializers.SerializerMethodField(
        help_text=gettext_lazy("CBS-code (GM0935, PV31) of voor een regio indeling:naam.")
    )
    name = serializers.CharField()
    value = serializers.DecimalField(
        max_digits=None, decimal_places=4, allow_null=True, help_text=gettext_lazy("Leeg: geen.")
    )
    status = serializers.CharField()
    source = serializers.CharField()
    derived = serializers.BooleanField(
        help_text=gettext_lazy("Afgeleid uit de gemeentelijke waarden, niet zelf waargenomen.")
    )
    note = serializers.CharField(help_text=gettext_lazy("Bijvoorbeeld 'afgeleid uit 28 van 31'."))
    count = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Bij een afgeleide waarde: uit hoeveel gemeenten.")
    )
    expected = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Bij een afgeleide waarde: van hoeveel gemeenten.")
    )

    def get_code(self, row: queries.ValueRow) -> str:
        return area_reference(row.area)["code"]


class ValueTableSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    level = serializers.CharField()
    period = serializers.CharField(help_text=gettext_lazy("De periode zoals opgeslagen (2022)."))
    stay_class = serializers.CharField()
    rows = ValueRowSerializer(many=True)


class ObservationViewSet(ReadOnlyScopedViewSet):
    """Stored figures, each with its status and source. For every area of one level,
    including figures derived from the municipalities, use ``table``."""

    queryset = Observation.objects.all()
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter

    def base_queryset(self) -> QuerySet[Observation]:
        return (
            queries.observations(self.request.user)
            .select_related("indicator", "municipality", "region__grouping", "province")
            .defer(*queries.LARGE_AREA_FIELDS)
        )

    @extend_schema(parameters=[ValueTableQuerySerializer], responses=ValueTableSerializer)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def table(self, request: Request) -> Response:
        """One indicator for every area of one level in one period: a figure observed at
        that level wins, else it is derived from the municipalities (``derived``, with
        ``count`` of ``expected`` municipalities and a ``note`` saying so)."""
        query = ValueTableQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = queries.value_table(
            params["indicator"],
            params["level"],
            params["period"],
            params["stay_class"],
            actor=request.user,
        )
        table = {
            "indicator": params["indicator"].code,
            "level": params["level"],
            "period": params["period"],
            "stay_class": params["stay_class"],
            "rows": rows,
        }
        return Response(ValueTableSerializer(table).data)


# --- forecasts -------------------------------------------------------------------------------


class ForecastPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    low = serializers.DecimalField(max_digits=None, decimal_places=None)
    central = serializers.DecimalField(max_digits=None, decimal_places=None)
    high = serializers.DecimalField(max_digits=None, decimal_places=None)


class ForecastSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.SerializerMethodField()
    parameters = serializers.DictField(
        read_only=True, help_text=gettext_lazy("Wat de methode gebruikte, om het na te rekenen.")
    )
    points = ForecastPointSerializer(
        many=True, read_only=True, help_text=gettext_lazy("Per jaar: laag, midden en hoog.")
    )

    class Meta:
        model = Forecast
        fields = [
            "id",
            "indicator",
            "name",
            "area",
            "stay_class",
            "method",
            "parameters",
            "target_year",
            "points",
            "made_at",
            "made_by",
        ]
        read_only_fields = fields

    @extend_schema_field(AreaRefSerializer)
    def get_area(self, forecast: Forecast) -> dict[str, str]:
        return area_reference(forecast.area)


class ForecastViewSet(ReadOnlyScopedViewSet):
    """Forecasts of the province and each municipality: a yearly range (low, central,
    high) with the method and parameters that made it. A region's is the sum of its
    municipalities'. Forecasts are never observations."""

    queryset = Forecast.objects.all()
    serializer_class = ForecastSerializer
    filterset_class = ForecastFilter

    def base_queryset(self) -> QuerySet[Forecast]:
        return queries.forecasts(self.request.user)


router = routers.SimpleRouter(trailing_slash=True)
router.register("indicators", IndicatorViewSet)
router.register("observations", ObservationViewSet)
router.register("forecasts", ForecastViewSet)
urlpatterns = router.urls
