"""Every URL pattern and API route, requested as every role: nothing reachable that should not be.

A new URL without an entry in EXPECTED fails this test, so every page and endpoint declares who
may reach it. Object-level checks use another municipality's object (Maastricht) as the Venlo
officer and the Venlo inspector.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from waardig.core.access import SYSTEM
from waardig.core.imports import jobs
from waardig.meetings import services as meeting_services
from waardig.meetings.models import BodyMember
from waardig.organisations.models import Organisation, Person
from waardig.programme import services

pytestmark = pytest.mark.django_db

ROLES = [
    "public",
    "province_admin",
    "analyst",
    "coordinator",
    "venlo_officer",
    "maastricht_officer",
    "inspector",
    "member",
]
NETWORK = {r: 200 for r in ROLES if r != "public"}
EVERYONE = dict.fromkeys(ROLES, 200)
LOGIN = {"public": 302}
API_NETWORK = {**NETWORK, "public": 403}


def only(*roles: str, others: int = 403) -> dict[str, int]:
    return {r: (200 if r in roles else others) for r in ROLES} | LOGIN


CONTACT_EDITORS = only("province_admin", "venlo_officer", "maastricht_officer")
MAASTRICHT_EDITORS = {
    **only("province_admin", "maastricht_officer"),
    "venlo_officer": 404,  # may edit contacts, but not this one: it does not exist for them
}
PROGRAMME_READERS = {**NETWORK, **LOGIN}
PROGRAMME_EDITORS = only("province_admin", "coordinator")
SECRETARIAT = only("province_admin", "coordinator")
# The province sees every body; others only a body with their seat (the member has one).
SEAT_HOLDERS = {**only("province_admin", "analyst", "coordinator", "member", others=404), **LOGIN}
PAPER_READERS = {**only("province_admin", "coordinator", "member", others=404), **LOGIN}
API_SEAT_HOLDERS = {**SEAT_HOLDERS, "public": 403}
POST_ONLY_FOR_SECRETARIAT = {**only("province_admin", "coordinator"), "province_admin": 405,
                             "coordinator": 405}  # fmt: skip
LOCATION_EDITORS = only("province_admin", "venlo_officer", "maastricht_officer")
PLANNING_EDITORS = only("province_admin", "analyst", "venlo_officer", "maastricht_officer")
MAASTRICHT_LOCATION_READERS = {
    **only("province_admin", "analyst", "coordinator", "maastricht_officer", others=404),
    "member": 403,  # no sight of the register at all
}
MAASTRICHT_LOCATION_EDITORS = {**only("province_admin", "maastricht_officer"), "venlo_officer": 404}
API_MAASTRICHT_LOCATION = {**MAASTRICHT_LOCATION_READERS, "public": 403}
# Signals, inspections and enforcement: only the municipality's officers and inspectors.
LOCAL = only("venlo_officer", "maastricht_officer", "inspector")
MAASTRICHT_LOCAL = {**only("maastricht_officer"), "venlo_officer": 404, "inspector": 404}
API_LOCAL = {**LOCAL, "public": 403}
API_MAASTRICHT_LOCAL = {**MAASTRICHT_LOCAL, "public": 403}
# Query strings of routes that need one to answer at all.
QUERIES = {
    "api:observation-table": "?indicator=working-labour-migrants&level=province&period=2022",
}
# GET expectations per URL name (status code per role).
EXPECTED: dict[str, dict[str, int]] = {
    "home": EVERYONE,
    "login": EVERYONE,
    "logout": {r: 405 for r in ROLES},  # POST only
    "profile": {**NETWORK, **LOGIN},
    "health": EVERYONE,
    "set_language": {r: 302 for r in ROLES},
    # Some import kind each (the inspector: registration extracts of their municipalities).
    "import-index": {**CONTACT_EDITORS, "coordinator": 200, "analyst": 200, "inspector": 200},
    "import-upload": CONTACT_EDITORS,  # kind=contacts
    "import-template": CONTACT_EDITORS,
    "import-job": {**only("province_admin", "venlo_officer", others=404), **LOGIN},
    "import-commit": {**{r: 405 for r in ROLES}, **LOGIN},  # POST only
    "export": {**NETWORK, **LOGIN},  # kind=contacts
    "monitor-dashboard": {**NETWORK, **LOGIN},
    "forecast-create": only("province_admin", "analyst"),
    "public-figures": EVERYONE,
    "public-figures-download": EVERYONE,
    "api:indicator-list": API_NETWORK,
    "api:indicator-detail": API_NETWORK,
    "api:observation-list": API_NETWORK,
    "api:observation-detail": API_NETWORK,
    "api:forecast-list": API_NETWORK,
    "api:forecast-detail": API_NETWORK,
    "api:observation-table": API_NETWORK,  # with the query in QUERIES
    "monitor-municipality": {**NETWORK, **LOGIN},
    "report": {**NETWORK, **LOGIN},
    "report-download": {**NETWORK, **LOGIN},
    "municipality-list": EVERYONE,
    "municipality-detail": EVERYONE,
    "organisation-list": {**NETWORK, **LOGIN},
    "organisation-detail": {**NETWORK, **LOGIN},
    "contact-list": {**NETWORK, **LOGIN},
    "contact-create": CONTACT_EDITORS,
    "contact-update": MAASTRICHT_EDITORS,
    "contact-delete": MAASTRICHT_EDITORS,
    "programme-list": PROGRAMME_READERS,
    "programme-detail": PROGRAMME_READERS,
    "programme-budget": PROGRAMME_READERS,
    "programme-reports": PROGRAMME_READERS,
    "published-report": PROGRAMME_READERS,
    "action-detail": PROGRAMME_READERS,
    "action-facts": PROGRAMME_READERS,
    "programme-create": PROGRAMME_EDITORS,
    "programme-update": PROGRAMME_EDITORS,
    "theme-create": PROGRAMME_EDITORS,
    "theme-update": PROGRAMME_EDITORS,
    "action-create": PROGRAMME_EDITORS,
    "action-update": PROGRAMME_EDITORS,
    "milestone-create": PROGRAMME_EDITORS,
    "milestone-update": PROGRAMME_EDITORS,
    "budget-line-create": PROGRAMME_EDITORS,
    "budget-line-update": PROGRAMME_EDITORS,
    "status-update-create": {  # POST only
        **only("province_admin", "coordinator"),
        "province_admin": 405,
        "coordinator": 405,
    },
    "body-list": {**NETWORK, **LOGIN},
    "action-item-list": {**NETWORK, **LOGIN},
    "body-detail": SEAT_HOLDERS,
    "meeting-detail": SEAT_HOLDERS,
    "action-item-detail": SEAT_HOLDERS,
    "document-download": PAPER_READERS,
    "body-calendar": {r: 404 for r in ROLES},  # without a valid token: calendar apps log in so
    "action-item-follow-up": POST_ONLY_FOR_SECRETARIAT,
    **dict.fromkeys(
        [
            "body-create",
            "body-update",
            "body-member-create",
            "body-member-update",
            "body-member-delete",
            "meeting-create",
            "meeting-update",
            "meeting-attendance",
            "agenda-item-create",
            "outcome-create",
            "outcome-delete",
            "meeting-action-item-create",
            "minutes-edit",
            "minutes-finalise",
            "document-create",
            "document-delete",
            "action-item-update",
            "action-item-close",
            "minutes-import-start",
            "minutes-import",
        ],
        SECRETARIAT,
    ),
    "api:schema": EVERYONE,
    "api:docs": EVERYONE,
    "api:province-list": EVERYONE,
    "api:province-detail": EVERYONE,
    "api:grouping-list": EVERYONE,
    "api:grouping-detail": EVERYONE,
    "api:municipality-list": EVERYONE,
    "api:municipality-detail": EVERYONE,
    "api:organisation-list": API_NETWORK,
    "api:organisation-detail": API_NETWORK,
    "api:person-list": API_NETWORK,
    "api:person-detail": API_NETWORK,
    "api:contactperson-list": API_NETWORK,
    "api:contactperson-detail": API_NETWORK,
    "api:programme-list": API_NETWORK,
    "api:programme-detail": API_NETWORK,
    "api:theme-list": API_NETWORK,
    "api:theme-detail": API_NETWORK,
    "api:action-list": API_NETWORK,
    "api:action-detail": API_NETWORK,
    "api:statusupdate-list": API_NETWORK,
    "api:statusupdate-detail": API_NETWORK,
    "api:milestone-list": API_NETWORK,
    "api:milestone-detail": API_NETWORK,
    "api:budgetline-list": API_NETWORK,
    "api:budgetline-detail": API_NETWORK,
    "api:outcome-list": API_NETWORK,
    "api:outcome-detail": API_NETWORK,
    "api:publishedreport-list": API_NETWORK,
    "api:publishedreport-detail": API_NETWORK,
    **dict.fromkeys(
        [
            f"api:{n}-list"
            for n in ("body", "meeting", "agendaitem", "meetingoutcome", "actionitem")
        ],
        API_NETWORK,
    ),
    **dict.fromkeys(
        [
            f"api:{n}-detail"
            for n in ("body", "meeting", "agendaitem", "meetingoutcome", "actionitem")
        ],
        API_SEAT_HOLDERS,
    ),
    # POST only (who may POST: tests/meetings/test_api.py); GET is refused before the object.
    "api:actionitem-close": {**{r: 405 for r in ROLES}, "public": 403},
    "api:actionitem-follow-ups": {**{r: 405 for r in ROLES}, "public": 403},
    # Housing: the Maastricht location and its objects (tests/housing/ has the details).
    "housing-gap": {**NETWORK, **LOGIN},
    # POST only, for who keeps monitor figures (tests/housing/test_capacity.py).
    "housing-capacity-publish": {
        **only("province_admin", "analyst"),
        "province_admin": 405,
        "analyst": 405,
    },
    "housing-location-list": {**NETWORK, **LOGIN, "member": 403},
    "housing-location-create": LOCATION_EDITORS,
    "housing-location-detail": {**MAASTRICHT_LOCATION_READERS, **LOGIN},
    "housing-location-update": MAASTRICHT_LOCATION_EDITORS,
    "housing-location-status": MAASTRICHT_LOCATION_EDITORS,
    "housing-headcount-create": MAASTRICHT_LOCATION_EDITORS,
    # Person-level data: only the municipality's own officers (no province role at all).
    "housing-guest-stays": {**only("maastricht_officer", others=404), "member": 403, **LOGIN},
    "housing-project-list": {**NETWORK, **LOGIN},
    "housing-project-create": PLANNING_EDITORS,
    "housing-project-update": {
        **only("province_admin", "analyst", "maastricht_officer"),
        "venlo_officer": 404,
    },
    "housing-project-detail": {**NETWORK, **LOGIN},
    "housing-woondeal": {**NETWORK, **LOGIN},
    "housing-woondeal-edit": PLANNING_EDITORS,
    "housing-need-list": {**NETWORK, **LOGIN},
    "housing-need-derive": only("province_admin", "analyst"),
    "housing-parameters": {**NETWORK, **LOGIN},
    "housing-policy": {**NETWORK, **LOGIN},
    "housing-policy-history": {**NETWORK, **LOGIN},
    "housing-policy-edit": {
        **only("province_admin", "analyst", "maastricht_officer"),
        "venlo_officer": 404,
    },
    "api:location-list": {**API_NETWORK, "member": 403},
    "api:location-detail": API_MAASTRICHT_LOCATION,
    "api:location-status": {**{r: 405 for r in ROLES}, "public": 403, "member": 403},
    "api:location-status-history": API_MAASTRICHT_LOCATION,
    "api:headcount-list": {**API_NETWORK, "member": 403},
    "api:headcount-detail": API_MAASTRICHT_LOCATION,
    "api:gueststay-list": {
        **{r: 403 for r in ROLES},
        "venlo_officer": 200,
        "maastricht_officer": 200,
        "inspector": 200,
    },
    "api:gueststay-detail": {
        **{r: 403 for r in ROLES},
        "venlo_officer": 404,
        "maastricht_officer": 200,
        "inspector": 404,
    },
    **dict.fromkeys(
        [
            f"api:{n}"
            for n in (
                "project-list",
                "project-detail",
                "project-status-history",
                "woondealagreement-list",
                "woondealagreement-detail",
                "housingneed-list",
                "housingneed-detail",
                "policyentry-list",
                "policyentry-detail",
                "policychange-list",
                "policychange-detail",
                "parameters-list",
                "parameters-detail",
                "parameters-current",
            )
        ],
        API_NETWORK,
    ),
    # Supervision (tests/compliance/ has the details): Maastricht objects.
    "compliance-home": {**NETWORK, **LOGIN},  # counts only for the province
    "compliance-signal-list": LOCAL,
    "compliance-signal-detail": MAASTRICHT_LOCAL,
    "compliance-scans": only("province_admin"),
    "compliance-scan-detail": only("province_admin"),
    "compliance-norm-sets": {**NETWORK, **LOGIN},
    "compliance-norm-set": {**NETWORK, **LOGIN},
    "compliance-signal-parameters": {**NETWORK, **LOGIN},
    "compliance-norm-edit": only("province_admin"),
    "compliance-location-check": {**MAASTRICHT_LOCATION_READERS, **LOGIN},
    "compliance-planning": LOCAL,
    "compliance-enforcement-list": LOCAL,
    "compliance-calendar": LOCAL,
    "compliance-calendar-download": LOCAL,
    **dict.fromkeys(
        [
            "compliance-location-inspections",
            "compliance-inspection-create",
            "compliance-inspection-detail",
            "compliance-enforcement-create",
            "compliance-enforcement-update",
        ],
        MAASTRICHT_LOCAL,
    ),
    **dict.fromkeys(
        [
            f"api:compliance-{n}"
            for n in (
                "norm-set-list",
                "norm-set-detail",
                "norm-list",
                "norm-detail",
                "norm-change-list",
                "norm-change-detail",
                "signal-parameters-list",
                "signal-parameters-current",
                "signal-parameters-detail",
                "signal-counts-list",
            )
        ],
        API_NETWORK,
    ),
    "api:compliance-check-list": {**API_NETWORK, "member": 403},
    "api:compliance-check-detail": API_MAASTRICHT_LOCATION,
    **dict.fromkeys(
        [
            "api:compliance-signal-list",
            "api:compliance-inspection-list",
            "api:compliance-enforcement-step-list",
        ],
        API_LOCAL,
    ),
    **dict.fromkeys(
        [
            "api:compliance-signal-detail",
            "api:compliance-signal-status-history",
            "api:compliance-inspection-detail",
            "api:compliance-enforcement-step-detail",
        ],
        API_MAASTRICHT_LOCAL,
    ),
    "api:compliance-signal-status": {  # POST only
        **{r: 403 for r in ROLES},
        **dict.fromkeys(["venlo_officer", "maastricht_officer", "inspector"], 405),
    },
    "api:compliance-scan-list": {**only("province_admin"), "public": 403},
    "api:compliance-scan-detail": {**only("province_admin"), "public": 403},
}


def url_patterns(patterns=None, namespace: str = ""):
    """(qualified name, pattern) for every leaf pattern of the URL configuration."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            yield (f"{namespace}:{name}" if namespace else name), pattern


