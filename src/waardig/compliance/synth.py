"""`waardig synth`: fictitious registration extracts with known planted violations, for the
demo, the tests and the national benchmark (bench/scan_national.py).

Writes to ``--out``: ``bag.<fmt>``, ``registrations.<fmt>`` and ``guests.<fmt>`` in the
schemas of compliance.extracts, ``locations.csv`` (the housing location import, every row
marked fictitious) and ``planted.json``: the scan date, the row counts, and exactly which
signals and norm findings a scan on that date must report, nothing more.

Everything is generated in DuckDB SQL from ``range()``, with pseudo-randomness from
``hash(..., seed)`` (the same seed gives the same data with the same DuckDB version), and
streamed to the files with COPY, so the national scale (~10M addresses) stays within a few
GB of memory. Only the planted cases (a few dozen per repeat) are written in Python.

Everything not planted is clean under the default signal thresholds and the shipped norm sets
valid on the scan date: every address has at least 12 m² per registered person and at most
three households, short RNI stays only, every location certified, with enough bedrooms, area
and sanitary for its capacity, and every guest registered at the location's address.

Person ids are invented 9-digit numbers (``person``). With ``--pseudonymise`` the files hold
a ``pseudonym`` column instead: sha256 of a seed-dependent salt and the number, computed in
DuckDB (the keyed hash of housing.pseudonyms is far too slow for 20M persons in Python).
These are synthetic pseudonyms with nobody behind them; they look like, but are not, the
app's keyed pseudonyms.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import json
import math
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from waardig.areas.demo import REFERENCE_FILE

SCAN_DATE = datetime.date(2026, 10, 1)
STATUS_DATE = datetime.date(2024, 1, 1)
"""Every location is in use since this day (before every stay of the extracts)."""

PROVINCE = "Provinciale ondergrens Limburg 2025-2027"
WGV = "Wet goed verhuurderschap"
SNF = "SNF-norm (bestaande set)"
SNF_2025 = "SNF-norm vanaf 1 juli 2025 (nieuwbouw, hotels en pensions)"
AKF = "AKF 2026"


@dataclass(frozen=True)
class Scale:
    addresses: int
    locations: int
    """Generic locations (the planted ones come on top)."""
    repeats: int
    """How often each planted case is planted (in other municipalities)."""


SCALES = {
    "tiny": Scale(addresses=400, locations=12, repeats=1),
    "province": Scale(addresses=600_000, locations=750, repeats=3),
    "national": Scale(addresses=10_000_000, locations=15_000, repeats=10),
}
HISTORY_DAYS = 800
"""Guest registers go back this far before the scan date."""

# Housing forms: share of the generic locations, name, capacity range.
FORMS = {
    "dwelling": (0.35, "Woning", 4, 12),
    "hotel": (0.10, "Pension", 20, 80),
    "complex": (0.15, "Wooncomplex", 20, 120),
    "flex": (0.20, "Flexwoningen", 10, 60),
    "recreation": (0.10, "Recreatiepark", 20, 100),
    "employer_site": (0.10, "Werkgeverslocatie", 8, 40),
}
# Stay classes: share, slot length in days (a bed's stays never overlap), stay length range.
STAYS = {"short": (0.5, 100, 14, 90), "mid": (0.25, 250, 130, 240), "long": (0.25, 500, 200, 490)}
RESIDENTS = {0: (0.24,), 1: (0.28,), 2: (0.25,), 3: (0.11,), 4: (0.08,), 5: (0.04,)}
"""Share of the addresses with that many current residents."""

GENERIC_PERSON, GUEST_PERSON, PLANTED_PERSON = 100_000_000, 300_000_000, 900_000_000


def municipalities() -> list[tuple[str, str]]:
    """Limburg's municipalities existing today (code, name), from the reference areas."""
    with REFERENCE_FILE.open(encoding="utf-8", newline="") as handle:
        return [(r["code"], r["name"]) for r in csv.DictReader(handle) if not r["valid_to"]]


def address_id(index: int, codes: list[str]) -> str:
    """The 16-digit BAG id of address ``index``: municipality number, '20', serial (as the
    SQL macro ``aid``)."""
    return f"{codes[index % len(codes)][2:]}20{index:010d}"


