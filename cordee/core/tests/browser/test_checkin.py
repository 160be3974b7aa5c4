"""Household check-in on a counter's tablet (1024×768): a volunteer finds « Côté » typing
« cote », records the visit, undoes it, registers a new household; then the same with the
keyboard only, and the search without JavaScript. axe and the size checks on each screen."""

from urllib.parse import unquote_plus

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import PASSWORD
from cordee.core.models import Municipality, Role
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.households.models import Household, Visit
from cordee.households.services.households import household_register

from .helpers import build_world, sign_in
from .test_accessibility import AXE_OPTIONS, BLOCKING, MIN_TARGET_PX, SIZES_JS, TARGETS, _report

pytestmark = pytest.mark.browser

VOLUNTEER_EMAIL = "denise.gagnon@example.org"
CHECKIN_TARGETS = f"{TARGETS}, main .checkin-go, main .checkin-name"


def _checkin_world() -> Household:
    world = build_world()
    volunteer = UserFactory(email=VOLUNTEER_EMAIL, full_name="Denise Gagnon", password=PASSWORD)
    MembershipFactory(user=volunteer, organisation=world.org_a, role=Role.VOLUNTEER)
    town = Municipality.objects.get(name="Val-David")
    for first, last in (("Marie", "Côté"), ("Marc", "Côté-Lavoie"), ("Gilles", "Tremblay")):
        household_register(
            actor=world.user,
            organisation=world.org_a,
            first_name=first,
            last_name=last,
            phone="819 555-0199",
            municipality=town,
            people_count=3,
        )
    # Another organisation's household of the same name must never show up.
    household_register(
        actor=world.user, organisation=world.org_b, first_name="Marie", last_name="Côté"
    )
    return Household.objects.get(organisation=world.org_a, first_name="Marie")


def _check(visit, name: str) -> list[str]:
    results = Axe().run(visit.page, options=AXE_OPTIONS)
    problems = [
        line
        for line, v in zip(_report(name, results), results.response["violations"], strict=True)
        if v["impact"] in BLOCKING
    ]
    sizes = visit.page.evaluate(SIZES_JS, CHECKIN_TARGETS)
    problems += [f"[{name}] text in {t['px']:.1f}px: {t['el']}" for t in sizes["small_text"]]
    problems += [
        f"[{name}] {t['h']:.0f}px tall: {t['el']}"
        for t in sizes["targets"]
        if t["h"] < MIN_TARGET_PX - 0.5
    ]
    if visit.page.evaluate("document.documentElement.scrollWidth") > 1024:
        problems.append(f"[{name}] wider than the tablet")
    return problems


def test_volunteer_checks_in_undoes_and_registers_on_a_tablet(visit_factory):
    marie = _checkin_world()
    visit = visit_factory("tablet")
    page = visit.page
    sign_in(visit, VOLUNTEER_EMAIL)
    page.get_by_role("link", name="Accueil des ménages").click()
    page.wait_for_url(visit.url("/menages/"))
    problems = _check(visit, "checkin-empty")

    # Live results (htmx) while typing, without the accent.
    page.get_by_label("Nom, téléphone ou numéro de carte").type("marie cote", delay=30)
    page.locator(".checkin-result").first.wait_for()
    page.wait_for_function("document.querySelectorAll('.checkin-result').length === 1")
    assert "Marie Côté" in page.locator(".checkin-result").inner_text()
    assert unquote_plus(page.url).endswith("/menages/?q=marie cote")  # back/reload work
    problems += _check(visit, "checkin-results")
    visit.screenshot("1-results")

    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la visite — Marie Côté").click()
    banner = page.locator(".checkin-done")
    assert "Visite enregistrée : Marie Côté — Panier régulier" in banner.inner_text()
    visit_row = Visit.objects.get(household=marie)
    assert visit_row.visit_type == "basket" and visit_row.people_served == 3
    problems += _check(visit, "checkin-done")
    visit.screenshot("2-recorded")

    with page.expect_navigation():
        banner.get_by_role("button", name="Annuler").click()
    assert "Visite annulée pour Marie Côté." in page.locator(".messages").inner_text()
    visit_row.refresh_from_db()
    assert visit_row.cancelled_at is not None
    visit.screenshot("3-undone")

    with page.expect_navigation():
        page.get_by_role("link", name="Nouveau ménage").click()
    problems += _check(visit, "new-household")
    page.get_by_label("Prénom").fill("Réjeanne")
    page.fill("#id_last_name", "Lévesque-Beauchamp")
    page.get_by_label("Téléphone").fill("(819) 555-0144")
    page.get_by_label("Municipalité").select_option(label="Sainte-Agathe-des-Monts")
    page.get_by_label("Nombre de personnes dans le ménage").fill("2")
    visit.screenshot("4-new-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Inscrire le ménage").click()
    created = Household.objects.get(last_name="Lévesque-Beauchamp")
    assert created.card_number == 4 and created.phone_digits == "8195550144"
    assert f"carte numéro {created.card_number}" in page.locator(".messages").inner_text()
    assert "Réjeanne Lévesque-Beauchamp" in page.locator(".checkin-result").inner_text()
    visit.screenshot("5-registered")
    assert visit.errors == []
    assert problems == [], "\n".join(problems)


