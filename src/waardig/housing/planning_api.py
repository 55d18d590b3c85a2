"""Projects, Woondeal agreements, housing need, the policy inventory and the parameters
under /api/v1/ (the routes are registered in ``housing.api``).

All of it is shared with the whole network; projects, agreements and the policy inventory
are kept by the province and by each municipality for itself, the need and the parameters
by the province. Writes go through ``housing.services``, which append a project's status
changes and every change of the policy inventory to their history. Nothing is deleted: a
project is cancelled, an instrument that does not apply has status none.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from waardig.areas.api import municipality_filter
from waardig.areas.models import Municipality
from waardig.core.api import (
    NO_DELETE,
    ReadOnlyScopedViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedViewSet,
    history_action,
    keep_after_creation,
)
from waardig.housing import services
from waardig.housing.models import (
    HousingNeed,
    Location,
    NeedMethod,
    Parameters,
    PolicyChange,
    PolicyEntry,
    PolicyStatus,
    Project,
    ProjectStatus,
    ProjectStatusChange,
    StayClass,
    WoondealAgreement,
)
from waardig.organisations.models import Person

MUNICIPALITY_HELP = _("CBS-code van de gemeente, zoals GM0935.")

# --- helpers ---------------------------------------------------------------------------------


def municipality_field() -> serializers.SlugRelatedField:
    """Municipalities are public: an officer may name any, the service refuses (403) one
    that is not theirs."""
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text=MUNICIPALITY_HELP
    )


# --- projects --------------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    municipality = municipality_field()
    location = ScopedPrimaryKeyRelatedField(
        queryset=Location.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("De locatie die het project na oplevering is (id)."),
    )
    note = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=_("Toelichting bij een statuswijziging; komt in de geschiedenis."),
    )

    class Meta:
        model = Project
        fields = ["id", *services.PROJECT_FIELDS, "note", "updated_at"]
        read_only_fields = ["fictitious", "updated_at"]


class ProjectStatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectStatusChange
        fields = ["id", "status", "note", "actor", "at"]
        read_only_fields = fields


class ProjectFilter(filters.FilterSet):
    municipality = municipality_filter()
    status = filters.ChoiceFilter(choices=ProjectStatus.choices)
    stay_class = filters.ChoiceFilter(choices=StayClass.choices)
    expected_year = filters.NumberFilter()

    class Meta:
        model = Project
        fields = ["municipality", "status", "stay_class", "expected_year"]


class ProjectViewSet(ScopedViewSet):
    """Planned housing capacity. A status change is appended to the project's history
    (``GET .../status-history/``); projects are not deleted but cancelled."""

    queryset = Project.objects.select_related("municipality")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    http_method_names = NO_DELETE

    def save_object(self, instance: Project | None, data: dict[str, Any]) -> Project:
        note = data.pop("note", "")
        project, _outcome = services.save_project(self.request.user, instance, note=note, **data)
        return project

    status_history = history_action(
        ProjectStatusChangeSerializer,
        "status_changes",
        "Every status the project had, oldest first.",
    )


# --- Woondeal agreements ---------------------------------------------------------------------


class WoondealAgreementSerializer(serializers.ModelSerializer):
    municipality = municipality_field()

    class Meta:
        model = WoondealAgreement
        fields = ["id", "municipality", "year", *services.AGREEMENT_FIELDS]
        read_only_fields = ["fictitious"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        keep_after_creation(self, attrs, ["municipality", "year"])
        return attrs


class WoondealAgreementFilter(filters.FilterSet):
    municipality = municipality_filter()

    class Meta:
        model = WoondealAgreement
        fields = ["municipality", "year"]


class WoondealAgreementViewSet(ScopedViewSet):
    """What each municipality agreed in the Woondeal to realise for labour migrants, per year.
    One agreement per municipality and year; not deleted."""

    queryset = WoondealAgreement.objects.select_related("municipality")
    serializer_class = WoondealAgreementSerializer
    filterset_class = WoondealAgreementFilter
    http_method_names = NO_DELETE

    def save_object(
        self, instance: WoondealAgreement | None, data: dict[str, Any]
    ) -> WoondealAgreement:
        municipality = data.pop("municipality", None) or instance.municipality
        year = data.pop("year", None) or instance.year
        agreement, _outcome = services.save_agreement(self.request.user, municipality, year, **data)
        return agreement


# --- housing need ----------------------------------------------------------------------------


class HousingNeedSerializer(serializers.ModelSerializer):
    municipality = municipality_field()

    class Meta:
        model = HousingNeed
        fields = ["id", "municipality", "year", "stay_class", *services.NEED_FIELDS]
        read_only_fields = ["method", "parameters"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        keep_after_creation(self, attrs, ["municipality", "year", "stay_class"])
        return attrs


class HousingNeedFilter(filters.FilterSet):
    municipality = municipality_filter()
    stay_class = filters.ChoiceFilter(choices=StayClass.choices)
    method = filters.ChoiceFilter(choices=NeedMethod.choices)

    class Meta:
        model = HousingNeed
        fields = ["municipality", "year", "stay_class", "method"]


class HousingNeedViewSet(ScopedViewSet):
    """The housing need per municipality, year and stay class, with its provenance.

    What is written here is a research figure (``method`` research): writing a need that was
    derived from the monitor replaces the derivation and its parameters. Derivations are
    made on the need page (Huisvesting > Behoefte > Afleiden); not deleted.
    """

    queryset = HousingNeed.objects.select_related("municipality")
    serializer_class = HousingNeedSerializer
    filterset_class = HousingNeedFilter
    http_method_names = NO_DELETE

    def save_object(self, instance: HousingNeed | None, data: dict[str, Any]) -> HousingNeed:
        key = {
            name: data.pop(name, None) or getattr(instance, name)
            for name in ("municipality", "year", "stay_class")
        }
        need, _outcome = services.save_need(
            self.request.user, **key, method=NeedMethod.RESEARCH, parameters={}, **data
        )
        return need


# --- policy inventory ------------------------------------------------------------------------


class PolicyEntrySerializer(serializers.ModelSerializer):
    municipality = municipality_field()
    contact = ScopedPrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id van de contactpersoon."),
    )

    class Meta:
        model = PolicyEntry
        fields = ["id", "municipality", "instrument", *services.POLICY_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        keep_after_creation(self, attrs, ["municipality", "instrument"])
        return attrs


class PolicyEntryFilter(filters.FilterSet):
    municipality = municipality_filter()
    status = filters.ChoiceFilter(choices=PolicyStatus.choices)

    class Meta:
        model = PolicyEntry
        fields = ["municipality", "instrument", "status"]


class PolicyEntryViewSet(ScopedViewSet):
    """The policy inventory: per municipality and instrument the status, date, document and
    contact person. Every change is appended to its history (``/housing-policy-changes/``);
    an instrument that does not apply is status none, never deleted."""

    queryset = PolicyEntry.objects.select_related("municipality")
    serializer_class = PolicyEntrySerializer
    filterset_class = PolicyEntryFilter
    http_method_names = NO_DELETE

    def save_object(self, instance: PolicyEntry | None, data: dict[str, Any]) -> PolicyEntry:
        municipality = data.pop("municipality", None) or instance.municipality
        instrument = data.pop("instrument", None) or instance.instrument
        entry, _outcome = services.set_policy(self.request.user, municipality, instrument, **data)
        return entry


class PolicyChangeSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(
        source="entry.municipality.code", read_only=True, help_text=MUNICIPALITY_HELP
    )
    instrument = serializers.CharField(source="entry.instrument", read_only=True)

    class Meta:
        model = PolicyChange
        fields = [
            "id",
            "entry",
            "municipality",
            "instrument",
            "status",
            "previous_status",
            "decided_on",
            "document_url",
            "notes",
            "actor",
            "at",
        ]
        read_only_fields = fields


class PolicyChangeFilter(filters.FilterSet):
    municipality = filters.CharFilter(
        field_name="entry__municipality__code", label="Gemeente (CBS-code)"
    )
    instrument = filters.CharFilter(field_name="entry__instrument", label="Instrument")

    class Meta:
        model = PolicyChange
        fields = ["municipality", "instrument"]


class PolicyChangeViewSet(ReadOnlyScopedViewSet):
    """Who changed which cell of the policy inventory, when, from what to what."""

    queryset = PolicyChange.objects.select_related("entry__municipality")
    serializer_class = PolicyChangeSerializer
    filterset_class = PolicyChangeFilter


# --- parameters ------------------------------------------------------------------------------


class ParametersSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text=_("De parameters die nu gelden."))

    class Meta:
        model = Parameters
        fields = [
            "id",
            "short_stay_max_months",
            "mid_stay_max_months",
            "project_weights",
            "reason",
            "actor",
            "at",
            "current",
        ]
        read_only_fields = fields

    def get_current(self, parameters: Parameters) -> bool:
        return parameters.pk == self.context.get("current_id")


class ParametersViewSet(ReadOnlyScopedViewSet):
    """The history of the housing parameters (stay-class limits in months, weights of planned
    projects per status), newest first: the newest applies. Before anyone set them the
    defaults apply, which ``current`` shows (without id). Set on the parameters page."""

    queryset = Parameters.objects.all()
    serializer_class = ParametersSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        newest = Parameters.objects.values_list("pk", flat=True).first()
        return {**super().get_serializer_context(), "current_id": newest}

    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def current(self, request: Request) -> Response:
        """The parameters that apply now."""
        parameters = Parameters.objects.first() or Parameters()
        context = {**self.get_serializer_context(), "current_id": parameters.pk}
        return Response(ParametersSerializer(parameters, context=context).data)
