"""The policy inventory's reads: counts per region and province from entered data (the seed's
situation in Noord: four of eight municipalities adopted short-stay policy, a fifth prepares
it), the grouping switch, the history of changes and the downloads (the same rows as the
matrix)."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from fixtures import MAASTRICHT, VENLO, VENRAY

from waardig.areas.models import Municipality, Region
from waardig.core.access import SYSTEM
from waardig.core.exports import export
from waardig.housing import policy, services
from waardig.housing.models import Instrument, PolicyChange, PolicyEntry, PolicyStatus

pytestmark = pytest.mark.django_db

SHORT_STAY = Instrument.SHORT_STAY_POLICY
ADOPTED, PREPARATION, NONE, UNKNOWN = (
    PolicyStatus.ADOPTED,
    PolicyStatus.PREPARATION,
    PolicyStatus.NONE,
    PolicyStatus.UNKNOWN,
)
GENNEP, HORST, PEEL_EN_MAAS, BEESEL = "GM0907", "GM1507", "GM1894", "GM0889"
NEDERWEERT, WEERT, LEUDAL, ROERDALEN = "GM0946", "GM0988", "GM1640", "GM1669"

# The situation the seeds describe for short-stay policy (which Noord municipality is the
# fifth is not said: Peel en Maas here). Midden: four "have it or work on it actively".
SEED = {
    VENLO: ADOPTED,
    VENRAY: ADOPTED,
    HORST: ADOPTED,
    GENNEP: ADOPTED,
    PEEL_EN_MAAS: PREPARATION,
    NEDERWEERT: ADOPTED,
    WEERT: ADOPTED,
    LEUDAL: PREPARATION,
    ROERDALEN: PREPARATION,
    MAASTRICHT: NONE,
}


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def enter(actor, code: str, status: str, instrument: str = SHORT_STAY, **values):
    entry, _ = services.set_policy(actor, municipality(code), instrument, status=status, **values)
    return entry


@pytest.fixture
def seed(areas) -> dict[str, str]:
    for code, status in SEED.items():
        enter(SYSTEM, code, status)
    return SEED


def members(grouping: str, name: str) -> set[str]:
    region = Region.objects.get(grouping__slug=grouping, name=name)
    return set(region.municipalities.current().values_list("code", flat=True))


def block(table: policy.Matrix, name: str) -> policy.Block:
    return next(b for b in table.blocks if b.name == name)


def expected(codes: set[str], entered: dict[str, str]) -> policy.Counts:
    """What the counts of these municipalities should be: entered ones by their status, the
    rest unknown."""
    statuses = [entered.get(code, UNKNOWN) for code in codes]
    return policy.Counts(*(statuses.count(s) for s in PolicyStatus))


# --- counting --------------------------------------------------------------------------------


def test_counts_say_how_far_an_area_is_in_the_steering_groups_words():
    with translation.override("nl"):
        counts = policy.count([ADOPTED] * 4 + [PREPARATION] + [UNKNOWN] * 3)
        assert (counts.adopted, counts.preparation, counts.unknown, counts.total) == (4, 1, 3, 8)
        assert counts.summary == "4 van 8 vastgesteld, 1 in voorbereiding"
        assert policy.count([NONE, UNKNOWN]).summary == "0 van 2 vastgesteld"
    with pytest.raises(ValueError):
        policy.count(["maybe"])


def test_the_seed_situation_gives_the_seed_counts_per_region_and_province(seed, users):
    table = policy.matrix(users["member"], "admin")
    assert [b.name for b in table.blocks] == ["Midden", "Noord", "Zuid"]
    column = table.instruments.index(SHORT_STAY)
    noord = block(table, "Noord").counts[column]
    with translation.override("nl"):
        assert noord.summary == "4 van 8 vastgesteld, 1 in voorbereiding"
    assert (noord.adopted, noord.preparation, noord.total) == (4, 1, 8)
    for name in ("Noord", "Midden", "Zuid"):
        assert block(table, name).counts[column] == expected(members("admin", name), seed)
    midden = block(table, "Midden").counts[column]
    assert midden.adopted + midden.preparation == 4  # "four of seven have it or work on it"
    assert block(table, "Zuid").counts[column].adopted == 0
    (province, totals), *others = table.totals
    assert (province, others) == ("Limburg", [])
    current = set(Municipality.objects.current().values_list("code", flat=True))
    assert totals[column] == expected(current, seed)
    assert totals[column].total == 31
    # Nothing entered for the other instruments: every municipality counts as unknown.
    for index, instrument in enumerate(table.instruments):
        if instrument != SHORT_STAY:
            assert totals[index] == policy.Counts(unknown=31)


def test_the_matrix_has_every_current_municipality_and_instrument_once(seed, users):
    table = policy.matrix(users["analyst"])
    assert table.grouping == "admin"
    assert table.instruments == list(Instrument)
    codes = [line.municipality.code for b in table.blocks for line in b.lines]
    assert sorted(codes) == sorted(Municipality.objects.current().values_list("code", flat=True))
    assert "GM0951" not in codes  # Nuth, merged into Beekdaelen in 2019
    cells = {
        (line.municipality.code, cell.instrument): cell.status
        for b in table.blocks
        for line in b.lines
        for cell in line.cells
    }
    assert len(cells) == 31 * len(Instrument)
    assert {code: cells[code, SHORT_STAY] for code in seed} == seed
    assert table.entered == len(seed)


def test_the_corop_grouping_counts_beesel_in_midden(seed, users):
    enter(SYSTEM, BEESEL, ADOPTED)
    entered = {**seed, BEESEL: ADOPTED}
    admin = policy.matrix(users["analyst"], "admin", SHORT_STAY)
    corop = policy.matrix(users["analyst"], "corop", SHORT_STAY)
    assert corop.grouping == "corop"
    assert BEESEL in members("admin", "Noord")
    corop_midden = next(
        b for b in corop.blocks if BEESEL in {ln.municipality.code for ln in b.lines}
    )
    assert corop_midden.name != "Noord"
    assert corop_midden.counts[0] == expected(members("corop", corop_midden.name), entered)
    assert block(admin, "Noord").counts[0].adopted == 5
    # The province is the same whatever the grouping.
    assert admin.totals == corop.totals


def test_one_instrument_and_an_unknown_one(seed, users):
    table = policy.matrix(users["member"], "admin", Instrument.LANDLORD_LICENCE)
    assert table.instruments == [Instrument.LANDLORD_LICENCE]
    assert all(len(line.cells) == 1 for b in table.blocks for line in b.lines)
    assert table.totals[0][1] == [policy.Counts(unknown=31)]
    with pytest.raises(ValidationError):
        policy.matrix(users["member"], "admin", "curfew")
    assert policy.matrix(users["member"], "no-such-grouping").grouping == "admin"


def test_who_may_change_which_cell(seed, users):
    def changeable(user) -> set[str]:
        table = policy.matrix(user, "admin", SHORT_STAY)
        return {
            ln.municipality.code for b in table.blocks for ln in b.lines if ln.cells[0].may_change
        }

    everything = set(Municipality.objects.current().values_list("code", flat=True))
    assert changeable(users["province_admin"]) == everything
    assert changeable(users["analyst"]) == everything
    assert changeable(users["venlo_officer"]) == {VENLO}
    assert changeable(users["maastricht_officer"]) == {MAASTRICHT}
    assert changeable(users["member"]) == set()
    assert changeable(users["inspector"]) == set()  # inspectors read, municipalities keep
    with pytest.raises(PermissionDenied):
        enter(users["venlo_officer"], MAASTRICHT, ADOPTED)
    assert PolicyEntry.objects.get(municipality__code=MAASTRICHT).status == NONE


# --- history ---------------------------------------------------------------------------------


def test_the_history_says_who_changed_what_from_what(areas, users):
    enter(users["venlo_officer"], VENLO, PREPARATION, notes="Raadsvoorstel in de maak")
    enter(users["province_admin"], VENLO, ADOPTED, document_url="https://venlo.test/besluit")
    enter(users["maastricht_officer"], MAASTRICHT, NONE, instrument=Instrument.GUEST_REGISTER)
    venlo = list(policy.changes(users["member"], municipality=VENLO.lower()))
    assert [(c.actor, c.previous_status, c.status) for c in venlo] == [
        ("provincie", PREPARATION, ADOPTED),
        ("venlo", "", PREPARATION),
    ]
    assert venlo[0].user == users["province_admin"]
    assert venlo[0].document_url == "https://venlo.test/besluit"
    assert venlo[1].notes == "Raadsvoorstel in de maak"
    everything = policy.changes(users["member"])
    assert everything.count() == 3
    by_instrument = policy.changes(users["member"], instrument=Instrument.GUEST_REGISTER)
    assert [c.entry.municipality.code for c in by_instrument] == [MAASTRICHT]
    # Saving the same values again is no change, so it is not history either.
    enter(users["province_admin"], VENLO, ADOPTED, document_url="https://venlo.test/besluit")
    assert PolicyChange.objects.count() == 3


# --- downloads -------------------------------------------------------------------------------


def exported(user, kind: str, **options) -> list[dict]:
    return json.loads(export(user, kind, "json", options))


def test_the_export_rows_equal_the_matrix(seed, users):
    enter(SYSTEM, VENLO, ADOPTED, decided_on=None, document_url="https://venlo.test/ss")
    table = policy.matrix(users["venlo_officer"], "admin")
    rows = exported(users["venlo_officer"], "housing-policy", grouping="admin")
    assert len(rows) == 31 * len(Instrument)
    from_matrix = [
        (b.name, ln.municipality.code, cell.instrument.value, cell.status.value)
        for b in table.blocks
        for ln in b.lines
        for cell in ln.cells
    ]
    assert [(r["region"], r["code"], r["instrument"], r["status"]) for r in rows] == from_matrix
    venlo = next(r for r in rows if r["code"] == VENLO and r["instrument"] == SHORT_STAY)
    assert venlo["document_url"] == "https://venlo.test/ss"
    assert venlo["grouping"] == "admin"
    one = exported(users["member"], "housing-policy", instrument=SHORT_STAY)
    assert {(r["code"], r["status"]) for r in one if r["status"] != UNKNOWN} == set(seed.items())


def test_the_count_export_holds_the_regions_and_the_province(seed, users):
    rows = exported(users["member"], "housing-policy-counts", instrument=SHORT_STAY)
    by_area = {r["area"]: r for r in rows}
    assert set(by_area) == {"Noord", "Midden", "Zuid", "Limburg"}
    with translation.override("nl"):
        table = policy.matrix(users["member"], "admin", SHORT_STAY)
    for b in table.blocks:
        counts = b.counts[0]
        row = by_area[b.name]
        assert [row[s] for s in PolicyStatus.values] == [n for _s, n in counts.by_status]
        assert row["total"] == counts.total
    assert by_area["Noord"]["summary"] == "4 van 8 vastgesteld, 1 in voorbereiding"
    assert by_area["Limburg"]["grouping"] == ""
    assert by_area["Limburg"]["adopted"] == sum(1 for s in seed.values() if s == ADOPTED)


def test_the_history_export_is_the_filtered_history(areas, users):
    enter(users["venlo_officer"], VENLO, PREPARATION)
    enter(users["analyst"], VENLO, ADOPTED, notes="Vastgesteld door de raad")
    enter(users["maastricht_officer"], MAASTRICHT, NONE)
    rows = exported(users["coordinator"], "housing-policy-history", municipality=VENLO)
    assert [(r["actor"], r["previous_status"], r["status"]) for r in rows] == [
        ("analist", PREPARATION, ADOPTED),
        ("venlo", "", PREPARATION),
    ]
    assert rows[0]["notes"] == "Vastgesteld door de raad"
    assert all(r["code"] == VENLO for r in rows)
    assert len(exported(users["coordinator"], "housing-policy-history")) == 3


def test_downloads_refuse_an_unknown_instrument_and_the_public(seed, users):
    client = Client()
    client.force_login(users["member"])
    url = reverse("export", args=["housing-policy", "csv"])
    assert client.get(url, {"instrument": "curfew"}).status_code == 400
    history = reverse("export", args=["housing-policy-history", "xlsx"])
    assert client.get(history, {"instrument": "curfew"}).status_code == 400
    response = client.get(url, {"instrument": SHORT_STAY})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == policy.MATRIX_COLUMNS
    assert len(lines) == 1 + 31
    assert client.get(history).status_code == 200  # tz-aware times are written as local
    assert Client().get(url).status_code == 302


def test_a_change_of_contact_person_is_history_too(areas, users):
    from waardig.organisations.models import Person

    anna = Person.objects.create(name="Anna Beleid")
    enter(users["venlo_officer"], VENLO, ADOPTED)
    enter(users["venlo_officer"], VENLO, ADOPTED, contact=anna)
    rows = exported(users["coordinator"], "housing-policy-history", municipality=VENLO)
    assert [(r["status"], r["contact"]) for r in rows] == [(ADOPTED, "Anna Beleid"), (ADOPTED, "")]
