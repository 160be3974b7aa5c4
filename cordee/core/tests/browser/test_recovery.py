"""Supermarket recovery on the driver's phone: today's pickups, weights and temperatures,
and « Rien aujourd'hui » (without JavaScript), with axe and the size checks."""

from datetime import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from conftest import PASSWORD
from cordee.core.models import Organisation, Role
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)
from cordee.logistics.models import Lot, NothingReason, Pickup, PickupStatus
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.recovery import partner_store_create, pickup_slot_add

from .helpers import build_world, sign_in
from .test_accessibility import AXE_OPTIONS, BLOCKING, MIN_TARGET_PX, SIZES_JS, TARGETS, _report

pytestmark = pytest.mark.browser

DRIVER_EMAIL = "rejean.paquette@example.org"
COORDINATOR_EMAIL = "coordination@example.org"
PICKUP_TARGETS = f"{TARGETS}, main .pickup-open, main .choice label"


def _recovery_world() -> dict:
    world = build_world()
    catalogue_seed_defaults(network=world.network)
    hub = OrganisationFactory(
        name="Carrefour alimentaire des Laurentides", kind=Organisation.Kind.HUB
    )
    NetworkMembershipFactory(network=world.network, organisation=hub)
    warehouse = SiteFactory(organisation=hub, name="Entrepôt du carrefour", kind="warehouse")
    coordinator = UserFactory(email=COORDINATOR_EMAIL, full_name="Coordination", password=PASSWORD)
    MembershipFactory(user=coordinator, organisation=hub, role=Role.COORDINATOR)
    driver = UserFactory(email=DRIVER_EMAIL, full_name="Réjean Paquette", password=PASSWORD)
    MembershipFactory(user=driver, organisation=hub, role=Role.DRIVER)
    pickups = []
    for name, town_address, hour in (
        ("Épicerie du Village Val-David (fictif)", "2480, rue de l'Église", 9),
        ("Supermarché Le Boisé de Mont-Tremblant (fictif)", "530, rue de Saint-Jovite", 13),
    ):
        store = OrganisationFactory(
            name=name, kind=Organisation.Kind.STORE, contact_phone="819-555-0132"
        )
        NetworkMembershipFactory(network=world.network, organisation=store)
        site = SiteFactory(organisation=store, name=name, kind="store", address=town_address)
        partner = partner_store_create(
            actor=coordinator,
            hub=hub,
            store=store,
            destination=warehouse,
            site=site,
            contact_name="Julie Côté",
            notes="Porte de réception à l'arrière; sonner deux fois.",
        )
        slot = pickup_slot_add(
            actor=coordinator,
            partner=partner,
            weekday=timezone.localdate().weekday(),
            starts_at=time(hour),
            ends_at=time(hour + 1),
        )
        pickups.append(Pickup.objects.get(slot=slot, scheduled_on=timezone.localdate()))
    return {"pickups": pickups}


def _check_page(visit, name: str) -> list[str]:
    results = Axe().run(visit.page, options=AXE_OPTIONS)
    problems = [
        line
        for line, v in zip(_report(name, results), results.response["violations"], strict=True)
        if v["impact"] in BLOCKING
    ]
    sizes = visit.page.evaluate(SIZES_JS, PICKUP_TARGETS)
    problems += [f"[{name}] text in {t['px']:.1f}px: {t['el']}" for t in sizes["small_text"]]
    problems += [
        f"[{name}] {t['h']:.0f}px tall: {t['el']}"
        for t in sizes["targets"]
        if t["h"] < MIN_TARGET_PX - 0.5
    ]
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    if width > 390:
        problems.append(f"[{name}] page is {width}px wide on a 390px phone")
    return problems


