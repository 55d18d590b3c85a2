"""Meeting data is for the province and the bodies' members; papers only for members and
the secretaries (core.access member scope: a current seat of the user or their organisation)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from waardig.core.access import CHANGE, VIEW, allows, may, require, scope
from waardig.meetings import services
from waardig.meetings.models import ActionItem, Body, BodyMember, Document, Meeting
from waardig.organisations.models import Organisation

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def bodies(users):
    admin = users["province_admin"]
    lwv = Organisation.objects.create(name="LWV", kind="employers")
    taskforce = services.save_body(admin, slug="taskforce", name="Taskforce", kind="taskforce")
    steering = services.save_body(
        admin, slug="stuurgroep", name="Stuurgroep", kind="steering_group"
    )
    services.save_member(admin, BodyMember(body=taskforce), organisation=lwv)
    papers = {}
    for body in (taskforce, steering):
        meeting = services.plan_meeting(admin, body, date=datetime.date(2026, 5, 1))
        services.add_action_item(admin, body, text=f"Actie {body.slug}", meeting=meeting)
        upload = SimpleUploadedFile(f"{body.slug}.pdf", b"%PDF-1.4 stukken", "application/pdf")
        papers[body.slug] = services.add_document(admin, meeting, upload, title=body.name)
    return {"taskforce": taskforce, "steering": steering, "lwv": lwv, "papers": papers}


def visible(user, model) -> set[str]:
    return {str(obj) for obj in scope(user, model.objects.all())}


def test_a_taskforce_member_sees_the_taskforce_papers_not_those_of_another_body(users, bodies):
    member = users["member"]
    member.organisation = bodies["lwv"]
    member.save()
    assert visible(member, Document) == {"Taskforce"}
    assert visible(member, Body) == {"Taskforce"}
    assert visible(member, ActionItem) == {"Actie taskforce"}
    assert allows(member, VIEW, bodies["papers"]["taskforce"])
    assert not allows(member, VIEW, bodies["papers"]["stuurgroep"])
    assert not allows(member, CHANGE, bodies["papers"]["taskforce"])  # a seat gives sight only


def test_a_personal_seat_counts_and_ends_with_its_period(users, bodies):
    officer = users["venlo_officer"]
    assert visible(officer, Meeting) == set()
    seat = services.save_member(
        users["province_admin"], BodyMember(body=bodies["steering"]), user=officer
    )
    assert visible(officer, Document) == {"Stuurgroep"}
    seat.end = TODAY - datetime.timedelta(days=1)
    seat.save()
    assert visible(officer, Document) == set()
    seat.end, seat.start = None, TODAY + datetime.timedelta(days=1)
    seat.save()
    assert visible(officer, Document) == set()  # not yet a member


def test_an_old_seat_of_the_organisation_does_not_open_a_current_one_of_another_kind(users, bodies):
    """The dates must belong to the matching seat, not to any seat of the body."""
    member = users["member"]
    member.organisation = bodies["lwv"]
    member.save()
    BodyMember.objects.filter(organisation=bodies["lwv"]).update(
        end=TODAY - datetime.timedelta(days=10)
    )
    other = Organisation.objects.create(name="LLTB", kind="employers")
    services.save_member(
        users["province_admin"], BodyMember(body=bodies["taskforce"]), organisation=other
    )
    assert visible(member, Body) == set()


def test_the_province_sees_all_bodies_but_only_the_secretariat_reads_papers(users, bodies):
    assert visible(users["analyst"], Body) == {"Taskforce", "Stuurgroep"}
    assert visible(users["analyst"], Document) == set()
    assert visible(users["coordinator"], Document) == {"Taskforce", "Stuurgroep"}
    assert may(users["member"], VIEW, Document) and not may(users["member"], CHANGE, Document)


def test_services_refuse_members_and_analysts(users, bodies):
    member = users["member"]
    member.organisation = bodies["lwv"]
    member.save()
    item = bodies["taskforce"].action_items.get()
    for actor in (member, users["analyst"]):
        with pytest.raises(PermissionDenied):
            services.close_action_item(actor, item)
        with pytest.raises(PermissionDenied):
            require(actor, CHANGE, bodies["papers"]["taskforce"])
