"""Housing of labour migrants: locations and their occupancy, guest registers, planned
projects, Woondeal agreements, housing need, the parameters of the gap analysis and the
municipal policy inventory.

Who sees what (core.access): the province's roles see every location with its counts, a
municipality's officers see and keep their own municipalities' locations. Guest registers
hold person-level data (pseudonymised): only the municipality's own officers and inspectors
see them; the province sees occupancy per location, never a stay.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waardig.core.access import NETWORK_ROLES, AccessPolicy, Role
from waardig.core.models import AppendOnlyModel
from waardig.core.numbers import digits
from waardig.housing import rules
from waardig.monitor.models import ObservationStatus

UP_TO_A_CITY = MaxValueValidator(1_000_000)
UP_TO_A_COUNTRY = MaxValueValidator(100_000_000)
"""Upper bounds that no real figure reaches: they also make the limits the same on every
database (a bare PositiveIntegerField takes its maximum from the backend)."""

PROVINCE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.ANALYST, Role.PROGRAMME_COORDINATOR})

LOCATION_DATA = AccessPolicy(
    view=PROVINCE_ROLES,
    change=frozenset({Role.PROVINCE_ADMIN}),
    view_scoped=frozenset({Role.INSPECTOR}),
    change_scoped=frozenset({Role.MUNICIPALITY_OFFICER}),
    municipality_path="municipality",
)
"""The register of locations: the province sees all, a municipality keeps its own."""

GUEST_DATA = AccessPolicy(
    view_scoped=frozenset({Role.INSPECTOR}),
    change_scoped=frozenset({Role.MUNICIPALITY_OFFICER}),
    municipality_path="location__municipality",
)
"""Person-level data: only the location's municipality (officers keep it, inspectors read
it). No province role, not even the admin, sees a stay; the command line imports them."""

PLANNING_DATA = AccessPolicy(
    view=NETWORK_ROLES,
    change=frozenset({Role.PROVINCE_ADMIN, Role.ANALYST}),
    change_scoped=frozenset({Role.MUNICIPALITY_OFFICER}),
    municipality_path="municipality",
)
"""Projects, Woondeal agreements and the policy inventory: shared with the network, kept by
the province and by each municipality for itself."""

NEED_DATA = AccessPolicy(view=NETWORK_ROLES, change=frozenset({Role.PROVINCE_ADMIN, Role.ANALYST}))
"""Housing need comes from research commissioned by the province (or is derived from the
monitor): the network reads it, the province's admin and analysts keep it."""


class StayClass(models.TextChoices):
    SHORT = rules.SHORT, _("kort verblijf")
    MID = rules.MID, _("middellang verblijf")
    LONG = rules.LONG, _("lang verblijf")


class HousingForm(models.TextChoices):
    """The housing forms of the SNF standard, plus housing on the employer's site."""

    DWELLING = "dwelling", _("reguliere woning")
    HOTEL = "hotel", _("hotel of pension")
    COMPLEX = "complex", _("units in een gebouwencomplex")
    FLEX = "flex", _("flexwoningen (woonunits)")
    RECREATION = "recreation", _("recreatiepark")
    EMPLOYER_SITE = "employer_site", _("op het terrein van de werkgever")


class Zone(models.TextChoices):
    INSIDE = "inside", _("binnen bestaand bebouwd gebied")
    EDGE = "edge", _("aan de rand van bebouwd gebied")
    OUTSIDE = "outside", _("buiten bebouwd gebied")


class Certification(models.TextChoices):
    SNF = "snf", _("SNF")
    AKF = "akf", _("AKF")
    NONE = "none", _("geen")


class LocationStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    IN_USE = "in_use", _("in gebruik")
    CLOSED = "closed", _("gesloten")


LICENCE_HELP = _("Nummer; leeg als er geen is.")


