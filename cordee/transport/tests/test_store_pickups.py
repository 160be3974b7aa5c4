"""Store pickups on tours come from the recovery schedule; the driver records them on the
recovery screen and comes back to the tour."""

from datetime import time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import Organisation, Role, Site
from cordee.core.tests.factories import MembershipFactory, OrganisationFactory, SiteFactory
from cordee.logistics.models import (
    Category,
    Lot,
    PartnerStore,
    Pickup,
    PickupSlot,
    PickupStatus,
    Reception,
    StorageClass,
)
from cordee.transport.models import TourStop
from cordee.transport.services.store_pickups import pickup_load_estimate
from cordee.transport.services.tours import tour_create, tour_stop_add, tour_stops_add

from .world import build_hub_world

pytestmark = pytest.mark.django_db


def _partner(world, name="Marché Tremblant", typical_g=60_000) -> PartnerStore:
    store = OrganisationFactory(name=name, kind=Organisation.Kind.STORE)
    site = SiteFactory(
        organisation=store,
        name=f"{name} — magasin",
        kind=Site.Kind.STORE,
        municipality=world.counters[0].municipality,
        address="10, rue du Marché",
    )
    return PartnerStore.objects.create(
        hub=world.hub, store=store, site=site, destination=world.warehouse, typical_g=typical_g
    )


def _tour(world, day):
    return tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=day,
        vehicle=world.vehicle,
        driver=world.driver,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )


@pytest.fixture
def day():
    return timezone.localdate() + timedelta(days=7)


@pytest.fixture
def store_world(day):
    world = build_hub_world(day)
    partner = _partner(world)
    PickupSlot.objects.create(
        store=partner, weekday=day.weekday(), starts_at=time(10), ends_at=time(11, 30)
    )
    return world, partner


def test_tour_gets_the_days_store_pickups_from_the_schedule(store_world, day):
    world, partner = store_world
    assert not Pickup.objects.exists()
    tour = _tour(world, day)
    added = tour_stops_add(actor=world.planner, tour=tour)
    assert added == 4  # 2 deliveries, the mobile counter, the store
    pickup = Pickup.objects.get()  # written from the slot by the recovery service
    assert pickup.scheduled_on == day and pickup.status == PickupStatus.PLANNED
    stop = tour.stops.get(kind=TourStop.Kind.STORE_PICKUP)
    assert stop.pickup == pickup and stop.site == partner.site
    assert (stop.window_start, stop.window_end) == (time(10), time(11, 30))
    # No history: the typical weight counts as refrigerated.
    assert stop.pickup_load == (0, 60_000, 0)
    # Again: nothing twice, and another tour of the day does not take it either.
    assert tour_stops_add(actor=world.planner, tour=tour) == 0
    other = _tour(world, day)
    tour_stops_add(actor=world.planner, tour=other)
    assert not other.stops.filter(kind=TourStop.Kind.STORE_PICKUP).exists()
    assert Pickup.objects.count() == 1


def test_recorded_or_inactive_store_is_not_added(store_world, day):
    world, partner = store_world
    PartnerStore.objects.filter(pk=partner.pk).update(is_active=False)
    tour = _tour(world, day)
    tour_stops_add(actor=world.planner, tour=tour)
    assert not tour.stops.filter(kind=TourStop.Kind.STORE_PICKUP).exists()


def test_load_estimate_follows_past_receptions(store_world):
    world, partner = store_world
    reception = Reception.objects.create(
        organisation=world.hub,
        site=world.warehouse,
        source=Reception.Source.RECOVERY,
        received_on=timezone.localdate() - timedelta(days=7),
    )
    Pickup.objects.create(
        organisation=world.hub,
        store=partner,
        scheduled_on=reception.received_on,
        status=PickupStatus.DONE,
        reception=reception,
    )
    categories = {c.storage_class: c for c in Category.objects.filter(network=world.network)}
    for storage, grams in ((StorageClass.DRY, 10_000), (StorageClass.CHILLED, 20_000)):
        Lot.objects.create(
            organisation=world.hub,
            reception=reception,
            category=categories[storage],
            storage_class=storage,
            received_g=grams,
        )
    assert pickup_load_estimate(partner) == (20_000, 40_000, 0)
    partner.typical_g = 0
    assert pickup_load_estimate(partner) == (0, 0, 0)


