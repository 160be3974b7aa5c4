"""Tours: create, fill from the day's work, optimise in the background, reorder, drive."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cordee.core.models import AuditEvent, Role
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.transport.models import MobileCounterCancellation, Tour, TourStop
from cordee.transport.services.tours import (
    stop_arrive,
    stop_finish,
    stop_move,
    tour_create,
    tour_optimise,
    tour_stop_add,
    tour_stops_add,
)

from .world import TOUR_DAY

pytestmark = pytest.mark.django_db


def routing_ready() -> None:
    """The optimiser is another piece of work: skip (not fail) while it is missing."""
    routing = pytest.importorskip("cordee.transport.routing")
    if not hasattr(routing, "solve") or not hasattr(routing, "evaluate"):
        pytest.skip("cordee.transport.routing.solve/evaluate not there yet")


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60


def assert_feasible(tour: Tour) -> None:
    """An independent check of what the app stores: service starts inside each window (at
    the fixed time for the mobile counter), times go forward, the loads follow the
    deliveries and pickups and never exceed the truck, the truck is back in time."""
    stops = list(tour.stops.order_by("order"))
    vehicle = tour.vehicle
    load = [sum(s.delivery_load[c] for s in stops) for c in range(3)]
    assert all(load[c] <= vehicle.capacity[c] for c in range(3))
    clock = _seconds(tour.starts_at)
    for position, stop in enumerate(stops, start=1):
        assert stop.order == position
        assert stop.planned_arrival_s is not None and stop.planned_arrival_s >= clock
        start = stop.planned_start_s
        assert start >= stop.planned_arrival_s
        if stop.fixed_time:
            assert start == _seconds(stop.window_start)
        elif stop.window_start:
            assert _seconds(stop.window_start) <= start <= _seconds(stop.window_end)
        assert stop.lateness_s == 0
        assert stop.planned_departure_s == start + stop.service_minutes * 60
        load = [load[c] - stop.delivery_load[c] + stop.pickup_load[c] for c in range(3)]
        assert stop.load_after_g == load
        assert all(0 <= load[c] <= vehicle.capacity[c] for c in range(3))
        clock = stop.planned_departure_s
    assert tour.warnings == []
    assert tour.distance_m and tour.distance_m > 0
    assert tour.duration_s and clock <= _seconds(tour.ends_at)


def test_tour_create_checks_and_audits(world):
    tour = tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=TOUR_DAY,
        vehicle=world.vehicle,
        driver=world.driver,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )
    assert tour.end_site == world.warehouse and tour.status == Tour.Status.DRAFT
    assert AuditEvent.objects.filter(action="tour.create", object_id=str(tour.pk)).exists()


def test_tour_create_refuses_bad_input(world):
    with pytest.raises(ValidationError) as err:
        tour_create(
            actor=world.planner,
            organisation=world.hub,
            day=TOUR_DAY + timedelta(days=3),  # a Saturday: the truck is not available
            vehicle=world.vehicle,
            driver=world.planner,  # not a driver
            start_site=world.counters[0],  # another organisation's site
            starts_at=time(17),
            ends_at=time(8),
        )
    assert set(err.value.error_dict) == {"vehicle", "driver", "start_site", "end_site", "ends_at"}
    assert not Tour.objects.exists()


def test_only_planners_create_tours(world):
    with pytest.raises(PermissionDenied):
        tour_create(
            actor=world.driver,
            organisation=world.hub,
            day=TOUR_DAY,
            vehicle=world.vehicle,
            start_site=world.warehouse,
            starts_at=time(8),
            ends_at=time(17),
        )


def test_stops_come_from_deliveries_and_mobile_counter(world):
    routing_ready()
    tour = tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=TOUR_DAY,
        vehicle=world.vehicle,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )
    assert tour_stops_add(actor=world.planner, tour=tour) == 3
    stops = list(tour.stops.order_by("order"))
    kinds = sorted(s.kind for s in stops)
    assert kinds == ["delivery", "delivery", "mobile_counter"]
    delivery = next(s for s in stops if s.kind == "delivery")
    assert delivery.delivery_load == (200_000, 80_000, 30_000)
    assert (delivery.window_start, delivery.window_end) == (time(9), time(15))
    mobile = next(s for s in stops if s.kind == "mobile_counter")
    assert mobile.fixed_time and mobile.window_start == time(13) and mobile.service_minutes == 90
    # Evaluated at once: every stop has an ETA and a load after it.
    assert all(s.planned_arrival_s is not None and len(s.load_after_g) == 3 for s in stops)
    # Twice: nothing new.
    assert tour_stops_add(actor=world.planner, tour=tour) == 0
    assert tour.stops.count() == 3


def test_cancelled_mobile_counter_date_is_not_added(world):
    routing_ready()
    MobileCounterCancellation.objects.create(stop=world.mobile, date=TOUR_DAY, reason="Tempête")
    tour = tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=TOUR_DAY,
        vehicle=world.vehicle,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )
    tour_stops_add(actor=world.planner, tour=tour)
    assert not tour.stops.filter(kind=TourStop.Kind.MOBILE_COUNTER).exists()


def test_optimise_runs_in_background_and_stores_a_feasible_plan(
    world, tour, django_capture_on_commit_callbacks
):
    routing_ready()
    # Start from a bad order: the mobile counter (fixed at 13:00) first.
    stops = list(tour.stops.order_by("order"))
    mobile = next(s for s in stops if s.kind == "mobile_counter")
    while mobile.order != 1:
        stop_move(actor=world.planner, stop=mobile, direction="up")
        mobile.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        tour_optimise(actor=world.planner, tour=tour, seconds=0.5)
    tour.refresh_from_db()
    assert tour.optimisation == Tour.Optimisation.DONE
    assert tour.status == Tour.Status.PLANNED
    assert_feasible(tour)
    assert AuditEvent.objects.filter(action="tour.optimised", object_id=str(tour.pk)).exists()


def test_optimise_refuses_an_empty_tour(world):
    tour = tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=TOUR_DAY,
        vehicle=world.vehicle,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )
    with pytest.raises(ValidationError):
        tour_optimise(actor=world.planner, tour=tour)
    tour.refresh_from_db()
    assert tour.optimisation == Tour.Optimisation.IDLE


def test_move_recomputes_times_and_warns_when_late(world, tour):
    routing_ready()
    stops = list(tour.stops.order_by("order"))
    first = stops[0]
    stop_move(actor=world.planner, stop=first, direction="down")
    first.refresh_from_db()
    assert first.order == 2
    # Leaving at 14:00 cannot reach the mobile counter's fixed 13:00: the next move
    # must report it, with the place's name.
    Tour.objects.filter(pk=tour.pk).update(starts_at=time(14), ends_at=time(18))
    tour.refresh_from_db()
    stop_move(actor=world.planner, stop=first, direction="up")
    tour.refresh_from_db()
    assert tour.warnings, "a missed fixed time must be reported"
    assert any("Comptoir mobile — Arundel" in w for w in tour.warnings)
    assert not any("mobile_counter:" in w for w in tour.warnings)  # keys became names
    assert TourStop.objects.filter(tour=tour, lateness_s__gt=0).exists()
    assert AuditEvent.objects.filter(action="tour.stop_move").count() == 2


def test_first_stop_cannot_go_up(world, tour):
    routing_ready()
    first = tour.stops.order_by("order").first()
    stop_move(actor=world.planner, stop=first, direction="up")
    first.refresh_from_db()
    assert first.order == 1


def test_previous_week_order_is_kept_when_as_good(world, tour, django_capture_on_commit_callbacks):
    routing_ready()
    with django_capture_on_commit_callbacks(execute=True):
        tour_optimise(actor=world.planner, tour=tour, seconds=0.5)
    last_week = [s.key for s in tour.stops.order_by("order")]
    # The same work one week later.
    next_day = TOUR_DAY + timedelta(days=7)
    from .world import make_delivery

    for site in world.counters:
        make_delivery(
            world.hub,
            world.warehouse,
            site,
            next_day,
            {"dry": 200_000, "chilled": 80_000, "frozen": 30_000},
        )
    again = tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=next_day,
        vehicle=world.vehicle,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )
    tour_stops_add(actor=world.planner, tour=again)
    with django_capture_on_commit_callbacks(execute=True):
        tour_optimise(actor=world.planner, tour=again, seconds=0.5)
    again.refresh_from_db()
    assert [s.key for s in again.stops.order_by("order")] == last_week
    assert_feasible(again)


def test_driver_marks_arrived_then_done(world, tour):
    routing_ready()
    stops = list(tour.stops.order_by("order"))
    stop_arrive(actor=world.driver, stop=stops[0])
    tour.refresh_from_db()
    assert tour.status == Tour.Status.IN_PROGRESS
    for stop in stops:
        stop_finish(actor=world.driver, stop=stop)
    tour.refresh_from_db()
    assert tour.status == Tour.Status.DONE
    assert all(s.arrived_at and s.finished_at for s in tour.stops.all())
    assert AuditEvent.objects.filter(action="tour.stop_finish").count() == 3
    # Once on the road, the order is frozen.
    with pytest.raises(ValidationError):
        stop_move(actor=world.planner, stop=stops[0], direction="down")


def test_another_driver_cannot_mark_someone_elses_tour(world, tour):
    other = UserFactory()
    MembershipFactory(user=other, organisation=world.hub, role=Role.DRIVER)
    with pytest.raises(ValidationError):
        stop_arrive(actor=other, stop=tour.stops.first())
    volunteer = UserFactory()
    MembershipFactory(user=volunteer, organisation=world.hub, role=Role.VOLUNTEER)
    with pytest.raises(PermissionDenied):
        stop_arrive(actor=volunteer, stop=tour.stops.first())


def test_pickup_added_by_hand(world, tour):
    routing_ready()
    from cordee.core.tests.factories import OrganisationFactory, SiteFactory

    food_bank = OrganisationFactory(name="Moisson", kind="food_bank")
    site = SiteFactory(organisation=food_bank, name="Entrepôt Moisson", kind="warehouse")
    stop = tour_stop_add(
        actor=world.planner,
        tour=tour,
        kind=TourStop.Kind.FOOD_BANK_PICKUP,
        site=site,
        pickup_g=(500_000, 100_000, 50_000),
    )
    assert stop.order == 4 and stop.pickup_load == (500_000, 100_000, 50_000)
    assert stop.service_minutes == 45
    assert stop.load_after_g[0] >= 500_000
    with pytest.raises(ValidationError):
        tour_stop_add(
            actor=world.planner, tour=tour, kind=TourStop.Kind.FOOD_BANK_PICKUP, site=site
        )
