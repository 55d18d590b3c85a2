"""Supervision of housing: versioned norm sets, checks of locations with their findings,
registration signals, scans, inspections and enforcement.

Who sees what (core.access):
- Norm sets are public knowledge inside the network; only the province admin edits them,
  and every change is kept with who and why (NormChange).
- Checks and findings describe a location (no person): like the location register, the
  province sees all, a municipality its own.
- Signals, registration extracts, inspections and enforcement steps may point at persons or
  at the addresses where vulnerable people live: only the municipality's own officers and
  inspectors see them (and every view of a signal is audited). The province's roles see
  counts per municipality (``compliance.counts``), never a signal.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from waardig.core.access import NETWORK_ROLES, AccessPolicy, Role
from waardig.core.models import AppendOnlyModel
from waardig.housing.models import PROVINCE_ROLES, UP_TO_A_CITY

NORM_DATA = AccessPolicy(view=NETWORK_ROLES, change=frozenset({Role.PROVINCE_ADMIN}))
"""Norm sets: the network reads them, the province admin keeps them."""

CHECK_DATA = AccessPolicy(
    view=PROVINCE_ROLES,
    view_scoped=frozenset({Role.INSPECTOR}),
    change_scoped=frozenset({Role.MUNICIPALITY_OFFICER, Role.INSPECTOR}),
    municipality_path="location__municipality",
)
"""Checks of a location against the norms: location data, seen like the register."""

LOCAL_ONLY = frozenset({Role.MUNICIPALITY_OFFICER, Role.INSPECTOR})

SIGNAL_DATA = AccessPolicy(
    view_scoped=LOCAL_ONLY, change_scoped=LOCAL_ONLY, municipality_path="municipality"
)
"""Signals and registration extracts: only the municipality's officers and inspectors."""

INSPECTION_DATA = AccessPolicy(
    view_scoped=LOCAL_ONLY, change_scoped=LOCAL_ONLY, municipality_path="location__municipality"
)
"""Inspections and enforcement: the municipality's own work, with its notes."""

SCAN_DATA = AccessPolicy(view=frozenset({Role.PROVINCE_ADMIN}))
"""Scans over the whole province: started and followed by the province admin (and the
command line); their results land in each municipality's queue."""

BAG_DATA = AccessPolicy(view=NETWORK_ROLES)
"""Addresses and floor areas from the BAG: public registers."""


class Severity(models.TextChoices):
    HIGH = "high", _("hoog")
    MEDIUM = "medium", _("middel")
    LOW = "low", _("laag")


SEVERITY_WEIGHT = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}


class NormKind(models.TextChoices):
    """What a norm measures; how each is measured lives once in ``compliance.norms``."""

    PERSONS_PER_BEDROOM = "persons_per_bedroom", _("personen per slaapkamer")
    LIVING_AREA = "living_area_per_person", _("woonoppervlak per persoon")
    BEDROOM_AREA = "bedroom_area_per_person", _("slaapkameroppervlak per persoon")
    PERSONS_PER_TOILET = "persons_per_toilet", _("personen per toilet")
    PERSONS_PER_SHOWER = "persons_per_shower", _("personen per douche")
    CONSECUTIVE_STAY = "consecutive_stay", _("aaneengesloten verblijf op short-stay-locatie")
    TRANSITION_PERIOD = "transition_period", _("overgangstermijn huurcontract")
    SEPARATE_CONTRACT = "separate_contract", _("huurcontract los van arbeidscontract")
    VALID_CERTIFICATE = "valid_certificate", _("geldig keurmerk")


