"""Supervision under /api/v1/: norm sets and their history, checks of locations with their
findings, registration signals with their status flow, counts of signals per municipality,
inspections, enforcement steps and scans. All routes are registered below.

Scoped exactly like the pages (``core.access``, the policies in ``compliance.models``): the
network reads the norms and only the province admin edits them (each change kept with who
and why); checks describe a location and are read like the location register; signals,
inspections and enforcement steps belong to the municipality's own officers and inspectors
only: every other role gets 403, another municipality's object does not exist (404). Every
list and detail of signals is written to the audit log. The province's roles see signals
only as counts per municipality (``compliance-signal-counts``); a count of signals about
one person above 0 and below ``WAARDIG_REGISTER_MIN_COUNT`` is null with a flag for whoever
does not see that municipality's signals. A pseudonym is never shown whole: only its first
8 characters (``pseudonym_short``). Every write goes through ``compliance.services``, which
checks access again; nothing is deleted here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from waardig.compliance import norms, scans, services
from waardig.compliance.api_fields import (
    FindingSerializer,
    location_municipality_filter,
    not_in_future,
)
from waardig.compliance.inspection_api import EnforcementStepViewSet, InspectionViewSet
from waardig.compliance.models import (
    Check,
    CheckSource,
    Norm,
    NormChange,
    NormKind,
    NormSet,
    ScanRun,
    SignalParameters,
)
from waardig.compliance.signal_api import SignalCountViewSet, SignalViewSet
from waardig.core.api import (
    APPEND_ONLY,
    READ,
    ReadOnlyScopedViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedViewSet,
)
from waardig.core.api_defaults import AccessPermission
from waardig.housing.models import Location

MUNICIPALITY_HELP = _("CBS-code van de gemeente, bijvoorbeeld GM0983.")
REASON_MISSING = _("Geef een reden: de geschiedenis bewaart die.")


# --- norm sets and norms ---------------------------------------------------------------------


class NormSerializer(serializers.ModelSerializer):
    bound = serializers.SerializerMethodField(
        help_text=_("max: de grens is een maximum; min: een minimum; required: een vereiste.")
    )
    housing_forms = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Woonvormen waarvoor de norm geldt; leeg: die van de set."),
    )
    reason = serializers.CharField(
        write_only=True,
        max_length=300,
        help_text=_("Verplicht bij een wijziging: waarom. Komt in de geschiedenis."),
    )

    class Meta:
        model = Norm
        fields = [
            "id", "norm_set", "code", "kind", "bound", "limit", "window_months", "severity",
            "housing_forms", "note", "reason",
        ]  # fmt: skip
        read_only_fields = ["norm_set", "code", "kind", "note"]

    def get_bound(self, norm: Norm) -> str:
        return norms.DEFINITIONS[norm.kind].bound

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "reason" not in attrs:  # a PATCH is partial: "required" alone does not ask for it
            raise serializers.ValidationError({"reason": REASON_MISSING})
        if not set(attrs) & set(services.NORM_PARAMETERS):
            raise serializers.ValidationError(
                {"non_field_errors": _("Geef een nieuwe grens, periode of ernst.")}
            )
        return attrs


class NormSetSerializer(serializers.ModelSerializer):
    housing_forms = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("Leeg: alle woonvormen.")
    )
    certifications = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("Leeg: ongeacht keurmerk.")
    )
    norms = NormSerializer(many=True, read_only=True)

    class Meta:
        model = NormSet
        fields = [
            "id", "name", "source", "source_url", "valid_from", "valid_to", "housing_forms",
            "certifications", "description", "norms",
        ]  # fmt: skip
        read_only_fields = fields


def valid_on(queryset: QuerySet, prefix: str, day: datetime.date) -> QuerySet:
    started = Q(**{f"{prefix}valid_from__lte": day})
    ongoing = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    return queryset.filter(started & ongoing)


class NormSetFilter(filters.FilterSet):
    valid_on = filters.DateFilter(
        method="filter_valid_on", label="Geldig op (JJJJ-MM-DD): de sets van die dag"
    )

    class Meta:
        model = NormSet
        fields = ["valid_on"]

    def filter_valid_on(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return valid_on(queryset, "", value)


class NormSetViewSet(ReadOnlyScopedViewSet):
    """The published norm sets with their norms and sources; a check uses the sets valid on
    its date. Read by the whole network; parameters change through ``compliance-norms``."""

    queryset = NormSet.objects.prefetch_related("norms")
    serializer_class = NormSetSerializer
    filterset_class = NormSetFilter


class NormFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=NormKind.choices)
    valid_on = filters.DateFilter(
        method="filter_valid_on", label="Geldig op (JJJJ-MM-DD): normen van de sets van die dag"
    )

    class Meta:
        model = Norm
        fields = ["norm_set", "kind", "valid_on"]

    def filter_valid_on(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return valid_on(queryset, "norm_set__", value)


class NormViewSet(ScopedViewSet):
    """Norms with their parameters. The province admin changes a limit, window or severity
    with PATCH and a ``reason``; the old and new values, who and why are appended to
    ``compliance-norm-changes``. Norms are not created, replaced or deleted here."""

    queryset = Norm.objects.select_related("norm_set")
    serializer_class = NormSerializer
    filterset_class = NormFilter
    http_method_names = [*READ, "patch"]

    def save_object(self, instance: Norm, data: dict[str, Any]) -> Norm:
        reason = data.pop("reason")
        services.edit_norm(self.request.user, instance, reason, **data)
        return instance


class NormChangeSerializer(serializers.ModelSerializer):
    norm_set = serializers.CharField(source="norm.norm_set.name", read_only=True)
    kind = serializers.ChoiceField(source="norm.kind", choices=NormKind.choices, read_only=True)
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)),
        read_only=True,
        help_text=_('Per parameter de oude en de nieuwe waarde: {"limit": ["1.00", "2.00"]}.'),
    )

    class Meta:
        model = NormChange
        fields = ["id", "norm", "norm_set", "kind", "changes", "reason", "actor", "at"]
        read_only_fields = fields


class NormChangeFilter(filters.FilterSet):
    norm_set = filters.NumberFilter(field_name="norm__norm_set", label="Normenset (id)")

    class Meta:
        model = NormChange
        fields = ["norm", "norm_set"]


class NormChangeViewSet(ReadOnlyScopedViewSet):
    """Every change of a norm's parameters, newest first: appended, never edited."""

    queryset = NormChange.objects.select_related("norm__norm_set")
    serializer_class = NormChangeSerializer
    filterset_class = NormChangeFilter


