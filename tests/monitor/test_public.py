"""The public figures: every public route, fetched anonymously, never shows a protected number.

The expected figures are computed here from the recorded values and the regions' members,
not by the module under test; the routes are found through the URL resolver, so a new public
route is checked without changing this file (or fails until its parameters are known here).
"""

import csv
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from browser import assert_accessible, assert_no_console_errors, download
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.text import slugify
from playwright.sync_api import expect

from waardig.areas.models import Grouping, Municipality, Province, Region
from waardig.monitor import public, public_views
from waardig.monitor import public_urls as public_urls_module

from .places import municipality

pytestmark = pytest.mark.django_db

THRESHOLD = 10
BRP, LIVING, RNI = "registered-brp", "labour-migrants-living", "registered-rni"
RATE = "registration-rate"
BEESEL, VAALS, SIMPELVELD, MOOK, GENNEP, STEIN = (
    "GM0889",  # admin Noord, COROP Midden-Limburg: the one small member of Noord
    "GM0981",  # Vaals and Simpelveld: two small members of Zuid
    "GM0965",
    "GM0944",  # Mook en Middelaar: zero, shown
    "GM0907",  # Gennep: no figure
    "GM0971",  # Stein: 14, shown at 10, small at 20
)
SPECIAL_2023 = {BEESEL: 4, VAALS: 7, SIMPELVELD: 3, MOOK: 0, STEIN: 14}
VENLO, VENRAY, MAASTRICHT = "GM0983", "GM0984", "GM0935"


# --- the world ------------------------------------------------------------------------------


@pytest.fixture
def world(record) -> dict[tuple[str, int], dict[str, Decimal]]:
    """Recorded municipal values per (indicator, year); within one table every figure differs
    from every other one (municipal, regional and provincial), so a number found in a response
    can only be the figure it is."""
    current = sorted(m.code for m in Municipality.objects.current())
    values: dict[tuple[str, int], dict[str, Decimal]] = {}
    brp = {}
    for i, code in enumerate(c for c in current if c not in SPECIAL_2023 and c != GENNEP):
        brp[code] = Decimal(101 + 29 * i)
    brp |= {code: Decimal(v) for code, v in SPECIAL_2023.items()}
    values[(BRP, 2023)] = brp
    values[(LIVING, 2023)] = {  # registration rates spread from 12% to over 90%
        code: (v * 100 / (12 + Decimal("2.7") * i)).to_integral_value() + 1
        for i, (code, v) in enumerate(brp.items())
    }
    values[(BRP, 2022)] = {
        code: Decimal(5) if code == VENRAY else Decimal(140 + 31 * i)
        for i, code in enumerate(current)
    }
    # Region Noord is small as a whole (8): the province hides a second region.
    regions = members("admin")
    values[(RNI, 2023)] = {VENLO: Decimal(6), VENRAY: Decimal(2)} | {
        code: Decimal(base + step * i)
        for name, base, step in (("midden", 200, 17), ("zuid", 500, 23))
        for i, code in enumerate(sorted(regions[name]))
    }
    for (indicator, year), found in values.items():
        for code, value in found.items():
            status = "fictitious" if (code == VENLO and year == 2022) else "definitive"
            record(indicator, municipality(code), str(year), value, status=status, source="CBS")
    for indicator, year in [*values, (RATE, 2023)]:
        truth = truths(values, year, indicator)
        for grouping in groupings():
            table = [
                value
                for (kind, code), value in truth.items()
                if value is not None and (kind != "region" or code.startswith(f"{grouping}:"))
            ]
            assert len(table) == len(set(table)), f"{indicator} {year}: figures must differ"
    return values


def members(grouping: str) -> dict[str, set[str]]:
    """Per region code (the slug of its name) the codes of its current municipalities."""
    return {
        slugify(region.name): {m.code for m in region.municipalities.all() if m.valid_to is None}
        for region in Region.objects.filter(grouping__slug=grouping)
    }


