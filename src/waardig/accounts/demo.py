"""One demo user per role, so a newcomer can see Waardig through every pair of eyes."""

from waardig.accounts.models import User
from waardig.areas.models import Municipality
from waardig.core.access import Role
from waardig.organisations.models import Organisation

DEMO_USERS = [
    # username, role, first name, municipality codes, organisation
    ("provincie", Role.PROVINCE_ADMIN, "Beheer Provincie", [], "Provincie Limburg"),
    ("analist", Role.ANALYST, "Analist Provincie", [], "Provincie Limburg"),
    ("coordinator", Role.PROGRAMME_COORDINATOR, "Programmacoördinator", [], "Provincie Limburg"),
    ("venlo", Role.MUNICIPALITY_OFFICER, "Medewerker Venlo", ["GM0983"], "Gemeente Venlo"),
    (
        "maastricht",
        Role.MUNICIPALITY_OFFICER,
        "Medewerker Maastricht",
        ["GM0935"],
        "Gemeente Maastricht",
    ),
    ("inspecteur", Role.INSPECTOR, "Inspecteur Noord", ["GM0983", "GM0984"], "Gemeente Venlo"),
    ("taskforce", Role.MEMBER, "Lid Taskforce", [], "Limburgse Werkgevers Vereniging (LWV)"),
]


def load_users(password: str) -> list[tuple[str, str, str]]:
    logins = []
    for username, role, name, codes, organisation_name in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name = name
        user.email = f"{username}@voorbeeld.invalid"  # fictief: mail shows in the console
        user.role = role
        user.is_staff = user.is_superuser = role is Role.PROVINCE_ADMIN
        user.organisation = Organisation.objects.filter(name=organisation_name).first()
        user.set_password(password)
        user.save()
        municipalities = list(Municipality.objects.filter(code__in=codes))
        user.municipalities.set(municipalities)
        logins.append((username, role.label, ", ".join(m.name for m in municipalities)))
    return logins
