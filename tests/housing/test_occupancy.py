"""Occupancy reads (housing.occupancy): the monthly series of a location computed by hand, the
current occupancy of the list (newest source wins, one query for the whole list), the
register's filters and sort, and the guest register's scope and download tables."""

import datetime
from decimal import Decimal

import pytest
from fixtures import MAASTRICHT, VENLO

from waardig.core.access import SYSTEM
from waardig.housing import occupancy, pseudonyms, rules, services
from waardig.housing.models import Location

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 5, 20)


def add_stays(location, *stays):
    """Stays as (person id, arrival, departure); ids are pseudonymised like the importer."""
    services.record_guest_stays(
        SYSTEM,
        location,
        [(pseudonyms.pseudonym(pid), arrival, departure) for pid, arrival, departure in stays],
    )


def count(location, day, persons):
    services.record_head_count(SYSTEM, location, day, persons, source="test")


@pytest.fixture
def register(locations):
    """The Maastricht location (capacity 40) with four stays and three head counts."""
    location = locations["maastricht"]
    add_stays(
        location,
        ("A-1", D(2024, 1, 10), D(2024, 3, 5)),
        ("B-2", D(2024, 2, 1), None),
        ("C-3", D(2024, 2, 15), D(2024, 2, 20)),
        ("D-4", D(2024, 3, 1), D(2024, 4, 1)),
    )
    count(location, D(2023, 12, 15), 7)
    count(location, D(2024, 3, 10), 5)
    count(location, D(2024, 3, 25), 4)
    return location


def test_monthly_series_counts_persons_present_on_the_first_of_each_month(register):
    series = occupancy.monthly_series(SYSTEM, register, today=TODAY)
    # From the first data (a head count in December 2023) to this month.
    assert [m.month for m in series] == [D(2023, 12, 1)] + [D(2024, n, 1) for n in range(1, 6)]
    by_month = {m.month: m for m in series}
    # Worked out by hand: on 1 Feb A and B are there (B arrives that day), on 1 Mar A, B and
    # D (A leaves on the 5th, C left on 20 Feb), on 1 Apr only B (D leaves that day).
    # Before the register's first arrival (10 January) it says nothing: unknown, not 0.
    assert [m.present for m in series] == [None, None, 2, 3, 1, 1]
    assert by_month[D(2023, 12, 1)].head_count == 7
    # The last count within March counts for March.
    assert (by_month[D(2024, 3, 1)].head_count, by_month[D(2024, 3, 1)].head_count_on) == (
        4,
        D(2024, 3, 25),
    )
    assert by_month[D(2024, 4, 1)].head_count is None
    assert by_month[D(2024, 3, 1)].capacity == 40
    assert by_month[D(2024, 3, 1)].rate == Decimal("7.5")  # 3 of 40
    assert by_month[D(2023, 12, 1)].rate == Decimal("17.5")  # the head count: 7 of 40


def test_series_is_empty_without_data(locations):
    assert occupancy.monthly_series(SYSTEM, locations["venlo"], today=TODAY) == []


def test_series_with_counts_only_uses_the_count_for_the_rate(locations):
    location = locations["venlo"]
    count(location, D(2024, 2, 10), 30)
    series = occupancy.monthly_series(SYSTEM, location, today=D(2024, 3, 3))
    assert [(m.month, m.present, m.head_count) for m in series] == [
        (D(2024, 2, 1), None, 30),
        (D(2024, 3, 1), None, None),
    ]
    assert series[0].rate == Decimal("75.0")  # 30 of 40


def test_current_occupancy_takes_the_newest_source(make_location):
    only_count = make_location(VENLO, name="Alleen telling", house_number=10)
    count(only_count, D(2024, 4, 1), 12)
    count(only_count, D(2024, 2, 1), 20)

    register_newer = make_location(VENLO, name="Register nieuwer", house_number=11)
    count(register_newer, D(2024, 1, 1), 30)
    add_stays(
        register_newer,
        ("P", D(2024, 1, 5), None),
        ("Q", D(2024, 2, 1), D(2024, 5, 1)),  # left before TODAY
        ("R", D(2024, 3, 1), None),
    )

    count_newer = make_location(VENLO, name="Telling nieuwer", house_number=12)
    add_stays(count_newer, ("S", D(2024, 1, 5), D(2024, 2, 1)))
    count(count_newer, D(2024, 3, 1), 9)

    make_location(VENLO, name="Niets", house_number=13)

    got = {
        loc.name: (loc.occupancy, loc.occupancy_source, loc.occupancy_on)
        for loc in occupancy.locations(SYSTEM, {}, today=TODAY)
    }
    assert got["Alleen telling"] == (12, occupancy.COUNT, D(2024, 4, 1))
    # The register's last news (departure 1 May) is after the count: P and R are there.
    assert got["Register nieuwer"] == (2, occupancy.REGISTER, TODAY)
    assert got["Telling nieuwer"] == (9, occupancy.COUNT, D(2024, 3, 1))
    assert got["Niets"] == (None, "", None)
    assert occupancy.current(SYSTEM, register_newer, TODAY).register_present == 2


