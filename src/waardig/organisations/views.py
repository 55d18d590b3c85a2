"""Pages for organisations and the municipal contact inventory."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from waardig.areas.models import Region
from waardig.core.access import CHANGE, allows
from waardig.core.views import ScopedView
from waardig.organisations import queries, services
from waardig.organisations.forms import ContactFilterForm, ContactForm
from waardig.organisations.models import ContactPerson, Organisation


class OrganisationList(ScopedView, ListView):
    model = Organisation
    template_name = "organisations/organisation_list.html"
    paginate_by = 50

    def get_queryset(self):
        return queries.organisations(self.request.user, self.request.GET.dict())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            kinds=Organisation.Kind.choices, filters=self.request.GET.dict(), **kwargs
        )


class OrganisationDetail(ScopedView, DetailView):
    model = Organisation
    template_name = "organisations/organisation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        memberships = self.object.memberships.select_related("person").order_by("person__name")
        return super().get_context_data(memberships=memberships, **kwargs)


class ContactList(ScopedView, ListView):
    model = ContactPerson
    template_name = "organisations/contact_list.html"
    paginate_by = 100

    def get_queryset(self):
        self.filter_form = ContactFilterForm(
            self.request.GET or None,
            regions=list(Region.objects.select_related("grouping")),
        )
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return queries.contacts(self.request.user, filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [
            {
                "contact": c,
                "organisation": queries.organisation_of(c),
                "may_change": allows(user, CHANGE, c),
            }
            for c in context["object_list"]
        ]
        context["filter_form"] = self.filter_form
        context["may_add"] = self.may_change()
        context["query"] = self.request.GET.urlencode()
        return context


class ContactCreate(ScopedView):
    model = ContactPerson
    action = CHANGE

    def get(self, request, pk: int | None = None) -> HttpResponse:
        contact = self._contact(pk)
        initial = services.contact_values(contact) if contact else request.GET.dict()
        return self._page(ContactForm(initial=initial, actor=request.user), contact)

    def post(self, request, pk: int | None = None) -> HttpResponse:
        contact = self._contact(pk)
        form = ContactForm(request.POST, actor=request.user)
        if form.is_valid():
            services.save_contact(request.user, contact=contact, **form.cleaned_data)
            messages.success(request, _("De contactpersoon is opgeslagen."))
            return redirect("contact-list")
        return self._page(form, contact)

    def _contact(self, pk: int | None) -> ContactPerson | None:
        return get_object_or_404(self.scoped(), pk=pk) if pk is not None else None

    def _page(self, form: ContactForm, contact: ContactPerson | None):
        return render(
            self.request, "organisations/contact_form.html", {"form": form, "contact": contact}
        )


class ContactUpdate(ContactCreate):
    """Same form; the object must be one the user may change (else 404)."""


class ContactDelete(ScopedView):
    model = ContactPerson
    action = CHANGE

    def get(self, request, pk: int) -> HttpResponse:
        contact = get_object_or_404(self.scoped(), pk=pk)
        return render(request, "organisations/contact_confirm_delete.html", {"contact": contact})

    def post(self, request, pk: int) -> HttpResponse:
        contact = get_object_or_404(self.scoped(), pk=pk)
        services.delete_contact(request.user, contact)
        messages.success(request, _("De contactpersoon is verwijderd."))
        return redirect("contact-list")
