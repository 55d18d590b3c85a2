"""Pages of the programme: overview tree, actions with their history, budget and reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.core.access import CHANGE, may
from waardig.core.editing import show_errors
from waardig.core.registry import REPORTS
from waardig.core.reports.render import CONTENT_TYPES
from waardig.core.views import ScopedView, refusal
from waardig.programme import queries, reports, services
from waardig.programme.forms import (
    ActionFilterForm,
    StatusUpdateForm,
)
from waardig.programme.models import Action, BudgetLine, Programme
from waardig.programme.rules import Money


def _crumbs(programme: Programme | None = None, *rest: tuple[str, str]) -> list:
    crumbs = [(_("Programma's"), reverse("programme-list"))]
    if programme is not None:
        crumbs.append((programme.name, reverse("programme-detail", args=[programme.slug])))
    return crumbs + list(rest)


class ProgrammeMixin(ScopedView):
    """Pages below /programma/<slug>/: the programme is looked up within the user's scope."""

    def programme(self) -> Programme:
        if not hasattr(self, "_programme"):
            programmes = self.scoped(Programme.objects.all())
            self._programme = get_object_or_404(programmes, slug=self.kwargs["slug"])
        return self._programme


class ProgrammeList(ScopedView):
    model = Programme

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = []
        for programme in queries.programmes(request.user):
            root = queries.tree(request.user, programme)
            rows.append({"programme": programme, "progress": root.progress, "root": root})
        return render(
            request,
            "programme/programme_list.html",
            {"rows": rows, "may_add": self.may_change(), "breadcrumbs": [(_("Programma's"), "")]},
        )


class ProgrammeDetail(ProgrammeMixin):
    model = Programme

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        programme = self.programme()
        form = ActionFilterForm(request.GET or None, programme=programme)
        filters = form.filters()
        root = queries.tree(request.user, programme, filters)
        money = queries.budget_by_owner(programme).get(("programme", None), Money())
        query = request.GET.copy()
        query["programme"] = programme.slug
        return self.page(
            "programme/programme_detail.html",
            _crumbs(None, (programme.name, "")),
            programme=programme,
            root=root,
            entries=list(root.walk()),
            filter_form=form,
            filtered=bool(filters),
            money=money,
            outcomes=programme.outcomes.all(),
            may_change=may(request.user, CHANGE, Action),
            export_query=query.urlencode(),
            today=timezone.localdate(),
        )


class ActionMixin(ProgrammeMixin):
    model = Action

    def get_action(self, programme: Programme) -> Action:
        return get_object_or_404(
            self.scoped(programme.actions.select_related("theme", "lead_organisation")),
            pk=self.kwargs["pk"],
        )


class ActionDetail(ActionMixin):
    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        programme = self.programme()
        action = self.get_action(programme)
        return self.page(
            "programme/action_detail.html",
            _crumbs(programme, (str(action), "")),
            **action_context(request, programme, action),
        )


def action_context(request: HttpRequest, programme: Programme, action: Action, **extra: Any):
    today = timezone.localdate()
    lines = list(action.budget_lines.all())
    return {
        "programme": programme,
        "action": action,
        "flags": queries.action_flags(action, programme, today),
        "updates": queries.history(request.user, action),
        "milestones": action.milestones.all(),
        "budget_lines": lines,
        "money": queries.budget_total(lines),
        "may_change": may(request.user, CHANGE, Action),
        "update_form": extra.pop("update_form", None)
        or StatusUpdateForm(initial={"status": action.status, "progress": action.progress}),
        "today": today,
        **extra,
    }


class StatusUpdateCreate(ActionMixin):
    """Adds a status update; with htmx only the history part of the page is replaced."""

    action = CHANGE

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        programme = self.programme()
        action = self.get_action(programme)
        form = StatusUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.add_status_update(request.user, action, **form.cleaned_data)
            except ValidationError as exc:
                show_errors(form, exc)  # the service decides (e.g. no date in the future)
            else:
                form = None
                if not request.headers.get("HX-Request"):
                    messages.success(request, _("Het voortgangsbericht is toegevoegd."))
                    return redirect("action-detail", programme.slug, action.pk)
        context = action_context(request, programme, action, update_form=form)
        if form is None:
            context["saved"] = True
        if request.headers.get("HX-Request"):
            return render(request, "programme/_action_status.html", context)
        return self.page(
            "programme/action_detail.html", _crumbs(programme, (str(action), "")), **context
        )


class ActionFacts(ActionMixin):
    """The read-only facts block (htmx: cancel of the inline edit)."""

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        programme = self.programme()
        action = self.get_action(programme)
        return render(
            request,
            "programme/_action_facts.html",
            action_context(request, programme, action),
        )


class BudgetView(ProgrammeMixin):
    model = BudgetLine

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        programme = self.programme()
        lines = list(queries.budget_lines(request.user, programme))
        root = queries.tree(request.user, programme)
        themes = [e for e in root.walk() if e.theme is not None and e.money.budgeted]
        return self.page(
            "programme/budget.html",
            _crumbs(programme, (_("Begroting"), "")),
            programme=programme,
            lines=lines,
            themes=themes,
            money=queries.budget_total(lines),
            may_change=may(request.user, CHANGE, BudgetLine),
        )


class ReportsView(ProgrammeMixin):
    """Choose a report, look at it, download it, publish it; the published ones, frozen."""

    model = Programme

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        programme = self.programme()
        return self._page(programme)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        if refused := refusal(request, Programme, CHANGE):
            return refused
        programme = self.programme()
        kind = request.POST.get("kind", "")
        if kind not in reports.KINDS:
            return self._page(programme, error=_("Kies een soort rapport."))
        options = {"programme": programme.slug}
        for option in REPORTS[kind].options:
            if option.name != "programme" and request.POST.get(option.name):
                options[option.name] = request.POST[option.name]
        try:
            published = reports.publish(request.user, kind, options)
        except ValidationError as exc:
            return self._page(programme, error="; ".join(exc.messages))
        messages.success(request, _("Gepubliceerd: %(title)s") % {"title": published.title})
        return redirect("programme-reports", programme.slug)

    def _page(self, programme: Programme, error: str = "") -> HttpResponse:
        year = timezone.localdate().year
        return self.page(
            "programme/reports.html",
            _crumbs(programme, (_("Rapporten"), "")),
            programme=programme,
            published=queries.published(self.request.user, programme),
            years=range(
                year, (programme.start_date.year if programme.start_date else year) - 1, -1
            ),
            year=year,
            may_publish=may(self.request.user, CHANGE, Programme),
            error=error,
        )


class PublishedDownload(ProgrammeMixin):
    model = Programme
    FORMATS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "md": "markdown"}

    def get(self, request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
        programme = self.programme()
        if fmt not in self.FORMATS:
            raise Http404
        report = get_object_or_404(self.scoped(programme.published.all()), pk=pk)
        content = getattr(report, self.FORMATS[fmt])
        content = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        stamp = timezone.localtime(report.published_at).strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="{report.kind}-{programme.slug}-{stamp}-{report.pk}.{fmt}"'
        )
        return response
