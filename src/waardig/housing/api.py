"""The housing register under /api/v1/: locations with their occupancy, head counts and
guest stays here; projects, Woondeal agreements, housing need, the policy inventory and the
parameters in ``housing.planning_api``. All routes are registered below.

Scoped exactly like the pages (``core.access``): the province's roles see every location,
a municipality's officers keep their own municipalities' locations and inspectors read
theirs; the planning data is shared with the whole network. Every write goes through
``housing.services``, which checks access again and keeps the history: a location's status
changes only by appending a status change (``POST .../status/``). Nothing is deleted here: a
location closes with a status change.

Guest stays are person-level data (pseudonyms and dates): only the location's municipality
sees them, and every read is written to the audit log. The province sees occupancy per
location as counts (``occupancy``), never a stay; a count from the register above 0 and
below ``WAARDIG_REGISTER_MIN_COUNT`` is null with a ``..._below_threshold`` flag for whoever
does not see the register (it could describe one person). Municipalities are referred to
by their CBS code (``GM0935``), organisations and people by id.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from waardig.areas.api import municipality_filter
from waardig.core import audit
from waardig.core.api import (
    APPEND_ONLY,
    NO_DELETE,
    ReadOnlyScopedViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedViewSet,
    history_action,
)
from waardig.housing import occupancy, services
from waardig.housing.models import (
    Certification,
    GuestStay,
    HeadCount,
    HousingForm,
    Location,
    LocationStatus,
    LocationStatusChange,
    StayClass,
)
from waardig.housing.planning_api import (
    HousingNeedViewSet,
    ParametersViewSet,
    PolicyChangeViewSet,
    PolicyEntryViewSet,
    ProjectViewSet,
    WoondealAgreementViewSet,
    municipality_field,
)
from waardig.housing.services import GUEST_STAYS
from waardig.organisations.models import Organisation

# --- locations -------------------------------------------------------------------------------


class OccupancySerializer(serializers.Serializer):
    """The occupancy of a location as the register page shows it (housing.occupancy): counts
    only, so every role that sees the location sees them; small register counts are null
    with a flag for whoever does not see the register."""

    current = serializers.IntegerField(
        source="occupancy",
        allow_null=True,
        help_text=_(
            "Huidige bezetting: uit het nachtregister als dat nieuwer is dan de laatste "
            "telling, anders de laatste telling; leeg: onbekend, of te klein om te tonen "
            "(zie current_below_threshold)."
        ),
    )
    current_below_threshold = serializers.BooleanField(
        source="occupancy_hidden",
        read_only=True,
        help_text=_(
            "Waar: de huidige bezetting komt uit het nachtregister en ligt boven 0 en onder "
            "min_count; alleen wie het nachtregister van de locatie mag zien krijgt het getal."
        ),
    )
    source = serializers.ChoiceField(
        source="occupancy_source",
        choices=[(occupancy.REGISTER, _("nachtregister")), (occupancy.COUNT, _("telling"))],
        allow_blank=True,
        help_text=_("Waar de huidige bezetting vandaan komt; leeg: onbekend."),
    )
    on = serializers.DateField(
        source="occupancy_on", allow_null=True, help_text=_("Datum van de huidige bezetting.")
    )
    head_count = serializers.IntegerField(
        allow_null=True, help_text=_("Aantal bewoners bij de laatste telling; leeg: nooit geteld.")
    )
    counted_on = serializers.DateField(
        source="head_count_on", allow_null=True, help_text=_("Peildatum van de laatste telling.")
    )
    guests_today = serializers.SerializerMethodField(
        help_text=_(
            "Personen die volgens het nachtregister vannacht op de locatie verblijven; "
            "leeg: er is geen nachtregister ingelezen, of het aantal is te klein om te tonen "
            "(zie guests_today_below_threshold)."
        )
    )
    guests_today_below_threshold = serializers.BooleanField(
        source="register_hidden",
        read_only=True,
        help_text=_(
            "Waar: het aantal volgens het nachtregister ligt boven 0 en onder min_count; alleen "
            "wie het nachtregister van de locatie mag zien krijgt het getal."
        ),
    )
    min_count = serializers.SerializerMethodField(
        help_text=_(
            "Kleinste aantal uit het nachtregister dat wordt getoond aan wie het nachtregister "
            "niet mag zien (een kleiner aantal boven 0 is leeg met ..._below_threshold waar); "
            "0 en tellingen worden altijd getoond."
        )
    )

    def get_guests_today(self, location: Location) -> int | None:
        return location.register_present if location.has_register else None

    def get_min_count(self, location: Location) -> int:
        return occupancy.register_min_count()


class LocationSerializer(serializers.ModelSerializer):
    municipality = municipality_field()
    operator = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id van de huisvester of verhuurder (organisatie)."),
    )
    employers = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids van de gekoppelde werkgevers en uitzendbureaus."),
    )
    status = serializers.ChoiceField(
        choices=LocationStatus.choices,
        required=False,
        help_text=_(
            "Alleen bij het aanmaken (standaard: gepland); daarna wijzigt de status met "
            "POST .../status/, dat de geschiedenis bewaart."
        ),
    )
    status_on = serializers.DateField(
        write_only=True,
        required=False,
        help_text=_("Alleen bij het aanmaken: sinds wanneer de status geldt (leeg: vandaag)."),
    )
    certified_today = serializers.BooleanField(
        source="certified", read_only=True, help_text=_("Heeft vandaag een geldig keurmerk.")
    )
    occupancy = OccupancySerializer(source="*", read_only=True)

    class Meta:
        model = Location
        fields = [
            "id",
            *services.LOCATION_FIELDS,
            "employers",
            "status",
            "status_on",
            "certified_today",
            "occupancy",
        ]
        read_only_fields = ["fictitious"]
        validators: list[Any] = []  # the unique address: the service's full_clean

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            errors = {}
            if attrs.get("status", self.instance.status) != self.instance.status:
                errors["status"] = _(
                    "Wijzig de status met POST .../status/: zo blijft de geschiedenis bewaard."
                )
            if "status_on" in attrs:
                errors["status_on"] = _("Alleen bij het aanmaken.")
            if errors:
                raise serializers.ValidationError(errors)
            attrs.pop("status", None)
        return attrs


class LocationStatusChangeSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=LocationStatus.choices)
    on = serializers.DateField(
        required=False, help_text=_("Sinds wanneer de status geldt (leeg: vandaag).")
    )

    class Meta:
        model = LocationStatusChange
        fields = ["id", "status", "on", "note", "actor", "at"]
        read_only_fields = ["actor", "at"]


class LocationFilter(filters.FilterSet):
    municipality = municipality_filter()
    status = filters.ChoiceFilter(choices=LocationStatus.choices)
    housing_form = filters.ChoiceFilter(choices=HousingForm.choices)
    stay_class = filters.ChoiceFilter(choices=StayClass.choices)
    certification = filters.ChoiceFilter(choices=Certification.choices)

    class Meta:
        model = Location
        fields = ["municipality", "status", "housing_form", "stay_class", "certification"]


class LocationViewSet(ScopedViewSet):
    """Housing locations with their occupancy (as counts) and whether they are certified.

    Not deleted: a location closes with a status change (``POST .../status/``), appended to
    its history (``GET .../status-history/``). POST creates a location with a first status
    (``status``, default planned, since ``status_on``).
    """

    queryset = Location.objects.all()
    serializer_class = LocationSerializer
    filterset_class = LocationFilter
    http_method_names = NO_DELETE

    def base_queryset(self) -> QuerySet[Location]:
        queryset = Location.objects.select_related("municipality", "operator").prefetch_related(
            "employers"
        )
        return occupancy.with_occupancy(self.request.user, queryset, timezone.localdate())

    def save_object(self, instance: Location | None, data: dict[str, Any]) -> Location:
        user = self.request.user
        employers = data.pop("employers", None)
        if instance is None:
            status_value = data.pop("status", LocationStatus.PLANNED)
            status_on = data.pop("status_on", None)
            instance, _outcome = services.save_location(
                user, None, employers=employers, status=status_value, status_on=status_on, **data
            )
        else:
            instance, _outcome = services.save_location(user, instance, employers=employers, **data)
        return self.get_queryset().get(pk=instance.pk)  # with its occupancy

    @extend_schema(
        request=LocationStatusChangeSerializer, responses={201: LocationStatusChangeSerializer}
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status", filter_backends=[])
    def change_status(self, request: Request, pk: str | None = None) -> Response:
        """Append a status change (planned, in use, closed); ``on`` may lie in the past,
        never in the future."""
        location = self.get_object()
        form = LocationStatusChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        change = services.change_location_status(
            request.user,
            location,
            data["status"],
            data.get("on") or timezone.localdate(),
            data.get("note", ""),
        )
        return Response(LocationStatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    status_history = history_action(
        LocationStatusChangeSerializer,
        "status_changes",
        "Every status the location had, oldest first: appended, never edited.",
    )


# --- head counts -----------------------------------------------------------------------------


class HeadCountSerializer(serializers.ModelSerializer):
    location = ScopedPrimaryKeyRelatedField(queryset=Location.objects.all())

    class Meta:
        model = HeadCount
        fields = ["id", "location", "counted_on", "persons", "source", "actor"]
        read_only_fields = ["actor"]
        validators: list[Any] = []  # a second count of the same day corrects the first


class HeadCountFilter(filters.FilterSet):
    location = filters.NumberFilter(label="Locatie (id)")

    class Meta:
        model = HeadCount
        fields = ["location"]


class HeadCountViewSet(ScopedViewSet):
    """How many people lived at a location on a day: counts, never names.

    Posting a count for a day that already has one corrects it. Not changed or deleted
    otherwise (PUT, PATCH and DELETE: 405).
    """

    queryset = HeadCount.objects.select_related("location")
    serializer_class = HeadCountSerializer
    filterset_class = HeadCountFilter
    http_method_names = APPEND_ONLY

    def save_object(self, instance: HeadCount | None, data: dict[str, Any]) -> HeadCount:
        count, _outcome = services.record_head_count(
            self.request.user,
            data["location"],
            data["counted_on"],
            data["persons"],
            data.get("source", ""),
        )
        return count


# --- guest stays -----------------------------------------------------------------------------


class GuestStaySerializer(serializers.ModelSerializer):
    class Meta:
        model = GuestStay
        fields = ["id", "location", "pseudonym", "arrival", "departure"]
        read_only_fields = fields


class GuestStayFilter(filters.FilterSet):
    location = filters.NumberFilter(label="Locatie (id)")
    present_on = filters.DateFilter(
        method="filter_present_on", label="Verblijven die de nacht van deze datum dekken"
    )

    class Meta:
        model = GuestStay
        fields = ["location", "present_on"]

    def filter_present_on(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(occupancy.present_on(value))


class GuestStayViewSet(ReadOnlyScopedViewSet):
    """Stays from the guest registers (pseudonym, arrival, departure) of the caller's own
    municipalities: only their officers and inspectors read them; every other role gets 403.

    Every read is written to the audit log. Stays arrive only through the guest-register
    import (pseudonymised at the door), never through the API.
    """

    queryset = GuestStay.objects.select_related("location__municipality")
    serializer_class = GuestStaySerializer
    filterset_class = GuestStayFilter

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        stays = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        filters_used = ", ".join(
            f"{k}={v}"
            for k, v in sorted(request.query_params.items())
            if k in {"location", "present_on"}
        )
        self._audit(stays, f"API: {len(stays)} verblijven; filters: {filters_used or '-'}")
        return self.get_paginated_response(self.get_serializer(stays, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        stay = self.get_object()
        self._audit([stay], f"API: verblijf {stay.pk} ({stay.location.name})")
        return Response(self.get_serializer(stay).data)

    def _audit(self, stays: list[GuestStay], detail: str) -> None:
        audit.record(
            self.request.user,
            "view",
            GUEST_STAYS,
            detail=detail,
            municipality_codes={stay.location.municipality.code for stay in stays},
        )


router = routers.SimpleRouter(trailing_slash=True)
router.register("housing-locations", LocationViewSet)
router.register("housing-head-counts", HeadCountViewSet)
router.register("housing-guest-stays", GuestStayViewSet)
router.register("housing-projects", ProjectViewSet)
router.register("housing-woondeal-agreements", WoondealAgreementViewSet)
router.register("housing-need", HousingNeedViewSet)
router.register("housing-policy", PolicyEntryViewSet)
router.register("housing-policy-changes", PolicyChangeViewSet)
router.register("housing-parameters", ParametersViewSet)
urlpatterns = router.urls