def synthetic_pseudonym(seed: int, person: int | str) -> str:
    """The pseudonym ``--pseudonymise`` writes (as DuckDB's sha256 computes it)."""
    return hashlib.sha256(f"waardig-synth:{seed}:{person}".encode()).hexdigest()


# -- planted cases (Python) ---------------------------------------------------------------------


@dataclass
class Plants:
    """The planted rows and what a scan must find; address indices from ``first`` on."""

    first: int
    codes: list[str]
    next_index: int = 0
    next_person: int = PLANTED_PERSON
    locations: list[dict[str, Any]] = field(default_factory=list)
    bag: list[tuple] = field(default_factory=list)
    registrations: list[tuple] = field(default_factory=list)
    guests: list[tuple] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.next_index = self.first

    def _index(self) -> int:
        self.next_index += 1
        return self.next_index - 1

    def person(self) -> int:
        self.next_person += 1
        return self.next_person - 1

    def day(self, offset: int) -> datetime.date:
        return SCAN_DATE + datetime.timedelta(days=offset)

    def address(self, floor_area: float) -> int:
        index = self._index()
        self.bag.append((index, float(floor_area), "woonfunctie"))
        return index

    def register(self, person: int, index: int, register: str, start: int, end: int | None = None,
                 household: str | None = None) -> None:  # fmt: skip
        """A registration from ``start`` to ``end`` (days from the scan date; None: open)."""
        stop = None if end is None else self.day(end)
        self.registrations.append((person, index, register, self.day(start), stop, household))

    def residents(self, index: int, count: int, register: str = "BRP", start: int = -400,
                  household: str | None = None) -> list[int]:  # fmt: skip
        persons = [self.person() for _ in range(count)]
        for person in persons:
            self.register(person, index, register, start, household=household)
        return persons

    def location(self, form: str, stay: str, *, persons: int, certification: str = "snf",
                 **facts: Any) -> int:  # fmt: skip
        """A location whose facts meet every norm for max(capacity, persons) residents, but
        for ``facts`` given; its guest register is filled by ``guest``."""
        index = self._index()
        base = max(facts.get("capacity", persons + 2), persons)
        row = {
            "k": index, "name": f"{FORMS[form][1]} (plant {index})", "housing_form": form,
            "stay_class": stay, "capacity": persons + 2, "bedrooms": base,
            "bedroom_area": 7.0 * base, "living_area": 18.0 * base,
            "toilets": math.ceil(base / 6), "showers": math.ceil(base / 6),
            "separate_contract": True, "transition_days": 42, "certification": certification,
            "certificate_number": f"{certification.upper()}-P{index}",
            "certificate_valid_until": self.day(200), "floor_area": 20.0 * base + 20,
            "beds_used": 0,
        }  # fmt: skip
        row |= facts
        if row["certification"] == "none":
            row["certificate_number"], row["certificate_valid_until"] = None, None
        self.locations.append(row)
        return index

    def guest(self, index: int, arrival: int, departure: int | None = None,
              register: str | None = "RNI", person: int | None = None) -> int:  # fmt: skip
        """A stay in the guest register of location ``index``, registered at its address
        for the same days (unless ``register`` is None)."""
        person = person or self.person()
        stop = None if departure is None else self.day(departure)
        self.guests.append((person, index, self.day(arrival), stop))
        if register:
            self.register(person, index, register, arrival, departure)
        return person

    def fill(self, index: int, count: int, register: str | None = "RNI") -> None:
        for n in range(count):
            self.guest(index, -10 - 3 * n, register=register)

    def signal(self, kind: str, index: int, person: int | None = None, *, at: bool = False):
        """Expect signal ``kind`` at address ``index`` (``at``: of the location there)."""
        subject = "{location}" if at else address_id(index, self.codes)
        key = f"{kind}:{subject}" + (":{pseudonym}" if person else "")
        entry = {"kind": kind, "key": key, "bag_id": address_id(index, self.codes)}
        if person:
            entry["person"] = str(person)
        self.signals.append(entry)

    def finding(self, index: int, norm_set: str, kind: str) -> None:
        bag_id = address_id(index, self.codes)
        self.findings.append({"bag_id": bag_id, "norm_set": norm_set, "kind": kind})


