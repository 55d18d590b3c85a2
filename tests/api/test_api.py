"""The API: public areas, scoped contacts, problem details, and the committed schema."""

from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

from waardig.organisations.models import ContactPerson

pytestmark = pytest.mark.django_db
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_municipalities_are_public_with_both_groupings(areas):
    response = Client().get("/api/v1/municipalities/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 31
    venlo = next(m for m in body["results"] if m["code"] == "GM0983")
    assert {(r["grouping"], r["name"]) for r in venlo["regions"]} == {
        ("admin", "Noord"),
        ("corop", "Noord-Limburg"),
    }
    beesel = next(m for m in body["results"] if m["code"] == "GM0889")
    assert {r["grouping"]: r["name"] for r in beesel["regions"]}["corop"] == "Midden-Limburg"


def test_merged_municipalities_appear_with_history(areas):
    body = Client().get("/api/v1/municipalities/?include_historical=true").json()
    assert body["count"] == 34
    nuth = Client().get("/api/v1/municipalities/GM0951/").json()
    assert (nuth["valid_to"], nuth["successor"]) == ("2018-12-31", "GM1954")
    in_2018 = Client().get("/api/v1/municipalities/?valid_on=2018-06-01").json()
    codes = {m["code"] for m in in_2018["results"]}
    assert {"GM0951", "GM0881", "GM0962"} <= codes and "GM1954" not in codes


def test_municipalities_filter_by_region(areas):
    groupings = Client().get("/api/v1/groupings/").json()["results"]
    admin = next(g for g in groupings if g["slug"] == "admin")
    sizes = {r["name"]: len(r["municipalities"]) for r in admin["regions"]}
    assert sizes == {"Noord": 8, "Midden": 7, "Zuid": 19}  # Zuid includes 3 merged ones
    noord = next(r for r in admin["regions"] if r["name"] == "Noord")
    body = Client().get(f"/api/v1/municipalities/?region={noord['id']}").json()
    assert body["count"] == 8


def test_public_sees_no_contacts(contacts):
    response = Client().get("/api/v1/contact-persons/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 403


def test_network_reads_contacts_and_venlo_edits_its_own(contacts, users):
    client = Client()
    client.force_login(users["venlo_officer"])
    listing = client.get("/api/v1/contact-persons/?municipality=GM0983").json()
    assert [c["email"] for c in listing["results"]] == ["anna@venlo.test"]
    url = f"/api/v1/contact-persons/{contacts['venlo'].pk}/"
    response = client.patch(url, {"phone": "077-1234567"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert ContactPerson.objects.get(pk=contacts["venlo"].pk).person.phone == "077-1234567"


def test_invalid_input_is_a_problem_with_invalid_params(users, areas):
    client = Client()
    client.force_login(users["province_admin"])
    response = client.post(
        "/api/v1/contact-persons/",
        {"municipality": "GM0983", "topic": "housing", "name": "", "email": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 400
    problem = response.json()
    assert {p["name"] for p in problem["invalid_params"]} >= {"name", "email"}


def test_schema_is_valid_openapi_and_matches_the_committed_file(db):
    response = Client().get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    validate(served)
    generated = SchemaGenerator().get_schema(request=None, public=True)
    committed = yaml.safe_load(SCHEMA_FILE.read_text())
    assert yaml.safe_load(yaml.safe_dump(generated)) == committed, (
        "docs/openapi.yaml is out of date: run "
        "`.venv/bin/waardig manage spectacular --file docs/openapi.yaml`"
    )


def test_health_reports_the_database(db):
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_health_says_so_when_the_database_is_down(db, monkeypatch):
    from django.db import DatabaseError, connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_django_validation_errors_become_readable_problem_details():
    from django.core.exceptions import ValidationError

    from waardig.core.api_defaults import problem_exception_handler

    whole = problem_exception_handler(ValidationError("Dit kan niet."), {})
    assert whole.data["invalid_params"] == [{"name": "non_field_errors", "reason": "Dit kan niet."}]
    fields = problem_exception_handler(
        ValidationError({"__all__": ["Samen niet."], "year": ["Geen jaar."]}), {}
    )
    assert {p["name"]: p["reason"] for p in fields.data["invalid_params"]} == {
        "non_field_errors": "Samen niet.",
        "year": "Geen jaar.",
    }
    assert fields.content_type == "application/problem+json"