@pytest.fixture
def programme_world():
    """One programme with one of everything, for the programme's URLs."""
    programme = services.save_programme(SYSTEM, slug="p", name="Programma")
    theme = services.save_theme(SYSTEM, programme, title="Wonen")
    action = services.save_action(SYSTEM, programme, theme=theme, title="Actie")
    milestone = services.save_milestone(SYSTEM, action, title="Mijlpaal")
    line = services.save_budget_line(
        SYSTEM, programme, description="Regel", funding_source="ESF", budgeted=10
    )
    report = services.publish_report(
        SYSTEM,
        programme,
        kind="programme-status",
        title="Stand",
        options={},
        snapshot={"actions": {}},
        files={"pdf": b"%PDF", "docx": b"PK", "xlsx": b"PK", "md": "# Stand"},
    )
    slug = {"slug": programme.slug}
    update = action.updates.create(
        date=datetime.date(2025, 1, 1), author_name="x", status="running", progress=10
    )
    outcome = services.save_outcome(SYSTEM, programme, title="Resultaat")
    action_kwargs = {**slug, "pk": action.pk}
    return {
        "programme-detail": slug,
        "programme-budget": slug,
        "programme-reports": slug,
        "published-report": {**slug, "pk": report.pk, "fmt": "md"},
        "action-detail": action_kwargs,
        "action-facts": action_kwargs,
        "programme-update": slug,
        "theme-create": slug,
        "theme-update": {**slug, "pk": theme.pk},
        "action-create": slug,
        "action-update": action_kwargs,
        "milestone-create": action_kwargs,
        "milestone-update": {**action_kwargs, "milestone": milestone.pk},
        "budget-line-create": slug,
        "budget-line-update": {**slug, "pk": line.pk},
        "status-update-create": action_kwargs,
        "api:programme-detail": slug,
        "api:theme-detail": {"pk": theme.pk},
        "api:action-detail": {"pk": action.pk},
        "api:statusupdate-detail": {"pk": update.pk},
        "api:milestone-detail": {"pk": milestone.pk},
        "api:budgetline-detail": {"pk": line.pk},
        "api:outcome-detail": {"pk": outcome.pk},
        "api:publishedreport-detail": {"pk": report.pk},
    }