def plant_locations(p: Plants) -> None:
    """Signals b-f and norm violations at locations, and clean cases right at the limits."""
    loc = p.location("hotel", "short", persons=12, capacity=10)
    p.fill(loc, 12)
    p.signal("over_capacity", loc, at=True)

    loc = p.location("complex", "mid", persons=8, certificate_valid_until=p.day(-45))
    p.fill(loc, 8, "BRP")
    p.signal("certificate", loc, at=True)
    p.finding(loc, PROVINCE, "valid_certificate")
    p.finding(loc, SNF, "valid_certificate")

    loc = p.location("flex", "short", persons=6, certification="none")
    p.fill(loc, 6)
    p.signal("certificate", loc, at=True)
    p.finding(loc, PROVINCE, "valid_certificate")

    loc = p.location("employer_site", "short", persons=5, certification="akf",
                     certificate_valid_until=p.day(-10))  # fmt: skip
    p.fill(loc, 5)
    p.signal("certificate", loc, at=True)
    p.finding(loc, PROVINCE, "valid_certificate")
    p.finding(loc, AKF, "valid_certificate")

    loc = p.location("recreation", "short", persons=6)  # half of its guests not registered
    p.fill(loc, 3)
    p.fill(loc, 3, register=None)
    p.signal("unregistered", loc, at=True)

    violations = (  # form, stay, certification, persons, facts, [(norm set, kind)]
        ("dwelling", "long", "snf", 6, {"bedrooms": 4}, [(PROVINCE, "persons_per_bedroom")]),
        ("hotel", "short", "snf", 15, {"bedrooms": 6},
         [(PROVINCE, "persons_per_bedroom"), (SNF, "persons_per_bedroom"),
          (SNF_2025, "persons_per_bedroom")]),
        ("complex", "mid", "akf", 10, {"living_area": 130.0},
         [(PROVINCE, "living_area_per_person"), (AKF, "living_area_per_person")]),
        ("flex", "short", "snf", 10, {"living_area": 95.0},
         [(PROVINCE, "living_area_per_person"), (SNF, "living_area_per_person")]),
        ("complex", "long", "snf", 10, {"bedroom_area": 30.0}, [(SNF, "bedroom_area_per_person")]),
        ("complex", "short", "snf", 18, {"toilets": 2}, [(SNF, "persons_per_toilet")]),
        ("recreation", "long", "snf", 17, {"showers": 2}, [(SNF, "persons_per_shower")]),
        ("flex", "mid", "akf", 5, {"separate_contract": False}, [(WGV, "separate_contract")]),
        ("dwelling", "long", "snf", 4, {"transition_days": 14}, [(PROVINCE, "transition_period")]),
    )  # fmt: skip
    for form, stay, certification, persons, facts, found in violations:
        loc = p.location(form, stay, persons=persons, certification=certification, **facts)
        p.fill(loc, persons, "RNI" if stay == "short" else "BRP")
        for norm_set, kind in found:
            p.finding(loc, norm_set, kind)

    loc = p.location("hotel", "short", persons=8)  # two guests stayed too long
    p.fill(loc, 6)
    long_stay = p.guest(loc, -150, register="BRP")
    returning = p.guest(loc, -300, -230)
    p.guest(loc, -80, person=returning)  # 70 + 81 nights within 12 months
    p.signal("overstay", loc, long_stay, at=True)
    p.signal("overstay", loc, returning, at=True)
    p.finding(loc, PROVINCE, "consecutive_stay")

    loc = p.location("complex", "mid", persons=7)  # an RNI guest for 161 days
    p.fill(loc, 6, "BRP")
    p.signal("rni_overdue", loc, p.guest(loc, -160, register="RNI"))

    # Clean, right at the limits: 4 of 5 guests registered (80%), 2 unregistered guests,
    # 121 nights (<= 4 x 30.44), and every norm exactly met with the certificate's last day.
    loc = p.location("flex", "short", persons=5)
    p.fill(loc, 4)
    p.fill(loc, 1, register=None)
    p.fill(p.location("dwelling", "long", persons=2), 2, register=None)
    loc = p.location("hotel", "short", persons=4)
    p.fill(loc, 3)
    p.guest(loc, -120)
    loc = p.location("complex", "short", persons=16, capacity=16, bedrooms=16, bedroom_area=56.0,
                     living_area=240.0, toilets=2, showers=2, transition_days=28,
                     certificate_valid_until=SCAN_DATE)  # fmt: skip
    p.fill(loc, 16)


