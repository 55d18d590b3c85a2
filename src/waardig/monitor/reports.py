"""The yearly monitor report: the key figures of one province and year, with their trend,
forecasts, regions, municipalities and sources, as one core.reports Document.

Figures come from monitor.queries (observed where observed, else derived from the
municipalities), charts from monitor.charts: the report shows what the dashboard shows.
A fictitious figure is labelled "fictief" wherever it appears (status column, a note beside
it and the banner the renderers put on every page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.areas.models import Grouping, Province
from waardig.core.numbers import parse_year
from waardig.core.reports.document import (
    Chart,
    Document,
    Note,
    Paragraph,
    Section,
    Table,
    format_cell,
)
from waardig.monitor import charts, dashboard, queries, rules
from waardig.monitor.models import Aggregation, Indicator, status_label
from waardig.monitor.queries import MUNICIPALITY, ValueRow

KEY_INDICATORS = (
    "working-labour-migrants",
    "labour-migrants-living",
    "registered-brp",
    "registered-rni",
    "registration-rate",
    "labour-force-share",
)
MAIN_INDICATOR, SHARE_INDICATOR, RATE_INDICATOR = (
    dashboard.MAIN_INDICATOR,
    dashboard.SHARE_INDICATOR,
    dashboard.RATE_INDICATOR,
)
MAPPED = (MAIN_INDICATOR, RATE_INDICATOR, SHARE_INDICATOR)
"""Indicators with a map: the counts all follow the working migrants, the ratios differ."""
DEFAULT_GROUPING = dashboard.DEFAULT_GROUPING
WHOLE, ONE_DECIMAL = Decimal(1), Decimal("0.1")


@dataclass
class _Used:
    """What the report has shown so far: for the sources section and the fictief notes."""

    sources: dict[str, None] = field(default_factory=dict)
    indicators: set[int] = field(default_factory=set)
    fictitious: bool = False

    def add(self, rows: Iterable[ValueRow]) -> None:
        for row in rows:
            if row.value is None:
                continue
            self.fictitious |= row.status == rules.FICTITIOUS
            for part in row.source.split("; "):
                if part:
                    self.sources[part] = None


def monitor_report(actor: Any, options: Mapping[str, Any]) -> Document:
    """'Monitor arbeidsmigratie <provincie> <jaar>'; options: year (required), grouping
    ("admin" or "corop", default admin) and province (CBS code, needed only when more than
    one province is loaded)."""
    year = parse_year(options.get("year"))
    province = _province(options.get("province"))
    grouping = _grouping(province, options.get("grouping") or DEFAULT_GROUPING)
    indicators = list(queries.indicators(actor).filter(code__in=KEY_INDICATORS))
    indicators.sort(key=lambda indicator: KEY_INDICATORS.index(indicator.code))
    if not indicators or not _has_data(actor, indicators, province, year):
        raise ValidationError(
            _(
                "Er zijn geen cijfers over %(year)s voor %(province)s: kies een jaar met "
                "waarnemingen of importeer eerst de cijfers (waardig import observations)."
            )
            % {"year": year, "province": province.name}
        )
    used = _Used()
    by_code = {indicator.code: indicator for indicator in indicators}
    extras = {
        code: _municipal(actor, by_code[code], year, province, used)
        for code in (SHARE_INDICATOR, RATE_INDICATOR)
        if code in by_code
    }
    sections = [
        _indicator_section(actor, indicator, year, province, grouping, extras, used)
        for indicator in indicators
    ]
    sections.append(_sources_section(actor, used, year))
    notes = ()
    if used.fictitious:
        notes = (
            Note(
                _(
                    "Dit rapport bevat fictieve cijfers: verzonnen, geen echte gegevens "
                    "(zoals de demonstratiecijfers per gemeente). Ze staan overal met de "
                    "status 'fictief' vermeld; cijfers die eruit zijn afgeleid, ook."
                ),
                kind="fictief",
            ),
        )
    return Document(
        title=_("Monitor arbeidsmigratie %(province)s %(year)s")
        % {"province": province.name, "year": year},
        subtitle=_("Kerncijfers over arbeidsmigranten, per regio en per gemeente"),
        meta=(
            (_("Provincie"), province.name),
            (_("Jaar"), str(year)),
            (_("Regio-indeling"), grouping.name),
            (_("Opgesteld op"), timezone.localdate()),
        ),
        sections=(_intro(province, year, grouping), *sections),
        notes=notes,
    )


# --- options -------------------------------------------------------------------------------


def _province(code: Any) -> Province:
    provinces = Province.objects.order_by("code")
    if code:
        found = provinces.filter(code=str(code).strip().upper()).first()
        if found is None:
            raise ValidationError(_("Onbekende provincie: %(code)s.") % {"code": code})
        return found
    found = list(provinces[:2])
    if not found:
        raise ValidationError(_("Er is nog geen provincie geladen (waardig setup)."))
    if len(found) > 1:
        raise ValidationError(_("Er zijn meerdere provincies: kies er een met de CBS-code."))
    return found[0]


def _grouping(province: Province, slug: str) -> Grouping:
    groupings = {g.slug: g for g in Grouping.objects.filter(province=province)}
    if slug not in groupings:
        raise ValidationError(
            _("Onbekende regio-indeling %(slug)s; kies uit: %(choices)s.")
            % {"slug": slug, "choices": ", ".join(sorted(groupings)) or "-"}
        )
    return groupings[slug]


def _has_data(actor: Any, indicators: list[Indicator], province: Province, year: int) -> bool:
    codes = {part.pk for indicator in indicators for part in (indicator, *indicator.parts())}
    return (
        queries.observations(actor)
        .filter(indicator__in=codes, year=year, period_kind="year")
        .filter(dashboard.in_province(province))
        .exists()
    )


# --- sections ------------------------------------------------------------------------------


def _intro(province: Province, year: int, grouping: Grouping) -> Section:
    return Section(
        _("Inleiding"),
        blocks=(
            Paragraph(
                _(
                    "Dit rapport geeft de stand van de arbeidsmigratie in %(province)s in "
                    "%(year)s. Per kerncijfer staan het cijfer voor de provincie met zijn "
                    "status en bron, het verloop door de jaren met de opgeslagen prognoses, "
                    "de regio's (%(grouping)s) en de gemeenten."
                )
                % {"province": province.name, "year": year, "grouping": grouping.name}
            ),
            Paragraph(
                _(
                    "Een cijfer voor een regio of de provincie dat niet zelf is waargenomen, is "
                    "afgeleid uit de cijfers van de gemeenten; de tabel zegt dan uit hoeveel van "
                    "de gemeenten. Een verhouding (registratiegraad, aandeel in de "
                    "beroepsbevolking) is berekend uit de opgetelde aantallen. Prognoses zijn "
                    "geen waarnemingen: ze staan als band van laag tot hoog in de grafiek."
                )
            ),
        ),
    )


def _indicator_section(
    actor: Any,
    indicator: Indicator,
    year: int,
    province: Province,
    grouping: Grouping,
    extras: dict[str, dict[str, ValueRow]],
    used: _Used,
) -> Section:
    unit = indicator.unit
    figure = dashboard.province_row(actor, indicator, year, province)
    blocks: list[Any] = []
    if indicator.definition:
        blocks.append(Paragraph(indicator.definition))
    if figure is None or figure.value is None:
        blocks.append(Paragraph(_("Voor %(year)s is er geen provinciaal cijfer.") % {"year": year}))
    else:
        used.add([figure])
        blocks.append(Paragraph(_figure_text(indicator, figure, province, year)))
        if figure.status == rules.FICTITIOUS:
            blocks.append(Note(_("Dit provinciale cijfer is fictief."), kind="fictief"))
    used.indicators |= {part.pk for part in (indicator, *indicator.parts())}
    trend_rows = dashboard.province_trend(actor, indicator, province, until=year)
    used.add([row for _year, row in trend_rows])
    trend = [
        {"year": each, "value": _rounded(row.value, indicator), "status": row.status}
        for each, row in trend_rows
    ]
    forecasts = list(
        queries.forecasts(actor)
        .filter(indicator=indicator, province=province, stay_class="")
        .order_by("name")
    )
    if trend or forecasts:
        blocks.append(
            Chart(
                spec=charts.trend_chart(
                    trend,
                    [(forecast.name, forecast.points) for forecast in forecasts],
                    title=_("%(name)s in %(province)s")
                    % {"name": indicator.name, "province": province.name},
                    value_title=_value_column(unit),
                ),
                title=_("Verloop: %(name)s") % {"name": indicator.name},
                description=_(
                    "Lijngrafiek van de cijfers per jaar tot en met %(year)s (open punt: "
                    "fictief); elke prognose als gestippelde lijn met een band van laag tot "
                    "hoog."
                )
                % {"year": year},
            )
        )
    if forecasts:
        blocks.append(_forecast_table(forecasts, indicator))
    regions = [
        row
        for row in queries.value_table(indicator, grouping.slug, str(year), actor=actor)
        if row.area.grouping_id == grouping.pk
    ]
    used.add(regions)
    blocks.append(
        Table(
            columns=(_("Regio"), _value_column(unit), _("Toelichting"), _("Status")),
            rows=[
                (row.name, _rounded(row.value, indicator), row.note, _status(row))
                for row in regions
            ],
            caption=_("%(name)s per regio (%(grouping)s), %(year)s")
            % {"name": indicator.name, "grouping": grouping.name, "year": year},
        )
    )
    municipalities = _municipal(actor, indicator, year, province, used)
    if indicator.code in MAPPED and any(row.value is not None for row in municipalities.values()):
        blocks.append(
            Chart(
                spec=charts.tile_map(
                    [
                        {
                            "code": row.code,
                            "name": row.name,
                            "value": _rounded(row.value, indicator),
                        }
                        for row in municipalities.values()
                    ],
                    title=_("%(name)s per gemeente, %(year)s")
                    % {"name": indicator.name, "year": year},
                    value_title=_value_column(unit),
                ),
                title=_("Kaart: %(name)s per gemeente") % {"name": indicator.name},
                description=_(
                    "Schematische kaart: één vak per gemeente, donkerder bij een hoger cijfer."
                ),
            )
        )
    blocks.append(_municipality_table(indicator, year, unit, municipalities, extras))
    if any(row.status == rules.FICTITIOUS for row in [*regions, *municipalities.values()]):
        blocks.append(
            Note(
                _(
                    "Cijfers met de status 'fictief' zijn verzonnen, geen echte gegevens; "
                    "een regio of verhouding die eruit is afgeleid, is ook fictief."
                ),
                kind="fictief",
            )
        )
    return Section(indicator.name, blocks=tuple(blocks))


def _figure_text(indicator: Indicator, row: ValueRow, province: Province, year: int) -> str:
    parts = [_status(row)]
    if row.note:
        parts.append(row.note)
    if row.source:
        parts.append(_("bron: %(source)s") % {"source": row.source})
    return _("%(province)s, %(year)s: %(value)s %(unit)s (%(details)s).") % {
        "province": province.name,
        "year": year,
        "value": format_cell(_rounded(row.value, indicator)),
        "unit": indicator.unit,
        "details": "; ".join(parts),
    }


def _forecast_table(forecasts: list, indicator: Indicator) -> Table:
    unit = indicator.unit
    rows = []
    for forecast in forecasts:
        last = forecast.path.points[-1] if forecast.points else None
        rows.append(
            (
                forecast.name,
                forecast.get_method_display(),
                str(forecast.target_year),
                _rounded(last.low, indicator) if last else None,
                _rounded(last.central, indicator) if last else None,
                _rounded(last.high, indicator) if last else None,
            )
        )
    return Table(
        columns=(
            _("Prognose"),
            _("Methode"),
            _("Doeljaar"),
            _("Laag (%(unit)s)") % {"unit": unit},
            _("Midden (%(unit)s)") % {"unit": unit},
            _("Hoog (%(unit)s)") % {"unit": unit},
        ),
        rows=rows,
        caption=_("Prognoses %(name)s (geen waarnemingen)") % {"name": indicator.name.lower()},
    )


def _municipality_table(
    indicator: Indicator,
    year: int,
    unit: str,
    municipalities: dict[str, ValueRow],
    extras: dict[str, dict[str, ValueRow]],
) -> Table:
    """The municipalities with the indicator's figure; the main indicator's table also shows
    the share of the labour force and the registration rate (the same two columns in every
    table would only repeat themselves)."""
    with_extras = indicator.code == MAIN_INDICATOR and bool(extras)
    columns = [_("Gemeente"), _("Code"), _value_column(unit)]
    if with_extras:
        columns += [_("Aandeel beroepsbevolking (%)"), _("Registratiegraad (%)")]
    columns.append(_("Status"))
    rows = []
    for code, row in municipalities.items():
        cells: list[Any] = [row.name, code, _rounded(row.value, indicator)]
        if with_extras:
            for extra in (SHARE_INDICATOR, RATE_INDICATOR):
                other = extras.get(extra, {}).get(code)
                cells.append(_rounded(other.value, None) if other else None)
        statuses = [row, *(extras.get(e, {}).get(code) for e in extras)] if with_extras else [row]
        cells.append(_status_of(statuses))
        rows.append(tuple(cells))
    return Table(
        columns=tuple(columns),
        rows=rows,
        caption=_("%(name)s per gemeente, %(year)s") % {"name": indicator.name, "year": year},
    )


def _sources_section(actor: Any, used: _Used, year: int) -> Section:
    publications: dict[str, dict[str, None]] = {source: {} for source in used.sources}
    found = (
        queries.observations(actor)
        .filter(source__in=list(used.sources), indicator__in=used.indicators, year__lte=year)
        .exclude(publication="")
        .values_list("source", "publication")
        .distinct()
    )
    for source, publication in found:
        publications[source][publication] = None
    rows = [
        (source, publication)
        for source in used.sources
        for publication in (publications[source] or [""])
    ]
    return Section(
        _("Bronnen"),
        blocks=(
            Paragraph(_("Elke bron en publicatie van de cijfers in dit rapport, één keer.")),
            Table(
                columns=(_("Bron"), _("Publicatie")),
                rows=sorted(rows),
                caption=_("Bronnen"),
                empty_text=_("Geen bronnen: het rapport toont geen cijfers."),
            ),
        ),
    )


# --- figures -------------------------------------------------------------------------------


def _municipal(
    actor: Any, indicator: Indicator, year: int, province: Province, used: _Used
) -> dict[str, ValueRow]:
    """The province's municipalities of the year (and any other with a figure), by code."""
    used.indicators |= {part.pk for part in (indicator, *indicator.parts())}
    rows = [
        row
        for row in queries.value_table(indicator, MUNICIPALITY, str(year), actor=actor)
        if row.area.province_id == province.pk
    ]
    used.add(rows)
    return {row.code: row for row in rows}


def _rounded(value: Decimal | None, indicator: Indicator | None) -> int | Decimal | None:
    """A count as a whole number, anything else (a percentage) to one decimal: stored figures
    carry four decimals, a ratio and a forecast many more, which no reader needs."""
    if value is None:
        return None
    if indicator is not None and indicator.aggregation == Aggregation.SUM:
        return int(Decimal(value).quantize(WHOLE))
    return Decimal(value).quantize(ONE_DECIMAL)


def _value_column(unit: str) -> str:
    return _("Waarde (%(unit)s)") % {"unit": unit} if unit else _("Waarde")


def _status(row: ValueRow) -> str:
    if row.value is None:
        return ""
    return row.status_label


def _status_of(rows: Iterable[ValueRow | None]) -> str:
    """The least certain status of the figures on one table row (fictief wins)."""
    statuses = [row.status for row in rows if row is not None and row.value is not None]
    if not statuses:
        return ""
    return status_label(rules.least_certain(statuses))
