"""Demo organisations (real names of the network) and fictitious contact persons."""

from waardig.areas.models import Municipality
from waardig.core.access import SYSTEM
from waardig.organisations import services
from waardig.organisations.models import ContactPerson, Organisation

Kind = Organisation.Kind

# The bodies and partners named in the province's own documents (see shared/DOMAIN.md).
NETWORK = [
    ("Provincie Limburg", Kind.PROVINCE),
    ("Limburgse Werkgevers Vereniging (LWV)", Kind.EMPLOYERS),
    ("Limburgse Land- en Tuinbouw Bond (LLTB)", Kind.EMPLOYERS),
    ("MKB Limburg", Kind.EMPLOYERS),
    ("FNV", Kind.UNION),
    ("Stichting Arka", Kind.ADVOCACY),
    ("Nederlandse Arbeidsinspectie", Kind.INSPECTORATE),
    ("Politie Limburg", Kind.POLICE),
    ("RIEC Limburg", Kind.RIEC),
    ("Regio Noord-Limburg", Kind.REGION),
    ("Samenwerking Midden-Limburg (SML)", Kind.REGION),
    ("Regio Zuid-Limburg", Kind.REGION),
]

DEMO_CONTACTS = {
    "GM0983": ["registration", "housing", "enforcement", "economy", "coordination"],
    "GM0984": ["housing", "enforcement", "coordination"],
    "GM1507": ["registration", "housing"],
    "GM0988": ["housing", "social"],
    "GM0957": ["coordination"],
    "GM0935": ["registration", "housing", "enforcement", "social"],
    "GM1883": ["housing"],
    "GM0917": ["enforcement"],
}


def organisation(name: str) -> Organisation:
    """The demo network's organisation by its name or abbreviation ("LWV"), else a new one."""
    found = (
        Organisation.objects.filter(name=name).first()
        or Organisation.objects.filter(name__endswith=f"({name})").first()
        or Organisation.objects.filter(name__startswith=f"{name} ").first()
    )
    if found:
        return found
    kind = Organisation.Kind.STATE if name.startswith("Ministerie") else Organisation.Kind.OTHER
    return Organisation.objects.create(name=name, kind=kind)


def load_organisations() -> None:
    for name, kind in NETWORK:
        Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    for municipality in Municipality.objects.current():
        Organisation.objects.get_or_create(
            name=f"Gemeente {municipality.name}",
            defaults={"kind": Kind.MUNICIPALITY, "municipality": municipality},
        )


def load_contacts() -> None:
    """Fictitious people at real municipalities: names and addresses say they are invented."""
    topics = dict(ContactPerson.Topic.choices)
    for code, topic_keys in DEMO_CONTACTS.items():
        municipality = Municipality.objects.get(code=code)
        organisation = Organisation.objects.get(municipality=municipality, kind=Kind.MUNICIPALITY)
        slug = municipality.name.lower().replace(" ", "-").replace("(", "").replace(")", "")
        for topic in topic_keys:
            email = f"{topic}.{slug}@voorbeeld.invalid"
            services.save_contact(
                SYSTEM,
                # Loading the demo again changes the same entry (no second one).
                contact=ContactPerson.objects.filter(
                    municipality=municipality, topic=topic, person__email=email
                ).first(),
                municipality=municipality,
                topic=topic,
                name=f"Fictief: {str(topics[topic]).split(' ')[0].lower()} {municipality.name}",
                email=email,
                phone="",
                function=f"Beleidsmedewerker {str(topics[topic]).lower()} (fictief)",
                notes="Fictieve demonstratiegegevens",
                organisation=organisation,
            )