def plant_addresses(p: Plants) -> None:
    """Signals a, c and g at addresses outside the housing register, and clean near misses."""
    index = p.address(40)  # 8 m² per person
    p.residents(index, 5, household=f"HH-P{index}")
    p.signal("overcrowding", index)

    index = p.address(60)  # 8 unrelated persons on 60 m²
    p.residents(index, 4)
    p.residents(index, 4, "RNI", start=-30)
    p.signal("overcrowding", index)
    p.signal("unlisted", index)

    index = p.address(150)  # 5 households, 25 m² each
    p.residents(index, 2, household=f"HH-P{index}")
    p.residents(index, 4)
    p.signal("unlisted", index)

    index = p.address(70)  # in the RNI for 200 days
    p.signal("rni_overdue", index, p.residents(index, 1, "RNI", start=-200)[0])

    index = p.address(70)  # 83 + 61 days within 6 months, in two registrations
    person = p.person()
    p.register(person, index, "RNI", -300, -100)
    p.register(person, index, "RNI", -60)
    p.signal("rni_overdue", index, person)

    # Clean near misses: exactly 12 m² per person, 3 households, RNI with BRP elsewhere,
    # RNI for 121 days, one person on 5 m², a long RNI registration that has ended.
    p.residents(p.address(36), 3, household="HH-B1")
    p.residents(p.address(80), 3)
    moved = p.residents(p.address(60), 1, "RNI", start=-200)[0]
    p.register(moved, p.address(50), "BRP", -20)
    p.residents(p.address(60), 1, "RNI", start=-120)
    p.residents(p.address(5), 1)
    p.register(p.person(), p.address(60), "RNI", -300, -50)


# -- generic data (SQL) ------------------------------------------------------------------------


def _pick(
    value: str, shares: dict[Any, tuple], result: Any = lambda name, spec: f"'{name}'"
) -> str:
    """SQL choosing one of ``shares`` ({name: (share, ...)}) by ``value``, uniform in [0, 1);
    the chosen one as ``result(name, spec)`` gives it (default: the name as text)."""
    total, items, whens = 0.0, list(shares.items()), []
    for name, spec in items[:-1]:
        total += spec[0]
        whens.append(f"WHEN {value} < {total:.6f} THEN {result(name, spec)}")
    return f"CASE {' '.join(whens)} ELSE {result(*items[-1])} END"


def _macros(con: duckdb.DuckDBPyConnection, seed: int, places: list[tuple[str, str]]) -> None:
    codes = "[" + ", ".join(f"'{c}'" for c, _ in places) + "]"
    names = "[" + ", ".join("'" + n.replace("'", "''") + "'" for _, n in places) + "]"
    on, n = SCAN_DATE.isoformat(), len(places)
    for macro in (
        f"u(i, salt) AS (hash(i, salt, {seed}) % 1000000) / 1000000.0",
        f"h(i, salt, m) AS CAST(hash(i, salt, {seed}) % m AS BIGINT)",
        f"day(n) AS DATE '{on}' + CAST(n AS INTEGER)",
        f"gm(i) AS list_extract({codes}, CAST(i % {n} AS INTEGER) + 1)",
        f"place(i) AS list_extract({names}, CAST(i % {n} AS INTEGER) + 1)",
        "aid(i) AS substr(gm(i), 3) || '20' || lpad(CAST(i AS VARCHAR), 10, '0')",
        "pc(i) AS CAST(5800 + h(i, 'pc', 700) AS VARCHAR) || chr(CAST(65 + h(i, 'l1', 26) AS "
        "INTEGER)) || chr(CAST(65 + h(i, 'l2', 26) AS INTEGER))",
        "hn(i) AS 1 + h(i, 'hn', 250)",
        "addn(i) AS CASE h(i, 'add', 50) WHEN 0 THEN 'A' WHEN 1 THEN 'B' END",
        f"pid(p) AS sha256('waardig-synth:{seed}:' || CAST(p AS VARCHAR))",
    ):
        con.execute(f"CREATE MACRO {macro}")