@pytest.fixture
def world(
    contacts, users, programme_world, meetings_world, monitor_world, housing_world,
    compliance_world,
):  # fmt: skip
    """Objects the parametrised URLs point at; the Maastricht contact is the foreign one."""
    venlo_job = jobs.create_job(users["venlo_officer"], "contacts", "c.csv", b"x")
    person = Person.objects.first()
    organisation = Organisation.objects.first()
    return (
        programme_world
        | meetings_world
        | monitor_world
        | housing_world
        | compliance_world
        | {
            "import-upload": {"kind": "contacts"},
            "import-template": {"kind": "contacts"},
            "import-job": {"pk": venlo_job.pk},
            "import-commit": {"pk": venlo_job.pk},
            "export": {"kind": "contacts", "fmt": "csv"},
            "monitor-municipality": {"code": "GM0983"},
            "report": {"kind": "contacts"},
            "report-download": {"kind": "contacts", "fmt": "md"},
            "municipality-detail": {"code": "GM0935"},
            "organisation-detail": {"pk": organisation.pk},
            "contact-update": {"pk": contacts["maastricht"].pk},
            "contact-delete": {"pk": contacts["maastricht"].pk},
            "api:province-detail": {"code": "PV31"},
            "api:municipality-detail": {"code": "GM0935"},
            "api:organisation-detail": {"pk": organisation.pk},
            "api:person-detail": {"pk": person.pk},
            "api:contactperson-detail": {"pk": contacts["maastricht"].pk},
        }
    )


