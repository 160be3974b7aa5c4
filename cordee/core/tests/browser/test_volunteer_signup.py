"""A volunteer on a phone signs up for a shift in one tap, gets the reminder the day before,
and cancels from its « Je ne peux pas venir » link without signing in."""

import re
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from conftest import PASSWORD
from cordee.core.models import Role
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.people.models import Shift, ShiftAlert, ShiftSignup, Volunteer, VolunteerMembership
from cordee.people.services.reminders import reminders_enqueue

from .helpers import build_world, sign_in

pytestmark = pytest.mark.browser


def test_volunteer_signs_up_and_cancels_from_reminder(visit_factory):
    world = build_world()
    org = world.org_a
    user = UserFactory(email="gisele@example.org", full_name="Gisèle Paquette", password=PASSWORD)
    MembershipFactory(user=user, organisation=org, role=Role.VOLUNTEER)
    volunteer = Volunteer.objects.create(
        full_name="Gisèle Paquette", email=user.email, channel="email", user=user
    )
    VolunteerMembership.objects.create(volunteer=volunteer, organisation=org)
    tomorrow = timezone.localdate() + timedelta(days=1)
    shift = Shift.objects.create(
        organisation=org,
        site=world.sites_a[0],
        title="Ouverture du comptoir",
        date=tomorrow,
        starts_at=time(13),
        ends_at=time(16),
        needed=2,
    )

    visit = visit_factory("phone")
    page = visit.page
    sign_in(visit, user.email)
    with page.expect_navigation():
        page.locator(".main-nav a", has_text="Mes quarts").click()
    assert page.locator("h1").inner_text() == "Mes quarts"
    visit.screenshot("1-open-shifts")
    button = page.get_by_role("button", name="Je viens")
    assert button.bounding_box()["height"] >= 44
    with page.expect_navigation():
        button.click()
    assert "Vous êtes inscrit. Merci!" in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="Je ne peux pas venir").is_visible()
    visit.screenshot("2-signed-up")
    signup = ShiftSignup.objects.get(volunteer=volunteer, shift=shift)
    assert signup.status == "confirmed"

    # The worker's day-before run (tasks run at once in tests), twice: one e-mail.
    assert reminders_enqueue() == 1
    assert reminders_enqueue() == 0
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/benevoles/annuler/\S+/", mail.outbox[0].body).group(0)

    # From the e-mail, in a fresh browser with no session.
    public = visit_factory("phone")
    public.goto(urlsplit(link).path)
    page = public.page
    assert page.locator("h1").inner_text() == "Vous ne pouvez pas venir?"
    assert "Ouverture du comptoir" in page.locator("main").inner_text()
    public.screenshot("3-cancel-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Oui, je ne peux pas venir").click()
    assert page.locator("h1").inner_text() == "Merci de nous avoir prévenus"
    public.screenshot("4-cancelled")
    signup.refresh_from_db()
    assert signup.status == "cancelled"
    # Less than 48 h before: the coordinator is told.
    assert ShiftAlert.objects.filter(signup=signup).exists()

    # The link works once.
    public.goto(urlsplit(link).path)
    assert page.locator("h1").inner_text() == "Ce lien ne fonctionne plus"

    # The coordinator, on a tablet, sees the late cancellation and the week.
    coordinator = visit_factory("tablet")
    sign_in(coordinator, world.user.email)
    page = coordinator.page
    with page.expect_navigation():
        page.locator(".main-nav a", has_text="Bénévoles").click()
    late = page.locator("section", has_text="Annulations de dernière minute").inner_text()
    assert "Gisèle Paquette" in late
    coordinator.screenshot("5-dashboard")
    with page.expect_navigation():
        page.get_by_role("link", name="Calendrier de la semaine").click()
    page.goto(coordinator.url(f"/benevoles/semaine/?semaine={tomorrow.isoformat()}"))
    assert "0 sur 2 personnes" in page.locator(".week").inner_text()
    coordinator.screenshot("6-week")
    assert not visit.errors and not public.errors and not coordinator.errors
