"""The monitor's API: the network reads indicators, stored figures (filtered by indicator,
area, grouping, period, stay class and status), a level's table with derived figures, and
forecasts; the public gets 403 and nobody writes through it.

Every figure here is invented (fictief)."""

from decimal import Decimal

import pytest
from django.test import Client

from waardig.areas.models import Grouping, Region
from waardig.core.access import SYSTEM
from waardig.monitor import services
from waardig.monitor.models import Forecast, Indicator, Observation

from .places import limburg, municipality, region

pytestmark = pytest.mark.django_db
VENLO, MAASTRICHT, VENRAY = "GM0983", "GM0935", "GM0984"
PROBLEM = "application/problem+json"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst(users) -> Client:
    return client_for(users["analyst"])


@pytest.fixture
def woonregio(areas) -> Region:
    """A third grouping whose one region holds Venlo only: Maastricht is in none of it."""
    grouping = Grouping.objects.create(
        province=limburg(), slug="woonregio", name="Woonregio's (fictief)"
    )
    noord_oost = Region.objects.create(grouping=grouping, name="Noord-Oost")
    noord_oost.municipalities.set([municipality(VENLO)])
    return noord_oost


@pytest.fixture
def figures(record, woonregio) -> dict[str, Observation]:
    brp = "registered-brp"
    return {
        "venlo": record(brp, municipality(VENLO), "2022", 100, source="Gemeente Venlo"),
        "venlo_2021": record(brp, municipality(VENLO), "2021", 90),
        "maastricht": record(brp, municipality(MAASTRICHT), "2022", 200, status="provisional"),
        "noord": record(brp, region("admin", "Noord"), "2022", 900),
        "zuid_limburg": record(brp, region("corop", "Zuid-Limburg"), "2022", 500),
        "noord_oost": record(brp, woonregio, "2022", 120),
        "province": record(brp, limburg(), "2022", 5000, retrieved_on="2024-03-01"),
        "rni_q1": record("registered-rni", municipality(VENLO), "2022-Q1", 10),
        "short": record(
            "working-labour-migrants", municipality(VENLO), "2022", 40, stay_class="short"
        ),
    }


def listed(client: Client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])  # one page: the counts below are all
    return body["results"]


def ids(client: Client, url: str) -> set[int]:
    return {row["id"] for row in listed(client, url)}


# --- indicators ------------------------------------------------------------------------------


def test_indicators_list_the_catalogue_and_name_their_parts_by_code(analyst, catalogue):
    codes = [row["code"] for row in listed(analyst, "/api/v1/indicators/")]
    assert codes == list(Indicator.objects.values_list("code", flat=True))
    assert "registration-rate" in codes
    rate = analyst.get("/api/v1/indicators/registration-rate/").json()
    assert {k: rate[k] for k in ("aggregation", "numerator", "denominator", "weight")} == {
        "aggregation": "ratio",
        "numerator": "registered-brp",
        "denominator": "labour-migrants-living",
        "weight": None,
    }
    assert (rate["scale"], rate["by_stay_class"], rate["unit"]) == ("100.0000", True, "%")
    assert analyst.get("/api/v1/indicators/no-such-indicator/").status_code == 404


# --- observations ----------------------------------------------------------------------------


def test_an_observation_says_where_when_and_from_what(analyst, figures):
    noord = analyst.get(f"/api/v1/observations/{figures['noord'].pk}/").json()
    assert noord["area"] == {"kind": "region", "code": "admin:Noord", "name": "Noord"}
    assert (noord["indicator"], noord["value"], noord["derived"]) == (
        "registered-brp",
        "900.0000",
        False,
    )
    province = analyst.get(f"/api/v1/observations/{figures['province'].pk}/").json()
    assert province["area"] == {"kind": "province", "code": "PV31", "name": "Limburg"}
    assert (province["period"], province["period_kind"], province["year"]) == ("2022", "year", 2022)
    assert province["retrieved_on"] == "2024-03-01"
    quarter = analyst.get(f"/api/v1/observations/{figures['rni_q1'].pk}/").json()
    assert quarter["area"] == {"kind": "municipality", "code": VENLO, "name": "Venlo"}
    assert (quarter["period"], quarter["period_kind"], quarter["stay_class"]) == (
        "2022-Q1",
        "quarter",
        "",
    )