class Location(models.Model):
    """A place where labour migrants live: one address (or a complex at one address)."""

    name = models.CharField(_("naam"), max_length=200)
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="housing_locations",
    )
    street = models.CharField(_("straat"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, help_text=_("Vier cijfers en twee letters, zoals 5911 AB.")
    )
    house_number = models.PositiveIntegerField(
        _("huisnummer"), validators=[MaxValueValidator(99999)]
    )
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    place = models.CharField(_("plaats"), max_length=100, blank=True)
    bag_id = models.CharField(
        _("BAG-id"),
        max_length=16,
        blank=True,
        help_text=_("Het 16-cijferige id van het verblijfsobject in de BAG (optioneel)."),
    )
    latitude = models.DecimalField(
        _("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )  # fmt: skip
    housing_form = models.CharField(_("woonvorm"), max_length=20, choices=HousingForm.choices)
    stay_class = models.CharField(
        _("verblijfsduur"),
        max_length=5,
        choices=StayClass.choices,
        help_text=_("Voor wie de locatie bedoeld is; de grenzen staan bij de parameters."),
    )
    zone = models.CharField(_("ligging"), max_length=10, choices=Zone.choices, blank=True)
    temporary_building_until = models.DateField(_("tijdelijk gebouw tot"), null=True, blank=True)
    temporary_permit_until = models.DateField(
        _("tijdelijke vergunning voor bewoning tot"), null=True, blank=True
    )
    capacity = models.PositiveIntegerField(_("capaciteit (personen)"), validators=[UP_TO_A_CITY])
    bedrooms = models.PositiveIntegerField(
        _("slaapkamers"), null=True, blank=True, validators=[UP_TO_A_CITY]
    )
    living_area = models.DecimalField(
        _("woonoppervlak (m² GBO)"), max_digits=9, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    toilets = models.PositiveIntegerField(
        _("toiletten"), null=True, blank=True, validators=[UP_TO_A_CITY]
    )
    showers = models.PositiveIntegerField(
        _("douches"), null=True, blank=True, validators=[UP_TO_A_CITY]
    )
    bedroom_area = models.DecimalField(
        _("slaapkameroppervlak (m², alle slaapkamers samen)"), max_digits=9, decimal_places=1,
        null=True, blank=True, validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    separate_contract = models.BooleanField(
        _("huurcontract los van arbeidscontract"), null=True, blank=True,
        help_text=_("Wet goed verhuurderschap. Leeg: onbekend."),
    )  # fmt: skip
    transition_days = models.PositiveSmallIntegerField(
        _("overgangstermijn na einde dienstverband (dagen)"), null=True, blank=True,
        validators=[MaxValueValidator(3650)],
        help_text=_("Hoe lang de huurder na het einde van het werk mag blijven. Leeg: onbekend."),
    )  # fmt: skip
    operator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("huisvester/verhuurder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_locations",
    )
    employers = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("werkgevers en uitzendbureaus"),
        blank=True,
        related_name="housing_locations",
    )
    certification = models.CharField(
        _("keurmerk"), max_length=4, choices=Certification.choices, default=Certification.NONE
    )
    certificate_number = models.CharField(_("certificaatnummer"), max_length=50, blank=True)
    certificate_valid_until = models.DateField(_("certificaat geldig tot"), null=True, blank=True)
    last_audit = models.DateField(_("laatste audit"), null=True, blank=True)
    landlord_licence = models.CharField(
        _("verhuurvergunning"), max_length=50, blank=True, help_text=LICENCE_HELP
    )
    landlord_licence_until = models.DateField(_("verhuurvergunning tot"), null=True, blank=True)
    operating_licence = models.CharField(
        _("exploitatievergunning"), max_length=50, blank=True, help_text=LICENCE_HELP
    )
    operating_licence_until = models.DateField(
        _("exploitatievergunning tot"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=LocationStatus.choices,
        default=LocationStatus.PLANNED,
        editable=False,
        help_text=_("Wijzigt alleen met een statuswijziging (die de geschiedenis bewaart)."),
    )
    notes = models.TextField(_("toelichting"), blank=True)
    fictitious = models.BooleanField(
        _("fictief"), default=False, help_text=_("Verzonnen voorbeeldgegevens (demo).")
    )
    import_job = models.ForeignKey(
        "core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    access = LOCATION_DATA

    class Meta:
        ordering = ["municipality__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "house_number", "house_number_addition", "name"],
                name="location_unique_address_name",
            ),
            models.CheckConstraint(
                condition=Q(certification="none") | ~Q(certificate_number=""),
                name="location_certificate_has_number",
            ),
        ]
        verbose_name = _("huisvestingslocatie")
        verbose_name_plural = _("huisvestingslocaties")

    def __str__(self) -> str:
        return f"{self.name} ({self.address})"

    @property
    def address(self) -> str:
        number = f"{self.house_number}{self.house_number_addition}"
        street = f"{self.street} {number}" if self.street else number
        return ", ".join(part for part in (street, self.postcode, self.place) if part)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.postcode and not rules.valid_postcode(self.postcode):
            errors["postcode"] = _("Een postcode is vier cijfers en twee letters, zoals 5911 AB.")
        if self.bag_id and not (digits(self.bag_id) and len(self.bag_id) == 16):
            errors["bag_id"] = _("Een BAG-id bestaat uit 16 cijfers.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Geef beide coördinaten of geen van beide.")
        if self.certification != Certification.NONE and not self.certificate_number:
            errors["certificate_number"] = _("Een keurmerk heeft een certificaatnummer.")
        if self.certification == Certification.NONE and (
            self.certificate_number or self.certificate_valid_until
        ):
            errors["certification"] = _("Kies het keurmerk bij dit certificaat.")
        if errors:
            raise ValidationError(errors)
        self.postcode = rules.normal_postcode(self.postcode)

    def certified_on(self, day) -> bool:
        return rules.certified_on(self.certification, self.certificate_valid_until, day)


class LocationStatusChange(AppendOnlyModel):
    """The history of a location's status: appended, never edited."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=8, choices=LocationStatus.choices)
    on = models.DateField(_("per"))
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    actor = models.CharField(_("door"), max_length=150)
    at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    access = AccessPolicy(
        view=LOCATION_DATA.view,
        view_scoped=LOCATION_DATA.view_scoped | LOCATION_DATA.change_scoped,
        municipality_path="location__municipality",
    )

    class Meta:
        ordering = ["location", "on", "id"]
        verbose_name = _("statuswijziging locatie")
        verbose_name_plural = _("statuswijzigingen locaties")


class HeadCount(models.Model):
    """How many people lived at a location on a day (a count, not a list of people)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="head_counts")
    counted_on = models.DateField(_("peildatum"))
    persons = models.PositiveIntegerField(_("aantal bewoners"), validators=[UP_TO_A_CITY])
    source = models.CharField(_("bron"), max_length=200, blank=True)
    actor = models.CharField(_("door"), max_length=150, blank=True)

    access = AccessPolicy(
        view=LOCATION_DATA.view,
        change=LOCATION_DATA.change,
        view_scoped=LOCATION_DATA.view_scoped,
        change_scoped=LOCATION_DATA.change_scoped,
        municipality_path="location__municipality",
    )

    class Meta:
        ordering = ["location", "-counted_on"]
        constraints = [
            models.UniqueConstraint(fields=["location", "counted_on"], name="head_count_once_a_day")
        ]
        verbose_name = _("telling")
        verbose_name_plural = _("tellingen")

    def __str__(self) -> str:
        return f"{self.location.name} {self.counted_on}: {self.persons}"


class GuestStay(models.Model):
    """One stay from an operator's guest register: a pseudonym and two dates, nothing else.

    The person's identifier is replaced at import by a keyed hash (housing.pseudonyms); names,
    BSN and the identifier itself are never stored.
    """

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="guest_stays")
    pseudonym = models.CharField(_("pseudoniem"), max_length=64, db_index=True)
    arrival = models.DateField(_("aankomst"))
    departure = models.DateField(_("vertrek"), null=True, blank=True)
    import_job = models.ForeignKey(
        "core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    access = GUEST_DATA

    class Meta:
        ordering = ["location", "arrival", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "pseudonym", "arrival"], name="guest_stay_unique"
            ),
            models.CheckConstraint(
                condition=Q(departure__isnull=True) | Q(departure__gte=models.F("arrival")),
                name="guest_stay_departs_after_arrival",
            ),
        ]
        verbose_name = _("verblijf uit nachtregister")
        verbose_name_plural = _("verblijven uit nachtregisters")

    def __str__(self) -> str:
        return f"{self.pseudonym[:12]} {self.arrival}-{self.departure or ''}"


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("idee")
    PREPARATION = "preparation", _("in voorbereiding")
    PERMIT = "permit", _("vergunning verleend")
    CONSTRUCTION = "construction", _("in aanbouw")
    REALISED = "realised", _("gerealiseerd")
    CANCELLED = "cancelled", _("vervallen")


class Project(models.Model):
    """Planned housing capacity: a project that is not (yet) a location in use."""

    name = models.CharField(_("naam"), max_length=200)
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="housing_projects",
    )
    capacity = models.PositiveIntegerField(_("capaciteit (personen)"), validators=[UP_TO_A_CITY])
    stay_class = models.CharField(_("verblijfsduur"), max_length=5, choices=StayClass.choices)
    housing_form = models.CharField(_("woonvorm"), max_length=20, choices=HousingForm.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.IDEA
    )
    expected_year = models.PositiveSmallIntegerField(
        _("verwacht gereed (jaar)"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    temporary_until = models.DateField(_("tijdelijk tot"), null=True, blank=True)
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie na oplevering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    notes = models.TextField(_("toelichting"), blank=True)
    fictitious = models.BooleanField(_("fictief"), default=False)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    import_job = models.ForeignKey(
        "core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    access = PLANNING_DATA

    class Meta:
        ordering = ["municipality__name", "expected_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="project_unique_name")
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projecten")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A project's location lies in its municipality (every caller: form, API, import)."""
        from django.core.exceptions import ValidationError

        location = self.location if self.location_id else None
        if location and self.municipality_id and location.municipality_id != self.municipality_id:
            raise ValidationError({"location": _("Deze locatie ligt in een andere gemeente.")})


class ProjectStatusChange(AppendOnlyModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices)
    actor = models.CharField(_("door"), max_length=150)
    at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    access = AccessPolicy(view=NETWORK_ROLES)

    class Meta:
        ordering = ["project", "at", "id"]


class WoondealAgreement(models.Model):
    """What a municipality agreed in the Woondeal to realise for labour migrants by a year."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="woondeal_agreements",
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    agreed_capacity = models.PositiveIntegerField(
        _("afgesproken capaciteit (personen)"), validators=[UP_TO_A_CITY]
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)
    notes = models.CharField(_("toelichting"), max_length=500, blank=True)
    fictitious = models.BooleanField(_("fictief"), default=False)

    access = PLANNING_DATA

    class Meta:
        ordering = ["municipality__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="woondeal_once_a_year")
        ]
        verbose_name = _("Woondeal-afspraak")
        verbose_name_plural = _("Woondeal-afspraken")

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.agreed_capacity}"


class NeedMethod(models.TextChoices):
    RESEARCH = "research", _("uit onderzoek")
    DERIVED = "derived", _("afgeleid uit de monitor")


class HousingNeed(models.Model):
    """How many labour migrants of a stay class need housing in a municipality in a year,
    with its provenance, like a monitor figure."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="housing_need",
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    stay_class = models.CharField(_("verblijfsduur"), max_length=5, choices=StayClass.choices)
    persons = models.PositiveIntegerField(_("behoefte (personen)"), validators=[UP_TO_A_COUNTRY])
    method = models.CharField(_("methode"), max_length=8, choices=NeedMethod.choices)
    parameters = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_("Bij afleiding: de gebruikte parameters."),
    )
    status = models.CharField(
        _("status"), max_length=11, choices=ObservationStatus.choices,
        default=ObservationStatus.DEFINITIVE,
    )  # fmt: skip
    source = models.CharField(_("bron"), max_length=300, blank=True)
    publication = models.CharField(_("publicatie"), max_length=300, blank=True)
    retrieved_on = models.DateField(_("opgehaald op"), null=True, blank=True)
    import_job = models.ForeignKey(
        "core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    access = NEED_DATA

    class Meta:
        ordering = ["municipality__name", "year", "stay_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "stay_class"], name="need_once_per_class"
            )
        ]
        verbose_name = _("woonbehoefte")
        verbose_name_plural = _("woonbehoefte")

    def __str__(self) -> str:
        return f"{self.municipality} {self.year} {self.stay_class}: {self.persons}"


class Parameters(AppendOnlyModel):
    """The configurable parameters of housing: stay-class limits and the weights of planned
    projects in the gap. Each change is a new row (who, why); the newest applies."""

    short_stay_max_months = models.PositiveSmallIntegerField(
        _("kort verblijf: hoogstens (maanden)"),
        default=rules.DEFAULT_PARAMETERS.short_max_months,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    mid_stay_max_months = models.PositiveSmallIntegerField(
        _("middellang verblijf: hoogstens (maanden)"),
        default=rules.DEFAULT_PARAMETERS.mid_max_months,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    project_weights = models.JSONField(
        _("weging van projecten per status"),
        default=rules.default_weights,
        help_text=_("Welk deel van de capaciteit van een project meetelt, per status (0 tot 1)."),
    )
    reason = models.CharField(_("reden"), max_length=300)
    actor = models.CharField(_("door"), max_length=150)
    at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    access = AccessPolicy(view=NETWORK_ROLES, change=frozenset({Role.PROVINCE_ADMIN}))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("parameters huisvesting")
        verbose_name_plural = _("parameters huisvesting")

    def as_rules(self) -> rules.Parameters:
        return rules.Parameters(
            short_max_months=self.short_stay_max_months,
            mid_max_months=self.mid_stay_max_months,
            weights={k: Decimal(str(v)) for k, v in self.project_weights.items()},
        )


class Instrument(models.TextChoices):
    SHORT_STAY_POLICY = "short_stay_policy", _("beleid short-stay huisvesting")
    LONG_STAY_POLICY = "long_stay_policy", _("beleid mid- en long-stay huisvesting")
    REGISTRATION_OUTREACH = (
        "registration_outreach",
        _("inschrijving op de werkplek of buiten kantoortijd"),
    )
    LANDLORD_LICENCE = "landlord_licence", _("verhuurvergunning")
    GUEST_REGISTER = "guest_register", _("verplicht nachtregister")
    HOUSING_PLAN = "housing_plan", _("huisvestingsplan bij nieuwe bedrijvigheid")
    QUALITY_RULES = "quality_rules", _("kwaliteitseisen in lokale regels")


class PolicyStatus(models.TextChoices):
    # "vastgesteld" is also what finalised minutes are: the context keeps the two apart.
    ADOPTED = "adopted", pgettext_lazy("policy status", "vastgesteld")
    PREPARATION = "preparation", _("in voorbereiding")
    NONE = "none", _("geen")
    UNKNOWN = "unknown", _("onbekend")


class PolicyEntry(models.Model):
    """The state of one instrument in one municipality (a cell of the policy matrix)."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="policy_entries",
    )
    instrument = models.CharField(_("instrument"), max_length=30, choices=Instrument.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.UNKNOWN
    )
    decided_on = models.DateField(_("datum"), null=True, blank=True)
    document_url = models.URLField(_("document"), blank=True)
    contact = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("contactpersoon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.CharField(_("toelichting"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    access = PLANNING_DATA

    class Meta:
        ordering = ["municipality__name", "instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "instrument"], name="policy_once_per_instrument"
            )
        ]
        verbose_name = _("beleidsinstrument")
        verbose_name_plural = _("beleidsinventarisatie")

    def __str__(self) -> str:
        return f"{self.municipality} {self.get_instrument_display()}: {self.status}"


class PolicyChange(AppendOnlyModel):
    """Who changed a cell of the policy matrix, when, from what to what."""

    entry = models.ForeignKey(PolicyEntry, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(_("status"), max_length=12, choices=PolicyStatus.choices)
    previous_status = models.CharField(
        _("vorige status"), max_length=12, choices=PolicyStatus.choices, blank=True
    )
    decided_on = models.DateField(_("datum"), null=True, blank=True)
    document_url = models.URLField(_("document"), blank=True)
    contact = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("contactpersoon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.CharField(_("toelichting"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(_("door"), max_length=150)
    at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    access = AccessPolicy(view=NETWORK_ROLES)

    class Meta:
        ordering = ["entry", "at", "id"]
        verbose_name = _("wijziging beleidsinventarisatie")
        verbose_name_plural = _("wijzigingen beleidsinventarisatie")
