"""The rule engine: the norms (compliance.norms) and the registration signals as SQL over
five tables, run on DuckDB in memory, for one location (a web request) or for every
location and address (a scan). The SQL is plain enough to run unchanged on PostgreSQL
(``bench/scan_national.py`` does, in the same run).

Tables (``Engine.load_*`` fills them; a scan may take the extracts from files):
- ``locations``: the housing register's locations being checked (in use on the day),
  ``register_addresses``: every BAG address of the register (any status);
- ``head_counts`` and ``guests``: occupancy as housing counts it, as of the day;
- ``registrations`` and ``bag``: the registration extracts (compliance.extracts);
- ``applicable``: the norms valid on the day per housing form and certification.

Occupancy is housing's rule (housing.occupancy.with_occupancy) as of the check's day: the
latest head count on or before it, unless the guest register has news (an arrival or a
departure) after that count; then the guests present that night.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings

from waardig.compliance import extracts, norms
from waardig.compliance.models import NormKind, SignalKind
from waardig.housing.occupancy import register_min_count, too_small
from waardig.housing.rules import add_months

Progress = Callable[[str, int], None]
"""Called with a step's name and the percentage done."""


def sql_date(day: datetime.date) -> str:
    return f"DATE '{day.isoformat()}'"


def active_on(day: datetime.date, start: str = "start_date", end: str = "end_date") -> str:
    """A registration (or stay) that covers the night of ``day``."""
    return f"{start} <= {sql_date(day)} AND ({end} IS NULL OR {end} > {sql_date(day)})"


def days_within(first: datetime.date, day: datetime.date, start: str, end: str) -> str:
    """Nights of [start, end) that fall within [first, day]: an open end runs to ``day``."""
    after = sql_date(day + datetime.timedelta(days=1))
    return f"(LEAST(COALESCE({end}, {after}), {after}) - GREATEST({start}, {sql_date(first)}))"


