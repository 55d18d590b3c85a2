"""Models of the shared kernel: the audit log and the record of every import."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waardig.core.access import AccessPolicy, Role


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} is append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} is append-only")


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed: history and audit."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} is append-only")


class AuditEntry(AppendOnlyModel):
    """Who viewed, exported or changed what, when and why."""

    class Action(models.TextChoices):
        VIEW = "view", _("bekeken")
        EXPORT = "export", _("geëxporteerd")
        CHANGE = "change", _("gewijzigd")
        IMPORT = "import", _("geïmporteerd")

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("handeling"), max_length=10, choices=Action.choices)
    subject = models.CharField(_("onderwerp"), max_length=100)
    detail = models.TextField(_("details"), blank=True)
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    municipality_codes = models.CharField(_("gemeenten"), max_length=500, blank=True)

    access = AccessPolicy(view=frozenset({Role.PROVINCE_ADMIN}))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.subject}"


class ImportJob(models.Model):
    """One upload or command-line import: its file, its preview and its outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        VALIDATING = "validating", _("bezig met controleren")
        PREVIEW = "preview", _("klaar voor controle")
        INVALID = "invalid", _("fouten gevonden")
        WRITING = "writing", _("bezig met opslaan")
        DONE = "done", _("opgeslagen")
        FAILED = "failed", _("mislukt")

    kind = models.CharField(_("soort"), max_length=50)
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    file = models.FileField(upload_to="imports/", blank=True)
    file_hash = models.CharField(_("SHA-256"), max_length=64)
    options = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField(_("door"), max_length=150)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    dry_run = models.BooleanField(default=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(
        default=0,
        help_text=_("Regels die bewust niet zijn ingelezen, zoals gebieden buiten de provincie."),
    )
    errors = models.JSONField(default=list, blank=True)
    items = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Everyone else sees only the jobs they started themselves (see core.imports.views).
    access = AccessPolicy(view=frozenset({Role.PROVINCE_ADMIN}))

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.get_status_display()})"

    @property
    def options_query(self) -> str:
        """The job's options as a query string ("?location=7"), to upload again with them."""
        return f"?{urlencode(self.options)}" if self.options else ""

    @property
    def rows_planned(self) -> int:
        """Every row the preview counted (it lists only the first of a large file)."""
        return self.created + self.updated + self.unchanged

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def is_busy(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.VALIDATING, self.Status.WRITING}
