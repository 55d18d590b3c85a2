"""Programmes of actions: themes and goals, actions, milestones, status history, budget.

The status history is append-only (``StatusUpdate``). An action's ``status``, ``progress``
and ``last_update_on`` repeat its latest update so lists can filter and sort in the
database; only ``services.add_status_update`` sets them, in the same transaction.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from waardig.core.access import NETWORK_ROLES, AccessPolicy, Role
from waardig.core.models import AppendOnlyModel
from waardig.programme.rules import DEFAULT_PROGRESS, Money

ORDER_LIMIT = [MaxValueValidator(1_000_000)]
"""An explicit bound: the database's own integer range differs between SQLite and PostgreSQL
(and with it the API schema)."""

PROGRAMME_DATA = AccessPolicy(
    view=NETWORK_ROLES,
    change=frozenset({Role.PROVINCE_ADMIN, Role.PROGRAMME_COORDINATOR}),
)
"""The network follows the programmes; the province's coordinators keep them."""


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Niet gestart")
    RUNNING = "running", _("Loopt")
    DELAYED = "delayed", _("Vertraagd")
    DONE = "done", _("Afgerond")
    DROPPED = "dropped", _("Vervallen")
    CONTINUOUS = "continuous", _("Doorlopend")

    @property
    def default_progress(self) -> int | None:
        return DEFAULT_PROGRESS[self.value]


class ProvinceRole(models.TextChoices):
    """The province's role in an action (rolopvatting)."""

    REGULATING = "regulating", _("Regisserend/regulerend")
    DIRECTING = "directing", _("Sturend")
    FACILITATING = "facilitating", _("Faciliterend")
    STIMULATING = "stimulating", _("Stimulerend")
    SUBSIDISING = "subsidising", _("Subsidiërend")
    COORDINATING = "coordinating", _("Coördinerend")
    CONNECTING = "connecting", _("Verbindend")
    EXECUTING = "executing", _("Uitvoerend")


class Programme(models.Model):
    class Rhythm(models.TextChoices):
        QUARTERLY = "quarterly", _("Per kwartaal")
        YEARLY = "yearly", _("Per jaar")

    slug = models.SlugField(_("korte naam"), unique=True, help_text=_("Voor adressen en de CLI."))
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    period_text = models.CharField(_("periode (zoals geschreven)"), max_length=100, blank=True)
    start_date = models.DateField(_("begin"), null=True, blank=True)
    end_date = models.DateField(_("einde"), null=True, blank=True)
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("eigenaar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    reporting_rhythm = models.CharField(
        _("rapportageritme"), max_length=10, choices=Rhythm.choices, default=Rhythm.YEARLY
    )
    stale_after_days = models.PositiveIntegerField(
        _("verouderd na (dagen)"),
        default=120,
        validators=[MinValueValidator(1), MaxValueValidator(3660)],
        help_text=_("Een actie zonder voortgangsbericht in deze periode wordt gemarkeerd."),
    )
    fictitious = models.BooleanField(
        _("fictief"), default=False, help_text=_("Demogegevens: overal als fictief getoond.")
    )

    access = PROGRAMME_DATA

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Het einde ligt voor het begin.")})


PROGRAMME_FIELDS = (
    "name",
    "slug",
    "description",
    "period_text",
    "start_date",
    "end_date",
    "owner",
    "reporting_rhythm",
    "stale_after_days",
)
"""What a user sets on a programme, in the order forms and the API show it."""


