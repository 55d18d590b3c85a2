"""The one base for API endpoints: the same access rules as the pages (see core.api_defaults)."""

from typing import Any

from rest_framework import exceptions, viewsets

from waardig.core.access import VIEW, scope


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