def test_the_list_costs_one_query_however_many_locations(make_location, django_assert_num_queries):
    for number in range(6):
        location = make_location(VENLO, name=f"Locatie {number}", house_number=number + 1)
        count(location, D(2024, 1, 1), number)
        add_stays(location, (f"id-{number}", D(2024, 2, 1), None))
    with django_assert_num_queries(1):
        rows = [(loc.municipality.name, loc.occupancy) for loc in occupancy.locations(SYSTEM, {})]
    assert sorted(persons for _name, persons in rows) == [1] * 6  # the register is newer


def test_filters_search_and_sort(make_location):
    today = D(2024, 5, 20)
    make_location(VENLO, name="Hotel Noord", postcode="5911 AB", house_number=1, capacity=10,
                  certification="snf", certificate_number="SNF-1",
                  certificate_valid_until=D(2030, 1, 1))  # fmt: skip
    make_location(VENLO, name="Park Zuid", postcode="5912 CD", house_number=2, capacity=90,
                  housing_form="recreation", certification="akf", certificate_number="AKF-9",
                  certificate_valid_until=D(2023, 1, 1), status="planned")  # fmt: skip
    make_location(MAASTRICHT, name="Units Maas", postcode="6211 AA", house_number=3,
                  capacity=50, stay_class="long")  # fmt: skip

    def names(**options):
        return [loc.name for loc in occupancy.locations(SYSTEM, options, today=today)]

    assert names(municipality="gm0935") == ["Units Maas"]
    assert names(status="planned") == ["Park Zuid"]
    assert names(housing_form="recreation") == ["Park Zuid"]
    assert names(stay_class="long") == ["Units Maas"]
    assert names(certification="akf") == ["Park Zuid"]
    # Only Hotel Noord's certificate is valid today (Park Zuid's expired).
    assert names(certified="yes") == ["Hotel Noord"]
    assert sorted(names(certified="no")) == ["Park Zuid", "Units Maas"]
    assert names(q="6211aa") == ["Units Maas"]  # a postcode however it is typed
    assert names(q="zuid") == ["Park Zuid"]
    assert names(sort="-capacity") == ["Park Zuid", "Units Maas", "Hotel Noord"]
    assert names(sort="capacity") == ["Hotel Noord", "Units Maas", "Park Zuid"]
    # An unknown choice is no filter; an unknown sort is the default (municipality, name).
    assert names(status="bogus", sort="nonsense") == ["Units Maas", "Hotel Noord", "Park Zuid"]


def test_summary_counts_all_filtered_locations(make_location):
    a = make_location(VENLO, name="A", house_number=1, capacity=10)
    make_location(VENLO, name="B", house_number=2, capacity=25, status="planned")
    count(a, D(2024, 1, 1), 8)
    found = occupancy.filtered(SYSTEM, {"municipality": VENLO}, TODAY)
    summary = occupancy.summary(SYSTEM, found, TODAY)
    assert (summary.locations, summary.capacity) == (2, 35)
    assert (summary.occupancy, summary.with_occupancy) == (8, 1)
    assert summary.per_status == {"in_use": 1, "planned": 1}


def test_lists_are_scoped_to_the_users_municipalities(users, locations):
    names = {
        role: [loc.name for loc in occupancy.locations(users[role], {})]
        for role in ("analyst", "venlo_officer", "maastricht_officer", "inspector", "member")
    }
    assert names["analyst"] == ["Logies Maastricht", "Logies Venlo"]
    assert names["venlo_officer"] == ["Logies Venlo"]
    assert names["maastricht_officer"] == ["Logies Maastricht"]
    assert names["inspector"] == ["Logies Venlo"]  # Venlo and Venray
    assert names["member"] == []


def test_guest_stays_only_for_the_locations_municipality(users, register):
    visible = {
        role: occupancy.guest_stays(users[role], register).count()
        for role in ("province_admin", "analyst", "venlo_officer", "maastricht_officer")
    }
    assert visible == {
        "province_admin": 0,
        "analyst": 0,
        "venlo_officer": 0,
        "maastricht_officer": 4,
    }


