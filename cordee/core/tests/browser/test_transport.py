"""Transport in a real browser: the planner opens the week, plans and optimises today's
tour (with a store pickup from the recovery schedule), moves a stop, downloads the route
sheet; the driver, on a phone, marks « Arrivé » then « Terminé », and records the store
pickup on the recovery screen, coming back to the tour; anyone opens the mobile counter's
public page."""

from datetime import time

import pytest
from django.utils import timezone

from conftest import PASSWORD
from cordee.core.models import Organisation, Site
from cordee.core.tests.factories import OrganisationFactory, SiteFactory
from cordee.logistics.models import Category, PartnerStore, PickupSlot, PickupStatus
from cordee.transport.models import Tour, TourStop
from cordee.transport.tests.world import build_hub_world

from .helpers import sign_in

pytestmark = pytest.mark.browser


def test_planner_optimises_and_driver_drives(visit_factory):
    today = timezone.localdate()
    world = build_hub_world(today, password=PASSWORD)
    # A partner store of the supermarket recovery, picked up today between 10 and 11:30.
    store = OrganisationFactory(name="Marché Tremblant", kind=Organisation.Kind.STORE)
    partner = PartnerStore.objects.create(
        hub=world.hub,
        store=store,
        site=SiteFactory(
            organisation=store,
            name="Marché Tremblant",
            kind=Site.Kind.STORE,
            municipality=world.counters[0].municipality,
            address="10, rue du Marché",
        ),
        destination=world.warehouse,
        typical_g=60_000,
    )
    PickupSlot.objects.create(
        store=partner, weekday=today.weekday(), starts_at=time(10), ends_at=time(11, 30)
    )

    # The planner, on a tablet.
    visit = visit_factory("tablet")
    page = visit.page
    sign_in(visit, world.planner.email)
    with page.expect_navigation():
        page.locator(".main-nav a", has_text="Transport").click()
    assert page.locator("h1").inner_text().startswith("Tournées de la semaine du")
    page.fill("#id_date", today.isoformat())
    page.select_option("#id_driver", label=str(world.driver))
    page.fill("#id_starts_at", "08:00")
    page.fill("#id_ends_at", "17:00")
    visit.screenshot("1-week")
    with page.expect_navigation():
        page.get_by_role("button", name="Créer la tournée").click()
    assert "Tournée enregistrée avec 4 arrêts." in page.locator(".messages").inner_text()
    tour = Tour.objects.get()
    rows = page.locator("table.stops tbody tr")
    assert rows.count() == 4
    assert "Marché Tremblant" in page.locator("table.stops").inner_text()

    # Optimise: the background task runs (immediately in tests) and the page shows it.
    with page.expect_navigation():
        page.get_by_role("button", name="Optimiser").click()
    page.wait_for_selector("text=Ordre optimisé.")
    tour.refresh_from_db()
    assert tour.optimisation == Tour.Optimisation.DONE and tour.warnings == []
    assert "Tous les arrêts sont à l'heure" in page.locator("main").inner_text()
    visit.screenshot("2-optimised")

    # Move the first stop down: its name is now second, times recomputed at once.
    first = rows.nth(0).locator("strong").first.inner_text()
    with page.expect_navigation():
        rows.nth(0).get_by_role("button", name=f"Descendre {first}").click()
    rows = page.locator("table.stops tbody tr")
    assert rows.nth(1).locator("strong").first.inner_text() == first
    visit.screenshot("3-moved")

    # The route sheet: a real PDF, with the person's session.
    href = page.get_by_role("link", name="Feuille de route (PDF)").get_attribute("href")
    pdf = page.request.get(visit.url(href))
    if pdf.status == 503:
        pytest.skip("WeasyPrint's libraries are missing on this machine")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    assert not visit.errors

    # The driver, on a phone.
    phone = visit_factory("phone")
    sign_in(phone, world.driver.email)
    with phone.page.expect_navigation():
        phone.page.locator(".main-nav a", has_text="Transport").click()
    assert phone.page.locator("h1").inner_text() == "Mes arrêts aujourd'hui"
    stop = tour.stops.order_by("order").first()
    card = phone.page.locator(f"#arret-{stop.pk}")
    assert card.locator("a[href^='tel:']").count() == 1
    assert card.locator("a[href^='https://www.google.com/maps/search/']").count() == 1
    phone.screenshot("4-driver")
    with phone.page.expect_navigation():
        card.get_by_role("button", name="Arrivé").click()
    card = phone.page.locator(f"#arret-{stop.pk}")
    with phone.page.expect_navigation():
        card.get_by_role("button", name="Terminé").click()
    assert "Terminé à" in phone.page.locator(f"#arret-{stop.pk}").inner_text()
    phone.screenshot("5-driver-done")
    stop.refresh_from_db()
    tour.refresh_from_db()
    assert stop.arrived_at and stop.finished_at and tour.status == Tour.Status.IN_PROGRESS
    # The big button is really big on a phone.
    next_button = phone.page.locator(".driver-stop.is-current button.big-button")
    box = next_button.bounding_box()
    assert box["height"] >= 60 and box["width"] >= 300

    # The store pickup: the recovery screen (weights by kind of food), then back to the tour.
    store_stop = tour.stops.get(kind=TourStop.Kind.STORE_PICKUP)
    card = phone.page.locator(f"#arret-{store_stop.pk}")
    with phone.page.expect_navigation():
        card.get_by_role("link", name="Peser ce qui a été ramassé").click()
    assert phone.page.locator("h1").inner_text() == "Marché Tremblant"
    food = Category.objects.filter(network=world.network, storage_class="dry", is_food=True)
    phone.page.fill(f"#id_kg_{food.filter(uses_expiry_date=False).first().pk}", "12,5")
    phone.screenshot("6-store-pickup")
    with phone.page.expect_navigation():
        phone.page.get_by_role("button", name="Enregistrer la collecte").click()
    assert phone.page.locator("h1").inner_text() == "Mes arrêts aujourd'hui"
    assert "Marché Tremblant : 12,5" in phone.page.locator(".messages").inner_text()
    assert "Collecte enregistrée." in phone.page.locator(f"#arret-{store_stop.pk}").inner_text()
    store_stop.pickup.refresh_from_db()
    assert store_stop.pickup.status == PickupStatus.DONE
    phone.screenshot("7-store-pickup-done")
    assert not phone.errors


