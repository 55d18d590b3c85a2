"""Root conftest: the `--postgres` option, the browser fixtures and the shared data fixtures.

The tooling itself lives in pg_server.py, browser.py and fixtures.py beside this file; it is
imported relatively when tests/ is a package and by module name when it is not (as now: only
its subfolders are packages), so it works either way.
"""

import pytest

if __package__:
    from .browser import browser, page, page_factory, pytest_runtest_makereport
    from .fixtures import (
        areas,
        contacts,
        coordinator,
        make_user,
        use_fast_password_hashing,
        use_temporary_media,
        users,
    )
    from .pg_server import pytest_report_header, start_session_server
else:
    from browser import browser, page, page_factory, pytest_runtest_makereport
    from fixtures import (
        areas,
        contacts,
        coordinator,
        make_user,
        use_fast_password_hashing,
        use_temporary_media,
        users,
    )
    from pg_server import pytest_report_header, start_session_server

# Imported so that pytest finds them here, for every test below tests/.
__all__ = [
    "areas",
    "browser",
    "contacts",
    "coordinator",
    "make_user",
    "page",
    "page_factory",
    "pytest_report_header",
    "pytest_runtest_makereport",
    "users",
]

BROWSER_FIXTURES = {"browser", "page", "page_factory"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        action="store_true",
        help="run against a throwaway PostgreSQL server started for this session",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--postgres") and not (config.option.help or config.option.version):
        start_session_server(config)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives the browser, so `-m "not browser"` leaves none behind."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    use_fast_password_hashing()
    use_temporary_media()
