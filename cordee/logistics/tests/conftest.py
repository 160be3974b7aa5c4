import pytest

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
