"""Training on a phone and a tablet: a person not at ease with a tablet gets a short path,
signs up to a session and marks a module done; a tip is hidden without JavaScript; the
coordinator's month calendar prints without the menus."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD
from cordee.core.models import Role
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.people.models import Shift, TrainingModule, TrainingSession
from cordee.people.services.training import training_library_seed

from .helpers import build_world, sign_in

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_volunteer_follows_a_short_path(visit):
    world = build_world()
    training_library_seed()  # a transactional test starts with empty tables
    user = UserFactory(email="gisele@example.org", full_name="Gisèle Paquette", password=PASSWORD)
    MembershipFactory(user=user, organisation=world.org_a, role=Role.VOLUNTEER)
    TrainingSession.objects.create(
        organisation=world.org_a,
        module=TrainingModule.objects.get(key="tablette-premiers-pas"),
        starts_at=timezone.now() + timedelta(days=4),
        place="Salle paroissiale de Sainte-Agathe",
        seats=6,
    )
    sign_in(visit, user.email)
    page = visit.page
    visit.goto("/benevoles/formation/")
    assert page.locator("h1").inner_text() == "Ma formation"
    with page.expect_navigation():
        page.get_by_role("button", name="Pas du tout").click()
    titles = page.locator(".training-path h2").all_inner_texts()
    assert titles[0] == "Premiers pas avec la tablette"
    assert "Utiliser la tablette à l'accueil" not in titles and len(titles) <= 4
    signup = page.get_by_role("button", name="M'inscrire à cette séance")
    assert signup.bounding_box()["height"] >= 44
    with page.expect_navigation():
        signup.click()
    assert "Vous êtes inscrit ou inscrite" in page.locator("main").inner_text()
    visit.screenshot("path")
    assert page.evaluate(NO_OVERFLOW)
    with page.expect_navigation():
        page.get_by_role("button", name="C'est fait").first.click()
    assert "Fait le" in page.locator(".training-path").inner_text()


def test_tip_is_hidden_without_javascript(visit_factory):
    world = build_world()
    user = UserFactory(email="gisele@example.org", password=PASSWORD)
    MembershipFactory(user=user, organisation=world.org_a, role=Role.VOLUNTEER)
    visit = visit_factory("phone", javascript=False)
    sign_in(visit, user.email)
    visit.goto("/benevoles/mes-quarts/")
    page = visit.page
    assert page.locator(".training-tip").is_visible()
    visit.screenshot("tip")
    with page.expect_navigation():
        page.get_by_role("button", name="Compris, cacher cette astuce").click()
    assert page.url.endswith("/benevoles/mes-quarts/")
    assert page.locator(".training-tip").count() == 0


def test_month_calendar_prints(visit):
    world = build_world()
    coordinator = UserFactory(email="coord@example.org", password=PASSWORD)
    MembershipFactory(user=coordinator, organisation=world.org_a, role=Role.COORDINATOR)
    day = timezone.localdate().replace(day=12)
    Shift.objects.create(
        organisation=world.org_a,
        site=world.sites_a[0],
        title="Tri des dons et préparation des paniers",
        date=day,
        starts_at=time(9),
        ends_at=time(12),
        needed=4,
    )
    sign_in(visit, coordinator.email)
    visit.goto(f"/benevoles/mois/?mois={day:%Y-%m}")
    page = visit.page
    assert "Tri des dons" in page.locator("table.month").inner_text()
    assert page.evaluate(NO_OVERFLOW)
    visit.screenshot("screen")
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert not page.get_by_role("link", name="Mois suivant").is_visible()
    assert page.locator("table.month").is_visible()
    visit.screenshot("print")
