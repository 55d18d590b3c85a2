"""The monitor's pages for the network (dashboard, a page per municipality) and the downloads
of their tables, checked against the demo figures they are made of."""

import csv
import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

import lxml.html
import openpyxl
import pytest
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.test import Client
from django.urls import reverse
from django.utils import translation

from waardig.areas.models import Municipality, Region
from waardig.monitor.dashboard import MAIN_INDICATOR
from waardig.monitor.demo import load_monitor
from waardig.monitor.models import Forecast, Indicator, Observation

from .places import BEEKDAELEN, MERGED_INTO_BEEKDAELEN, limburg, municipality

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("monitor-dashboard")
VENLO = "GM0983"


@pytest.fixture
def demo(catalogue) -> None:
    load_monitor()


@pytest.fixture
def analyst(users) -> Client:
    client = Client()
    client.force_login(users["analyst"])
    return client


# --- helpers -------------------------------------------------------------------------------


def html_of(client: Client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return lxml.html.fromstring(response.content.decode())


def number(text: str) -> Decimal:
    """A number as the Dutch pages show it: 12.345 or 12,3."""
    return Decimal(text.strip().replace(".", "").replace(",", "."))


def shown(cell) -> Decimal | None:
    """The value a cell shows through monitor/_value.html (its first span), None for '–'."""
    text = cell.xpath("./span")[0].text_content().strip()
    return None if text == "–" else number(text)


def dutch(value, places: str = "0g") -> str:
    with translation.override("nl"):
        return floatformat(Decimal(value), places)


def yearly(code: str, year: int):
    return Observation.objects.filter(
        indicator__code=code, year=year, period_kind="year", stay_class=""
    )


def observed(code: str, year: int) -> dict[str, Decimal]:
    """{municipality name: value} of the indicator's figures in the year."""
    rows = yearly(code, year).filter(municipality__isnull=False)
    return dict(rows.values_list("municipality__name", "value"))


def province_total(code: str, year: int) -> Decimal:
    """The province's figure: observed where it is, else the sum of its municipalities."""
    own = yearly(code, year).filter(province=limburg()).first()
    return own.value if own else sum(observed(code, year).values())


def regions_table(page) -> dict[str, Decimal | None]:
    rows = page.xpath("//table[@id='regions-table']/tbody/tr")
    return {
        row.xpath("./th")[0].text_content().strip(): shown(row.xpath("./td")[0]) for row in rows
    }


def municipalities_table(page) -> list[dict]:
    found = []
    for row in page.xpath("//table[@id='municipalities-table']/tbody/tr"):
        cells = row.xpath("./td")
        link = row.xpath("./th/a")[0]
        rank = cells[0].text_content().strip()
        found.append(
            {
                "rank": int(rank) if rank else None,
                "name": link.text_content().strip(),
                "href": link.get("href"),
                "value": shown(cells[1]),
                "share": shown(cells[3]),
                "rate": shown(cells[4]),
            }
        )
    return found


def province_figure(page, year: int) -> Decimal:
    name = limburg().name
    [line] = page.xpath(
        f"//section[@aria-labelledby='trend-heading']/p[starts-with(normalize-space(.), "
        f"'{name} {year}:')]"
    )
    return shown(line.xpath("./strong")[0])


def selected(page, select_id: str) -> str:
    [option] = page.xpath(f"//select[@id='{select_id}']/option[@selected]")
    return option.get("value")


def profile_table(page) -> tuple[list[int], dict[str, list[Decimal | None]]]:
    years = [
        int(th.text_content()) for th in page.xpath("//table[@id='profile-table']/thead//th")[2:]
    ]
    lines = {}
    for row in page.xpath("//table[@id='profile-table']/tbody/tr"):
        cells = row.xpath("./td")[1:]  # after the unit
        lines[row.xpath("./th")[0].text_content().strip()] = [shown(cell) for cell in cells]
    return years, lines


def latest_year() -> int:
    return max(
        Observation.objects.filter(indicator__code=MAIN_INDICATOR).values_list("year", flat=True)
    )


# --- the dashboard -------------------------------------------------------------------------


def test_the_dashboard_shows_the_province_its_regions_and_municipalities_ranked(demo, analyst):
    year = latest_year()
    page = html_of(analyst, DASHBOARD)
    assert selected(page, "id_indicator") == MAIN_INDICATOR
    assert int(selected(page, "id_year")) == year
    municipal = observed(MAIN_INDICATOR, year)
    assert province_figure(page, year) == province_total(MAIN_INDICATOR, year)

    rows = municipalities_table(page)
    assert {row["name"]: row["value"] for row in rows} == municipal
    by_size = sorted(municipal, key=municipal.get, reverse=True)
    assert [row["name"] for row in sorted(rows, key=lambda r: r["rank"])] == by_size
    assert next(row for row in rows if row["rank"] == 1)["value"] == max(municipal.values())
    codes = dict(Municipality.objects.values_list("name", "code"))
    for row in rows:
        assert row["href"] == reverse("monitor-municipality", args=[codes[row["name"]]])
    assert "fictief" in page.xpath("//table[@id='municipalities-table']")[0].text_content()


@pytest.mark.parametrize(("grouping", "other"), [("admin", "corop"), ("corop", "admin")])
def test_the_regions_are_those_of_the_chosen_grouping(demo, analyst, grouping, other):
    year = latest_year()
    page = html_of(analyst, f"{DASHBOARD}?grouping={grouping}")
    assert selected(page, "id_grouping") == grouping
    table = regions_table(page)
    regions = Region.objects.filter(grouping__slug=grouping).prefetch_related("municipalities")
    assert set(table) == {region.name for region in regions}
    others = set(Region.objects.filter(grouping__slug=other).values_list("name", flat=True))
    assert not others & set(table)
    municipal = observed(MAIN_INDICATOR, year)
    for region in regions:
        members = {m.name for m in region.municipalities.all()}
        assert table[region.name] == sum(v for name, v in municipal.items() if name in members)
    # the switch links to the other grouping, keeping indicator and year
    [link] = page.xpath("//nav[@aria-label='Regio-indeling']//a")
    assert link.get("href") == f"?indicator={MAIN_INDICATOR}&year={year}&grouping={other}"


def test_the_year_switch_shows_the_values_of_that_year(demo, analyst):
    merged = Municipality.objects.get(code=MERGED_INTO_BEEKDAELEN[0])
    year = merged.valid_to.year - 1  # a year with the municipalities merged since
    assert year != latest_year()
    page = html_of(analyst, f"{DASHBOARD}?year={year}")
    assert int(selected(page, "id_year")) == year
    municipal = observed(MAIN_INDICATOR, year)
    assert merged.name in municipal
    assert {row["name"]: row["value"] for row in municipalities_table(page)} == municipal
    assert province_figure(page, year) == province_total(MAIN_INDICATOR, year)


def test_unknown_choices_fall_back_to_the_defaults(demo, analyst):
    page = html_of(analyst, f"{DASHBOARD}?indicator=nope&grouping=nope&year=1999")
    assert selected(page, "id_indicator") == MAIN_INDICATOR
    assert selected(page, "id_grouping") == "admin"
    assert int(selected(page, "id_year")) == latest_year()
    assert set(regions_table(page)) == set(
        Region.objects.filter(grouping__slug="admin").values_list("name", flat=True)
    )


def test_without_figures_the_dashboard_says_so(catalogue, analyst):
    page = html_of(analyst, DASHBOARD)
    text = page.text_content()
    assert "Nog geen cijfers voor" in text
    assert not page.xpath("//table[@id='municipalities-table']")


def test_pages_need_a_login(demo):
    for url in (DASHBOARD, reverse("monitor-municipality", args=[VENLO])):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


# --- the municipality page -----------------------------------------------------------------


def test_the_municipality_page_shows_every_figure_with_sources_and_forecasts(demo, analyst):
    place = municipality(VENLO)
    page = html_of(analyst, reverse("monitor-municipality", args=[VENLO]))
    figures = Observation.objects.filter(municipality=place, stay_class="", period_kind="year")
    years, lines = profile_table(page)
    assert years == sorted({figure.year for figure in figures})
    indicators = {figure.indicator for figure in figures}
    assert len(indicators) > 1
    for figure in figures:
        assert lines[figure.indicator.name][years.index(figure.year)] == figure.value
    # the ratios follow from the municipality's own figures
    share = Indicator.objects.get(code="labour-force-share")
    checked = 0
    for year in years:
        working = figures.filter(indicator__code=share.numerator.code, year=year).first()
        force = figures.filter(indicator__code=share.denominator.code, year=year).first()
        if working and force:
            ratio = working.value / force.value * share.scale
            assert lines[share.name][years.index(year)] == rounded(ratio, 1)
            checked += 1
    assert checked > 0

    text = page.text_content()
    assert page.xpath("//span[contains(@class, 'waardig-badge--fictief')]")
    for source in {figure.source for figure in figures}:
        assert page.xpath(f"//h2[.='Bronnen']/following-sibling::ul[1]/li[.='{source}']")
    forecasts = Forecast.objects.filter(municipality=place, stay_class="")
    assert forecasts.count() == 2
    for forecast in forecasts:
        last = forecast.points[-1]
        assert (
            f"{forecast.name} ({forecast.get_method_display()}): {last['year']} tussen "
            f"{dutch(last['low'])} en {dutch(last['high'])}"
        ) in " ".join(text.split())


def test_a_merged_municipality_links_to_its_successor(demo, analyst):
    merged = municipality(MERGED_INTO_BEEKDAELEN[0])
    successor = municipality(BEEKDAELEN)
    page = html_of(analyst, reverse("monitor-municipality", args=[merged.code]))
    [alert] = page.xpath("//div[@role='status']")
    assert "Opgegaan in" in alert.text_content()
    [link] = alert.xpath(".//a")
    assert link.text_content() == successor.name
    assert link.get("href") == reverse("monitor-municipality", args=[BEEKDAELEN])
    # its own figures, from before the merger
    years, _lines = profile_table(page)
    assert years and max(years) < merged.valid_to.year + 1


def test_an_unknown_municipality_is_not_found(demo, analyst):
    html_of(analyst, reverse("monitor-municipality", args=["GM9999"]), status=404)


# --- downloads -----------------------------------------------------------------------------


FORMATS = ["csv", "xlsx"]


def download(client: Client, kind: str, fmt: str, status: int = 200, **options) -> list[dict]:
    response = client.get(reverse("export", args=[kind, fmt]), options)
    assert response.status_code == status, (kind, fmt, options, response.status_code)
    if status != 200:
        return []
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        return list(reader)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def as_number(value, fmt: str) -> Decimal | None:
    if value in ("", None):
        return None
    if fmt == "xlsx":
        assert isinstance(value, int | float), f"{value!r} is no number in the spreadsheet"
    return Decimal(str(value))


def rounded(value: Decimal, decimals: int) -> Decimal:
    """Rounded as the pages' floatformat does (half up)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def places(value) -> int:
    return -min(0, Decimal(str(value)).as_tuple().exponent)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_municipalities_download_is_the_table_on_the_page(demo, analyst, fmt):
    year = latest_year() - 1
    page = html_of(analyst, f"{DASHBOARD}?year={year}")
    table = {row["name"]: row for row in municipalities_table(page)}
    rows = download(
        analyst, "monitor-municipalities", fmt, indicator=MAIN_INDICATOR, year=str(year)
    )
    assert {row["municipality"] for row in rows} == set(table)
    ratios = 0
    for row in rows:
        shown_row = table[row["municipality"]]
        assert int(row["year"]) == year
        assert as_number(row["value"], fmt) == shown_row["value"]
        assert int(row["rank"]) == shown_row["rank"]
        for column, key in (("labour_force_share", "share"), ("registration_rate", "rate")):
            value = as_number(row[column], fmt)
            if value is None:
                assert shown_row[key] is None
                continue
            ratios += 1
            assert places(row[column]) <= 4, (column, row[column])
            assert rounded(value, 1) == shown_row[key]
    assert ratios  # the ratio columns were checked at all


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_regions_download_is_the_table_on_the_page(demo, analyst, fmt):
    year = latest_year()
    page = html_of(analyst, f"{DASHBOARD}?grouping=corop&year={year}")
    rows = download(
        analyst, "monitor-regions", fmt, indicator=MAIN_INDICATOR, year=str(year), grouping="corop"
    )
    regions = {row["region"]: as_number(row["value"], fmt) for row in rows if row["grouping"]}
    assert regions == regions_table(page)
    [province] = [row for row in rows if not row["grouping"]]
    assert province["region"] == limburg().name
    assert as_number(province["value"], fmt) == province_figure(page, year)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_municipality_download_is_the_table_on_the_page(demo, analyst, fmt):
    page = html_of(analyst, reverse("monitor-municipality", args=[VENLO]))
    years, lines = profile_table(page)
    rows = download(analyst, "monitor-municipality", fmt, municipality=VENLO)
    names = dict(Indicator.objects.values_list("code", "name"))
    assert {row["code"] for row in rows} == {VENLO}
    got = {(names[row["indicator"]], int(row["year"])): row for row in rows}
    expected = {
        (name, year): value
        for name, values in lines.items()
        for year, value in zip(years, values, strict=True)
        if value is not None
    }
    assert set(got) == set(expected)
    for key, row in got.items():
        value = as_number(row["value"], fmt)
        assert places(row["value"]) <= 4
        assert rounded(value, 1 if row["unit"] == "%" else 0) == expected[key]


def test_bad_download_options_are_refused(demo, analyst):
    download(analyst, "monitor-municipalities", "csv", 400, indicator=MAIN_INDICATOR, year="22")
    download(analyst, "monitor-regions", "csv", 400, indicator=MAIN_INDICATOR, year="twee")
    download(analyst, "monitor-municipalities", "csv", 404, indicator="nope", year="2022")
    download(analyst, "monitor-municipality", "xlsx", 404, municipality="GM9999")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_forecasts_download_holds_every_stored_point(demo, analyst, fmt):
    rows = download(analyst, "monitor-forecasts", fmt, indicator=MAIN_INDICATOR)
    stored = Forecast.objects.filter(indicator__code=MAIN_INDICATOR, stay_class="")
    expected = {
        (f.name, f.area.code, point["year"]): Decimal(point["central"])
        for f in stored
        for point in f.points
    }
    assert len(rows) == len(expected) > 0
    for row in rows:
        key = (row["forecast"], row["code"], int(row["year"]))
        assert as_number(row["central"], fmt) == expected[key]


def test_an_analyst_makes_a_forecast_with_the_form(demo, analyst):
    url = reverse("forecast-create")
    form = {
        "indicator": MAIN_INDICATOR,
        "name": "Groei 2017-2022",
        "method": "cagr",
        "base_years": "2017, 2022",
        "target_year": "2028",
    }
    response = analyst.post(url, form)
    assert response.status_code == 302
    made = Forecast.objects.filter(name="Groei 2017-2022")
    province = made.get(province__isnull=False)
    assert province.method == "cagr" and province.parameters["base_years"] == [2017, 2022]
    assert province.points[-1]["year"] == 2028
    assert made.filter(municipality__isnull=False).count() == (
        Municipality.objects.valid_on(datetime.date.today()).count()
    )
    page = html_of(analyst, response["Location"])
    assert page.xpath(f"//table[@id='forecasts-table']//td[.='{form['name']}']")
    # a scenario without bounds is refused on the form and nothing changes
    response = analyst.post(url, form | {"method": "scenario", "name": "Zonder grenzen"})
    assert response.status_code == 200
    assert "onder- en bovengrens" in response.content.decode()
    assert not Forecast.objects.filter(name="Zonder grenzen").exists()


def test_a_grouping_without_regions_is_not_offered_and_breaks_nothing(demo, analyst):
    from waardig.areas.models import Grouping

    Grouping.objects.create(province=limburg(), slug="leeg", name="Nog leeg")
    page = html_of(analyst, f"{reverse('monitor-dashboard')}?grouping=leeg")
    offered = page.xpath("//select[@name='grouping']/option/@value")
    assert "leeg" not in offered and {"admin", "corop"} <= set(offered)
    table = "/api/v1/observations/table/?indicator=working-labour-migrants&period=2022"
    assert analyst.get(f"{table}&level=leeg").status_code == 400
    assert analyst.get(f"{table}&level=admin").status_code == 200
    public = lxml.html.fromstring(Client().get("/cijfers/?indeling=leeg").content.decode())
    assert "leeg" not in public.xpath("//select//option/@value")
