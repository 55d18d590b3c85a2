"""The one base for pages that show model data: it applies core.access to every query."""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import View

from waardig.core.access import CHANGE, VIEW, Role, may, role_of, scope


def refusal(request: HttpRequest, model: type[Model], action: str = VIEW) -> HttpResponse | None:
    """None when the user may do ``action`` on some objects of ``model``; otherwise the answer:
    the login page for anonymous visitors, 403 (raised) for logged-in users."""
    if may(request.user, action, model):
        return None
    if role_of(request.user) is Role.PUBLIC:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


class ScopedView(View):
    """Pages declare ``model`` and the ``action`` they need; the scope is applied here.

    Anonymous visitors without access are sent to the login page; logged-in users
    without access get 403. Objects outside the user's scope answer 404, so a page never
    tells whether another municipality's object exists.
    """

    model: type[Model]
    action: str = VIEW

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if refused := refusal(request, self.model, self.action):
            return refused
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, queryset: QuerySet | None = None, action: str | None = None) -> QuerySet:
        queryset = queryset if queryset is not None else self.model.objects.all()
        return scope(self.request.user, queryset, action or self.action)

    def get_queryset(self) -> QuerySet:
        return self.scoped()

    def may_change(self) -> bool:
        return may(self.request.user, CHANGE, self.model)

    def page(self, template: str, breadcrumbs: list, **context: Any) -> HttpResponse:
        return render(self.request, template, {"breadcrumbs": breadcrumbs, **context})