LOC_COLUMNS = (
    "k BIGINT, name VARCHAR, housing_form VARCHAR, stay_class VARCHAR, capacity BIGINT, "
    "bedrooms BIGINT, bedroom_area DOUBLE, living_area DOUBLE, toilets BIGINT, showers BIGINT, "
    "separate_contract BOOLEAN, transition_days BIGINT, certification VARCHAR, "
    "certificate_number VARCHAR, certificate_valid_until DATE, floor_area DOUBLE, "
    "beds_used BIGINT"
)


def _generic_locations(con: duckdb.DuckDBPyConnection, count: int) -> None:
    """Locations that meet every norm at full capacity, a share of their beds in use."""
    label = _pick("rf", FORMS, lambda name, spec: f"'{spec[1]}'")
    low, high = (_pick("rf", FORMS, lambda name, spec, n=n: str(spec[n])) for n in (2, 3))
    con.execute(f"""
        INSERT INTO loc
        SELECT k, name, housing_form, stay_class, capacity, bedrooms,
            round(bedrooms * (6 + 4 * u(k, 'ba')), 1), living_area,
            CAST(ceil(capacity / 6) AS BIGINT) + h(k, 'toilet', 2),
            CAST(ceil(capacity / 6) AS BIGINT) + h(k, 'shower', 2),
            TRUE, 28 + h(k, 'transition', 63), certification,
            upper(certification) || '-' || lpad(CAST(k AS VARCHAR), 6, '0'),
            day(30 + h(k, 'valid', 700)), ceil(living_area + 10 + 40 * u(k, 'floor')),
            CAST(floor(capacity * (0.55 + 0.4 * u(k, 'beds'))) AS BIGINT)
        FROM (
            SELECT *, capacity + h(k, 'rooms', 3) AS bedrooms,
                round(capacity * (16 + 14 * u(k, 'la')), 1) AS living_area
            FROM (
                SELECT k, {label} || ' ' || place(k) || ' ' || k AS name,
                    {_pick("rf", FORMS)} AS housing_form,
                    {_pick("u(k, 'stay')", STAYS)} AS stay_class,
                    CAST({low} + floor(u(k, 'cap') * ({high} - {low} + 1)) AS BIGINT) AS capacity,
                    CASE WHEN u(k, 'cert') < 0.65 THEN 'snf' ELSE 'akf' END AS certification
                FROM (SELECT k, u(k, 'form') AS rf FROM range({count}) t(k))))
    """)  # noqa: S608


def _stays(con: duckdb.DuckDBPyConnection) -> None:
    """Every bed of a generic location has back-to-back stays in slots of its stay class's
    length: a bed never holds two guests, so occupancy stays within the beds used."""
    span, shortest, longest = (
        "CASE stay_class " + " ".join(f"WHEN '{c}' THEN {s[n]}" for c, s in STAYS.items()) + " END"
        for n in (1, 2, 3)
    )
    con.execute(f"""
        CREATE TEMP TABLE stay AS
        WITH beds AS (SELECT k, stay_class, unnest(range(beds_used)) AS bed FROM loc
                      WHERE beds_used > 0),
        slots AS (SELECT k, stay_class, bed, {span} AS span,
                         unnest(range(CAST(ceil({HISTORY_DAYS} / {span}) AS BIGINT) + 1)) AS slot
                  FROM beds),
        timed AS (SELECT k, stay_class, bed, slot, span, (k * 1000 + bed) * 32 + slot AS g,
                         {shortest} + h((k * 1000 + bed) * 32 + slot, 'dur',
                             {longest} - {shortest} + 1) AS dur
                  FROM slots),
        dated AS (SELECT k, stay_class, g, dur,
                         day(slot * span - CAST(ceil({HISTORY_DAYS} / span) AS BIGINT) * span
                             + h(k * 1000 + bed, 'phase', span) + h(g, 'off', span - dur + 1))
                         AS arrival
                  FROM timed)
        SELECT {GUEST_PERSON} + g AS person, k AS i, stay_class, arrival,
               CASE WHEN arrival + CAST(dur AS INTEGER) > DATE '{SCAN_DATE}' THEN NULL
                    ELSE arrival + CAST(dur AS INTEGER) END AS departure
        FROM dated WHERE arrival <= DATE '{SCAN_DATE}'
    """)  # noqa: S608


