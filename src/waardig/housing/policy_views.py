"""The policy inventory's pages: the matrix municipality x instrument with counts per region
and province, the page of one cell (its form and its history), and the history of all changes.

Tables come from housing.policy, which also makes their downloads (exports housing-policy,
housing-policy-counts, housing-policy-history), so a download holds what the page shows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas.models import Municipality
from waardig.core.access import CHANGE, allows, may
from waardig.core.editing import FormPage
from waardig.core.views import ScopedView
from waardig.housing import policy, services
from waardig.housing.models import Instrument, PolicyChange, PolicyEntry, PolicyStatus
from waardig.housing.policy_forms import HistoryFilterForm, MatrixFilterForm, PolicyForm
from waardig.housing.sections import crumbs

CHANGES_PER_PAGE = 50


def _policy_crumb() -> tuple[Any, str]:
    return (_("Beleidsinventarisatie"), reverse("housing-policy"))


class PolicyMatrix(ScopedView):
    """The whole inventory at a glance, or one instrument with its summary per region."""

    model = PolicyEntry

    def get(self, request: HttpRequest) -> HttpResponse:
        grouping = policy.chosen_grouping(request.GET.get("grouping"))
        instrument = request.GET.get("instrument", "")
        if instrument not in Instrument.values:
            instrument = ""  # an unknown instrument in the address shows them all
        table = policy.matrix(request.user, grouping, instrument)
        query = {"grouping": grouping} | ({"instrument": instrument} if instrument else {})
        return self.page(
            "housing/policy_matrix.html",
            crumbs((_("Beleidsinventarisatie"), None)),
            matrix=table,
            instrument=Instrument(instrument) if instrument else None,
            filter_form=MatrixFilterForm(query, groupings=policy.groupings()),
            query=urlencode(query),
            may_change=may(request.user, CHANGE, PolicyEntry),
            statuses=list(PolicyStatus),
            width=len(table.instruments) + 1,
        )


class PolicyEdit(FormPage):
    """One cell: status, date, document and contact, with the cell's history below.

    A municipality outside the user's reach answers 404, like an unknown code or instrument.
    """

    model = PolicyEntry
    form_class = PolicyForm
    saved_message = gettext_lazy("De inventarisatie is bijgewerkt.")

    def get_object(self) -> PolicyEntry:
        municipality = get_object_or_404(
            Municipality.objects.current(), code=self.kwargs["code"].upper()
        )
        instrument = self.kwargs["instrument"]
        if instrument not in Instrument.values:
            raise Http404
        entry = (
            PolicyEntry.objects.select_related("contact", "municipality")
            .filter(municipality=municipality, instrument=instrument)
            .first()
        ) or PolicyEntry(municipality=municipality, instrument=instrument)
        if not allows(self.request.user, CHANGE, entry):
            raise Http404
        return entry

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"municipality": obj.municipality, "actor": self.request.user}

    def save(self, form: PolicyForm, obj: Any) -> PolicyEntry:
        entry, outcome = services.set_policy(
            self.request.user, obj.municipality, obj.instrument, **form.cleaned_data
        )
        if outcome == services.UNCHANGED:
            self.saved_message = _("Er is niets gewijzigd.")
        return entry

    def done(self, saved: PolicyEntry) -> HttpResponse:
        return redirect(f"{reverse('housing-policy')}#{saved.municipality.code}")

    def show(self, form: PolicyForm, obj: Any) -> HttpResponse:
        title = _("%(municipality)s: %(instrument)s") % {
            "municipality": obj.municipality.name,
            "instrument": obj.get_instrument_display(),
        }
        history = obj.changes.order_by("-at", "-id") if obj.pk else []
        return self.page(
            "housing/policy_edit.html",
            crumbs(_policy_crumb(), (title, None)),
            form=form,
            entry=obj,
            title=title,
            history=history,
            history_query=urlencode(
                {"municipality": obj.municipality.code, "instrument": obj.instrument}
            ),
        )


class PolicyHistory(ScopedView):
    """Who changed which cell when, from what to what: newest first, filterable."""

    model = PolicyChange

    def get(self, request: HttpRequest) -> HttpResponse:
        form = HistoryFilterForm(request.GET or None)
        filters = form.filters()
        found = policy.changes(request.user, **filters)
        page = Paginator(found, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
        return self.page(
            "housing/policy_history.html",
            crumbs(_policy_crumb(), (_("Geschiedenis"), None)),
            filter_form=form,
            filtered=bool(filters),
            changes=page,
            total=page.paginator.count,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query=urlencode(filters),
        )


urlpatterns = [
    path("beleid/", PolicyMatrix.as_view(), name="housing-policy"),
    path("beleid/geschiedenis/", PolicyHistory.as_view(), name="housing-policy-history"),
    path("beleid/<str:code>/<str:instrument>/", PolicyEdit.as_view(), name="housing-policy-edit"),
]