LOCATION_COLUMNS = (
    ("location_id", "BIGINT"), ("name", "VARCHAR"), ("municipality_code", "VARCHAR"),
    ("address_id", "VARCHAR"), ("housing_form", "VARCHAR"), ("stay_class", "VARCHAR"),
    ("certification", "VARCHAR"), ("certificate_valid_until", "DATE"), ("capacity", "BIGINT"),
    ("bedrooms", "BIGINT"), ("bedroom_area", "DOUBLE PRECISION"),
    ("living_area", "DOUBLE PRECISION"),
    ("toilets", "BIGINT"), ("showers", "BIGINT"), ("separate_contract", "BOOLEAN"),
    ("transition_days", "BIGINT"),
)  # fmt: skip
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "locations": LOCATION_COLUMNS,
    "register_addresses": (("address_id", "VARCHAR"),),
    "head_counts": (("location_id", "BIGINT"), ("counted_on", "DATE"), ("persons", "BIGINT")),
    "guests": (
        ("location_id", "BIGINT"), ("pseudonym", "VARCHAR"), ("arrival", "DATE"),
        ("departure", "DATE"),
    ),
    "registrations": (
        ("pseudonym", "VARCHAR"), ("address_id", "VARCHAR"), ("municipality_code", "VARCHAR"),
        ("register", "VARCHAR"), ("start_date", "DATE"), ("end_date", "DATE"),
        ("household", "VARCHAR"),
    ),
    "bag": (
        ("address_id", "VARCHAR"), ("municipality_code", "VARCHAR"), ("postcode", "VARCHAR"),
        ("house_number", "BIGINT"), ("house_number_addition", "VARCHAR"),
        ("floor_area", "DOUBLE PRECISION"),
    ),
    "applicable": (
        ("norm_id", "BIGINT"), ("norm_set", "VARCHAR"), ("kind", "VARCHAR"),
        ("limit_value", "DOUBLE PRECISION"), ("window_months", "BIGINT"), ("window_start", "DATE"),
        ("severity", "VARCHAR"), ("housing_form", "VARCHAR"), ("certification", "VARCHAR"),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class SignalSettings:
    """The thresholds of the signals (compliance.models.SignalParameters)."""

    floor_area_per_person: Decimal = Decimal(12)
    rni_max_months: int = 4
    rni_window_months: int = 6
    registration_rate_min: Decimal = Decimal("0.80")
    min_guests: int = 3
    unrelated_households: int = 4


@dataclass
class Evaluation:
    """One norm for one location: 'ok', 'violation', 'unknown' (data missing) or 'n/a'."""

    location_id: int
    norm_id: int
    norm_set: str
    kind: str
    status: str
    value: Decimal | None
    limit: Decimal
    severity: str
    window_months: int | None
    explanation: str = ""
    persons: int | None = None
    """The residents the norms counted (None: not known)."""
    has_register: bool = False
    small_count: bool = False
    """The residents were counted from the guest register and are fewer than
    WAARDIG_REGISTER_MIN_COUNT: whoever may not see the register must not read the number
    (housing.occupancy's small-number rule), so pages hide it from them."""


@dataclass
class FoundSignal:
    kind: str
    key: str
    municipality_code: str
    score: Decimal
    explanation: str
    location_id: int | None = None
    address_id: str = ""
    address: str = ""
    pseudonym: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def _decimal(value: Any, places: str = "0.01") -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def _score(excess: float) -> Decimal:
    """50 at the threshold, 100 at twice as bad (or worse)."""
    return Decimal(str(50 + 50 * max(0.0, min(1.0, excess)))).quantize(Decimal("0.1"))


class Engine:
    """One DuckDB database in memory for one check or scan on ``on``."""

    def __init__(self, on: datetime.date, progress: Progress | None = None, con: Any = None):
        """``con``: another database holding the tables already (the benchmark passes a
        PostgreSQL connection); the rules run on it unchanged. Default: a new DuckDB."""
        self.on = on
        self.progress = progress or (lambda step, percent: None)
        self.files: set[str] = set()
        self._own = con is None
        if con is not None:
            self.con = con
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="waardig-scan-")
        self.con = duckdb.connect(
            ":memory:",
            config={
                "threads": 2,
                "memory_limit": settings.WAARDIG_SCAN_MEMORY,
                # What does not fit spills here (private, removed on close), not to ./.tmp.
                "temp_directory": str(Path(self._tmp.name) / "spill"),
            },
        )
        self.con.execute("SET preserve_insertion_order = false")
        for name, columns in TABLES.items():
            self.con.execute(self._create(name, columns))

    def close(self) -> None:
        if self._own:
            self.con.close()
            self._tmp.cleanup()

    def replace_table(self, name: str, select: str) -> None:
        """CREATE OR REPLACE TABLE, in SQL both DuckDB and PostgreSQL speak."""
        self.con.execute(f"DROP TABLE IF EXISTS {name}")
        self.con.execute(f"CREATE TABLE {name} AS {select}")

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @staticmethod
    def _create(name: str, columns: Sequence[tuple[str, str]]) -> str:
        """The table of the engine's input ``name`` (also used by the benchmark)."""
        return f"CREATE TABLE {name} (" + ", ".join(f"{c} {t}" for c, t in columns) + ")"

    # -- loading ---------------------------------------------------------------------------

    def load_rows(self, table: str, rows: Iterable[Sequence[Any]]) -> int:
        """Append rows (in the table's column order) through a CSV file in a private
        temporary directory: far faster than inserting row by row."""
        columns = TABLES[table]
        path = Path(self._tmp.name) / f"{table}.csv"
        count = 0
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
                count += 1
        if count:
            types = ", ".join(f"'{c}': '{t}'" for c, t in columns)
            self.con.execute(
                f"INSERT INTO {table} SELECT * FROM read_csv('{path}', header = false, "
                f"columns = {{{types}}}, nullstr = '', quote = '\"', escape = '\"')"
            )
        path.unlink()
        return count

    def load_file(self, kind: str, path: Path) -> int:
        """An extract from a file instead of the app database (see compliance.extracts)."""
        count = extracts.load(self.con, kind, path)
        self.files.add(kind)
        if kind == "bag":
            self.con.execute(
                "INSERT INTO bag SELECT address_id, UPPER(municipality), postcode, house_number, "
                "house_number_addition, floor_area FROM bag_file"
            )
        elif kind == "registrations":
            self.con.execute(
                "INSERT INTO registrations SELECT pseudonym, address_id, UPPER(municipality), "
                "UPPER(TRIM(register)), start_date, end_date, household FROM registrations_file"
            )
        else:  # guests, at the register location with that BAG address
            self.con.execute(
                "INSERT INTO guests SELECT l.location_id, g.pseudonym, g.arrival, g.departure "
                "FROM guests_file g JOIN (SELECT address_id, MIN(location_id) AS location_id "
                "FROM locations WHERE address_id <> '' GROUP BY address_id) l "
                "ON l.address_id = g.address_id"
            )
        extracts.drop(self.con, kind)
        return count

    def load_norms(self, rows: Iterable[norms.ApplicableNorm]) -> None:
        self.load_rows(
            "applicable",
            (
                (
                    n.norm_id, n.norm_set, n.kind, n.limit, n.window_months,
                    add_months(self.on, -n.window_months) if n.window_months else None,
                    n.severity, n.housing_form, n.certification,
                )
                for n in rows
            ),
        )  # fmt: skip

    def count(self, table: str) -> int:
        return int(self.con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    # -- facts and norms -------------------------------------------------------------------

    def build_facts(self) -> None:
        """One row per location: its data, its occupancy as of the day, whether it has a
        guest register; and the longest stay of any guest per norm window."""
        on = sql_date(self.on)
        news = "CASE WHEN last_departure IS NULL OR last_arrival >= last_departure " \
               "THEN last_arrival ELSE last_departure END"  # fmt: skip
        self.replace_table(
            "facts",
            f"""
            WITH hc AS (
                SELECT location_id, persons, counted_on FROM (
                    SELECT location_id, persons, counted_on, row_number() OVER (
                        PARTITION BY location_id ORDER BY counted_on DESC) AS rn
                    FROM head_counts WHERE counted_on <= {on}) latest WHERE rn = 1),
            reg AS (
                SELECT location_id,
                    SUM(CASE WHEN {active_on(self.on, "arrival", "departure")}
                        THEN 1 ELSE 0 END) AS present,
                    MAX(CASE WHEN arrival <= {on} THEN arrival END) AS last_arrival,
                    MAX(CASE WHEN departure <= {on} THEN departure END) AS last_departure
                FROM guests GROUP BY location_id),
            reg_news AS (SELECT location_id, present, {news} AS news_on FROM reg)
            SELECT l.*, {on} AS checked_on,
                r.news_on IS NOT NULL AS has_register,
                COALESCE(r.news_on IS NOT NULL
                         AND (hc.counted_on IS NULL OR r.news_on > hc.counted_on), FALSE)
                    AS persons_from_register,
                CASE WHEN r.news_on IS NOT NULL
                          AND (hc.counted_on IS NULL OR r.news_on > hc.counted_on)
                     THEN r.present ELSE hc.persons END AS persons
            FROM locations l
            LEFT JOIN hc ON hc.location_id = l.location_id
            LEFT JOIN reg_news r ON r.location_id = l.location_id
        """,
        )
        windows = self.con.execute(
            "SELECT DISTINCT window_months, window_start FROM applicable "
            "WHERE window_months IS NOT NULL"
        ).fetchall()
        parts = [
            f"SELECT location_id, pseudonym, {months} AS window_months, SUM("
            f"{days_within(start, self.on, 'arrival', 'departure')}) AS days FROM guests "
            f"WHERE arrival <= {on} AND (departure IS NULL OR departure > {sql_date(start)}) "
            f"GROUP BY location_id, pseudonym"
            for months, start in windows
        ]
        empty = (
            "SELECT 0 AS location_id, '' AS pseudonym, 0 AS window_months, 0 AS days WHERE 1 = 0"
        )
        self.replace_table("stay_windows", " UNION ALL ".join(parts or [empty]))

    def _evaluation_sql(self) -> str:
        parts = []
        for kind, definition in norms.DEFINITIONS.items():
            parts.append(f"""
                SELECT f.location_id, n.norm_id, {norms.status_sql(definition)} AS status,
                       {norms.value_sql(definition)} AS value
                FROM facts_norm f JOIN applicable n
                  ON n.housing_form = f.housing_form AND n.certification = f.certification
                 AND n.norm_id = f.norm_id
                WHERE n.kind = '{kind}'""")
        return " UNION ALL ".join(parts)

    def evaluate(self, *, everything: bool = False) -> list[Evaluation]:
        """Every norm for every location: only violations, or ``everything`` (the page of
        one location shows which norms were met or could not be checked)."""
        self.replace_table(
            "facts_norm",
            """
            SELECT f.*, n.norm_id,
                   CASE WHEN f.has_register THEN COALESCE(w.longest, 0) END AS longest_stay_days
            FROM facts f JOIN applicable n
              ON n.housing_form = f.housing_form AND n.certification = f.certification
            LEFT JOIN (SELECT location_id, window_months, MAX(days) AS longest
                       FROM stay_windows GROUP BY location_id, window_months) w
              ON w.location_id = f.location_id AND w.window_months = n.window_months
        """,
        )
        wanted = "" if everything else "WHERE e.status = 'violation'"
        rows = self.con.execute(f"""
            SELECT e.location_id, e.norm_id, n.norm_set, n.kind, e.status, e.value,
                   n.limit_value, n.severity, n.window_months, f.persons, f.has_register,
                   f.persons_from_register
            FROM ({self._evaluation_sql()}) e
            JOIN (SELECT DISTINCT norm_id, norm_set, kind, limit_value, severity, window_months
                  FROM applicable) n ON n.norm_id = e.norm_id
            JOIN facts f ON f.location_id = e.location_id
            {wanted} ORDER BY e.location_id, n.kind, n.norm_set
        """).fetchall()
        minimum = register_min_count()
        evaluations = [
            Evaluation(
                loc, norm, norm_set, kind, status, _decimal(value), _decimal(limit),
                severity, window, persons=persons, has_register=bool(has_register),
                small_count=bool(from_register) and persons is not None
                and too_small(int(persons), minimum),
            )
            for (loc, norm, norm_set, kind, status, value, limit, severity, window, persons,
                 has_register, from_register) in rows
        ]  # fmt: skip
        self._explain(e for e in evaluations if e.status == "violation")
        return evaluations

    def _explain(self, violations: Iterable[Evaluation]) -> None:
        wanted = list(violations)
        if not wanted:
            return
        ids = sorted({e.location_id for e in wanted})
        listed = ", ".join(str(int(i)) for i in ids)
        cursor = self.con.execute(f"SELECT * FROM facts WHERE location_id IN ({listed})")
        names = [d[0] for d in cursor.description]
        facts = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
        for e in wanted:
            value = e.value
            if e.kind == NormKind.CONSECUTIVE_STAY and value is not None:
                value = value.quantize(Decimal("0.1"))
            e.explanation = norms.explain(
                e.kind, facts[e.location_id], value, e.limit, e.window_months
            )

    # -- signals ---------------------------------------------------------------------------

    def signals(self, settings: SignalSettings) -> list[FoundSignal]:
        """Signals a-g. Those that need an extract are skipped when it has no rows (no
        registrations would make every guest 'unregistered')."""
        found: list[FoundSignal] = []
        have_registrations = self.count("registrations") > 0
        steps: list[tuple[str, Callable[[SignalSettings], list[FoundSignal]], bool]] = [
            ("a", self._overcrowding, have_registrations and self.count("bag") > 0),
            ("b", self._overstay, True),
            ("c", self._rni_overdue, have_registrations),
            ("d", self._unregistered, have_registrations),
            ("e", self._over_capacity, True),
            ("f", self._certificate, True),
            ("g", self._unlisted, have_registrations),
        ]
        if have_registrations:
            self._address_counts()
        for index, (letter, step, possible) in enumerate(steps):
            if possible:
                found.extend(step(settings))
            self.progress(f"signaal {letter}", round(100 * (index + 1) / len(steps)))
        return found

    def _addresses(self) -> str:
        return "(SELECT address_id, postcode, house_number, house_number_addition FROM bag)"

    @staticmethod
    def _label(postcode: Any, number: Any, addition: Any) -> str:
        return " ".join(str(p) for p in (postcode, f"{number or ''}{addition or ''}") if p).strip()

    def _address_counts(self) -> None:
        """Per address, the persons and the households registered there that night (a person
        without a household key is a household of their own): signals a and g read them.
        Distinct pairs first, then counts: far cheaper than COUNT(DISTINCT) per group."""
        active = active_on(self.on)
        self.replace_table(
            "address_persons",
            f"""
            SELECT address_id, MIN(municipality_code) AS municipality_code, COUNT(*) AS persons
            FROM (SELECT address_id, pseudonym, MIN(municipality_code) AS municipality_code
                  FROM registrations WHERE {active} GROUP BY address_id, pseudonym) p
            GROUP BY address_id""",
        )
        self.replace_table(
            "address_households",
            f"""
            SELECT address_id, COUNT(*) AS households
            FROM (SELECT DISTINCT address_id, COALESCE(NULLIF(household, ''), pseudonym) AS h
                  FROM registrations WHERE {active}) h
            GROUP BY address_id""",
        )

    def _overcrowding(self, s: SignalSettings) -> list[FoundSignal]:
        rows = self.con.execute(f"""
            SELECT b.address_id, b.municipality_code, b.floor_area, r.persons, b.postcode,
                   b.house_number, b.house_number_addition
            FROM bag b JOIN address_persons r ON r.address_id = b.address_id
            WHERE r.persons >= 2 AND b.floor_area / r.persons < {s.floor_area_per_person}
        """).fetchall()
        out = []
        for address_id, municipality, area, persons, postcode, number, addition in rows:
            per_person = area / persons
            limit = float(s.floor_area_per_person)
            out.append(FoundSignal(
                SignalKind.OVERCROWDING, f"overcrowding:{address_id}", municipality,
                _score((limit - per_person) / limit * 2),
                f"{norms.dutch(area)} m² voor {persons} ingeschreven personen "
                f"({norms.dutch(per_person)} m² per persoon): signaalgrens "
                f"{norms.dutch(limit)} m² per persoon",
                address_id=address_id, address=self._label(postcode, number, addition),
                details={"floor_area": area, "persons": persons},
            ))  # fmt: skip
        return out

    def _overstay(self, s: SignalSettings) -> list[FoundSignal]:
        rows = self.con.execute(f"""
            SELECT f.location_id, f.municipality_code, f.name, f.address_id, w.pseudonym,
                   w.days, n.limit_value, n.window_months
            FROM facts f
            JOIN (SELECT housing_form, certification, window_months, MIN(limit_value) AS limit_value
                  FROM applicable WHERE kind = '{NormKind.CONSECUTIVE_STAY}'
                  GROUP BY housing_form, certification, window_months) n
              ON n.housing_form = f.housing_form AND n.certification = f.certification
            JOIN stay_windows w ON w.location_id = f.location_id
                               AND w.window_months = n.window_months
            WHERE f.stay_class = 'short' AND w.days > n.limit_value * {norms.MONTH_DAYS}
        """).fetchall()
        best: dict[str, FoundSignal] = {}
        for loc, municipality, name, address_id, person, days, limit, window in rows:
            months = Decimal(days) / norms.MONTH_DAYS
            key = f"overstay:{loc}:{person}"
            signal = FoundSignal(
                SignalKind.OVERSTAY, key, municipality,
                _score((float(months) - limit) / limit),
                f"gast verbleef {norms.dutch(months)} maanden in de laatste {window} maanden "
                f"op short-stay-locatie {name}: max. {norms.dutch(limit)} maanden",
                location_id=loc, address_id=address_id or "", address=name, pseudonym=person,
                details={"days": int(days), "window_months": int(window)},
            )  # fmt: skip
            if key not in best or signal.score > best[key].score:
                best[key] = signal
        return list(best.values())

    def _rni_overdue(self, s: SignalSettings) -> list[FoundSignal]:
        first = add_months(self.on, -s.rni_window_months)
        limit_days = float(s.rni_max_months * norms.MONTH_DAYS)
        rows = self.con.execute(f"""
            SELECT r.pseudonym, r.address_id, r.municipality_code, r.days,
                   a.postcode, a.house_number, a.house_number_addition
            FROM (
                SELECT pseudonym, address_id, MIN(municipality_code) AS municipality_code,
                       SUM({days_within(first, self.on, "start_date", "end_date")}) AS days,
                       MAX(CASE WHEN {active_on(self.on)} THEN 1 ELSE 0 END) AS still
                FROM registrations
                WHERE register = 'RNI' AND start_date <= {sql_date(self.on)}
                  AND (end_date IS NULL OR end_date > {sql_date(first)})
                GROUP BY pseudonym, address_id) r
            LEFT JOIN {self._addresses()} a ON a.address_id = r.address_id
            WHERE r.still = 1 AND r.days > {limit_days}
              AND NOT EXISTS (SELECT 1 FROM registrations b
                              WHERE b.pseudonym = r.pseudonym AND b.register = 'BRP'
                                AND {active_on(self.on, "b.start_date", "b.end_date")})
        """).fetchall()
        return [
            FoundSignal(
                SignalKind.RNI_OVERDUE, f"rni_overdue:{address_id}:{person}", municipality,
                _score((days - limit_days) / limit_days * 2),
                f"{norms.dutch(Decimal(days) / norms.MONTH_DAYS)} maanden in de RNI op dit adres "
                f"binnen {s.rni_window_months} maanden (max. {s.rni_max_months}): "
                f"hoort ingeschreven te staan in de BRP",
                address_id=address_id, address=self._label(postcode, number, addition),
                pseudonym=person, details={"days": int(days)},
            )
            for person, address_id, municipality, days, postcode, number, addition in rows
        ]  # fmt: skip

    def _unregistered(self, s: SignalSettings) -> list[FoundSignal]:
        rows = self.con.execute(f"""
            SELECT f.location_id, f.municipality_code, f.name, f.address_id,
                   COUNT(*) AS guests, SUM(CASE WHEN r.pseudonym IS NULL THEN 0 ELSE 1 END)
            FROM facts f
            JOIN guests g ON g.location_id = f.location_id
            LEFT JOIN (SELECT DISTINCT pseudonym, address_id FROM registrations
                       WHERE {active_on(self.on)}
                         AND address_id IN (SELECT address_id FROM locations)) r
              ON r.pseudonym = g.pseudonym AND r.address_id = f.address_id
            WHERE f.address_id <> '' AND {active_on(self.on, "g.arrival", "g.departure")}
            GROUP BY f.location_id, f.municipality_code, f.name, f.address_id
            HAVING COUNT(*) >= {s.min_guests}
        """).fetchall()
        out = []
        minimum = float(s.registration_rate_min)
        for loc, municipality, name, address_id, guests, registered in rows:
            rate = registered / guests
            if rate >= minimum:
                continue
            out.append(FoundSignal(
                SignalKind.UNREGISTERED, f"unregistered:{loc}", municipality,
                _score((minimum - rate) / minimum if minimum else 1.0),
                f"{registered} van {guests} gasten van {name} staan op dit adres ingeschreven "
                f"(registratiegraad {round(100 * rate)}%, signaalgrens {round(100 * minimum)}%)",
                location_id=loc, address_id=address_id, address=name,
                details={"guests": guests, "registered": registered},
            ))  # fmt: skip
        return out

    def _over_capacity(self, s: SignalSettings) -> list[FoundSignal]:
        rows = self.con.execute(
            "SELECT location_id, municipality_code, name, address_id, persons, capacity "
            "FROM facts WHERE persons > capacity"
        ).fetchall()
        return [
            FoundSignal(
                SignalKind.OVER_CAPACITY, f"over_capacity:{loc}", municipality,
                _score((persons - capacity) / max(capacity, 1)),
                f"{persons} bewoners in {name} bij een capaciteit van {capacity}",
                location_id=loc, address_id=address_id or "", address=name,
                details={"persons": persons, "capacity": capacity},
            )
            for loc, municipality, name, address_id, persons, capacity in rows
        ]  # fmt: skip

    def _certificate(self, s: SignalSettings) -> list[FoundSignal]:
        rows = self.con.execute(f"""
            SELECT location_id, municipality_code, name, address_id, certification,
                   certificate_valid_until FROM facts
            WHERE certification NOT IN ('snf', 'akf')
               OR certificate_valid_until < {sql_date(self.on)}
        """).fetchall()
        out = []
        for loc, municipality, name, address_id, certification, until in rows:
            if certification in ("snf", "akf"):
                overdue = (self.on - until).days
                score = Decimal(60 + min(40, round(40 * overdue / 365)))
                text = f"keurmerk {certification.upper()} van {name} verlopen op {until:%d-%m-%Y}"
            else:
                score, text = Decimal(50), f"{name} heeft geen keurmerk (SNF of AKF)"
            out.append(FoundSignal(
                SignalKind.CERTIFICATE, f"certificate:{loc}", municipality, score, text,
                location_id=loc, address_id=address_id or "", address=name,
                details={"certification": certification,
                         "valid_until": until.isoformat() if until else None},
            ))  # fmt: skip
        return out

    def _unlisted(self, s: SignalSettings) -> list[FoundSignal]:
        rows = self.con.execute(f"""
            SELECT r.address_id, r.municipality_code, r.households, r.persons,
                   a.postcode, a.house_number, a.house_number_addition
            FROM (
                SELECT p.address_id, p.municipality_code, h.households, p.persons
                FROM address_persons p JOIN address_households h ON h.address_id = p.address_id
                WHERE NOT EXISTS (SELECT 1 FROM register_addresses x
                                  WHERE x.address_id = p.address_id)) r
            LEFT JOIN {self._addresses()} a ON a.address_id = r.address_id
            WHERE r.households >= {s.unrelated_households}
        """).fetchall()
        minimum = s.unrelated_households
        return [
            FoundSignal(
                SignalKind.UNLISTED, f"unlisted:{address_id}", municipality,
                _score((households - minimum) / minimum),
                f"{persons} personen uit {households} huishoudens ingeschreven op een adres "
                f"dat niet in het huisvestingsregister staat (signaalgrens {minimum})",
                address_id=address_id, address=self._label(postcode, number, addition),
                details={"households": households, "persons": persons},
            )
            for address_id, municipality, households, persons, postcode, number, addition in rows
        ]  # fmt: skip
