"""Import of an operator's guest register ("nachtregister") of one location (docs/housing.md).

Person-level data, so the importer is ``personal``: ``read`` drops every column but the three
it needs (names never get past it), ``validate`` replaces the identifier by its pseudonym
(housing.pseudonyms) before anything is kept, no message quotes a cell, and the upload is
deleted once the import is done (core.imports.jobs).
"""

from __future__ import annotations

import datetime
import itertools

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.core.access import scope
from waardig.core.dates import parse_date
from waardig.core.imports import Column, Importer, Item, Option, RowError, RowErrors
from waardig.core.imports.base import refusal_message
from waardig.core.imports.readers import Table, read_table
from waardig.housing import pseudonyms, services
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

    def read(self, data: bytes, filename: str) -> Table:
        """Only the three columns read here go on; names and whatever else an operator's
        system exports are dropped at the door."""
        table = read_table(data, filename)
        kept = [c for c in table.columns if c in GUEST_COLUMN_NAMES]
        table.rows = [(row, {c: values[c] for c in kept}) for row, values in table.rows]
        table.columns = kept
        return table

    def prepare(self) -> None:
        text = str(self.options.get("location", "")).strip()
        location = None
        if text.isdigit():
            location = Location.objects.select_related("municipality").filter(pk=text).first()
        # An unknown location and one of another municipality answer alike.
        if location is None or not services.may_keep_guest_register(self.actor, location):
            raise RowError("location", _("Kies een locatie waarvan u het nachtregister bijhoudt."))
        self.location = location
        self.today = timezone.localdate()

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        try:
            pseudonym = pseudonyms.pseudonym(values.get("person_id", ""))
        except ValueError:
            pseudonym = ""
            errors.add("person_id", _("Verplicht veld is leeg."))
        arrival = self._date(values, "arrival", errors, required=True)
        departure = self._date(values, "departure", errors)
        if arrival and arrival > self.today:
            errors.add("arrival", _("Deze datum ligt in de toekomst."))
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
        return sorted(problems)

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
                job=self.job if getattr(self.job, "pk", None) else None,
            )
        except (ValidationError, PermissionDenied) as exc:
            return [(items[0].row, refusal_message(exc))]
        return []