ALL = {"venlo", "venlo_2021", "maastricht", "noord", "zuid_limburg", "noord_oost", "province",
       "rni_q1", "short"}  # fmt: skip
MUNICIPAL = {"venlo", "venlo_2021", "maastricht", "rni_q1", "short"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("indicator=registered-rni", {"rni_q1"}),
        ("indicator=registered-rni,working-labour-migrants", {"rni_q1", "short"}),
        ("indicator=registered-rni&indicator=working-labour-migrants", {"rni_q1", "short"}),
        ("area=GM0935", {"maastricht"}),
        ("area=gm0935", {"maastricht"}),
        ("area=PV31", {"province"}),
        ("area=admin:Noord", {"noord"}),
        ("area=admin:noord", {"noord"}),
        ("area=corop:Zuid-Limburg", {"zuid_limburg"}),
        ("municipality=GM0983", {"venlo", "venlo_2021", "rni_q1", "short"}),
        # The regions of the grouping and the municipalities in them, nothing else.
        ("grouping=woonregio", {"noord_oost", "venlo", "venlo_2021", "rni_q1", "short"}),
        ("grouping=admin", MUNICIPAL | {"noord"}),
        ("grouping=corop", MUNICIPAL | {"zuid_limburg"}),
        ("period=2022-Q1", {"rni_q1"}),
        ("period=2022KW01", {"rni_q1"}),
        ("period=2021JJ00", {"venlo_2021"}),
        ("year=2021", {"venlo_2021"}),
        ("period_kind=quarter", {"rni_q1"}),
        ("stay_class=short", {"short"}),
        ("stay_class=all", ALL - {"short"}),
        ("status=provisional", {"maastricht"}),
        ("indicator=registered-brp&municipality=GM0983&period=2022", {"venlo"}),
    ],
)
def test_each_filter_narrows_the_observations(analyst, figures, query, expected):
    assert ids(analyst, f"/api/v1/observations/?{query}") == {figures[n].pk for n in expected}


