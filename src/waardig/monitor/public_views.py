"""The public figures page and its open-data downloads: no login, nothing personal.

Anyone may open these: they publish only what ``monitor.public`` returns (aggregated counts,
small numbers protected), so no access policy applies. Page and downloads take their rows
from the same ``public_table(...).for_grouping(...)``.

URLs: ``/cijfers/?indicator=<code>&jaar=<year>&indeling=<grouping>`` (each optional: the
first indicator with figures, its latest year, the first grouping) and
``/cijfers/<code>/<year>.csv`` or ``.json`` with ``?indeling=<grouping>`` for exactly the
table the page shows.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.formats import number_format
from django.utils.http import quote_etag, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waardig.core.charts import json_number
from waardig.core.exports import render_table
from waardig.core.numbers import digits
from waardig.monitor import public
from waardig.monitor.dashboard import chosen_year
from waardig.monitor.disclosure import Shown
from waardig.monitor.models import Indicator, status_label

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
MAX_AGE = 600
"""Seconds a download may be cached: figures change only with an import."""


def threshold() -> int:
    return settings.WAARDIG_PUBLIC_MIN_COUNT


@require_safe
def figures(request: HttpRequest) -> HttpResponse:
    groupings = public.groupings()
    indicators = [(indicator, public.years(indicator)) for indicator in public.public_indicators()]
    options = [indicator for indicator, found in indicators if found]
    chosen, years = _chosen(request.GET.get("indicator", ""), indicators, options)
    year, notice = _year(request.GET.get("jaar", ""), years)
    grouping = _grouping(request.GET.get("indeling", ""), groupings)
    context: dict[str, Any] = {
        "breadcrumbs": [(_("Cijfers"), None)],
        "indicators": options,
        "chosen": chosen,
        "years": years,
        "year": year,
        "groupings": groupings,
        "grouping": grouping,
        "grouping_name": dict(groupings).get(grouping, ""),
        "threshold": threshold(),
        "notice": notice,
    }
    if chosen is not None and year is not None:
        table = public.public_table(chosen.code, year, threshold()).for_grouping(grouping)
        query = urlencode({"indeling": grouping}) if grouping else ""
        context |= {
            "sections": [
                {
                    "region": _cell(section.region, table.threshold),
                    "municipalities": [_cell(m, table.threshold) for m in section.municipalities],
                }
                for section in table.sections
            ],
            "provinces": [_cell(row, table.threshold) for row in table.provinces],
            "downloads": [
                (fmt.upper(), _download_url(chosen.code, year, fmt, query)) for fmt in FORMATS
            ],
        }
    return render(request, "monitor/public/figures.html", context)


@require_safe
def download(request: HttpRequest, indicator: str, year: int, fmt: str) -> HttpResponse:
    """The page's table as open data; 404 for anything the page would not show."""
    if fmt not in FORMATS:
        raise Http404
    try:
        chosen = public.public_indicator(indicator)
    except public.NotPublic:
        raise Http404 from None
    if year not in public.years(chosen):
        raise Http404
    groupings = public.groupings()
    grouping = request.GET.get("indeling", "") or _grouping("", groupings)
    if grouping not in dict(groupings) and (groupings or grouping):
        raise Http404
    table = public.public_table(chosen.code, year, threshold()).for_grouping(grouping)
    records = table.records()
    if fmt == "csv":
        columns = list(public.COLUMNS)
        content = render_table(columns, [[_csv(r[c]) for c in columns] for r in records], fmt)
    else:
        document = {
            "indicator": chosen.code,
            "name": chosen.name,
            "unit": chosen.unit,
            "year": year,
            "grouping": grouping,
            "threshold": table.threshold,
            "rows": [{**r, "value": json_number(r["value"])} for r in records],
        }
        content = json.dumps(document, ensure_ascii=False, indent=1).encode()
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    if not_modified := get_conditional_response(request, etag=etag):
        return not_modified
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = "-".join(filter(None, ["waardig-cijfers", chosen.code, str(year), grouping]))
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _chosen(
    code: str, indicators: list[tuple[Indicator, list[int]]], options: list[Indicator]
) -> tuple[Indicator | None, list[int]]:
    """The requested indicator (404 when it is not published), else the first with figures."""
    if code:
        for indicator, years in indicators:
            if indicator.code == code:
                if indicator not in options:
                    options.append(indicator)  # chosen without figures: say so, keep it chosen
                return indicator, years
        raise Http404
    if options:
        return options[0], dict(indicators)[options[0]]
    return None, []


def _year(text: str, years: list[int]) -> tuple[int | None, str]:
    """The requested year if it has figures, else the latest, with a notice why."""
    year = chosen_year(text, years)
    if year is None or not digits(text) or int(text) == year:
        return year, ""
    return year, _("Voor %(asked)s zijn er geen cijfers; u ziet %(shown)s.") % {
        "asked": int(text),
        "shown": years[0],
    }


def _grouping(slug: str, groupings: list[tuple[str, str]]) -> str:
    known = dict(groupings)
    if slug in known:
        return slug
    return groupings[0][0] if groupings else ""


def _download_url(code: str, year: int, fmt: str, query: str) -> str:
    url = reverse("public-figures-download", kwargs={"indicator": code, "year": year, "fmt": fmt})
    return f"{url}?{query}" if query else url


def _cell(row: public.PublicRow | None, limit: int) -> dict[str, Any] | None:
    """What a table row of the page shows; numbers in the visitor's notation (1.234)."""
    if row is None:
        return None
    shown = row.shown
    if shown.protected or shown.value is None:
        text = shown.text(limit)
    else:
        places = 0 if shown.value == shown.value.to_integral_value() else 1
        text = number_format(shown.value, places, use_l10n=True, force_grouping=True)
    return {
        "row": row,
        "text": text,
        "status": status_label(row.status),
    }


def _csv(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return Shown(value).text(0)
    return value