def test_driver_records_weights_and_temperature_on_a_phone(visit_factory):
    world = _recovery_world()
    first = world["pickups"][0]
    visit = visit_factory("phone")
    page = visit.page
    sign_in(visit, DRIVER_EMAIL)
    visit.goto("/logistique/recuperation/aujourdhui/")
    assert page.locator(".pickup-card").count() == 2
    problems = _check_page(visit, "today")
    visit.screenshot("today")

    with page.expect_navigation():
        page.locator(f"a[href='/logistique/recuperation/collecte/{first.pk}/']").click()
    assert "Val-David" in page.locator("h1").inner_text()
    page.get_by_label("Boulangerie (kg)").fill("12,5")
    page.get_by_label("Produits laitiers (kg)").fill("8")
    page.get_by_label("Température — Produits laitiers (°C)").fill("9")  # too warm
    visit.screenshot("pickup-form")
    with page.expect_navigation():
        page.locator("main form.pickup-form button[type=submit]").click()
    # Too warm: said in plain words, with the choice next to the box; nothing written yet.
    assert page.locator(".too-warm-box").count() == 1
    assert "Trop chaud" in page.locator(".too-warm-box").inner_text()
    assert page.input_value("input[name$='kg_" + str(_dairy_pk()) + "']") == "8"
    assert Lot.objects.count() == 0
    problems += _check_page(visit, "pickup-too-warm")
    visit.screenshot("pickup-too-warm")
    page.get_by_label("Mis de côté (quarantaine)").check()
    page.locator(".too-warm-box input[type=text]").fill("Vérifier l'heure de sortie du froid")
    with page.expect_navigation():
        page.locator("main form.pickup-form button[type=submit]").click()

    assert page.url == visit.url("/logistique/recuperation/aujourdhui/")
    assert "20,5\xa0kg" in page.locator(".message.success").inner_text()
    first.refresh_from_db()
    assert first.status == PickupStatus.DONE
    lots = {lot.category.name: lot for lot in first.reception.lots.select_related("category")}
    assert lots["Boulangerie"].received_g == 12_500
    assert lots["Produits laitiers"].decision == Lot.Decision.QUARANTINED
    visit.screenshot("today-after")
    visit.goto("/logistique/recuperation/")
    assert "20,5\xa0kg" in page.locator(".recovery-months tfoot").inner_text()
    problems += _check_page(visit, "overview")
    visit.screenshot("overview")
    assert visit.errors == []
    assert problems == [], "\n".join(problems)


def _dairy_pk() -> int:
    from cordee.logistics.models import Category

    return Category.objects.get(name="Produits laitiers").pk


def test_nothing_today_without_javascript(visit_factory):
    world = _recovery_world()
    second = world["pickups"][1]
    visit = visit_factory("phone", javascript=False)
    page = visit.page
    sign_in(visit, DRIVER_EMAIL)
    visit.goto(f"/logistique/recuperation/collecte/{second.pk}/")
    with page.expect_navigation():
        page.locator("form.nothing-form button[type=submit]").click()  # no reason yet
    assert "Choisissez pourquoi" in page.locator("form.nothing-form").inner_text()
    visit.screenshot("nothing-error")
    page.get_by_label("Pas prêt à notre arrivée").check()
    with page.expect_navigation():
        page.locator("form.nothing-form button[type=submit]").click()
    assert "rien aujourd'hui" in page.locator(".message.success").inner_text()
    second.refresh_from_db()
    assert second.status == PickupStatus.NOTHING_TODAY
    assert second.reason == NothingReason.NOT_READY
    visit.screenshot("nothing-done")


def test_coordinator_week_stores_and_schedule_on_a_tablet(visit_factory):
    _recovery_world()
    visit = visit_factory("tablet")
    page = visit.page
    sign_in(visit, COORDINATOR_EMAIL)
    visit.goto("/logistique/")
    with page.expect_navigation():
        page.locator("main a[href='/logistique/recuperation/']").click()
    assert page.locator("table.week tbody tr").count() >= 5
    visit.screenshot("overview")
    with page.expect_navigation():
        page.locator("main a[href='/logistique/recuperation/magasins/']").first.click()
    assert page.locator("main tbody tr").count() == 2
    visit.screenshot("stores")
    with page.expect_navigation():
        page.locator("main tbody tr a").first.click()
    page.select_option("#id_weekday", "2")
    page.fill("#id_starts_at", "15:00")
    page.fill("#id_ends_at", "14:00")
    with page.expect_navigation():
        page.locator("main form.card button[type=submit]").click()
    assert "La fin doit venir après le début" in page.locator("main").inner_text()
    page.fill("#id_ends_at", "16:00")
    with page.expect_navigation():
        page.locator("main form.card button[type=submit]").click()
    assert page.locator(".slot-list li").count() == 2
    visit.screenshot("store")
    assert visit.errors == []