def truths(values, year: int, indicator: str) -> dict[tuple[str, str], Decimal | None]:
    """Every area's true figure, from the recorded values alone ((kind, code) -> value);
    regions keyed by (grouping:code)."""

    def sums(code_sets: dict[str, set[str]], found: dict[str, Decimal], prefix: str) -> dict:
        out = {}
        for code, codes in code_sets.items():
            known = [found[c] for c in codes if c in found]
            out[("region" if prefix else "province", prefix + code)] = sum(known) if known else None
        return out

    def counts(name: str) -> dict:
        found = values.get((name, year), {})
        out = {("municipality", c): found.get(c) for c in current_codes()}
        for grouping in groupings():
            out |= sums(members(grouping), found, f"{grouping}:")
        provinces = {
            p.code: set(p.municipalities.values_list("code", flat=True))
            for p in Province.objects.all()
        }
        return out | sums(provinces, found, "")

    if indicator != RATE:
        return counts(indicator)
    top, bottom = counts(BRP), counts(LIVING)
    return {
        key: None
        if top[key] is None or not bottom[key]
        else (100 * top[key] / bottom[key]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        for key in top
    }


def current_codes() -> list[str]:
    return list(Municipality.objects.current().values_list("code", flat=True))


def groupings() -> list[str]:
    return sorted(set(Grouping.objects.values_list("slug", flat=True)))


# --- the routes and what they answer --------------------------------------------------------


def public_routes(patterns=None) -> list[tuple[str, URLPattern]]:
    """(name, pattern) of every route under the public view's include, via the resolver."""
    if patterns is None:
        includes = [
            p
            for p in get_resolver().url_patterns
            if isinstance(p, URLResolver) and p.urlconf_module is public_urls_module
        ]
        assert len(includes) == 1, "the public URLs are included once"
        patterns = includes[0].url_patterns
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += public_routes(pattern.url_patterns)
        else:
            found.append((pattern.name, pattern))
    return found


def public_urls(indicator: str, year: int, grouping: str) -> list[str]:
    """Every public URL for one table: each route with every value of its parameters."""
    query = urlencode({"indicator": indicator, "jaar": year, "indeling": grouping})
    urls = []
    for name, pattern in public_routes():
        params = set(pattern.pattern.converters)
        unknown = params - {"indicator", "year", "fmt"}
        assert not unknown, f"{name}: teach this test the parameters {sorted(unknown)}"
        for fmt in public_views.FORMATS if "fmt" in params else [None]:
            kwargs = {"indicator": indicator, "year": year, "fmt": fmt}
            url = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in params})
            urls.append(f"{url}?{query}")
    return urls


def tables(values) -> list[tuple[str, int, str]]:
    """(indicator, year, grouping) of every table the world publishes."""
    found = {(code, year) for code, year in values} | {(RATE, 2023)}
    return [(code, year, g) for code, year in sorted(found) for g in groupings()]


LAYOUT_ATTRIBUTES = {"colspan", "rowspan", "tabindex"}
"""Numbers of the page's layout, never a figure."""


