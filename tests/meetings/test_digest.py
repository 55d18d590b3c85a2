"""The daily action-item digest: one e-mail per owner with overdue and soon-due items grouped
by body, unreachable owners' items to the secretary, nothing for those with nothing due."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from waardig.cli import main
from waardig.core.access import SYSTEM
from waardig.meetings import digest, services
from waardig.meetings.models import BodyMember
from waardig.organisations.models import Organisation, Person

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 3, 10)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def items(settings) -> dict:
    settings.WAARDIG_SITE_URL = "https://waardig.example.nl"
    settings.WAARDIG_DIGEST_DAYS = 7
    taskforce = services.save_body(SYSTEM, slug="taskforce", name="Taskforce", kind="taskforce")
    steering = services.save_body(
        SYSTEM, slug="stuurgroep", name="Stuurgroep", kind="steering_group"
    )
    anna = Person.objects.create(name="Anna (fictief)", email="anna@provincie.example")
    nomail = Person.objects.create(name="Zonder adres (fictief)")
    lltb = Organisation.objects.create(name="LLTB", kind="employers", email="info@lltb.example")
    later = Person.objects.create(name="Later (fictief)", email="later@example.nl")
    secretary = Person.objects.create(name="Secretaris (fictief)", email="secretaris@example.nl")
    services.save_member(SYSTEM, BodyMember(body=taskforce), person=secretary, role="secretary")
    services.save_member(  # a former secretary hears nothing any more
        SYSTEM,
        BodyMember(body=taskforce),
        person=Person.objects.create(name="Oud (fictief)", email="oud@example.nl"),
        role="secretary",
        end=days(-30),
    )

    def add(body, text, due, **owner):
        return services.add_action_item(SYSTEM, body, text=text, due=due, **owner)

    made = {
        "late": add(taskforce, "Notitie huisvesting", days(-3), owner_person=anna),
        "soon": add(steering, "Begroting toelichten", days(7), owner_person=anna),
        "org": add(
            taskforce, "Bedrijven aanleveren", days(2), owner_person=nomail, owner_organisation=lltb
        ),
        "unowned": add(taskforce, "Verzoek gedeputeerde", days(-1), owner_name="( )"),
        "far": add(taskforce, "Evaluatie", days(30), owner_person=later),
        "undated": add(taskforce, "Ooit", None, owner_person=later),
        "closed": add(taskforce, "Al gedaan", days(-5), owner_person=anna),
        "lost": add(steering, "Niemand", days(1)),  # no owner, no secretary
    }
    services.close_action_item(SYSTEM, made["closed"])
    return made


def mails_by_address(outbox) -> dict:
    assert all(len(mail.to) == 1 for mail in outbox)
    return {mail.to[0]: mail for mail in outbox}


def test_one_mail_per_owner_with_overdue_and_due_soon_grouped_by_body(items, mailoutbox, capsys):
    call_command("send_action_digests", "--date", "2024-03-10")
    mails = mails_by_address(mailoutbox)
    assert set(mails) == {"anna@provincie.example", "info@lltb.example", "secretaris@example.nl"}

    anna = mails["anna@provincie.example"]
    assert anna.subject == "Waardig: actiepunten per 10-03-2024"
    body = anna.body
    assert body.startswith("Beste Anna (fictief),")
    assert "zondag 10 maart 2024" in body
    late_part, soon_part = body.split("UITERLIJK BINNEN 7 DAGEN")
    assert (
        "TE LAAT\n\nTaskforce\n- Notitie huisvesting (uiterlijk 07-03-2024, te laat)" in late_part
    )
    url = f"https://waardig.example.nl/overleg/actiepunten/{items['late'].pk}/"
    assert url in late_part
    assert "Stuurgroep\n- Begroting toelichten (uiterlijk 17-03-2024)" in soon_part
    assert "Al gedaan" not in body  # closed
    assert "ZONDER BEREIKBARE EIGENAAR" not in body

    assert "Bedrijven aanleveren" in mails["info@lltb.example"].body  # the organisation's address

    secretary = mails["secretaris@example.nl"].body
    assert "ZONDER BEREIKBARE EIGENAAR" in secretary and "TE LAAT" not in secretary
    assert "Verzoek gedeputeerde (uiterlijk 09-03-2024, te laat, eigenaar: ( ))" in secretary
    assert "Niemand" not in secretary  # a steering-group item: not their body

    output = capsys.readouterr().out
    assert "3 e-mail(s) sent for 5 action item(s) due; 1 without a reachable owner" in output


def test_nothing_due_no_mail(items, mailoutbox):
    outcome = digest.send_digests(days(-60))
    assert outcome == digest.Outcome(mails=0, items=0, unreachable=0)
    assert mailoutbox == []


def test_the_window_widens_with_the_days_setting(items, mailoutbox, settings):
    settings.WAARDIG_DIGEST_DAYS = 30
    digest.send_digests(TODAY)
    later = mails_by_address(mailoutbox)["later@example.nl"].body
    assert "UITERLIJK BINNEN 30 DAGEN" in later and "Evaluatie" in later and "Ooit" not in later


def test_an_owner_who_is_also_secretary_gets_one_mail(items, mailoutbox):
    anna = items["late"].owner_person
    services.save_member(SYSTEM, BodyMember(body=items["late"].body), person=anna, role="secretary")
    digest.send_digests(TODAY)
    mails = [m for m in mailoutbox if m.to == ["anna@provincie.example"]]
    assert len(mails) == 1
    assert "TE LAAT" in mails[0].body and "Verzoek gedeputeerde" in mails[0].body


def test_the_command_line_sends_what_the_function_sends(items, mailoutbox):
    outcome = digest.send_digests(TODAY)
    assert (outcome.mails, outcome.items, outcome.unreachable) == (3, 5, 1)
    assert main(["manage", "send_action_digests", "--date", TODAY.isoformat()]) == 0
    assert len(mailoutbox) == 2 * outcome.mails


def test_a_bad_date_is_refused(items, mailoutbox):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_action_digests", "--date", "10-03-2024")
    assert mailoutbox == []