def _generic_addresses(con: duckdb.DuckDBPyConnection, first: int, last: int) -> None:
    residents = _pick("r", RESIDENTS, lambda name, spec: str(name))
    con.execute(f"""
        CREATE TEMP VIEW addr AS
        SELECT i, residents, households, lodger, u(i, 'moved') < 0.05 AS moved,
            CASE WHEN residents + lodger = 0 THEN 20 + h(i, 'floor', 400)
                 ELSE 12 * (residents + lodger) + 8 + h(i, 'floor', 120) END AS floor_area,
            CASE WHEN residents + lodger > 0 OR u(i, 'use') < 0.6 THEN 'woonfunctie'
                 ELSE ['kantoorfunctie', 'winkelfunctie', 'industriefunctie'][h(i, 'kind', 3) + 1]
                 END AS purpose
        FROM (
            SELECT i, residents,
                CASE WHEN u(i, 'hh') < 0.85 THEN 1 WHEN u(i, 'hh') < 0.96 THEN 2 ELSE 3 END
                    AS households,
                CASE WHEN residents > 0 AND u(i, 'hh') < 0.85 AND u(i, 'rni') < 0.015
                     THEN 1 ELSE 0 END AS lodger
            FROM (SELECT i, {residents} AS residents
                  FROM (SELECT i, u(i, 'n') AS r FROM range({first}, {last}) t(i))))
    """)  # noqa: S608


BAG_SQL = """
    SELECT aid(i) AS address_id, gm(i) AS municipality, pc(i) AS postcode,
           hn(i) AS house_number, addn(i) AS house_number_addition, floor_area, purpose
    FROM (SELECT k AS i, floor_area, CASE housing_form WHEN 'dwelling' THEN 'woonfunctie'
                 ELSE 'logiesfunctie' END AS purpose FROM loc
          UNION ALL SELECT i, floor_area, purpose FROM p_bag
          UNION ALL SELECT i, CAST(floor_area AS DOUBLE), purpose FROM addr)
"""
REGISTRATIONS_SQL = """
    SELECT {person}, aid(i) AS address_id, gm(i) AS municipality, register, start_date,
           end_date, household
    FROM (
        SELECT p, i, 'BRP' AS register, day(-30 - h(p, 'start', 7000)) AS start_date,
               CAST(NULL AS DATE) AS end_date,
               CASE WHEN residents + lodger > 1
                    THEN 'HH' || i || '-' || (j % households) END AS household
        FROM (SELECT {generic} + i * 8 + j AS p, * FROM (
              SELECT *, unnest(range(residents)) AS j FROM addr WHERE residents > 0))
        UNION ALL
        SELECT {generic} + i * 8 + 6, i, 'RNI', day(-10 - h(i, 'lodger', 100)), NULL, NULL
        FROM addr WHERE lodger = 1
        UNION ALL
        SELECT {generic} + i * 8 + 7, i, CASE WHEN u(i, 'was') < 0.2 THEN 'RNI' ELSE 'BRP' END,
               day(-800 - h(i, 'from', 5000)), day(-30 - h(i, 'to', 700)), NULL
        FROM addr WHERE moved
        UNION ALL
        SELECT person, i, CASE stay_class WHEN 'short' THEN 'RNI' ELSE 'BRP' END, arrival,
               departure, NULL FROM stay
        UNION ALL SELECT * FROM p_reg)
"""
GUESTS_SQL = """
    SELECT {person}, aid(i) AS address_id, arrival, departure
    FROM (SELECT person AS p, i, arrival, departure FROM stay
          UNION ALL SELECT * FROM p_guest)
"""
LOCATIONS_SQL = """
    SELECT name, gm(k) AS municipality, 'Fictieve straat' AS street,
           substr(pc(k), 1, 4) || ' ' || substr(pc(k), 5) AS postcode, hn(k) AS house_number,
           addn(k) AS house_number_addition, place(k) AS place, aid(k) AS bag_id, housing_form,
           stay_class, capacity, bedrooms, bedroom_area, living_area, toilets, showers,
           CASE WHEN separate_contract THEN 'ja' ELSE 'nee' END AS separate_contract,
           transition_days, certification, certificate_number, certificate_valid_until,
           'in_use' AS status, DATE '{status_date}' AS status_date, 'ja' AS fictitious
    FROM loc ORDER BY k
"""


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, datetime.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)  # numbers and booleans


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list) -> None:
    """The planted rows as literals in one statement: parameters are slow (DuckDB probes
    for numpy on every one)."""
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    con.execute(f"INSERT INTO {table} VALUES {values}")  # noqa: S608 (our own values)


