"""Demo monitor figures: the province's real figures with their sources, and per municipality
a generated series labelled 'fictief' (both in monitor/data/demo_figures.json).

No per-municipality figures are public in what we have, so the municipal series are invented.
They add up exactly to the real province totals where those exist (working labour migrants
2017 and 2022, labour force 2022), so a region derived from them tells the study's story.
Every random draw is seeded by municipality, series and year: neither the order of loading nor
a second run changes a value, and a second run changes nothing.
"""

from __future__ import annotations

import datetime
import json
import math
import random
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from importlib.resources import files
from typing import Any, NamedTuple

from django.db import transaction

from waardig.areas.models import Municipality, Province
from waardig.core.access import SYSTEM
from waardig.monitor import forecasting, rules, services
from waardig.monitor.models import Indicator

DATA = files("waardig.monitor") / "data"
FIGURES = "demo_figures.json"

WORKING, LIVING, BRP, RNI, LABOUR_FORCE = (
    "working-labour-migrants",
    "labour-migrants-living",
    "registered-brp",
    "registered-rni",
    "labour-force",
)
STAY_SPLIT_YEAR = 2022
"""The one year whose working labour migrants are also split by stay class."""


class Figure(NamedTuple):
    """One generated municipal value."""

    indicator: str
    municipality: str
    year: int
    value: int
    stay_class: str = ""


DEMO_FORECASTS = (
    # (name, method, base years, low, high): the scenario's bounds are the study's (DOMAIN.md
    # section 3); its shares over municipalities come from the fictitious municipal figures.
    (
        "Scenario Integrale Aanpak 2030 (verdeling over gemeenten fictief)",
        forecasting.SCENARIO,
        (2022,),
        Decimal(96000),
        Decimal(112000),
    ),
    (
        "Lineaire trend 2017-2024 (fictief)",
        forecasting.LINEAR,
        tuple(range(2017, 2025)),
        None,
        None,
    ),
)
FORECAST_YEAR = 2030


@transaction.atomic
def load_monitor() -> Counter[str]:
    """The demo figures and two forecasts of working labour migrants to 2030."""
    outcomes = load_monitor_figures()
    working = Indicator.objects.get(code=WORKING)
    for name, method, base_years, low, high in DEMO_FORECASTS:
        services.make_forecasts(
            SYSTEM,
            working,
            name,
            method,
            FORECAST_YEAR,
            base_years=base_years,
            low=low,
            high=high,
            today=datetime.date(2026, 1, 1),
        )
    return outcomes


@transaction.atomic
def load_monitor_figures() -> Counter[str]:
    """Record the demo figures through the monitor service; returns how many were created,
    updated or left unchanged.

    Needs the reference areas and the indicator catalogue (``waardig setup``).
    """
    data = read_data()
    province = Province.objects.get(code=data["province"])
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    outcomes: Counter[str] = Counter()
    for entry in data["observed"]:
        _, outcome = services.save_observation(
            SYSTEM,
            indicator=indicators[entry["indicator"]],
            province=province,
            period=entry["period"],
            value=Decimal(entry["value"]),
            status=entry["status"],
            source=entry["source"],
            publication=entry["publication"],
        )
        outcomes[outcome] += 1
    settings = data["fictitious"]
    figures = generated_figures(data)
    places = Municipality.objects.in_bulk({f.municipality for f in figures}, field_name="code")
    for figure in figures:
        _, outcome = services.save_observation(
            SYSTEM,
            indicator=indicators[figure.indicator],
            municipality=places[figure.municipality],
            period=str(figure.year),
            stay_class=figure.stay_class,
            value=Decimal(figure.value),
            status=rules.FICTITIOUS,
            source=settings["source"],
            publication=settings["publication"],
        )
        outcomes[outcome] += 1
    return outcomes


def read_data() -> dict[str, Any]:
    return json.loads((DATA / FIGURES).read_text(encoding="utf-8"))


def generated_figures(data: dict[str, Any] | None = None) -> list[Figure]:
    """The fictitious municipal figures, for the municipalities of the data's province valid
    on 1 January of each year (Nuth up to 2018, Beekdaelen from 2019)."""
    data = data or read_data()
    settings = data["fictitious"]
    codes = {
        year: list(
            Municipality.objects.valid_on(datetime.date(year, 1, 1))
            .filter(province__code=data["province"])
            .order_by("code")
            .values_list("code", flat=True)
        )
        for year in range(settings["first_year"], settings["last_year"] + 1)
    }
    return municipal_figures(settings, codes, anchors(data["observed"]))


