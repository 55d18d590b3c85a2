"""The API of signals (scoped to the municipality, every read audited) and of the counts
per municipality that the whole network may read."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from waardig.areas.api import municipality_filter
from waardig.compliance import counts, services
from waardig.compliance.models import (
    Signal,
    SignalChange,
    SignalKind,
    SignalOutcome,
    SignalStatus,
)
from waardig.core.api import (
    APPEND_ONLY,
    ReadOnlyScopedViewSet,
    history_action,
)

MUNICIPALITY_HELP = _("CBS-code van de gemeente, bijvoorbeeld GM0983.")
REASON_MISSING = _("Geef een reden: de geschiedenis bewaart die.")


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
