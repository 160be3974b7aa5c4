"""Transport for the demo hub: its refrigerated truck, its driver, the mobile counter's
calendar (the hub's 4 mobile-counter stops), and this week's tours (Monday to Friday).

Each tour is built from the demo's own logistics: the deliveries sent that day (past days
of the week), the food-bank and store pickups received that day (their real weights by
storage class; a day still to come uses the same weekday of last week), the mobile
counter's stops, and, on a delivery day still to come, the members' standing orders.
Then it is optimised (synchronously: the demo has no worker running yet). Loads once:
a day that already has a tour of the truck is left alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cordee.core.demo.data import FOOD_BANK, HUB
from cordee.core.demo.load import DemoDataError
from cordee.core.models import Organisation, Site, User
from cordee.core.services.audit import audit_record
from cordee.logistics.models import (
    Delivery,
    Lot,
    Pickup,
    Reception,
    StandingOrderLine,
    StorageClass,
)

from .models import DriverProfile, MobileCounterStop, Tour, TourStop, Vehicle
from .services.tours import tour_create, tour_optimise_run, tour_stop_add, tour_stops_add

TRUCK = "Camion réfrigéré (5 t)"
DRIVER_EMAIL = "chauffeur.carrefour@cordee.example"
PLANNER_EMAIL = "reseau.carrefour@cordee.example"
# What the truck brings to one mobile-counter stop (about 15 households).
MOBILE_LOAD_G = (120_000, 50_000, 20_000)
DELIVERY_WEEKDAYS = (0, 2, 4)  # the logistics demo's routes: Monday, Wednesday, Friday
OPTIMISE_SECONDS = 1.0


@dataclass
class TransportDemoSummary:
    created: int
    tours: int
    stops: int
    warnings: int


def _grams_by_class(lots: object) -> tuple[int, int, int]:
    totals = dict(lots.values_list("storage_class").annotate(total=Sum("received_g")))  # type: ignore[attr-defined]
    return (
        int(totals.get(StorageClass.DRY, 0)),
        int(totals.get(StorageClass.CHILLED, 0)),
        int(totals.get(StorageClass.FROZEN, 0)),
    )


Load = tuple[int, int, int]


def _pickups(
    hub: Organisation, warehouse: Site, day: date
) -> list[tuple[str, Site, Load, Reception]]:
    """The pickups received at the warehouse that day: (kind, where, grams by class, reception)."""
    found: list[tuple[str, Site, Load, Reception]] = []
    receptions = Reception.objects.filter(
        organisation=hub,
        site=warehouse,
        received_on=day,
        source__in=[Reception.Source.FOOD_BANK, Reception.Source.RECOVERY],
    ).select_related("supplier")
    for reception in receptions:
        place = (
            Site.objects.filter(organisation=reception.supplier, is_active=True)
            .order_by("pk")
            .first()
            if reception.supplier
            else None
        )
        if place is None:
            continue
        kind = (
            TourStop.Kind.FOOD_BANK_PICKUP
            if reception.source == Reception.Source.FOOD_BANK
            else TourStop.Kind.STORE_PICKUP
        )
        found.append(
            (kind, place, _grams_by_class(Lot.objects.filter(reception=reception)), reception)
        )
    return found


def _standing_orders(hub: Organisation, day: date) -> dict[Site, list[int]]:
    """A delivery day still to come: the members served the same weekday last week (the
    route), with their standing orders (grams by class), which the logistics demo sets
    from the recent weeks' deliveries."""
    route = set(
        Delivery.objects.filter(
            delivery_day__organisation=hub, delivery_day__delivers_on=day - timedelta(days=7)
        ).values_list("site_id", flat=True)
    )
    loads: dict[Site, list[int]] = defaultdict(lambda: [0, 0, 0])
    index = {StorageClass.DRY: 0, StorageClass.CHILLED: 1, StorageClass.FROZEN: 2}
    lines = StandingOrderLine.objects.filter(hub=hub, site_id__in=route).select_related(
        "site", "site__municipality", "category"
    )
    for line in lines.order_by("site__name", "category_id"):
        loads[line.site][index[StorageClass(line.category.storage_class)]] += line.requested_g
    return loads


