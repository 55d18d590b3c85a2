"""Playwright fixtures and helpers for the browser tests.

The tests drive Debian's Chromium (/usr/bin/chromium) through Playwright's sync API; no browser
is ever downloaded. Every page records its console errors, uncaught exceptions and Content
Security Policy violations, so a test can assert that a flow ran cleanly, and a failing test
leaves a screenshot in test-artifacts/ to look at.

Fixtures: `browser` (session), `page`, `page_factory`. Helpers: `assert_no_console_errors`,
`assert_accessible`, `login`, `download`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, sync_playwright

REPO_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SOURCE = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
ARTIFACTS_DIR = REPO_DIR / "test-artifacts"
# Requests may only go to the live server on this machine: nothing talks to the network.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DEFAULT_TIMEOUT_MS = 10_000
# The console messages and errors of each page, kept on the page object itself.
_ERRORS_ATTRIBUTE = "waardig_console_errors"

_pages_key = pytest.StashKey[list[Page]]()


def require_chromium(executable: Path) -> None:
    """Skip the browser tests where Chromium is missing; fail under CI=true, which needs them."""
    if executable.exists():
        return
    message = (
        f"Chromium not installed at {executable}: browser test skipped (apt-get install chromium)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}, but CI=true requires the browser tests", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test gets its own context."""
    require_chromium(CHROMIUM)
    # While Playwright's sync API runs, this thread has an event loop marked as running, and
    # Django would refuse every ORM call (in tests and fixtures alike) as "async-unsafe".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page_factory(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[[], Page]]:
    """Open pages in fresh browser contexts, e.g. one per user in a flow between two users."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(
            locale="nl-NL", timezone_id="Europe/Amsterdam", accept_downloads=True
        )
        contexts.append(context)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.route("**/*", _block_remote_requests)
        new_page = context.new_page()
        _record_errors(new_page)
        request.node.stash.setdefault(_pages_key, []).append(new_page)
        return new_page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(page_factory: Callable[[], Page]) -> Page:
    """A page in a fresh context that records console errors (see assert_no_console_errors)."""
    return page_factory()


def _block_remote_requests(route: Route) -> None:
    """Abort requests to other hosts; the browser then logs them as console errors."""
    url = urlsplit(route.request.url)
    if url.scheme in {"http", "https", "ws", "wss"} and url.hostname not in LOCAL_HOSTS:
        route.abort("blockedbyclient")
    else:
        route.continue_()


def _record_errors(page: Page) -> None:
    errors: list[str] = []
    setattr(page, _ERRORS_ATTRIBUTE, errors)

    def on_console(message) -> None:  # CSP violations arrive here too
        if message.type == "error":
            location = message.location
            errors.append(f"console error: {message.text} ({location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught exception: {error}"))


def console_errors(page: Page) -> list[str]:
    """The console errors, uncaught exceptions and CSP violations recorded on `page`."""
    try:
        return getattr(page, _ERRORS_ATTRIBUTE)
    except AttributeError:
        raise ValueError(
            "this page was not opened by the `page` or `page_factory` fixture"
        ) from None


def assert_no_console_errors(page: Page) -> None:
    """Fail when the page logged an error, threw, or violated its Content-Security-Policy."""
    errors = console_errors(page)
    assert not errors, f"{len(errors)} browser error(s) on {page.url}:\n" + "\n".join(errors)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the current page; fail on every serious or critical WCAG violation.

    axe is evaluated through the DevTools protocol rather than added as a <script>, so the
    page's own Content-Security-Policy does not block it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # A plain script (not a function), evaluated at global scope so it sets window.axe;
        # the trailing `true` keeps its completion value simple to hand back.
        page.evaluate(AXE_SOURCE.read_text() + "\n;true")
    results = page.evaluate(
        """async (tags) => {
            const result = await window.axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => n.target.flat().join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    blocking = [v for v in results if v["impact"] in BLOCKING_IMPACTS]
    lines = [f"{v['id']} ({v['impact']}): {v['help']}: {', '.join(v['targets'])}" for v in blocking]
    assert not blocking, f"{len(blocking)} accessibility violation(s) on {page.url}:\n" + (
        "\n".join(lines)
    )


def login(page: Page, live_server_url: str, username: str, password: str) -> None:
    """Log in through the login form, as a person would, and check that it worked."""
    page.goto(f"{live_server_url.rstrip('/')}/accounts/login/")
    form = page.locator("form[action*='/accounts/login/']")
    form.locator("[name=username]").fill(username)
    form.locator("[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()
    assert urlsplit(page.url).path != "/accounts/login/", (
        f"login as {username!r} failed: still on the login page"
    )


def download(page: Page, click_locator: Locator | str) -> tuple[str, bytes]:
    """Click what starts a download; return the file name the server suggested and the bytes."""
    locator = page.locator(click_locator) if isinstance(click_locator, str) else click_locator
    with page.expect_download() as info:
        locator.click()
    file = info.value
    if failure := file.failure():
        raise AssertionError(f"download of {file.suggested_filename!r} failed: {failure}")
    return file.suggested_filename, Path(file.path()).read_bytes()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    """Keep a screenshot, the URL and the console errors of each page of a failed test."""
    report = yield
    pages = item.stash.get(_pages_key, [])
    if report.failed and pages:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", item.nodeid).strip("_")
        for number, failed_page in enumerate(pages, start=1):
            base = ARTIFACTS_DIR / f"{stem}-{report.when}-{number}"
            try:
                failed_page.screenshot(path=f"{base}.png", full_page=True)
                details = {"url": failed_page.url, "errors": console_errors(failed_page)}
                Path(f"{base}.json").write_text(json.dumps(details, indent=2))
                report.sections.append(("browser", f"screenshot: {base}.png"))
            except Exception as error:  # a closed or crashed page must not hide the failure
                report.sections.append(("browser", f"no screenshot ({error})"))
    return report
