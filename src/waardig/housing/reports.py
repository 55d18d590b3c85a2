"""The gap report (`waardig report housing-gap --year 2026 --grouping admin`): need against
existing and planned capacity per region and municipality, as one core.reports Document
(PDF, Word, spreadsheet, Markdown, and the web page of the generic report view).

The figures come from housing.gap, the charts from housing.charts: the report says what the
page says. Whatever rests on a fictitious figure (a need with status "fictitious", a location
or project marked fictitious) is labelled "fictief" beside it and in a note on every page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
from waardig.housing import charts, gap, rules

FICTIEF = "fictief"


def gap_report(actor: Any, options: Mapping[str, Any]) -> Document:
    """'Huisvesting arbeidsmigranten: tekort en overschot <jaar>'; options: year (required)
    and grouping ("admin" or "corop", default admin)."""
    year = parse_year(options.get("year"))
    grouping = gap.parse_grouping(options.get("grouping"))
    analyses = gap.gap_analyses(actor, year, grouping, gap.STAY_CHOICES)
    total = analyses[gap.ALL]
    fictitious = any(analysis.fictitious for analysis in analyses.values())
    notes: tuple[Note, ...] = ()
    if fictitious:
        notes = (
            Note(
                _(
                    "Dit rapport bevat fictieve gegevens: verzonnen behoeftecijfers, locaties of "
                    "projecten (demonstratie), geen echte. Elke regel die erop rust, heeft de "
                    "status 'fictief'."
                ),
                kind="fictief",
            ),
        )
    return Document(
        title=_("Huisvesting arbeidsmigranten: tekort en overschot %(year)s") % {"year": year},
        subtitle=_("Behoefte, bestaande en geplande capaciteit per regio en gemeente"),
        meta=(
            (_("Jaar"), str(year)),
            (_("Peildatum bestaande capaciteit"), total.reference_date),
            (_("Regio-indeling"), total.grouping_name),
            (_("Opgesteld op"), timezone.localdate()),
        ),
        sections=(
            _summary(total),
            _definition(total),
            _regions(total),
            _by_stay_class(analyses),
            _map(total),
            _unknown(total, analyses),
            _sources(analyses),
        ),
        notes=notes,
    )


# --- sections ------------------------------------------------------------------------------


def _summary(analysis: gap.GapAnalysis) -> Section:
    blocks: list[Any] = []
    for province in analysis.provinces:
        blocks.append(Paragraph(_province_text(province, analysis)))
    short = [r.region for r in analysis.regions if (r.region.shortage or 0) > 0]
    if short:
        blocks.append(
            Paragraph(
                _("Regio's met een tekort: %(regions)s.")
                % {
                    "regions": "; ".join(
                        f"{r.name} ({format_cell(r.shortage)})"
                        for r in sorted(short, key=lambda r: -r.gap.shortage)
                    )
                }
            )
        )
    unknown = analysis.unknown
    if unknown:
        blocks.append(
            Paragraph(
                ngettext(
                    "Van %(count)s van de %(total)s gemeenten is de behoefte onbekend; haar "
                    "tekort en dat van haar regio is daarom onbekend, niet nul.",
                    "Van %(count)s van de %(total)s gemeenten is de behoefte onbekend; hun "
                    "tekort en dat van hun regio is daarom onbekend, niet nul.",
                    len(unknown),
                )
                % {"count": len(unknown), "total": len(analysis.municipalities)}
            )
        )
    blocks.append(_area_table(_("Regio"), _regions_and_provinces(analysis), _caption(analysis)))
    return Section(_("Samenvatting"), blocks=tuple(blocks))


def _province_text(province: gap.AreaGap, analysis: gap.GapAnalysis) -> str:
    capacity = _(
        "bestaande capaciteit %(existing)s personen (waarvan %(certified)s gecertificeerd) "
        "op %(day)s en gepland %(planned)s gewogen (%(unweighted)s ongewogen)"
    ) % {
        "existing": format_cell(province.existing),
        "certified": format_cell(province.certified),
        "day": format_cell(analysis.reference_date),
        "planned": format_cell(province.planned),
        "unweighted": format_cell(province.planned_unweighted),
    }
    if province.need is None:
        text = _(
            "%(name)s, %(year)s: de behoefte en dus het tekort zijn onbekend; %(note)s. Er is "
            "%(capacity)s."
        ) % {"name": province.name, "year": analysis.year, "note": province.note,
             "capacity": capacity}  # fmt: skip
    else:
        text = _(
            "%(name)s, %(year)s: behoefte %(need)s personen. Er is %(capacity)s: %(balance)s "
            "van %(shortage)s."
        ) % {"name": province.name, "year": analysis.year, "need": format_cell(province.need),
             "capacity": capacity, "balance": province.balance,
             "shortage": format_cell(abs(province.shortage or 0))}  # fmt: skip
    if province.fictitious:
        text += " " + _("(fictief)")
    return text


def _definition(analysis: gap.GapAnalysis) -> Section:
    params = analysis.parameters
    return Section(
        _("Definitie en parameters"),
        blocks=(
            Paragraph(
                _(
                    "Behoefte: het aantal personen dat huisvesting nodig heeft, per gemeente, "
                    "jaar en verblijfsduur, uit onderzoek of afgeleid uit de monitor. Zonder "
                    "cijfer is de behoefte onbekend, nooit nul."
                )
            ),
            Paragraph(
                _(
                    "Bestaande capaciteit: de capaciteit van locaties die op de peildatum in "
                    "gebruik zijn (31 december van het jaar, of de dag van opstellen voor het "
                    "lopende jaar en later), gecertificeerd als het SNF- of AKF-certificaat op "
                    "die dag geldt. Een locatie die eerder gesloten is, telt niet mee."
                )
            ),
            Paragraph(
                _(
                    "Geplande capaciteit: projecten die niet gerealiseerd en niet vervallen zijn "
                    "en uiterlijk in het jaar klaar moeten zijn, gewogen naar hun status (tabel "
                    "hieronder); ongewogen staat ernaast."
                )
            ),
            Paragraph(
                _(
                    "Tekort = behoefte - bestaande capaciteit - gewogen geplande capaciteit: "
                    "positief is een tekort, negatief een overschot. Een regio of de provincie "
                    "telt haar gemeenten (van nu) op; haar behoefte is pas bekend als die van "
                    "elke gemeente bekend is. Cijfers van een opgeheven gemeente tellen bij "
                    "haar opvolger."
                )
            ),
            Table(
                columns=(_("Projectstatus"), _("Telt mee (%)")),
                rows=gap.weights(params),
                caption=_("Weging van geplande projecten per status"),
            ),
            Table(
                columns=(_("Verblijfsduur"), _("Verblijf")),
                rows=gap.stay_limits(params),
                caption=_("Grenzen van de verblijfsduur"),
            ),
        ),
    )


def _regions(analysis: gap.GapAnalysis) -> Section:
    regions = [r.region for r in analysis.regions]
    chart = Chart(
        spec=charts.gap_chart(
            charts.area_rows([*regions, *analysis.provinces]),
            _("Behoefte en capaciteit per regio, %(year)s") % {"year": analysis.year},
        ),
        title=_("Behoefte en capaciteit per regio"),
        description=_(
            "Per regio en voor de provincie drie staven: behoefte, bestaande capaciteit en "
            "gewogen geplande capaciteit, in personen; een onbekende behoefte heeft geen staaf."
        ),
    )
    subsections = tuple(
        Section(
            region.region.name,
            blocks=(
                _area_table(
                    _("Gemeente"),
                    [*region.municipalities, region.region],
                    _("%(region)s: gemeenten, %(year)s, %(classes)s")
                    % {
                        "region": region.region.name,
                        "year": analysis.year,
                        "classes": analysis.stay_class_label,
                    },
                    codes=True,
                ),
            ),
        )
        for region in analysis.regions
    )
    return Section(
        _("Regio's en gemeenten"),
        blocks=(
            Paragraph(
                _(
                    "Alle verblijfsduren samen. De laatste regel van elke tabel is de regio "
                    "zelf; 'onbekend' betekent: geen behoeftecijfer, dus geen tekort te berekenen."
                )
            ),
            chart,
        ),
        subsections=subsections,
    )


def _by_stay_class(analyses: Mapping[str, gap.GapAnalysis]) -> Section:
    rows = []
    for stay_class in rules.STAY_CLASSES:
        analysis = analyses[stay_class]
        for area in _regions_and_provinces(analysis):
            rows.append((analysis.stay_class_label, *_cells(area)))
    total = analyses[gap.ALL]
    return Section(
        _("Per verblijfsduur"),
        blocks=(
            Paragraph(
                _(
                    "Elke verblijfsduur apart. De behoefte telt zoals het onderzoek of de "
                    "afleiding haar indeelt; locaties en projecten tellen bij de verblijfsduur "
                    "waarvoor ze bedoeld zijn. De grenzen uit de parameters delen alleen de "
                    "verblijven in de nachtregisters in."
                )
            ),
            Table(
                columns=(_("Verblijfsduur"), _("Regio"), *_value_columns()),
                rows=rows,
                caption=_("Tekort of overschot per verblijfsduur en regio (%(grouping)s), %(year)s")
                % {"grouping": total.grouping_name, "year": total.year},
            ),
        ),
    )


def _map(analysis: gap.GapAnalysis) -> Section:
    return Section(
        _("Kaart"),
        blocks=(
            Chart(
                spec=charts.shortage_map(
                    charts.municipality_rows(analysis),
                    _("Tekort (+) of overschot (−) per gemeente, %(year)s")
                    % {"year": analysis.year},
                ),
                title=_("Kaart: tekort of overschot per gemeente"),
                description=_(
                    "Schematische kaart, één vak per gemeente: oranje een tekort, blauw een "
                    "overschot, grijs een onbekende behoefte."
                ),
            ),
        ),
    )


def _unknown(analysis: gap.GapAnalysis, analyses: Mapping[str, gap.GapAnalysis]) -> Section:
    region_of = {m.code: r.region.name for r in analysis.regions for m in r.municipalities}
    rows = [
        (
            m.name,
            m.code,
            region_of.get(m.code, ""),
            ", ".join(gap.stay_class_label(c) for c in m.missing_classes),
        )
        for m in analysis.unknown
    ]
    return Section(
        _("Gemeenten met onbekende behoefte"),
        blocks=(
            Paragraph(
                _(
                    "Zonder behoeftecijfer is ook het tekort onbekend, voor de gemeente en voor "
                    "haar regio. Zo'n gemeente telt nooit als nul."
                )
            ),
            Table(
                columns=(_("Gemeente"), _("Code"), _("Regio"), _("Geen cijfer voor")),
                rows=rows,
                caption=_("Gemeenten zonder (volledig) behoeftecijfer, %(year)s")
                % {"year": analysis.year},
                empty_text=_("Van elke gemeente is de behoefte bekend."),
            ),
        ),
    )


def _sources(analyses: Mapping[str, gap.GapAnalysis]) -> Section:
    analysis = analyses[gap.ALL]
    rows = [
        (
            source.source,
            source.publication,
            source.method_label,
            source.status_label,
            source.municipalities,
        )
        for source in analysis.sources
    ]
    return Section(
        _("Bronnen van de behoefte"),
        blocks=(
            Paragraph(
                _(
                    "Waar de behoeftecijfers vandaan komen: elke bron en publicatie één keer, "
                    "met de methode, de status en voor hoeveel gemeenten."
                )
            ),
            Table(
                columns=(_("Bron"), _("Publicatie"), _("Methode"), _("Status"), _("Gemeenten")),
                rows=rows,
                caption=_("Bronnen van de behoeftecijfers, %(year)s") % {"year": analysis.year},
                empty_text=_("Geen behoeftecijfers voor dit jaar."),
            ),
        ),
    )


# --- tables --------------------------------------------------------------------------------


def _regions_and_provinces(analysis: gap.GapAnalysis) -> list[gap.AreaGap]:
    return [*(r.region for r in analysis.regions), *analysis.provinces]


def _caption(analysis: gap.GapAnalysis) -> str:
    return _("Tekort of overschot per regio (%(grouping)s), %(year)s, %(classes)s") % {
        "grouping": analysis.grouping_name,
        "year": analysis.year,
        "classes": analysis.stay_class_label,
    }


def _value_columns() -> tuple[str, ...]:
    return (
        _("Behoefte"),
        _("Gecertificeerd"),
        _("Niet gecertificeerd"),
        _("Gepland gewogen"),
        _("Gepland ongewogen"),
        _("Tekort (+) of overschot (−)"),
        _("Toelichting"),
        _("Status"),
    )


def _cells(area: gap.AreaGap) -> tuple[Any, ...]:
    unknown = _("onbekend")
    return (
        area.name,
        unknown if area.need is None else area.need,
        area.certified,
        area.uncertified,
        area.planned,
        area.planned_unweighted,
        unknown if area.shortage is None else area.shortage,
        area.note,
        FICTIEF if area.fictitious else "",
    )


def _area_table(first: str, areas: list[gap.AreaGap], caption: str, codes: bool = False) -> Table:
    if codes:
        return Table(
            columns=(first, _("Code"), *_value_columns()),
            rows=[(a.name, a.code, *_cells(a)[1:]) for a in areas],
            caption=caption,
        )
    return Table(
        columns=(first, *_value_columns()), rows=[_cells(a) for a in areas], caption=caption
    )
