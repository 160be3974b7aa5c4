"""Report figures on a small hand-built month, network suppression, tenancy and exports."""

import csv
import io
import zipfile
from datetime import UTC, datetime

import openpyxl
import pytest
from django.urls import reverse

from conftest import _member
from cordee.core.models import AuditEvent, Network, Role
from cordee.core.tests.factories import NetworkMembershipFactory, OrganisationFactory
from cordee.households.models import (
    AgeBand,
    Consent,
    ConsentPurpose,
    Household,
    HouseholdMember,
    Visit,
)
from cordee.households.selectors.reports import (
    Month,
    report_for_organisation,
    suppress_column,
)
from cordee.reports.tables import HIDDEN

MARCH = Month.of(2026, 3)


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def _household(org, card: int, name: str, people: int = 1, **fields) -> Household:
    return Household.objects.create(
        organisation=org,
        first_name=name,
        last_name="Témoin",
        card_number=card,
        people_count=people,
        search_names=name.lower(),
        **fields,
    )


def _visit(household, when: str, kind: str = "basket", people: int = 1, cancelled=False):
    return Visit.objects.create(
        household=household,
        organisation=household.organisation,
        visited_at=_at(when),
        visit_type=kind,
        people_served=people,
        cancelled_at=_at(when) if cancelled else None,
    )


@pytest.fixture
def month_a(org_a, org_b):
    """org_a's March 2026: two households served, one only by a cancelled visit."""
    h1 = _household(
        org_a,
        1,
        "Annie",
        3,
        household_type="single_parent",
        income_source="social_assistance",
        housing_type="rental",
    )
    HouseholdMember.objects.create(household=h1, age_band=AgeBand.CHILD)
    HouseholdMember.objects.create(household=h1, birth_year=2015)  # 11 in 2026: a child
    HouseholdMember.objects.create(household=h1, birth_year=1990)
    _visit(h1, "2026-03-03T15:00:00")
    _visit(h1, "2026-03-17T15:00:00")
    _visit(h1, "2026-03-20T15:00:00", "emergency")
    _visit(h1, "2026-03-25T15:00:00", cancelled=True)  # undone: not counted
    h2 = _household(org_a, 2, "Bernard", 1, household_type="single", income_source="pension")
    HouseholdMember.objects.create(household=h2, birth_year=1950)
    _visit(h2, "2026-03-05T16:00:00", "meal")
    _visit(h2, "2026-03-06T16:00:00", "snack", people=2)
    _visit(h2, "2026-04-01T02:00:00", "snack")  # 31 March, 22 h in Québec: March
    h3 = _household(org_a, 3, "Carole", 2, household_type="couple")
    _visit(h3, "2026-03-01T03:00:00")  # 28 February, 22 h in Québec: not March
    _visit(h3, "2026-03-10T15:00:00", cancelled=True)
    other = _household(org_b, 1, "Zacharie", 4)
    _visit(other, "2026-03-10T15:00:00")
    return h1, h2, h3


def test_figures_of_a_hand_built_month(org_a, month_a):
    f = report_for_organisation(org=org_a, month=MARCH)
    assert (f.baskets, f.emergency, f.meals, f.snacks) == (3, 1, 1, 3)
    assert f.requests == 7
    assert f.visits == 6
    assert (f.households, f.people) == (2, 4)
    assert (f.children, f.adults, f.seniors, f.age_not_given) == (2, 1, 1, 0)
    assert f.children_pct == 50.0
    assert f.household_types == {"single_parent": 1, "single": 1}
    assert f.income_sources == {"social_assistance": 1, "pension": 1}
    assert f.housing_types == {"rental": 1, "": 1}


def test_february_is_another_month(org_a, month_a):
    f = report_for_organisation(org=org_a, month=Month.of(2026, 2))
    assert (f.households, f.baskets, f.people) == (1, 1, 2)
    assert f.children_pct == 0.0


def test_suppression_hides_small_counts_and_one_more():
    assert suppress_column([0, 7, 12]) == [0, 7, 12]
    assert suppress_column([3, 7, 12]) == [None, None, 12]  # 3 alone would be total − others
    assert suppress_column([3, 4, 12]) == [None, None, 12]
    assert suppress_column([5, 1]) == [None, None]


