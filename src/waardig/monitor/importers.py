"""`waardig import observations`: the Waardig template (CSV/XLSX) and CBS StatLine CSV exports.

Both formats become template rows (monitor.formats reads them), so one validation serves
both. A file of a million rows is planned and written in batches: one lookup and one bulk
write per batch (monitor.queries.stored_figures, monitor.services.save_figures) instead of
six statements per figure.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas.models import Municipality, Province, Region
from waardig.core.imports import Importer, Item, Option, RowError, SkipRow
from waardig.core.imports.readers import Table, extension, read_table
from waardig.monitor import formats, queries, rules, services
from waardig.monitor.models import Indicator, Observation

CBS_SOURCE = "CBS"


class ObservationImporter(Importer):
    kind = "observations"
    label = gettext_lazy("Monitorcijfers (Waardig-sjabloon of CBS StatLine-export)")
    model = Observation
    columns = formats.TEMPLATE_COLUMNS
    options = (
        Option(
            "measures",
            gettext_lazy(
                "alleen CBS: welke CBS-kolom welke indicator vult, "
                "bijvoorbeeld Werkzame_1=working-labour-migrants"
            ),
        ),
        Option(
            "select",
            gettext_lazy("alleen CBS: de code per extra dimensie, bijvoorbeeld Geslacht=T001038"),
        ),
        Option("publication", gettext_lazy("alleen CBS: tabel, bijvoorbeeld 85276NED")),
        Option(
            "status",
            gettext_lazy("alleen CBS: definitief (standaard), voorlopig of schatting"),
        ),
        Option(
            "retrieved_on",
            gettext_lazy("alleen CBS: datum gedownload (standaard vandaag)"),
        ),
    )

    def __init__(self, actor: Any, options: dict[str, Any] | None = None):
        super().__init__(actor, options)
        self.notation: formats.Notation = "auto"
        self.cbs = False

    # --- reading ---------------------------------------------------------------------------

    def read(self, data: bytes, filename: str) -> Table:
        if extension(filename) == "csv" and formats.is_cbs_export(data):
            self.cbs, self.notation = True, "point"
            return self._read_cbs(data)
        # Spreadsheet numbers come with a decimal comma, so a text cell "1.234" is still
        # refused as ambiguous while a number cell 1.234 reads as 1,234.
        return read_table(data, filename, decimal_comma=True)

    def _read_cbs(self, data: bytes) -> Table:
        """The export's figures as template rows, with the provenance the options give."""
        export = formats.read_cbs_csv(data)
        errors: list[tuple[int, str, str]] = []
        measures, select = (self._option_pairs(name, errors) for name in ("measures", "select"))
        errors += [
            (0, "measures", _("Kolom %(name)s staat niet in de export.") % {"name": name})
            for name in measures
            if name not in export.measures
        ]
        if not self.options.get("measures"):
            errors.append((0, "measures", _cbs_measures_needed(export.measures)))
        errors += [
            (0, "select", _("Kies een code voor dimensie %(name)s.") % {"name": name})
            for name in export.dimensions
            if name not in select
        ]
        errors += [
            (0, "select", _("Kolom %(name)s staat niet in de export.") % {"name": name})
            for name in select
            if name not in export.dimensions
        ]
        known = set(Indicator.objects.values_list("code", flat=True))
        errors += [
            (0, "measures", _("Onbekende indicator '%(code)s'.") % {"code": code})
            for code in measures.values()
            if code not in known
        ]
        common = {
            "status": self.options.get("status") or rules.DEFINITIVE,
            "source": CBS_SOURCE,
            "publication": self.options.get("publication", ""),
            "retrieved_on": self.options.get("retrieved_on") or timezone.localdate().isoformat(),
        }
        try:  # the options hold for every figure: checked once, not on each of a million rows
            formats.parse_template_row(
                0, common | {"indicator": "x", "area": "PV31", "period": "2000", "value": "0"}
            )
        except ExceptionGroup as group:
            errors += [(0, exc.column, exc.message) for exc in group.exceptions]
        if errors:
            return Table(columns=[c.name for c in self.columns], rows=[], errors=errors)
        rows, skipped = [], 0
        for figure in export:
            if figure.measure not in measures or any(
                figure.dimensions[name] != code for name, code in select.items()
            ):
                continue
            if figure.value is None:  # "." no figure, "x" secret: nothing to store
                skipped += 1
                continue
            rows.append(
                (
                    figure.line,
                    common
                    | {
                        "indicator": measures[figure.measure],
                        "area": figure.area.code,
                        "period": figure.period.canonical,
                        "value": str(figure.value),
                        "cbs_kind": figure.area.kind,
                    },
                )
            )
        return Table(
            columns=[c.name for c in self.columns if c.required],
            rows=rows,
            errors=[tuple(problem) for problem in export.errors],
            skipped=skipped,
        )

    # --- validating ------------------------------------------------------------------------

    def _option_pairs(self, name: str, errors: list[tuple[int, str, str]]) -> dict[str, str]:
        try:
            return _pairs(self.options.get(name, ""), name)
        except RowError as exc:
            errors.append((0, exc.column, exc.message))
            return {}

    def prepare(self) -> None:
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.municipalities = dict(Municipality.objects.values_list("code", "pk"))
        self.provinces = dict(Province.objects.values_list("code", "pk"))
        self.regions = {
            (slug, name.casefold()): pk
            for slug, name, pk in Region.objects.values_list("grouping__slug", "name", "pk")
        }

    def validate(self, row: int, values: dict[str, str]) -> Item:
        if self.cbs and values["cbs_kind"] not in formats.TEMPLATE_AREA_KINDS:
            raise SkipRow  # the Netherlands, COROP areas, districts: derived here, not read
        figure = formats.parse_template_row(row, values, notation=self.notation)
        indicator = self.indicators.get(figure.indicator)
        if indicator is None:
            raise RowError(
                "indicator", _("Onbekende indicator '%(code)s'.") % {"code": figure.indicator}
            )
        if figure.stay_class and not indicator.by_stay_class:
            raise RowError(
                "stay_class", _("Deze indicator wordt niet naar verblijfsduur gesplitst.")
            )
        field, area_id = self._area(figure.area)
        values = {
            "indicator_id": indicator.pk,
            f"{field}_id": area_id,
            "period": figure.period.canonical,
            "period_kind": figure.period.kind,
            "year": figure.period.year,
            "period_start": figure.period.start,
            "stay_class": figure.stay_class,
            "value": figure.value,
            "status": figure.status,
            "source": figure.source,
            "publication": figure.publication,
            "retrieved_on": figure.retrieved_on,
        }
        stay = f" ({figure.stay_class})" if figure.stay_class else ""
        area = getattr(figure.area, "code", None) or ":".join(figure.area)
        return Item(
            row=row,
            key=(indicator.pk, field, area_id, figure.period.canonical, figure.stay_class),
            label=f"{indicator.code} {area} {figure.period.canonical}{stay}: {figure.value}",
            values=values,
        )

    def _area(self, area: formats.AreaCode | formats.RegionName) -> tuple[str, int]:
        if isinstance(area, formats.RegionName):
            found = self.regions.get((area.grouping, area.name.casefold()))
            if found is None:
                raise RowError(
                    "area",
                    _("Geen regio '%(name)s' in indeling '%(grouping)s'.")
                    % {"name": area.name, "grouping": area.grouping},
                )
            return "region", found
        field, known = (
            ("municipality", self.municipalities)
            if area.kind == formats.MUNICIPALITY
            else ("province", self.provinces)
        )
        if area.code not in known:
            if self.cbs:
                raise SkipRow  # a national table: other provinces' areas are not ours
            raise RowError("area", _("Onbekend gebied '%(code)s'.") % {"code": area.code})
        return field, known[area.code]

    # --- planning and writing --------------------------------------------------------------

    def plan_batch(self, items: list[Item]) -> None:
        stored = queries.stored_figures(self.actor, [item.key for item in items])
        for item in items:
            found = stored.get(item.key)
            item.extra["pk"] = found.pk if found else None
            item.action = services.compare_figure(found, item.values)

    def write_batch(self, items: list[Item]) -> list[tuple[int, str]]:
        services.save_figures(
            self.actor,
            [(item.extra["pk"], item.values) for item in items],
            import_job=self.job,
        )
        return []


def _pairs(text: str, option: str) -> dict[str, str]:
    """``a=b, c=d`` (commas or semicolons) as a mapping; a malformed pair is an option error."""
    pairs = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        name, sep, value = (p.strip() for p in part.partition("="))
        if not sep or not name or not value:
            raise RowError(
                option,
                _("'%(part)s': schrijf naam=waarde, gescheiden door komma's.") % {"part": part},
            )
        pairs[name] = value
    return pairs


def _cbs_measures_needed(available: list[str]) -> str:
    return _(
        "Geef met measures aan welke kolom welke indicator vult, bijvoorbeeld "
        "%(example)s=working-labour-migrants. Kolommen in deze export: %(columns)s."
    ) % {"example": available[0], "columns": ", ".join(available)}
