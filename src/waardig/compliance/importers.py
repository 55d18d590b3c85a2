"""Imports of the registration extracts (docs/compliance.md): BAG addresses with their floor
area, and registrations of persons at addresses (BRP and RNI), from CSV, XLSX or Parquet.

The columns are those the scan reads from files (compliance.extracts.SCHEMAS), so one
extract serves both: imported here for the web page's scans, or read by ``waardig scan``
directly. Other columns are dropped when the file is read: an extract from the BRP brings
names and birth dates that never get past ``read``.

Registrations are person-level data, so that importer is ``personal``: ``validate`` replaces
the person and the household by their keyed pseudonyms (housing.pseudonyms, the same hash as
the guest registers, so a person links across both) before anything is kept; no label or
message quotes a cell; the upload is deleted once the job is done (core.imports.jobs).

Both upsert on their natural keys (the address; person, address, register and start), so the
same file again changes nothing. An optional column left out of the file leaves what is
stored alone; a column given but empty empties it. A user imports only rows of municipalities
they may change (the model's access policy); a row of another municipality is an error and
nothing is written.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas.models import Municipality
from waardig.compliance.models import BagAddress, Register, Registration
from waardig.core import audit
from waardig.core.access import CHANGE, allowed_municipality_ids, may
from waardig.core.dates import parse_date
from waardig.core.imports import Column, Importer, Item, RowError, RowErrors
from waardig.core.imports.readers import Table, extension, read_table
from waardig.core.numbers import digits
from waardig.housing import rules
from waardig.housing.guest_register import MAX_SPREADSHEET_DIGITS
from waardig.housing.importers import candidate, date_help
from waardig.housing.pseudonyms import pseudonym

LOOKUP_BATCH = 1000
ADDRESS_DIGITS = 16
PSEUDONYM_TEXT = re.compile(r"[0-9a-f]{64}")

ADDRESS_ID = Column(
    "address_id",
    help=gettext_lazy(
        "BAG-id van het adres (nummeraanduiding): 16 cijfers; in een spreadsheet als tekst"
    ),
)
MUNICIPALITY = Column(
    "municipality", help=gettext_lazy("CBS-code (GM0983) of naam van de gemeente")
)
BAG_COLUMNS = (
    ADDRESS_ID,
    MUNICIPALITY,
    Column("postcode", False, gettext_lazy("Postcode, zoals 5911 AB")),
    Column("house_number", False, gettext_lazy("Huisnummer")),
    Column("house_number_addition", False, gettext_lazy("Huisletter of toevoeging")),
    Column(
        "floor_area",
        help=gettext_lazy("Gebruiksoppervlakte in m², afgerond op hele m²"),
    ),
    Column("purpose", False, gettext_lazy("Gebruiksdoel, zoals woonfunctie")),
)
PERSON, PSEUDONYM = "person", "pseudonym"
REGISTRATION_COLUMNS = (
    Column(
        PERSON,
        help=gettext_lazy(
            "Nummer van de persoon (BSN of ander nummer); wordt bij het inlezen vervangen "
            "door een pseudoniem en nooit bewaard. Mag ontbreken als er een kolom "
            "pseudonym is"
        ),
    ),
    Column(
        PSEUDONYM,
        False,
        gettext_lazy(
            "In plaats van person: het pseudoniem zelf (64 tekens 0-9 en a-f), zoals "
            "'waardig synth --pseudonymise' het schrijft"
        ),
    ),
    ADDRESS_ID,
    MUNICIPALITY,
    Column("register", help=gettext_lazy("BRP of RNI")),
    Column("start_date", help=date_help(gettext_lazy("Datum van inschrijving"))),
    Column(
        "end_date",
        False,
        date_help(gettext_lazy("Datum van uitschrijving; leeg als de persoon er nog staat")),
    ),
    Column(
        "household",
        False,
        gettext_lazy(
            "Sleutel van het huishouden: personen met dezelfde sleutel tellen als één "
            "huishouden; wordt gepseudonimiseerd"
        ),
    ),
)


class ExtractImporter(Importer):
    """What the two extracts share: only the declared columns get past ``read``; the
    municipality by code or name, limited to those the user may change; lookups and writes
    a batch at a time."""

    formats = ("csv", "xlsx", "parquet")
    model: ClassVar[type[models.Model]]
    fields: ClassVar[tuple[str, ...]]
    """The stored fields a row sets (besides the key), by their column in ``COLUMN_OF``."""
    spreadsheet = False

    def read(self, data: bytes, filename: str) -> Table:
        table = read_table(data, filename)
        self.spreadsheet = extension(filename) == "xlsx"
        names = {c.name for c in self.columns}
        kept = [c for c in table.columns if c in names]
        table.rows = [(row, {c: values[c] for c in kept}) for row, values in table.rows]
        table.columns = kept
        self.given = frozenset(kept)
        return table

    def prepare(self) -> None:
        if not may(self.actor, CHANGE, self.model):
            raise RowError(
                "",
                _("U mag %(what)s niet inlezen.") % {"what": self.model._meta.verbose_name_plural},
            )
        self.today = timezone.localdate()
        every = sorted(Municipality.objects.all(), key=lambda m: m.is_valid_on(self.today))
        self.municipalities = {m.name.casefold(): m for m in every}  # today's name wins
        self.municipalities |= {m.code.casefold(): m for m in every}
        self.allowed = allowed_municipality_ids(self.actor, self.model, CHANGE)

    # -- cells (no message quotes a cell: in a shifted row it may hold a person's number) --

    def text(
        self, values: dict[str, str], column: str, errors: RowErrors, required: bool = False
    ) -> str:
        text = values.get(column, "").strip()
        if required and not text:
            errors.add(column, _("Verplicht veld is leeg."))
        return text

    def address_id(self, values: dict[str, str], errors: RowErrors) -> str:
        text = self.text(values, "address_id", errors, required=True)
        if text and not (digits(text) and len(text) == ADDRESS_DIGITS):
            errors.add(
                "address_id",
                _("Een BAG-id van een adres is 16 cijfers (in een spreadsheet: als tekst)."),
            )
            return ""
        return text

    def date(
        self, values: dict[str, str], column: str, errors: RowErrors, required: bool = False
    ) -> datetime.date | None:
        text = self.text(values, column, errors, required=required)
        if not text:
            return None
        try:
            day = parse_date(text)
        except ValueError:
            errors.add(column, _("Geen datum (JJJJ-MM-DD of DD-MM-JJJJ)."))
            return None
        if day and day > self.today:
            errors.add(column, _("Deze datum ligt in de toekomst."))
        return day

    def municipality(
        self,
        values: dict[str, str],
        errors: RowErrors,
        first: datetime.date,
        last: datetime.date,
    ) -> Municipality | None:
        """The row's municipality, if the user may change its data and it existed at some
        time from ``first`` to ``last``."""
        text = self.text(values, "municipality", errors, required=True)
        if not text:
            return None
        found = self.municipalities.get(text.casefold())
        if found is None:
            errors.add("municipality", _("Onbekende gemeente (geef de CBS-code of de naam)."))
            return None
        if self.allowed is not None and found.pk not in self.allowed:
            errors.add(
                "municipality",
                _("U mag de gegevens van %(name)s niet wijzigen.") % {"name": found.name},
            )
            return None
        if (found.valid_from and found.valid_from > last) or (
            found.valid_to and found.valid_to < first
        ):
            message = _("%(name)s bestond toen niet.") % {"name": found.name}
            successor = found.final_successor()
            if successor != found:
                message += " " + _("Bedoelt u %(name)s?") % {"name": successor.name}
            errors.add("municipality", message)
            return None
        return found

    def checked(self, values: dict[str, Any], errors: RowErrors) -> None:
        """The model's own rules (lengths, ranges) at their columns, for the fields that have
        no error of their own yet (Django's messages for those would quote the cell)."""
        failed = {FIELD_OF.get(e.column, e.column) for e in errors.errors}
        try:
            candidate(self.model, None, values).clean_fields(
                exclude={"municipality", "import_job", *failed}
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.add(COLUMN_OF.get(field, field), message)

    # -- comparing and writing a batch ---------------------------------------------------------

    def stored(self, items: list[Item]) -> dict[tuple, Any]:
        raise NotImplementedError

    def given_fields(self) -> list[str]:
        """The fields the file sets: an optional column left out leaves its field alone."""
        return [f for f in self.fields if COLUMN_OF.get(f, f) in self.given]

    def plan_batch(self, items: list[Item]) -> None:
        stored = self.stored(items)
        fields = self.given_fields()
        for item in items:
            existing = stored.get(item.key)
            item.extra["existing"] = existing
            if existing is None:
                item.action = "created"
            elif any(getattr(existing, _attname(f)) != _raw(item.values[f]) for f in fields):
                item.action = "updated"
            else:
                item.action = "unchanged"

    def write_batch(self, items: list[Item]) -> list[tuple[int, str]]:
        new, changed = [], []
        fields = self.given_fields()
        for item in items:
            existing = item.extra["existing"]
            if existing is None:
                new.append(self.model(**item.values, import_job=self.job))
                continue
            for field in fields:
                setattr(existing, field, item.values[field])
            existing.import_job = self.job
            changed.append(existing)
        self.model.objects.bulk_create(new, batch_size=LOOKUP_BATCH)
        self.model.objects.bulk_update(changed, [*fields, "import_job"], batch_size=LOOKUP_BATCH)
        return []

    def foreign(self, items: list[Item], lookup: str) -> set[Any]:
        """Keys (``lookup`` values) of stored rows of municipalities the user may not change:
        a row of the file may not take them over."""
        if self.allowed is None:
            return set()
        keys = sorted({item.values[lookup] for item in items})
        found: set[Any] = set()
        for start in range(0, len(keys), LOOKUP_BATCH):
            found |= set(
                self.model.objects.filter(**{f"{lookup}__in": keys[start : start + LOOKUP_BATCH]})
                .exclude(municipality_id__in=self.allowed)
                .values_list(lookup, flat=True)
            )
        return found


COLUMN_OF = {"start": "start_date", "end": "end_date"}
"""Columns named otherwise than their field."""
FIELD_OF = {"start_date": "start", "end_date": "end", PERSON: "pseudonym"}


def _attname(field: str) -> str:
    return "municipality_id" if field == "municipality" else field


def _raw(value: Any) -> Any:
    return value.pk if isinstance(value, Municipality) else value


class BagImporter(ExtractImporter):
    """BAG addresses with their floor area (gebruiksoppervlakte): the surface of signal a."""

    kind = "bag"
    label = gettext_lazy("BAG-adressen met oppervlakte")
    model = BagAddress
    columns = BAG_COLUMNS
    fields = (
        "municipality", "postcode", "house_number", "house_number_addition", "floor_area",
        "purpose",
    )  # fmt: skip

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        address_id = self.address_id(values, errors)
        municipality = self.municipality(values, errors, self.today, self.today)
        postcode = self.text(values, "postcode", errors)
        if postcode and not rules.valid_postcode(postcode):
            errors.add(
                "postcode", _("Een postcode is vier cijfers en twee letters, zoals 5911 AB.")
            )
        house_number = None
        if number := self.text(values, "house_number", errors):
            if digits(number):
                house_number = int(number)
            else:
                errors.add("house_number", _("Geef een geheel getal van 0 of meer."))
        floor_area = self.floor_area(values, errors)
        data = {
            "address_id": address_id,
            "municipality": municipality,
            "postcode": rules.normal_postcode(postcode),
            "house_number": house_number,
            "house_number_addition": self.text(values, "house_number_addition", errors),
            "floor_area": floor_area,
            "purpose": self.text(values, "purpose", errors),
        }
        self.checked(data, errors)
        errors.raise_if_any()
        number = f"{house_number or ''}{data['house_number_addition']}"
        return Item(
            row=row,
            key=(address_id,),
            label=f"{address_id} {data['postcode']} {number}".strip() + f": {floor_area} m²",
            values=data,
        )

    def floor_area(self, values: dict[str, str], errors: RowErrors) -> int | None:
        text = self.text(values, "floor_area", errors, required=True)
        if not text:
            return None
        try:
            area = Decimal(text.replace(",", "."))
        except ArithmeticError:
            area = Decimal("NaN")
        if not area.is_finite() or area < 1:
            errors.add("floor_area", _("Geef de oppervlakte in m², minimaal 1."))
            return None
        return int(area.quantize(Decimal(1), ROUND_HALF_UP))

    def cross_check(self, items: list[Item]) -> list[tuple[int, str, str]]:
        foreign = self.foreign(items, "address_id")
        message = _("Dit adres staat op naam van een gemeente waarvan u de gegevens niet mag "
                    "wijzigen.")  # fmt: skip
        return [(i.row, "address_id", message) for i in items if i.values["address_id"] in foreign]

    def stored(self, items: list[Item]) -> dict[tuple, Any]:
        keys = [item.values["address_id"] for item in items]
        return {(a.address_id,): a for a in BagAddress.objects.filter(address_id__in=keys)}


class RegistrationImporter(ExtractImporter):
    """Registrations of persons at addresses, from the BRP and the RNI, pseudonymised."""

    kind = "registrations"
    label = gettext_lazy("Inschrijvingen (BRP en RNI)")
    model = Registration
    columns = REGISTRATION_COLUMNS
    personal = True
    fields = ("municipality", "end", "household")

    def read(self, data: bytes, filename: str) -> Table:
        table = super().read(data, filename)
        if PSEUDONYM in table.columns and PERSON not in table.columns:
            table.columns.append(PERSON)  # a file of pseudonyms needs no person column
        return table

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        person = self.person(values, errors)
        address_id = self.address_id(values, errors)
        register = self.text(values, "register", errors, required=True).upper()
        if register and register not in Register.values:
            errors.add("register", _("Kies BRP of RNI."))
        start = self.date(values, "start_date", errors, required=True)
        end = self.date(values, "end_date", errors)
        if start and end and end < start:
            errors.add("end_date", _("De uitschrijving ligt voor de inschrijving."))
        first = start or self.today
        municipality = self.municipality(values, errors, first, max(end or self.today, first))
        household = ""
        if text := self.text(values, "household", errors):
            try:
                household = pseudonym(text)
            except ValueError:
                errors.add("household", _("Een sleutel heeft letters of cijfers."))
        data = {
            "pseudonym": person,
            "address_id": address_id,
            "municipality": municipality,
            "register": register,
            "start": start,
            "end": end,
            "household": household,
        }
        self.checked(data, errors)
        errors.raise_if_any()
        return Item(
            row=row,
            key=(person, address_id, register, start),
            label=_("persoon %(person)s…: %(register)s in %(municipality)s, %(start)s – %(end)s")
            % {
                "person": person[:8],
                "register": register,
                "municipality": municipality.name,
                "start": start,
                "end": end or "…",
            },
            values=data,
        )

    def person(self, values: dict[str, str], errors: RowErrors) -> str:
        """The pseudonym of the row's person; the clear identifier goes no further."""
        identifier = values.get(PERSON, "").strip()
        given = values.get(PSEUDONYM, "").strip()
        if given and identifier:
            errors.add(PSEUDONYM, _("Geef person of pseudonym, niet allebei."))
            return ""
        if given:
            if not PSEUDONYM_TEXT.fullmatch(given):
                errors.add(PSEUDONYM, _("Een pseudoniem is 64 tekens 0-9 en a-f."))
                return ""
            return given
        if self.spreadsheet and identifier.isdigit() and len(identifier) > MAX_SPREADSHEET_DIGITS:
            # A spreadsheet keeps 15 digits of a number: the rest may be another person's.
            errors.add(
                PERSON,
                _("Een nummer van meer dan 15 cijfers is in een spreadsheet onbetrouwbaar: "
                  "maak van de kolom tekst."),
            )  # fmt: skip
            return ""
        try:
            return pseudonym(identifier)
        except ValueError:
            errors.add(PERSON, _("Verplicht veld is leeg."))
            return ""

    def cross_check(self, items: list[Item]) -> list[tuple[int, str, str]]:
        if self.allowed is None:
            return []
        foreign: set[tuple] = set()
        persons = sorted({item.values["pseudonym"] for item in items})
        for start in range(0, len(persons), LOOKUP_BATCH):
            foreign |= {
                (r.pseudonym, r.address_id, r.register, r.start)
                for r in Registration.objects.filter(
                    pseudonym__in=persons[start : start + LOOKUP_BATCH]
                ).exclude(municipality_id__in=self.allowed)
            }
        message = _("Deze inschrijving staat op naam van een gemeente waarvan u de gegevens "
                    "niet mag wijzigen.")  # fmt: skip
        return [(i.row, "municipality", message) for i in items if i.key in foreign]

    def stored(self, items: list[Item]) -> dict[tuple, Any]:
        persons = {item.values["pseudonym"] for item in items}
        return {
            (r.pseudonym, r.address_id, r.register, r.start): r
            for r in Registration.objects.filter(pseudonym__in=persons)
        }

    def finish(self, result: Any) -> None:
        """One audit entry for the municipalities whose registrations changed (the job's
        own entry records the upload)."""
        if not (result.created or result.updated):
            return
        codes = (
            Registration.objects.filter(import_job=self.job)
            .values_list("municipality__code", flat=True)
            .distinct()
            if self.job is not None
            else []
        )
        audit.record(
            self.actor,
            "change",
            "inschrijvingen",
            detail=f"{result.created} nieuw, {result.updated} gewijzigd",
            municipality_codes=list(codes),
        )