class Theme(models.Model):
    """A node in the programme's tree: theme, action area, goal or action line, any depth."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("valt onder"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    label = models.CharField(
        _("soort"),
        max_length=50,
        default="thema",
        help_text=_("Hoe het programma dit niveau noemt: thema, speerpunt, doelstelling, ..."),
    )
    code = models.CharField(_("nummer"), max_length=20, blank=True)
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0, validators=ORDER_LIMIT)
    weight = models.DecimalField(
        _("gewicht"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Aandeel in de voortgang van het niveau erboven."),
    )

    access = PROGRAMME_DATA

    class Meta:
        ordering = ["programme", "order", "code", "id"]
        verbose_name = _("thema of doel")
        verbose_name_plural = _("thema's en doelen")

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def clean(self) -> None:
        node = self.parent
        while node is not None:
            if node.programme_id != self.programme_id:
                raise ValidationError({"parent": _("Dit niveau hoort bij een ander programma.")})
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": _("Een niveau kan niet onder zichzelf vallen.")})
            node = node.parent


class Action(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="actions")
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("thema of doel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    external_id = models.CharField(
        _("kenmerk"),
        max_length=50,
        help_text=_("Vaste sleutel voor export en import, uniek binnen het programma."),
    )
    code = models.CharField(_("nummer"), max_length=20, blank=True)
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    roles = models.JSONField(_("rol provincie"), default=list, blank=True)
    lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("trekker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_actions",
    )
    partners = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("partners"),
        blank=True,
        related_name="partner_actions",
    )
    responsible = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("verantwoordelijke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    expected_result = models.TextField(_("beoogd resultaat"), blank=True)
    programme_line = models.CharField(_("programmalijn"), max_length=200, blank=True)
    period_text = models.CharField(
        _("periode (zoals geschreven)"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld 'najaar 2013', 'medio 2025', '2025 - 2027' of 'doorlopend'."),
    )
    start_date = models.DateField(_("begin"), null=True, blank=True)
    end_date = models.DateField(_("einde"), null=True, blank=True)
    weight = models.DecimalField(
        _("gewicht"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    order = models.PositiveIntegerField(_("volgorde"), default=0, validators=ORDER_LIMIT)
    # The latest status update, repeated for lists (set only by services.add_status_update).
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    last_update_on = models.DateField(_("laatste voortgangsbericht"), null=True, blank=True)

    access = PROGRAMME_DATA

    class Meta:
        ordering = ["programme", "theme__order", "order", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "external_id"], name="action_unique_external_id"
            )
        ]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def clean(self) -> None:
        unknown = [r for r in self.roles or [] if r not in ProvinceRole.values]
        if unknown:
            raise ValidationError({"roles": _("Onbekende rol: %s") % ", ".join(unknown)})
        if self.theme_id and self.theme.programme_id != self.programme_id:
            raise ValidationError({"theme": _("Dit thema hoort bij een ander programma.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Het einde ligt voor het begin.")})

    @property
    def role_labels(self) -> list[str]:
        return [str(ProvinceRole(r).label) for r in self.roles or [] if r in ProvinceRole.values]


ACTION_FIELDS = (
    "theme",
    "code",
    "title",
    "description",
    "roles",
    "lead_organisation",
    "partners",
    "responsible",
    "expected_result",
    "programme_line",
    "period_text",
    "start_date",
    "end_date",
    "weight",
)
"""What describes an action, in the order forms, files and the API show it."""


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("titel"), max_length=300)
    period_text = models.CharField(_("gepland (zoals geschreven)"), max_length=100, blank=True)
    planned_start = models.DateField(_("gepland vanaf"), null=True, blank=True)
    planned_end = models.DateField(_("gepland uiterlijk"), null=True, blank=True)
    achieved_on = models.DateField(_("bereikt op"), null=True, blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0, validators=ORDER_LIMIT)

    access = PROGRAMME_DATA

    class Meta:
        ordering = ["action", "order", "planned_end", "id"]
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("Het einde ligt voor het begin.")})


class StatusUpdate(AppendOnlyModel):
    """One entry in an action's history; a correction is a new entry, never an edit."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(_("datum"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    author_name = models.CharField(_("auteur (naam)"), max_length=150)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(
        _("voortgang (%)"), validators=[MaxValueValidator(100)]
    )
    narrative = models.TextField(_("stand van zaken"), blank=True)
    fictitious = models.BooleanField(_("fictief"), default=False)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    access = PROGRAMME_DATA

    class Meta:
        ordering = ["action", "-date", "-id"]
        get_latest_by = ["date", "id"]
        verbose_name = _("voortgangsbericht")
        verbose_name_plural = _("voortgangsberichten")

    def __str__(self) -> str:
        return f"{self.date} {self.get_status_display()} {self.progress}%"


class BudgetLine(models.Model):
    """Money for the programme as a whole, one theme, or one action."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    theme = models.ForeignKey(
        Theme, verbose_name=_("thema"), null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("actie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    description = models.CharField(_("omschrijving"), max_length=300)
    funding_source = models.CharField(
        _("financieringsbron"),
        max_length=200,
        help_text=_("Bijvoorbeeld Beleidsbrief Integratie, amendement 52, ESF, rijksmiddelen."),
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    budgeted = models.DecimalField(_("begroot (EUR)"), max_digits=12, decimal_places=2, default=0)
    committed = models.DecimalField(
        _("verplicht (EUR)"), max_digits=12, decimal_places=2, default=0
    )
    spent = models.DecimalField(_("besteed (EUR)"), max_digits=12, decimal_places=2, default=0)
    fictitious = models.BooleanField(_("fictief"), default=False)

    access = PROGRAMME_DATA

    class Meta:
        ordering = ["programme", "theme__order", "action__order", "id"]
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begrotingsregels")

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        errors = {}
        if self.action_id and self.theme_id:
            errors["theme"] = _("Kies een thema of een actie, niet beide.")
        for owner in (self.theme, self.action):
            if owner is not None and owner.programme_id != self.programme_id:
                errors["programme"] = _("Thema of actie hoort bij een ander programma.")
        for name in ("budgeted", "committed", "spent"):
            if (getattr(self, name) or 0) < 0:
                errors[name] = _("Een bedrag kan niet negatief zijn.")
        if errors:
            raise ValidationError(errors)

    @property
    def money(self) -> Money:
        return Money(self.budgeted, self.committed, self.spent)

    @property
    def over_budget(self) -> bool:
        return self.money.over_budget


class Outcome(models.Model):
    """An overall result the programme aims for (e.g. the six results of the 2025-2027 plan)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(_("nummer"), max_length=20, blank=True)
    title = models.CharField(_("resultaat"), max_length=300)
    description = models.TextField(_("toelichting"), blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0, validators=ORDER_LIMIT)

    access = PROGRAMME_DATA

    class Meta:
        ordering = ["programme", "order", "id"]
        verbose_name = _("programmaresultaat")
        verbose_name_plural = _("programmaresultaten")

    def __str__(self) -> str:
        return self.title


class PublishedReport(AppendOnlyModel):
    """A report as it was sent: its files and the data it showed, frozen.

    The data (``snapshot``) lets the next report list what changed since this one.
    Append-only: a wrong report is followed by a new one.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="published")
    kind = models.CharField(_("soort rapport"), max_length=50)
    title = models.CharField(_("titel"), max_length=300)
    options = models.JSONField(_("keuzes"), default=dict)
    published_at = models.DateTimeField(_("gepubliceerd op"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    published_by_name = models.CharField(_("gepubliceerd door"), max_length=150)
    snapshot = models.JSONField(_("gegevens"))
    pdf = models.BinaryField(_("PDF"))
    docx = models.BinaryField(_("Word"))
    xlsx = models.BinaryField(_("Excel"))
    markdown = models.TextField(_("Markdown"))

    access = PROGRAMME_DATA

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("gepubliceerd rapport")
        verbose_name_plural = _("gepubliceerde rapporten")

    def __str__(self) -> str:
        return self.title
