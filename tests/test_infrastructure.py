"""Tests of the test tooling itself: the PostgreSQL run and the browser helpers.

Each helper is shown to fail on what it is there to catch, not only to pass, since a check
that cannot fail proves nothing.
"""

import http.server
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar
from urllib.parse import parse_qs

import psycopg
import pytest
from django.db import connection

if __package__:
    from . import browser as browser_tools
    from . import pg_server
else:
    import browser as browser_tools
    import pg_server

REPO_DIR = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"


# --- PostgreSQL run ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_database_vendor_matches_the_run(pytestconfig: pytest.Config) -> None:
    assert connection.vendor == ("postgresql" if pytestconfig.getoption("--postgres") else "sqlite")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_postgres_run_uses_the_throwaway_server(pytestconfig: pytest.Config) -> None:
    if not pytestconfig.getoption("--postgres"):
        pytest.skip("only in the PostgreSQL run (--postgres)")
    socket_dir = Path(connection.settings_dict["OPTIONS"]["host"])
    assert socket_dir.name.startswith("waardig-pg-")
    assert connection.settings_dict["NAME"] == "test_waardig"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('fsync'), current_setting('listen_addresses')")
        assert cursor.fetchone() == ("off", "")


def test_server_starts_and_leaves_nothing_behind() -> None:
    bindir = pg_server.find_bindir()
    if bindir is None:
        if IN_CI:
            pytest.fail(pg_server.REQUIRED_IN_CI)
        pytest.skip(pg_server.NOT_INSTALLED)
    server = pg_server.PostgresServer(bindir, database="probe")
    with server:
        directory = server.socket_dir
        with psycopg.connect(
            host=str(directory), port=pg_server.PORT, user="postgres", dbname="probe"
        ) as db:
            row = db.execute(
                "SELECT current_setting('synchronous_commit'), "
                "current_setting('full_page_writes'), current_setting('unix_socket_directories')"
            ).fetchone()
        assert row == ("off", "off", str(directory))
    assert not directory.exists()
    server.stop()  # a second stop (as atexit does) is harmless


def test_failed_start_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_bindir = tmp_path / "bin"
    fake_bindir.mkdir()
    for name in ("initdb", "pg_ctl", "postgres"):
        (fake_bindir / name).write_text("#!/bin/sh\necho broken >&2\nexit 1\n")
        (fake_bindir / name).chmod(0o755)
    made: list[str] = []
    make_directory = tempfile.mkdtemp
    monkeypatch.setattr(
        tempfile, "mkdtemp", lambda **kwargs: made.append(make_directory(**kwargs)) or made[-1]
    )
    server = pg_server.PostgresServer(fake_bindir)
    with pytest.raises(RuntimeError, match="initdb failed"):
        server.start()
    assert len(made) == 1
    assert not Path(made[0]).exists()
    assert server.directory is None


def test_find_bindir_needs_the_server_binaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAARDIG_PG_BINDIR", str(tmp_path))
    (tmp_path / "initdb").touch()
    (tmp_path / "pg_ctl").touch()
    assert pg_server.find_bindir() is None  # client tools without the server are not enough
    (tmp_path / "postgres").touch()
    assert pg_server.find_bindir() == tmp_path


@pytest.mark.parametrize(("ci", "exit_code"), [("false", 0), ("true", 4)])
def test_postgres_run_without_a_server(ci: str, exit_code: int) -> None:
    """Developers without PostgreSQL get a notice and exit code 0; CI must not pass that way."""
    env = dict(os.environ, CI=ci, WAARDIG_PG_BINDIR="/nonexistent")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--postgres", "-p", "no:cacheprovider", __file__],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == exit_code, output
    assert "PostgreSQL server not installed" in output
    assert " passed" not in output and " failed" not in output


# --- Browser ----------------------------------------------------------------------------------

ORIGIN = "http://127.0.0.1:8765"  # only ever answered by page.route: no request leaves
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PIXEL = "data:image/gif;base64,R0lGODlhAQABAAAAACw="


def html(body: str, title: str = "Test page") -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )


def serve(page, responses: dict[str, dict]) -> list:
    """Answer requests to ORIGIN from `responses` (path -> fulfil kwargs); return the requests."""
    seen = []

    def handle(route) -> None:
        request = route.request
        seen.append(request)
        path = request.url.removeprefix(ORIGIN)
        key = f"{request.method} {path}"
        response = responses.get(key) or responses.get(path) or {"status": 404, "body": ""}
        headers = {"Content-Security-Policy": STRICT_CSP, "Content-Type": "text/html"}
        headers.update(response.get("headers", {}))
        route.fulfill(status=response.get("status", 200), headers=headers, body=response["body"])

    page.route(f"{ORIGIN}/**", handle)
    return seen


@pytest.mark.browser
def test_accessible_page_passes_axe_under_a_strict_csp(page) -> None:
    serve(page, {"/": {"body": html(f'<p>Text</p><img src="{PIXEL}" alt="A dot">')}})
    page.goto(f"{ORIGIN}/")
    browser_tools.assert_accessible(page)
    browser_tools.assert_no_console_errors(page)


