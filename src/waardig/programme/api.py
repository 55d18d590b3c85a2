"""Programmes, their themes, actions, status history, milestones, budget and reports.

Scoped exactly like the pages (``core.access``: the network reads, the province's
coordinators write). Every write goes through ``programme.services``; the status history
and the published reports are append-only, so their endpoints have no PUT, PATCH or DELETE.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import exceptions, routers, serializers

from waardig.core.api import (
    APPEND_ONLY,
    NO_DELETE,
    Conflict,
    ReadOnlyScopedViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    ScopedViewSet,
)
from waardig.organisations.models import Organisation, Person
from waardig.programme import queries, services
from waardig.programme.models import (
    ACTION_FIELDS,
    PROGRAMME_FIELDS,
    Action,
    BudgetLine,
    Milestone,
    Outcome,
    Programme,
    ProvinceRole,
    PublishedReport,
    Status,
    StatusUpdate,
    Theme,
)
from waardig.programme.rules import is_overdue

# --- helpers ---------------------------------------------------------------------------------


def _programme_field(**kwargs: Any) -> ScopedSlugRelatedField:
    return ScopedSlugRelatedField(
        slug_field="slug",
        queryset=Programme.objects.all(),
        help_text=_("De korte naam (slug) van het programma."),
        **kwargs,
    )


# --- programmes ------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    owner = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Programme
        fields = [*PROGRAMME_FIELDS, "fictitious"]
        read_only_fields = ["fictitious"]


class ProgrammeViewSet(ScopedViewSet):
    """Programmes of actions. Not deleted through the API."""

    queryset = Programme.objects.select_related("owner")
    serializer_class = ProgrammeSerializer
    lookup_field = "slug"
    http_method_names = NO_DELETE

    def save_object(self, instance: Programme | None, data: dict[str, Any]) -> Programme:
        return services.save_programme(self.request.user, instance, **data)


# --- themes ----------------------------------------------------------------------------------


class ThemeSerializer(serializers.ModelSerializer):
    programme = _programme_field()
    parent = ScopedPrimaryKeyRelatedField(
        queryset=Theme.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Theme
        fields = [
            "id",
            "programme",
            "parent",
            "label",
            "code",
            "title",
            "description",
            "order",
            "weight",
        ]


class ThemeFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug", label="Programma (slug)")

    class Meta:
        model = Theme
        fields = ["programme", "parent"]


class ThemeViewSet(ScopedViewSet):
    """The programme's tree of themes, goals and action lines.

    A theme is deleted only when nothing hangs under it any more: no actions, no
    sub-themes, no budget lines (409 otherwise).
    """

    queryset = Theme.objects.select_related("programme")
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilter

    def save_object(self, instance: Theme | None, data: dict[str, Any]) -> Theme:
        programme = data.pop("programme", None) or instance.programme
        return services.save_theme(self.request.user, programme, instance, **data)

    def remove_object(self, instance: Theme) -> None:
        try:
            services.delete_theme(self.request.user, instance)
        except services.InUse as exc:
            raise Conflict(exc.message) from exc


# --- actions ---------------------------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):
    programme = _programme_field()
    theme = ScopedPrimaryKeyRelatedField(
        queryset=Theme.objects.all(), required=False, allow_null=True
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ProvinceRole.choices),
        required=False,
        help_text=_("De rol(len) van de provincie bij deze actie."),
    )
    lead_organisation = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    partners = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids van de partnerorganisaties."),
    )
    responsible = ScopedPrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    external_id = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        help_text=_("Vaste sleutel, uniek binnen het programma; leeg: wordt toegekend."),
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "programme",
            "external_id",
            *ACTION_FIELDS,
            "order",
            "status",
            "progress",
            "last_update_on",
        ]
        # Status and progress repeat the latest status update: post one to change them.
        read_only_fields = ["status", "progress", "last_update_on"]
        validators: list[Any] = []  # uniqueness of external_id: the service's full_clean


class ActionFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug", label="Programma (slug)")
    status = filters.ChoiceFilter(choices=Status.choices)
    theme = filters.NumberFilter(
        method="filter_theme", label="Thema (id), met de niveaus eronder, zoals op de pagina"
    )

    class Meta:
        model = Action
        fields = ["programme", "status", "theme"]

    def filter_theme(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        theme = Theme.objects.select_related("programme").filter(pk=value).first()
        if theme is None:
            return queryset.none()
        return queryset.filter(theme__in=queries.descendant_ids(theme.programme, theme.pk))


class ActionViewSet(ScopedViewSet):
    """Actions of a programme.

    Status, progress and the date of the last update come from the status updates
    (POST /status-updates/). Actions are not deleted: they are dropped with a status
    update (status ``dropped``).
    """

    queryset = Action.objects.select_related(
        "programme", "theme", "lead_organisation", "responsible"
    ).prefetch_related("partners")
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    http_method_names = NO_DELETE

    def save_object(self, instance: Action | None, data: dict[str, Any]) -> Action:
        programme = data.pop("programme", None) or instance.programme
        return services.save_action(self.request.user, programme, instance, **data)


# --- status updates --------------------------------------------------------------------------


class StatusUpdateSerializer(serializers.ModelSerializer):
    action = ScopedPrimaryKeyRelatedField(queryset=Action.objects.all())
    programme = serializers.CharField(source="action.programme.slug", read_only=True)
    date = serializers.DateField(required=False, help_text=_("Leeg: vandaag."))
    progress = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text=_("Voortgang in procenten; leeg: de standaard bij de status."),
    )

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "action",
            "programme",
            "date",
            "status",
            "progress",
            "narrative",
            "author_name",
            "fictitious",
            "created_at",
        ]
        read_only_fields = ["author_name", "fictitious", "created_at"]


class StatusUpdateFilter(filters.FilterSet):
    action = filters.NumberFilter(field_name="action", label="Actie (id)")
    programme = filters.CharFilter(field_name="action__programme__slug", label="Programma (slug)")

    class Meta:
        model = StatusUpdate
        fields = ["action", "programme"]


class StatusUpdateViewSet(ScopedViewSet):
    """The history of each action, append-only: a correction is a new update.

    Posting an update also sets the action's status, progress and date of the last update.
    PUT, PATCH and DELETE are not allowed (405).
    """

    queryset = StatusUpdate.objects.select_related("action__programme")
    serializer_class = StatusUpdateSerializer
    filterset_class = StatusUpdateFilter
    http_method_names = APPEND_ONLY

    def save_object(self, instance: StatusUpdate | None, data: dict[str, Any]) -> StatusUpdate:
        if instance is not None:  # not routed (http_method_names), but never an edit
            raise exceptions.MethodNotAllowed(self.request.method)
        return services.add_status_update(
            self.request.user,
            data["action"],
            status=data["status"],
            progress=data.get("progress"),
            narrative=data.get("narrative", ""),
            date=data.get("date"),
        )


# --- milestones ------------------------------------------------------------------------------

MILESTONE_FIELDS = ["title", "period_text", "planned_start", "planned_end", "achieved_on", "order"]


class MilestoneSerializer(serializers.ModelSerializer):
    action = ScopedPrimaryKeyRelatedField(queryset=Action.objects.all())
    overdue = serializers.SerializerMethodField(
        help_text=_("Het geplande einde is voorbij en de mijlpaal is niet bereikt.")
    )

    class Meta:
        model = Milestone
        fields = ["id", "action", *MILESTONE_FIELDS, "overdue"]

    def get_overdue(self, milestone: Milestone) -> bool:
        return is_overdue(
            planned_end=milestone.planned_end,
            achieved_on=milestone.achieved_on,
            today=timezone.localdate(),
        )


class MilestoneFilter(filters.FilterSet):
    action = filters.NumberFilter(field_name="action", label="Actie (id)")
    programme = filters.CharFilter(field_name="action__programme__slug", label="Programma (slug)")

    class Meta:
        model = Milestone
        fields = ["action", "programme"]


class MilestoneViewSet(ScopedViewSet):
    queryset = Milestone.objects.select_related("action")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter

    def save_object(self, instance: Milestone | None, data: dict[str, Any]) -> Milestone:
        action = data.pop("action", None) or instance.action
        return services.save_milestone(self.request.user, action, instance, **data)

    def remove_object(self, instance: Milestone) -> None:
        services.delete_milestone(self.request.user, instance)


# --- budget ----------------------------------------------------------------------------------


class BudgetLineSerializer(serializers.ModelSerializer):
    programme = _programme_field()
    theme = ScopedPrimaryKeyRelatedField(
        queryset=Theme.objects.all(), required=False, allow_null=True
    )
    action = ScopedPrimaryKeyRelatedField(
        queryset=Action.objects.all(), required=False, allow_null=True
    )
    over_budget = serializers.BooleanField(
        read_only=True, help_text=_("Meer verplicht of besteed dan begroot.")
    )

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "programme",
            "theme",
            "action",
            "description",
            "funding_source",
            "year",
            "budgeted",
            "committed",
            "spent",
            "over_budget",
            "fictitious",
        ]
        read_only_fields = ["fictitious"]


class BudgetLineFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug", label="Programma (slug)")

    class Meta:
        model = BudgetLine
        fields = ["programme", "theme", "action", "year"]


class BudgetLineViewSet(ScopedViewSet):
    queryset = BudgetLine.objects.select_related("programme")
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter

    def save_object(self, instance: BudgetLine | None, data: dict[str, Any]) -> BudgetLine:
        programme = data.pop("programme", None) or instance.programme
        return services.save_budget_line(self.request.user, programme, instance, **data)

    def remove_object(self, instance: BudgetLine) -> None:
        services.delete_budget_line(self.request.user, instance)


# --- outcomes and published reports (read-only) ----------------------------------------------


class OutcomeSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Outcome
        fields = ["id", "programme", "code", "title", "description", "order"]


class ProgrammeFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug", label="Programma (slug)")


class OutcomeFilter(ProgrammeFilter):
    class Meta:
        model = Outcome
        fields = ["programme"]


class OutcomeViewSet(ReadOnlyScopedViewSet):
    """The overall results a programme aims for."""

    queryset = Outcome.objects.select_related("programme")
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter


class PublishedReportSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = PublishedReport
        fields = [
            "id",
            "programme",
            "kind",
            "title",
            "options",
            "published_at",
            "published_by_name",
            "snapshot",
        ]


class PublishedReportFilter(ProgrammeFilter):
    class Meta:
        model = PublishedReport
        fields = ["programme", "kind"]


class PublishedReportViewSet(ReadOnlyScopedViewSet):
    """Reports as they were published: what they showed (``snapshot``), not their files.

    The files (PDF, Word, Excel, Markdown) are downloaded from the programme's report page.
    """

    queryset = PublishedReport.objects.select_related("programme").defer(
        "pdf", "docx", "xlsx", "markdown"
    )
    serializer_class = PublishedReportSerializer
    filterset_class = PublishedReportFilter


router = routers.SimpleRouter(trailing_slash=True)
router.register("programmes", ProgrammeViewSet)
router.register("themes", ThemeViewSet)
router.register("actions", ActionViewSet)
router.register("status-updates", StatusUpdateViewSet)
router.register("milestones", MilestoneViewSet)
router.register("budget-lines", BudgetLineViewSet)
router.register("outcomes", OutcomeViewSet)
router.register("published-reports", PublishedReportViewSet)
urlpatterns = router.urls
