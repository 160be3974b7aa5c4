"""A site with one future shift and a few volunteers, in org_a (org_b is the stranger)."""

from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.utils import timezone

from cordee.core.models import Organisation, Role, Site, User
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.people.models import Shift, Volunteer, VolunteerMembership


def make_volunteer(org: Organisation, name: str, **kwargs) -> Volunteer:
    kwargs.setdefault("email", f"{name.lower().replace(' ', '.')}@example.org")
    kwargs.setdefault("channel", Volunteer.Channel.EMAIL)
    volunteer = Volunteer.objects.create(full_name=name, **kwargs)
    VolunteerMembership.objects.create(volunteer=volunteer, organisation=org)
    return volunteer


def make_shift(org: Organisation, *, days: int = 5, needed: int = 2, **kwargs) -> Shift:
    site: Site = org.sites.first()
    kwargs.setdefault("title", "Ouverture du comptoir")
    return Shift.objects.create(
        organisation=org,
        site=site,
        date=timezone.localdate() + timedelta(days=days),
        starts_at=time(9),
        ends_at=time(12),
        needed=needed,
        **kwargs,
    )


@dataclass
class People:
    coordinator: User
    shift: Shift
    volunteers: list[Volunteer]


@pytest.fixture
def people(org_a, admin_a) -> People:
    coordinator = UserFactory(email="coord-a@example.org")
    MembershipFactory(user=coordinator, organisation=org_a, role=Role.COORDINATOR)
    shift = make_shift(org_a)
    volunteers = [make_volunteer(org_a, f"Bénévole {i}") for i in range(4)]
    return People(coordinator, shift, volunteers)