@pytest.fixture
def housing_world(areas):
    """A Maastricht location with a head count and a guest stay, a project, an agreement,
    need, a policy entry and parameters: everything the Venlo roles must not reach."""
    from decimal import Decimal

    from waardig.areas.models import Municipality
    from waardig.housing import services as housing
    from waardig.housing.pseudonyms import pseudonym

    maastricht = Municipality.objects.get(code="GM0935")
    location, _ = housing.save_location(
        SYSTEM, name="Logies (fictief)", municipality=maastricht, postcode="6211 AA",
        house_number=2, housing_form="hotel", stay_class="short", capacity=40, status="in_use",
    )  # fmt: skip
    count, _ = housing.record_head_count(SYSTEM, location, datetime.date(2025, 1, 1), 5)
    housing.record_guest_stays(
        SYSTEM, location, [(pseudonym("X1"), datetime.date(2025, 1, 1), None)]
    )
    project, _ = housing.save_project(
        SYSTEM, name="Project Maastricht", municipality=maastricht, capacity=10,
        stay_class="short", housing_form="flex", expected_year=2027,
    )  # fmt: skip
    agreement, _ = housing.save_agreement(SYSTEM, maastricht, 2030, agreed_capacity=100)
    need, _ = housing.save_need(SYSTEM, maastricht, 2026, "short", persons=10, method="research")
    entry, _ = housing.set_policy(SYSTEM, maastricht, "short_stay_policy", status="adopted")
    params = housing.set_parameters(
        SYSTEM, short_max_months=4, mid_max_months=24, weights={"idea": Decimal(0)}, reason="x"
    )
    on_location = {"pk": location.pk}
    return {
        **dict.fromkeys(
            [
                "housing-location-detail",
                "housing-location-update",
                "housing-location-status",
                "housing-headcount-create",
                "housing-guest-stays",
                "api:location-detail",
                "api:location-status",
                "api:location-status-history",
            ],
            on_location,
        ),
        "housing-project-update": {"pk": project.pk},
        "housing-project-detail": {"pk": project.pk},
        "housing-policy-edit": {"code": "GM0935", "instrument": "short_stay_policy"},
        "api:headcount-detail": {"pk": count.pk},
        "api:gueststay-detail": {"pk": location.guest_stays.get().pk},
        "api:project-detail": {"pk": project.pk},
        "api:project-status-history": {"pk": project.pk},
        "api:woondealagreement-detail": {"pk": agreement.pk},
        "api:housingneed-detail": {"pk": need.pk},
        "api:policyentry-detail": {"pk": entry.pk},
        "api:policychange-detail": {"pk": entry.changes.get().pk},
        "api:parameters-detail": {"pk": params.pk},
    }


