"""The `waardig` console script: setup, serving, imports, exports and reports.

Import, export and report kinds are not listed here: apps register them (see
``core.registry``) and this script offers whatever is registered.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waardig.settings")
    import django

    django.setup()


def _actor(username: str | None) -> Any:
    from waardig.core.access import SYSTEM

    if not username:
        return SYSTEM
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise SystemExit(f"waardig: no active user {username!r}") from None


def _add_kind_options(parser: argparse.ArgumentParser, kinds: list[Any]) -> None:
    seen: set[str] = set()
    for kind in kinds:
        for option in kind.options:
            if option.name not in seen:
                seen.add(option.name)
                parser.add_argument(f"--{option.name}", help=f"{option.help} ({kind.kind})")


def _kind_options(args: argparse.Namespace, kind: Any) -> dict[str, Any]:
    options = {o.name: getattr(args, o.name, None) for o in kind.options}
    missing = [o.name for o in kind.options if o.required and not options.get(o.name)]
    if missing:
        raise SystemExit(f"waardig: {kind.kind} needs --{' --'.join(missing)}")
    return {k: v for k, v in options.items() if v}


def build_parser() -> argparse.ArgumentParser:
    from waardig.core.exports import TABLE_FORMATS
    from waardig.core.registry import EXPORTS, IMPORTS, REPORTS
    from waardig.core.reports.render import EXTENSIONS

    parser = argparse.ArgumentParser(
        prog="waardig",
        description="Waardig: information system for the integrated approach to labour migration.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="set up the database with demo data and serve it")
    demo.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
    demo.add_argument("--port", type=int, default=8000)

    serve = sub.add_parser("serve", help="serve the web application and the job worker")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")

    sub.add_parser("setup", help="migrate the database and load the reference areas and indicators")

    imp = sub.add_parser("import", help="import a file (validate all rows, then write atomically)")
    imp.add_argument(
        "kind", choices=sorted(IMPORTS), metavar="KIND", help=", ".join(sorted(IMPORTS))
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="validate and preview, write nothing")
    imp.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    imp.add_argument("--as", dest="user", help="act as this user (default: system)")
    _add_kind_options(imp, list(IMPORTS.values()))

    exp = sub.add_parser("export", help="export a table as CSV, XLSX or JSON")
    exp.add_argument(
        "kind", choices=sorted(EXPORTS), metavar="KIND", help=", ".join(sorted(EXPORTS))
    )
    exp.add_argument("--format", required=True, choices=sorted(TABLE_FORMATS))
    exp.add_argument("--out", type=Path, help="file to write (default: standard output)")
    exp.add_argument("--as", dest="user", help="act as this user (default: system)")
    exp.add_argument("--reason", default="", help="why (kept in the audit log)")
    _add_kind_options(exp, list(EXPORTS.values()))

    rep = sub.add_parser("report", help="produce a report as PDF, DOCX, XLSX or Markdown")
    rep.add_argument(
        "kind", choices=sorted(REPORTS), metavar="KIND", help=", ".join(sorted(REPORTS))
    )
    rep.add_argument("--format", required=True, choices=sorted(EXTENSIONS))
    rep.add_argument("--out", type=Path, required=True)
    rep.add_argument("--as", dest="user", help="act as this user (default: system)")
    _add_kind_options(rep, list(REPORTS.values()))

    scan = sub.add_parser(
        "scan", help="check every location against the norms and find registration signals"
    )
    scan.add_argument("--date", help="the day to check, YYYY-MM-DD (default: today)")
    for kind in ("bag", "registrations", "guests"):
        scan.add_argument(
            f"--{kind}", type=Path, metavar="FILE",
            help=f"read the {kind} extract from this CSV or Parquet file instead of the database",
        )  # fmt: skip
    scan.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    scan.add_argument("--as", dest="user", help="act as this user (default: system)")

    synth = sub.add_parser("synth", help="generate fictitious extracts with planted violations")
    synth.add_argument("--scale", required=True, choices=["tiny", "province", "national"])
    synth.add_argument("--out", type=Path, required=True, metavar="DIR")
    synth.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    synth.add_argument("--seed", type=int, default=2026)
    synth.add_argument(
        "--pseudonymise", action="store_true",
        help="write keyed pseudonyms instead of fictitious person numbers",
    )  # fmt: skip

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    _setup_django()
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)


def cmd_setup(args: argparse.Namespace | None = None) -> int:
    from django.core.management import call_command

    from waardig.areas.demo import load_reference_areas
    from waardig.monitor.indicators import load_indicators

    call_command("migrate", interactive=False, verbosity=0)
    load_reference_areas()
    load_indicators()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from waardig import demo

    cmd_setup()
    logins = demo.load()
    print("\nWaardig demo data is loaded (figures and names marked 'fictief' are invented).")
    print(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
    for username, role_label, scope in logins:
        print(f"  {username:<18} {role_label}{f' ({scope})' if scope else ''}")
    if args.no_serve:
        return 0
    return cmd_serve(argparse.Namespace(port=args.port, host="127.0.0.1"))


def cmd_serve(args: argparse.Namespace) -> int:
    """Run gunicorn and the django-tasks worker together; stop both on Ctrl-C."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "waardig.settings"}
    web = [
        sys.executable,
        "-m",
        "gunicorn",
        "waardig.wsgi",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        "2",
        "--access-logfile",
        "-",
    ]
    worker = [sys.executable, "-m", "django", "db_worker", "--interval", "1"]
    processes = [subprocess.Popen(cmd, env=env) for cmd in (worker, web)]  # noqa: S603
    print(f"Waardig serves on http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)

    def stop(*_: Any) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in processes):
            try:
                processes[1].wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for process in processes:
            process.wait(timeout=10)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from waardig.core.imports import jobs
    from waardig.core.registry import IMPORTS

    importer_class = IMPORTS[args.kind]
    if not args.file.is_file():
        raise SystemExit(f"waardig: no such file: {args.file}")
    data = args.file.read_bytes()
    importer = importer_class(actor=_actor(args.user), options=_kind_options(args, importer_class))
    job = jobs.create_job(importer.actor, args.kind, args.file.name, data, importer.options)
    with _progress(enabled=not args.json) as progress:
        result = jobs.run(
            job, importer, data, args.file.name, dry_run=args.dry_run, progress=progress
        )
    if importer_class.personal:
        job.refresh_from_db()
        if job.file:  # a dry run's preview: the command line never commits it (a second
            # run reads the file again), so it keeps no copy of person-level data
            jobs.discard_upload(job, "proefrun, niets opgeslagen")
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1, default=str))
    else:
        _print_result(result)
    return 0 if result.ok else 1