class NormSet(models.Model):
    """One published set of norms (SNF, AKF, the province's lower bound), valid in a period
    and for some housing forms and certifications (empty lists: all of them)."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    source = models.CharField(_("bron"), max_length=300)
    source_url = models.URLField(_("bron (adres)"), blank=True)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    housing_forms = models.JSONField(
        _("woonvormen"), default=list, blank=True, help_text=_("Leeg: alle woonvormen.")
    )
    certifications = models.JSONField(
        _("keurmerken"),
        default=list,
        blank=True,
        help_text=_("Leeg: ongeacht keurmerk. Anders alleen locaties met dit keurmerk."),
    )
    description = models.TextField(_("toelichting"), blank=True)

    access = NORM_DATA

    class Meta:
        ordering = ["valid_from", "name"]
        verbose_name = _("normenset")
        verbose_name_plural = _("normensets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="normset_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Norm(models.Model):
    """One norm of a set with its parameters: a limit (a maximum or a minimum, see
    ``compliance.norms``), a window for stays, and a severity."""

    norm_set = models.ForeignKey(
        NormSet, verbose_name=_("normenset"), on_delete=models.CASCADE, related_name="norms"
    )
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("soort"), max_length=30, choices=NormKind.choices)
    limit = models.DecimalField(
        _("grens"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100_000))],
    )
    window_months = models.PositiveSmallIntegerField(
        _("periode (maanden)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Alleen voor verblijfsduur: de periode waarbinnen de grens geldt."),
    )
    severity = models.CharField(_("ernst"), max_length=6, choices=Severity.choices)
    housing_forms = models.JSONField(
        _("woonvormen"),
        default=list,
        blank=True,
        help_text=_("Leeg: de woonvormen van de set."),
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    access = NORM_DATA

    class Meta:
        ordering = ["norm_set", "kind", "code"]
        verbose_name = _("norm")
        verbose_name_plural = _("normen")
        constraints = [
            models.UniqueConstraint(fields=["norm_set", "code"], name="norm_code_once_per_set")
        ]

    def __str__(self) -> str:
        return f"{self.norm_set}: {self.get_kind_display()}"


class NormChange(AppendOnlyModel):
    """One edit of a norm's parameters: what it was, what it became, who and why."""

    norm = models.ForeignKey(Norm, on_delete=models.CASCADE, related_name="changes")
    changes = models.JSONField(_("wijzigingen"), help_text='{"limit": ["1.00", "2.00"]}')
    reason = models.CharField(_("reden"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField(_("door"), max_length=150)
    at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    access = NORM_DATA

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("normwijziging")
        verbose_name_plural = _("normwijzigingen")


class SignalParameters(AppendOnlyModel):
    """The thresholds of the registration signals, versioned like the norms: the latest
    row holds; each keeps who set it and why."""

    floor_area_per_person = models.DecimalField(
        _("minimaal vloeroppervlak per ingeschreven persoon (m²)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(12),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(100))],
        help_text=_("Signaal a. De LAA publiceert haar grens niet; dit is een aanname."),
    )
    rni_max_months = models.PositiveSmallIntegerField(
        _("RNI: maximaal aantal maanden"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    rni_window_months = models.PositiveSmallIntegerField(
        _("RNI: binnen hoeveel maanden"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    registration_rate_min = models.DecimalField(
        _("minimale registratiegraad per locatie"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Signaal d: aandeel van de gasten dat op het adres staat ingeschreven."),
    )
    min_guests = models.PositiveSmallIntegerField(
        _("signaal d: minimaal aantal gasten"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    unrelated_households = models.PositiveSmallIntegerField(
        _("signaal g: minimaal aantal huishoudens op één adres"),
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
    )
    reason = models.CharField(_("reden"), max_length=300)
    actor = models.CharField(_("door"), max_length=150)
    at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    access = NORM_DATA

    class Meta:
        ordering = ["-at", "-id"]
        get_latest_by = ["at", "id"]
        verbose_name = _("signaalinstellingen")
        verbose_name_plural = _("signaalinstellingen")


# -- scans, checks and findings ----------------------------------------------------------------


class ScanRun(models.Model):
    """One run of the rule engine over every location and the registration extracts."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    on = models.DateField(_("peildatum"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    sources = models.JSONField(_("bronnen"), default=dict, blank=True)
    counts = models.JSONField(_("uitkomst"), default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    error = models.TextField(_("fout"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField(_("door"), max_length=150)
    started_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)

    access = SCAN_DATA

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} ({self.get_status_display()})"


class CheckSource(models.TextChoices):
    DESK = "desk", _("bureaucontrole")
    SCAN = "scan", _("scan")
    INSPECTION = "inspection", _("inspectie")


class Check(models.Model):
    """A location held against the norm sets valid on a day. The latest check of a location
    holds its current findings."""

    location = models.ForeignKey(
        "housing.Location",
        verbose_name=_("locatie"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    on = models.DateField(_("peildatum"))
    source = models.CharField(_("bron"), max_length=10, choices=CheckSource.choices)
    scan = models.ForeignKey(
        ScanRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks"
    )
    inspection = models.OneToOneField(
        "compliance.Inspection",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="check_run",
    )
    norm_sets = models.JSONField(_("normensets"), default=list, blank=True)
    actor = models.CharField(_("door"), max_length=150)
    at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    access = CHECK_DATA

    class Meta:
        ordering = ["-on", "-at", "-id"]
        verbose_name = _("toets")
        verbose_name_plural = _("toetsen")
        indexes = [models.Index(fields=["location", "-on", "-at"])]

    def __str__(self) -> str:
        return f"{self.location} {self.on:%Y-%m-%d}"


class Finding(models.Model):
    """A norm not met: what was measured, the limit, and why in plain Dutch."""

    check_run = models.ForeignKey(
        Check, verbose_name=_("toets"), on_delete=models.CASCADE, related_name="findings"
    )
    norm = models.ForeignKey(
        Norm, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    norm_set_name = models.CharField(_("normenset"), max_length=200)
    kind = models.CharField(_("norm"), max_length=30, choices=NormKind.choices)
    measured = models.DecimalField(
        _("gemeten"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    limit = models.DecimalField(_("grens"), max_digits=8, decimal_places=2)
    severity = models.CharField(_("ernst"), max_length=6, choices=Severity.choices)
    explanation = models.CharField(_("uitleg"), max_length=500)
    small_count = models.BooleanField(
        _("klein aantal uit het nachtregister"),
        default=False,
        help_text=_(
            "De bewoners zijn geteld uit het nachtregister en minder dan de drempel: alleen "
            "wie het register ziet, leest het aantal (zie engine.Evaluation.small_count)."
        ),
    )

    access = AccessPolicy(
        view=PROVINCE_ROLES,
        view_scoped=frozenset({Role.INSPECTOR}),
        change_scoped=frozenset({Role.MUNICIPALITY_OFFICER, Role.INSPECTOR}),
        municipality_path="check_run__location__municipality",
    )

    class Meta:
        ordering = ["check_run", "kind", "id"]
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")

    def __str__(self) -> str:
        return self.explanation


# -- signals -----------------------------------------------------------------------------------


class SignalKind(models.TextChoices):
    OVERCROWDING = "overcrowding", _("a. overbewoning (BAG-oppervlak per ingeschrevene)")
    OVERSTAY = "overstay", _("b. te lang verblijf op short-stay-locatie")
    RNI_OVERDUE = "rni_overdue", _("c. RNI langer dan toegestaan: hoort in de BRP")
    UNREGISTERED = "unregistered", _("d. gasten niet ingeschreven op het adres")
    OVER_CAPACITY = "over_capacity", _("e. bezetting boven capaciteit")
    CERTIFICATE = "certificate", _("f. keurmerk verlopen of ontbreekt")
    UNLISTED = "unlisted", _("g. mogelijk niet-geregistreerde huisvesting")
    REPORT = "report", _("melding")


PERSON_SIGNALS = frozenset({SignalKind.OVERSTAY, SignalKind.RNI_OVERDUE})
"""Signals about one (pseudonymised) person; the others are about an address or location."""


class SignalStatus(models.TextChoices):
    NEW = "new", _("nieuw")
    INVESTIGATING = "investigating", _("in onderzoek")
    CLOSED = "closed", _("afgesloten")


class SignalOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("bevestigd")
    NOT_CONFIRMED = "not_confirmed", _("niet bevestigd")
    CORRECTED = "corrected", _("gecorrigeerd")


class Signal(models.Model):
    """An indication that something may be wrong at an address: a reason to look, never a
    decision. ``key`` identifies what it is about (kind, address, location, person) so that
    a new scan refreshes an open signal instead of adding a second one."""

    kind = models.CharField(_("soort"), max_length=16, choices=SignalKind.choices)
    key = models.CharField(_("sleutel"), max_length=200, db_index=True)
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="signals",
    )
    location = models.ForeignKey(
        "housing.Location",
        verbose_name=_("locatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
    )
    address_id = models.CharField(_("BAG-adres"), max_length=16, blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    pseudonym = models.CharField(_("pseudoniem"), max_length=64, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    explanation = models.CharField(_("uitleg"), max_length=500)
    details = models.JSONField(_("gegevens"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=SignalStatus.choices, default=SignalStatus.NEW
    )
    outcome = models.CharField(
        _("uitkomst"), max_length=14, choices=SignalOutcome.choices, blank=True
    )
    first_seen = models.DateField(_("eerst gezien"))
    last_seen = models.DateField(_("laatst gezien"))
    scan = models.ForeignKey(
        ScanRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals"
    )
    fictitious = models.BooleanField(_("fictief"), default=False)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    access = SIGNAL_DATA

    class Meta:
        ordering = ["-score", "-last_seen", "-id"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        indexes = [models.Index(fields=["municipality", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", outcome__gt="")
                | (~models.Q(status="closed") & models.Q(outcome="")),
                name="signal_outcome_only_when_closed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.explanation}"

    @property
    def is_open(self) -> bool:
        return self.status != SignalStatus.CLOSED


class SignalChange(AppendOnlyModel):
    """One step in a signal's status flow, with who, when and why."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(_("status"), max_length=14, choices=SignalStatus.choices)
    outcome = models.CharField(
        _("uitkomst"), max_length=14, choices=SignalOutcome.choices, blank=True
    )
    note = models.CharField(_("toelichting"), max_length=1000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField(_("door"), max_length=150)
    at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    access = AccessPolicy(
        view_scoped=LOCAL_ONLY,
        change_scoped=LOCAL_ONLY,
        municipality_path="signal__municipality",
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("signaalwijziging")
        verbose_name_plural = _("signaalwijzigingen")


# -- registration extracts -----------------------------------------------------------------------


class BagAddress(models.Model):
    """An address from the BAG with its floor area (gebruiksoppervlakte)."""

    address_id = models.CharField(_("BAG-adres (nummeraanduiding)"), max_length=16, unique=True)
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="bag_addresses",
    )
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    house_number = models.PositiveIntegerField(
        _("huisnummer"), null=True, blank=True, validators=[MaxValueValidator(99_999)]
    )
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    floor_area = models.PositiveIntegerField(
        _("gebruiksoppervlakte (m²)"), validators=[MaxValueValidator(1_000_000)]
    )
    purpose = models.CharField(_("gebruiksdoel"), max_length=60, blank=True)
    import_job = models.ForeignKey(
        "core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    access = BAG_DATA

    class Meta:
        ordering = ["municipality", "postcode", "house_number"]
        verbose_name = _("BAG-adres")
        verbose_name_plural = _("BAG-adressen")

    def __str__(self) -> str:
        number = f"{self.house_number or ''}{self.house_number_addition}"
        return f"{self.postcode} {number}".strip() or self.address_id


class Register(models.TextChoices):
    BRP = "BRP", _("BRP (ingezetene)")
    RNI = "RNI", _("RNI (niet-ingezetene)")


class Registration(models.Model):
    """One person's registration at an address, from an extract; the person is a keyed
    pseudonym (housing.pseudonyms), never the BSN."""

    pseudonym = models.CharField(_("pseudoniem"), max_length=64, db_index=True)
    address_id = models.CharField(_("BAG-adres"), max_length=16, db_index=True)
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    register = models.CharField(_("register"), max_length=3, choices=Register.choices)
    start = models.DateField(_("ingeschreven vanaf"))
    end = models.DateField(_("uitgeschreven op"), null=True, blank=True)
    household = models.CharField(
        _("huishouden"),
        max_length=64,
        blank=True,
        help_text=_("Sleutel van het huishouden (gepseudonimiseerd); leeg: eigen huishouden."),
    )
    import_job = models.ForeignKey(
        "core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    access = SIGNAL_DATA

    class Meta:
        ordering = ["address_id", "start", "id"]
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        constraints = [
            models.UniqueConstraint(
                fields=["pseudonym", "address_id", "register", "start"],
                name="registration_once",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="registration_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.address_id} {self.start:%Y-%m-%d}"


# -- inspections and enforcement ---------------------------------------------------------------


class InspectionOutcome(models.TextChoices):
    COMPLIANT = "compliant", _("in orde")
    DEFECTS = "defects", _("gebreken")
    SERIOUS = "serious", _("ernstige gebreken")
    NO_ACCESS = "no_access", _("geen toegang")


class Inspection(models.Model):
    """A visit to a location: who took part, what was found per norm (its Check), the
    outcome and when to come back."""

    location = models.ForeignKey(
        "housing.Location",
        verbose_name=_("locatie"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    on = models.DateField(_("datum"))
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("organisaties"),
        blank=True,
        related_name="inspections",
    )
    other_partners = models.CharField(
        _("andere partners"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld politie, brandweer, Arbeidsinspectie, woningcorporatie."),
    )
    persons_present = models.PositiveIntegerField(
        _("aangetroffen bewoners"), null=True, blank=True, validators=[UP_TO_A_CITY]
    )
    outcome = models.CharField(_("uitkomst"), max_length=10, choices=InspectionOutcome.choices)
    next_inspection = models.DateField(_("volgende inspectie"), null=True, blank=True)
    notes = models.TextField(_("verslag"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField(_("door"), max_length=150)
    at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)
    fictitious = models.BooleanField(_("fictief"), default=False)

    access = INSPECTION_DATA

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("inspectie")
        verbose_name_plural = _("inspecties")

    def __str__(self) -> str:
        return f"{self.location} {self.on:%Y-%m-%d}"


class EnforcementKind(models.TextChoices):
    WARNING = "warning", _("waarschuwing")
    INTENTION = "intention", _("voornemen tot handhaving")
    PENALTY = "penalty", _("last onder dwangsom")
    CLOSURE = "closure", _("sluiting")


ENFORCEMENT_ORDER = list(EnforcementKind.values)
"""The usual escalation, mildest first."""


class EnforcementStep(models.Model):
    """One step of enforcement at a location, with its deadline and whether it was met."""

    location = models.ForeignKey(
        "housing.Location",
        verbose_name=_("locatie"),
        on_delete=models.PROTECT,
        related_name="enforcement_steps",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("naar aanleiding van"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enforcement_steps",
    )
    kind = models.CharField(_("stap"), max_length=10, choices=EnforcementKind.choices)
    decided_on = models.DateField(_("besloten op"))
    deadline = models.DateField(_("termijn tot"), null=True, blank=True)
    completed_on = models.DateField(_("afgerond op"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=1000, blank=True)
    actor = models.CharField(_("door"), max_length=150)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    fictitious = models.BooleanField(_("fictief"), default=False)

    access = INSPECTION_DATA

    class Meta:
        ordering = ["deadline", "decided_on", "id"]
        verbose_name = _("handhavingsstap")
        verbose_name_plural = _("handhavingsstappen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True)
                | models.Q(deadline__gte=models.F("decided_on")),
                name="enforcement_deadline_after_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.location}"
