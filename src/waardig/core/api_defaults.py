"""The API defaults named in settings.REST_FRAMEWORK: access, pagination, problem+json errors.

They live apart from the viewsets (core.api) because DRF imports them while it starts up.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, permissions

from waardig.core.access import CHANGE, VIEW, may, require


class AccessPermission(permissions.BasePermission):
    """Ask core.access: may the caller view (safe methods) or change this model or object?"""

    def has_permission(self, request, view) -> bool:
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return request.user.is_authenticated  # non-model endpoints: network only
        action = VIEW if request.method in permissions.SAFE_METHODS else CHANGE
        return may(request.user, action, model)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True  # the queryset is already scoped for viewing
        try:
            require(request.user, CHANGE, obj)
        except PermissionDenied:
            return False
        return True


class Pagination(pagination.PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """Errors as RFC 9457 problem details (application/problem+json), as the Dutch API rules ask."""
    from rest_framework.views import exception_handler  # not at import time: DRF loads us early

    if isinstance(exc, DjangoValidationError):
        # Django's whole-object errors ("__all__") are the API's non_field_errors.
        errors = dict(exc.message_dict) if hasattr(exc, "error_dict") else {"": exc.messages}
        whole = errors.pop("__all__", []) + errors.pop("", [])
        if whole:
            errors["non_field_errors"] = whole
        exc = exceptions.ValidationError(errors)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    problem: dict[str, Any] = {
        "type": "about:blank",
        "title": getattr(exc, "default_detail", "Error"),
        "status": response.status_code,
    }
    if isinstance(data, dict) and set(data) == {"detail"}:
        problem["detail"] = str(data["detail"])
    else:
        problem["detail"] = str(exceptions.ValidationError.default_detail)
        problem["invalid_params"] = _invalid_params(data)
    response.data = problem
    response.content_type = "application/problem+json"
    return response


def _invalid_params(data: Any, prefix: str = "") -> list[dict[str, str]]:
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _invalid_params(value, f"{prefix}{key}.")]
    if isinstance(data, list):
        if all(isinstance(v, str) for v in data):
            return [{"name": prefix.rstrip(".") or "non_field", "reason": str(v)} for v in data]
        return [p for i, v in enumerate(data) for p in _invalid_params(v, f"{prefix}{i}.")]
    return [{"name": prefix.rstrip(".") or "non_field", "reason": str(data)}]
