"""Organisations in the network, the people in them, and the municipal contact inventory."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waardig.core.access import NETWORK_ROLES, AccessPolicy, Role

NETWORK_DATA = AccessPolicy(
    view=NETWORK_ROLES,
    change=frozenset({Role.PROVINCE_ADMIN, Role.PROGRAMME_COORDINATOR}),
)
"""Shared with everyone in the network; maintained by the province."""


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Provincie")
        MUNICIPALITY = "municipality", _("Gemeente")
        REGION = "region", _("Regionaal samenwerkingsverband")
        EMPLOYERS = "employers", _("Werkgeversorganisatie")
        UNION = "union", _("Vakbond")
        ADVOCACY = "advocacy", _("Belangenbehartiger arbeidsmigranten")
        INSPECTORATE = "inspectorate", pgettext_lazy("organisation kind", "Inspectie")
        POLICE = "police", _("Politie")
        FIRE = "fire", _("Brandweer/veiligheidsregio")
        RIEC = "riec", _("RIEC")
        HOUSING_PROVIDER = "housing_provider", _("Huisvester/woningcorporatie")
        TEMP_AGENCY = "temp_agency", _("Uitzendbureau")
        EMPLOYER = "employer", _("Werkgever")
        KNOWLEDGE = "knowledge", _("Kennisinstelling/onderzoek")
        STATE = "state", _("Rijksoverheid")
        OTHER = "other", _("Overig")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Voor gemeenten en lokaal gevestigde organisaties."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)

    access = NETWORK_DATA

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    # Indexed on its own too: databases do not use the partial unique index for lookups.
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    organisations = models.ManyToManyField(
        Organisation, through="Membership", related_name="people", blank=True
    )

    access = NETWORK_DATA

    class Meta:
        ordering = ["name"]
        constraints = [
            # services store addresses in lower case, so a plain index serves every lookup
            models.UniqueConstraint(
                fields=["email"], name="person_unique_email", condition=~models.Q(email="")
            )
        ]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    function = models.CharField(_("functie"), max_length=200, blank=True)
    start = models.DateField(_("vanaf"), null=True, blank=True)
    end = models.DateField(_("tot en met"), null=True, blank=True)

    access = NETWORK_DATA

    class Meta:
        ordering = ["organisation", "person"]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation}"


class ContactPerson(models.Model):
    """Who to contact in a municipality for a topic.

    Shared with the whole network; each municipality maintains its own entries.
    """

    class Topic(models.TextChoices):
        REGISTRATION = "registration", _("Registratie (BRP/RNI)")
        HOUSING = "housing", _("Huisvesting")
        ENFORCEMENT = "enforcement", _("Toezicht en handhaving")
        ECONOMY = "economy", _("Economie en arbeidsmarkt")
        SOCIAL = "social", _("Sociaal domein")
        COORDINATION = "coordination", _("Coördinatie arbeidsmigratie")

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="contact_persons",
    )
    topic = models.CharField(_("onderwerp"), max_length=20, choices=Topic.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("persoon"), on_delete=models.PROTECT, related_name="contact_roles"
    )
    function = models.CharField(_("functie"), max_length=200, blank=True)
    notes = models.CharField(_("toelichting"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    access = AccessPolicy(
        view=NETWORK_ROLES,
        change=frozenset({Role.PROVINCE_ADMIN}),
        change_scoped=frozenset({Role.MUNICIPALITY_OFFICER}),
        municipality_path="municipality",
    )

    class Meta:
        ordering = ["municipality__name", "topic", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "topic", "person"], name="contact_unique_per_topic"
            )
        ]
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")

    def __str__(self) -> str:
        return f"{self.person} ({self.municipality}, {self.get_topic_display()})"
