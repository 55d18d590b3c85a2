"""Reads of the location register and its occupancy: the filtered list with each location's
current occupancy, the monthly series of one location, the guest register of one location,
and the tables their downloads are made of (the same rows as the pages show).

Occupancy has two sources: head counts (a number on a day) and guest registers (stays).
Occupancy is a count, which the province's roles may see per location; the stays themselves
are read only through ``guest_stays``, scoped to GuestStay's policy (the location's
municipality). Functions that count stays for everyone say so in their docstring.

A count from the register can still describe one person (1 guest in March, 0 in April), so
whoever does not see a location's register reads its register counts above 0 and below
``WAARDIG_REGISTER_MIN_COUNT`` as "< N" (None plus a flag here), and not the day of its last
arrival or departure; the location's municipality reads exact numbers. Head counts are the
officer's own count and are shown as they are. Every read that counts stays takes the actor
for this reason.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Expression,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.core.access import VIEW, allowed_municipality_ids, allows, scope
from waardig.core.numbers import digits
from waardig.housing import rules, services
from waardig.housing.models import (
    Certification,
    GuestStay,
    HeadCount,
    HousingForm,
    Location,
    LocationStatus,
    StayClass,
)

# -- the register of locations ----------------------------------------------------------------

REGISTER, COUNT = "register", "count"
"""Where a current occupancy comes from: the guest register or a head count."""

YES, NO = "yes", "no"
CHOICE_FILTERS = {
    "status": frozenset(LocationStatus.values),
    "housing_form": frozenset(HousingForm.values),
    "stay_class": frozenset(StayClass.values),
    "certification": frozenset(Certification.values),
    "certified": frozenset({YES, NO}),
}
FILTERS = ("q", "municipality", *CHOICE_FILTERS)
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "municipality": ("municipality__name", "name"),
    "housing_form": ("housing_form", "name"),
    "stay_class": ("stay_class", "name"),
    "capacity": ("capacity",),
    "occupancy": ("occupancy_order",),
    "certified": ("certified", "name"),
    "status": ("status", "name"),
}
DEFAULT_SORT = "municipality"


def clean_filters(options: dict[str, Any]) -> dict[str, str]:
    """The filters that name something: unknown choices and empty values are left out, so
    the page, its download and the command line read one query string the same way."""
    cleaned = {}
    for name in FILTERS:
        value = str(options.get(name) or "").strip()
        if not value or (name in CHOICE_FILTERS and value not in CHOICE_FILTERS[name]):
            continue
        cleaned[name] = value.upper() if name == "municipality" else value
    return cleaned


def certified_condition(today: datetime.date) -> Q:
    """rules.certified_on as a database condition (the list filters and sorts on it)."""
    valid = Q(certificate_valid_until__isnull=True) | Q(certificate_valid_until__gte=today)
    return ~Q(certification__in=["", Certification.NONE]) & valid


def filtered(actor: Any, options: dict[str, Any], today: datetime.date) -> QuerySet:
    """The locations the actor may see that match the filters (see ``clean_filters``)."""
    filters = clean_filters(options)
    found = scope(actor, Location.objects.all(), VIEW)
    if code := filters.get("municipality"):
        found = found.filter(municipality__code=code)
    for name in ("status", "housing_form", "stay_class", "certification"):
        if name in filters:
            found = found.filter(**{name: filters[name]})
    if "certified" in filters:
        condition = certified_condition(today)
        found = found.filter(condition if filters["certified"] == YES else ~condition)
    if text := filters.get("q"):
        match = (
            Q(name__icontains=text)
            | Q(street__icontains=text)
            | Q(place__icontains=text)
            | Q(postcode__icontains=text)
        )
        if rules.valid_postcode(text):  # '6211aa' finds '6211 AA'
            match |= Q(postcode=rules.normal_postcode(text))
        found = found.filter(match)
    return found


# -- small numbers from the guest register ---------------------------------------------------


def register_min_count() -> int:
    """Register counts above 0 and below this are hidden from whoever does not see the
    register (WAARDIG_REGISTER_MIN_COUNT)."""
    return settings.WAARDIG_REGISTER_MIN_COUNT


def sees_register(actor: Any, location: Location) -> bool:
    """May the actor see this location's guest register (and so every count exactly)?"""
    return allows(actor, VIEW, GuestStay(location=location))