@pytest.fixture
def compliance_world(housing_world):
    """On the Maastricht location: a scan with a check, a signal, an inspection and an
    enforcement step; a norm set, a norm and its change; signal parameters."""
    from waardig.compliance import scans
    from waardig.compliance import services as compliance
    from waardig.compliance.engine import FoundSignal
    from waardig.compliance.models import Norm, NormChange, Signal, SignalParameters
    from waardig.housing.models import Location

    location = Location.objects.get(pk=housing_world["housing-location-detail"]["pk"])
    today = datetime.date.today()  # the location is in use since today
    run = scans.run(scans.start(today, SYSTEM))
    check = location.checks.get()
    scans.save_signals(
        [FoundSignal("over_capacity", "over_capacity:x", "GM0935", 60, "x", location.pk)],
        today,
    )
    signal = Signal.objects.get(key="over_capacity:x")
    inspection = compliance.record_inspection(SYSTEM, location, on=today, outcome="compliant")
    step = compliance.save_enforcement_step(
        SYSTEM, location=location, kind="warning", decided_on=today
    )
    norm = Norm.objects.first()
    change = compliance.edit_norm(SYSTEM, norm, "toets", severity="low")
    assert isinstance(change, NormChange)
    params = SignalParameters.objects.first()
    on_location = {"pk": location.pk}
    return {
        "compliance-signal-detail": {"pk": signal.pk},
        "compliance-scan-detail": {"pk": run.pk},
        "compliance-norm-set": {"pk": norm.norm_set_id},
        "compliance-norm-edit": {"pk": norm.pk},
        **dict.fromkeys(
            [
                "compliance-location-check",
                "compliance-location-inspections",
                "compliance-inspection-create",
                "compliance-enforcement-create",
            ],
            on_location,
        ),
        "compliance-inspection-detail": {"pk": inspection.pk},
        "compliance-enforcement-update": {"step": step.pk},
        "api:compliance-norm-set-detail": {"pk": norm.norm_set_id},
        "api:compliance-norm-detail": {"pk": norm.pk},
        "api:compliance-norm-change-detail": {"pk": change.pk},
        "api:compliance-signal-parameters-detail": {"pk": params.pk},
        "api:compliance-check-detail": {"pk": check.pk},
        "api:compliance-signal-detail": {"pk": signal.pk},
        "api:compliance-signal-status": {"pk": signal.pk},
        "api:compliance-signal-status-history": {"pk": signal.pk},
        "api:compliance-inspection-detail": {"pk": inspection.pk},
        "api:compliance-enforcement-step-detail": {"pk": step.pk},
        "api:compliance-scan-detail": {"pk": run.pk},
    }