def _print_result(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if result.errors:
        table = Table(title=f"{len(result.errors)} error(s): nothing was written")
        for column in ("row", "column", "message"):
            table.add_column(column)
        for error in result.errors:
            table.add_row(str(error.row), error.column, error.message)
        console.print(table)
        return
    verb = "would be" if result.dry_run else "were"
    console.print(
        f"{result.kind}: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged ({verb} written{' : dry run' if result.dry_run else ''})"
        + (f"; {result.skipped} skipped on purpose." if result.skipped else ".")
    )


class _progress:
    """A rich progress bar fed by the import runner's progress callback."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()

    def __enter__(self):
        if not self.enabled:
            return lambda phase, done, total: None
        from rich.progress import Progress

        self.bar = Progress(transient=True)
        self.bar.start()
        self.tasks: dict[str, Any] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in self.tasks:
                self.tasks[phase] = self.bar.add_task(phase, total=total or None)
            self.bar.update(self.tasks[phase], completed=done, total=total or None)

        return update

    def __exit__(self, *exc: Any) -> None:
        if self.enabled:
            self.bar.stop()


def cmd_export(args: argparse.Namespace) -> int:
    from waardig.core.exports import export
    from waardig.core.registry import EXPORTS

    spec = EXPORTS[args.kind]
    options = {**_kind_options(args, spec), "reason": args.reason}
    with _option_errors(args.kind):
        content = export(_actor(args.user), spec, args.format, options)
    if args.out:
        args.out.write_bytes(content)
        print(f"written {args.out} ({len(content)} bytes)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
    return 0


@contextmanager
def _option_errors(kind: str) -> Iterator[None]:
    """Options naming nothing, or nothing valid, end the command with a message."""
    from django.core.exceptions import ObjectDoesNotExist, ValidationError

    try:
        yield
    except ObjectDoesNotExist:
        raise SystemExit(f"waardig: {kind}: not found (check the options)") from None
    except ValidationError as exc:
        raise SystemExit(f"waardig: {kind}: {'; '.join(exc.messages)}") from None


def cmd_report(args: argparse.Namespace) -> int:
    from waardig.core import reporting
    from waardig.core.registry import REPORTS
    from waardig.core.reports.render import render

    spec = REPORTS[args.kind]
    with _option_errors(args.kind):
        document = reporting.build(
            _actor(args.user), spec, _kind_options(args, spec), fmt=args.format
        )
    content = render(document, args.format)
    args.out.write_bytes(content)
    print(f"written {args.out} ({len(content)} bytes)", file=sys.stderr)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["waardig manage", *args.args])
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    from waardig.compliance.commands import scan

    return scan(args, _actor(args.user))


def cmd_synth(args: argparse.Namespace) -> int:
    from waardig.compliance.synth import main as synth

    return synth(args)


COMMANDS = {
    "demo": cmd_demo,
    "serve": cmd_serve,
    "setup": cmd_setup,
    "import": cmd_import,
    "export": cmd_export,
    "report": cmd_report,
    "manage": cmd_manage,
    "scan": cmd_scan,
    "synth": cmd_synth,
}

if __name__ == "__main__":
    sys.exit(main())