def _mobile_schedule(hub: Organisation, actor: User | None) -> int:
    created = 0
    for spec in HUB.sites:
        if spec.kind != Site.Kind.MOBILE_STOP:
            continue
        site = Site.objects.get(organisation=hub, name=spec.name)
        weekday, opens, closes = spec.hours[0]
        _stop, made = MobileCounterStop.objects.get_or_create(
            organisation=hub,
            site=site,
            weekday=weekday,
            defaults={
                "every_weeks": 1,
                "starts_at": time.fromisoformat(opens),
                "ends_at": time.fromisoformat(closes),
                "first_date": date(2025, 1, 6),
                "dry_g": MOBILE_LOAD_G[0],
                "chilled_g": MOBILE_LOAD_G[1],
                "frozen_g": MOBILE_LOAD_G[2],
            },
        )
        created += made
    return created


def _tour_for(
    *,
    hub: Organisation,
    warehouse: Site,
    vehicle: Vehicle,
    planner: User,
    driver: User | None,
    day: date,
    today: date,
) -> Tour:
    tour = tour_create(
        actor=planner,
        organisation=hub,
        day=day,
        vehicle=vehicle,
        driver=driver,
        start_site=warehouse,
        starts_at=time(7),
        ends_at=time(18),
    )
    tour_stops_add(actor=planner, tour=tour)
    if (
        day >= today
        and day.weekday() in DELIVERY_WEEKDAYS
        and not tour.stops.filter(kind=TourStop.Kind.DELIVERY).exists()
    ):
        for site, grams in _standing_orders(hub, day).items():
            tour_stop_add(
                actor=planner,
                tour=tour,
                kind=TourStop.Kind.DELIVERY,
                site=site,
                delivery_g=(grams[0], grams[1], grams[2]),
            )
    source_day = day if day <= today else day - timedelta(days=7)
    seen = set(tour.stops.values_list("site_id", flat=True))
    for kind, place, picked, reception in _pickups(hub, warehouse, source_day):
        if place.pk not in seen:
            seen.add(place.pk)
            stop = tour_stop_add(actor=planner, tour=tour, kind=kind, site=place, pickup_g=picked)
            if day == source_day:  # a store pickup already recorded: the driver sees it done
                stop.pickup = Pickup.objects.filter(reception=reception).first()
                stop.save(update_fields=["pickup"])
    return tour


def transport_demo_load(*, today: date | None = None) -> TransportDemoSummary:
    hub = Organisation.objects.filter(slug=HUB.slug).first()
    if hub is None:
        raise DemoDataError("Le carrefour de démonstration manque : chargez d'abord la démo.")
    today = today or timezone.localdate()
    warehouse = Site.objects.get(organisation=hub, name=HUB.sites[0].name)
    planner = User.objects.filter(email=PLANNER_EMAIL).first()
    driver = User.objects.filter(email=DRIVER_EMAIL).first()
    if planner is None:
        raise DemoDataError("La coordonnatrice de démonstration manque : chargez d'abord la démo.")
    if not Site.objects.filter(organisation__slug=FOOD_BANK.slug).exists():
        raise DemoDataError("Moisson Laurentides manque : chargez d'abord la démo.")
    created = 0
    with transaction.atomic():
        vehicle, made = Vehicle.objects.get_or_create(
            organisation=hub,
            name=TRUCK,
            defaults={
                "dry_capacity_g": 3_500_000,
                "chilled_capacity_g": 1_500_000,
                "frozen_capacity_g": 1_000_000,
                "cost_per_km_cents": 85,
                "available_weekdays": "01234",
                "cold_max_minutes": 600,
            },
        )
        created += made
        if driver is not None:
            created += DriverProfile.objects.get_or_create(
                organisation=hub, user=driver, defaults={"licence_class": "3"}
            )[1]
        created += _mobile_schedule(hub, planner)
        monday = today - timedelta(days=today.weekday())
        new_tours = []
        for offset in range(5):
            day = monday + timedelta(days=offset)
            if Tour.objects.filter(organisation=hub, vehicle=vehicle, date=day).exists():
                continue
            new_tours.append(
                _tour_for(
                    hub=hub,
                    warehouse=warehouse,
                    vehicle=vehicle,
                    planner=planner,
                    driver=driver,
                    day=day,
                    today=today,
                )
            )
        created += len(new_tours)
        if created:
            audit_record(
                actor=None,
                action="demo.transport",
                organisation=hub,
                changed_fields=["vehicle", "driver", "mobile_counter", "tours"],
            )
    for tour in new_tours:  # after the commit, as the worker would
        tour_optimise_run(tour_id=tour.pk, actor_id=planner.pk, seconds=OPTIMISE_SECONDS)
    tours = Tour.objects.filter(organisation=hub, date__range=(monday, monday + timedelta(days=4)))
    return TransportDemoSummary(
        created=created,
        tours=tours.count(),
        stops=TourStop.objects.filter(tour__in=tours).count(),
        warnings=sum(bool(t.warnings) for t in tours),
    )
