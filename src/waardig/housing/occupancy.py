"""Reads of the location register and its occupancy: the filtered list with each location's
current occupancy, the monthly series of one location, the guest register of one location,
and the tables their downloads are made of (the same rows as the pages show).

Occupancy has two sources: head counts (a number on a day) and guest registers (stays).
Occupancy is a count, which the province's roles may see per location; the stays themselves
are read only through ``guest_stays``, scoped to GuestStay's policy (the location's
municipality). Functions that count stays for everyone say so in their docstring.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
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

from waardig.core.access import VIEW, scope
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
    "occupancy": ("occupancy",),
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


def with_occupancy(locations: QuerySet, today: datetime.date) -> QuerySet:
    """Each location with its current occupancy, in the same query (no query per row).

    The newer source wins: the latest head count, unless the guest register has news after
    that day (an arrival or departure); then the persons present today by the register.
    Annotates ``occupancy`` (None without either), ``occupancy_source`` (REGISTER, COUNT or
    ""), ``occupancy_on``, ``head_count``/``head_count_on``, ``register_present``,
    ``register_until`` and ``certified`` (a valid certificate today). Counts stays of every
    location: a number, no stay.
    """
    latest = HeadCount.objects.filter(location=OuterRef("pk")).order_by("-counted_on")
    stays = GuestStay.objects.filter(location=OuterRef("pk")).order_by().values("location")
    present = (
        stays.filter(arrival__lte=today)
        .filter(Q(departure__isnull=True) | Q(departure__gt=today))
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_arrival = Subquery(stays.annotate(day=Max("arrival")).values("day"))
    last_departure = Subquery(stays.annotate(day=Max("departure")).values("day"))
    located = locations.annotate(
        head_count=Subquery(latest.values("persons")[:1]),
        head_count_on=Subquery(latest.values("counted_on")[:1]),
        register_present=Coalesce(Subquery(present, output_field=IntegerField()), 0),
        # Both NULL without stays; without a departure yet, the last arrival is the news.
        register_until=Greatest(last_arrival, Coalesce(last_departure, last_arrival)),
    )
    register_newer = Q(register_until__isnull=False) & (
        Q(head_count_on__isnull=True) | Q(register_until__gt=F("head_count_on"))
    )
    return located.annotate(
        occupancy=Case(
            When(register_newer, then=F("register_present")),
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
    return ordered(with_occupancy(found, today), str(options.get("sort") or ""))


@dataclass(frozen=True)
class Summary:
    locations: int
    capacity: int
    occupancy: int
    with_occupancy: int
    per_status: dict[str, int]

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        return [(label, self.per_status.get(value, 0)) for value, label in LocationStatus.choices]


def summary(found: QuerySet, today: datetime.date) -> Summary:
    """Totals of the filtered locations (all pages): three queries, whatever their number."""
    totals = found.aggregate(n=Count("pk"), capacity=Coalesce(Sum("capacity"), 0))
    occupied = with_occupancy(found.order_by(), today).filter(occupancy__isnull=False)
    persons = occupied.aggregate(n=Count("pk"), persons=Coalesce(Sum("occupancy"), 0))
    per_status = dict(found.order_by().values_list("status").annotate(n=Count("pk")))
    return Summary(
        locations=totals["n"],
        capacity=totals["capacity"],
        occupancy=persons["persons"],
        with_occupancy=persons["n"],
        per_status=per_status,
    )


def rate(persons: int | None, capacity: int) -> Decimal | None:
    """Occupancy as a percentage of capacity, one decimal (None when unknown)."""
    if persons is None or not capacity:
        return None
    return (Decimal(100) * persons / capacity).quantize(Decimal("0.1"), ROUND_HALF_UP)


def current(location: Location, today: datetime.date | None = None) -> Location:
    """One location with the annotations of ``with_occupancy``."""
    today = today or timezone.localdate()
    return with_occupancy(Location.objects.filter(pk=location.pk), today).get()


# -- one location over time -------------------------------------------------------------------

MAX_MONTHS = 120
"""The series shows at most ten years: older months are in the downloads of the register."""


@dataclass(frozen=True)
class Month:
    """One month of a location: persons present on its first day by the guest register,
    the last head count within the month, against the capacity (known today only)."""

    month: datetime.date
    present: int | None
    head_count: int | None
    head_count_on: datetime.date | None
    capacity: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.present if self.present is not None else self.head_count, self.capacity)


def stays_of(location: Location) -> list[rules.Stay]:
    """The stays of a location as bare dates, for counting only: no pseudonym leaves here,
    so the province's roles may see what is computed from them."""
    rows = GuestStay.objects.filter(location=location).values_list("arrival", "departure")
    return [rules.Stay(arrival, departure) for arrival, departure in rows]


