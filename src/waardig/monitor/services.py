"""Writes to the monitor: each function is one use case in one transaction, access-checked.

Observations are aggregate figures, not personal data: no audit entry per value (an import
is recorded by its import job).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waardig.areas.models import Municipality, Province
from waardig.core.access import CHANGE, display_name, require
from waardig.monitor import forecasting, queries
from waardig.monitor.models import (
    AREA_FIELDS,
    OBSERVATION_VALUES,
    Aggregation,
    Forecast,
    Indicator,
    Observation,
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
BULK_BATCH = 500

INDICATOR_FIELDS = (
    "name",
    "unit",
    "definition",
    "source",
    "aggregation",
    "numerator",
    "denominator",
    "weight",
    "scale",
    "by_stay_class",
    "order",
)


def _apply(obj: Any, values: dict[str, Any], names: tuple[str, ...]) -> bool:
    """Set the given values; True when any of them differs from what the object held."""
    changed = False
    for name in names:
        if name in values and getattr(obj, name) != values[name]:
            setattr(obj, name, values[name])
            changed = True
    return changed


@transaction.atomic
def save_indicator(actor: Any, code: str, **values: Any) -> tuple[Indicator, str]:
    """Create the indicator with this code or bring it up to date (the catalogue loader)."""
    unknown = set(values) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    indicator = Indicator.objects.filter(code=code).first()
    outcome = UPDATED if indicator else CREATED
    indicator = indicator or Indicator(code=code)
    require(actor, CHANGE, indicator)  # before anything is told, as for observations
    if not _apply(indicator, values, INDICATOR_FIELDS) and outcome == UPDATED:
        return indicator, UNCHANGED
    indicator.full_clean()
    indicator.save()
    return indicator, outcome


@transaction.atomic
def save_observation(actor: Any, **fields: Any) -> tuple[Observation, str]:
    """Record one figure under its natural key (indicator, area, period, stay class).

    Returns the observation and whether it was created, updated or left unchanged, so an
    import can report all three and a second run of the same file changes nothing.
    ``fields`` are the model's fields; the period's kind, year and start follow from its
    text. Values are compared as numbers: 12.5 and 12.5000 are the same figure. Fields left
    out keep their stored value on an update.
    """
    unknown = set(fields) - {n for f in Observation._meta.fields for n in (f.name, f.attname)}
    if unknown:
        raise TypeError(f"unknown observation fields: {sorted(unknown)}")
    candidate = Observation(**fields)
    require(actor, CHANGE, candidate)
    # Validated as given (period normalised, text converted); the key is looked up next.
    candidate.full_clean(validate_constraints=False)
    existing = _find(candidate)
    if existing is None:
        candidate.save()
        return candidate, CREATED
    require(actor, CHANGE, existing)
    given = {name: getattr(candidate, name) for name in OBSERVATION_VALUES if name in fields}
    if not _apply(existing, given, OBSERVATION_VALUES):
        return existing, UNCHANGED
    if "import_job" in fields:
        existing.import_job = candidate.import_job
    existing.save()
    return existing, UPDATED


def _find(candidate: Observation) -> Observation | None:
    area = next(name for name in AREA_FIELDS if getattr(candidate, f"{name}_id") is not None)
    return (
        Observation.objects.select_for_update()
        .filter(
            indicator_id=candidate.indicator_id,
            period=candidate.period,
            stay_class=candidate.stay_class,
            **{f"{area}_id": getattr(candidate, f"{area}_id")},
        )
        .first()
    )


def compare_figure(stored: Any, values: Mapping[str, Any]) -> str:
    """Whether storing ``values`` under a key creates, updates or leaves the figure unchanged
    (``stored`` holds the OBSERVATION_VALUES found under the key, or None). The same rule as
    save_observation: numbers compare as numbers."""
    if stored is None:
        return CREATED
    same = all(getattr(stored, name) == values[name] for name in OBSERVATION_VALUES)
    return UNCHANGED if same else UPDATED


@transaction.atomic
def save_figures(
    actor: Any, figures: list[tuple[int | None, dict[str, Any]]], *, import_job: Any = None
) -> None:
    """Store a batch of figures an import validated and compared (``compare_figure``): each
    is (pk of the stored figure or None, model field values with the period's kind, year and
    start filled). New ones are inserted with one prepared statement, changed ones updated
    together.

    The bulk twin of save_observation for files of a million rows: the importer has checked
    every value against the same rules (monitor.formats), areas and indicators exist, and no
    key repeats; the database's constraints still guard the natural key and the one area.
    """
    if not figures:
        return
    require(actor, CHANGE, Observation(**figures[0][1]))
    job_id = getattr(import_job, "pk", None)
    new: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for pk, values in figures:
        if pk is None:  # grouped by their columns: a municipality's figure has no region_id
            new.setdefault(tuple(values), []).append(values | {"import_job_id": job_id})
    for rows in new.values():
        _insert(rows)
    changed = [
        Observation(pk=pk, **values, import_job_id=job_id)
        for pk, values in figures
        if pk is not None
    ]
    Observation.objects.bulk_update(
        changed, [*OBSERVATION_VALUES, "import_job"], batch_size=BULK_BATCH
    )


def _insert(rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (dicts of field attnames, all with the same keys) with executemany:
    the ORM's bulk_create compiles every row's SQL anew, most of a large import's time.
    Values go through their field's conversion where one is needed (numbers, dates)."""
    names = list(rows[0])
    fields = [Observation._meta.get_field(name) for name in names]
    convert = [
        field.get_db_prep_save if field.get_internal_type() in _CONVERTED else None
        for field in fields
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(Observation._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [
        [
            value if conv is None else conv(value, connection=connection)
            for conv, value in zip(convert, (row[name] for name in names), strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


_CONVERTED = {"DecimalField", "DateField"}


@transaction.atomic
def make_forecasts(
    actor: Any,
    indicator: Indicator,
    name: str,
    method: str,
    target_year: int,
    *,
    base_years: Sequence[int] = (),
    low: Decimal | None = None,
    high: Decimal | None = None,
    stay_class: str = "",
    today: datetime.date | None = None,
) -> list[Forecast]:
    """Forecast the indicator for the province and each of today's municipalities, and keep
    the result under ``name`` (replacing an earlier forecast of that name).

    Growth and trend forecasts apply the method to every area's own series (a year before a
    merger counts the municipalities merged since, see ``queries.series_on_todays_division``).
    A scenario sets the province's range in the target year and shares it out by each
    municipality's part in the last base year. A growth or trend forecast needs every
    municipality's figure in every base year (a missing one raises ValidationError naming it);
    a scenario is shared over those with a figure only (their shares add up to the whole
    province range). Errors raise ValidationError with the reason.
    """
    require(actor, CHANGE, Forecast(indicator=indicator))
    today = today or timezone.localdate()
    if indicator.aggregation != Aggregation.SUM:
        raise ValidationError(_("Alleen aantallen (optellende indicatoren) krijgen een prognose."))
    if not name.strip():
        raise ValidationError(_("Geef de prognose een naam."))
    years = sorted(set(base_years))
    if not years:
        raise ValidationError(_("Kies de basisjaren."))
    provinces = queries.yearly_values(actor, indicator, queries.PROVINCE, years, stay_class)
    municipal = queries.series_on_todays_division(actor, indicator, years, today, stay_class)
    try:
        paths = _forecast_paths(method, provinces, municipal, years, target_year, low, high)
    except forecasting.ForecastError as exc:
        raise ValidationError(exc.message) from None
    Forecast.objects.filter(indicator=indicator, name=name, stay_class=stay_class).delete()
    areas = {p.code: p for p in Province.objects.all()} | {
        m.code: m for m in Municipality.objects.filter(code__in=municipal)
    }
    made = []
    for code, path in paths.items():
        area = areas[code]
        made.append(
            Forecast.objects.create(
                indicator=indicator,
                name=name.strip(),
                stay_class=stay_class,
                method=method,
                parameters=path.parameters,
                target_year=target_year,
                points=Forecast.stored_points(path),
                made_by=display_name(actor),
                **{"province" if isinstance(area, Province) else "municipality": area},
            )
        )
    return made


def _forecast_paths(
    method: str,
    provinces: dict[str, dict[int, Decimal]],
    municipal: dict[str, dict[int, Decimal]],
    years: list[int],
    target_year: int,
    low: Decimal | None,
    high: Decimal | None,
) -> dict[str, forecasting.Path]:
    """The province's path first, then the municipalities' (by CBS code)."""
    if not provinces:
        raise forecasting.ForecastError(_("Geen provinciale waarden in de basisjaren."))
    paths: dict[str, forecasting.Path] = {}
    if method == forecasting.SCENARIO:
        if low is None or high is None:
            raise forecasting.ForecastError(_("Een scenario vraagt een onder- en bovengrens."))
        last = years[-1]
        for code, series in provinces.items():
            if last not in series:
                raise forecasting.ForecastError(
                    _("Geen provinciale waarde in %(year)s.") % {"year": last}
                )
            paths[code] = forecasting.scenario_bounds(last, series[last], target_year, low, high)
        missing = sorted(code for code, series in municipal.items() if last not in series)
        if missing or not municipal:
            raise forecasting.ForecastError(
                _("Geen gemeentelijke waarde in %(year)s voor: %(codes)s.")
                % {"year": last, "codes": ", ".join(missing) or "-"}
            )
        shares = forecasting.shares({code: series[last] for code, series in municipal.items()})
        for path in list(paths.values()):
            paths |= forecasting.distribute(path, shares)
        return paths
    extend = {
        forecasting.CAGR: forecasting.compound_growth,
        forecasting.LINEAR: forecasting.linear_trend,
    }
    if method not in extend:
        raise forecasting.ForecastError(_("Onbekende methode '%(m)s'.") % {"m": method})
    for code, series in {**provinces, **municipal}.items():
        try:
            paths[code] = extend[method](series, years, target_year)
        except forecasting.ForecastError as exc:
            raise forecasting.ForecastError(f"{code}: {exc.message}") from None
    return paths