def test_keyboard_only_check_in(visit_factory):
    marie = _checkin_world()
    visit = visit_factory("tablet")
    page = visit.page
    sign_in(visit, VOLUNTEER_EMAIL)
    visit.goto("/menages/")
    # The search box has the focus on arrival: type, then Tab through to the big button.
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("cote marie", delay=20)
    page.keyboard.press("Enter")  # submits the search form (works with or without htmx)
    page.wait_for_url("**/menages/?q=cote+marie")
    page.locator(".checkin-result").first.wait_for()
    page.focus("#q")
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.textContent")
        if focused.startswith("type-"):
            break
    page.keyboard.press("ArrowDown")  # Basket → Emergency help, in the focused select
    page.keyboard.press("Tab")
    assert "Enregistrer la visite" in page.evaluate("document.activeElement.textContent")
    visit.screenshot("keyboard-focus")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    recorded = Visit.objects.get(household=marie)
    assert recorded.visit_type == "emergency"
    page.keyboard.press("Tab")  # skip link first, then through the header to « Annuler »
    for _ in range(20):
        if page.evaluate("document.activeElement.classList.contains('checkin-undo')"):
            break
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    recorded.refresh_from_db()
    assert recorded.cancelled_at is not None
    visit.screenshot("keyboard-undone")
    assert visit.errors == []


def test_search_and_record_without_javascript(visit_factory):
    marie = _checkin_world()
    visit = visit_factory("tablet", javascript=False)
    page = visit.page
    sign_in(visit, VOLUNTEER_EMAIL)
    visit.goto("/menages/")
    page.fill("#q", "Tremblai")  # a typo
    with page.expect_navigation():
        page.get_by_role("button", name="Chercher").click()
    assert page.locator(".checkin-result").count() == 1
    assert "Gilles Tremblay" in page.locator(".checkin-result").inner_text()
    page.fill("#q", "819.555.0199")
    with page.expect_navigation():
        page.get_by_role("button", name="Chercher").click()
    assert page.locator(".checkin-result").count() == 3  # same phone: all three, none of org_b
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la visite — Marie Côté").click()
    assert Visit.objects.filter(household=marie).count() == 1
    visit.screenshot("nojs-recorded")
    # The household's page (no restricted fields for a volunteer) and its printable card.
    visit.goto(f"/menages/{marie.pk}/")
    assert "Panier régulier" in page.locator("table").inner_text()
    assert page.locator(".sensitive").count() == 0
    visit.screenshot("nojs-detail")
    visit.goto(f"/menages/{marie.pk}/carte/")
    assert page.locator(".household-card svg").count() == 1
    assert "Carte n° 1" in page.locator(".household-card").inner_text()
    visit.screenshot("nojs-card")
