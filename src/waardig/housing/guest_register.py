"""Import of an operator's guest register ("nachtregister") of one location (docs/housing.md).

Person-level data, so the importer is ``personal``: ``read`` drops every column but the three
it needs (names never get past it), ``validate`` replaces the identifier by its pseudonym
(housing.pseudonyms) before anything is kept, no message quotes a cell, and the upload is
deleted once the import is done (core.imports.jobs).
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core.access import scope
from waardig.core.dates import parse_date
from waardig.core.imports import Column, Importer, Item, Option, RowError, RowErrors
from waardig.core.imports.base import refusal_message
from waardig.core.imports.readers import Table, read_table
from waardig.core.numbers import digits
from waardig.housing import pseudonyms, rules, services
from waardig.housing.importers import date_help
from waardig.housing.models import GuestStay, Location

GUEST_COLUMNS = (
    Column(
        "person_id",
        help=gettext_lazy(
            "Nummer waarmee het register de persoon aanduidt (bijvoorbeeld documentnummer of "
            "BSN); wordt bij het inlezen vervangen door een pseudoniem en nooit bewaard"
        ),
    ),
    Column("arrival", help=date_help(gettext_lazy("Datum van aankomst"))),
    Column(
        "departure",
        False,
        date_help(gettext_lazy("Datum van vertrek; leeg als de persoon er nog is")),
    ),
)
GUEST_COLUMN_NAMES = frozenset(c.name for c in GUEST_COLUMNS)


MAX_SPREADSHEET_DIGITS = 15
LOOKUP_BATCH = 1000


def _first_clash(
    item: Item, stored: list[rules.Stay], given: dict[tuple, datetime.date]
) -> datetime.date | None:
    """The arrival of the first stored stay of the person (another one than this) that shares
    a night with the item's stay, taking a departure the file gives for it."""
    new = rules.Stay(item.values["arrival"], item.values["departure"])
    pseudonym = item.values["pseudonym"]
    for known in stored:
        if known.arrival == new.arrival:
            continue  # the same stay: its departure may be added or corrected
        departure = given.get((pseudonym, known.arrival), known.departure)
        if rules.overlap(new, rules.Stay(known.arrival, departure)):
            return known.arrival
    return None


