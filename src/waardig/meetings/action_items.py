"""Action items across the bodies: the list with its filters and overdue marks, one item with
its history, and the pages that change, annotate and close it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core.access import CHANGE, may, scope
from waardig.core.views import ScopedView
from waardig.meetings import queries, services
from waardig.meetings.editing import FormPage
from waardig.meetings.forms import ActionItemFilterForm, ActionItemForm, CloseForm, FollowUpForm
from waardig.meetings.models import ActionItem, Body
from waardig.meetings.views import crumbs, item_crumb

ACTION_ITEMS_PER_PAGE = 100


class ActionItemList(ScopedView):
    """Action items of every visible body: open by default, filtered, overdue ones marked."""

    model = ActionItem

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        items = queries.action_items(request.user, today=today)
        bodies = self.scoped(Body.objects.all()).order_by("name")
        form = ActionItemFilterForm(request.GET or None, bodies=bodies, items=items)
        found = queries.filter_action_items(items, form.filters(), today)
        found = found.order_by(F("due").asc(nulls_last=True), "body", "id")
        page = Paginator(found, ACTION_ITEMS_PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "meetings/action_item_list.html",
            {
                "breadcrumbs": crumbs((_("Actiepunten"), "")),
                "filter_form": form,
                "filtered": form.is_filtered(),
                "rows": [(item, item.is_overdue(today)) for item in page],
                "total": page.paginator.count,
                "overdue": self._overdue(found, today),
                "page_obj": page,
                "paginator": page.paginator,
                "is_paginated": page.has_other_pages(),
                "query": query.urlencode(),
                "export_query": self._export_query(form),
            },
        )

    @staticmethod
    def _export_query(form: ActionItemFilterForm) -> str:
        """The download takes every filter along: it holds what the page shows."""
        query = QueryDict(mutable=True)
        for name, value in form.filters().items():
            query[name] = "1" if value is True else str(value)
        return query.urlencode()

    @staticmethod
    def _overdue(found: QuerySet, today: datetime.date) -> int:
        return found.filter(queries.late(today)).count()


def action_item_context(request: HttpRequest, item: ActionItem, **forms: Any) -> dict[str, Any]:
    """The item's page; notes may be added after closing too (how it ended, for instance)."""
    today = timezone.localdate()
    changeable = may(request.user, CHANGE, ActionItem)
    return {
        "breadcrumbs": crumbs(
            (_("Actiepunten"), reverse("action-item-list")), (item_crumb(item)[0], "")
        ),
        "item": item,
        "overdue": item.is_overdue(today),
        "notes": item.notes.select_related("meeting"),
        "agenda_entries": item.agenda_entries.select_related("meeting").order_by("meeting__date"),
        "may_change": changeable,
        "follow_up_form": forms.get("follow_up_form")
        or (FollowUpForm(item=item) if changeable else None),
        "today": today,
    }


def visible_item(request: HttpRequest, pk: int, action: str) -> ActionItem:
    items = ActionItem.objects.select_related(
        "body",
        "meeting",
        "agenda_item",
        "owner_person",
        "owner_organisation",
        "programme_action__programme",
    )
    return get_object_or_404(scope(request.user, items, action), pk=pk)


class ActionItemDetail(ScopedView):
    model = ActionItem

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = visible_item(request, pk, self.action)
        return render(
            request, "meetings/action_item_detail.html", action_item_context(request, item)
        )


class ActionItemPage(FormPage):
    """A form on one action item (/overleg/actiepunten/<pk>/...)."""

    model = ActionItem

    def item(self) -> ActionItem:
        if not hasattr(self, "_item"):
            self._item = visible_item(self.request, self.kwargs["pk"], CHANGE)
        return self._item

    def done(self, saved):
        return redirect("action-item-detail", self.item().pk)

    def trail(self):
        return [(_("Actiepunten"), reverse("action-item-list")), item_crumb(self.item())]


class ActionItemEdit(ActionItemPage):
    form_class = ActionItemForm
    title = gettext_lazy("Actiepunt wijzigen")
    saved_message = gettext_lazy("Het actiepunt is opgeslagen.")

    def get_object(self) -> ActionItem:
        return self.item()

    def form_kwargs(self, obj):
        return {"actor": self.request.user}

    def save(self, form, obj):
        return services.update_action_item(self.request.user, obj, **form.cleaned_data)


class ActionItemClose(ActionItemPage):
    form_class = CloseForm
    title = gettext_lazy("Actiepunt afsluiten")
    submit_label = gettext_lazy("Afsluiten")
    saved_message = gettext_lazy(
        "Het actiepunt is afgesloten; het staat niet meer op de conceptagenda's."
    )

    @property
    def intro(self) -> str:
        return _("U sluit dit actiepunt af: “%(text)s”. Dat kan niet worden teruggedraaid.") % {
            "text": self.item().text
        }

    def form_kwargs(self, obj):
        return {"item": self.item()}

    def save(self, form, obj):
        data = form.cleaned_data
        return services.close_action_item(
            self.request.user,
            self.item(),
            status=data["status"],
            note=data["text"],
            meeting=data["meeting"],
        )


class FollowUpCreate(ActionItemPage):
    """The note form on the action item's page; errors are shown on that page."""

    form_class = FollowUpForm
    saved_message = gettext_lazy("De notitie is toegevoegd.")
    http_method_names = ["post"]

    def form_kwargs(self, obj):
        return {"item": self.item()}

    def save(self, form, obj):
        data = form.cleaned_data
        return services.add_follow_up(
            self.request.user, self.item(), data["text"], meeting=data["meeting"]
        )

    def show(self, form, obj, **context):
        context = action_item_context(self.request, self.item(), follow_up_form=form)
        return render(self.request, "meetings/action_item_detail.html", context)
