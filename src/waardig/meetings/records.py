"""What a meeting brings forth, kept through its pages: outcomes and action items under an
agenda item, the minutes (a new version on every save) and the papers shared with the members.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.meetings import services
from waardig.meetings.editing import ConfirmPage, MeetingPage
from waardig.meetings.forms import DocumentForm, MinutesForm, NewActionItemForm, OutcomeForm
from waardig.meetings.models import (
    ActionItem,
    AgendaItem,
    Document,
    Meeting,
    MinutesVersion,
    Outcome,
)
from waardig.meetings.views import body_crumb, meeting_crumb


class ItemPage(MeetingPage):
    """A form on one agenda item of the meeting."""

    def agenda_item(self) -> AgendaItem:
        return get_object_or_404(self.meeting().agenda.all(), pk=self.kwargs["item"])

    def done(self, saved):
        url = reverse("meeting-detail", args=[self.body().slug, self.meeting().pk])
        return redirect(f"{url}#item-{self.kwargs['item']}")


class OutcomeCreate(ItemPage):
    model = Outcome
    form_class = OutcomeForm
    saved_message = gettext_lazy("De uitkomst is toegevoegd.")

    @property
    def title(self) -> str:
        return _("Uitkomst bij %(item)s") % {"item": self.agenda_item()}

    def save(self, form, obj):
        return services.add_outcome(self.request.user, self.agenda_item(), **form.cleaned_data)


class MeetingActionItemCreate(ItemPage):
    model = ActionItem
    form_class = NewActionItemForm
    saved_message = gettext_lazy("Het actiepunt is toegevoegd.")
    intro = gettext_lazy(
        "Het actiepunt komt op de agenda van elke volgende vergadering tot het is afgesloten."
    )

    @property
    def title(self) -> str:
        return _("Actiepunt bij %(item)s") % {"item": self.agenda_item()}

    def save(self, form, obj):
        return services.add_action_item(
            self.request.user,
            self.body(),
            meeting=self.meeting(),
            agenda_item=self.agenda_item(),
            **form.cleaned_data,
        )


class OutcomeDelete(ConfirmPage):
    model = Outcome
    title = gettext_lazy("Uitkomst verwijderen")
    done_message = gettext_lazy("De uitkomst is verwijderd.")

    def get_object(self) -> Outcome:
        outcomes = Outcome.objects.filter(agenda_item__meeting=self.meeting())
        return get_object_or_404(self.scoped(outcomes), pk=self.kwargs["outcome"])

    def question(self, obj):
        return _("Weet u zeker dat u deze uitkomst bij %(item)s wilt verwijderen: “%(text)s”?") % {
            "item": obj.agenda_item,
            "text": obj,
        }

    def perform(self, obj):
        services.remove_outcome(self.request.user, obj)

    def back(self, obj):
        url = reverse("meeting-detail", args=[self.body().slug, self.meeting().pk])
        return f"{url}#item-{obj.agenda_item_id}"

    def trail(self, obj):
        return [body_crumb(self.body()), meeting_crumb(self.meeting())]


class MinutesEdit(MeetingPage):
    model = MinutesVersion
    form_class = MinutesForm
    title = gettext_lazy("Verslag schrijven")
    template = "meetings/minutes_form.html"
    saved_message = gettext_lazy("Het verslag is opgeslagen als nieuwe versie.")

    def latest(self) -> MinutesVersion | None:
        return self.meeting().minutes.order_by("-number").first()

    def form_kwargs(self, obj):
        latest = self.latest()
        return {
            "agenda": list(self.meeting().agenda.order_by("order", "id")),
            "texts": latest.texts if latest else {},
            "final": bool(latest and latest.final),
        }

    def save(self, form, obj):
        latest = self.latest()
        texts = form.texts()
        if (latest.texts if latest else {}) == texts:
            self.saved_message = _("Er is niets gewijzigd; er is geen nieuwe versie gemaakt.")
            return latest
        return services.save_minutes(
            self.request.user, self.meeting(), texts, reason=form.cleaned_data["reason"]
        )

    def show(self, form, obj, **context):
        return super().show(form, obj, versions=self.meeting().minutes.order_by("-number"))


class MinutesFinalise(ConfirmPage):
    model = MinutesVersion
    title = gettext_lazy("Verslag vaststellen")
    button = gettext_lazy("Ja, vaststellen")
    done_message = gettext_lazy("Het verslag is vastgesteld.")

    def get_object(self) -> Meeting:
        return self.meeting()

    def question(self, obj):
        latest = obj.minutes.order_by("-number").first()
        if latest is None:
            return _("Er is nog geen verslag om vast te stellen.")
        return _(
            "Versie %(n)s wordt het vastgestelde verslag. Daarna kan het alleen nog worden "
            "gewijzigd als nieuwe versie met een reden. Doorgaan?"
        ) % {"n": latest.number}

    def perform(self, obj):
        services.finalise_minutes(self.request.user, obj)

    def back(self, obj):
        return reverse("meeting-detail", args=[self.body().slug, obj.pk])

    def trail(self, obj):
        return [body_crumb(self.body()), meeting_crumb(obj)]


class DocumentCreate(MeetingPage):
    model = Document
    form_class = DocumentForm
    title = gettext_lazy("Stuk toevoegen")
    saved_message = gettext_lazy("Het stuk is gedeeld met de leden van het overleg.")
    intro = gettext_lazy("Alleen de leden van het overleg en het secretariaat zien de stukken.")

    def form_kwargs(self, obj):
        return {"meeting": self.meeting()}

    def initial(self, obj):
        return {"agenda_item": self.request.GET.get("agenda_item")}

    def save(self, form, obj):
        values = dict(form.cleaned_data)
        upload = values.pop("file")
        return services.add_document(self.request.user, self.meeting(), upload, **values)


class DocumentDelete(ConfirmPage):
    model = Document
    title = gettext_lazy("Stuk verwijderen")
    done_message = gettext_lazy("Het stuk is verwijderd.")

    def get_object(self) -> Document:
        documents = Document.objects.select_related("meeting__body")
        return get_object_or_404(self.scoped(documents), pk=self.kwargs["pk"])

    def question(self, obj):
        return _("Weet u zeker dat u het stuk “%(title)s” (%(file)s) wilt verwijderen?") % {
            "title": obj.title,
            "file": obj.filename,
        }

    def perform(self, obj):
        services.remove_document(self.request.user, obj)

    def back(self, obj):
        return reverse("meeting-detail", args=[obj.meeting.body.slug, obj.meeting_id])

    def trail(self, obj):
        return [body_crumb(obj.meeting.body), meeting_crumb(obj.meeting)]