def monthly_series(location: Location, today: datetime.date | None = None) -> list[Month]:
    """From the first month with data to this month: persons present on the first of each
    month (rules.occupancy_series) and the head counts. Empty without any data."""
    today = today or timezone.localdate()
    stays = stays_of(location)
    counts = sorted(
        HeadCount.objects.filter(location=location).values_list("counted_on", "persons")
    )
    days = [s.arrival for s in stays] + [day for day, _persons in counts]
    if not days:
        return []
    starts = rules.month_starts(min(days), max(today, max(days)))[-MAX_MONTHS:]
    present = dict(rules.occupancy_series(stays, starts)) if stays else {}
    last_count: dict[datetime.date, tuple[datetime.date, int]] = {}
    for day, persons in counts:  # sorted by day: the last one of a month stays
        last_count[day.replace(day=1)] = (day, persons)
    series = []
    for start in starts:
        count_on, persons = last_count.get(start, (None, None))
        series.append(Month(start, present.get(start), persons, count_on, location.capacity))
    return series


def visible_location(actor: Any, pk: Any) -> Location:
    """The location a download names (option ``location``): DoesNotExist when the actor may
    not see it (the download answers 404), ValidationError when it is no number (400)."""
    text = str(pk or "").strip()
    if not text.isdigit():
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
    "capacity", "bedrooms", "living_area", "toilets", "showers", "operator", "employers",
    "certification", "certificate_number", "certificate_valid_until", "last_audit",
    "certified_today", "landlord_licence", "landlord_licence_until", "operating_licence",
    "operating_licence_until", "notes", "status", "occupancy", "occupancy_source", "occupancy_on",
    "occupancy_rate", "fictitious",
]  # fmt: skip
"""Codes, not labels, for choices (as an import reads them); the other columns are the
fields of the same name."""


def location_row(loc: Location) -> list[Any]:
    """One location of ``locations`` (with its annotations) as a download row."""
    derived = {
        "id": loc.pk,
        "municipality_code": loc.municipality.code,
        "municipality": loc.municipality.name,
        "operator": loc.operator.name if loc.operator else "",
        "employers": "; ".join(sorted(e.name for e in loc.employers.all())),
        "certified_today": loc.certified,
        "occupancy_rate": rate(loc.occupancy, loc.capacity),
    }
    return [derived[c] if c in derived else getattr(loc, c) for c in LOCATION_COLUMNS]


def location_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The list with its filters and sort (options as on the page's query string)."""
    found = locations(actor, options).prefetch_related("employers")
    return LOCATION_COLUMNS, [location_row(loc) for loc in found]


def occupancy_table(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The monthly series of one location (counts only, so for everyone who sees it)."""
    loc = visible_location(actor, options.get("location"))
    columns = ["location_id", "location", "month", "register_present", "head_count",
               "head_count_on", "capacity", "occupancy_rate", "fictitious"]  # fmt: skip
    rows = []
    for m in monthly_series(loc):
        counts = [m.present, m.head_count, m.head_count_on, m.capacity, m.rate]
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
