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
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import routers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from waardig.areas.api import municipality_filter
from waardig.compliance import counts, norms, scans, services
from waardig.compliance.models import (
    Check,
    CheckSource,
    EnforcementKind,
    EnforcementStep,
    Finding,
    Inspection,
    InspectionOutcome,
    Norm,
    NormChange,
    NormKind,
    NormSet,
    ScanRun,
    Signal,
    SignalChange,
    SignalKind,
    SignalOutcome,
    SignalParameters,
    SignalStatus,
)
from waardig.core.api import (
    APPEND_ONLY,
    NO_DELETE,
    READ,
    ReadOnlyScopedViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedViewSet,
    history_action,
    keep_after_creation,
)
from waardig.core.api_defaults import AccessPermission
from waardig.housing.models import Location
from waardig.organisations.models import Organisation

MUNICIPALITY_HELP = _("CBS-code van de gemeente, bijvoorbeeld GM0983.")
REASON_MISSING = _("Geef een reden: de geschiedenis bewaart die.")


def location_municipality_filter() -> filters.CharFilter:
    return filters.CharFilter(
        field_name="location__municipality__code", label="Gemeente (CBS-code)"
    )


def not_in_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise serializers.ValidationError(_("Deze datum ligt in de toekomst."))
    return day


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


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = [
            "id", "norm", "norm_set_name", "kind", "measured", "limit", "severity", "explanation",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance: Finding) -> dict[str, Any]:
        """A small guest-register count of residents is not read by who may not see the
        register: no measured value, and an explanation without the number."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        location = instance.check_run.location
        if request and norms.hides_residents(
            request.user, location, instance.small_count, instance.kind
        ):
            data["measured"] = None
            data["explanation"] = norms.hidden_residents_text()
        return data


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


# --- signals ---------------------------------------------------------------------------------


class SignalSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=MUNICIPALITY_HELP
    )
    pseudonym_short = serializers.SerializerMethodField(
        help_text=_(
            "De eerste 8 tekens van het pseudoniem van de persoon (alleen bij signalen over "
            "één persoon); het volledige pseudoniem wordt nooit getoond."
        )
    )

    class Meta:
        model = Signal
        fields = [
            "id", "kind", "municipality", "location", "address_id", "address", "pseudonym_short",
            "score", "explanation", "details", "status", "outcome", "first_seen", "last_seen",
            "scan", "fictitious", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_pseudonym_short(self, signal: Signal) -> str | None:
        return signal.pseudonym[:8] or None


class SignalChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SignalChange
        fields = ["id", "status", "outcome", "note", "actor", "at"]
        read_only_fields = fields


class SignalStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SignalStatus.choices)
    outcome = serializers.ChoiceField(
        choices=SignalOutcome.choices,
        required=False,
        allow_blank=True,
        help_text=_("Verplicht bij afsluiten: wat het onderzoek uitwees."),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text=_("Toelichting; verplicht bij heropenen van een afgesloten signaal."),
    )


class SignalFilter(filters.FilterSet):
    municipality = municipality_filter()
    kind = filters.ChoiceFilter(choices=SignalKind.choices)
    status = filters.ChoiceFilter(choices=SignalStatus.choices)
    location = filters.NumberFilter(label="Locatie (id)")

    class Meta:
        model = Signal
        fields = ["municipality", "kind", "status", "location"]


class SignalViewSet(ReadOnlyScopedViewSet):
    """Registration signals of the caller's own municipalities, highest score first: a reason
    to look, never a decision. Only the municipality's officers and inspectors read them;
    every other role gets 403 (the province reads ``compliance-signal-counts``). Every list
    and detail is written to the audit log.

    The status moves new -> investigating -> closed with an outcome (a closed signal may be
    reopened with a note) through ``POST .../status/``, appended to ``.../status-history/``.
    """

    queryset = Signal.objects.select_related("municipality")
    serializer_class = SignalSerializer
    filterset_class = SignalFilter
    http_method_names = APPEND_ONLY  # POST only for .../status/

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        used = ", ".join(
            f"{k}={v}"
            for k, v in sorted(request.query_params.items())
            if k in SignalFilter.Meta.fields
        )
        services.audit_signal_view(
            request.user, page, f"API: {len(page)} signalen; filters: {used or '-'}"
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self) -> Signal:
        signal = super().get_object()
        if self.action != "change_status":  # a change is audited by the service itself
            services.audit_signal_view(
                self.request.user,
                [signal],
                f"API: signaal {signal.pk} ({signal.get_kind_display()}), {self.action}",
            )
        return signal

    @extend_schema(request=SignalStatusSerializer, responses={201: SignalChangeSerializer})
    @action(detail=True, methods=["post"], url_path="status", url_name="status", filter_backends=[])
    def change_status(self, request: Request, pk: str | None = None) -> Response:
        """Move the signal on in its status flow; closing needs an ``outcome``, reopening a
        ``note``. A step the flow does not allow is a 400 naming the field."""
        signal = self.get_object()
        form = SignalStatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        change = services.change_signal(
            request.user, signal, data["status"], data.get("outcome", ""), data.get("note", "")
        )
        return Response(SignalChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    status_history = history_action(
        SignalChangeSerializer,
        "changes",
        "Every status the signal had, oldest first, with who and why: appended, never edited.",
    )


# --- signal counts ---------------------------------------------------------------------------


class CountCellSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        allow_null=True,
        min_value=0,
        max_value=100_000_000,
        help_text=_("Het aantal; leeg: het precieze aantal wordt niet getoond (zie text)."),
    )
    text = serializers.CharField(
        help_text=_(
            "Het aantal zoals de pagina het toont: '< 5' (meer dan 0, te weinig om te tonen) "
            "of '≥ 12' (minstens 12: er zijn verborgen aantallen weggelaten)."
        )
    )
    protected = serializers.BooleanField(
        help_text=_("Waar: het precieze aantal is afgeschermd (bescherming van kleine aantallen).")
    )


class KindCountSerializer(CountCellSerializer):
    kind = serializers.ChoiceField(choices=SignalKind.choices)


class StatusCountSerializer(CountCellSerializer):
    status = serializers.ChoiceField(choices=SignalStatus.choices)


class CountRowSerializer(serializers.Serializer):
    municipality = serializers.CharField(allow_null=True, help_text=_("Leeg: het totaal."))
    municipality_name = serializers.CharField()
    exact = serializers.BooleanField(
        help_text=_("Waar: de lezer ziet de signalen achter deze aantallen (eigen gemeente).")
    )
    open_signals_per_kind = KindCountSerializer(many=True)
    open_signals_per_status = StatusCountSerializer(many=True)
    open_findings = serializers.IntegerField(
        min_value=0,
        max_value=100_000_000,
        help_text=_("Bevindingen van de laatste toets van elke locatie in gebruik."),
    )
    inspections_this_year = serializers.IntegerField(min_value=0, max_value=100_000_000)
    overdue_enforcement_steps = serializers.IntegerField(
        min_value=0,
        max_value=100_000_000,
        help_text=_("Handhavingsstappen waarvan de termijn voorbij is zonder afronding."),
    )


class SignalCountsSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    min_count = serializers.IntegerField(
        min_value=1,
        max_value=1_000_000,
        help_text=_(
            "Kleinste aantal signalen over één persoon dat wordt getoond aan wie de signalen "
            "van de gemeente niet ziet."
        ),
    )
    scoped = serializers.BooleanField(
        help_text=_("Waar: alleen de rijen van de eigen gemeenten van de lezer.")
    )
    protected = serializers.BooleanField(help_text=_("Waar: sommige aantallen zijn afgeschermd."))
    rows = CountRowSerializer(many=True)
    total = CountRowSerializer()


def _cell(cell: counts.Cell, **key: str) -> dict[str, Any]:
    return {**key, "count": cell.number, "text": cell.text, "protected": not cell.exact}


def _count_row(row: counts.Row) -> dict[str, Any]:
    municipality = row.municipality
    return {
        "municipality": municipality.code if municipality else None,
        "municipality_name": municipality.name if municipality else str(_("Totaal")),
        "exact": row.exact,
        "open_signals_per_kind": [_cell(cell, kind=kind) for kind, cell in row.kind_cells],
        "open_signals_per_status": [_cell(cell, status=state) for state, cell in row.status_cells],
        "open_findings": row.findings.number,
        "inspections_this_year": row.inspections.number,
        "overdue_enforcement_steps": row.overdue_steps.number,
    }


class SignalCountViewSet(viewsets.ViewSet):
    """How much supervision is going on where: per municipality the open signals per kind
    and per status, the open findings, this year's inspections and the overdue enforcement
    steps (``compliance.counts``). Numbers only, for every role of the network: officers and
    inspectors read their own municipalities exactly; every other role reads every
    municipality, with counts of signals about one person between 0 and ``min_count`` hidden
    and totals over hidden counts as a lower bound."""

    @extend_schema(responses=SignalCountsSerializer)
    def list(self, request: Request) -> Response:
        data = counts.overview(request.user, timezone.localdate())
        return Response(
            SignalCountsSerializer(
                {
                    "year": data.year,
                    "min_count": data.min_count,
                    "scoped": data.scoped,
                    "protected": data.protected,
                    "rows": [_count_row(row) for row in data.rows],
                    "total": _count_row(data.total),
                }
            ).data
        )


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
