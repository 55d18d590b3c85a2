"""Areas are public reference data: readable without login."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import routers, serializers

from waardig.areas import queries
from waardig.areas.models import Grouping, Municipality, Province, Region
from waardig.core.api import ReadOnlyScopedViewSet


def municipality_filter() -> filters.CharFilter:
    """Filter on the municipality's CBS code (``?municipality=GM0935``)."""
    return filters.CharFilter(field_name="municipality__code", label="Gemeente (CBS-code)")


class RegionRefSerializer(serializers.ModelSerializer):
    grouping = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Region
        fields = ["id", "name", "grouping"]


class MunicipalitySerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    regions = RegionRefSerializer(many=True, read_only=True)

    class Meta:
        model = Municipality
        fields = ["code", "name", "province", "valid_from", "valid_to", "successor", "regions"]


class MunicipalityFilter(filters.FilterSet):
    province = filters.CharFilter(field_name="province__code")
    grouping = filters.CharFilter(field_name="regions__grouping__slug", distinct=True)
    region = filters.NumberFilter(field_name="regions__id")
    valid_on = filters.DateFilter(method="filter_valid_on", label="Geldig op (JJJJ-MM-DD)")
    include_historical = filters.BooleanFilter(
        method="filter_nothing", label="Ook opgeheven gemeenten"
    )

    class Meta:
        model = Municipality
        fields = ["province", "grouping", "region"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)

    def filter_nothing(self, queryset, name, value):
        return queryset  # handled in get_queryset: it decides the default window


@extend_schema_view(
    list=extend_schema(
        description="Gemeenten met hun regio's in elke indeling. Standaard alleen de gemeenten "
        "die vandaag bestaan; include_historical=true of valid_on=JJJJ-MM-DD voor de historie."
    )
)
class MunicipalityViewSet(ReadOnlyScopedViewSet):
    queryset = Municipality.objects.all()
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    lookup_field = "code"

    def base_queryset(self):
        params = self.request.query_params
        if self.action == "retrieve" or params.get("valid_on"):
            return queries.municipalities({"include_historical": "1"})
        return queries.municipalities({"include_historical": params.get("include_historical")})


class RegionSerializer(serializers.ModelSerializer):
    grouping = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    municipalities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "name", "grouping", "municipalities"]


class GroupingSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    regions = RegionSerializer(many=True, read_only=True)

    class Meta:
        model = Grouping
        fields = ["slug", "name", "province", "regions"]


class GroupingViewSet(ReadOnlyScopedViewSet):
    queryset = Grouping.objects.select_related("province").prefetch_related(
        Prefetch("regions", queryset=Region.objects.prefetch_related("municipalities"))
    )
    serializer_class = GroupingSerializer
    filterset_fields = ["slug"]


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name"]


class ProvinceViewSet(ReadOnlyScopedViewSet):
    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    lookup_field = "code"


router = routers.SimpleRouter(trailing_slash=True)
router.register("provinces", ProvinceViewSet)
router.register("groupings", GroupingViewSet)
router.register("municipalities", MunicipalityViewSet)
urlpatterns = router.urls
