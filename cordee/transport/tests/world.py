"""A small hub world for transport: a hub with a warehouse, a planner, a driver, a
refrigerated truck, two members with counters open on the tour's day, a day of deliveries
and a mobile counter stop."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from cordee.core.models import Municipality, OpeningHours, Organisation, Role, Site
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)
from cordee.logistics.models import Category, Delivery, DeliveryDay, DeliveryLine, Lot
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.transport.models import MobileCounterStop, Vehicle

# A Wednesday, so the counters' Wednesday hours apply.
TOUR_DAY = date(2026, 12, 2)


@dataclass
class HubWorld:
    hub: Organisation
    warehouse: Site
    planner: object
    driver: object
    vehicle: Vehicle
    counters: list[Site]
    deliveries: list[Delivery]
    mobile: MobileCounterStop
    network: object


def _town(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


def make_delivery(hub: Organisation, warehouse: Site, member_site: Site, day: date, grams: dict):
    """A dispatched delivery with one lot per storage class (grams: class → weight)."""
    network = hub.networks.get()
    categories = {c.storage_class: c for c in Category.objects.filter(network=network)}
    delivery_day, _ = DeliveryDay.objects.get_or_create(
        organisation=hub,
        site=warehouse,
        delivers_on=day,
        defaults={"status": DeliveryDay.Status.DISPATCHED},
    )
    delivery = Delivery.objects.create(
        delivery_day=delivery_day, organisation=member_site.organisation, site=member_site
    )
    for storage, weight in grams.items():
        lot = Lot.objects.create(
            organisation=hub,
            category=categories[storage],
            storage_class=storage,
            received_g=weight,
        )
        DeliveryLine.objects.create(delivery=delivery, lot=lot, shipped_g=weight)
    return delivery


def build_hub_world(day: date = TOUR_DAY, *, password: str | None = None) -> HubWorld:
    """The world, for a tour on `day` (the counters open and the mobile counter stops on
    that weekday). Also used by the browser test (with today's date)."""
    network = NetworkFactory(name="Réseau Nord")
    hub = OrganisationFactory(name="Carrefour", slug="carrefour-test", kind=Organisation.Kind.HUB)
    NetworkMembershipFactory(network=network, organisation=hub)
    catalogue_seed_defaults(network=network)
    warehouse = SiteFactory(
        organisation=hub,
        name="Entrepôt",
        kind=Site.Kind.WAREHOUSE,
        municipality=_town("Sainte-Agathe-des-Monts"),
    )
    extra = {"password": password} if password else {}
    planner = UserFactory(email="planif@example.org", full_name="Paule Planif", **extra)
    MembershipFactory(user=planner, organisation=hub, role=Role.COORDINATOR)
    driver = UserFactory(email="chauffeur@example.org", full_name="Réjean Chauffeur", **extra)
    MembershipFactory(user=driver, organisation=hub, role=Role.DRIVER)
    vehicle = Vehicle.objects.create(
        organisation=hub,
        name="Camion réfrigéré",
        dry_capacity_g=3_000_000,
        chilled_capacity_g=1_500_000,
        frozen_capacity_g=1_000_000,
        cost_per_km_cents=85,
        available_weekdays="01234" if day == TOUR_DAY else "0123456",
        cold_max_minutes=360,
    )
    counters = []
    deliveries = []
    for name, town, phone in (
        ("Comptoir de Labelle", "Labelle", "819-555-0111"),
        ("Comptoir de Val-David", "Val-David", ""),
    ):
        member = OrganisationFactory(name=f"Membre {town}", contact_phone="819-555-0199")
        NetworkMembershipFactory(network=network, organisation=member)
        site = SiteFactory(
            organisation=member,
            name=name,
            municipality=_town(town),
            address="1, rue Principale",
            phone=phone,
        )
        OpeningHours.objects.create(
            site=site, weekday=day.weekday(), opens_at=time(9), closes_at=time(15)
        )
        counters.append(site)
        deliveries.append(
            make_delivery(
                hub, warehouse, site, day, {"dry": 200_000, "chilled": 80_000, "frozen": 30_000}
            )
        )
    stop_site = SiteFactory(
        organisation=hub,
        name="Comptoir mobile — Arundel",
        kind=Site.Kind.MOBILE_STOP,
        municipality=_town("Arundel"),
        address="Stationnement de l'église",
    )
    mobile = MobileCounterStop.objects.create(
        organisation=hub,
        site=stop_site,
        weekday=day.weekday(),
        every_weeks=1,
        starts_at=time(13),
        ends_at=time(14, 30),
        first_date=day - timedelta(weeks=4),
        dry_g=100_000,
        chilled_g=40_000,
    )
    return HubWorld(hub, warehouse, planner, driver, vehicle, counters, deliveries, mobile, network)
