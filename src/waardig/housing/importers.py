"""Imports of the housing register (docs/housing.md lists every column).

Four tables: locations, projects, housing need from research and the policy inventory. Codes
or Dutch labels are accepted for every choice, dates as JJJJ-MM-DD or DD-MM-JJJJ; an optional
column left out of the file leaves what is stored alone, a column given but empty empties it.
A user imports only rows of municipalities they may change: a foreign row is an error at its
municipality column and nothing is written.

The guest register (person-level data) has its own module: housing.guest_register.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas.models import Municipality
from waardig.core.access import CHANGE, allowed_municipality_ids
from waardig.core.dates import parse_date
from waardig.core.imports import Column, Importer, Item, RowErrors, SkipRow
from waardig.core.numbers import digits
from waardig.housing import rules, services
from waardig.housing.models import (
    Certification,
    HousingForm,
    HousingNeed,
    Instrument,
    Location,
    LocationStatus,
    NeedMethod,
    PolicyEntry,
    PolicyStatus,
    Project,
    ProjectStatus,
    StayClass,
    Zone,
)
from waardig.monitor.models import ObservationStatus
from waardig.organisations.models import Organisation, Person

LIST_SEPARATOR = ";"
YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x"})
NO = frozenset({"nee", "n", "no", "false", "onwaar", "0"})
IMPORT_NOTE = gettext_lazy("Ingelezen uit een bestand.")


def _codes(help_text: Any, choices: type[models.TextChoices]) -> Any:
    return format_lazy("{}: {}", help_text, ", ".join(choices.values))


def date_help(text: Any) -> Any:
    return format_lazy("{} ({})", text, gettext_lazy("JJJJ-MM-DD of DD-MM-JJJJ"))


MUNICIPALITY = Column(
    "municipality", help=gettext_lazy("CBS-code (GM0983) of naam van de gemeente")
)
FICTITIOUS = Column("fictitious", False, gettext_lazy("ja bij verzonnen voorbeeldgegevens"))
LOCATION_COLUMNS = (
    Column("name", help=gettext_lazy("Naam; met het adres de sleutel van de locatie")),
    MUNICIPALITY,
    Column("street", False, gettext_lazy("Straat")),
    Column("postcode", help=gettext_lazy("Postcode, zoals 5911 AB")),
    Column("house_number", help=gettext_lazy("Huisnummer, eventueel met toevoeging: 12 of 12A")),
    Column("house_number_addition", False, gettext_lazy("Toevoeging, als die apart staat")),
    Column("place", False, gettext_lazy("Plaats")),
    Column("bag_id", False, gettext_lazy("BAG-id van het verblijfsobject (16 cijfers)")),
    Column("latitude", False, gettext_lazy("Breedtegraad (WGS84), zoals 51,370")),
    Column("longitude", False, gettext_lazy("Lengtegraad (WGS84), zoals 6,172")),
    Column("housing_form", help=_codes(gettext_lazy("Woonvorm"), HousingForm)),
    Column("stay_class", help=_codes(gettext_lazy("Verblijfsduur"), StayClass)),
    Column("zone", False, _codes(gettext_lazy("Ligging"), Zone)),
    Column("temporary_building_until", False, date_help(gettext_lazy("Tijdelijk gebouw tot"))),
    Column(
        "temporary_permit_until",
        False,
        date_help(gettext_lazy("Tijdelijke vergunning voor bewoning tot")),
    ),
    Column("capacity", help=gettext_lazy("Capaciteit in personen")),
    Column("bedrooms", False, gettext_lazy("Aantal slaapkamers")),
    Column("bedroom_area", False, gettext_lazy("Oppervlak van alle slaapkamers samen in m²")),
    Column("living_area", False, gettext_lazy("Woonoppervlak in m² GBO, zoals 120,5")),
    Column("toilets", False, gettext_lazy("Aantal toiletten")),
    Column("showers", False, gettext_lazy("Aantal douches")),
    Column(
        "separate_contract",
        False,
        gettext_lazy("Huurcontract los van arbeidscontract: ja of nee (leeg: onbekend)"),
    ),
    Column("transition_days", False, gettext_lazy("Overgangstermijn na einde werk, in dagen")),
    Column("operator", False, gettext_lazy("Huisvester of verhuurder (naam van een organisatie)")),
    Column("employers", False, gettext_lazy("Werkgevers en uitzendbureaus, gescheiden door ';'")),
    Column("certification", False, _codes(gettext_lazy("Keurmerk"), Certification)),
    Column("certificate_number", False, gettext_lazy("Certificaatnummer")),
    Column("certificate_valid_until", False, date_help(gettext_lazy("Certificaat geldig tot"))),
    Column("last_audit", False, date_help(gettext_lazy("Laatste audit"))),
    Column("landlord_licence", False, gettext_lazy("Nummer van de verhuurvergunning")),
    Column("landlord_licence_until", False, date_help(gettext_lazy("Verhuurvergunning tot"))),
    Column("operating_licence", False, gettext_lazy("Nummer van de exploitatievergunning")),
    Column("operating_licence_until", False, date_help(gettext_lazy("Exploitatievergunning tot"))),
    Column(
        "status", False, _codes(gettext_lazy("Status (nieuw: standaard planned)"), LocationStatus)
    ),
    Column("status_date", False, date_help(gettext_lazy("Status geldt sinds (standaard vandaag)"))),
    Column("notes", False, gettext_lazy("Toelichting")),
    FICTITIOUS,
)
PROJECT_COLUMNS = (
    Column("name", help=gettext_lazy("Naam; met de gemeente de sleutel van het project")),
    MUNICIPALITY,
    Column("capacity", help=gettext_lazy("Capaciteit in personen")),
    Column("stay_class", help=_codes(gettext_lazy("Verblijfsduur"), StayClass)),
    Column("housing_form", help=_codes(gettext_lazy("Woonvorm"), HousingForm)),
    Column("status", False, _codes(gettext_lazy("Status (nieuw: standaard idea)"), ProjectStatus)),
    Column("expected_year", help=gettext_lazy("Verwacht gereed (jaar)")),
    Column("temporary_until", False, date_help(gettext_lazy("Tijdelijk tot"))),
    Column("notes", False, gettext_lazy("Toelichting")),
    FICTITIOUS,
)
NEED_COLUMNS = (
    MUNICIPALITY,
    Column("year", help=gettext_lazy("Jaar")),
    Column("stay_class", help=_codes(gettext_lazy("Verblijfsduur"), StayClass)),
    Column("persons", help=gettext_lazy("Behoefte in personen")),
    Column("status", help=_codes(gettext_lazy("Status van het cijfer"), ObservationStatus)),
    Column("source", help=gettext_lazy("Bron, bijvoorbeeld het onderzoeksbureau")),
    Column("publication", False, gettext_lazy("Rapport of tabel")),
    Column("retrieved_on", False, date_help(gettext_lazy("Datum opgehaald"))),
)
POLICY_COLUMNS = (
    MUNICIPALITY,
    Column("instrument", help=_codes(gettext_lazy("Instrument"), Instrument)),
    Column("status", help=_codes(gettext_lazy("Status"), PolicyStatus)),
    Column("decided_on", False, date_help(gettext_lazy("Datum van het besluit"))),
    Column("document_url", False, gettext_lazy("Link naar het document (https://...)")),
    Column("contact", False, gettext_lazy("E-mailadres van een bekende contactpersoon")),
    Column("notes", False, gettext_lazy("Toelichting")),
)


def choices_by_text(choices: type[models.TextChoices]) -> dict[str, str]:
    """Codes and labels (in Dutch and in the active language), lower case, to the code; codes
    come first, so ``dict.fromkeys(lookup.values())`` lists them in the choices' order."""
    lookup = {code: code for code in choices.values}
    for language in ("nl", translation.get_language() or "nl"):
        with translation.override(language):
            lookup |= {str(label).casefold(): code for code, label in choices.choices}
    return lookup