def anchors(observed: list[dict[str, Any]]) -> dict[str, dict[int, int]]:
    """The real province totals the municipal series must add up to, per indicator and year."""
    found: dict[str, dict[int, int]] = {}
    for entry in observed:
        if entry.get("anchor"):
            found.setdefault(entry["indicator"], {})[int(entry["period"])] = int(entry["value"])
    return found


def municipal_figures(
    settings: Mapping[str, Any],
    municipalities: Mapping[int, list[str]],
    totals_at: Mapping[str, Mapping[int, int]],
) -> list[Figure]:
    """Every generated value for the municipalities valid in each year (codes per year).

    Working labour migrants and the labour force are province totals apportioned over the
    municipalities by invented weights; the others follow from a municipality's working
    labour migrants by invented shares, rounded down so that living <= working and
    BRP + RNI <= living hold for every municipality.
    """
    profiles = {profile["code"]: profile for profile in settings["municipalities"]}
    first = settings["first_year"]
    years = range(first, settings["last_year"] + 1)
    shares = settings["shares"]
    figures: list[Figure] = []
    for code_name, weight_name in ((WORKING, "working"), (LABOUR_FORCE, "labour_force")):
        totals = series_totals(years, settings["growth"][code_name], totals_at[code_name])
        noise = settings["noise"][code_name]
        for year in years:
            weights = {}
            for code in municipalities[year]:
                profile = profiles[code]
                trend = profile["trend"] if code_name == WORKING else 0.0
                weights[code] = (
                    profile[weight_name]
                    * (1 + trend) ** (year - first)
                    * (1 + noise * _draw(code, code_name, year).uniform(-1, 1))
                )
            for code, value in apportion(totals[year], weights).items():
                figures.append(Figure(code_name, code, year, value))
    working = {(f.municipality, f.year): f.value for f in figures if f.indicator == WORKING}
    for (code, year), total in working.items():
        base = _draw(code, "shares")
        living_share, brp_share, rni_share = (
            base.uniform(*shares["living"]),
            base.uniform(*shares["brp"]) + shares["brp_gain_per_year"] * (year - first),
            base.uniform(*shares["rni"]),
        )
        short, long = base.uniform(*shares["short"]), base.uniform(*shares["long"])
        jitter = _draw(code, "shares", year)
        living = min(total, math.floor(total * (living_share + jitter.uniform(-0.02, 0.02))))
        brp = min(living, math.floor(living * (brp_share + jitter.uniform(-0.01, 0.01))))
        rni = min(living - brp, math.floor(living * (rni_share + jitter.uniform(-0.01, 0.01))))
        figures += [
            Figure(LIVING, code, year, living),
            Figure(BRP, code, year, brp),
            Figure(RNI, code, year, rni),
        ]
        if year == STAY_SPLIT_YEAR:
            split = apportion(total, {"short": short, "mid": 1 - short - long, "long": long})
            figures += [Figure(WORKING, code, year, split[s], s) for s in rules.STAY_CLASSES]
    return figures


def series_totals(
    years: range, growth: Mapping[str, float], anchored: Mapping[int, int]
) -> dict[int, int]:
    """A province total per year: the anchors exactly, the years between them following the
    yearly growth rates evenly scaled to meet the next anchor, the years outside them
    following the rates from the nearest anchor."""
    if not anchored:
        raise ValueError("a generated series needs at least one real total")
    raw = {years[0]: 1.0}
    for year in years[1:]:
        raw[year] = raw[year - 1] * (1 + growth[str(year)])
    totals = {}
    for year in years:
        before = max((a for a in anchored if a <= year), default=None)
        after = min((a for a in anchored if a >= year), default=None)
        if before is not None and after is not None and before != after:
            rate = anchored[after] / anchored[before] / (raw[after] / raw[before])
            scaled = rate ** ((year - before) / (after - before))
            totals[year] = round(anchored[before] * raw[year] / raw[before] * scaled)
        else:
            anchor = before if before is not None else after
            totals[year] = round(anchored[anchor] * raw[year] / raw[anchor])
    return totals


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Whole numbers in proportion to the weights that add up to exactly ``total``
    (largest remainder; ties go to the first key in sorted order)."""
    weight_sum = sum(weights.values())
    quotas = {key: total * weight / weight_sum for key, weight in weights.items()}
    shares = {key: math.floor(quota) for key, quota in quotas.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(quotas, key=lambda key: (shares[key] - quotas[key], key))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


def _draw(*seed: object) -> random.Random:
    """A random source of its own for one municipality, series and year: no draw depends on
    another or on the order of loading."""
    return random.Random("/".join(map(str, seed)))  # noqa: S311 - invented demo figures
