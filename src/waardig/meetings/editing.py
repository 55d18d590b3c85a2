"""The pages that change bodies, seats and meetings: one form, one service call, each the
same shape (``FormPage``, ``ConfirmPage``; also used by ``records`` and ``action_items``).

Only the secretariat reaches them (core.access); objects come through the scope, so what a
user may not change answers 404. Errors of the services are shown on the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core import editing as core_editing
from waardig.core.access import CHANGE
from waardig.meetings import services
from waardig.meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    BodyForm,
    MeetingCreateForm,
    MeetingUpdateForm,
    MemberForm,
)
from waardig.meetings.models import AgendaItem, Body, BodyMember, Meeting
from waardig.meetings.views import BodyMixin, body_crumb, meeting_crumb
from waardig.organisations.models import Organisation


class FormPage(core_editing.FormPage, BodyMixin):
    """An edit page of the meetings app: the crumbs between "Overleg" and this page
    (``trail``) and, optionally, an introduction and the label of the button."""

    title: Any
    template = "meetings/form.html"
    submit_label: Any = gettext_lazy("Opslaan")
    intro: Any = ""

    def trail(self) -> list[tuple[str, str]]:
        return []

    def show(self, form: Any, obj: Model | None, **context: Any) -> HttpResponse:
        trail = self.trail()
        return self.page(
            self.template,
            [*trail, (str(self.title), "")],
            form=form,
            title=self.title,
            intro=self.intro,
            submit_label=self.submit_label,
            back=trail[-1][1] if trail else reverse("body-list"),
            multipart=form.is_multipart(),
            **context,
        )


class ConfirmPage(BodyMixin):
    """Asks before something that cannot be undone; POST does it (``perform``)."""

    action = CHANGE
    title: Any
    button: Any = gettext_lazy("Ja, verwijderen")
    done_message: Any

    def get_object(self) -> Model:
        raise NotImplementedError

    def question(self, obj: Any) -> str:
        raise NotImplementedError

    def perform(self, obj: Any) -> None:
        raise NotImplementedError

    def back(self, obj: Any) -> str:
        raise NotImplementedError

    def trail(self, obj: Any) -> list[tuple[str, str]]:
        return []

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.show(self.get_object())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        back = self.back(obj)  # before the object is gone
        try:
            self.perform(obj)
        except ValidationError as exc:
            return self.show(obj, errors=exc.messages)
        messages.success(request, self.done_message)
        return redirect(back)

    def show(self, obj: Any, errors: list[str] | None = None) -> HttpResponse:
        return self.page(
            "meetings/confirm.html",
            [*self.trail(obj), (str(self.title), "")],
            title=self.title,
            question=self.question(obj),
            button=self.button,
            back=self.back(obj),
            errors=errors or [],
        )


class BodyEdit(FormPage):
    model = Body
    form_class = BodyForm
    saved_message = gettext_lazy("Het overleg is opgeslagen.")

    @property
    def title(self) -> str:
        return _("Overleg wijzigen") if "slug" in self.kwargs else _("Nieuw overleg")

    def get_object(self) -> Body | None:
        return self.body() if "slug" in self.kwargs else None

    def save(self, form, obj):
        return services.save_body(self.request.user, obj, **form.cleaned_data)

    def done(self, saved):
        return redirect("body-detail", saved.slug)

    def trail(self):
        return [body_crumb(self.body())] if "slug" in self.kwargs else []


class MemberEdit(FormPage):
    model = BodyMember
    form_class = MemberForm
    saved_message = gettext_lazy("De zetel is opgeslagen.")

    @property
    def title(self) -> str:
        return _("Zetel wijzigen") if "pk" in self.kwargs else _("Zetel toevoegen")

    def get_object(self) -> BodyMember | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.scoped(self.body().members.all()), pk=self.kwargs["pk"])

    def form_kwargs(self, obj):
        return {"body": self.body()}

    def save(self, form, obj):
        seat = obj or BodyMember(body=self.body())
        return services.save_member(self.request.user, seat, **form.cleaned_data)

    def done(self, saved):
        return redirect("body-detail", self.body().slug)

    def trail(self):
        return [body_crumb(self.body())]


class MemberDelete(ConfirmPage):
    model = BodyMember
    title = gettext_lazy("Zetel verwijderen")
    done_message = gettext_lazy("De zetel is verwijderd.")

    def get_object(self) -> BodyMember:
        return get_object_or_404(self.scoped(self.body().members.all()), pk=self.kwargs["pk"])

    def question(self, obj):
        return _("Weet u zeker dat u de zetel van %(seat)s in %(body)s wilt verwijderen?") % {
            "seat": obj,
            "body": self.body(),
        }

    def perform(self, obj):
        services.remove_member(self.request.user, obj)

    def back(self, obj):
        return reverse("body-detail", args=[self.body().slug])

    def trail(self, obj):
        return [body_crumb(self.body())]


class MeetingCreate(FormPage):
    model = Meeting
    form_class = MeetingCreateForm
    title = gettext_lazy("Nieuwe vergadering")
    saved_message = gettext_lazy(
        "De vergadering is gepland; de agenda heeft de vaste punten en alle open actiepunten."
    )

    def initial(self, obj):
        """Time and place as last time: most bodies meet at the same hour in the same room."""
        last = self.body().meetings.order_by("-date", "-id").first()
        if last is None:
            return {}
        return {name: getattr(last, name) for name in ("start", "end", "place", "online_link")}

    @transaction.atomic
    def save(self, form, obj):
        return services.plan_meeting(self.request.user, self.body(), **form.cleaned_data)

    def done(self, saved):
        return redirect("meeting-detail", self.body().slug, saved.pk)

    def trail(self):
        return [body_crumb(self.body())]


class MeetingPage(FormPage):
    """A form on one meeting: the crumbs lead back to it and so does saving."""

    model = Meeting

    def done(self, saved):
        return redirect("meeting-detail", self.body().slug, self.meeting().pk)

    def trail(self):
        meeting = self.meeting()
        return [body_crumb(meeting.body), meeting_crumb(meeting)]


class MeetingUpdate(MeetingPage):
    form_class = MeetingUpdateForm
    title = gettext_lazy("Vergadering wijzigen")
    saved_message = gettext_lazy("De vergadering is opgeslagen.")

    def form_kwargs(self, obj):
        return {"meeting": self.meeting()}

    def initial(self, obj):
        meeting = self.meeting()
        return {name: getattr(meeting, name) for name in (*services.MEETING_FIELDS, "status")}

    @transaction.atomic
    def save(self, form, obj):
        meeting = self.meeting()
        values = dict(form.cleaned_data)
        status = values.pop("status", meeting.status)
        services.update_meeting(self.request.user, meeting, **values)
        if status != meeting.status:
            services.set_meeting_status(self.request.user, meeting, status)
        return meeting


class AttendanceEdit(MeetingPage):
    form_class = AttendanceForm
    title = gettext_lazy("Aanwezigheid")
    saved_message = gettext_lazy("De aanwezigheid is opgeslagen.")
    intro = gettext_lazy("De lijst vervangt de huidige; een lege regel telt niet mee.")

    def initial(self, obj):
        return AttendanceForm.initial_of(self.meeting())

    def save(self, form, obj):
        meeting = self.meeting()
        known = {row.name: row.organisation for row in meeting.attendance.all()}
        entries = [
            (
                name,
                presence,
                known.get(name) or Organisation.objects.filter(name__iexact=name).first(),
            )
            for name, presence in form.entries()
        ]
        return services.set_attendance(self.request.user, meeting, entries)


class AgendaItemCreate(MeetingPage):
    model = AgendaItem
    form_class = AgendaItemForm
    title = gettext_lazy("Agendapunt toevoegen")
    saved_message = gettext_lazy("Het agendapunt is toegevoegd.")

    def form_kwargs(self, obj):
        return {"meeting": self.meeting()}

    def initial(self, obj):
        return {"parent": self.request.GET.get("parent")}

    def save(self, form, obj):
        return services.add_agenda_item(self.request.user, self.meeting(), **form.cleaned_data)