def test_stay_rows_and_summary_classes(register):
    params = rules.Parameters(short_max_months=1, mid_max_months=3)
    stays = occupancy.guest_stays(SYSTEM, register)
    summary = occupancy.stay_summary(stays, TODAY, params)
    rows = {r.stay.arrival: r for r in (occupancy.stay_row(s, TODAY, params) for s in stays)}
    # A: 10 Jan - 5 Mar = 55 days = 1.8 months (mid); B: 1 Feb - today (110 days) = 3.6
    # (long); C: 5 days (short); D: 31 days = 1.0 (short).
    assert rows[D(2024, 1, 10)].months == Decimal("1.8")
    assert [rows[d].stay_class for d in sorted(rows)] == ["mid", "long", "short", "short"]
    assert rows[D(2024, 2, 1)].present and not rows[D(2024, 1, 10)].present
    assert len(rows[D(2024, 2, 1)].short_pseudonym) == occupancy.SHORT_PSEUDONYM
    assert summary.per_class == {"short": 2, "mid": 1, "long": 1}
    assert (summary.stays, summary.present) == (4, 1)


def test_location_table_has_the_filtered_rows(make_location):
    make_location(VENLO, name="Hotel Noord", house_number=1, capacity=10, fictitious=True)
    make_location(MAASTRICHT, name="Units Maas", postcode="6211 AA", house_number=3)
    columns, rows = occupancy.location_table(SYSTEM, {"municipality": VENLO})
    assert len(rows) == 1
    row = dict(zip(columns, rows[0], strict=True))
    assert (row["name"], row["municipality_code"], row["capacity"]) == ("Hotel Noord", VENLO, 10)
    assert row["fictitious"] is True and row["status"] == "in_use"


def test_guest_stay_table_is_empty_for_the_province(users, register):
    options = {"location": str(register.pk)}
    assert occupancy.guest_stay_table(users["province_admin"], options)[1] == []
    columns, rows = occupancy.guest_stay_table(users["maastricht_officer"], options)
    assert len(rows) == 4
    pseudonym = columns.index("pseudonym")
    full = set(register.guest_stays.values_list("pseudonym", flat=True))
    assert {len(row[pseudonym]) for row in rows} == {occupancy.SHORT_PSEUDONYM}
    assert {row[pseudonym] for row in rows} == {p[:10] for p in full}


def test_occupancy_table_is_counts_for_who_sees_the_location(users, register):
    columns, rows = occupancy.occupancy_table(users["analyst"], {"location": register.pk})
    present, rate = columns.index("register_present"), columns.index("occupancy_rate")
    # Below five: the province reads "< 5" and no rate (the capacity would give it back).
    assert [row[present] for row in rows][:5] == [None, None, "< 5", "< 5", "< 5"]
    assert [row[rate] for row in rows][:3] == [Decimal("17.5"), None, None]
    assert "pseudonym" not in columns
    columns, rows = occupancy.occupancy_table(
        users["maastricht_officer"], {"location": register.pk}
    )
    assert [row[present] for row in rows][:5] == [None, None, 2, 3, 1]
    assert [row[rate] for row in rows][2] == Decimal("5.0")  # 2 of 40
    with pytest.raises(register.DoesNotExist):
        occupancy.occupancy_table(users["venlo_officer"], {"location": register.pk})


# -- small numbers from the guest register ----------------------------------------------------


@pytest.mark.parametrize(
    "count, hidden", [(None, False), (0, False), (1, True), (4, True), (5, False), (6, False)]
)
def test_too_small_is_above_zero_and_below_the_minimum(count, hidden):
    assert occupancy.too_small(count, 5) is hidden


@pytest.fixture
def one_and_six(make_location):
    """Two Maastricht locations (capacity 40) with a guest register since February 2024:
    one guest at 'Pension Een' (and one who left on 20 Feb), six at 'Hotel Zes'."""
    small = make_location(MAASTRICHT, name="Pension Een", postcode="6211 AB", house_number=7)
    large = make_location(MAASTRICHT, name="Hotel Zes", postcode="6211 AC", house_number=8)
    add_stays(small, ("S-1", D(2024, 2, 10), None), ("S-2", D(2024, 1, 5), D(2024, 2, 20)))
    add_stays(large, *[(f"L-{n}", D(2024, 2, 10), None) for n in range(6)])
    return small, large