def generate(scale: str, out: Path, fmt: str = "parquet", seed: int = 2026,
             pseudonymise: bool = False) -> dict[str, Any]:  # fmt: skip
    """Write the extracts, locations.csv and planted.json to ``out``; returns planted.json."""
    size = SCALES[scale]
    places = municipalities()
    codes = [c for c, _ in places]
    out.mkdir(parents=True, exist_ok=True)
    plants = Plants(first=size.locations, codes=codes)
    for _ in range(size.repeats):
        plant_locations(plants)
        plant_addresses(plants)
    fits = (
        plants.next_index < size.addresses
        and GENERIC_PERSON + size.addresses * 8 < GUEST_PERSON
        and GUEST_PERSON + size.locations * 1000 * 32 < PLANTED_PERSON
    )
    assert fits, f"scale {scale}: the person numbers or addresses do not fit"
    spill = Path(tempfile.mkdtemp(prefix="synth-", dir=out))
    con = duckdb.connect(config={"threads": 2, "memory_limit": "3GB",
                                 "temp_directory": str(spill)})  # fmt: skip
    try:
        con.execute("SET preserve_insertion_order = false")
        _macros(con, seed, places)
        con.execute(f"CREATE TEMP TABLE loc ({LOC_COLUMNS})")
        _generic_locations(con, size.locations)
        names = [c.split()[0] for c in LOC_COLUMNS.split(", ")]
        _insert(con, "loc", [[row[n] for n in names] for row in plants.locations])
        for table, columns, rows in (
            ("p_bag", "i BIGINT, floor_area DOUBLE, purpose VARCHAR", plants.bag),
            ("p_reg", "p BIGINT, i BIGINT, register VARCHAR, start_date DATE, end_date DATE, "
                      "household VARCHAR", plants.registrations),
            ("p_guest", "p BIGINT, i BIGINT, arrival DATE, departure DATE", plants.guests),
        ):  # fmt: skip
            con.execute(f"CREATE TEMP TABLE {table} ({columns})")
            _insert(con, table, rows)
        _stays(con)
        _generic_addresses(con, plants.next_index, size.addresses)
        person = "pid(p) AS pseudonym" if pseudonymise else "CAST(p AS VARCHAR) AS person"
        option = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER"
        counts = {}
        for name, sql in (
            ("bag", BAG_SQL),
            ("registrations", REGISTRATIONS_SQL.format(person=person, generic=GENERIC_PERSON)),
            ("guests", GUESTS_SQL.format(person=person)),
        ):
            target = str(out / f"{name}.{fmt}").replace("'", "''")
            (counts[name],) = con.execute(f"COPY ({sql}) TO '{target}' ({option})").fetchone()
        target = str(out / "locations.csv").replace("'", "''")
        (counts["locations"],) = con.execute(
            f"COPY ({LOCATIONS_SQL.format(status_date=STATUS_DATE)}) TO '{target}' "
            "(FORMAT csv, HEADER)"
        ).fetchone()
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    if pseudonymise:
        for entry in plants.signals:
            if "person" in entry:
                entry["pseudonym"] = synthetic_pseudonym(seed, entry["person"])
    planted = {
        "scale": scale, "seed": seed, "format": fmt, "pseudonymised": pseudonymise,
        "scan_date": SCAN_DATE.isoformat(), "counts": counts,
        "keys": "{location}: the id of the imported location with this bag_id; {pseudonym}: "
                "the pseudonym of person (or the pseudonym given)",
        "signals": plants.signals, "findings": plants.findings,
    }  # fmt: skip
    (out / "planted.json").write_text(json.dumps(planted, indent=1) + "\n", encoding="utf-8")
    return planted


def main(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    planted = generate(args.scale, args.out, args.format, args.seed, args.pseudonymise)
    counts = ", ".join(f"{n} {c:,}" for n, c in planted["counts"].items())
    print(
        f"written {args.out} in {time.perf_counter() - started:.1f} s: {counts}; "
        f"{len(planted['signals'])} planted signals, {len(planted['findings'])} planted "
        f"findings for a scan on {planted['scan_date']} (fictitious data)",
        file=sys.stderr,
    )
    return 0
