"""Bodies, meetings, agenda items, outcomes and action items under /api/v1/.

Scoped exactly like the pages (``core.access``): the province sees every body, anyone else
only the bodies they or their organisation hold a current seat in; only the secretariat
writes, always through ``meetings.services``. Action items are not deleted and their
follow-up notes are history: appended, never changed or deleted.

The outcomes of agenda items live at ``/meeting-outcomes/``: ``/outcomes/`` are the overall
results of a programme.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, routers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from waardig.core.api import (
    APPEND_ONLY,
    NO_DELETE,
    NO_PUT_OR_DELETE,
    READ,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    ScopedViewSet,
    keep_after_creation,
)
from waardig.meetings import queries, services
from waardig.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    FollowUp,
    Meeting,
    MinutesVersion,
    Outcome,
)
from waardig.organisations.models import Organisation, Person
from waardig.programme.models import Action

# --- helpers ---------------------------------------------------------------------------------


def _body_field() -> ScopedSlugRelatedField:
    return ScopedSlugRelatedField(
        slug_field="slug",
        queryset=Body.objects.all(),
        help_text=_("De korte naam (slug) van het overleg."),
    )


def _reference(model: type, help_text: Any = "") -> ScopedPrimaryKeyRelatedField:
    """An optional link (by id) to something the caller may see."""
    return ScopedPrimaryKeyRelatedField(
        queryset=model.objects.all(), required=False, allow_null=True, help_text=help_text
    )


# --- bodies ----------------------------------------------------------------------------------


class SeatSerializer(serializers.ModelSerializer):
    """A seat as the members see it: who and in which role, never the login behind it."""

    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True
    )
    person = serializers.CharField(source="person.name", read_only=True, allow_null=True)

    class Meta:
        model = BodyMember
        fields = ["role", "organisation", "organisation_name", "person", "start", "end"]
        read_only_fields = fields


class BodySerializer(serializers.ModelSerializer):
    seats = SeatSerializer(source="members", many=True, read_only=True)

    class Meta:
        model = Body
        fields = ["slug", "name", "kind", "description", "seats"]


class BodyViewSet(ScopedViewSet):
    """Steering group, taskforce and working groups with their seats (kept on the pages)."""

    queryset = Body.objects.prefetch_related(
        Prefetch("members", queryset=BodyMember.objects.select_related("organisation", "person"))
    )
    serializer_class = BodySerializer
    filterset_fields = ["kind"]
    lookup_field = "slug"
    http_method_names = NO_DELETE

    def save_object(self, instance: Body | None, data: dict[str, Any]) -> Body:
        return services.save_body(self.request.user, instance, **data)


# --- meetings --------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["name", "organisation", "presence"]


class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = ScopedPrimaryKeyRelatedField(queryset=Meeting.objects.all())
    parent = _reference(AgendaItem, _("Voor een sub-punt: het agendapunt waaronder het valt."))

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "parent", "number", "title", "kind", "action_item", "order"]
        read_only_fields = ["number", "action_item", "order"]


class MeetingSerializer(serializers.ModelSerializer):
    body = _body_field()
    topics = serializers.ListField(
        child=serializers.CharField(max_length=300),
        write_only=True,
        required=False,
        help_text=_(
            "Alleen bij het plannen: de onderwerpen van de dag, op de agenda vóór de rondvraag."
        ),
    )
    attendance = AttendanceSerializer(many=True, read_only=True)
    agenda = AgendaItemSerializer(many=True, read_only=True)
    minutes_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Het nummer van de laatste verslagversie.")
    )
    minutes_final = serializers.BooleanField(
        read_only=True, allow_null=True, help_text=_("Is de laatste verslagversie vastgesteld?")
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "date",
            "start",
            "end",
            "place",
            "online_link",
            "status",
            "topics",
            "attendance",
            "agenda",
            "minutes_version",
            "minutes_final",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        keep_after_creation(self, attrs, ["body"])
        if self.instance is not None and "topics" in attrs:
            raise serializers.ValidationError(
                {"topics": _("Voeg een onderwerp later toe als agendapunt (/agenda-items/).")}
            )
        return attrs


class MeetingFilter(filters.FilterSet):
    body = filters.CharFilter(field_name="body__slug", label="Overleg (slug)")
    status = filters.ChoiceFilter(choices=Meeting.Status.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label="Op of na datum")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label="Op of voor datum")

    class Meta:
        model = Meeting
        fields = ["body", "status", "date_from", "date_to"]


_latest_minutes = MinutesVersion.objects.filter(meeting=OuterRef("pk")).order_by("-number")


class MeetingViewSet(ScopedViewSet):
    """Meetings with attendance and agenda.

    POST plans a meeting: a draft whose agenda has the standing items, every open action
    item of the body under "Nalopen actiepunten" and the given ``topics``. The status moves
    draft -> planned -> held; minutes become final on the meeting's page. Not deleted.
    """

    queryset = (
        Meeting.objects.select_related("body")
        .prefetch_related("attendance", "agenda")
        .annotate(
            minutes_version=Subquery(_latest_minutes.values("number")[:1]),
            minutes_final=Subquery(_latest_minutes.values("final")[:1]),
        )
    )
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    http_method_names = NO_PUT_OR_DELETE

    @transaction.atomic
    def save_object(self, instance: Meeting | None, data: dict[str, Any]) -> Meeting:
        user = self.request.user
        new_status = data.pop("status", None)
        if instance is None:
            instance = services.plan_meeting(
                user,
                data.pop("body"),
                date=data.pop("date"),
                start=data.pop("start", None),
                end=data.pop("end", None),
                place=data.pop("place", ""),
                online_link=data.pop("online_link", ""),
                topics=data.pop("topics", ()),
            )
        data.pop("body", None)  # unchanged: the serializer checked
        if data:
            services.update_meeting(user, instance, **data)
        if new_status and new_status != instance.status:
            services.set_meeting_status(user, instance, new_status)
        return self.get_queryset().get(pk=instance.pk)  # fresh agenda and minutes


# --- agenda items and their outcomes ---------------------------------------------------------


class AgendaItemFilter(filters.FilterSet):
    meeting = filters.NumberFilter(label="Vergadering (id)")

    class Meta:
        model = AgendaItem
        fields = ["meeting"]


class AgendaItemViewSet(ScopedViewSet):
    """Agenda items; a new one goes before "Rondvraag" (or last under its parent) and the
    numbers follow on. Not changed or deleted through the API."""

    queryset = AgendaItem.objects.all()
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter
    http_method_names = APPEND_ONLY

    def save_object(self, instance: AgendaItem | None, data: dict[str, Any]) -> AgendaItem:
        if instance is not None:  # not routed (http_method_names), but never an edit
            raise exceptions.MethodNotAllowed(self.request.method)
        return services.add_agenda_item(
            self.request.user,
            data["meeting"],
            title=data["title"],
            parent=data.get("parent"),
            kind=data.get("kind", AgendaItem.Kind.TOPIC),
        )


class MeetingOutcomeSerializer(serializers.ModelSerializer):
    agenda_item = ScopedPrimaryKeyRelatedField(queryset=AgendaItem.objects.all())
    meeting = serializers.IntegerField(source="agenda_item.meeting_id", read_only=True)

    class Meta:
        model = Outcome
        fields = ["id", "meeting", "agenda_item", "kind", "text"]


class MeetingOutcomeFilter(filters.FilterSet):
    meeting = filters.NumberFilter(field_name="agenda_item__meeting", label="Vergadering (id)")
    agenda_item = filters.NumberFilter(field_name="agenda_item", label="Agendapunt (id)")

    class Meta:
        model = Outcome
        fields = ["meeting", "agenda_item"]


class MeetingOutcomeViewSet(ScopedViewSet):
    """Information and decisions under an agenda item. A mistake is deleted and written
    anew (not once the minutes are final); there is no PUT or PATCH."""

    queryset = Outcome.objects.select_related("agenda_item__meeting")
    serializer_class = MeetingOutcomeSerializer
    filterset_class = MeetingOutcomeFilter
    http_method_names = [*READ, "post", "delete"]

    def save_object(self, instance: Outcome | None, data: dict[str, Any]) -> Outcome:
        if instance is not None:
            raise exceptions.MethodNotAllowed(self.request.method)
        return services.add_outcome(
            self.request.user, data["agenda_item"], kind=data["kind"], text=data["text"]
        )

    def remove_object(self, instance: Outcome) -> None:
        services.remove_outcome(self.request.user, instance)


# --- action items ----------------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    meeting = _reference(Meeting, _("De vergadering waarin het actiepunt is nagelopen."))

    class Meta:
        model = FollowUp
        fields = ["id", "text", "meeting", "author_name", "created_at"]
        read_only_fields = ["author_name", "created_at"]


class ActionItemSerializer(serializers.ModelSerializer):
    body = _body_field()
    meeting = _reference(Meeting, _("De vergadering waarin het is afgesproken."))
    agenda_item = _reference(AgendaItem, _("Het agendapunt waaronder het is afgesproken."))
    owner_person = _reference(Person)
    owner_organisation = _reference(Organisation)
    programme_action = _reference(Action, _("De actie uit een programma waar het bij hoort."))
    is_overdue = serializers.SerializerMethodField(
        help_text=_("Open en de uiterste datum is voorbij.")
    )
    notes = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "body",
            "meeting",
            "agenda_item",
            "text",
            "owner_name",
            "owner_person",
            "owner_organisation",
            "due",
            "programme_action",
            "status",
            "closed_on",
            "is_overdue",
            "notes",
        ]
        # The status changes only by closing: POST .../close/.
        read_only_fields = ["status", "closed_on"]

    def get_is_overdue(self, item: ActionItem) -> bool:
        return item.is_overdue(timezone.localdate())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        keep_after_creation(self, attrs, ["body", "meeting", "agenda_item"])
        if self.instance is None and attrs.get("agenda_item") and not attrs.get("meeting"):
            attrs["meeting"] = attrs["agenda_item"].meeting
        return attrs


class CloseActionItemSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (ActionItem.Status.DONE.value, ActionItem.Status.DONE.label),
            (ActionItem.Status.CANCELLED.value, ActionItem.Status.CANCELLED.label),
        ],
        default=ActionItem.Status.DONE.value,
    )
    note = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Wordt een voortgangsnotitie.")
    )
    meeting = _reference(Meeting, _("De vergadering waarin het is gesloten."))


class ActionItemFilter(filters.FilterSet):
    body = filters.CharFilter(field_name="body__slug", label="Overleg (slug)")
    status = filters.ChoiceFilter(choices=ActionItem.Status.choices)
    owner = filters.CharFilter(
        label="Eigenaar bevat (zoals geschreven, of de gekoppelde persoon of organisatie)"
    )
    owner_organisation = filters.NumberFilter(label="Organisatie van de eigenaar (id)")
    meeting = filters.NumberFilter(label="Afgesproken in vergadering (id)")
    overdue = filters.BooleanFilter(label="Open en over de datum")

    class Meta:
        model = ActionItem
        fields = ["body", "status", "owner", "owner_organisation", "meeting", "overdue"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The same filters as the page and the export (meetings.queries)."""
        data = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        if "owner_organisation" in data:
            data["organisation"] = int(data.pop("owner_organisation"))
        return queries.filter_action_items(queryset, data, timezone.localdate())