class Cells:
    """One row's text cells read as typed values. Every problem is added to the row's errors
    at its column, so the user sees all of a row's mistakes at once."""

    def __init__(self, values: dict[str, str], errors: RowErrors):
        self.values, self.errors = values, errors

    def given(self, column: str) -> bool:
        return column in self.values

    def text(self, column: str, *, required: bool = False) -> str:
        text = self.values.get(column, "").strip()
        if required and not text:
            self.errors.add(column, _("Verplicht veld is leeg."))
        return text

    def integer(self, column: str, *, required: bool = False) -> int | None:
        text = self.text(column, required=required)
        if not text:
            return None
        if not digits(text):
            self.errors.add(column, _("Geef een geheel getal van 0 of meer."))
            return None
        return int(text)

    def decimal(self, column: str) -> Decimal | None:
        text = self.text(column)
        if not text:
            return None
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            self.errors.add(column, _("Geef een getal, zoals 12,5."))
            return None
        return number

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        try:
            return parse_date(self.text(column, required=required))
        except ValueError as exc:
            self.errors.add(column, str(exc))
            return None

    def choice(self, column: str, lookup: dict[str, str], *, required: bool = False) -> str:
        text = self.text(column, required=required)
        if not text:
            return ""
        code = lookup.get(text.casefold())
        if code is None:
            self.errors.add(
                column,
                _("Onbekende waarde '%(value)s'; kies uit %(codes)s.")
                % {"value": text, "codes": ", ".join(dict.fromkeys(lookup.values()))},
            )
        return code or ""

    def flag(self, column: str) -> bool:
        text = self.text(column).casefold()
        if text and text not in YES | NO:
            self.errors.add(column, _("Schrijf ja of nee."))
        return text in YES