@pytest.mark.parametrize(
    ("query", "param", "reason"),
    [
        ("period=2022-Q5", "period", "een kwartaal is 1 tot en met 4"),
        ("period=twintig", "period", "Onbekende periode 'TWINTIG'"),
        ("area=CR38", "area", "COROP-gebied"),
        ("area=admin:", "area", "indeling:regionaam"),
        ("status=final", "status", "final"),
    ],
)
def test_a_bad_filter_is_a_problem_saying_why(analyst, figures, query, param, reason):
    response = analyst.get(f"/api/v1/observations/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    (problem,) = response.json()["invalid_params"]
    assert problem["name"] == param and reason in problem["reason"], problem


def test_a_long_listing_takes_a_fixed_number_of_queries(
    analyst, record, figures, django_assert_max_num_queries
):
    for year in range(2015, 2023):
        for code in (VENLO, MAASTRICHT, VENRAY):
            record("registered-rni", municipality(code), str(year), year)
        record("registered-rni", region("corop", "Noord-Limburg"), str(year), 1)
        record("registered-rni", limburg(), str(year), 2)
    listed(analyst, "/api/v1/observations/")  # the session and user are cached from here
    with django_assert_max_num_queries(4) as captured:  # session, user, count, page
        rows = listed(analyst, "/api/v1/observations/?page_size=1000")
    assert not [q for q in captured.captured_queries if "boundary" in q["sql"]]  # large GeoJSON
    assert len(rows) == len(figures) + 8 * 5
    assert {row["area"]["kind"] for row in rows} == {"municipality", "region", "province"}


def test_every_network_role_reads_every_municipality(users, figures):
    for role in users:
        seen = ids(client_for(users[role]), f"/api/v1/observations/?area={MAASTRICHT}")
        assert seen == {figures["maastricht"].pk}, role


# --- the table of one level ------------------------------------------------------------------


def table(client: Client, query: str) -> dict:
    response = client.get(f"/api/v1/observations/table/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_table_derives_the_province_from_its_municipalities_and_says_so(analyst, record):
    for code, value in ((VENLO, 100), (MAASTRICHT, "200.5"), (VENRAY, 50)):
        record("registered-rni", municipality(code), "2022", value, source="fictief")
    body = table(analyst, "indicator=registered-rni&level=province&period=2022JJ00")
    assert (body["indicator"], body["level"], body["period"], body["stay_class"]) == (
        "registered-rni",
        "province",
        "2022",
        "",
    )
    (province,) = body["rows"]
    assert province == {
        "code": "PV31",
        "name": "Limburg",
        "value": "350.5000",
        "status": "definitive",
        "source": "fictief",
        "derived": True,
        "note": "afgeleid uit 3 van 31 gemeenten",
        "count": 3,
        "expected": 31,
    }
    # An observed province figure wins and is not derived.
    record("registered-rni", limburg(), "2022", 400, source="CBS")
    (observed,) = table(analyst, "indicator=registered-rni&level=province&period=2022")["rows"]
    assert (observed["value"], observed["derived"], observed["count"]) == ("400.0000", False, None)


def test_the_table_of_a_grouping_has_one_row_per_region_named_as_the_filter_takes_it(
    analyst, record
):
    record("registered-rni", municipality(VENLO), "2022", 100)
    rows = table(analyst, "indicator=registered-rni&level=admin&period=2022")["rows"]
    by_code = {row["code"]: row for row in rows}
    assert set(by_code) == {"admin:Noord", "admin:Midden", "admin:Zuid"}
    assert (by_code["admin:Noord"]["value"], by_code["admin:Noord"]["derived"]) == (
        "100.0000",
        True,
    )
    assert (by_code["admin:Zuid"]["value"], by_code["admin:Zuid"]["derived"]) == (None, False)


def test_the_table_by_stay_class(analyst, record):
    record("working-labour-migrants", municipality(VENLO), "2022", 40, stay_class="short")
    record("working-labour-migrants", municipality(VENLO), "2022", 70)
    query = "indicator=working-labour-migrants&level=municipality&period=2022"
    venlo = {r["code"]: r for r in table(analyst, f"{query}&stay_class=short")["rows"]}[VENLO]
    assert venlo["value"] == "40.0000"
    everyone = {r["code"]: r for r in table(analyst, f"{query}&stay_class=all")["rows"]}[VENLO]
    assert everyone["value"] == "70.0000"


@pytest.mark.parametrize(
    ("query", "invalid"),
    [
        ("", {"indicator", "level", "period"}),
        ("indicator=registered-rni&level=province", {"period"}),
        ("indicator=nope&level=province&period=2022", {"indicator"}),
        ("indicator=registered-rni&level=gemeente&period=2022", {"level"}),
        ("indicator=registered-rni&level=province&period=2022-13", {"period"}),
        ("indicator=labour-force&level=province&period=2022&stay_class=short", {"stay_class"}),
    ],
)
def test_the_table_refuses_missing_or_bad_parameters(analyst, catalogue, query, invalid):
    response = analyst.get(f"/api/v1/observations/table/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    assert {p["name"] for p in response.json()["invalid_params"]} == invalid


# --- forecasts -------------------------------------------------------------------------------


@pytest.fixture
def scenario(record, catalogue) -> list[Forecast]:
    indicator = catalogue["working-labour-migrants"]
    record("working-labour-migrants", limburg(), "2022", 82895)
    record("working-labour-migrants", municipality(VENLO), "2022", 6000)
    record("working-labour-migrants", municipality(MAASTRICHT), "2022", 4000)
    return services.make_forecasts(
        SYSTEM,
        indicator,
        "Scenario 2030 (fictief)",
        "scenario",
        2030,
        base_years=[2022],
        low=Decimal(96000),
        high=Decimal(112000),
    )


def test_forecasts_are_listed_with_their_yearly_ranges(analyst, scenario):
    rows = listed(analyst, "/api/v1/forecasts/")
    assert {row["id"] for row in rows} == {f.pk for f in scenario}
    province = next(row for row in rows if row["area"]["kind"] == "province")
    assert province["area"] == {"kind": "province", "code": "PV31", "name": "Limburg"}
    assert (province["indicator"], province["name"], province["method"]) == (
        "working-labour-migrants",
        "Scenario 2030 (fictief)",
        "scenario",
    )
    assert (province["target_year"], province["stay_class"]) == (2030, "")
    stored = Forecast.objects.get(pk=province["id"])
    assert (province["parameters"], province["points"]) == (stored.parameters, stored.points)
    assert [p["year"] for p in province["points"]] == list(range(2023, 2031))  # after 2022
    last = province["points"][-1]
    assert (Decimal(last["low"]), Decimal(last["high"])) == (96000, 112000)
    assert Decimal(last["low"]) <= Decimal(last["central"]) <= Decimal(last["high"])


def test_forecasts_filter_by_area_indicator_name_and_method(analyst, scenario):
    by_area = {f.area.code: f.pk for f in scenario}
    assert set(by_area) == {"PV31", VENLO, MAASTRICHT}
    url = "/api/v1/forecasts/"
    assert ids(analyst, f"{url}?area={VENLO}") == {by_area[VENLO]}
    assert ids(analyst, f"{url}?area=PV31") == {by_area["PV31"]}
    assert ids(analyst, f"{url}?municipality={MAASTRICHT}") == {by_area[MAASTRICHT]}
    assert ids(analyst, f"{url}?indicator=working-labour-migrants") == set(by_area.values())
    assert ids(analyst, f"{url}?indicator=registered-brp") == set()
    assert ids(analyst, f"{url}?name=Scenario 2030 (fictief)") == set(by_area.values())
    assert ids(analyst, f"{url}?name=Trend") == set()
    assert ids(analyst, f"{url}?method=scenario") == set(by_area.values())
    assert ids(analyst, f"{url}?method=cagr") == set()
    response = analyst.get(f"{url}?area=admin:Noord")  # a region's is the sum: none stored
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "area"


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/indicators/",
        "/api/v1/indicators/registered-brp/",
        "/api/v1/observations/",
        "/api/v1/observations/table/?indicator=registered-brp&level=province&period=2022",
        "/api/v1/forecasts/",
    ],
)
def test_the_public_gets_a_403_problem(catalogue, url):
    response = Client().get(url)
    assert response.status_code == 403
    assert response["Content-Type"].startswith(PROBLEM)


@pytest.mark.parametrize("role", ["province_admin", "analyst", "venlo_officer"])
def test_nothing_is_written_through_the_api(users, figures, scenario, role):
    client = client_for(users[role])
    # The admin and analyst keep the figures (MONITOR_DATA), yet not here: 405. Others: 403.
    refused = 405 if role in ("province_admin", "analyst") else 403
    observation, forecast = figures["venlo"], scenario[0]
    body = {"indicator": "registered-brp", "area": VENLO, "period": "2023", "value": "1"}
    for url in ("/api/v1/observations/", "/api/v1/forecasts/", "/api/v1/indicators/"):
        assert client.post(url, body, content_type="application/json").status_code == refused
    for url in (
        f"/api/v1/observations/{observation.pk}/",
        f"/api/v1/forecasts/{forecast.pk}/",
        "/api/v1/indicators/registered-brp/",
    ):
        for method in (client.put, client.patch, client.delete):
            assert method(url, body, content_type="application/json").status_code == refused
    assert Observation.objects.get(pk=observation.pk).value == 100
    assert Observation.objects.filter(period="2023").count() == 0
    assert Forecast.objects.filter(pk=forecast.pk).exists()
    assert Indicator.objects.filter(code="registered-brp").exists()
