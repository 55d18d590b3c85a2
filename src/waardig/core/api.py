"""The one base for API endpoints: the same access rules as the pages (see core.api_defaults)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from waardig.core.access import VIEW, scope

# The HTTP methods a viewset offers (``http_method_names``): history is never rewritten.
READ = ["get", "head", "options"]
NO_DELETE = [*READ, "post", "put", "patch"]
NO_PUT_OR_DELETE = [*READ, "post", "patch"]
APPEND_ONLY = [*READ, "post"]


class ScopedViewSet(viewsets.ModelViewSet):
    """Lists and details show what the caller may see; writes go through ``perform_*``.

    Subclasses that write implement ``save_object`` and ``remove_object`` by calling the
    app's services (which check access again), never the ORM directly.
    """

    def base_queryset(self):
        return super().get_queryset()

    def get_queryset(self):
        return scope(self.request.user, self.base_queryset(), VIEW)

    def perform_create(self, serializer) -> None:
        serializer.instance = self.save_object(None, serializer.validated_data)

    def perform_update(self, serializer) -> None:
        serializer.instance = self.save_object(serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance) -> None:
        self.remove_object(instance)

    def save_object(self, instance: Any, data: dict[str, Any]) -> Any:
        raise exceptions.MethodNotAllowed(self.request.method)

    def remove_object(self, instance: Any) -> None:
        raise exceptions.MethodNotAllowed(self.request.method)


class ReadOnlyScopedViewSet(viewsets.ReadOnlyModelViewSet):
    def base_queryset(self):
        return super().get_queryset()

    def get_queryset(self):
        return scope(self.request.user, self.base_queryset(), VIEW)


class Conflict(exceptions.APIException):
    """409: the request is valid but the data as it is now does not allow it."""

    status_code = 409
    default_detail = _("Dit kan niet met de gegevens zoals ze nu zijn.")
    default_code = "conflict"


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A writable reference that accepts only objects the caller may see."""

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        return scope(getattr(request, "user", None), super().get_queryset(), VIEW)


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """The same, by slug."""

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        return scope(getattr(request, "user", None), super().get_queryset(), VIEW)


def history_action(serializer_class: type[serializers.Serializer], related_name: str, doc: str):
    """A detail route ``.../status-history/`` listing an object's append-only history (the
    rows behind ``related_name``), oldest first, scoped like everything else."""

    def status_history(self, request: Request, pk: str | None = None) -> Response:
        changes = scope(request.user, getattr(self.get_object(), related_name).all(), VIEW)
        return Response(serializer_class(changes, many=True).data)

    status_history.__doc__ = doc
    route = action(
        detail=True,
        methods=["get"],
        url_path="status-history",
        filter_backends=[],
        pagination_class=None,
    )
    return extend_schema(responses=serializer_class(many=True))(route(status_history))


def keep_after_creation(serializer: serializers.Serializer, attrs: dict, names: Any) -> None:
    """Fields set when an object is made (its natural key, its parent): a change later is an
    error naming each field, not silently another object."""
    if serializer.instance is None:
        return
    changed = {
        name: _("Dit kan na het aanmaken niet meer worden gewijzigd.")
        for name in names
        if name in attrs and attrs[name] != getattr(serializer.instance, name)
    }
    if changed:
        raise serializers.ValidationError(changed)
