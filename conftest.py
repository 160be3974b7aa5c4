"""Shared fixtures: two organisations in two networks, so every test can check tenancy."""

import pytest

from cordee.core.models import Role
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)

PASSWORD = "un mot de passe solide"


@pytest.fixture
def org_a(db):
    org = OrganisationFactory(name="Comptoir A")
    NetworkMembershipFactory(network=NetworkFactory(name="Réseau A"), organisation=org)
    SiteFactory(organisation=org, name="Local du comptoir A")
    return org


@pytest.fixture
def org_b(db):
    org = OrganisationFactory(name="Comptoir B")
    NetworkMembershipFactory(network=NetworkFactory(name="Réseau B"), organisation=org)
    SiteFactory(organisation=org, name="Local du comptoir B")
    return org


def _member(org, role: str, email: str):
    user = UserFactory(email=email, password=PASSWORD)
    MembershipFactory(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def admin_a(org_a):
    return _member(org_a, Role.ORG_ADMIN, "admin-a@example.org")


@pytest.fixture
def volunteer_a(org_a):
    return _member(org_a, Role.VOLUNTEER, "benevole-a@example.org")


@pytest.fixture
def admin_b(org_b):
    return _member(org_b, Role.ORG_ADMIN, "admin-b@example.org")


@pytest.fixture
def client_a(client, admin_a):
    client.force_login(admin_a)
    return client


@pytest.fixture
def client_b(client, admin_b):
    client.force_login(admin_b)
    return client


def pytest_sessionstart(session):
    """Tests read the French interface: compile the committed .po files first (pure Python)."""
    from django.core.management import call_command

    call_command("compile_translations", verbosity=0)