@pytest.fixture
def monitor_world(areas):
    """An indicator, an observation of Maastricht and a scenario forecast (fictief)."""
    from decimal import Decimal

    from waardig.areas.models import Municipality, Province
    from waardig.monitor import services as monitor_services
    from waardig.monitor.indicators import load_indicators
    from waardig.monitor.models import Indicator

    load_indicators()
    indicator = Indicator.objects.get(code="working-labour-migrants")
    monitor_services.save_observation(
        SYSTEM,
        indicator=indicator,
        province=Province.objects.get(code="PV31"),
        period="2022",
        value=Decimal(82895),
    )
    observation, _ = monitor_services.save_observation(
        SYSTEM,
        indicator=indicator,
        municipality=Municipality.objects.get(code="GM0935"),
        period="2022",
        value=Decimal(4000),
    )
    forecast, *_ = monitor_services.make_forecasts(
        SYSTEM,
        indicator,
        "Scenario 2030 (fictief)",
        "scenario",
        2030,
        base_years=[2022],
        low=Decimal(96000),
        high=Decimal(112000),
    )
    monitor_services.save_observation(
        SYSTEM,
        indicator=Indicator.objects.get(code="registered-brp"),
        municipality=Municipality.objects.get(code="GM0983"),
        period="2023",
        value=Decimal(120),
    )
    return {
        "public-figures-download": {"indicator": "registered-brp", "year": 2023, "fmt": "csv"},
        "api:indicator-detail": {"code": indicator.code},
        "api:observation-detail": {"pk": observation.pk},
        "api:forecast-detail": {"pk": forecast.pk},
    }


