"""The monitor's pages for the network: the dashboard and a page per municipality.

Tables come from monitor.dashboard (the downloads use the same functions); charts from
monitor.charts, drawn by vega-embed with PNG and SVG download in their menu.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardig.areas.boundaries import feature_collection
from waardig.areas.models import Municipality
from waardig.core.access import CHANGE, may
from waardig.core.editing import FormPage
from waardig.core.reports.html import chart_html
from waardig.core.views import ScopedView
from waardig.monitor import charts, dashboard, queries, services
from waardig.monitor.forms import ForecastForm
from waardig.monitor.models import Forecast, Indicator, Observation


def forecast_series(forecasts: list[Forecast]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(forecast.name, forecast.points) for forecast in forecasts]


class Dashboard(ScopedView):
    model = Observation

    def get(self, request: HttpRequest) -> HttpResponse:
        indicators = list(queries.indicators(request.user).filter(aggregation="sum"))
        if not indicators:
            return self.page("monitor/dashboard.html", self._crumbs(), indicator=None)
        code = request.GET.get("indicator") or dashboard.MAIN_INDICATOR
        indicator = next((i for i in indicators if i.code == code), indicators[0])
        years = dashboard.years_with_data(request.user, indicator)
        groupings = dashboard.groupings()
        grouping = request.GET.get("grouping") or dashboard.DEFAULT_GROUPING
        if grouping not in {g.slug for g in groupings}:
            grouping = groupings[0].slug if groupings else ""
        context: dict[str, Any] = {
            "indicators": indicators,
            "indicator": indicator,
            "years": years,
            "groupings": groupings,
            "grouping": grouping,
        }
        if years:
            context |= self._figures(
                indicator, dashboard.chosen_year(request.GET.get("year", ""), years), grouping
            )
        return self.page("monitor/dashboard.html", self._crumbs(), **context)

    def _figures(self, indicator: Indicator, year: int, grouping: str) -> dict[str, Any]:
        user = self.request.user
        forecasts = dashboard.province_forecasts(user, indicator)
        regions = dashboard.region_rows(user, indicator, year, grouping) if grouping else []
        municipalities = dashboard.municipality_rows(user, indicator, year)
        region_forecasts = dashboard.region_forecasts(user, indicator, regions)
        for item in municipalities:
            if len(item.trend) > 1:
                item.sparkline = charts.sparkline(item.trend)
        provinces = dashboard.province_rows(user, indicator, year)
        trend = [
            {"year": each, "value": row.value, "status": row.status}
            for province in provinces
            for each, row in dashboard.province_trend(user, indicator, province.area)
        ]
        shown = [m.row for m in municipalities] + regions + provinces
        map_rows = [
            {"code": m.row.code, "name": m.row.name, "value": m.row.value}
            for m in municipalities
            if m.row.value is not None
        ]
        return {
            "year": year,
            "provinces": provinces,
            "region_lines": [(row, region_forecasts.get(row.area.pk, [])) for row in regions],
            "municipalities": municipalities,
            "forecasts": forecasts,
            "may_forecast": may(user, CHANGE, Forecast),
            "sources": dashboard.sources(shown),
            "fictitious": dashboard.fictitious(shown),
            "trend_chart": chart_html(
                charts.trend_chart(trend, forecast_series(forecasts), indicator.name),
                _("%(name)s in de provincie") % {"name": indicator.name},
                _("Waarnemingen als lijn, prognoses als band van laag tot hoog."),
            ),
            "regions_chart": chart_html(
                charts.regions_chart(
                    [{"name": r.name, "value": r.value, "note": r.note} for r in regions],
                    indicator.name,
                ),
                _("Regio's vergeleken (%(year)s)") % {"year": year},
            )
            if regions
            else "",
            "map_chart": chart_html(*_map(map_rows, indicator, year)) if map_rows else "",
        }

    def _crumbs(self) -> list:
        return [(_("Monitor"), None)]


def _map(rows: list[dict[str, Any]], indicator: Indicator, year: int) -> tuple[dict, str]:
    """A choropleth when boundaries are loaded (`waardig manage load_boundaries`), otherwise
    the schematic tile map."""
    title = _("%(name)s per gemeente (%(year)s)") % {"name": indicator.name, "year": year}
    if geojson := feature_collection([row["code"] for row in rows]):
        return charts.choropleth(geojson, rows, indicator.name), title
    return charts.tile_map(rows, indicator.name), title


class MunicipalityPage(ScopedView):
    model = Observation

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        municipality = get_object_or_404(
            Municipality.objects.select_related("successor"), code=code.upper()
        )
        years, table = dashboard.municipality_profile(request.user, municipality)
        main = queries.indicators(request.user).filter(code=dashboard.MAIN_INDICATOR).first()
        main_line = next((line for line in table if main and line["indicator"] == main), None)
        trend = [
            {"year": year, "value": cell.value, "status": cell.status}
            for year, cell in zip(years, main_line["cells"] if main_line else [], strict=False)
            if cell is not None
        ]
        forecasts = (
            dashboard.municipality_forecasts(request.user, main, municipality) if main else []
        )
        cells = [cell for line in table for cell in line["cells"] if cell is not None]
        return self.page(
            "monitor/municipality.html",
            [(_("Monitor"), reverse("monitor-dashboard")), (municipality.name, None)],
            municipality=municipality,
            years=years,
            table=table,
            forecasts=forecasts,
            sources=dashboard.sources(cells),
            fictitious=dashboard.fictitious(cells),
            trend_chart=chart_html(
                charts.trend_chart(trend, forecast_series(forecasts), main.name),
                _("%(name)s in %(place)s") % {"name": main.name, "place": municipality.name},
            )
            if trend
            else "",
        )


class ForecastCreate(FormPage):
    """An analyst makes (or remakes) a forecast for the province and its municipalities."""

    model = Forecast
    form_class = ForecastForm
    saved_message = gettext_lazy("De prognose is gemaakt voor de provincie en de gemeenten.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"indicator": dashboard.MAIN_INDICATOR}

    def save(self, form: ForecastForm, obj: Any) -> list[Forecast]:
        data = form.cleaned_data
        return services.make_forecasts(
            self.request.user,
            data["indicator"],
            data["name"],
            data["method"],
            data["target_year"],
            base_years=data["base_years"],
            low=data["low"],
            high=data["high"],
        )

    def done(self, saved: list[Forecast]) -> HttpResponse:
        return redirect(f"{reverse('monitor-dashboard')}?indicator={saved[0].indicator.code}")

    def show(self, form: ForecastForm, obj: Any) -> HttpResponse:
        return self.page(
            "monitor/form.html",
            [(_("Monitor"), reverse("monitor-dashboard")), (_("Nieuwe prognose"), None)],
            form=form,
            title=_("Nieuwe prognose"),
        )