def test_store_without_address_is_said_plainly(store_world, day):
    world, partner = store_world
    site = partner.site
    partner.site = None
    partner.save()
    tour = _tour(world, day)
    # Without its own address, the store organisation's site is used.
    tour_stops_add(actor=world.planner, tour=tour)
    assert tour.stops.get(kind=TourStop.Kind.STORE_PICKUP).site == site
    tour.stops.all().delete()
    Site.objects.filter(pk=site.pk).update(is_active=False)
    with pytest.raises(ValidationError) as err:
        tour_stops_add(actor=world.planner, tour=tour)
    assert "adresse" in str(err.value)
    assert not tour.stops.exists()  # nothing half-written


def test_hand_added_store_links_the_planned_pickup_or_an_extra_one(store_world, day):
    world, partner = store_world
    tour = _tour(world, day)
    stop = tour_stop_add(actor=world.planner, tour=tour, kind="store_pickup", partner=partner)
    assert stop.kind == TourStop.Kind.STORE_PICKUP and stop.site == partner.site
    assert stop.pickup is None or stop.pickup.store == partner
    assert stop.pickup is not None and stop.pickup.slot is None  # no schedule written yet
    assert stop.pickup_load == (0, 60_000, 0)
    # Another store, planned that day by the recovery schedule: that pickup is linked.
    second = _partner(world, name="Épicerie Boréale")
    planned = Pickup.objects.create(
        organisation=world.hub,
        store=second,
        scheduled_on=day,
        starts_at=time(14),
        ends_at=time(15),
    )
    stop2 = tour_stop_add(
        actor=world.planner,
        tour=tour,
        kind="store_pickup",
        partner=second,
        pickup_g=(1000, 2000, 0),
    )
    assert stop2.pickup == planned and stop2.window_start == time(14)
    assert stop2.pickup_load == (1000, 2000, 0)


def test_hand_added_store_of_another_hub_is_refused(store_world, day, org_b):
    world, _partner_store = store_world
    foreign = PartnerStore.objects.create(
        hub=org_b,
        store=OrganisationFactory(kind=Organisation.Kind.STORE),
        destination=SiteFactory(organisation=org_b),
    )
    tour = _tour(world, day)
    with pytest.raises(ValidationError) as err:
        tour_stop_add(actor=world.planner, tour=tour, kind="store_pickup", partner=foreign)
    assert "magasins partenaires" in str(err.value)
    assert not Pickup.objects.filter(store=foreign).exists()


def test_tour_page_offers_partner_stores_and_adds_one(client, store_world, day):
    world, partner = store_world
    tour = _tour(world, day)
    client.force_login(world.planner)
    page = client.get(reverse("transport:tour_detail", args=[tour.pk])).content.decode()
    assert f'value="store:{partner.pk}"' in page and partner.store.name in page
    url = reverse("transport:tour_pickup_add", args=[tour.pk])
    assert client.post(url, {"place": "store:999999"}).status_code == 400
    assert client.post(url, {"place": f"store:{partner.pk}"}).status_code == 302
    assert tour.stops.get(kind=TourStop.Kind.STORE_PICKUP).pickup.store == partner


# --- the driver's phone ------------------------------------------------------------------


@pytest.fixture
def today_tour():
    today = timezone.localdate()
    world = build_hub_world(today)
    partner = _partner(world)
    PickupSlot.objects.create(
        store=partner, weekday=today.weekday(), starts_at=time(10), ends_at=time(11)
    )
    tour = _tour(world, today)
    tour_stops_add(actor=world.planner, tour=tour)
    return world, partner, tour


def _record_link(html: str, stop: TourStop) -> str:
    start = html.index(f'id="arret-{stop.pk}"')
    chunk = html[start : html.index("</li>", start)]
    marker = reverse("logistics:recovery_pickup", args=[stop.pickup_id])
    href_start = chunk.index(f'href="{marker}')
    return chunk[href_start + 6 : chunk.index('"', href_start + 6)].replace("&amp;", "&")


