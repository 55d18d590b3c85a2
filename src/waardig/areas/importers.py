"""Loading a province's municipalities and regions from its area file (see data/README.md)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas import services
from waardig.areas.models import Municipality
from waardig.core.dates import parse_date
from waardig.core.imports import Column, Importer, Item, RowErrors

REGION_PREFIX = "region:"


class AreasImporter(Importer):
    kind = "areas"
    label = gettext_lazy("Gebieden (provincie, gemeenten, regio's)")
    model = Municipality
    columns = (
        Column("province_code", help=gettext_lazy("CBS-provinciecode, bijv. PV31")),
        Column("province_name", help=gettext_lazy("Naam van de provincie")),
        Column("code", help=gettext_lazy("CBS-gemeentecode, bijv. GM0935")),
        Column("name", help=gettext_lazy("Naam van de gemeente")),
        Column("valid_from", required=False, help=gettext_lazy("Geldig vanaf (JJJJ-MM-DD)")),
        Column("valid_to", required=False, help=gettext_lazy("Geldig tot en met (JJJJ-MM-DD)")),
        Column(
            "successor",
            required=False,
            help=gettext_lazy("CBS-code van de opvolger na herindeling"),
        ),
    )
    extra_column_prefix = REGION_PREFIX

    def prepare(self) -> None:
        self.existing = {m.code: m for m in Municipality.objects.select_related("successor")}
        self.codes_in_file: set[str] = set()
        self.successors: dict[str, str] = {}

    def validate(self, row: int, values: dict[str, str]) -> Item:
        errors = RowErrors()
        for column, prefix, length in (("province_code", "PV", 4), ("code", "GM", 6)):
            code = values.get(column, "").upper()
            if not (code.startswith(prefix) and len(code) == length and code[2:].isdigit()):
                errors.add(
                    column,
                    _("Geen geldige CBS-code (%(prefix)s gevolgd door cijfers).")
                    % {"prefix": prefix},
                )
        for column in ("province_name", "name"):
            if not values.get(column):
                errors.add(column, _("Verplicht veld is leeg."))
        dates = {}
        for column in ("valid_from", "valid_to"):
            try:
                dates[column] = parse_date(values.get(column, ""))
            except ValueError as exc:
                errors.add(column, str(exc))
        if (
            dates.get("valid_from")
            and dates.get("valid_to")
            and dates["valid_from"] > dates["valid_to"]
        ):
            errors.add("valid_to", _("Einddatum ligt voor de begindatum."))
        successor = values.get("successor", "").upper()
        if successor and successor == values.get("code", "").upper():
            errors.add("successor", _("Een gemeente kan niet haar eigen opvolger zijn."))
        errors.raise_if_any()
        code = values["code"].upper()
        self.codes_in_file.add(code)
        regions = {
            name[len(REGION_PREFIX) :]: value
            for name, value in values.items()
            if name.startswith(REGION_PREFIX) and value
        }
        return Item(
            row=row,
            key=(code,),
            label=f"{code} {values['name']}",
            values={
                "province_code": values["province_code"].upper(),
                "province_name": values["province_name"],
                "code": code,
                "name": values["name"],
                "valid_from": dates["valid_from"],
                "valid_to": dates["valid_to"],
                "successor": successor,
                "regions": regions,
            },
        )

    def cross_check(self, items: list[Item]) -> list[tuple[int, str, str]]:
        known = self.codes_in_file | set(self.existing)
        return [
            (item.row, "successor", _("Opvolger %(code)s is onbekend.") % {"code": succ})
            for item in items
            if (succ := item.values["successor"]) and succ not in known
        ]

    def plan(self, item: Item) -> str:
        current = self.existing.get(item.values["code"])
        if current is None:
            return "created"
        return "unchanged" if services.municipality_matches(current, item.values) else "updated"

    def write(self, item: Item) -> None:
        services.save_municipality(self.actor, item.values)
        self.successors[item.values["code"]] = item.values["successor"]

    def finish(self, result: Any) -> None:
        """Successors are linked last: a successor may stand further down in the file."""
        services.link_successors(self.actor, self.successors)
