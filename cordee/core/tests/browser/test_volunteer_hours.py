"""A volunteer on a phone checks in and out at the site from « Mes heures » and reports hours
she forgot; the coordinator, on a tablet, sees them on the dashboard and approves them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD
from cordee.core.models import Role
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.people.models import HoursEntry, Volunteer, VolunteerMembership

from .helpers import build_world, sign_in

pytestmark = pytest.mark.browser


def test_volunteer_checks_in_and_out_and_coordinator_approves(visit_factory):
    world = build_world()
    org = world.org_a
    user = UserFactory(email="gisele@example.org", full_name="Gisèle Paquette", password=PASSWORD)
    MembershipFactory(user=user, organisation=org, role=Role.VOLUNTEER)
    volunteer = Volunteer.objects.create(
        full_name="Gisèle Paquette", email=user.email, channel="email", user=user
    )
    VolunteerMembership.objects.create(volunteer=volunteer, organisation=org)

    # The volunteer, on her phone: from « Mes quarts » to « Mes heures » in one tap.
    phone = visit_factory("phone")
    page = phone.page
    sign_in(phone, user.email)
    phone.goto("/benevoles/mes-quarts/")
    link = page.get_by_role("link", name="Mes heures", exact=True).last
    assert link.bounding_box()["height"] >= 44
    phone.screenshot("0-my-shifts")
    with page.expect_navigation():
        link.click()
    assert page.locator("h1").inner_text() == "Mes heures"
    arrive = page.get_by_role("button", name="J'arrive à Comptoir du centre-ville")
    assert arrive.bounding_box()["height"] >= 44
    with page.expect_navigation():
        arrive.click()
    assert "Comptoir du centre-ville" in page.locator("main").inner_text()
    phone.screenshot("1-checked-in")

    # Two hours and a quarter go by (moved back in the database rather than waited for).
    entry = HoursEntry.objects.get(volunteer=volunteer, ended_at__isnull=True)
    entry.started_at = timezone.now() - timedelta(hours=2, minutes=15, seconds=30)
    entry.save(update_fields=["started_at"])
    with page.expect_navigation():
        page.get_by_role("button", name="Je pars").click()
    rows = page.locator("table.stack tbody tr")
    assert "2 h 15" in rows.first.inner_text()
    entry.refresh_from_db()
    assert entry.minutes == 135 and entry.status == HoursEntry.Status.APPROVED

    # Hours she forgot to note wait for a coordinator.
    page.fill("input[name=hours]", "3")
    page.fill("input[name=note]", "Tri des denrées")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mes heures").click()
    assert "va approuver vos heures" in page.locator(".messages").inner_text()
    pending_row = page.locator("table.stack tbody tr", has_text="En attente d'approbation")
    assert pending_row.count() == 1 and "3 h 00" in pending_row.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    phone.screenshot("2-pending")
    reported = HoursEntry.objects.get(volunteer=volunteer, status=HoursEntry.Status.PENDING)

    # The coordinator, on a tablet: the dashboard's « Heures ce mois-ci » leads to approvals.
    tablet = visit_factory("tablet")
    page = tablet.page
    sign_in(tablet)
    tablet.goto("/benevoles/")
    block = page.locator("section", has=page.locator("h2", has_text="Heures ce mois-ci"))
    assert "2 h 15 approuvées, données par 1 personne." in block.inner_text()
    tablet.screenshot("3-dashboard")
    with page.expect_navigation():
        block.get_by_role("link", name="1 entrée à approuver").click()
    row = page.locator("tr", has_text="Gisèle Paquette")
    assert "3 h 00" in row.inner_text()
    tablet.screenshot("4-to-approve")
    with page.expect_navigation():
        row.get_by_role("button", name="Approuver").click()
    reported.refresh_from_db()
    assert reported.status == HoursEntry.Status.APPROVED
    tablet.goto("/benevoles/")
    block = page.locator("section", has=page.locator("h2", has_text="Heures ce mois-ci"))
    assert "5 h 15 approuvées" in block.inner_text()
    assert re.search(r"\b0 entrée à approuver", block.inner_text())
    tablet.screenshot("5-approved")
    assert not phone.errors and not tablet.errors
