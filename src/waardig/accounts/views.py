"""The home page differs per role: each user starts where their work is."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from waardig.core.access import CHANGE, VIEW, Role, may, role_of
from waardig.core.registry import IMPORTS, REPORTS
from waardig.core.reports.document import Document, Section
from waardig.core.reports.html import render_html_fragment
from waardig.organisations.models import ContactPerson
from waardig.organisations.reports import coverage_chart


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = role_of(user)
    context = {"role": role}
    if role is Role.PUBLIC:
        return render(request, "accounts/home_public.html", context)
    own = user.municipalities.order_by("name") if role.is_scoped else []
    context |= {
        "own_municipalities": own,
        "reports": [r for r in REPORTS.values() if may(user, VIEW, r.model)],
        "imports": [i for i in IMPORTS.values() if may(user, CHANGE, i.model)],
        "may_edit_contacts": may(user, CHANGE, ContactPerson),
        "own_contacts": ContactPerson.objects.filter(municipality__in=own).count() if own else None,
    }
    if may(user, VIEW, ContactPerson):
        chart = Document(
            title=_("Dekking van het contactnetwerk"),
            sections=(Section("", (coverage_chart(user, "admin"),)),),
        )
        context["coverage"] = render_html_fragment(chart, base_level=2)
    return render(request, "accounts/home.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html")