def test_public_mobile_counter_page(visit_factory):
    today = timezone.localdate()
    world = build_hub_world(today)
    world.mobile.starts_at, world.mobile.ends_at = time(10), time(11, 30)
    world.mobile.save()
    visit = visit_factory("phone", javascript=False)
    visit.goto(f"/comptoir-mobile/{world.hub.slug}/")
    page = visit.page
    assert page.locator("h1").inner_text() == "Comptoir alimentaire mobile"
    first = page.locator(".public-dates li").first.inner_text()
    assert "Entre 10 h 00 et 11 h 30" in first and "Comptoir mobile — Arundel" in first
    visit.screenshot("public")


def test_axe_on_transport_pages(visit):
    """No serious accessibility problem on the week, a tour, the driver's view and the
    public page, at tablet and phone sizes."""
    from axe_playwright_python.sync_playwright import Axe

    from cordee.transport.services.tours import tour_create, tour_stops_add

    from .test_accessibility import AXE_OPTIONS, BLOCKING, _report

    today = timezone.localdate()
    world = build_hub_world(today, password=PASSWORD)
    tour = tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=today,
        vehicle=world.vehicle,
        driver=world.driver,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )
    tour_stops_add(actor=world.planner, tour=tour)
    axe = Axe()
    found: list[str] = []
    blocking = 0
    sign_in(visit, world.planner.email)
    for name, path in (
        ("week", "/transport/semaine/"),
        ("tour", f"/transport/tournees/{tour.pk}/"),
        ("driver", "/transport/chauffeur/"),
        ("mobile", "/transport/comptoir-mobile/"),
        ("public", f"/comptoir-mobile/{world.hub.slug}/"),
    ):
        visit.goto(path)
        visit.screenshot(name)
        results = axe.run(visit.page, options=AXE_OPTIONS)
        found.extend(_report(name, results))
        blocking += sum(v["impact"] in BLOCKING for v in results.response["violations"])
    assert blocking == 0, "\n".join(found)
    assert not visit.errors


def test_planner_drags_a_stop_to_reorder(visit_factory):
    """Drag and drop on the tour page: the last stop without a fixed time dragged to the top;
    htmx swaps in the stops re-rendered, with the new order and the times recomputed."""
    from cordee.transport.services.tours import tour_create, tour_stops_add

    today = timezone.localdate()
    world = build_hub_world(today, password=PASSWORD)
    tour = tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=today,
        vehicle=world.vehicle,
        driver=world.driver,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )
    tour_stops_add(actor=world.planner, tour=tour)
    before = list(tour.stops.order_by("order").values_list("pk", flat=True))
    moved = tour.stops.filter(fixed_time=False).order_by("-order").first()
    assert moved.pk != before[0]

    visit = visit_factory("tablet")
    page = visit.page
    sign_in(visit, world.planner.email)
    visit.goto(f"/transport/tournees/{tour.pk}/")
    assert page.locator(".drag-hint").is_visible()
    row = page.locator(f"#arret-{moved.pk}")
    assert row.get_attribute("draggable") == "true"
    arrival_before = row.locator("td").nth(2).inner_text()
    visit.screenshot("1-before")

    row.drag_to(page.locator(f"#arret-{before[0]}"))
    page.wait_for_selector("text=Nouvel ordre enregistré.")
    rows = page.locator("table.stops tbody tr")
    assert rows.nth(0).get_attribute("id") == f"arret-{moved.pk}"
    assert rows.nth(0).locator("td").first.inner_text() == "1"
    arrival_after = rows.nth(0).locator("td").nth(2).inner_text()
    assert arrival_after != arrival_before, "the ETA is recomputed on the page"
    expected = [moved.pk] + [pk for pk in before if pk != moved.pk]
    assert list(tour.stops.order_by("order").values_list("pk", flat=True)) == expected
    moved.refresh_from_db()
    assert moved.order == 1 and moved.planned_arrival_s is not None
    # The rows are armed again after the swap: a second drag works too.
    assert rows.nth(1).get_attribute("draggable") == "true"
    visit.screenshot("2-dragged")
    assert not visit.errors