def model_errors(instance: models.Model, errors: RowErrors, resolved: tuple[str, ...]) -> None:
    """The model's own rules (lengths, ranges, postcode, certificate) at their columns, so the
    write cannot refuse a row the check passed. ``resolved`` relations were looked up already;
    fields that have an error of their own are not checked twice, nor is ``clean`` then."""
    exclude = {*resolved, *(e.column for e in errors.errors)}
    checks = [lambda: instance.clean_fields(exclude=exclude)]
    if not errors.errors:
        checks.append(instance.clean)
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.add("" if field == NON_FIELD_ERRORS else field, message)


def candidate(model: type[models.Model], existing: Any, values: dict[str, Any]) -> Any:
    """An unsaved copy of the stored object (or a new one) with the row's values, to check;
    a copy, so that a refused row leaves the stored object as it was."""
    stored = (
        {f.attname: getattr(existing, f.attname) for f in model._meta.concrete_fields}
        if existing is not None
        else {}
    )
    instance = model(**stored)
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


def differs(obj: models.Model, values: dict[str, Any]) -> bool:
    """Whether any of ``values`` differs from what ``obj`` holds (relations by their key)."""
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            current, value = getattr(obj, field.attname), getattr(value, "pk", None)
        else:
            current = getattr(obj, name)
        if current != value:
            return True
    return False


def fictitious_label(label: str, fictitious: bool) -> str:
    return f"{label} ({_('fictief')})" if fictitious else label


