import pytest

from cordee.core.models import Organisation, Role
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)
from cordee.logistics.models import Category
from cordee.logistics.services.catalogue import catalogue_seed_defaults


@pytest.fixture
def catalogue_a(org_a):
    network = org_a.networks.get()
    catalogue_seed_defaults(network=network)
    return {c.name: c for c in Category.objects.filter(network=network)}


@pytest.fixture
def site_a(org_a):
    return org_a.sites.get()


@pytest.fixture
def hub(org_a):
    """A hub in org_a's network, with a warehouse and a coordinator."""
    hub = OrganisationFactory(name="Carrefour", kind=Organisation.Kind.HUB)
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=hub)
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=hub, role=Role.COORDINATOR)
    site = SiteFactory(organisation=hub, name="Entrepôt", kind="warehouse")
    return {"org": hub, "site": site, "user": coordinator}


@pytest.fixture
def member_b(org_a):
    """Another member of org_a's network, with a site and a coordinator."""
    org = OrganisationFactory(name="Comptoir C")
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=org)
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.COORDINATOR)
    return {"org": org, "site": SiteFactory(organisation=org), "user": user}