def test_organisation_page_and_exports(client_a, month_a):
    url = reverse("reports:organisation")
    page = client_a.get(url, {"mois": "2026-03"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bilan-Faim" in text
    assert "50,0 %" in text

    exported = client_a.get(url, {"mois": "2026-03", "format": "csv"})
    body = exported.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    values = {row[0]: row[1] for row in rows if len(row) == 2}
    assert values["Ménages (comptés une fois)"] == "2"

    xlsx = client_a.get(url, {"mois": "2026-03", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if len(row) > 1}
    assert cells["Personnes (comptées une fois)"] == 4

    pdf = client_a.get(url, {"mois": "2026-03", "format": "pdf"})
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_report_needs_a_coordinator_role(client, volunteer_a):
    client.force_login(volunteer_a)
    assert client.get(reverse("reports:organisation")).status_code == 403


def test_another_organisation_sees_only_its_own(client_b, month_a):
    page = client_b.get(reverse("reports:organisation"), {"mois": "2026-03", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(page.content)).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if len(row) > 1}
    assert cells["Ménages (comptés une fois)"] == 1
    assert cells["Personnes (comptées une fois)"] == 4


def test_bad_month_is_404(client_a):
    assert client_a.get(reverse("reports:organisation"), {"mois": "mars"}).status_code == 404


@pytest.fixture
def network(org_a, month_a):
    """org_a coordinates its network; a second member served six households in March."""
    net = Network.objects.get(memberships__organisation=org_a)
    net.coordinating_organisation = org_a
    net.save()
    org_c = OrganisationFactory(name="Comptoir C")
    NetworkMembershipFactory(network=net, organisation=org_c)
    for card in range(1, 7):
        _visit(_household(org_c, card, f"Personne{card}", 2), "2026-03-12T15:00:00")
    return net, org_c


def _network_cells(client, net) -> list[tuple]:
    url = reverse("reports:network", args=[net.pk])
    response = client.get(url, {"mois": "2026-03", "format": "xlsx"})
    assert response.status_code == 200
    return list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )


def test_network_report_hides_small_counts_and_households(client_a, network):
    net, _org_c = network
    rows = _network_cells(client_a, net)
    header = next(r for r in rows if r and r[0] == "Personnes aidées")
    assert header[1:] == ("Comptoir A", "Comptoir C", "Total du réseau")
    by_label = {r[0]: r[1:] for r in rows if r and r[0]}
    # org_a served 2 households: hidden, and org_c's 6 too, or 8 − 6 would give 2 back.
    assert by_label["Ménages (comptés une fois)"] == (HIDDEN, HIDDEN, 8)
    for label, cells in by_label.items():
        for cell in cells[:2]:
            assert not (isinstance(cell, int) and 0 < cell < 5), (label, cells)
    page = client_a.get(reverse("reports:network", args=[net.pk]), {"mois": "2026-03"})
    text = page.content.decode()
    assert "&lt; 5" in text
    for name in ("Annie", "Bernard", "Personne1", "Témoin"):
        assert name not in text


def test_network_report_is_404_for_members_and_outsiders(client, network, admin_b):
    net, org_c = network
    url = reverse("reports:network", args=[net.pk])
    client.force_login(admin_b)
    assert client.get(url).status_code == 404
    client.force_login(_member(org_c, Role.ORG_ADMIN, "admin-c@example.org"))
    assert client.get(url).status_code == 404


def test_gotoucan_export(client_a, org_a, month_a, admin_a):
    _h1, h2, _h3 = month_a
    Consent.objects.create(
        household=h2,
        purpose=ConsentPurpose.STATISTICS,
        given_on="2025-01-01",
        method="oral",
        withdrawn_on="2026-01-01",
    )
    response = client_a.get(reverse("reports:gotoucan"), {"mois": "2026-03"})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["distributions.csv", "households.csv", "people.csv"]
    households = list(csv.DictReader(io.StringIO(archive.read("households.csv").decode())))
    # Bernard withdrew his consent to statistics; org_b's household never leaves org_b.
    assert [h["first_name"] for h in households] == ["Annie"]
    assert households[0]["income_source"] == ""  # sensitive answers only when asked
    people = list(csv.DictReader(io.StringIO(archive.read("people.csv").decode())))
    assert sorted(p["category"] for p in people) == ["Adulte", "Enfant", "Enfant"]
    assert {p["date_of_birth"] for p in people} == {"", "2015-01-01", "1990-01-01"}
    distributions = list(csv.DictReader(io.StringIO(archive.read("distributions.csv").decode())))
    assert [d["template"] for d in distributions] == [
        "Régulier",
        "Régulier",
        "Dépannage d'urgence",
    ]
    assert AuditEvent.objects.filter(action="households.gotoucan_export").count() == 1

    sensitive = client_a.get(reverse("reports:gotoucan"), {"mois": "2026-03", "sensibles": "1"})
    archive = zipfile.ZipFile(io.BytesIO(sensitive.content))
    rows = list(csv.DictReader(io.StringIO(archive.read("households.csv").decode())))
    assert rows[0]["income_source"] == "social_assistance"


def test_gotoucan_export_of_another_organisation_holds_only_its_households(client_b, month_a):
    response = client_b.get(reverse("reports:gotoucan"), {"mois": "2026-03"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    households = list(csv.DictReader(io.StringIO(archive.read("households.csv").decode())))
    assert [h["first_name"] for h in households] == ["Zacharie"]
