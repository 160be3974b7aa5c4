"""The network's privacy dial: walls up, match only, shared; consent; nothing leaks."""

import pytest
from django.urls import reverse

from conftest import _member
from cordee.core.models import AuditEvent, NetworkRole, Role
from cordee.core.tests.factories import NetworkMembershipFactory, OrganisationFactory
from cordee.households.models import ConsentPurpose, Household, HouseholdMatchToken
from cordee.households.models_matching import MatchingDial, NetworkHouseholdPolicy
from cordee.households.selectors.matching import network_matches
from cordee.households.services.households import consent_record, consent_withdraw
from cordee.households.services.matching import household_tokens_refresh, network_policy_set

NOTICE_FR = "Ce ménage est peut-être déjà inscrit dans un autre organisme membre"
# The other organisation typed the same person differently: these strings are theirs only.
OTHER_FIRST, OTHER_LAST, OTHER_PHONE = "Marieve", "COTE", "(819) 555-1234"


@pytest.fixture
def network(org_a):
    return org_a.networks.get()


@pytest.fixture
def org_c(network):
    org = OrganisationFactory(
        name="Comptoir C", contact_phone="819 555-0000", contact_email="info@comptoir-c.org"
    )
    NetworkMembershipFactory(network=network, organisation=org)
    return org


@pytest.fixture
def admin_c(org_c):
    return _member(org_c, Role.ORG_ADMIN, "admin-c@example.org")


@pytest.fixture
def network_admin(network, admin_a):
    NetworkRole.objects.create(user=admin_a, network=network)
    return admin_a


def _consent(actor, household):
    return consent_record(
        actor=actor, household=household, purpose=ConsentPurpose.DUPLICATE_CHECK, method="oral"
    )


@pytest.fixture
def pair(register, admin_a, admin_c, org_c):
    """The same person, registered at A and at C, both with the duplicate-check consent."""
    mine = register("Marie-Ève", "Côté", phone="819 555-1234")
    theirs = register(OTHER_FIRST, OTHER_LAST, phone=OTHER_PHONE, actor=admin_c, org=org_c)
    _consent(admin_a, mine)
    _consent(admin_c, theirs)
    return mine, theirs


