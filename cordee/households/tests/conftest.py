import pytest

from conftest import _member
from cordee.core.models import Municipality, Role
from cordee.households.services.households import household_register


@pytest.fixture
def coordinator_a(org_a):
    return _member(org_a, Role.COORDINATOR, "coordination-a@example.org")


@pytest.fixture
def town(db):
    return Municipality.objects.get(name="Sainte-Agathe-des-Monts")


@pytest.fixture
def register(admin_a, org_a, town):
    """Register a household of org_a (or another organisation, with its own actor)."""

    def make(first: str = "Marie", last: str = "Côté", *, actor=None, org=None, **kwargs):
        kwargs.setdefault("municipality", town)
        return household_register(
            actor=actor or admin_a,
            organisation=org or org_a,
            first_name=first,
            last_name=last,
            **kwargs,
        )

    return make


@pytest.fixture
def town_pk(town):
    return str(town.pk)