@pytest.mark.browser
def test_axe_reports_an_image_without_alt(page) -> None:
    serve(page, {"/": {"body": html(f'<img id="no-alt" src="{PIXEL}">')}})
    page.goto(f"{ORIGIN}/")
    with pytest.raises(AssertionError) as failure:
        browser_tools.assert_accessible(page)
    assert "image-alt (critical)" in str(failure.value)
    assert "#no-alt" in str(failure.value)


@pytest.mark.browser
def test_axe_works_on_content_set_directly(page) -> None:
    page.set_content(html("<img src='" + PIXEL + "'>", title="Direct"))
    with pytest.raises(AssertionError, match="image-alt"):
        browser_tools.assert_accessible(page)


@pytest.mark.browser
def test_console_errors_report_csp_violations_and_exceptions(page) -> None:
    body = html('<script>document.title = "inline";</script><script src="/boom.js"></script>')
    serve(
        page,
        {
            "/": {"body": body},
            "/boom.js": {
                "body": "throw new Error('boom from script');",
                "headers": {"Content-Type": "text/javascript"},
            },
        },
    )
    page.goto(f"{ORIGIN}/")
    with pytest.raises(AssertionError) as failure:
        browser_tools.assert_no_console_errors(page)
    message = str(failure.value)
    assert "Content Security Policy" in message
    assert "uncaught exception: " in message and "boom from script" in message


class LoginSite(http.server.BaseHTTPRequestHandler):
    """A stand-in login page on a loopback port: like Django it answers a good login with a
    redirect, which page.route cannot fake (the browser would fetch the target for real)."""

    password = "a long enough secret"
    posted: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        if self.path == "/accounts/login/":
            self._send(200, self._form(""))
        else:
            self._send(200, html("<p>Welcome</p>", title="Home"))

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.posted.append(body)
        if parse_qs(body).get("password") == [self.password]:
            self._send(302, "", location="/home/")
        else:
            self._send(200, self._form("<p>Wrong password</p>"))

    def _form(self, error: str) -> str:
        return html(
            f'<form method="post" action="/accounts/login/">{error}'
            '<label for="u">User name</label><input id="u" name="username">'
            '<label for="p">Password</label><input id="p" name="password" type="password">'
            '<button type="submit">Log in</button></form>',
            title="Log in",
        )

    def _send(self, status: int, body: str, location: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def login_site() -> Iterator[str]:
    LoginSite.posted.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), LoginSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_login_fills_and_submits_the_login_form(page, login_site: str) -> None:
    browser_tools.login(page, login_site, "anna", LoginSite.password)
    assert page.url == f"{login_site}/home/"
    assert LoginSite.posted == ["username=anna&password=a+long+enough+secret"]


@pytest.mark.browser
def test_login_fails_when_the_form_comes_back(page, login_site: str) -> None:
    with pytest.raises(AssertionError, match="still on the login page"):
        browser_tools.login(page, login_site, "anna", "wrong")


@pytest.mark.browser
def test_download_returns_the_suggested_name_and_the_bytes(page) -> None:
    serve(
        page,
        {
            "/": {"body": html('<a href="/export">Export</a>')},
            "/export": {
                "body": "a;b\n1;2\n",
                "headers": {
                    "Content-Type": "text/csv",
                    "Content-Disposition": 'attachment; filename="export.csv"',
                },
            },
        },
    )
    page.goto(f"{ORIGIN}/")
    name, content = browser_tools.download(page, page.get_by_role("link", name="Export"))
    assert (name, content) == ("export.csv", b"a;b\n1;2\n")


def test_missing_chromium_skips_but_fails_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "chromium"
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="Chromium not installed"):
        browser_tools.require_chromium(missing)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true requires the browser tests"):
        browser_tools.require_chromium(missing)
    missing.touch()
    browser_tools.require_chromium(missing)  # present: nothing happens


def test_remote_requests_are_blocked() -> None:
    calls = []

    def route_for(url: str) -> SimpleNamespace:
        return SimpleNamespace(
            request=SimpleNamespace(url=url),
            abort=lambda reason: calls.append((url, "abort")),
            continue_=lambda: calls.append((url, "continue")),
        )

    for url in ("https://cdn.example.org/lib.js", "http://127.0.0.1:8000/", "data:,x"):
        browser_tools._block_remote_requests(route_for(url))
    assert calls == [
        ("https://cdn.example.org/lib.js", "abort"),
        ("http://127.0.0.1:8000/", "continue"),
        ("data:,x", "continue"),
    ]


@pytest.mark.browser
def test_browser_live_server_and_orm_work_together(page, live_server, django_user_model) -> None:
    """The ORM must keep working once Playwright's event loop exists (DJANGO_ALLOW_ASYNC_UNSAFE)."""
    assert not django_user_model.objects.filter(username="nobody-here").exists()
    response = page.goto(f"{live_server.url}/no-such-page-{os.getpid()}/")
    assert response is not None and response.status == 404
