"""Bodies (steering group, taskforce, working groups), their meetings, agenda, outcomes,
action items that come back until they are closed, and versioned minutes.

Minutes are append-only versions: finalising locks the latest; a later change is a new
version with a reason. Action items keep their history as follow-up notes (append-only).
"""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waardig.core.access import NETWORK_ROLES, AccessPolicy, Role
from waardig.core.models import AppendOnlyModel
from waardig.meetings.rules import agenda_title

SECRETARIAT = frozenset({Role.PROVINCE_ADMIN, Role.PROGRAMME_COORDINATOR})
PROVINCE = SECRETARIAT | {Role.ANALYST}


def meeting_data(seats: str) -> AccessPolicy:
    """The province follows every body and its secretaries keep them; anyone else sees the
    bodies they (or their organisation) hold a current seat in, found through ``seats``."""
    return AccessPolicy(
        view=PROVINCE, change=SECRETARIAT, view_member=NETWORK_ROLES, member_path=seats
    )


def meeting_documents(seats: str) -> AccessPolicy:
    """Papers shared with a body: its members and its secretaries, nobody else."""
    return AccessPolicy(view=SECRETARIAT, change=SECRETARIAT, view_member=NETWORK_ROLES,
                        member_path=seats)  # fmt: skip


RESERVED_SLUGS = frozenset({"nieuw", "actiepunten", "stukken", "verslagen"})
"""Path segments under /overleg/ that are pages, not bodies."""