def _page(client, household) -> str:
    response = client.get(reverse("households:detail", args=[household.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _assert_nothing_of_theirs(html: str) -> None:
    for secret in (OTHER_FIRST, OTHER_LAST, OTHER_PHONE, "555-1234)"):
        assert secret not in html


def test_walls_up_by_default_no_tokens_no_match(client_a, pair):
    mine, _theirs = pair
    assert not NetworkHouseholdPolicy.objects.exists() or all(
        p.dial == MatchingDial.WALLS_UP for p in NetworkHouseholdPolicy.objects.all()
    )
    assert HouseholdMatchToken.objects.count() == 0
    assert network_matches(household=mine) == []
    html = _page(client_a, mine)
    assert NOTICE_FR not in html and "Comptoir C" not in html
    _assert_nothing_of_theirs(html)


def test_match_only_says_a_match_exists_without_where(client_a, pair, network, network_admin):
    network_policy_set(actor=network_admin, network=network, dial=MatchingDial.MATCH_ONLY)
    mine, theirs = pair
    assert HouseholdMatchToken.objects.filter(household=theirs).exists()
    [match] = network_matches(household=mine)
    assert match.organisations == []  # the selector does not even know where
    html = _page(client_a, mine)
    assert NOTICE_FR in html
    assert "Comptoir C" not in html and "info@comptoir-c.org" not in html
    _assert_nothing_of_theirs(html)


def test_shared_names_the_other_organisation_only(
    client_a, client, pair, network, network_admin, admin_c
):
    network_policy_set(actor=network_admin, network=network, dial=MatchingDial.SHARED)
    mine, theirs = pair
    html = _page(client_a, mine)
    assert "Comptoir C" in html and "info@comptoir-c.org" in html and "819 555-0000" in html
    _assert_nothing_of_theirs(html)
    # And the other way round: C learns about A, never A's spelling.
    client.force_login(admin_c)
    other = _page(client, theirs)
    assert "Comptoir A" in other and "Marie-Ève" not in other and "Côté" not in other


def test_no_match_without_both_consents(register, admin_a, admin_c, org_c, network, network_admin):
    network_policy_set(actor=network_admin, network=network, dial=MatchingDial.SHARED)
    mine = register("Marie-Ève", "Côté", phone="819 555-1234")
    theirs = register(OTHER_FIRST, OTHER_LAST, phone=OTHER_PHONE, actor=admin_c, org=org_c)
    _consent(admin_a, mine)
    assert not HouseholdMatchToken.objects.filter(household=theirs).exists()
    assert network_matches(household=mine) == []
    _consent(admin_c, theirs)
    assert len(network_matches(household=mine)) == 1


def test_withdrawal_deletes_tokens_and_stops_matching(pair, network, network_admin, admin_c):
    network_policy_set(actor=network_admin, network=network, dial=MatchingDial.SHARED)
    mine, theirs = pair
    assert network_matches(household=mine)
    consent = theirs.consents.get(purpose=ConsentPurpose.DUPLICATE_CHECK)
    consent_withdraw(actor=admin_c, consent=consent)
    assert not HouseholdMatchToken.objects.filter(household=theirs).exists()
    assert network_matches(household=mine) == []
    assert network_matches(household=theirs) == []


def test_different_people_do_not_match(register, admin_a, admin_c, org_c, network, network_admin):
    network_policy_set(actor=network_admin, network=network, dial=MatchingDial.SHARED)
    mine = register("Marie", "Côté", phone="819 555-1234")
    sister = register("Julie", "Côté", phone="819 555-1234", actor=admin_c, org=org_c)
    _consent(admin_a, mine)
    _consent(admin_c, sister)
    assert network_matches(household=mine) == []


def test_other_networks_never_match_and_tokens_differ_per_secret(
    register, admin_a, admin_b, org_b, network, network_admin
):
    network_policy_set(actor=network_admin, network=network, dial=MatchingDial.SHARED)
    network_b = org_b.networks.get()
    NetworkRole.objects.create(user=admin_b, network=network_b)
    network_policy_set(actor=admin_b, network=network_b, dial=MatchingDial.SHARED)
    mine = register("Marie-Ève", "Côté", phone="819 555-1234")
    same = register("Marie-Ève", "Côté", phone="819 555-1234", actor=admin_b, org=org_b)
    _consent(admin_a, mine)
    _consent(admin_b, same)
    tokens_a = set(
        HouseholdMatchToken.objects.filter(household=mine).values_list("token", flat=True)
    )
    tokens_b = set(
        HouseholdMatchToken.objects.filter(household=same).values_list("token", flat=True)
    )
    assert tokens_a and tokens_b and not tokens_a & tokens_b
    assert network_matches(household=mine) == [] and network_matches(household=same) == []
    # Tokens never hold the name in clear.
    assert not any("cote" in t or "marie" in t for t in tokens_a)


def test_walls_up_again_deletes_every_token(pair, network, network_admin):
    network_policy_set(actor=network_admin, network=network, dial=MatchingDial.MATCH_ONLY)
    assert HouseholdMatchToken.objects.exists()
    network_policy_set(actor=network_admin, network=network, dial=MatchingDial.WALLS_UP)
    assert not HouseholdMatchToken.objects.exists()
    mine, _theirs = pair
    assert household_tokens_refresh(household=mine) == 0
    assert network_matches(household=mine) == []


def test_registration_with_consent_shows_the_notice(
    client_a, admin_c, org_c, network, network_admin, town_pk, register
):
    network_policy_set(actor=network_admin, network=network, dial=MatchingDial.MATCH_ONLY)
    theirs = register(OTHER_FIRST, OTHER_LAST, phone=OTHER_PHONE, actor=admin_c, org=org_c)
    _consent(admin_c, theirs)
    data = {
        "first_name": "Marie-Ève",
        "last_name": "Côté",
        "phone": "819 555-1234",
        "municipality": town_pk,
        "people_count": "2",
        "duplicate_check": "on",
    }
    response = client_a.post(reverse("households:new"), data, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and NOTICE_FR in html
    assert "Comptoir C" not in html
    _assert_nothing_of_theirs(html)
    mine = Household.objects.get(organisation__name="Comptoir A")
    assert mine.consents.filter(purpose=ConsentPurpose.DUPLICATE_CHECK).exists()
    # Without the box ticked: no consent, no tokens, no notice.
    data["first_name"] = "Marie-Eve"
    del data["duplicate_check"]
    response = client_a.post(reverse("households:new"), data, follow=True)
    assert NOTICE_FR not in response.content.decode()


def test_dial_page_for_network_admins(client, network, network_admin, pair):
    client.force_login(network_admin)
    url = reverse("households:network_dial", args=[network.slug])
    page = client.get(url).content.decode()
    assert "Murs fermés" in page and "sans dire lequel" in page
    response = client.post(url, {"dial": "shared"})
    assert response.status_code == 302
    assert NetworkHouseholdPolicy.objects.get(network=network).dial == MatchingDial.SHARED
    assert AuditEvent.objects.filter(action="network.household_policy", network=network).exists()
    assert client.post(url, {"dial": "open_bar"}).status_code == 400
    assert "secret" not in client.get(url).content.decode().lower()
    assert NetworkHouseholdPolicy.objects.get(network=network).secret not in page


def test_dial_page_tenancy(client, network, admin_c, admin_b):
    url = reverse("households:network_dial", args=[network.slug])
    client.force_login(admin_b)  # another network: it does not exist
    assert client.get(url).status_code == 404
    assert client.post(url, {"dial": "shared"}).status_code == 404
    client.force_login(admin_c)  # a member, not a network admin
    assert client.get(url).status_code == 403
    assert client.post(url, {"dial": "shared"}).status_code == 403
    assert not NetworkHouseholdPolicy.objects.filter(dial=MatchingDial.SHARED).exists()
