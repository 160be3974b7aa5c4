import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db.models import Count
from django.test import RequestFactory, TestCase

from cordee.core.demo.data import DEMO_PASSWORD, USERS
from cordee.core.demo.load import DemoDataError, LoadSummary, demo_load
from cordee.core.models import (
    AuditEvent,
    Membership,
    Municipality,
    Network,
    NetworkMembership,
    NetworkRole,
    OpeningHours,
    Organisation,
    Role,
    Site,
    User,
)

DEMO_MODELS = [
    Organisation,
    Site,
    OpeningHours,
    Network,
    NetworkMembership,
    User,
    Membership,
    NetworkRole,
]
HUB_NETWORK = "reseau-solidarite-nord"
COALITION_NETWORK = "concertation-itinerance"


def _snapshot() -> dict[str, list[dict]]:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in DEMO_MODELS}


class TestDemoData(TestCase):
    """The demo is loaded once for the class; each test runs in a rolled-back savepoint."""

    summary: LoadSummary

    @classmethod
    def setUpTestData(cls) -> None:
        cls.summary = demo_load()

    def test_loading_twice_creates_and_changes_nothing(self):
        assert self.summary.created > 0
        before = _snapshot()
        again = demo_load()
        assert again.created == 0
        assert _snapshot() == before
        assert AuditEvent.objects.filter(action="demo.load").count() == 1
        assert (again.organisations, again.sites, again.users) == (
            Organisation.objects.count(),
            Site.objects.count(),
            User.objects.count(),
        )

    def test_a_rerun_keeps_what_people_changed(self):
        site = Site.objects.get(name="Comptoir Le Panier des Monts")
        site.opening_hours.all().delete()
        site.phone = "819-555-0199"
        site.save()
        assert demo_load().created == 0
        site.refresh_from_db()
        assert site.phone == "819-555-0199"
        assert not site.opening_hours.exists()

    def test_every_role_has_a_demo_user(self):
        roles = set(Membership.objects.values_list("role", flat=True))
        assert roles == set(Role.values)
        admins = NetworkRole.objects.filter(role=NetworkRole.Kind.NETWORK_ADMIN)
        assert set(admins.values_list("network__slug", flat=True)) == {
            HUB_NETWORK,
            COALITION_NETWORK,
        }

    def test_someone_has_two_organisations_and_someone_reads_english(self):
        two = User.objects.annotate(n=Count("memberships__organisation", distinct=True)).filter(n=2)
        assert two.exists()
        assert User.objects.filter(preferred_language="en").exists()

    def test_networks_and_their_members(self):
        hub = Network.objects.get(slug=HUB_NETWORK)
        coalition = Network.objects.get(slug=COALITION_NETWORK)
        assert hub.coordinating_organisation.kind == Organisation.Kind.HUB
        assert coalition.coordinating_organisation.kind == Organisation.Kind.COALITION
        food_members = hub.members.filter(
            kind__in=[Organisation.Kind.FOOD_COUNTER, Organisation.Kind.COLLECTIVE_KITCHEN]
        )
        assert food_members.count() == 10
        assert coalition.members.count() == 8
        in_both = Organisation.objects.filter(networks=hub).filter(networks=coalition)
        assert in_both.exists()
        supplier = hub.memberships.get(organisation__kind=Organisation.Kind.FOOD_BANK)
        assert supplier.services == "Fournisseur régional"
        stores = hub.memberships.filter(organisation__kind=Organisation.Kind.STORE)
        assert 3 <= stores.count() <= 4
        assert all("(PRS)" in m.services for m in stores)

    def test_sites_are_in_the_territory_with_distinct_coordinates(self):
        territory = set(Municipality.objects.values_list("name", flat=True))
        assert len(territory) == 21  # the 20 of the MRC, and Blainville for the food bank
        seen = set()
        for site in Site.objects.select_related("municipality", "organisation"):
            assert site.municipality.name in territory
            if site.municipality.name == "Blainville":
                assert site.organisation.kind == Organisation.Kind.FOOD_BANK
            assert abs(site.latitude - site.municipality.latitude) < 0.05, site
            assert abs(site.longitude - site.municipality.longitude) < 0.08, site
            seen.add((site.latitude, site.longitude))
        assert len(seen) == Site.objects.count()
        assert all(org.sites.exists() for org in Organisation.objects.all())

    def test_places_that_serve_people_have_opening_hours(self):
        serving = Site.objects.filter(
            kind__in=[Site.Kind.COUNTER, Site.Kind.KITCHEN, Site.Kind.MOBILE_STOP]
        )
        assert serving.count() >= 17
        assert not serving.filter(opening_hours=None).exists()
        assert Site.objects.filter(kind=Site.Kind.MOBILE_STOP).count() == 4
        hub_warehouse = Site.objects.get(organisation__kind="hub", kind=Site.Kind.WAREHOUSE)
        assert hub_warehouse.fridge_capacity_g >= 1_000_000  # grams: at least a tonne

    def test_demo_logins_json_signs_in(self):
        out = StringIO()
        call_command("demo_logins", "--json", stdout=out)
        entries = json.loads(out.getvalue())
        assert {e["email"] for e in entries} == {spec.email for spec in USERS}
        assert {"network_admin", *Role.values} == {e["role"] for e in entries}
        request = RequestFactory().post("/")
        for email in {e["email"] for e in entries}:
            user = authenticate(request=request, email=email, password=DEMO_PASSWORD)
            assert user is not None, email
            validate_password(DEMO_PASSWORD, user=user)  # raises if a validator refuses it
        network_entry = next(e for e in entries if e["role"] == "network_admin")
        assert Network.objects.filter(name=network_entry["organisation"]).exists()

    def test_demo_logins_table_is_french(self):
        out = StringIO()
        call_command("demo_logins", stdout=out)
        text = out.getvalue()
        assert DEMO_PASSWORD in text
        assert "admin.carrefour@cordee.example" in text
        assert "Administration du réseau" in text


def test_demo_logins_lists_only_people_in_the_database(db):
    out = StringIO()
    call_command("demo_logins", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "demo_load" in out.getvalue()


def test_nothing_is_written_when_a_municipality_is_missing(db):
    Municipality.objects.filter(name="Blainville").delete()
    with pytest.raises(DemoDataError):
        demo_load()
    assert not Organisation.objects.exists()


def test_demo_load_command_prints_a_summary(db):
    out = StringIO()
    call_command("demo_load", stdout=out)
    assert out.getvalue().startswith("Données de démonstration : 2 réseaux, 23 organismes")
