"""The housing services: access on every write, history appended, upserts by natural key."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from fixtures import MAASTRICHT, VENLO

from waardig.core.access import SYSTEM
from waardig.core.models import AppendOnlyError, AuditEntry
from waardig.housing import pseudonyms, rules, services
from waardig.housing.models import (
    GuestStay,
    Location,
    LocationStatusChange,
    PolicyChange,
    ProjectStatusChange,
)

from .conftest import municipality

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


def new_location(actor, code=VENLO, **values):
    fields = {"name": "Pension", "postcode": "5911ab", "house_number": 7,
              "housing_form": "hotel", "stay_class": "short", "capacity": 12, **values}  # fmt: skip
    return services.save_location(actor, municipality=municipality(code), **fields)


def test_an_officer_registers_a_location_of_their_own_municipality(users):
    location, outcome = new_location(users["venlo_officer"])
    assert outcome == services.CREATED
    assert location.postcode == "5911 AB" and location.status == "planned"
    assert [c.status for c in location.status_changes.all()] == ["planned"]
    _, outcome = services.save_location(users["venlo_officer"], location, capacity=12)
    assert outcome == services.UNCHANGED
    _, outcome = services.save_location(users["venlo_officer"], location, capacity=14)
    assert outcome == services.UPDATED and Location.objects.get().capacity == 14


def test_an_officer_cannot_register_or_move_a_location_into_another_municipality(users):
    with pytest.raises(PermissionDenied):
        new_location(users["venlo_officer"], MAASTRICHT)
    location, _ = new_location(users["venlo_officer"])
    with pytest.raises(PermissionDenied):
        services.save_location(
            users["venlo_officer"], location, municipality=municipality(MAASTRICHT)
        )
    location.refresh_from_db()
    assert location.municipality.code == VENLO
    with pytest.raises(PermissionDenied):
        services.save_location(users["maastricht_officer"], location, capacity=1)


def test_invalid_facts_are_refused_on_their_field(users):
    with pytest.raises(ValidationError) as error:
        new_location(users["venlo_officer"], postcode="59 AB", certification="snf")
    assert set(error.value.message_dict) >= {"postcode", "certificate_number"}
    assert not Location.objects.exists()


def test_status_history_is_appended_and_read_by_date(users):
    location, _ = services.save_location(
        users["venlo_officer"], municipality=municipality(VENLO), name="Pension",
        postcode="5911ab", house_number=7, housing_form="hotel", stay_class="short",
        capacity=12, status_on=DAY - datetime.timedelta(days=60),
    )  # fmt: skip
    services.change_location_status(users["venlo_officer"], location, "in_use", DAY, "open")
    with pytest.raises(ValidationError) as error:  # before the latest: the dates would disagree
        services.change_location_status(
            users["venlo_officer"], location, "closed", DAY - datetime.timedelta(days=1)
        )
    assert "on" in error.value.message_dict
    services.change_location_status(users["venlo_officer"], location, "closed", DAY, "dicht")
    assert Location.objects.get().status == "closed"
    assert [c.status for c in location.status_changes.order_by("id")] == [
        "planned", "in_use", "closed"
    ]  # fmt: skip
    with pytest.raises(AppendOnlyError):
        LocationStatusChange.objects.update(status="in_use")
    future = datetime.date.today() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError):
        services.change_location_status(users["venlo_officer"], location, "in_use", future)


def test_head_counts_are_corrected_per_day(users):
    location, _ = new_location(users["venlo_officer"])
    assert services.record_head_count(users["venlo_officer"], location, DAY, 10)[1] == "created"
    assert services.record_head_count(users["venlo_officer"], location, DAY, 10)[1] == "unchanged"
    assert services.record_head_count(users["venlo_officer"], location, DAY, 11)[1] == "updated"
    with pytest.raises(PermissionDenied):
        services.record_head_count(users["inspector"], location, DAY, 3)  # inspectors read


def test_guest_stays_are_kept_by_pseudonym_and_only_by_the_municipality(users):
    location, _ = new_location(users["venlo_officer"])
    person = pseudonyms.pseudonym("NL-1234")
    stays = [(person, DAY, None)]
    assert services.record_guest_stays(users["venlo_officer"], location, stays)["created"] == 1
    assert services.record_guest_stays(SYSTEM, location, stays)["unchanged"] == 1
    left = [(person, DAY, DAY + datetime.timedelta(days=20))]
    assert services.record_guest_stays(SYSTEM, location, left)["updated"] == 1
    for role in ("province_admin", "maastricht_officer", "inspector", "analyst"):
        with pytest.raises(PermissionDenied):
            services.record_guest_stays(users[role], location, stays)
    with pytest.raises(ValueError, match="pseudonyms"):
        services.record_guest_stays(SYSTEM, location, [("NL-1234", DAY, None)])
    assert GuestStay.objects.get().departure == DAY + datetime.timedelta(days=20)
    assert AuditEntry.objects.filter(subject="housing.gueststay").count() == 2


def test_project_status_changes_are_history(users):
    project, _ = services.save_project(
        users["venlo_officer"], name="Units Noord", municipality=municipality(VENLO),
        capacity=60, stay_class="mid", housing_form="flex", status="idea", expected_year=2027,
    )  # fmt: skip
    services.save_project(users["venlo_officer"], project, status="permit", note="verleend")
    services.save_project(users["venlo_officer"], project, capacity=70)
    history = list(ProjectStatusChange.objects.filter(project=project).order_by("id"))
    assert [(h.status, h.note) for h in history] == [("idea", ""), ("permit", "verleend")]
    with pytest.raises(PermissionDenied):
        services.save_project(users["maastricht_officer"], project, capacity=1)


def test_agreements_and_need_are_upserts_by_natural_key(users):
    venlo = municipality(VENLO)
    admin = users["province_admin"]
    assert services.save_agreement(admin, venlo, 2026, agreed_capacity=100)[1] == "created"
    assert services.save_agreement(admin, venlo, 2026, agreed_capacity=100)[1] == "unchanged"
    values = {"persons": 400, "method": "research", "source": "Onderzoek (fictief)"}
    assert services.save_need(admin, venlo, 2026, "short", **values)[1] == "created"
    assert services.save_need(admin, venlo, 2026, "short", **values)[1] == "unchanged"
    with pytest.raises(PermissionDenied):
        services.save_need(users["venlo_officer"], venlo, 2026, "mid", **values)


def test_derived_need_keeps_research_and_carries_the_figures_status(users):
    venlo, venray = municipality(VENLO), municipality("GM0984")
    admin = users["province_admin"]
    services.save_need(admin, venlo, 2026, "short", persons=999, method="research")
    params = rules.NeedParameters(
        share_needing_housing=Decimal("0.5"),
        class_shares={"short": Decimal("0.5"), "mid": Decimal("0.25"), "long": Decimal("0.25")},
    )
    figures = {
        venlo: (Decimal(1000), "definitive", "CBS"),
        venray: (Decimal(200), "fictitious", ""),
    }
    counts = services.derive_need(admin, 2026, figures, params, "labour-migrants-living")
    assert counts == {"created": 5, "updated": 0, "unchanged": 0, "kept": 1}
    venlo_need = {n.stay_class: n for n in venlo.housing_need.all()}
    assert venlo_need["short"].persons == 999 and venlo_need["short"].method == "research"
    assert venlo_need["mid"].persons == 125 and venlo_need["mid"].status == "estimate"
    assert venlo_need["mid"].parameters["figure"] == "1000"
    assert {n.status for n in venray.housing_need.all()} == {"fictitious"}


def test_parameters_are_versioned_with_a_reason(users):
    assert services.current_parameters() == rules.DEFAULT_PARAMETERS
    with pytest.raises(ValidationError):
        services.set_parameters(users["province_admin"], short_max_months=4,
                                mid_max_months=12, weights={}, reason=" ")  # fmt: skip
    with pytest.raises(ValidationError):
        services.set_parameters(users["province_admin"], short_max_months=12,
                                mid_max_months=4, weights={}, reason="fout")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.set_parameters(users["analyst"], short_max_months=4,
                                mid_max_months=12, weights={}, reason="x")  # fmt: skip
    services.set_parameters(users["province_admin"], short_max_months=6, mid_max_months=18,
                            weights={"permit": Decimal("0.5")}, reason="nieuw beleid")  # fmt: skip
    current = services.current_parameters()
    assert (current.short_max_months, current.weight("permit"), current.weight("idea")) == (
        6, Decimal("0.5"), Decimal(0)
    )  # fmt: skip


def test_policy_changes_record_who_and_the_previous_status(users):
    venlo = municipality(VENLO)
    services.set_policy(users["venlo_officer"], venlo, "short_stay_policy", status="preparation")
    services.set_policy(users["province_admin"], venlo, "short_stay_policy", status="adopted",
                        decided_on=datetime.date(2024, 5, 1))  # fmt: skip
    changes = list(PolicyChange.objects.order_by("id"))
    assert [(c.previous_status, c.status, c.actor) for c in changes] == [
        ("", "preparation", "venlo"), ("preparation", "adopted", "provincie")
    ]  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.set_policy(users["venlo_officer"], municipality(MAASTRICHT), "landlord_licence",
                            status="adopted")  # fmt: skip


def test_pseudonyms_are_stable_keyed_and_ignore_formatting(settings):
    assert pseudonyms.pseudonym("1234.56.782") == pseudonyms.pseudonym(" 123456782 ")
    assert pseudonyms.pseudonym("ab-12") == pseudonyms.pseudonym("AB12")
    first = pseudonyms.pseudonym("123456782")
    settings.WAARDIG_PSEUDONYM_KEY = "another key"
    assert pseudonyms.pseudonym("123456782") != first
    assert "123456782" not in first and len(first) == 64
    with pytest.raises(ValueError):
        pseudonyms.pseudonym(" - ")


def test_a_project_location_lies_in_the_projects_municipality(users, locations):
    with pytest.raises(ValidationError) as error:
        services.save_project(
            SYSTEM, name="Elders", municipality=municipality(VENLO), capacity=5,
            stay_class="short", housing_form="flex", expected_year=2027,
            location=locations["maastricht"],
        )  # fmt: skip
    assert "location" in error.value.message_dict
