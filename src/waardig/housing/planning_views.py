"""The planning pages of housing: projects (planned capacity), Woondeal progress, housing
need with deriving it from the monitor, and the parameters of the gap.

Reads come from housing.planning (the downloads use the same functions), writes go through
housing.services; core.access decides who sees and changes what.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core.access import CHANGE, VIEW, allows, may, scope
from waardig.core.editing import FormPage
from waardig.core.numbers import digits
from waardig.core.views import ScopedView
from waardig.housing import gap, planning, rules, services
from waardig.housing.models import (
    HousingNeed,
    Parameters,
    Project,
    ProjectStatus,
    StayClass,
    WoondealAgreement,
)
from waardig.housing.planning_forms import (
    AgreementForm,
    DeriveNeedForm,
    NeedFilterForm,
    ParametersForm,
    ProjectFilterForm,
    ProjectForm,
    WoondealFilterForm,
)
from waardig.housing.sections import crumbs
from waardig.monitor import dashboard

ROWS_PER_PAGE = 100


def projects_crumb() -> tuple[Any, str]:
    return _("Projecten"), reverse("housing-project-list")


def query_of(filters: dict[str, Any]) -> str:
    """The filters as a query string: the download takes what the page shows."""
    query = QueryDict(mutable=True)
    for name, value in filters.items():
        query[name] = str(value)
    return query.urlencode()


def paged(request: HttpRequest, rows: Any) -> dict[str, Any]:
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "query": query.urlencode(),
    }


# -- projects ---------------------------------------------------------------------------------


class ProjectList(ScopedView):
    """Planned capacity of the network, with what the gap counts of it per status."""

    model = Project

    def get(self, request: HttpRequest) -> HttpResponse:
        visible = self.scoped()
        years = sorted(set(visible.values_list("expected_year", flat=True)))
        form = ProjectFilterForm(request.GET or None, years=years)
        filters = form.filters()
        found = planning.projects(request.user, filters)
        params = services.current_parameters()
        lines = planning.status_totals(found, params)
        paging = paged(request, found)
        paging["rows"] = [(p, planning.counted(p, params)) for p in paging["page_obj"]]
        return self.page(
            "housing/project_list.html",
            crumbs((_("Projecten"), None)),
            filter_form=form,
            filtered=bool(filters),
            lines=lines,
            total=planning.planned_total(lines, params),
            **paging,
            export_query=query_of(filters),
            may_add=self.may_change(),
            fictitious=found.filter(fictitious=True).exists(),
        )


class ProjectDetail(ScopedView):
    model = Project

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = get_object_or_404(self.scoped().select_related("municipality", "location"), pk=pk)
        location = project.location
        return self.page(
            "housing/project_detail.html",
            crumbs(projects_crumb(), (project.name, None)),
            project=project,
            history=project.status_changes.order_by("-at", "-id"),
            location=location if location and allows(request.user, VIEW, location) else None,
            weight_percent=services.current_parameters().weight(project.status) * 100,
            may_change=allows(request.user, CHANGE, project),
        )


class ProjectEdit(FormPage):
    model = Project
    form_class = ProjectForm
    saved_message = gettext_lazy("Het project is opgeslagen.")

    def get_object(self) -> Project | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.scoped(), pk=self.kwargs["pk"])

    def form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        return {"actor": self.request.user}

    def save(self, form: ProjectForm, obj: Project | None) -> Project:
        project, _outcome = services.save_project(
            self.request.user, obj, note=form.cleaned_data["note"], **form.service_values()
        )
        return project

    def done(self, saved: Project) -> HttpResponse:
        return redirect("housing-project-detail", saved.pk)

    def show(self, form: ProjectForm, obj: Project | None) -> HttpResponse:
        title = _("Project wijzigen") if obj else _("Nieuw project")
        trail = [projects_crumb()]
        if obj:
            trail.append((obj.name, reverse("housing-project-detail", args=[obj.pk])))
        return self.page(
            "housing/project_form.html",
            crumbs(*trail, (title, None)),
            form=form,
            title=title,
            project=obj,
            cancel=trail[-1][1],
        )


# -- Woondeal ---------------------------------------------------------------------------------


class Woondeal(ScopedView):
    """Agreed against realised capacity per municipality and year, totals per region."""

    model = WoondealAgreement

    def get(self, request: HttpRequest) -> HttpResponse:
        years = sorted(set(self.scoped().values_list("year", flat=True)))
        groupings = dashboard.groupings()
        form = WoondealFilterForm(request.GET or None, years=years, groupings=groupings)
        filters = form.filters()
        grouping = filters.get("grouping") or planning.DEFAULT_GROUPING
        lines = planning.woondeal_progress(request.user, filters)
        user = request.user
        return self.page(
            "housing/woondeal.html",
            crumbs((_("Woondeal"), None)),
            filter_form=form,
            filtered=any(k != "grouping" for k in filters),
            lines=[(line, allows(user, CHANGE, line.agreement)) for line in lines],
            regions=planning.region_progress(lines, grouping),
            grouping=next((g for g in groupings if g.slug == grouping), None),
            export_query=query_of({**filters, "grouping": grouping}),
            may_add=self.may_change(),
            fictitious=any(line.fictitious for line in lines),
        )


class AgreementEdit(FormPage):
    """Record or correct one agreement; ?municipality=GM..&year=.. opens it with its values."""

    model = WoondealAgreement
    form_class = AgreementForm
    saved_message = gettext_lazy("De Woondeal-afspraak is opgeslagen.")

    def form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        return {"actor": self.request.user}

    def initial(self, obj: Model | None) -> dict[str, Any]:
        code, year = self.request.GET.get("municipality", ""), self.request.GET.get("year", "")
        initial: dict[str, Any] = {"municipality": code, "year": year} if code else {}
        if code and digits(year):
            found = scope(self.request.user, WoondealAgreement.objects.all(), CHANGE).filter(
                municipality__code=code.upper(), year=int(year)
            )
            if agreement := found.first():
                initial |= {
                    "agreed_capacity": agreement.agreed_capacity,
                    "source": agreement.source,
                    "notes": agreement.notes,
                }
        return initial

    def save(self, form: AgreementForm, obj: Model | None) -> WoondealAgreement:
        data = form.cleaned_data
        agreement, _outcome = services.save_agreement(
            self.request.user,
            data["municipality"],
            data["year"],
            agreed_capacity=data["agreed_capacity"],
            source=data["source"],
            notes=data["notes"],
        )
        return agreement

    def done(self, saved: WoondealAgreement) -> HttpResponse:
        return redirect(f"{reverse('housing-woondeal')}?year={saved.year}")

    def show(self, form: AgreementForm, obj: Model | None) -> HttpResponse:
        title = _("Woondeal-afspraak vastleggen")
        return self.page(
            "housing/woondeal_form.html",
            crumbs((_("Woondeal"), reverse("housing-woondeal")), (title, None)),
            form=form,
            title=title,
        )


# -- housing need -----------------------------------------------------------------------------


class NeedList(ScopedView):
    model = HousingNeed

    def get(self, request: HttpRequest) -> HttpResponse:
        form = NeedFilterForm(request.GET or None, years=gap.need_years(request.user))
        filters = form.filters()
        found = planning.need(request.user, filters)
        paging = paged(request, found)
        names = planning.indicator_names()
        paging["rows"] = [
            (n, planning.describe_parameters(n.parameters, names)) for n in paging["page_obj"]
        ]
        return self.page(
            "housing/need_list.html",
            crumbs((_("Woonbehoefte"), None)),
            filter_form=form,
            filtered=bool(filters),
            **paging,
            total=len(found),
            export_query=query_of(filters),
            may_derive=self.may_change(),
            fictitious=any(n.status == "fictitious" for n in found),
        )


class NeedDerive(FormPage):
    """Derive need from a monitor figure: the form shows what would be stored (preview)
    until the user confirms with the save button."""

    model = HousingNeed
    form_class = DeriveNeedForm
    saved_message = gettext_lazy("De afgeleide woonbehoefte is opgeslagen.")

    def form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        return {"indicators": planning.source_indicators(self.request.user), "years": self.years()}

    def years(self) -> list[int]:
        indicator = (
            planning.source_indicators(self.request.user)
            .filter(code=self.request.POST.get("indicator") or planning.DEFAULT_INDICATOR)
            .first()
        )
        return dashboard.years_with_data(self.request.user, indicator) if indicator else []

    def initial(self, obj: Model | None) -> dict[str, Any]:
        years = self.years()
        return {"indicator": planning.DEFAULT_INDICATOR, "year": years[0] if years else None}

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if "save" in request.POST:
            return super().post(request, **kwargs)
        return self.show(self.make_form(None, request.POST), None)

    def figures(self, form: DeriveNeedForm) -> list:
        data = form.cleaned_data
        return planning.monitor_figures(self.request.user, data["indicator"], data["year"])

    def save(self, form: DeriveNeedForm, obj: Model | None) -> dict[str, int]:
        data = form.cleaned_data
        figures = self.figures(form)
        if not figures:
            raise ValidationError(self.no_figures(form))
        counts = services.derive_need(
            self.request.user,
            data["year"],
            planning.figures_for_service(figures),
            data["parameters"],
            data["indicator"].code,
        )
        self.saved_message = _(
            "Woonbehoefte %(year)s afgeleid: %(created)s nieuw, %(updated)s bijgewerkt, "
            "%(unchanged)s ongewijzigd, %(kept)s uit onderzoek behouden."
        ) % {"year": data["year"], **counts}
        return {"year": data["year"], **counts}

    def no_figures(self, form: DeriveNeedForm) -> str:
        data = form.cleaned_data
        return _("Er zijn geen cijfers van %(indicator)s voor %(year)s per gemeente.") % {
            "indicator": data["indicator"].name,
            "year": data["year"],
        }

    def done(self, saved: dict[str, int]) -> HttpResponse:
        return redirect(f"{reverse('housing-need-list')}?year={saved['year']}")

    def show(self, form: DeriveNeedForm, obj: Model | None) -> HttpResponse:
        preview = None
        if form.is_bound and form.is_valid() and "parameters" in form.cleaned_data:
            figures = self.figures(form)
            preview = planning.derive_preview(
                self.request.user,
                figures,
                form.cleaned_data["year"],
                form.cleaned_data["parameters"],
            )
        title = _("Woonbehoefte afleiden uit de monitor")
        return self.page(
            "housing/need_derive.html",
            crumbs((_("Woonbehoefte"), reverse("housing-need-list")), (title, None)),
            form=form,
            title=title,
            preview=preview,
            no_figures=self.no_figures(form) if preview == [] else "",
            classes=StayClass.choices,
        )


# -- parameters -------------------------------------------------------------------------------


class ParametersPage(FormPage):
    """Everyone in the network reads the parameters and their history; the province admin
    changes them (with a reason)."""

    model = Parameters
    form_class = ParametersForm
    saved_message = gettext_lazy("De parameters zijn gewijzigd.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.action = CHANGE if request.method == "POST" else VIEW
        return super().dispatch(request, *args, **kwargs)

    def initial(self, obj: Model | None) -> dict[str, Any]:
        return ParametersForm.initial_from(services.current_parameters())

    def save(self, form: ParametersForm, obj: Model | None) -> Parameters:
        data = form.cleaned_data
        return services.set_parameters(
            self.request.user,
            short_max_months=data["short_max_months"],
            mid_max_months=data["mid_max_months"],
            weights=data["weights"],
            reason=data["reason"],
        )

    def done(self, saved: Parameters) -> HttpResponse:
        return redirect("housing-parameters")

    def show(self, form: ParametersForm, obj: Model | None) -> HttpResponse:
        history = list(scope(self.request.user, Parameters.objects.all()))
        current = services.current_parameters()
        return self.page(
            "housing/parameters.html",
            crumbs((_("Parameters"), None)),
            form=form if may(self.request.user, CHANGE, Parameters) else None,
            current=current,
            changed=bool(history),
            weights=[(s.value, s.label, current.weight(s) * 100) for s in ProjectStatus],
            history=[(entry, changes(entry, older)) for entry, older in _pairs(history)],
        )


def _pairs(history: list[Parameters]) -> list[tuple[Parameters, Parameters | None]]:
    """Each entry (newest first) with the one it replaced."""
    return [
        (entry, history[i + 1] if i + 1 < len(history) else None) for i, entry in enumerate(history)
    ]


def changes(entry: Parameters, older: Parameters | None) -> list[str]:
    """What an entry changed against the one before it (against the defaults for the first)."""
    new = entry.as_rules()
    old = older.as_rules() if older else rules.DEFAULT_PARAMETERS
    found = []
    for label, before, after in (
        (_("kort verblijf tot en met (maanden)"), old.short_max_months, new.short_max_months),
        (_("middellang verblijf tot en met (maanden)"), old.mid_max_months, new.mid_max_months),
    ):
        if before != after:
            found.append(f"{label}: {before} → {after}")
    for status in ProjectStatus:
        before, after = old.weight(status), new.weight(status)
        if before != after:
            found.append(
                _("weging %(status)s: %(before)s %% → %(after)s %%")
                % {
                    "status": status.label,
                    "before": planning.percent_text(before),
                    "after": planning.percent_text(after),
                }
            )
    return found


urlpatterns = [
    path("projecten/", ProjectList.as_view(), name="housing-project-list"),
    path("projecten/nieuw/", ProjectEdit.as_view(), name="housing-project-create"),
    path("projecten/<int:pk>/", ProjectDetail.as_view(), name="housing-project-detail"),
    path("projecten/<int:pk>/wijzigen/", ProjectEdit.as_view(), name="housing-project-update"),
    path("woondeal/", Woondeal.as_view(), name="housing-woondeal"),
    path("woondeal/nieuw/", AgreementEdit.as_view(), name="housing-woondeal-edit"),
    path("behoefte/", NeedList.as_view(), name="housing-need-list"),
    path("behoefte/afleiden/", NeedDerive.as_view(), name="housing-need-derive"),
    path("parameters/", ParametersPage.as_view(), name="housing-parameters"),
]