@pytest.fixture
def meetings_world(users):
    """A taskforce in which the member holds a seat, with one of everything."""
    body = meeting_services.save_body(SYSTEM, slug="taskforce", name="Taskforce", kind="taskforce")
    seat = meeting_services.save_member(SYSTEM, BodyMember(body=body), user=users["member"])
    meeting = meeting_services.plan_meeting(SYSTEM, body, date=datetime.date(2026, 5, 1))
    topic = meeting_services.add_agenda_item(SYSTEM, meeting, title="Onderwerp")
    outcome = meeting_services.add_outcome(SYSTEM, topic, kind="decision", text="Besloten")
    item = meeting_services.add_action_item(SYSTEM, body, text="Doen", meeting=meeting)
    paper = meeting_services.add_document(
        SYSTEM, meeting, SimpleUploadedFile("stuk.pdf", b"%PDF-1.4", "application/pdf")
    )
    slug = {"slug": body.slug}
    at_meeting = {**slug, "pk": meeting.pk}
    return {
        **{
            name: slug
            for name in (
                "body-detail",
                "body-update",
                "body-member-create",
                "meeting-create",
                "minutes-import",
                "body-calendar",
                "api:body-detail",
            )
        },
        **{
            name: at_meeting
            for name in (
                "meeting-detail",
                "meeting-update",
                "meeting-attendance",
                "agenda-item-create",
                "minutes-edit",
                "minutes-finalise",
                "document-create",
            )
        },
        "body-member-update": {**slug, "pk": seat.pk},
        "body-member-delete": {**slug, "pk": seat.pk},
        "outcome-create": {**at_meeting, "item": topic.pk},
        "meeting-action-item-create": {**at_meeting, "item": topic.pk},
        "outcome-delete": {**at_meeting, "outcome": outcome.pk},
        **{
            name: {"pk": item.pk}
            for name in (
                "action-item-detail",
                "action-item-update",
                "action-item-follow-up",
                "action-item-close",
                "api:actionitem-detail",
                "api:actionitem-close",
                "api:actionitem-follow-ups",
            )
        },
        "document-download": {"pk": paper.pk},
        "document-delete": {"pk": paper.pk},
        "api:meeting-detail": {"pk": meeting.pk},
        "api:agendaitem-detail": {"pk": topic.pk},
        "api:meetingoutcome-detail": {"pk": outcome.pk},
    }


