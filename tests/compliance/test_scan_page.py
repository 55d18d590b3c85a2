"""The scan pages: only the province admin starts and follows a scan; it runs as a background
job (the database task backend, run here by its worker) and its outcome lands on the page."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from fixtures import MAASTRICHT, VENLO

from waardig.compliance.models import ScanRun, Signal
from waardig.core.access import SYSTEM
from waardig.core.models import AuditEntry

OTHERS = ["analyst", "coordinator", "venlo_officer", "maastricht_officer", "inspector", "member"]


def client_of(users, role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


@pytest.fixture
def admin(users) -> Client:
    return client_of(users, "province_admin")


def queued_run(on: datetime.date | None = None) -> ScanRun:
    return ScanRun.objects.create(
        on=on or timezone.localdate(), status=ScanRun.Status.QUEUED, actor="provincie"
    )


@pytest.mark.parametrize("role", OTHERS)
def test_only_the_province_admin_opens_the_scans(users, role):
    run = queued_run()
    client = client_of(users, role)
    assert client.get("/toezicht/scans/").status_code == 403
    assert client.post("/toezicht/scans/", {"on": "2026-01-01"}).status_code == 403
    assert client.get(f"/toezicht/scans/{run.pk}/").status_code == 403
    assert ScanRun.objects.count() == 1


def test_visitors_are_sent_to_the_login_page(users):
    run = queued_run()
    for url in ("/toezicht/scans/", f"/toezicht/scans/{run.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_the_form_proposes_today_and_refuses_a_day_in_the_future(admin):
    today = timezone.localdate()
    page = admin.get("/toezicht/scans/").content.decode()
    assert f'value="{today:%Y-%m-%d}"' in page
    assert "Er is nog geen scan gedraaid." in page
    tomorrow = today + datetime.timedelta(days=1)
    refused = admin.post("/toezicht/scans/", {"on": f"{tomorrow:%Y-%m-%d}"})
    assert refused.status_code == 200
    assert "Deze datum ligt in de toekomst." in refused.content.decode()
    assert not ScanRun.objects.exists()


def test_one_scan_at_a_time(admin):
    busy = queued_run()
    refused = admin.post("/toezicht/scans/", {"on": "2026-01-01"}).content.decode()
    assert f"Scan {busy.pk} loopt nog" in refused
    assert ScanRun.objects.count() == 1
    # A scan queued long ago whose worker died no longer blocks.
    ScanRun.objects.filter(pk=busy.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=13)
    )
    started = admin.post("/toezicht/scans/", {"on": "2026-01-01"})
    assert started.status_code == 302
    assert ScanRun.objects.count() == 2


def test_a_failed_scan_says_nothing_was_kept(admin):
    run = queued_run()
    ScanRun.objects.filter(pk=run.pk).update(status=ScanRun.Status.FAILED, error="boom")
    page = admin.get(f"/toezicht/scans/{run.pk}/").content.decode()
    assert "De scan is mislukt; er is niets van opgeslagen." in page
    assert "boom" not in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker's connection
def test_a_started_scan_runs_in_the_background_and_its_outcome_appears(users, locations):
    admin = client_of(users, "province_admin")
    on = timezone.localdate()
    response = admin.post("/toezicht/scans/", {"on": f"{on:%Y-%m-%d}"})
    run = ScanRun.objects.get()
    assert response["Location"] == f"/toezicht/scans/{run.pk}/"
    assert (run.status, run.on, run.user) == (ScanRun.Status.QUEUED, on, users["province_admin"])
    waiting = admin.get(response["Location"], HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in waiting.content.decode()
    assert "HX-Refresh" not in waiting
    listed = admin.get("/toezicht/scans/").content.decode()
    assert "Voortgang bekijken" in listed  # the running scan is pointed at

    call_command("db_worker", "--batch", "--no-startup-delay")

    run.refresh_from_db()
    assert run.status == ScanRun.Status.DONE
    # Both locations in use lack a certificate: one signal each, in its own municipality.
    signals = Signal.objects.order_by("municipality__code")
    assert [(s.kind, s.municipality.code) for s in signals] == [
        ("certificate", MAASTRICHT),
        ("certificate", VENLO),
    ]
    assert run.counts["locations"] == 2
    assert run.counts["signals_new"] == 2 and run.counts["signals_per_kind"] == {"certificate": 2}
    finished = admin.get(response["Location"], HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true"
    page = admin.get(response["Location"]).content.decode()
    outcome = page.split('id="scan-outcome"')[1].split("</dl>")[0]
    assert "<dt>Nieuwe signalen</dt><dd>2</dd>" in outcome
    assert "<dt>Gecontroleerde locaties</dt><dd>2</dd>" in outcome
    assert f"<dd>{run.counts['findings']}</dd>" in outcome
    per_kind = page.split('id="signals-per-kind"')[1].split("</table>")[0]
    assert "f. keurmerk verlopen of ontbreekt" in per_kind and ">2<" in per_kind
    assert "Logies Venlo" not in page  # the admin sees counts, not the signals
    row = admin.get("/toezicht/scans/").content.decode().split('id="scans-table"')[1]
    assert f"/toezicht/scans/{run.pk}/" in row and "klaar" in row and "100%" in row
    assert AuditEntry.objects.filter(action="change", subject="scan").count() == 1

    # The signals land in the municipality's queue.
    queue = client_of(users, "venlo_officer").get("/toezicht/signalen/").content.decode()
    assert "Logies Venlo heeft geen keurmerk" in queue
    assert "Logies Maastricht" not in queue


def test_the_command_line_and_the_page_share_the_run(users, locations):
    """A scan run elsewhere (the command line) shows on the page the same way."""
    from waardig.compliance import scans

    run = scans.run(scans.start(timezone.localdate(), SYSTEM))
    page = client_of(users, "province_admin").get(f"/toezicht/scans/{run.pk}/").content.decode()
    assert "system (command line)" in page
    assert f"<dt>Signalen gevonden</dt><dd>{run.counts['signals_found']}</dd>" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_admin_starts_a_scan_and_the_page_follows_it_in_the_browser(
    page, live_server, users, locations
):
    from browser import assert_accessible, assert_no_console_errors, login
    from fixtures import PASSWORD
    from playwright.sync_api import expect

    login(page, live_server.url, "provincie", PASSWORD)
    page.goto(f"{live_server.url}/toezicht/scans/")
    assert_accessible(page)
    page.get_by_role("button", name="Scan starten").click()
    expect(page.locator("#scan-status")).to_contain_text("In de wachtrij")
    assert_accessible(page)

    call_command("db_worker", "--batch", "--no-startup-delay")  # the page keeps asking (htmx)

    expect(page.locator("#scan-outcome")).to_contain_text("Nieuwe signalen", timeout=10_000)
    expect(page.locator("#signals-per-kind")).to_contain_text("keurmerk verlopen of ontbreekt")
    assert_accessible(page)
    assert_no_console_errors(page)