class RegisterImporter(Importer):
    """What the four table imports share: municipalities by code or name, limited to those
    the user may change; the stored objects by their natural key; writes through services."""

    resolved: tuple[str, ...] = ("municipality",)

    def prepare(self) -> None:
        today = timezone.localdate()
        every = sorted(Municipality.objects.all(), key=lambda m: m.is_valid_on(today))
        self.municipalities = {m.name.casefold(): m for m in every}  # today's name wins
        self.municipalities |= {m.code.casefold(): m for m in every}
        self.allowed = allowed_municipality_ids(self.actor, self.model, CHANGE)
        self.today = today
        self.existing = self.stored()

    def stored(self) -> dict[tuple, Any]:
        raise NotImplementedError

    def municipality(self, cells: Cells, year: int | None = None) -> Municipality | None:
        """The row's municipality, if the user may change its data and it exists then
        (today, or in ``year`` for a figure of that year)."""
        text = cells.text("municipality", required=True)
        if not text:
            return None
        found = self.municipalities.get(text.casefold())
        if found is None:
            cells.errors.add("municipality", _("Onbekende gemeente '%(value)s'.") % {"value": text})
            return None
        if self.allowed is not None and found.pk not in self.allowed:
            cells.errors.add(
                "municipality",
                _("U mag de gegevens van %(name)s niet wijzigen.") % {"name": found.name},
            )
            return None
        first, last = (
            (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            if year
            else (self.today, self.today)
        )
        if (found.valid_from and found.valid_from > last) or (
            found.valid_to and found.valid_to < first
        ):
            successor = found.final_successor()
            message = (
                _("%(name)s bestond in %(year)s niet.")
                if year
                else _("%(name)s bestaat niet meer.")
            ) % {"name": found.name, "year": year}
            if successor != found:
                message += " " + _("Bedoelt u %(name)s?") % {"name": successor.name}
            cells.errors.add("municipality", message)
            return None
        return found

    def plan(self, item: Item) -> str:
        existing = self.existing.get(item.key)
        item.extra["existing"] = existing
        if existing is None:
            return "created"
        return "updated" if differs(existing, item.values) else "unchanged"


class LocationImporter(RegisterImporter):
    kind = "housing-locations"
    label = gettext_lazy("Huisvestingslocaties")
    model = Location
    columns = LOCATION_COLUMNS
    # What the download of the register (export housing-locations) adds: it imports again.
    ignored_columns = frozenset({
        "id", "municipality_code", "certified_today", "occupancy", "occupancy_source",
        "occupancy_on", "occupancy_rate",
    })  # fmt: skip
    resolved = ("municipality", "operator")
    TEXTS = (
        "street", "place", "bag_id", "certificate_number", "landlord_licence",
        "operating_licence", "notes",
    )  # fmt: skip
    DATES = (
        "temporary_building_until", "temporary_permit_until", "certificate_valid_until",
        "last_audit", "landlord_licence_until", "operating_licence_until",
    )  # fmt: skip
    COUNTS = ("bedrooms", "toilets", "showers", "transition_days")

    def prepare(self) -> None:
        super().prepare()
        self.organisations = {o.name.casefold(): o for o in Organisation.objects.all()}
        self.lookups = {
            "housing_form": choices_by_text(HousingForm),
            "stay_class": choices_by_text(StayClass),
            "zone": choices_by_text(Zone),
            "certification": choices_by_text(Certification),
            "status": choices_by_text(LocationStatus),
        }

    def stored(self) -> dict[tuple, Any]:
        return {
            (loc.postcode, loc.house_number, loc.house_number_addition, loc.name): loc
            for loc in Location.objects.select_related("municipality").prefetch_related("employers")
        }

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        cells = Cells(values, errors)
        municipality = self.municipality(cells)
        name = cells.text("name", required=True)
        postcode = rules.normal_postcode(cells.text("postcode", required=True))
        if postcode and not rules.valid_postcode(postcode):  # also in clean(), which runs last
            errors.add(
                "postcode", _("Een postcode is vier cijfers en twee letters, zoals 5911 AB.")
            )
        number, addition = self._house_number(cells)
        fields: dict[str, Any] = {
            "name": name,
            "municipality": municipality,
            "postcode": postcode,
            "house_number": number,
            "house_number_addition": addition,
            "capacity": cells.integer("capacity", required=True),
        }
        for column in ("housing_form", "stay_class"):
            fields[column] = cells.choice(column, self.lookups[column], required=True)
        for column in ("zone", "certification"):
            if cells.given(column):
                fields[column] = cells.choice(column, self.lookups[column])
        if fields.get("certification") == "":
            fields["certification"] = Certification.NONE  # empty means: no certificate
        optional = {
            **{c: cells.text for c in self.TEXTS},
            **{c: cells.date for c in self.DATES},
            **{c: cells.integer for c in self.COUNTS},
            "latitude": cells.decimal,
            "longitude": cells.decimal,
            "living_area": cells.decimal,
            "bedroom_area": cells.decimal,
            "separate_contract": lambda c: cells.flag(c) if cells.text(c) else None,  # unknown
            "fictitious": cells.flag,
        }
        fields |= {c: read(c) for c, read in optional.items() if cells.given(c)}
        if cells.given("operator"):
            fields["operator"] = self._organisation(cells, cells.text("operator"), "operator")
        employers = None
        if cells.given("employers"):
            names = [n.strip() for n in cells.text("employers").split(LIST_SEPARATOR)]
            employers = [self._organisation(cells, n, "employers") for n in names if n]
        status = cells.choice("status", self.lookups["status"])
        status_on = cells.date("status_date")
        if status_on and status_on > self.today:
            errors.add("status_date", _("Deze datum ligt in de toekomst."))
        key = (postcode, number, addition, name)
        existing = self.existing.get(key)
        scoped = existing is not None and self.allowed is not None
        if scoped and existing.municipality_id not in self.allowed:
            errors.add(
                "municipality",
                _("Op dit adres staat al een locatie met deze naam die u niet mag wijzigen."),
            )
        model_errors(candidate(Location, existing, fields), errors, self.resolved)
        errors.raise_if_any()
        label = f"{name} ({postcode} {number}{addition}, {municipality})"
        return Item(
            row=row,
            key=key,
            label=fictitious_label(label, fields.get("fictitious", False)),
            values=fields,
            extra={"employers": employers, "status": status, "status_on": status_on},
        )

    def _house_number(self, cells: Cells) -> tuple[int | None, str]:
        """'12', '12A' or '12-2' in one cell, or the number and the addition apart."""
        text = cells.text("house_number", required=True)
        addition = cells.text("house_number_addition")
        found = re.fullmatch(r"([0-9]+)\s*(.*)", text)
        if text and (found is None or int(found[1]) < 1):
            cells.errors.add(
                "house_number", _("Geef het huisnummer, eventueel met toevoeging: 12 of 12A.")
            )
            return None, addition
        if found is None:
            return None, addition
        if found[2] and addition:
            cells.errors.add("house_number", _("De toevoeging staat ook in house_number_addition."))
        return int(found[1]), found[2] or addition

    def _organisation(self, cells: Cells, name: str, column: str) -> Organisation | None:
        if not name:
            return None
        found = self.organisations.get(name.casefold())
        if found is None:
            cells.errors.add(column, _("Onbekende organisatie '%(value)s'.") % {"value": name})
        return found

    def plan(self, item: Item) -> str:
        action = super().plan(item)
        existing = item.extra["existing"]
        if action != "unchanged":
            return action
        employers = item.extra["employers"]
        if employers is not None and {e.pk for e in employers} != {
            e.pk for e in existing.employers.all()
        }:
            return "updated"
        status = item.extra["status"]
        return "updated" if status and status != existing.status else "unchanged"

    def write(self, item: Item) -> None:
        existing, status = item.extra["existing"], item.extra["status"]
        location, _outcome = services.save_location(
            self.actor,
            existing,
            employers=item.extra["employers"],
            status=status or LocationStatus.PLANNED,
            status_on=item.extra["status_on"],
            job=self.job,
            **item.values,
        )
        if existing is not None and status and status != location.status:
            services.change_location_status(
                self.actor,
                location,
                status,
                on=item.extra["status_on"] or self.today,
                note=str(IMPORT_NOTE),
            )


class ProjectImporter(RegisterImporter):
    kind = "housing-projects"
    label = gettext_lazy("Huisvestingsprojecten (geplande capaciteit)")
    model = Project
    columns = PROJECT_COLUMNS
    ignored_columns = frozenset({"code", "weight", "weighted_capacity"})  # in the download

    def prepare(self) -> None:
        super().prepare()
        self.lookups = {
            "stay_class": choices_by_text(StayClass),
            "housing_form": choices_by_text(HousingForm),
            "status": choices_by_text(ProjectStatus),
        }

    def stored(self) -> dict[tuple, Any]:
        return {(p.municipality_id, p.name): p for p in Project.objects.all()}

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        cells = Cells(values, errors)
        municipality = self.municipality(cells)
        fields: dict[str, Any] = {
            "name": cells.text("name", required=True),
            "municipality": municipality,
            "capacity": cells.integer("capacity", required=True),
            "expected_year": cells.integer("expected_year", required=True),
        }
        for column in ("stay_class", "housing_form"):
            fields[column] = cells.choice(column, self.lookups[column], required=True)
        if status := cells.choice("status", self.lookups["status"]):
            fields["status"] = status
        if cells.given("temporary_until"):
            fields["temporary_until"] = cells.date("temporary_until")
        if cells.given("notes"):
            fields["notes"] = cells.text("notes")
        if cells.given("fictitious"):
            fields["fictitious"] = cells.flag("fictitious")
        key = (getattr(municipality, "pk", None), fields["name"])
        model_errors(candidate(Project, self.existing.get(key), fields), errors, self.resolved)
        errors.raise_if_any()
        label = _("%(municipality)s: %(name)s (%(capacity)s personen, %(year)s)") % {
            "municipality": municipality,
            "name": fields["name"],
            "capacity": fields["capacity"],
            "year": fields["expected_year"],
        }
        return Item(
            row=row,
            key=key,
            label=fictitious_label(label, fields.get("fictitious", False)),
            values=fields,
        )

    def write(self, item: Item) -> None:
        services.save_project(
            self.actor,
            item.extra["existing"],
            note=str(IMPORT_NOTE),
            job=self.job,
            **item.values,
        )


class NeedImporter(RegisterImporter):
    kind = "housing-need"
    label = gettext_lazy("Woonbehoefte uit onderzoek")
    model = HousingNeed
    columns = (*NEED_COLUMNS, Column("method", False, gettext_lazy(
        "research (of leeg); regels met derived worden overgeslagen: afgeleide behoefte komt "
        "uit de monitor, niet uit een bestand"
    )))  # fmt: skip
    ignored_columns = frozenset({"code", "parameters"})  # in the download

    def prepare(self) -> None:
        super().prepare()
        self.stay_classes = choices_by_text(StayClass)
        self.statuses = choices_by_text(ObservationStatus)

    def stored(self) -> dict[tuple, Any]:
        return {(n.municipality_id, n.year, n.stay_class): n for n in HousingNeed.objects.all()}

    def validate(self, row: int, values: dict[str, str]) -> Item:
        if values.get("method", "").strip() == NeedMethod.DERIVED:
            raise SkipRow  # a downloaded derived figure is derived again, never imported
        errors = RowErrors()
        cells = Cells(values, errors)
        year = cells.integer("year", required=True)
        municipality = self.municipality(cells, year if year and 1990 <= year <= 2100 else None)
        stay_class = cells.choice("stay_class", self.stay_classes, required=True)
        fields: dict[str, Any] = {
            "persons": cells.integer("persons", required=True),
            "method": NeedMethod.RESEARCH,
            "parameters": {},
            "status": cells.choice("status", self.statuses, required=True),
            "source": cells.text("source", required=True),
        }
        if cells.given("publication"):
            fields["publication"] = cells.text("publication")
        if cells.given("retrieved_on"):
            fields["retrieved_on"] = cells.date("retrieved_on")
        key = (getattr(municipality, "pk", None), year, stay_class)
        checked = candidate(HousingNeed, self.existing.get(key), fields)
        checked.year, checked.stay_class = year, stay_class
        model_errors(checked, errors, self.resolved)
        errors.raise_if_any()
        label = f"{municipality} {year} {StayClass(stay_class).label}: {fields['persons']}"
        return Item(
            row=row,
            key=key,
            label=fictitious_label(label, fields["status"] == ObservationStatus.FICTITIOUS),
            values=fields,
            extra={"municipality": municipality},
        )

    def write(self, item: Item) -> None:
        __, year, stay_class = item.key
        services.save_need(
            self.actor,
            item.extra["municipality"],
            year,
            stay_class,
            job=self.job,
            **item.values,
        )


class PolicyImporter(RegisterImporter):
    kind = "housing-policy"
    label = gettext_lazy("Beleidsinventarisatie")
    model = PolicyEntry
    columns = POLICY_COLUMNS
    # What the download of the matrix adds: it imports again.
    ignored_columns = frozenset({
        "code", "grouping", "region", "instrument_name", "status_name", "contact_name",
    })  # fmt: skip
    resolved = ("municipality", "contact")

    def prepare(self) -> None:
        super().prepare()
        self.instruments = choices_by_text(Instrument)
        self.statuses = choices_by_text(PolicyStatus)
        self.people = {p.email.casefold(): p for p in Person.objects.exclude(email="")}

    def stored(self) -> dict[tuple, Any]:
        return {(e.municipality_id, e.instrument): e for e in PolicyEntry.objects.all()}

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        cells = Cells(values, errors)
        municipality = self.municipality(cells)
        instrument = cells.choice("instrument", self.instruments, required=True)
        fields: dict[str, Any] = {"status": cells.choice("status", self.statuses, required=True)}
        if cells.given("decided_on"):
            fields["decided_on"] = cells.date("decided_on")
        for column in ("document_url", "notes"):
            if cells.given(column):
                fields[column] = cells.text(column)
        if cells.given("contact"):
            email = cells.text("contact")
            fields["contact"] = self.people.get(email.casefold()) if email else None
            if email and fields["contact"] is None:
                errors.add("contact", _("Onbekende persoon '%(value)s'.") % {"value": email})
        key = (getattr(municipality, "pk", None), instrument)
        if (
            key not in self.existing
            and fields["status"] == PolicyStatus.UNKNOWN
            and not any(
                fields.get(name) for name in ("decided_on", "document_url", "notes", "contact")
            )
        ):
            raise SkipRow  # an empty cell of the matrix: nothing to record
        checked = candidate(PolicyEntry, self.existing.get(key), fields)
        checked.instrument = instrument
        model_errors(checked, errors, self.resolved)
        errors.raise_if_any()
        status = PolicyStatus(fields["status"]).label
        label = f"{municipality}: {Instrument(instrument).label}: {status}"
        return Item(
            row=row, key=key, label=label, values=fields, extra={"municipality": municipality}
        )

    def write(self, item: Item) -> None:
        services.set_policy(self.actor, item.extra["municipality"], item.key[1], **item.values)