class Body(models.Model):
    class Kind(models.TextChoices):
        STEERING_GROUP = "steering_group", _("Stuurgroep")
        TASKFORCE = "taskforce", _("Taskforce")
        WORKING_GROUP = "working_group", _("Werkgroep")

    slug = models.SlugField(_("korte naam"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("omschrijving"), blank=True)

    access = meeting_data("members")

    class Meta:
        ordering = ["name"]
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Deze korte naam is gereserveerd; kies een andere.")})


class BodyMember(models.Model):
    """A seat in a body: an organisation, a person, or both; optionally their login."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Voorzitter")
        SECRETARY = "secretary", _("Secretaris")
        MEMBER = "member", _("Lid")
        ADVISOR = "advisor", _("Adviseur")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("persoon"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="body_seats",
        help_text=_("Het account waarmee dit lid de stukken van het overleg ziet."),
    )
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    start = models.DateField(_("lid vanaf"), null=True, blank=True)
    end = models.DateField(_("lid tot en met"), null=True, blank=True)

    access = meeting_data("body__members")

    class Meta:
        ordering = ["body", "role", "id"]
        verbose_name = _("lid")
        verbose_name_plural = _("leden")

    def __str__(self) -> str:
        who = self.person or self.organisation or self.user
        return f"{who} ({self.get_role_display()})"

    def clean(self) -> None:
        if not (self.organisation_id or self.person_id or self.user_id):
            raise ValidationError(_("Geef een organisatie, een persoon of een account."))
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Het einde ligt voor het begin.")})


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        PLANNED = "planned", _("Gepland")
        HELD = "held", _("Gehouden")
        FINAL = "final", _("Verslag vastgesteld")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("datum"))
    start = models.TimeField(_("begin"), null=True, blank=True)
    end = models.TimeField(_("einde"), null=True, blank=True)
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    online_link = models.URLField(_("online deelnemen"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    access = meeting_data("body__members")

    class Meta:
        ordering = ["body", "-date", "-id"]
        verbose_name = _("vergadering")
        verbose_name_plural = _("vergaderingen")

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d-%m-%Y}"


class Attendance(models.Model):
    class Presence(models.TextChoices):
        PRESENT = "present", _("Aanwezig")
        EXCUSED = "excused", _("Afwezig met kennisgeving")
        ABSENT = "absent", _("Afwezig")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(
        _("wie"), max_length=200, help_text=_("Organisatie of rol, zoals in het verslag.")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    presence = models.CharField(_("aanwezigheid"), max_length=10, choices=Presence.choices)

    access = meeting_data("meeting__body__members")

    class Meta:
        ordering = ["meeting", "presence", "name"]
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")

    def __str__(self) -> str:
        return f"{self.name}: {self.get_presence_display()}"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening en vaststelling agenda")
        PREVIOUS_MINUTES = "previous_minutes", _("Verslag vorige vergadering")
        ACTION_ITEMS = "action_items", _("Nalopen actiepunten")
        REGIONS = "regions", _("Terugkoppeling uit de regio's")
        TOPIC = "topic", _("Onderwerp")
        ANY_OTHER_BUSINESS = "any_other_business", _("Rondvraag")
        CLOSING = "closing", _("Sluiting")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField(_("nummer"), max_length=10)
    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    action_item = models.ForeignKey(
        "ActionItem",
        verbose_name=_("actiepunt"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda_entries",
        help_text=_("Bij 'Nalopen actiepunten': het actiepunt dat wordt nagelopen."),
    )
    order = models.PositiveIntegerField(_("volgorde"), default=0)

    access = meeting_data("meeting__body__members")

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Outcome(models.Model):
    """What an agenda item brought: information or a decision (action items are their own)."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Informatie")
        DECISION = "decision", _("Besluit")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("tekst"))

    access = meeting_data("agenda_item__meeting__body__members")

    class Meta:
        ordering = ["agenda_item", "id"]
        verbose_name = _("uitkomst")
        verbose_name_plural = _("uitkomsten")

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Afgerond")
        CANCELLED = "cancelled", _("Vervallen")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("uit vergadering"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="new_action_items",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("bij agendapunt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="new_action_items",
        help_text=_("Het agendapunt waaronder het actiepunt is afgesproken."),
    )
    text = models.TextField(_("actiepunt"))
    owner_name = models.CharField(_("eigenaar (zoals geschreven)"), max_length=200, blank=True)
    owner_person = models.ForeignKey(
        "organisations.Person", null=True, blank=True, on_delete=models.PROTECT
    )
    owner_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    due = models.DateField(_("uiterlijk"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("gesloten op"), null=True, blank=True)
    programme_action = models.ForeignKey(
        "programme.Action",
        verbose_name=_("programma-actie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )

    access = meeting_data("body__members")

    class Meta:
        ordering = ["body", "status", "due", "id"]
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")

    def __str__(self) -> str:
        return agenda_title(self.text, self.owner_name)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def linked_owner(self) -> str:
        """The person and/or organisation the owner is linked to, unless written just so."""
        linked = ", ".join(str(o.name) for o in (self.owner_person, self.owner_organisation) if o)
        return "" if linked == self.owner_name else linked

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due is not None and self.due < today

    def check_meeting(self, meeting: Meeting | None) -> None:
        """Only a meeting of the item's own body may agree on it or walk through it."""
        if meeting is not None and meeting.body_id != self.body_id:
            raise ValidationError({"meeting": _("Deze vergadering is van een ander overleg.")})

    def clean(self) -> None:
        self.check_meeting(self.meeting if self.meeting_id else None)
        if self.agenda_item_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError(
                {"agenda_item": _("Dit agendapunt hoort bij een andere vergadering.")}
            )


class FollowUp(AppendOnlyModel):
    """A note on an action item, added when a later meeting walks through it."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="notes")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT)
    text = models.TextField(_("toelichting"))
    author_name = models.CharField(_("auteur"), max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    access = meeting_data("action_item__body__members")

    class Meta:
        ordering = ["action_item", "created_at", "id"]
        verbose_name = _("voortgangsnotitie")
        verbose_name_plural = _("voortgangsnotities")


class MinutesVersion(AppendOnlyModel):
    """The minutes of a meeting (text per agenda item) as one numbered, immutable version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveIntegerField(_("versie"))
    texts = models.JSONField(_("tekst per agendapunt"), default=dict)
    final = models.BooleanField(_("vastgesteld"), default=False)
    reason = models.CharField(_("reden van wijziging"), max_length=300, blank=True)
    author_name = models.CharField(_("auteur"), max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    access = meeting_data("meeting__body__members")

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_unique_version")
        ]
        verbose_name = _("verslagversie")
        verbose_name_plural = _("verslagversies")


def minutes_state(latest: MinutesVersion | None) -> str:
    """How pages and reports name the state of a meeting's minutes."""
    if latest is None:
        return str(_("nog geen verslag"))
    if latest.final:
        return gettext("vastgesteld, versie %(number)s") % {"number": latest.number}
    return gettext("concept, versie %(number)s") % {"number": latest.number}


def document_path(document: "Document", filename: str) -> str:
    """Stored under a random name: the original name is kept in the row, never in a path."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"meetings/{document.meeting_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    """A paper shared with a body's members, attached to a meeting or one of its items."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agendapunt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("bestand"), upload_to=document_path)
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("grootte in bytes"))
    uploaded_by = models.CharField(_("toegevoegd door"), max_length=150)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    access = meeting_documents("meeting__body__members")

    class Meta:
        ordering = ["meeting", "agenda_item__order", "title", "id"]
        verbose_name = _("vergaderstuk")
        verbose_name_plural = _("vergaderstukken")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.agenda_item_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError(
                {"agenda_item": _("Dit agendapunt hoort bij een andere vergadering.")}
            )
