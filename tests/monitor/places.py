"""Short ways to name the reference areas in monitor tests."""

from waardig.areas.models import Municipality, Province, Region

AREA_FIELD = {Municipality: "municipality", Region: "region", Province: "province"}
MERGED_INTO_BEEKDAELEN = ("GM0951", "GM0881", "GM0962")  # Nuth, Onderbanken, Schinnen
BEEKDAELEN = "GM1954"


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def region(grouping: str, name: str) -> Region:
    return Region.objects.get(grouping__slug=grouping, name=name)


def limburg() -> Province:
    return Province.objects.get(code="PV31")