# --- signal parameters -----------------------------------------------------------------------


class SignalParametersSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text=_("Deze instellingen gelden nu."))
    reason = serializers.CharField(
        max_length=300, help_text=_("Waarom deze instellingen: komt in de geschiedenis.")
    )

    class Meta:
        model = SignalParameters
        fields = ["id", *services.SIGNAL_PARAMETERS, "reason", "actor", "at", "current"]
        read_only_fields = ["actor", "at"]

    def get_current(self, parameters: SignalParameters) -> bool:
        return parameters.pk == self.context.get("current_id")


class SignalParametersViewSet(ScopedViewSet):
    """The thresholds of the registration signals, newest first: the newest applies
    (``current/``); the first version holds the shipped defaults. The province admin posts a
    new version with a ``reason``; parameters left out keep their current value."""

    queryset = SignalParameters.objects.all()
    serializer_class = SignalParametersSerializer
    http_method_names = APPEND_ONLY

    def get_serializer_context(self) -> dict[str, Any]:
        newest = SignalParameters.objects.order_by("-at", "-id").values_list("pk", flat=True)
        return {**super().get_serializer_context(), "current_id": newest.first()}

    def save_object(self, instance: None, data: dict[str, Any]) -> SignalParameters:
        reason = data.pop("reason")
        return services.set_signal_parameters(self.request.user, reason, **data)

    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def current(self, request: Request) -> Response:
        """The thresholds that apply now (the model's defaults, without id, if none is kept)."""
        parameters = SignalParameters.objects.order_by("-at", "-id").first()
        parameters = parameters or SignalParameters()
        context = {**self.get_serializer_context(), "current_id": parameters.pk}
        return Response(SignalParametersSerializer(parameters, context=context).data)


# --- checks and findings ---------------------------------------------------------------------