def test_driver_records_the_store_pickup_and_comes_back(client, today_tour):
    world, _partner_store, tour = today_tour
    stop = tour.stops.get(kind=TourStop.Kind.STORE_PICKUP)
    client.force_login(world.driver)
    html = client.get(reverse("transport:driver")).content.decode()
    link = _record_link(html, stop)
    back = reverse("transport:driver") + f"#arret-{stop.pk}"
    assert parse_qs(urlsplit(link).query)["next"] == [back]
    screen = client.get(link).content.decode()
    assert f'name="next" value="{back}"' in screen
    dry = Category.objects.filter(network=world.network, storage_class="dry", is_food=True)
    category = dry.exclude(uses_expiry_date=True).first()
    response = client.post(
        reverse("logistics:recovery_pickup", args=[stop.pickup_id]),
        {f"kg_{category.pk}": "12,5", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    stop.pickup.refresh_from_db()
    assert stop.pickup.status == PickupStatus.DONE
    assert stop.pickup.reception.lots.get().received_g == 12_500
    html = client.get(reverse("transport:driver")).content.decode()
    assert "Pickup recorded." in html or "Collecte enregistrée." in html


def test_nothing_today_comes_back_too_and_outside_next_is_ignored(client, today_tour):
    world, _partner_store, tour = today_tour
    stop = tour.stops.get(kind=TourStop.Kind.STORE_PICKUP)
    client.force_login(world.driver)
    nothing = reverse("logistics:recovery_pickup_nothing", args=[stop.pickup_id])
    response = client.post(nothing, {"reason": "closed", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("logistics:recovery_today")
    stop.pickup.refresh_from_db()
    assert stop.pickup.status == PickupStatus.NOTHING_TODAY
    # A recovery screen opened with an outside `next` does not carry it.
    page = client.get(
        reverse("logistics:recovery_pickup", args=[stop.pickup_id]) + "?next=//evil.example/"
    ).content.decode()
    assert 'name="next" value="//evil' not in page
    assert f'href="{reverse("logistics:recovery_today")}"' in page


def test_food_bank_stop_opens_the_reception_form_filled(client, today_tour):
    world, _partner_store, tour = today_tour
    from cordee.core.tests.factories import NetworkMembershipFactory

    bank = OrganisationFactory(kind=Organisation.Kind.FOOD_BANK, name="Moisson Sud")
    NetworkMembershipFactory(network=world.network, organisation=bank)
    site = SiteFactory(organisation=bank, kind=Site.Kind.WAREHOUSE, name="Entrepôt Moisson")
    stop = tour_stop_add(actor=world.planner, tour=tour, kind="food_bank_pickup", site=site)
    client.force_login(world.driver)
    html = client.get(reverse("transport:driver")).content.decode()
    start = html.index(f'id="arret-{stop.pk}"')
    chunk = html[start : html.index("</li>", start)]
    marker = reverse("logistics:reception_create") + "?"
    href = chunk[chunk.index(marker) : chunk.index('"', chunk.index(marker))].replace("&amp;", "&")
    query = parse_qs(urlsplit(href).query)
    assert query["source"] == ["food_bank"] and query["supplier"] == [str(bank.pk)]
    form = client.get(href).content.decode()
    assert f'<option value="{bank.pk}" selected>' in form
    assert '<option value="food_bank" selected>' in form


def test_recovery_pickup_of_another_org_is_404_from_a_driver_link(client, today_tour, org_b):
    _world, _partner_store, tour = today_tour
    stop = tour.stops.get(kind=TourStop.Kind.STORE_PICKUP)
    outsider = MembershipFactory(organisation=org_b, role=Role.DRIVER).user
    client.force_login(outsider)
    url = reverse("logistics:recovery_pickup", args=[stop.pickup_id])
    assert client.get(url + "?next=/transport/chauffeur/").status_code == 404
    assert client.get(reverse("transport:driver")).content.decode().count("arret-") == 0
