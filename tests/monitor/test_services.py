"""Writing figures and the catalogue: upsert on the natural key, validation, who may write."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from waardig.core.access import SYSTEM, VIEW, scope
from waardig.core.models import ImportJob
from waardig.monitor import services
from waardig.monitor.indicators import CATALOGUE, load_indicators
from waardig.monitor.models import Indicator, Observation

from .places import limburg, municipality, region

pytestmark = pytest.mark.django_db

WRITERS = {"province_admin", "analyst"}


def save(actor, indicator, **fields):
    values = {"municipality": municipality("GM0983"), "period": "2022", "value": "1250"}
    return services.save_observation(actor, indicator=indicator, **{**values, **fields})


def test_a_figure_is_created_then_unchanged_then_updated(catalogue):
    indicator = catalogue["working-labour-migrants"]
    observation, outcome = save(SYSTEM, indicator, source="Decisio", status="estimate")
    assert outcome == services.CREATED
    assert (observation.period_kind, observation.year, observation.period_start) == (
        "year",
        2022,
        datetime.date(2022, 1, 1),
    )
    again, outcome = save(SYSTEM, indicator, value="1250.0000", source="Decisio", status="estimate")
    assert (again.pk, outcome) == (observation.pk, services.UNCHANGED)
    updated, outcome = save(SYSTEM, indicator, value=Decimal("1300.5"), status="provisional")
    assert (updated.pk, outcome) == (observation.pk, services.UPDATED)
    stored = Observation.objects.get()
    assert (stored.value, stored.status, stored.source) == (
        Decimal("1300.5"),
        "provisional",
        "Decisio",
    )


def test_fields_left_out_keep_their_value(catalogue):
    indicator = catalogue["registered-brp"]
    save(SYSTEM, indicator, source="BRP", publication="Peiling 1 januari")
    _, outcome = save(SYSTEM, indicator, value="1260")
    assert outcome == services.UPDATED
    stored = Observation.objects.get()
    assert (stored.value, stored.source, stored.publication) == (1260, "BRP", "Peiling 1 januari")


def test_the_import_job_follows_a_change_only(catalogue):
    indicator = catalogue["registered-rni"]
    first, second = (
        ImportJob.objects.create(kind="observations", filename=name, actor="system")
        for name in ("a.csv", "b.csv")
    )
    save(SYSTEM, indicator, import_job=first)
    save(SYSTEM, indicator, import_job=second)  # the same figure again: unchanged
    assert Observation.objects.get().import_job == first
    save(SYSTEM, indicator, import_job=second, value="99")
    assert Observation.objects.get().import_job == second


def test_each_area_kind_and_stay_class_is_its_own_key(catalogue):
    indicator = catalogue["working-labour-migrants"]
    outcomes = [
        save(SYSTEM, indicator, **area, stay_class=stay)[1]
        for area in (
            {"municipality": municipality("GM0983")},
            {"municipality": None, "region": region("admin", "Noord")},
            {"municipality": None, "region": region("corop", "Noord-Limburg")},
            {"municipality": None, "province": limburg()},
        )
        for stay in ("", "short", "long")
    ]
    assert outcomes == [services.CREATED] * 12
    assert Observation.objects.count() == 12


def test_quarters_and_months_are_periods_of_their_own(catalogue):
    indicator = catalogue["open-vacancies"]
    for period in ("2022", "2022-Q1", "2022-01"):
        _, outcome = save(SYSTEM, indicator, period=period)
        assert outcome == services.CREATED
    assert sorted(Observation.objects.values_list("period_kind", flat=True)) == [
        "month",
        "quarter",
        "year",
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period": "2022JJ00"}, "period"),
        ({"value": "veel"}, "value"),
        ({"value": "12345678901234.5"}, "value"),  # more digits than the column holds
        ({"status": "guessed"}, "status"),
        ({"municipality": None}, "municipality"),
        ({"province": "limburg"}, "municipality"),  # two areas
    ],
)
def test_bad_figures_are_refused_with_the_field_named(catalogue, fields, field):
    if fields.get("province") == "limburg":
        fields["province"] = limburg()
    with pytest.raises(ValidationError) as error:
        save(SYSTEM, catalogue["labour-force"], **fields)
    assert field in error.value.message_dict
    assert not Observation.objects.exists()


def test_a_stay_class_only_for_indicators_split_by_it(catalogue):
    with pytest.raises(ValidationError) as error:
        save(SYSTEM, catalogue["labour-force"], stay_class="short")
    assert "stay_class" in error.value.message_dict
    assert save(SYSTEM, catalogue["registered-brp"], stay_class="short")[1] == services.CREATED


def test_unknown_fields_are_a_programming_error(catalogue):
    with pytest.raises(TypeError, match="colour"):
        save(SYSTEM, catalogue["labour-force"], colour="red")


def test_only_the_province_admin_and_analysts_write_figures(catalogue, users):
    indicator = catalogue["labour-force"]
    for name, user in users.items():
        if name in WRITERS:
            assert save(user, indicator, value=len(name))[1] in {"created", "updated"}
        else:
            with pytest.raises(PermissionDenied):
                save(user, indicator, value=len(name))
    assert Observation.objects.get().value == len("analyst")


def test_a_figure_nobody_may_change_is_refused_even_when_unchanged(catalogue, users):
    save(SYSTEM, catalogue["labour-force"])
    with pytest.raises(PermissionDenied):
        save(users["member"], catalogue["labour-force"])


def test_the_network_sees_the_figures_and_the_public_does_not(catalogue, users):
    from django.contrib.auth.models import AnonymousUser

    save(SYSTEM, catalogue["labour-force"])
    for user in users.values():
        assert scope(user, Observation.objects.all(), VIEW).count() == 1
        assert scope(user, Indicator.objects.all(), VIEW).count() == len(catalogue)
    assert not scope(AnonymousUser(), Observation.objects.all(), VIEW).exists()
    assert not scope(AnonymousUser(), Indicator.objects.all(), VIEW).exists()


def test_only_the_province_admin_and_analysts_change_indicators(catalogue, users):
    for name, user in users.items():
        if name in WRITERS:
            services.save_indicator(user, "labour-force", name=f"Beroepsbevolking ({name})")
        else:
            with pytest.raises(PermissionDenied):
                services.save_indicator(user, "labour-force", name="Anders")
    assert Indicator.objects.get(code="labour-force").name == "Beroepsbevolking (analyst)"


def test_an_indicator_nobody_may_change_is_refused_even_when_unchanged(catalogue, users):
    current = catalogue["labour-force"]
    with pytest.raises(PermissionDenied):  # not "unchanged": that would tell what is stored
        services.save_indicator(users["member"], current.code, name=current.name)


def test_the_catalogue_holds_the_monitor_indicators(catalogue):
    counts = {
        "working-labour-migrants",
        "labour-migrants-living",
        "registered-brp",
        "registered-rni",
    }
    assert counts | {
        "registration-rate",
        "labour-force",
        "labour-force-share",
        "open-vacancies",
        "housing-capacity",
    } <= set(catalogue)
    for code in counts:
        assert catalogue[code].by_stay_class and catalogue[code].aggregation == "sum"
    rate, share = catalogue["registration-rate"], catalogue["labour-force-share"]
    assert (rate.aggregation, rate.numerator.code, rate.denominator.code, rate.scale) == (
        "ratio",
        "registered-brp",
        "labour-migrants-living",
        100,
    )
    assert (share.numerator.code, share.denominator.code, share.scale) == (
        "working-labour-migrants",
        "labour-force",
        100,
    )
    for indicator in catalogue.values():
        assert indicator.unit and indicator.definition and indicator.source
        indicator.full_clean()
    orders = [i.code for i in sorted(catalogue.values(), key=lambda i: i.order)]
    assert orders == [entry["code"] for entry in json.loads(CATALOGUE.read_text())]


def test_loading_the_catalogue_again_changes_nothing_and_restores_edits(catalogue):
    assert load_indicators() == {"unchanged": len(catalogue)}
    services.save_indicator(SYSTEM, "labour-force", name="Iets anders", scale=Decimal(3))
    services.save_indicator(SYSTEM, "own-figure", name="Eigen cijfer", unit="personen")
    assert load_indicators() == {"unchanged": len(catalogue) - 1, "updated": 1}
    assert Indicator.objects.get(code="labour-force").name == "Beroepsbevolking"
    assert Indicator.objects.filter(code="own-figure").exists()  # users' own indicators stay


def test_a_catalogue_may_refer_forward_but_not_in_a_circle(db, tmp_path):
    forward = tmp_path / "forward.json"
    forward.write_text(
        json.dumps(
            [
                {"code": "mean", "name": "M", "unit": "p", "aggregation": "weighted_mean",
                 "weight": "base"},
                {"code": "base", "name": "B", "unit": "p"},
            ]
        )
    )  # fmt: skip
    assert load_indicators(forward) == {"created": 2}
    assert Indicator.objects.get(code="mean").weight.code == "base"
    circle = tmp_path / "circle.json"
    circle.write_text(
        json.dumps(
            [
                {"code": "p", "name": "P", "unit": "%", "aggregation": "ratio",
                 "numerator": "q", "denominator": "base"},
                {"code": "q", "name": "Q", "unit": "%", "aggregation": "ratio",
                 "numerator": "p", "denominator": "base"},
            ]
        )
    )  # fmt: skip
    with pytest.raises(ValueError, match="circular"):
        load_indicators(circle)


def test_setup_loads_the_catalogue(db):
    from waardig.cli import cmd_setup

    assert cmd_setup() == 0
    assert Indicator.objects.filter(code="registration-rate").exists()
    assert cmd_setup() == 0  # idempotent
    assert Indicator.objects.filter(code="registration-rate").count() == 1