class CheckSerializer(serializers.ModelSerializer):
    location = ScopedPrimaryKeyRelatedField(
        queryset=Location.objects.all(), help_text=_("Id van de locatie.")
    )
    municipality = serializers.CharField(
        source="location.municipality.code", read_only=True, help_text=MUNICIPALITY_HELP
    )
    on = serializers.DateField(
        required=False,
        validators=[not_in_future],
        help_text=_("Peildatum: de normensets van die dag gelden (leeg: vandaag)."),
    )
    norm_sets = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("De toegepaste normensets.")
    )
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Check
        fields = [
            "id", "location", "municipality", "on", "source", "scan", "norm_sets", "actor", "at",
            "findings",
        ]  # fmt: skip
        read_only_fields = ["source", "scan", "actor", "at"]


class CheckFilter(filters.FilterSet):
    location = filters.NumberFilter(label="Locatie (id)")
    municipality = location_municipality_filter()
    source = filters.ChoiceFilter(choices=CheckSource.choices)
    latest = filters.BooleanFilter(
        method="filter_latest", label="Alleen de laatste toets per locatie (true)"
    )

    class Meta:
        model = Check
        fields = ["location", "municipality", "source", "latest"]

    def filter_latest(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        newest = Check.objects.filter(location=OuterRef("location")).order_by("-on", "-at", "-id")
        return queryset.filter(pk=Subquery(newest.values("pk")[:1]))


class CheckViewSet(ScopedViewSet):
    """Checks of locations against the norm sets valid on their date, with the norms not met
    (findings); the latest check of a location holds its current findings (``?latest=true``).

    Read like the location register: the province's roles read every check, a municipality's
    officers and inspectors their own. They post a desk check of one of their locations
    (``location``, ``on``). Checks are history: not changed or deleted.
    """

    queryset = Check.objects.select_related("location__municipality").prefetch_related("findings")
    serializer_class = CheckSerializer
    filterset_class = CheckFilter
    http_method_names = APPEND_ONLY

    def save_object(self, instance: None, data: dict[str, Any]) -> Check:
        return services.record_check(self.request.user, data["location"], data.get("on"))


# --- scans -----------------------------------------------------------------------------------


class ScanSerializer(serializers.ModelSerializer):
    on = serializers.DateField(
        required=False,
        validators=[not_in_future],
        help_text=_("Peildatum: de normensets van die dag gelden (leeg: vandaag)."),
    )
    counts = serializers.DictField(
        read_only=True, help_text=_("De uitkomst in aantallen (als de scan klaar is).")
    )
    sources = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ScanRun
        fields = [
            "id", "on", "status", "progress", "sources", "counts", "error", "actor",
            "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = ["status", "progress", "error", "actor", "started_at", "finished_at"]


class StartScanPermission(AccessPermission):
    """Whoever may follow scans may start one (``services.may_start_scan``)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method == "POST":
            return services.may_start_scan(request.user)
        return super().has_permission(request, view)


class ScanViewSet(ScopedViewSet):
    """Scans of every location and the imported registration extracts, newest first; only
    the province admin follows and starts them. POST starts a scan on ``on`` (default today)
    as a background job: it is queued, then running with ``progress`` (%), then done with its
    ``counts`` or failed with its ``error``. Its findings and signals land in each
    municipality's own lists."""

    queryset = ScanRun.objects.all()
    serializer_class = ScanSerializer
    permission_classes = [StartScanPermission]
    http_method_names = APPEND_ONLY

    def save_object(self, instance: None, data: dict[str, Any]) -> ScanRun:
        run = scans.start(data.get("on") or timezone.localdate(), self.request.user)
        scans.run_in_background.enqueue(run.pk)
        return run


router = routers.SimpleRouter(trailing_slash=True)
router.register("compliance-norm-sets", NormSetViewSet, "compliance-norm-set")
router.register("compliance-norms", NormViewSet, "compliance-norm")
router.register("compliance-norm-changes", NormChangeViewSet, "compliance-norm-change")
router.register(
    "compliance-signal-parameters", SignalParametersViewSet, "compliance-signal-parameters"
)
router.register("compliance-checks", CheckViewSet, "compliance-check")
router.register("compliance-signals", SignalViewSet, "compliance-signal")
router.register("compliance-signal-counts", SignalCountViewSet, "compliance-signal-counts")
router.register("compliance-inspections", InspectionViewSet, "compliance-inspection")
router.register(
    "compliance-enforcement-steps", EnforcementStepViewSet, "compliance-enforcement-step"
)
router.register("compliance-scans", ScanViewSet, "compliance-scan")
urlpatterns = router.urls
