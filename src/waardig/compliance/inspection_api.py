"""The API of inspections and enforcement steps: the municipality's own work."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waardig.compliance import services
from waardig.compliance.api_fields import (
    FindingSerializer,
    location_municipality_filter,
)
from waardig.compliance.models import (
    EnforcementKind,
    EnforcementStep,
    Inspection,
    InspectionOutcome,
    Norm,
)
from waardig.core.api import (
    APPEND_ONLY,
    NO_DELETE,
    ScopedPrimaryKeyRelatedField,
    ScopedViewSet,
    keep_after_creation,
)
from waardig.housing.models import Location
from waardig.organisations.models import Organisation

MUNICIPALITY_HELP = _("CBS-code van de gemeente, bijvoorbeeld GM0983.")
REASON_MISSING = _("Geef een reden: de geschiedenis bewaart die.")


# --- inspections -----------------------------------------------------------------------------


class NormResultSerializer(serializers.Serializer):
    norm = serializers.PrimaryKeyRelatedField(
        queryset=Norm.objects.select_related("norm_set"), help_text=_("Id van de norm.")
    )
    met = serializers.BooleanField(
        allow_null=True, help_text=_("Waar: voldoet; onwaar: voldoet niet; leeg: niet bekeken.")
    )
    measured = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=0,
        help_text=_("Wat is gemeten (bij een norm die niet wordt gehaald)."),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class InspectionSerializer(serializers.ModelSerializer):
    location = ScopedPrimaryKeyRelatedField(
        queryset=Location.objects.all(), help_text=_("Id van de locatie.")
    )
    municipality = serializers.CharField(
        source="location.municipality.code", read_only=True, help_text=MUNICIPALITY_HELP
    )
    organisations = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids van de deelnemende organisaties."),
    )
    results = NormResultSerializer(
        many=True,
        write_only=True,
        required=False,
        help_text=_(
            "Per bekeken norm het oordeel; de normen die niet worden gehaald worden de "
            "bevindingen en de laatste toets van de locatie."
        ),
    )
    findings = serializers.SerializerMethodField(help_text=_("De normen die niet werden gehaald."))

    class Meta:
        model = Inspection
        fields = [
            "id", "location", "municipality", "on", "organisations", "other_partners",
            "persons_present", "outcome", "next_inspection", "notes", "results", "findings",
            "actor", "at", "fictitious",
        ]  # fmt: skip
        read_only_fields = ["actor", "at", "fictitious"]

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, inspection: Inspection) -> list[dict[str, Any]]:
        check = getattr(inspection, "check_run", None)
        return FindingSerializer(check.findings.all(), many=True).data if check else []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        on = attrs.get("on")
        errors = {}
        seen: set[int] = set()
        for index, result in enumerate(attrs.get("results", [])):
            norm = result["norm"]
            norm_set = norm.norm_set
            if norm.pk in seen:
                errors[f"results.{index}.norm"] = _("Deze norm staat er al.")
            elif on and not (
                norm_set.valid_from <= on and (norm_set.valid_to is None or on <= norm_set.valid_to)
            ):
                errors[f"results.{index}.norm"] = _(
                    "De normenset van deze norm geldt niet op de datum van de inspectie."
                )
            seen.add(norm.pk)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class InspectionFilter(filters.FilterSet):
    location = filters.NumberFilter(label="Locatie (id)")
    municipality = location_municipality_filter()
    outcome = filters.ChoiceFilter(choices=InspectionOutcome.choices)

    class Meta:
        model = Inspection
        fields = ["location", "municipality", "outcome"]


class InspectionViewSet(ScopedViewSet):
    """Inspections of the caller's own municipalities: who took part, the outcome, when to
    come back, and the norms not met (``findings``). Only the municipality's officers and
    inspectors read and record them; every other role gets 403.

    POST records an inspection with its judgement per norm (``results``): the norms not met
    become the location's latest check. An inspection is a record: not changed or deleted.
    """

    queryset = Inspection.objects.select_related(
        "location__municipality", "check_run"
    ).prefetch_related("organisations", "check_run__findings")
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    http_method_names = APPEND_ONLY

    def save_object(self, instance: None, data: dict[str, Any]) -> Inspection:
        results = [
            services.NormResult(r["norm"], r["met"], r.get("measured"), r.get("note", ""))
            for r in data.pop("results", [])
        ]
        inspection = services.record_inspection(
            self.request.user,
            data.pop("location"),
            results=results,
            organisations=data.pop("organisations", []),
            **data,
        )
        return self.get_queryset().get(pk=inspection.pk)  # with its findings


# --- enforcement -----------------------------------------------------------------------------


class EnforcementStepSerializer(serializers.ModelSerializer):
    location = ScopedPrimaryKeyRelatedField(
        queryset=Location.objects.all(),
        help_text=_("Id van de locatie; na het aanmaken niet meer te wijzigen."),
    )
    municipality = serializers.CharField(
        source="location.municipality.code", read_only=True, help_text=MUNICIPALITY_HELP
    )
    inspection = ScopedPrimaryKeyRelatedField(
        queryset=Inspection.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id van de inspectie waaruit de stap volgt (van dezelfde locatie)."),
    )

    class Meta:
        model = EnforcementStep
        fields = [
            "id", "location", "municipality", "inspection", "kind", "decided_on", "deadline",
            "completed_on", "note", "actor", "updated_at", "fictitious",
        ]  # fmt: skip
        read_only_fields = ["actor", "updated_at", "fictitious"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        keep_after_creation(self, attrs, ["location"])
        return attrs


class EnforcementStepFilter(filters.FilterSet):
    location = filters.NumberFilter(label="Locatie (id)")
    municipality = location_municipality_filter()
    kind = filters.ChoiceFilter(choices=EnforcementKind.choices)
    open = filters.BooleanFilter(
        field_name="completed_on", lookup_expr="isnull", label="Nog niet afgerond (true)"
    )

    class Meta:
        model = EnforcementStep
        fields = ["location", "municipality", "kind", "inspection", "open"]


class EnforcementStepViewSet(ScopedViewSet):
    """Enforcement steps (warning, intention to enforce, order subject to penalty, closure)
    of the caller's own municipalities, by deadline. Only the municipality's officers and
    inspectors read and keep them; every other role gets 403. A step is completed by setting
    ``completed_on``; steps are not deleted."""

    queryset = EnforcementStep.objects.select_related("location__municipality")
    serializer_class = EnforcementStepSerializer
    filterset_class = EnforcementStepFilter
    http_method_names = NO_DELETE

    def save_object(
        self, instance: EnforcementStep | None, data: dict[str, Any]
    ) -> EnforcementStep:
        return services.save_enforcement_step(self.request.user, instance, **data)