def too_small(count: int | None, min_count: int) -> bool:
    """A register count that could point at a few persons: above 0, below ``min_count``."""
    return count is not None and 0 < count < min_count


def hidden_text(min_count: int | None = None) -> str:
    """How pages and downloads show a hidden count: "< 5"."""
    return f"< {register_min_count() if min_count is None else min_count}"


def _register_unseen(actor: Any) -> Q | None:
    """The locations whose register the actor does not see, as a condition on Location; None:
    none (the command line). The same decision as ``sees_register``, for a list at once."""
    ids = allowed_municipality_ids(actor, GuestStay, VIEW)
    if ids is None:
        return None
    return ~Q(municipality_id__in=sorted(ids)) if ids else Q(pk__isnull=False)


def _flag(condition: Q | None) -> Expression:
    if condition is None:
        return Value(False, output_field=BooleanField())
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def present_on(day: datetime.date) -> Q:
    """Stays that cover the night of ``day``, as ``rules.present_on`` counts them (arrived on
    or before it, not yet left: the departure day is no night at the location)."""
    return Q(arrival__lte=day) & (Q(departure__isnull=True) | Q(departure__gt=day))


def with_occupancy(actor: Any, locations: QuerySet, today: datetime.date) -> QuerySet:
    """Each location with its current occupancy as the actor may read it, in the same query
    (no query per row).

    The newer source wins: the latest head count, unless the guest register has news after
    that day (an arrival or departure); then the persons present today by the register.
    Annotates ``occupancy`` (None without either, or when hidden), ``occupancy_hidden`` (a
    register count too small for the actor: see the module's docstring), ``occupancy_source``
    (REGISTER, COUNT or ""), ``occupancy_on``, ``head_count``/``head_count_on``,
    ``has_register``, ``register_present`` (None when hidden) with ``register_hidden``,
    ``register_until`` (None for whoever does not see the register) and ``certified`` (a valid
    certificate today). Counts stays of every location: a number, no stay; the exact numbers
    and dates are aliases, never on the objects.
    """
    latest = HeadCount.objects.filter(location=OuterRef("pk")).order_by("-counted_on")
    stays = GuestStay.objects.filter(location=OuterRef("pk")).order_by().values("location")
    present = stays.filter(present_on(today)).annotate(n=Count("pk")).values("n")
    last_arrival = Subquery(stays.annotate(day=Max("arrival")).values("day"))
    last_departure = Subquery(stays.annotate(day=Max("departure")).values("day"))
    located = locations.alias(
        register_count=Coalesce(Subquery(present, output_field=IntegerField()), 0),
        # Both NULL without stays; without a departure yet, the last arrival is the news.
        register_news_on=Greatest(last_arrival, Coalesce(last_departure, last_arrival)),
    ).annotate(
        head_count=Subquery(latest.values("persons")[:1]),
        head_count_on=Subquery(latest.values("counted_on")[:1]),
    )
    register_newer = Q(register_news_on__isnull=False) & (
        Q(head_count_on__isnull=True) | Q(register_news_on__gt=F("head_count_on"))
    )
    unseen = _register_unseen(actor)
    small = Q(register_count__gt=0, register_count__lt=register_min_count())
    hidden = None if unseen is None else small & unseen
    located = located.annotate(
        register_hidden=_flag(hidden),
        occupancy_hidden=_flag(None if hidden is None else register_newer & hidden),
        has_register=_flag(Q(register_news_on__isnull=False)),
        register_until=F("register_news_on")
        if unseen is None
        else Case(When(unseen, then=None), default=F("register_news_on"), output_field=DateField()),
    )
    return located.annotate(
        register_present=Case(
            When(register_hidden=True, then=None),
            default=F("register_count"),
            output_field=IntegerField(),
        ),
        occupancy=Case(
            When(occupancy_hidden=True, then=None),
            When(register_newer, then=F("register_count")),
            default=F("head_count"),
            output_field=IntegerField(),
        ),
        # Sorting puts a hidden count where a 1 would be: after the zeros, its value unsaid.
        occupancy_order=Case(
            When(occupancy_hidden=True, then=Value(1)),
            When(register_newer, then=F("register_count")),
            default=F("head_count"),
            output_field=IntegerField(),
        ),
        occupancy_source=Case(
            When(register_newer, then=Value(REGISTER)),
            When(head_count_on__isnull=False, then=Value(COUNT)),
            default=Value(""),
        ),
        occupancy_on=Case(
            When(register_newer, then=Value(today)),
            default=F("head_count_on"),
            output_field=DateField(),
        ),
        certified=Case(
            When(certified_condition(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def sort_key(text: str) -> tuple[str, bool]:
    """('capacity', True) from '-capacity'; an unknown key is the default, ascending."""
    descending = text.startswith("-")
    key = text.lstrip("-")
    return (key, descending) if key in SORTS else (DEFAULT_SORT, False)


def ordered(located: QuerySet, sort: str) -> QuerySet:
    """Sorted by a column of the list; locations without occupancy come last either way,
    and name and id break ties so pages are stable on every database."""
    key, descending = sort_key(sort)
    order = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in SORTS[key]
    ]
    return located.order_by(*order, "name", "id")


def locations(actor: Any, options: dict[str, Any], today: datetime.date | None = None):
    """The list as the page shows it: scoped, filtered, with occupancy, sorted."""
    today = today or timezone.localdate()
    found = filtered(actor, options, today).select_related("municipality", "operator")
    return ordered(with_occupancy(actor, found, today), str(options.get("sort") or ""))


@dataclass(frozen=True)
class Summary:
    """``occupancy`` sums the shown figures of ``with_occupancy`` locations; the ``hidden``
    ones (register counts too small for the actor) are left out, so no total gives them away."""

    locations: int
    capacity: int
    occupancy: int
    with_occupancy: int
    per_status: dict[str, int]
    hidden: int = 0

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        return [(label, self.per_status.get(value, 0)) for value, label in LocationStatus.choices]


def summary(actor: Any, found: QuerySet, today: datetime.date) -> Summary:
    """Totals of the filtered locations (all pages) as the actor may read them: three
    queries, whatever their number."""
    totals = found.aggregate(n=Count("pk"), capacity=Coalesce(Sum("capacity"), 0))
    persons = with_occupancy(actor, found.order_by(), today).aggregate(
        n=Count("pk", filter=Q(occupancy__isnull=False)),
        persons=Coalesce(Sum("occupancy"), 0),
        hidden=Count("pk", filter=Q(occupancy_hidden=True)),
    )
    per_status = dict(found.order_by().values_list("status").annotate(n=Count("pk")))
    return Summary(
        locations=totals["n"],
        capacity=totals["capacity"],
        occupancy=persons["persons"],
        with_occupancy=persons["n"],
        per_status=per_status,
        hidden=persons["hidden"],
    )


def rate(persons: int | None, capacity: int) -> Decimal | None:
    """Occupancy as a percentage of capacity, one decimal (None when unknown)."""
    if persons is None or not capacity:
        return None
    return (Decimal(100) * persons / capacity).quantize(Decimal("0.1"), ROUND_HALF_UP)


def current(actor: Any, location: Location, today: datetime.date | None = None) -> Location:
    """One location with the annotations of ``with_occupancy`` (as the actor may read them)."""
    today = today or timezone.localdate()
    return with_occupancy(actor, Location.objects.filter(pk=location.pk), today).get()


# -- one location over time -------------------------------------------------------------------

MAX_MONTHS = 120
"""The series shows at most ten years: older months are in the downloads of the register."""


@dataclass(frozen=True)
class Month:
    """One month of a location: persons present on its first day by the guest register
    (None with ``present_hidden`` when too small for the reader), the last head count within
    the month, against the capacity (known today only)."""

    month: datetime.date
    present: int | None
    head_count: int | None
    head_count_on: datetime.date | None
    capacity: int
    present_hidden: bool = False

    @property
    def rate(self) -> Decimal | None:
        """Of the register's count, else of the head count; none for a hidden count (the
        capacity would give it back)."""
        if self.present_hidden:
            return None
        return rate(self.present if self.present is not None else self.head_count, self.capacity)


def stays_of(location: Location) -> list[rules.Stay]:
    """The stays of a location as bare dates, for counting only: no pseudonym leaves here,
    so the province's roles may see what is computed from them."""
    rows = GuestStay.objects.filter(location=location).values_list("arrival", "departure")
    return [rules.Stay(arrival, departure) for arrival, departure in rows]


def monthly_series(
    actor: Any, location: Location, today: datetime.date | None = None
) -> list[Month]:
    """From the first month with data to this month: persons present on the first of each
    month (rules.occupancy_series; unknown before the register's first arrival) and the head
    counts. Empty without any data. A count too
    small for an actor who does not see the register is hidden (see the module's docstring)."""
    today = today or timezone.localdate()
    min_count = 0 if sees_register(actor, location) else register_min_count()
    stays = stays_of(location)
    counts = sorted(
        HeadCount.objects.filter(location=location).values_list("counted_on", "persons")
    )
    days = [s.arrival for s in stays] + [day for day, _persons in counts]
    if not days:
        return []
    starts = rules.month_starts(min(days), max(today, max(days)))[-MAX_MONTHS:]
    # The register says nothing about the months before its first arrival: unknown, not 0.
    first_arrival = min((s.arrival for s in stays), default=None)
    covered = [day for day in starts if first_arrival and day >= first_arrival]
    present = dict(rules.occupancy_series(stays, covered))
    last_count: dict[datetime.date, tuple[datetime.date, int]] = {}
    for day, persons in counts:  # sorted by day: the last one of a month stays
        last_count[day.replace(day=1)] = (day, persons)
    series = []
    for start in starts:
        count_on, persons = last_count.get(start, (None, None))
        guests = present.get(start)
        hidden = too_small(guests, min_count)
        guests = None if hidden else guests
        series.append(Month(start, guests, persons, count_on, location.capacity, hidden))
    return series


def visible_location(actor: Any, pk: Any) -> Location:
    """The location a download names (option ``location``): DoesNotExist when the actor may
    not see it (the download answers 404), ValidationError when it is no number (400)."""
    text = str(pk or "").strip()
    if not digits(text):
        raise ValidationError(_("Geef het nummer van de locatie."))
    return scope(actor, Location.objects.select_related("municipality"), VIEW).get(pk=int(text))


# -- the guest register (person-level, scoped to GuestStay's policy) --------------------------

SHORT_PSEUDONYM = 10
"""Pages and downloads show the first 10 hex digits: enough to tell stays apart."""


def guest_stays(actor: Any, location: Location | None = None) -> QuerySet:
    """The stays the actor may see (only the location's own municipality: no province role)."""
    stays = GuestStay.objects.select_related("location__municipality")
    if location is not None:
        stays = stays.filter(location=location)
    return scope(actor, stays, VIEW)


@dataclass(frozen=True)
class StayRow:
    stay: GuestStay
    months: Decimal
    stay_class: str
    present: bool

    @property
    def short_pseudonym(self) -> str:
        return self.stay.pseudonym[:SHORT_PSEUDONYM]

    @property
    def stay_class_label(self) -> str:
        return str(StayClass(self.stay_class).label)


def stay_row(stay: GuestStay, today: datetime.date, params: rules.Parameters) -> StayRow:
    end = stay.departure or today
    return StayRow(
        stay=stay,
        months=rules.months_between(stay.arrival, end),
        stay_class=rules.stay_class_of(stay.arrival, stay.departure, today, params),
        present=rules.present_on([rules.Stay(stay.arrival, stay.departure)], today) == 1,
    )


@dataclass(frozen=True)
class StaySummary:
    stays: int
    present: int
    per_class: dict[str, int]

    @property
    def class_counts(self) -> list[tuple[str, str, int]]:
        return [(v, str(label), self.per_class.get(v, 0)) for v, label in StayClass.choices]


def stay_summary(stays: QuerySet, today: datetime.date, params: rules.Parameters) -> StaySummary:
    """Counts over every stay (not just one page): per stay class, and present today."""
    dates = [rules.Stay(a, d) for a, d in stays.values_list("arrival", "departure")]
    per_class = Counter(rules.stay_class_of(s.arrival, s.departure, today, params) for s in dates)
    return StaySummary(len(dates), rules.present_on(dates, today), dict(per_class))


# -- download tables --------------------------------------------------------------------------

LOCATION_COLUMNS = [
    "id", "name", "municipality_code", "municipality", "street", "house_number",
    "house_number_addition", "postcode", "place", "bag_id", "latitude", "longitude",
    "housing_form", "stay_class", "zone", "temporary_building_until", "temporary_permit_until",
    "capacity", "bedrooms", "bedroom_area", "living_area", "toilets", "showers",
    "separate_contract", "transition_days", "operator", "employers",
    "certification", "certificate_number", "certificate_valid_until", "last_audit",
    "certified_today", "landlord_licence", "landlord_licence_until", "operating_licence",
    "operating_licence_until", "notes", "status", "occupancy", "occupancy_source", "occupancy_on",
    "occupancy_rate", "fictitious",
]  # fmt: skip
"""Codes, not labels, for choices (as an import reads them); the other columns are the
fields of the same name."""


def location_row(loc: Location) -> list[Any]:
    """One location of ``locations`` (with its annotations) as a download row; a hidden
    occupancy reads "< N", without a rate."""
    derived = {
        "id": loc.pk,
        "municipality_code": loc.municipality.code,
        "municipality": loc.municipality.name,
        "operator": loc.operator.name if loc.operator else "",
        "employers": "; ".join(sorted(e.name for e in loc.employers.all())),
        "certified_today": loc.certified,
        "occupancy": hidden_text() if loc.occupancy_hidden else loc.occupancy,
        "occupancy_rate": rate(loc.occupancy, loc.capacity),
    }
    return [derived[c] if c in derived else getattr(loc, c) for c in LOCATION_COLUMNS]


def location_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The list with its filters and sort (options as on the page's query string)."""
    found = locations(actor, options).prefetch_related("employers")
    return LOCATION_COLUMNS, [location_row(loc) for loc in found]


def occupancy_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The monthly series of one location (counts only, so for everyone who sees it; small
    register counts read "< N" for whoever does not see the register)."""
    loc = visible_location(actor, options.get("location"))
    columns = ["location_id", "location", "month", "register_present", "head_count",
               "head_count_on", "capacity", "occupancy_rate", "fictitious"]  # fmt: skip
    rows = []
    for m in monthly_series(actor, loc):
        present = hidden_text() if m.present_hidden else m.present
        counts = [present, m.head_count, m.head_count_on, m.capacity, m.rate]
        rows.append([loc.pk, loc.name, m.month, *counts, loc.fictitious])
    return columns, rows


def head_count_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    loc = visible_location(actor, options.get("location"))
    counts = scope(actor, loc.head_counts.order_by("-counted_on"), VIEW)
    columns = ["location_id", "location", "counted_on", "persons", "source", "recorded_by",
               "fictitious"]  # fmt: skip
    rows = [
        [loc.pk, loc.name, c.counted_on, c.persons, c.source, c.actor, loc.fictitious]
        for c in counts
    ]
    return columns, rows


def guest_stay_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The stays the actor may see (one location with option ``location``), as on the page.
    A province role gets no rows: it may see the location, not its stays."""
    location = visible_location(actor, options["location"]) if options.get("location") else None
    today, params = timezone.localdate(), services.current_parameters()
    columns = ["location_id", "location", "municipality_code", "pseudonym", "arrival",
               "departure", "months", "stay_class", "present_today"]  # fmt: skip
    stays = guest_stays(actor, location).order_by("location__name", "location_id", "arrival", "id")
    rows = []
    for stay in stays:
        row = stay_row(stay, today, params)
        where = [stay.location_id, stay.location.name, stay.location.municipality.code]
        what = [row.short_pseudonym, stay.arrival, stay.departure, row.months, row.stay_class]
        rows.append([*where, *what, row.present])
    return columns, rows
