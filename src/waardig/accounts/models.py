"""Users with one role and, for scoped roles, the municipalities they act for."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from waardig.core.access import ROLE_LABELS, AccessPolicy, Role

ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items() if role != Role.PUBLIC]


class User(AbstractUser):
    role = models.CharField(_("rol"), max_length=30, choices=ROLE_CHOICES, default=Role.MEMBER)
    municipalities = models.ManyToManyField(
        "areas.Municipality",
        verbose_name=_("gemeenten"),
        blank=True,
        related_name="users",
        help_text=_(
            "Voor medewerkers van gemeenten en inspecteurs: de gemeenten waarvoor zij werken."
        ),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )

    access = AccessPolicy(change=frozenset({Role.PROVINCE_ADMIN}))

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    @cached_property
    def municipality_ids(self) -> frozenset[int]:
        return frozenset(self.municipalities.values_list("id", flat=True))

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def clean(self) -> None:
        super().clean()
        if self.role not in {r.value for r in Role} - {Role.PUBLIC}:
            raise ValidationError({"role": _("Onbekende rol.")})