class ActionItemViewSet(ScopedViewSet):
    """Action items come back on every draft agenda of their body until they are closed.

    The status changes only through ``close``; notes are appended through ``follow-ups``.
    Action items and notes are history: no DELETE, notes cannot be changed.
    """

    queryset = ActionItem.objects.select_related("body").prefetch_related("notes")
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    http_method_names = NO_PUT_OR_DELETE

    def save_object(self, instance: ActionItem | None, data: dict[str, Any]) -> ActionItem:
        user = self.request.user
        if instance is None:
            return services.add_action_item(user, data.pop("body"), **data)
        fields = {k: v for k, v in data.items() if k in services.ACTION_ITEM_FIELDS}
        return services.update_action_item(user, instance, **fields)

    def _input(self, serializer_class: type, item: ActionItem) -> dict[str, Any]:
        form = serializer_class(data=self.request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return form.validated_data

    @extend_schema(request=CloseActionItemSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk: str | None = None) -> Response:
        """Close as done or cancelled, with an optional note; it leaves the draft agendas."""
        item = self.get_object()
        services.close_action_item(
            request.user, item, **self._input(CloseActionItemSerializer, item)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request=FollowUpSerializer, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, pk: str | None = None) -> Response:
        """Append a progress note; notes are never changed or deleted."""
        item = self.get_object()
        data = self._input(FollowUpSerializer, item)
        note = services.add_follow_up(request.user, item, data["text"], data.get("meeting"))
        return Response(FollowUpSerializer(note).data, status=status.HTTP_201_CREATED)


router = routers.SimpleRouter(trailing_slash=True)
router.register("bodies", BodyViewSet)
router.register("meetings", MeetingViewSet)
router.register("agenda-items", AgendaItemViewSet)
router.register("meeting-outcomes", MeetingOutcomeViewSet, basename="meetingoutcome")
router.register("action-items", ActionItemViewSet)
urlpatterns = router.urls
