"""Public reference pages: municipalities with their regions in every grouping."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from waardig.areas import queries


def municipality_list(request: HttpRequest) -> HttpResponse:
    filters = request.GET.dict()
    municipalities = list(queries.municipalities(filters))
    groupings = queries.groupings()
    rows = [
        {
            "municipality": m,
            "regions": [queries.region_of(m, g.slug) for g in groupings],
        }
        for m in municipalities
    ]
    return render(
        request,
        "areas/municipality_list.html",
        {"rows": rows, "groupings": groupings, "filters": filters},
    )


def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = queries.municipalities({"include_historical": "1"}).filter(code=code).first()
    if municipality is None:
        raise Http404
    return render(
        request,
        "areas/municipality_detail.html",
        {
            "municipality": municipality,
            "regions": municipality.regions.all(),
            "predecessors": municipality.predecessors.all(),
        },
    )