def test_the_province_reads_a_small_register_count_as_hidden(users, one_and_six):
    def current(role):
        return {
            loc.name: (loc.occupancy, loc.occupancy_hidden, loc.register_present,
                       loc.register_hidden, loc.register_until)
            for loc in occupancy.locations(users[role], {}, today=TODAY)
        }  # fmt: skip

    assert current("analyst") == {
        "Pension Een": (None, True, None, True, None),
        "Hotel Zes": (6, False, 6, False, None),  # the day of the news is the register's
    }
    assert current("maastricht_officer") == {
        "Pension Een": (1, False, 1, False, D(2024, 2, 20)),
        "Hotel Zes": (6, False, 6, False, D(2024, 2, 10)),
    }
    # No annotation on the province's objects holds the exact count or the day (the sort key
    # of a hidden count is 1 whatever the count).
    small = occupancy.current(users["analyst"], one_and_six[0], TODAY)
    fields = {field.attname for field in Location._meta.concrete_fields}
    annotations = {k: v for k, v in vars(small).items() if k not in fields and k != "_state"}
    assert {k for k, v in annotations.items() if type(v) is int and v == 1} == {"occupancy_order"}
    assert D(2024, 2, 20) not in annotations.values()


def test_the_threshold_is_a_setting(users, one_and_six, settings):
    settings.WAARDIG_REGISTER_MIN_COUNT = 7
    got = {loc.name: loc.occupancy for loc in occupancy.locations(users["analyst"], {}, TODAY)}
    assert got == {"Pension Een": None, "Hotel Zes": None}
    settings.WAARDIG_REGISTER_MIN_COUNT = 1
    got = {loc.name: loc.occupancy for loc in occupancy.locations(users["analyst"], {}, TODAY)}
    assert got == {"Pension Een": 1, "Hotel Zes": 6}


def test_zero_and_head_counts_are_shown_as_they_are(users, make_location):
    empty = make_location(VENLO, name="Leeg", house_number=20)
    add_stays(empty, ("E-1", D(2024, 1, 5), D(2024, 5, 1)))  # gone: 0 by the register
    counted = make_location(VENLO, name="Geteld", house_number=21)
    count(counted, D(2024, 5, 1), 3)  # a head count by the officer, not the register
    got = {
        loc.name: (loc.occupancy, loc.occupancy_source, loc.occupancy_hidden)
        for loc in occupancy.locations(users["analyst"], {}, today=TODAY)
    }
    assert got == {"Leeg": (0, occupancy.REGISTER, False), "Geteld": (3, occupancy.COUNT, False)}


def test_the_summary_leaves_a_hidden_count_out(users, one_and_six):
    found = occupancy.filtered(users["analyst"], {}, TODAY)
    province = occupancy.summary(users["analyst"], found, TODAY)
    assert (province.occupancy, province.with_occupancy, province.hidden) == (6, 1, 1)
    # Filtered to the small location alone, the total is still no count of it.
    alone = occupancy.filtered(users["analyst"], {"q": "Pension"}, TODAY)
    assert occupancy.summary(users["analyst"], alone, TODAY).occupancy == 0
    officer = users["maastricht_officer"]
    exact = occupancy.summary(officer, occupancy.filtered(officer, {}, TODAY), TODAY)
    assert (exact.occupancy, exact.with_occupancy, exact.hidden) == (7, 2, 0)


def test_sorting_on_occupancy_says_nothing_of_a_hidden_count(users, one_and_six, make_location):
    for n, (name, persons) in enumerate([("Nul", 0), ("Drie", 3)]):
        location = make_location(MAASTRICHT, name=name, postcode="6211 AD", house_number=30 + n)
        count(location, D(2024, 5, 1), persons)

    def names(role, sort):
        return [loc.name for loc in occupancy.locations(users[role], {"sort": sort}, TODAY)]

    # Hidden counts sort as a 1 would: after the zeros, before the rest.
    assert names("analyst", "occupancy") == ["Nul", "Pension Een", "Drie", "Hotel Zes"]
    assert names("analyst", "-occupancy") == ["Hotel Zes", "Drie", "Pension Een", "Nul"]
    assert names("maastricht_officer", "occupancy") == ["Nul", "Pension Een", "Drie", "Hotel Zes"]


def test_the_monthly_series_hides_small_months_from_the_province(users, one_and_six):
    small, large = one_and_six
    province = occupancy.monthly_series(users["analyst"], small, today=TODAY)
    # 1 Jan: before the register's first arrival (unknown); 1 Feb: S-2 (arrived 5 Jan); from
    # 1 Mar: S-1 alone.
    assert [(m.present, m.present_hidden) for m in province] == [
        (None, False), (None, True), (None, True), (None, True), (None, True)
    ]  # fmt: skip
    assert [m.rate for m in province] == [None] * 5
    exact = occupancy.monthly_series(users["maastricht_officer"], small, today=TODAY)
    assert [(m.present, m.present_hidden) for m in exact] == [(None, False)] + [(1, False)] * 4
    # Its guests arrived on 10 February: unknown on 1 February, then six is shown.
    assert [m.present for m in occupancy.monthly_series(users["analyst"], large, TODAY)] == [
        None, 6, 6, 6
    ]  # fmt: skip