class GuestRegisterImporter(Importer):
    """An operator's guest register of one location: stays (pseudonym, arrival, departure).

    A stay is known by its pseudonym and arrival: the same register again changes nothing,
    a later one may add (or correct) the departure; an empty departure never erases one.
    """

    kind = "guest-register"
    label = gettext_lazy("Nachtregister")
    model = GuestStay
    columns = GUEST_COLUMNS
    options = (Option("location", gettext_lazy("nummer van de locatie"), required=True),)
    personal = True
    spreadsheet = False  # set by ``read``: numbers in a spreadsheet lose digits past 15

    def read(self, data: bytes, filename: str) -> Table:
        """Only the three columns read here go on; names and whatever else an operator's
        system exports are dropped at the door."""
        table = read_table(data, filename)
        self.spreadsheet = not filename.lower().endswith((".csv", ".txt"))
        kept = [c for c in table.columns if c in GUEST_COLUMN_NAMES]
        table.rows = [(row, {c: values[c] for c in kept}) for row, values in table.rows]
        table.columns = kept
        return table

    def prepare(self) -> None:
        text = str(self.options.get("location", "")).strip()
        location = None
        if digits(text):
            location = Location.objects.select_related("municipality").filter(pk=text).first()
        # An unknown location and one of another municipality answer alike.
        if location is None or not services.may_keep_guest_register(self.actor, location):
            raise RowError("location", _("Kies een locatie waarvan u het nachtregister bijhoudt."))
        self.location = location
        self.today = timezone.localdate()

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        identifier = values.get("person_id", "").strip()
        try:
            pseudonym = pseudonyms.pseudonym(identifier)
        except ValueError:
            pseudonym = ""
            errors.add("person_id", _("Verplicht veld is leeg."))
        if self.spreadsheet and identifier.isdigit() and len(identifier) > MAX_SPREADSHEET_DIGITS:
            # A spreadsheet keeps 15 digits of a number: the rest may be another person's.
            errors.add(
                "person_id",
                _("Een nummer van meer dan 15 cijfers is in een spreadsheet onbetrouwbaar: "
                  "maak van de kolom tekst."),
            )  # fmt: skip
        arrival = self._date(values, "arrival", errors, required=True)
        departure = self._date(values, "departure", errors)
        if arrival and arrival > self.today:
            errors.add("arrival", _("Deze datum ligt in de toekomst."))
        if departure and departure > self.today:
            # A register records who left; a planned departure would let the register
            # outrank every later head count until that day.
            errors.add("departure", _("Deze datum ligt in de toekomst."))
        if arrival and departure and departure < arrival:
            errors.add("departure", _("Vertrek ligt voor aankomst."))
        errors.raise_if_any()
        return Item(
            row=row,
            key=(pseudonym, arrival),
            label=_("persoon %(person)s…: %(arrival)s – %(departure)s")
            % {"person": pseudonym[:8], "arrival": arrival, "departure": departure or "…"},
            values={"pseudonym": pseudonym, "arrival": arrival, "departure": departure},
        )

    @staticmethod
    def _date(
        values: dict[str, str], column: str, errors: RowErrors, *, required: bool = False
    ) -> datetime.date | None:
        """A date, with a message that does not quote the cell: in a shifted row it may hold
        the identifier."""
        text = values.get(column, "").strip()
        if not text:
            if required:
                errors.add(column, _("Verplicht veld is leeg."))
            return None
        try:
            return parse_date(text)
        except ValueError:
            errors.add(column, _("Geen datum (JJJJ-MM-DD of DD-MM-JJJJ)."))
            return None

    def cross_check(self, items: list[Item]) -> list[tuple[int, str, str]]:
        """One person cannot stay twice at a time: overlapping stays in the file are errors."""
        stays: dict[str, list[Item]] = {}
        for item in items:
            stays.setdefault(item.values["pseudonym"], []).append(item)
        problems = []
        for own in stays.values():
            own.sort(key=lambda i: i.values["arrival"])
            for before, after in itertools.pairwise(own):
                left = before.values["departure"]
                if left is None or left > after.values["arrival"]:
                    problems.append(
                        (
                            after.row,
                            "arrival",
                            _("Overlapt met het verblijf van dezelfde persoon op regel %(row)s.")
                            % {"row": before.row},
                        )
                    )
        problems.extend(self._overlaps_with_stored(items))
        return sorted(problems)

    def _overlaps_with_stored(self, items: list[Item]) -> list[tuple[int, str, str]]:
        """A new stay (another arrival) that overlaps one already stored for that person: a
        corrected arrival date would otherwise count the person twice."""
        stored = self._stored_stays({item.values["pseudonym"] for item in items})
        # A departure given in this file for a stored stay is what counts for that stay.
        given = {item.key: item.values["departure"] for item in items if item.values["departure"]}
        problems = []
        for item in items:
            if clash := _first_clash(item, stored.get(item.values["pseudonym"], []), given):
                problems.append((item.row, "arrival", _(
                    "Overlapt met een eerder ingelezen verblijf van dezelfde persoon "
                    "(aankomst %(day)s). Is het hetzelfde verblijf? Gebruik dan de "
                    "eerder ingelezen aankomstdatum."
                ) % {"day": clash.strftime("%d-%m-%Y")}))  # fmt: skip
        return problems

    def _stored_stays(self, pseudonyms: set[str]) -> dict[str, list[rules.Stay]]:
        """The location's stored stays of these persons, looked up a batch at a time."""
        ordered, stored = sorted(pseudonyms), defaultdict(list)
        for start in range(0, len(ordered), LOOKUP_BATCH):
            rows = GuestStay.objects.filter(
                location=self.location, pseudonym__in=ordered[start : start + LOOKUP_BATCH]
            ).values_list("pseudonym", "arrival", "departure")
            for pseudonym, arrival, departure in rows:
                stored[pseudonym].append(rules.Stay(arrival, departure))
        return stored

    def plan_batch(self, items: list[Item]) -> None:
        stored = scope(self.actor, GuestStay.objects.filter(location=self.location)).filter(
            pseudonym__in={item.values["pseudonym"] for item in items}
        )
        known = {(s.pseudonym, s.arrival): s.departure for s in stored}
        for item in items:
            if item.key not in known:
                item.action = "created"
            elif item.values["departure"] in (None, known[item.key]):
                item.action = "unchanged"
            else:
                item.action = "updated"

    def write_batch(self, items: list[Item]) -> list[tuple[int, str]]:
        stays = [(i.values["pseudonym"], i.values["arrival"], i.values["departure"]) for i in items]
        try:
            services.record_guest_stays(
                self.actor,
                self.location,
                stays,
                job=self.job,
            )
        except (ValidationError, PermissionDenied) as exc:
            return [(items[0].row, refusal_message(exc))]
        return []