class Page(HTMLParser):
    """The figure rows of the page, and every text and attribute value in its main part."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, str, list[str]]] = []
        self.texts: list[str] = []
        self._row: tuple[str, str, list[str]] | None = None
        self._cell: list[str] | None = None
        self._main = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self._main += 1
        if self._main:
            self.texts.extend(v for k, v in attrs.items() if v and k not in LAYOUT_ATTRIBUTES)
        if tag == "tr" and "data-kind" in attrs:
            self._row = (attrs["data-kind"], attrs["data-code"], [])
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "main":
            self._main -= 1
        if tag in ("th", "td") and self._cell is not None:
            self._row[2].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._main and data.strip():
            self.texts.append(data.strip())


DUTCH_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def dutch(text: str) -> str:
    """A page cell as the downloads write it: 1.234 -> 1234, 45,3 -> 45.3, – -> ''."""
    if text == "–":
        return ""
    if DUTCH_NUMBER.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    return text


def read(response) -> tuple[list[dict], set[Decimal]]:
    """The rows a response publishes (kind, code, name, shown, status, source) and every
    number it contains in a cell, a text or a value of its own."""
    kind = response["Content-Type"].split(";")[0]
    body = response.content.decode()
    if kind == "text/html":
        page = Page(body)
        rows = [
            {
                "kind": k,
                "code": c,
                "name": cells[0],
                "shown": dutch(cells[1]),
                "status": cells[2],
                "source": cells[3],
            }
            for k, c, cells in page.rows
        ]
        numbers = {Decimal(dutch(t)) for t in page.texts if DUTCH_NUMBER.fullmatch(t)}
        return rows, numbers
    if kind == "text/csv":
        lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
        records = [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]
        for r in records:
            assert (r["protected"] == "true") == (r["value"] == "" != r["shown"]), r
        cells = [cell for line in lines for cell in line]
        numbers = {Decimal(c) for c in cells if PLAIN_NUMBER.fullmatch(c)}
        return [_fields(r) for r in records], numbers
    if kind == "application/json":
        document = json.loads(body)
        for r in document["rows"]:
            assert (r["value"] is None) == r["protected"] or not r["shown"], r
        numbers: set[Decimal] = set()
        walk(document["rows"], numbers)
        return [_fields(r) for r in document["rows"]], numbers
    raise AssertionError(f"teach this test to read {kind}")


def _fields(record: dict) -> dict:
    return {k: record[k] for k in ("kind", "code", "name", "shown", "status", "source")}


def walk(value, numbers: set[Decimal]) -> None:
    if isinstance(value, dict):
        for inner in value.values():
            walk(inner, numbers)
    elif isinstance(value, list):
        for inner in value:
            walk(inner, numbers)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int | float):
        numbers.add(Decimal(str(value)))
    elif isinstance(value, str) and PLAIN_NUMBER.fullmatch(value):
        numbers.add(Decimal(value))


def key_of(row: dict, grouping: str) -> tuple[str, str]:
    return (row["kind"], f"{grouping}:{row['code']}" if row["kind"] == "region" else row["code"])


def hidden(row: dict) -> bool:
    return row["shown"] in (f"< {THRESHOLD}", "x")


def fetch_all(values):
    """Every public URL of every table, fetched anonymously: (table, url, rows, numbers)."""
    client = Client()
    for indicator, year, grouping in tables(values):
        for url in public_urls(indicator, year, grouping):
            response = client.get(url)
            assert response.status_code == 200, url
            rows, numbers = read(response)
            yield (indicator, year, grouping), url, rows, numbers


# --- tests ----------------------------------------------------------------------------------


def test_the_public_routes_are_found_and_need_no_login(world):
    names = {name for name, _ in public_routes()}
    assert {"public-figures", "public-figures-download"} <= names
    response = Client().get(reverse("public-figures"))
    assert response.status_code == 200 and b'id="public-figures"' in response.content


def test_no_public_route_shows_a_protected_number(world):
    checked = {"small": 0, "x": 0}
    for (indicator, year, grouping), url, rows, numbers in fetch_all(world):
        truth = truths(world, year, indicator)
        assert rows, url
        for row in rows:
            true = truth[key_of(row, grouping)]
            if hidden(row):
                checked["small" if row["shown"].startswith("<") else "x"] += 1
                assert true not in numbers, f"{url}: the hidden {row} is shown as {true}"
            elif indicator != RATE and true is not None and 0 < true < THRESHOLD:
                raise AssertionError(f"{url}: small {row} not protected")
            assert row["shown"] != "" or true is None, f"{url}: {row} lost its figure"
        assert_no_single_hidden(rows, truth, grouping, url)
    assert checked["small"] and checked["x"], f"the world must protect both ways: {checked}"


def assert_no_single_hidden(rows, truth, grouping: str, url: str) -> None:
    """In every sum a reader can form from one table (region = its municipalities, province =
    its municipalities, province = its regions), none or at least two figures are hidden."""
    shown = {key_of(r, grouping): r for r in rows}
    regions = members(grouping)
    equations = [(f"{grouping}:{code}", codes) for code, codes in regions.items()]
    for province in Province.objects.all():
        codes = set(province.municipalities.values_list("code", flat=True))
        equations.append((province.code, codes))
    for total, codes in equations:
        kind = "region" if ":" in total else "province"
        cells = [(kind, total)] + [("municipality", c) for c in codes]
        figures = [key for key in cells if key in shown and truth[key] is not None]
        count = sum(hidden(shown[key]) for key in figures)
        assert count != 1, f"{url}: {total} has one hidden figure"
    province_rows = [r for r in rows if r["kind"] == "province"]
    region_rows = [r for r in rows if r["kind"] == "region"]
    for province in province_rows:
        cells = [province, *region_rows]
        count = sum(hidden(r) for r in cells if truth[key_of(r, grouping)] is not None)
        assert count != 1, f"{url}: {province['code']} = its regions, one hidden"


def test_totals_are_the_true_sums(world):
    totals = 0
    for (indicator, year, grouping), url, rows, _numbers in fetch_all(world):
        truth = truths(world, year, indicator)
        for row in rows:
            true = truth[key_of(row, grouping)]
            if row["kind"] != "municipality" and not hidden(row):
                totals += 1
                assert Decimal(row["shown"]) == true, f"{url}: {row} is not {true}"
    assert totals


def test_the_downloads_hold_exactly_the_rows_of_the_page(world):
    compared = 0
    by_table: dict[tuple, list[tuple[str, list[dict]]]] = {}
    for table, url, rows, _numbers in fetch_all(world):
        by_table.setdefault(table, []).append((url, rows))
    for table, found in by_table.items():
        assert len(found) == 1 + len(public_views.FORMATS), table
        (_page, page_rows), *downloads = found
        municipal = [r for r in page_rows if r["kind"] == "municipality"]
        assert len(municipal) == len(current_codes()), "each municipality once"
        for url, rows in downloads:
            assert len(rows) == len(page_rows), url
            for mine, theirs in zip(page_rows, rows, strict=True):
                assert mine["name"].endswith(theirs["name"]), (url, mine, theirs)
                strip = ("name",)
                assert {k: v for k, v in mine.items() if k not in strip} == {
                    k: v for k, v in theirs.items() if k not in strip
                }, url
                compared += 1
    assert compared


def test_a_region_with_one_small_member_hides_a_complement_and_keeps_its_total(world):
    response = Client().get(reverse("public-figures"), {"indicator": BRP, "jaar": 2023})
    rows, _ = read(response)
    noord_codes = members("admin")["noord"]
    noord = {r["code"]: r["shown"] for r in rows if r["code"] in noord_codes}
    assert [code for code, shown in noord.items() if shown == "< 10"] == [BEESEL]
    # Noord's total minus its shown members would give Beesel back: another one is hidden
    # (Bergen, the smallest; Venlo then for COROP Noord-Limburg, which lacks Beesel).
    assert {code for code, shown in noord.items() if shown == "x"} == {"GM0893", VENLO}
    assert (noord[MOOK], noord[GENNEP]) == ("0", "")  # a zero or no figure is no complement
    (total,) = [r for r in rows if r["kind"] == "region" and r["code"] == "noord"]
    assert Decimal(total["shown"]) == sum(
        world[(BRP, 2023)][c] for c in noord_codes if c in world[(BRP, 2023)]
    )


@pytest.mark.parametrize(
    ("limit", "stein", "beesel"), [(10, "14", "< 10"), (20, "< 20", "< 20"), (0, "14", "4")]
)
def test_the_threshold_setting_changes_what_is_protected(world, limit, stein, beesel):
    with override_settings(WAARDIG_PUBLIC_MIN_COUNT=limit):
        client = Client()
        page, _ = read(client.get(reverse("public-figures"), {"indicator": BRP, "jaar": 2023}))
        url = reverse(
            "public-figures-download", kwargs={"indicator": BRP, "year": 2023, "fmt": "json"}
        )
        document = json.loads(client.get(url).content)
    assert document["threshold"] == limit
    for rows in (page, document["rows"]):
        shown = {r["code"]: r["shown"] for r in rows if r["kind"] == "municipality"}
        assert (shown[STEIN], shown[BEESEL]) == (stein, beesel)
    if limit == 0:
        assert not any(r["protected"] for r in document["rows"])


def test_fictitious_figures_are_marked_fictief_on_the_page_and_in_the_downloads(world):
    client = Client()
    response = client.get(reverse("public-figures"), {"indicator": BRP, "jaar": 2022})
    rows, _ = read(response)
    marked = {r["code"] for r in rows if r["status"] == "fictief"}
    assert marked == {VENLO, "noord", "PV31"}  # Venlo, its region and the province
    assert "waardig-badge--fictief" in response.content.decode()
    for fmt in public_views.FORMATS:
        url = reverse(
            "public-figures-download", kwargs={"indicator": BRP, "year": 2022, "fmt": fmt}
        )
        rows, _ = read(client.get(url))
        assert {r["code"] for r in rows if r["status"] == "fictief"} == marked, fmt
    rows, _ = read(client.get(reverse("public-figures"), {"indicator": BRP, "jaar": 2023}))
    assert not any(r["status"] == "fictief" for r in rows)


def test_the_rate_is_hidden_where_a_count_is(world):
    rows, _ = read(Client().get(reverse("public-figures"), {"indicator": RATE}))
    shown = {r["code"]: r["shown"] for r in rows}
    assert shown[BEESEL] == "x"  # its BRP count is small
    assert shown[GENNEP] == ""  # no figure
    assert shown[VENLO] == "x"  # its BRP count is a complement
    truth = truths(world, 2023, RATE)
    assert Decimal(shown[MAASTRICHT]) == truth[("municipality", MAASTRICHT)]
    assert Decimal(shown["zuid"]) == truth[("region", "admin:zuid")]


def test_the_page_starts_at_the_latest_year_and_says_when_a_year_has_no_figures(world):
    client = Client()
    response = client.get(reverse("public-figures"), {"indicator": BRP})
    assert response.context["year"] == 2023 and not response.context["notice"]
    response = client.get(reverse("public-figures"), {"indicator": LIVING, "jaar": 2022})
    assert response.context["year"] == 2023
    assert "Voor 2022 zijn er geen cijfers" in response.content.decode()
    response = client.get(reverse("public-figures"), {"indicator": "working-labour-migrants"})
    assert response.status_code == 200 and response.context["year"] is None
    assert "nog geen openbare cijfers per gemeente" in response.content.decode()


@pytest.mark.parametrize("with_catalogue", [True, False])
def test_without_figures_the_page_says_so(request, areas, with_catalogue):
    if with_catalogue:
        request.getfixturevalue("catalogue")
    response = Client().get(reverse("public-figures"))
    assert response.status_code == 200
    assert "Er zijn nog geen openbare cijfers" in response.content.decode()
    assert b"<table" not in response.content


@pytest.mark.parametrize("code", ["labour-force-share", "labour-force", "no-such-indicator"])
def test_an_unknown_or_unpublished_indicator_is_not_found(world, record, code):
    if code == "labour-force":
        record(code, municipality(VENLO), "2023", 1000)
    client = Client()
    assert client.get(reverse("public-figures"), {"indicator": code}).status_code == 404
    for fmt in public_views.FORMATS:
        url = reverse(
            "public-figures-download", kwargs={"indicator": code, "year": 2023, "fmt": fmt}
        )
        assert client.get(url).status_code == 404


def test_a_download_of_a_year_format_or_grouping_the_page_does_not_offer_is_not_found(world):
    client = Client()
    url = reverse("public-figures-download", kwargs={"indicator": BRP, "year": 2023, "fmt": "json"})
    assert client.get(url).status_code == 200
    assert client.get(url, {"indeling": "nope"}).status_code == 404
    assert client.get(url.replace("2023", "2019")).status_code == 404
    assert client.get(url.replace(".json", ".xlsx")).status_code == 404


def test_downloads_can_be_cached_and_revalidated(world):
    client = Client()
    url = reverse("public-figures-download", kwargs={"indicator": BRP, "year": 2023, "fmt": "csv"})
    response = client.get(url, {"indeling": "corop"})
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "") and not response.cookies
    again = client.get(url, {"indeling": "corop"}, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    other = client.get(url, {"indeling": "admin"}, headers={"if-none-match": response["ETag"]})
    assert other.status_code == 200


def test_the_public_table_is_one_table_for_page_and_downloads(world):
    table = public.public_table(BRP, 2023, THRESHOLD)
    admin, corop = table.for_grouping("admin"), table.for_grouping("corop")
    hidden_admin = {r.code for r in admin.rows if r.kind == "municipality" and r.shown.protected}
    hidden_corop = {r.code for r in corop.rows if r.kind == "municipality" and r.shown.protected}
    assert hidden_admin  # the world has small figures: something is hidden
    assert hidden_admin == hidden_corop  # hidden for one grouping, hidden in the other
    with pytest.raises(public.NotPublic):
        public.public_table("labour-force-share", 2023, THRESHOLD)


@pytest.mark.django_db(transaction=True)
def test_a_visitor_chooses_figures_with_the_keyboard_and_downloads_them(page, live_server, world):
    page.goto(f"{live_server.url}/cijfers/")
    expect(page.locator("h1")).to_have_text("Cijfers arbeidsmigratie")
    assert_accessible(page)
    page.get_by_label("Indicator").select_option(BRP)
    page.get_by_label("Jaar").select_option("2023")
    page.get_by_label("Indeling in regio's").select_option("corop")
    with page.expect_navigation():
        page.get_by_role("button", name="Tonen").press("Enter")
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_contain_text("COROP-gebied")
    beesel = table.get_by_role("row", name="Beesel")
    expect(beesel.get_by_role("cell").first).to_have_text("< 10")
    expect(table.get_by_role("rowheader", name="Totaal Midden-Limburg")).to_be_visible()
    assert_accessible(page)
    name, content = download(page, page.get_by_role("link", name="Download CSV"))
    assert name == "waardig-cijfers-registered-brp-2023-corop.csv"
    assert f"municipality;{BEESEL};Beesel;Midden-Limburg;;< 10;true;" in content.decode()
    assert_no_console_errors(page)
