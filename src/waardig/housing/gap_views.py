"""The landing page of housing: the gap between need and capacity for a year, per region and
municipality, with its chart, map, downloads and the report.

The numbers come from housing.gap (the download and the report use the same functions); the
page only chooses the options and shapes the charts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.areas.boundaries import feature_collection
from waardig.core.access import CHANGE, may
from waardig.core.numbers import parse_year
from waardig.core.reports.html import chart_html
from waardig.core.views import ScopedView
from waardig.housing import capacity, charts, gap
from waardig.housing.models import (
    HousingNeed,
)
from waardig.monitor.models import Observation

REPORT_FORMATS = ("pdf", "docx", "xlsx", "md")


def map_spec(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """A choropleth when boundaries are loaded (`waardig manage load_boundaries`), otherwise
    the schematic tile map."""
    geojson = feature_collection([row["code"] for row in rows])
    return charts.shortage_map(rows, title, geojson)


class GapPage(ScopedView):
    """Every network role sees the gap: it shows sums per municipality, never a location."""

    model = HousingNeed

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        today = timezone.localdate()
        groupings = gap.groupings()
        context: dict[str, Any] = {
            "groupings": groupings,
            "stay_choices": [(c, gap.stay_class_label(c)) for c in gap.STAY_CHOICES],
            "may_publish": may(user, CHANGE, Observation),
        }
        if not groupings:
            return self.page("housing/gap.html", self._crumbs(), analysis=None, **context)
        years = gap.need_years(user)
        year = self._choice(parse_year, "year", None) or (years[0] if years else today.year)
        grouping = self._choice(gap.parse_grouping, "grouping", gap.DEFAULT_GROUPING)
        if grouping not in {slug for slug, _name in groupings}:
            grouping = groupings[0][0]
        stay_class = self._choice(gap.parse_stay_class, "stay_class", gap.ALL)
        analysis = gap.gap_analysis(user, year, grouping, stay_class, today=today)
        options = {"year": year, "grouping": grouping}
        if stay_class:
            options["stay_class"] = stay_class
        report_query = urlencode({"year": year, "grouping": grouping})
        params = analysis.parameters
        regions = [r.region for r in analysis.regions]
        context |= {
            "analysis": analysis,
            "year": year,
            "years": sorted({*years, today.year, year}, reverse=True),
            "grouping": grouping,
            "stay_class": stay_class,
            "query": urlencode(options),
            "report_query": report_query,
            "report_formats": REPORT_FORMATS,
            "weights": gap.weights(params),
            "stay_limits": gap.stay_limits(params),
            "gap_chart": chart_html(
                charts.gap_chart(
                    charts.area_rows([*regions, *analysis.provinces]),
                    _("Behoefte en capaciteit per regio, %(year)s") % {"year": year},
                ),
                _("Behoefte en capaciteit per regio (%(classes)s)")
                % {"classes": analysis.stay_class_label},
                _(
                    "Per regio en voor de provincie drie staven: de behoefte, de bestaande "
                    "capaciteit en de gewogen geplande capaciteit, in personen. Een onbekende "
                    "behoefte heeft geen staaf."
                ),
            ),
            "map_chart": chart_html(
                map_spec(
                    charts.municipality_rows(analysis),
                    _("Tekort (+) of overschot (−) per gemeente, %(year)s") % {"year": year},
                ),
                _("Kaart: tekort of overschot per gemeente"),
                _(
                    "Oranje is een tekort, blauw een overschot, grijs een onbekende behoefte "
                    "(geen cijfer, dus ook geen tekort)."
                ),
            ),
        }
        return self.page("housing/gap.html", self._crumbs(), **context)

    def _choice(self, parse: Any, name: str, default: Any) -> Any:
        """An option as asked for when it is valid, else the default (a page never fails on
        a hand-edited address; the download and the report do say what is wrong)."""
        value = self.request.GET.get(name, "")
        if not value:
            return default
        try:
            return parse(value)
        except ValidationError:
            return default

    def _crumbs(self) -> list:
        return [(_("Huisvesting"), None)]


# --- the download of the page --------------------------------------------------------------

EXPORT_COLUMNS = [
    "year",
    "reference_date",
    "grouping",
    "stay_class",
    "level",
    "region",
    "code",
    "name",
    "need",
    "need_known_municipalities",
    "municipalities",
    "need_known_part",
    "existing_certified",
    "existing_uncertified",
    "existing",
    "planned_weighted",
    "planned_unweighted",
    "shortage",
    "fictitious",
]


def rows_in_page_order(analysis: gap.GapAnalysis) -> list[tuple[str, gap.AreaGap]]:
    """(region name, row) as the page lists them: each region's municipalities, then the
    region itself, then the province."""
    rows = []
    for region in analysis.regions:
        rows.extend((region.region.name, m) for m in region.municipalities)
        rows.append((region.region.name, region.region))
    rows.extend(("", province) for province in analysis.provinces)
    return rows


def export_rows(actor: Any, options: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The page's table as a download; an unknown need or shortage is empty, never 0."""
    year = parse_year(options["year"]) if options.get("year") else gap.default_year(actor)
    analysis = gap.gap_analysis(
        actor,
        year,
        gap.parse_grouping(options.get("grouping")),
        gap.parse_stay_class(options.get("stay_class")),
    )
    rows = [
        [
            analysis.year,
            analysis.reference_date,
            analysis.grouping,
            analysis.stay_class or "all",
            row.level,
            region,
            row.code,
            row.name,
            row.need,
            row.known,
            row.expected,
            row.partial_need,
            row.certified,
            row.uncertified,
            row.existing,
            row.planned,
            row.planned_unweighted,
            row.shortage,
            row.fictitious,
        ]
        for region, row in rows_in_page_order(analysis)
    ]
    return EXPORT_COLUMNS, rows


class CapacityToMonitor(ScopedView):
    """Write the register's capacity of a year as the monitor's "housing-capacity" figure
    (housing.capacity); for who keeps monitor figures."""

    model = Observation
    action = CHANGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            year = parse_year(request.POST.get("year", ""))
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("housing-gap")
        counts = capacity.publish_capacity(request.user, year)
        messages.success(
            request,
            _(
                "Capaciteit %(year)s naar de monitor geschreven: %(created)s nieuw, "
                "%(updated)s gewijzigd, %(unchanged)s ongewijzigd."
            )
            % {"year": year, **{k: counts[k] for k in ("created", "updated", "unchanged")}},
        )
        return redirect(f"{reverse('housing-gap')}?{urlencode({'year': year})}")


urlpatterns = [
    path("", GapPage.as_view(), name="housing-gap"),
    path("capaciteit-naar-monitor/", CapacityToMonitor.as_view(), name="housing-capacity-publish"),
]
