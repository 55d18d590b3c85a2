"""The programme's edit pages: one form, one service call, the same shape for every object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core import editing as core_editing
from waardig.programme import services
from waardig.programme.forms import (
    ActionForm,
    BudgetLineForm,
    MilestoneForm,
    ProgrammeForm,
    ThemeForm,
)
from waardig.programme.models import Action, BudgetLine, Milestone, Programme, Theme
from waardig.programme.views import ActionMixin, ProgrammeMixin, _crumbs, action_context


class FormPage(core_editing.FormPage, ProgrammeMixin):
    """Create or change one object of the programme; with ``remove``, also delete it."""

    new_title: Any
    change_title: Any
    deleted_message: Any = ""
    remove: Callable[[Any, Any], None] | None = None

    def form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        return {"programme": self.programme()}

    def initial(self, obj: Model | None) -> dict[str, Any]:
        return self.request.GET.dict()  # links may prefill a new object (?theme=3)

    def trail(self) -> list[tuple[str, str]]:
        """Crumbs between the programme and this page."""
        return []

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if request.POST.get("delete") and self.remove is not None:
            obj = self.get_object()
            if obj is not None:
                self.remove(request.user, obj)
                self.tell(self.deleted_message)
                return self.done(None)
        return super().post(request, **kwargs)

    def show(self, form: Any, obj: Model | None) -> HttpResponse:
        title = self.change_title if obj else self.new_title
        programme = self.programme() if self.kwargs.get("slug") else None
        return self.page(
            "programme/form.html",
            _crumbs(programme, *self.trail(), (title, "")),
            form=form,
            title=title,
            deletable=obj is not None and self.remove is not None,
        )


class ProgrammeEdit(FormPage):
    model = Programme
    form_class = ProgrammeForm
    new_title = gettext_lazy("Nieuw programma")
    change_title = gettext_lazy("Programma wijzigen")
    saved_message = gettext_lazy("Het programma is opgeslagen.")

    def get_object(self) -> Programme | None:
        return self.programme() if self.kwargs.get("slug") else None

    def form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        return {}

    def save(self, form, obj):
        return services.save_programme(self.request.user, obj, **form.cleaned_data)

    def done(self, saved):
        return redirect("programme-detail", saved.slug)


class ThemeEdit(FormPage):
    model = Theme
    form_class = ThemeForm
    new_title = gettext_lazy("Nieuw thema of doel")
    change_title = gettext_lazy("Thema wijzigen")
    saved_message = gettext_lazy("Het thema is opgeslagen.")

    def get_object(self) -> Theme | None:
        if "pk" not in self.kwargs:
            return None
        themes = self.scoped(self.programme().themes.all())
        return get_object_or_404(themes, pk=self.kwargs["pk"])

    def save(self, form, obj):
        return services.save_theme(self.request.user, self.programme(), obj, **form.cleaned_data)

    def done(self, saved):
        return redirect("programme-detail", self.kwargs["slug"])


class ActionEdit(FormPage, ActionMixin):
    """Full-page form, and the inline (htmx) edit of the action's facts on its page."""

    model = Action
    form_class = ActionForm
    new_title = gettext_lazy("Nieuwe actie")
    change_title = gettext_lazy("Actie wijzigen")
    saved_message = gettext_lazy("De actie is opgeslagen.")

    def get_object(self) -> Action | None:
        return self.get_action(self.programme()) if "pk" in self.kwargs else None

    def save(self, form, obj):
        return services.save_action(
            self.request.user, self.programme(), obj, **form.service_values()
        )

    def done(self, saved):
        programme = self.programme()
        if self.request.headers.get("HX-Request"):
            context = action_context(self.request, programme, saved)
            return render(self.request, "programme/_action_facts.html", context)
        return redirect("action-detail", programme.slug, saved.pk)

    def show(self, form, obj):
        if self.request.headers.get("HX-Request") and obj is not None:
            return render(
                self.request,
                "programme/_action_facts_form.html",
                {"form": form, "programme": self.programme(), "action": obj},
            )
        return super().show(form, obj)


class MilestoneEdit(FormPage, ActionMixin):
    model = Milestone
    form_class = MilestoneForm
    new_title = gettext_lazy("Nieuwe mijlpaal")
    change_title = gettext_lazy("Mijlpaal wijzigen")
    saved_message = gettext_lazy("De mijlpaal is opgeslagen.")
    deleted_message = gettext_lazy("De mijlpaal is verwijderd.")
    remove = staticmethod(services.delete_milestone)

    def owner(self) -> Action:
        return self.get_action(self.programme())

    def get_object(self) -> Milestone | None:
        if "milestone" not in self.kwargs:
            return None
        return get_object_or_404(self.owner().milestones.all(), pk=self.kwargs["milestone"])

    def form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        return {}

    def save(self, form, obj):
        return services.save_milestone(self.request.user, self.owner(), obj, **form.cleaned_data)

    def done(self, saved):
        return redirect("action-detail", self.kwargs["slug"], self.kwargs["pk"])

    def trail(self):
        action = self.owner()
        return [(str(action), reverse("action-detail", args=[self.kwargs["slug"], action.pk]))]


class BudgetLineEdit(FormPage):
    model = BudgetLine
    form_class = BudgetLineForm
    new_title = gettext_lazy("Nieuwe begrotingsregel")
    change_title = gettext_lazy("Begrotingsregel wijzigen")
    saved_message = gettext_lazy("De begrotingsregel is opgeslagen.")
    deleted_message = gettext_lazy("De begrotingsregel is verwijderd.")
    remove = staticmethod(services.delete_budget_line)

    def get_object(self) -> BudgetLine | None:
        if "pk" not in self.kwargs:
            return None
        lines = self.scoped(self.programme().budget_lines.all())
        return get_object_or_404(lines, pk=self.kwargs["pk"])

    def save(self, form, obj):
        return services.save_budget_line(
            self.request.user, self.programme(), obj, **form.cleaned_data
        )

    def done(self, saved):
        return redirect("programme-budget", self.kwargs["slug"])

    def trail(self):
        return [(_("Begroting"), reverse("programme-budget", args=[self.kwargs["slug"]]))]
