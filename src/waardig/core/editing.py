"""The one flow of an edit page: show a form, save it through a service, go on.

Apps say which object (``get_object``), how to save it (``save``, calling their service),
where to go after (``done``) and how the page looks (``show``); the flow, the errors of the
services on the form and the confirmation message live here.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from waardig.core.access import CHANGE
from waardig.core.views import ScopedView


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's error on its field when the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class FormPage(ScopedView):
    action = CHANGE
    form_class: type
    saved_message: Any

    def get_object(self) -> Model | None:
        return None

    def form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        return {}

    def initial(self, obj: Model | None) -> dict[str, Any]:
        return {}

    def save(self, form: Any, obj: Model | None) -> Any:
        raise NotImplementedError

    def done(self, saved: Any) -> HttpResponse:
        raise NotImplementedError

    def show(self, form: Any, obj: Model | None) -> HttpResponse:
        raise NotImplementedError

    def make_form(self, obj: Model | None, data: Any = None, files: Any = None) -> Any:
        kwargs = self.form_kwargs(obj)
        if issubclass(self.form_class, forms.ModelForm):
            # A copy: a rejected form must not leave its values on the object the page shows.
            kwargs["instance"] = copy.copy(obj)
        return self.form_class(data, files, initial=self.initial(obj), **kwargs)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        return self.show(self.make_form(obj), obj)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.make_form(obj, request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = self.save(form, obj)
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                self.tell(self.saved_message)
                return self.done(saved)
        return self.show(form, obj)

    def tell(self, message: Any) -> None:
        """A confirmation on the next full page (an htmx fragment shows its own result)."""
        if not self.request.headers.get("HX-Request"):
            messages.success(self.request, message)