def client_for(role: str, users) -> Client:
    client = Client()
    if role != "public":
        client.force_login(users[role])
    return client


def test_every_url_pattern_declares_its_access():
    names = {name for name, _ in url_patterns() if not name.startswith("admin:")}
    undeclared = names - set(EXPECTED)
    assert not undeclared, f"URL patterns without an access expectation: {sorted(undeclared)}"
    unnamed = [str(p.pattern) for name, p in url_patterns() if not name]
    assert not unnamed, f"unnamed URL patterns cannot be checked: {unnamed}"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_route_answers_as_expected_for(role, users, world):
    client = client_for(role, users)
    wrong = []
    for name, _ in url_patterns():
        if name.startswith("admin:") or name not in EXPECTED:
            continue
        kwargs = world.get(name, {})
        if name == "api:grouping-detail":
            kwargs = {"pk": _first_grouping_pk()}
        url = reverse(name, kwargs=kwargs) + QUERIES.get(name, "")
        status = client.get(url).status_code
        if status != EXPECTED[name][role]:
            wrong.append(f"{name} {url}: {status}, expected {EXPECTED[name][role]}")
    assert not wrong, "\n".join(wrong)


def _first_grouping_pk() -> int:
    from waardig.areas.models import Grouping

    return Grouping.objects.order_by("pk").first().pk


# The admin's add pages of read-only models (has_add_permission False): the audit log and
# import jobs (src/waardig/core/admin.py) and the task queue's results (django_tasks_db).
READ_ONLY_ADMIN_ADDS = {
    "admin:core_auditentry_add",
    "admin:core_importjob_add",
    "admin:django_tasks_database_dbtaskresult_add",
}


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_the_province_admin_only(role, users, contacts):
    seen = set()
    client = client_for(role, users)
    for name, pattern in url_patterns():
        has_parameters = pattern.pattern.regex.groups or pattern.pattern.converters
        if not name.startswith("admin:") or has_parameters or name == "admin:":
            continue
        if name in {"admin:login", "admin:logout", "admin:autocomplete"}:
            continue  # login/logout are for everyone; autocomplete needs query parameters
        seen.add(name)
        status = client.get(reverse(name)).status_code
        if role == "province_admin":
            expected = 403 if name in READ_ONLY_ADMIN_ADDS else 200  # read-only: no add page
            assert status == expected, (name, status)
        else:
            assert status == 302, (name, status)  # to the admin login page
    assert seen >= READ_ONLY_ADMIN_ADDS  # each read-only model is still in the admin


WRITES = ["province_admin", "maastricht_officer"]


@pytest.mark.parametrize("role", ROLES)
def test_maastricht_contact_changes_only_for_maastricht_and_province(role, users, contacts):
    client = client_for(role, users)
    contact = contacts["maastricht"]
    api = reverse("api:contactperson-detail", kwargs={"pk": contact.pk})
    patch = client.patch(api, {"function": f"by {role}"}, content_type="application/json")
    page = client.post(
        reverse("contact-update", kwargs={"pk": contact.pk}),
        {
            "municipality": contact.municipality_id,
            "topic": "housing",
            "name": "X",
            "email": "x@example.test",
        },
    )
    contact.refresh_from_db()
    if role in WRITES:
        assert patch.status_code == 200
        assert page.status_code == 302
    else:
        assert patch.status_code == 403, patch.status_code
        assert page.status_code in {302 if role == "public" else 403, 404}
        assert contact.function == "" and contact.topic == "registration"
        assert contact.person.email == "bram@maastricht.test"
    delete = client.delete(api)
    assert (delete.status_code == 204) == (role in WRITES)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_creates_contacts_for_another_municipality(role, users, areas):
    client = client_for(role, users)
    response = client.post(
        reverse("api:contactperson-list"),
        {"municipality": "GM0935", "topic": "housing", "name": "N", "email": "n@example.test"},
        content_type="application/json",
    )
    expected = 201 if role in WRITES else 403
    assert response.status_code == expected, response.content
    if expected == 403:
        assert response["Content-Type"].startswith("application/problem+json")
