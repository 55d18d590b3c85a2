"""The inspections report (`waardig report inspections --municipality GM0983 --year 2026`):
one document as PDF, Word, spreadsheet and Markdown, read back from the files; only the
municipalities the actor may see."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from fixtures import MAASTRICHT, VENLO, VENRAY
from report_extract import (
    assert_same_content,
    normalise,
    text_of_docx,
    text_of_md,
    text_of_pdf,
    xlsx_values,
)

from waardig.cli import main
from waardig.compliance import reports, services
from waardig.compliance.models import SignalKind
from waardig.core.access import SYSTEM
from waardig.organisations.models import Organisation

from .test_risk import TODAY, fixed_today, overcrowded, signal  # noqa: F401

pytestmark = pytest.mark.django_db

D = datetime.timedelta
FORMATS = ("pdf", "docx", "xlsx", "md")


@pytest.fixture
def world(make_location, today):
    """Venlo: two inspections in 2026 (one with two findings), one in 2025, three enforcement
    steps (one from 2025 still open and late), signals of two kinds. Venray: a quiet location.
    Maastricht: an inspection the Venlo roles must never read about."""
    venlo = overcrowded(make_location, VENLO, name="Woning Venlo")
    hotel = make_location(VENLO, name="Hotel Venlo", house_number=9)
    venray = make_location(VENRAY, name="Logies Venray", postcode="5801 AB")
    maastricht = overcrowded(
        make_location, MAASTRICHT, name="Woning Maastricht", postcode="6211 AA"
    )
    check = services.latest_check(venlo)
    norms = {f.kind: f.norm for f in check.findings.all()}
    police = Organisation.objects.create(name="Politie Limburg", kind="other")
    first = services.record_inspection(
        SYSTEM, venlo, on=datetime.date(2026, 3, 2), outcome="serious",
        organisations=[police], other_partners="Brandweer",
        results=[
            services.NormResult(norms["persons_per_bedroom"], False, Decimal(3)),
            services.NormResult(norms["living_area_per_person"], False, Decimal("8.33")),
            services.NormResult(norms["valid_certificate"], True),
        ],
        next_inspection=datetime.date(2026, 9, 1),
    )  # fmt: skip
    services.record_inspection(
        SYSTEM, hotel, on=datetime.date(2026, 4, 7), outcome="compliant",
        results=[services.NormResult(norms["persons_per_bedroom"], True)],
    )  # fmt: skip
    services.record_inspection(SYSTEM, hotel, on=datetime.date(2025, 11, 3), outcome="no_access")
    services.record_inspection(SYSTEM, maastricht, on=datetime.date(2026, 2, 2), outcome="defects")
    services.save_enforcement_step(
        SYSTEM, location=venlo, inspection=first, kind="penalty",
        decided_on=datetime.date(2026, 3, 9), deadline=datetime.date(2026, 4, 9),
        completed_on=datetime.date(2026, 4, 2),
    )  # fmt: skip
    services.save_enforcement_step(
        SYSTEM, location=hotel, kind="warning", decided_on=datetime.date(2025, 12, 1),
        deadline=datetime.date(2026, 1, 15),
    )  # fmt: skip
    services.save_enforcement_step(
        SYSTEM, location=hotel, kind="warning", decided_on=datetime.date(2025, 6, 1),
        completed_on=datetime.date(2025, 7, 1),
    )  # fmt: skip
    signal(venlo, score=80)
    signal(hotel, score=60)
    signal(venlo, SignalKind.REPORT, score=100)
    signal(maastricht, score=100)
    return {"venlo": venlo, "hotel": hotel, "venray": venray, "maastricht": maastricht}


def report(tmp_path, fmt: str, *options: str) -> bytes:
    path = tmp_path / f"inspecties.{fmt}"
    args = ["report", "inspections", "--format", fmt, "--out", str(path), *options]
    assert main(args) == 0
    return path.read_bytes()


def test_every_format_holds_the_whole_report(world, tmp_path):
    options = ("--municipality", VENLO, "--year", "2026")
    files = {fmt: report(tmp_path, fmt, *options) for fmt in FORMATS}
    document = reports.inspections_report(SYSTEM, {"municipality": VENLO, "year": "2026"})
    assert document.title == "Toezicht: inspecties en handhaving 2026"
    assert_same_content(document, files)  # every heading, paragraph and table cell
    for text in (normalise(text_of_pdf(files["pdf"])), normalise(text_of_docx(files["docx"]))):
        assert "Venlo (GM0983)" in text and "Maastricht" not in text
        # The inspections of 2026 (not the one of 2025), oldest first, with their findings.
        assert (
            "02-03-2026 Woning Venlo ernstige gebreken Politie Limburg; Brandweer 2 01-09-2026"
            in (text)
        )
        assert "07-04-2026 Hotel Venlo in orde 0" in text
        assert "03-11-2025" not in text
        # Findings per norm: norm, set, findings, locations.
        assert "personen per slaapkamer Provinciale ondergrens Limburg 2025-2027 1 1" in text
        assert "8,33" in text and "gemeten 3" in text
        # Enforcement: this year's steps and the late one of 2025; not the one closed in 2025.
        assert "Woning Venlo last onder dwangsom 09-03-2026 09-04-2026 02-04-2026 afgerond" in text
        assert "Hotel Venlo waarschuwing 01-12-2025 15-01-2026 termijn verstreken" in text
        assert "01-06-2025" not in text
        assert "a. overbewoning (BAG-oppervlak per ingeschrevene) 2" in text
        assert "melding 1" in text
        assert (
            "Venlo, 2026: inspecties 2 (in orde 1; ernstige gebreken 1), bevindingen 2. Open "
            "handhavingsstappen 1, waarvan met een verstreken termijn 1. Open signalen en "
            "meldingen 3."
        ) in text
    values = xlsx_values(files["xlsx"])
    assert datetime.datetime(2026, 3, 2) in values and Decimal("8.33") in {
        Decimal(str(v)) for v in values if isinstance(v, float | int)
    }
    assert "Fictief" not in text_of_md(files["md"])


def test_the_planning_top_is_in_the_report(world):
    document = reports.inspections_report(SYSTEM, {"municipality": VENLO, "year": "2026"})
    [venlo] = [s for s in document.sections if s.title == "Venlo (GM0983)"]
    planning = venlo.subsections[-1]
    assert planning.title == "Planning: de 10 hoogste risicoscores"
    rows = planning.blocks[0].rows
    assert [row[1] for row in rows] == ["Woning Venlo", "Hotel Venlo"]
    # Woning Venlo: 0,8 signal x 10 = 8; findings of the March inspection (high + high) 30;
    # one report 20; 91 of 730 days since 2 March: 2,5; no certificate: 0. Total 60,5.
    assert rows[0][2:8] == (
        Decimal("60.5"), Decimal("8.0"), Decimal("30.0"), Decimal("20.0"), Decimal("2.5"),
        Decimal("0.0"),
    )  # fmt: skip


def test_only_the_municipalities_the_actor_may_see(world, users, tmp_path):
    as_inspector = ("--as", "inspecteur", "--year", "2026")
    md = text_of_md(report(tmp_path, "md", *as_inspector))
    assert "Venlo (GM0983)" in md and "Venray (GM0984)" in md and "Maastricht" not in md
    assert "Overzicht" in md  # two municipalities: a table of both first
    with pytest.raises(SystemExit):
        report(tmp_path, "md", *as_inspector, "--municipality", MAASTRICHT)
    with pytest.raises(PermissionDenied):
        report(tmp_path, "md", "--as", "analist")
    everything = text_of_md(report(tmp_path, "md", "--year", "2026"))
    assert "Maastricht (GM0935)" in everything and "Beesel (GM0889)" in everything


def test_fictitious_inspections_are_noted(world, tmp_path):
    services.record_inspection(
        SYSTEM, world["venray"], on=datetime.date(2026, 5, 5), outcome="compliant",
        fictitious=True,
    )  # fmt: skip
    pdf = normalise(text_of_pdf(report(tmp_path, "pdf", "--municipality", VENRAY)))
    assert "Fictieve gegevens" in pdf
    assert "05-05-2026 Logies Venray in orde 0 fictief" in pdf


def test_options_are_checked(world, tmp_path):
    with pytest.raises(SystemExit):
        report(tmp_path, "md", "--year", "volgend jaar")
    with pytest.raises(SystemExit):
        report(tmp_path, "md", "--municipality", "GM9999")


def test_the_report_opens_on_the_site_for_the_municipality_only(world, users):
    query = f"?municipality={VENLO}&year=2026"
    inspector = Client()
    inspector.force_login(users["inspector"])
    page = inspector.get(reverse("report", args=["inspections"]) + query)
    assert page.status_code == 200
    assert "Woning Venlo" in page.content.decode() and "Maastricht" not in page.content.decode()
    pdf = inspector.get(reverse("report-download", args=["inspections", "pdf"]) + query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = inspector.get(reverse("report", args=["inspections"]) + f"?municipality={MAASTRICHT}")
    assert other.status_code == 404
    for role in ("province_admin", "analyst", "coordinator", "member"):
        client = Client()
        client.force_login(users[role])
        assert client.get(reverse("report", args=["inspections"]) + query).status_code == 403
