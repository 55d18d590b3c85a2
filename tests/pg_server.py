"""A throwaway PostgreSQL server for one test session (`pytest --postgres`).

The suite has to prove itself on the database production runs on, without asking anyone to set
one up: this module initialises a cluster in a fresh temporary directory from the Debian server
package, serves it on a unix socket only (no TCP port to collide with or to expose), tuned for
speed rather than durability, and removes it again when the session ends.

Usable on its own too, e.g. from a Python shell:

    with PostgresServer(find_bindir()) as server:
        print(server.url)
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pwd
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

NOT_INSTALLED = (
    "PostgreSQL server not installed: the PostgreSQL run is skipped (apt-get install postgresql)"
)
REQUIRED_IN_CI = (
    "PostgreSQL server not installed, but CI=true requires the PostgreSQL run "
    "(.ci/run installs the Debian package postgresql)"
)
DATABASE = "waardig"
SUPERUSER = "postgres"
# Fixed so that a PGPORT in the caller's environment changes neither the socket's file name
# nor the port the client looks for.
PORT = 5432
# Settings that trade durability for speed: the cluster is thrown away after the session.
SERVER_SETTINGS = {
    "listen_addresses": "",
    "port": str(PORT),
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
}
# A unix socket path may be at most 107 bytes; the socket file name adds about 20.
MAX_SOCKET_DIR_LENGTH = 80

server_key = pytest.StashKey["PostgresServer"]()


def find_bindir() -> Path | None:
    """Return the directory with the server binaries (initdb, pg_ctl, postgres), or None.

    WAARDIG_PG_BINDIR overrides the search, to pick a version or to test the absent case.
    Otherwise `pg_config --bindir` is asked first; on Debian it may come from libpq-dev without
    a server, so the newest /usr/lib/postgresql/*/bin is the fallback.
    """
    if override := os.environ.get("WAARDIG_PG_BINDIR"):
        candidates = [Path(override)]
    else:
        candidates = []
        if pg_config := shutil.which("pg_config"):
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                result = subprocess.run(
                    [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30
                )
                candidates.append(Path(result.stdout.strip()))
        candidates += sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True
        )
    for candidate in candidates:
        if all((candidate / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return candidate
    return None


def _version_key(bindir: Path) -> tuple[int, ...]:
    """Sort /usr/lib/postgresql/<version>/bin by version number, so 16 beats 9.6."""
    return tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name)) or (-1,)


class PostgresServer:
    """One PostgreSQL cluster in a temporary directory, reachable only through its socket."""

    def __init__(self, bindir: Path, database: str = DATABASE) -> None:
        self.bindir = bindir
        self.database = database
        self.directory: Path | None = None
        self._running = False
        self._lock = threading.Lock()

    @property
    def socket_dir(self) -> Path:
        if self.directory is None:
            raise RuntimeError("the server has not been started")
        return self.directory

    @property
    def data_dir(self) -> Path:
        return self.socket_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.socket_dir / "server.log"

    @property
    def url(self) -> str:
        """The DATABASE_URL for django-environ: superuser, unix socket, fixed port."""
        return f"postgres://{SUPERUSER}@:{PORT}/{self.database}?host={self.socket_dir}"

    def start(self) -> PostgresServer:
        """Create the cluster, start the server and create the database.

        Stops and removes everything again when a step fails, so that a failed start leaves
        no server behind.
        """
        parent = tempfile.gettempdir()
        if len(parent) > MAX_SOCKET_DIR_LENGTH:
            parent = "/tmp"  # noqa: S108 (mkdtemp makes a private directory inside it)
        self.directory = Path(tempfile.mkdtemp(prefix="waardig-pg-", dir=parent))
        try:
            if os.geteuid() == 0:
                # initdb refuses to run as root; the server then runs as the postgres user.
                try:
                    owner = pwd.getpwnam(SUPERUSER)
                except KeyError:
                    raise RuntimeError(
                        "running as root, but there is no 'postgres' user to run the server as"
                    ) from None
                os.chown(self.directory, owner.pw_uid, owner.pw_gid)
            self._run(
                "initdb",
                "--pgdata",
                str(self.data_dir),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
                "--no-instructions",
            )
            settings = dict(SERVER_SETTINGS, unix_socket_directories=str(self.socket_dir))
            with (self.data_dir / "postgresql.conf").open("a") as conf:
                conf.write("\n# Test session settings (tests/pg_server.py)\n")
                for name, value in settings.items():
                    conf.write(f"{name} = '{value.replace(chr(39), chr(39) * 2)}'\n")
            self._run(
                "pg_ctl", "--pgdata", str(self.data_dir), "--log", str(self.log_file),
                "--wait", "--timeout", "60", "start",
            )  # fmt: skip
            self._running = True
            self._create_database()
        except BaseException:
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            self.stop()
            if log:
                sys.stderr.write(f"PostgreSQL server log:\n{log}\n")
            raise
        return self

    def stop(self) -> None:
        """Stop the server and delete its directory; safe to call more than once."""
        with self._lock:
            if self._running:
                self._running = False
                with contextlib.suppress(subprocess.SubprocessError, OSError):
                    # Immediate: nothing in the cluster is worth a clean checkpoint.
                    self._run(
                        "pg_ctl", "--pgdata", str(self.data_dir), "--mode", "immediate",
                        "--wait", "--timeout", "30", "stop",
                    )  # fmt: skip
            if self.directory is not None:
                shutil.rmtree(self.directory, ignore_errors=True)
                self.directory = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self, program: str, *args: str) -> None:
        """Run a server binary, as the postgres user when we are root."""
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            if shutil.which("runuser"):
                command = ["runuser", "-u", SUPERUSER, "--", *command]
            else:
                command = ["su", SUPERUSER, "-s", "/bin/sh", "-c", shlex.join(command)]
        # PG* variables of the caller (PGDATA, PGPORT, ...) must not steer the throwaway server.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        result = subprocess.run(
            command,
            cwd=self.socket_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{program} failed with exit code {result.returncode}:\n"
                f"{result.stdout}{result.stderr}"
            )

    def _create_database(self) -> None:
        import psycopg  # the project's own driver, so no client binaries are needed

        with psycopg.connect(
            host=str(self.socket_dir),
            port=PORT,
            user=SUPERUSER,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')


def start_session_server(config: pytest.Config) -> PostgresServer | None:
    """Start the server for `pytest --postgres` and point Django at it.

    Exits the run when no server is installed: with exit code 0 and a notice on a developer's
    machine (the SQLite run still covers them), non-zero under CI=true, where the PostgreSQL
    run is required.
    """
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.exit(REQUIRED_IN_CI, returncode=pytest.ExitCode.USAGE_ERROR)
        pytest.exit(NOT_INSTALLED, returncode=pytest.ExitCode.OK)
    server = PostgresServer(bindir).start()
    config.stash[server_key] = server
    # Unconfigure runs after failures and KeyboardInterrupt as well; atexit covers the rest.
    config.add_cleanup(server.stop)
    atexit.register(server.stop)
    _interrupt_on_sigterm()
    use_database_url(server.url)
    return server


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say which database the run uses, so a PostgreSQL run cannot be mistaken for SQLite."""
    if server := config.stash.get(server_key, None):
        return f"database: throwaway PostgreSQL ({server.bindir}) at {server.socket_dir}"
    return None


def _interrupt_on_sigterm() -> None:
    """Let SIGTERM (e.g. a CI time-out) end the session like Ctrl-C, so cleanup still runs."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:

        def interrupt(signum: int, frame: object) -> None:
            raise KeyboardInterrupt(f"signal {signum}")

        signal.signal(signal.SIGTERM, interrupt)


def use_database_url(url: str) -> None:
    """Make DATABASE_URL `url` take effect, also when Django has read its settings already.

    pytest-django loads the settings before any conftest is imported, so setting the
    environment variable alone comes too late. The settings module is therefore evaluated
    again with the new environment, and every setting whose value changed (DATABASES, and
    whatever the settings derive from the database engine) is applied to the live settings.
    """
    os.environ["DATABASE_URL"] = url
    from django.conf import settings

    if not settings.configured:
        return  # the settings will read the environment themselves
    module = importlib.reload(sys.modules[settings.SETTINGS_MODULE])
    changed = {}
    for name in dir(module):
        if not name.isupper():
            continue
        new = getattr(module, name)
        try:
            same = getattr(settings, name) == new
        except Exception:  # a value that cannot be compared is taken as changed
            same = False
        if not same:
            changed[name] = new
    if "INSTALLED_APPS" in changed:
        raise pytest.UsageError(
            "the settings change INSTALLED_APPS with DATABASE_URL; the app registry is already "
            "loaded, so the PostgreSQL run cannot switch databases after the fact"
        )
    for name, value in changed.items():
        setattr(settings, name, value)
    if "DATABASES" in changed:
        _reset_connections()


def _reset_connections() -> None:
    """Forget the connection settings Django may have cached, so the new DATABASES apply."""
    from django.db import connections

    if "settings" in vars(connections):
        connections.close_all()
        for alias in connections:
            with contextlib.suppress(AttributeError):
                del connections[alias]
        del connections.settings
    connections._settings = None
