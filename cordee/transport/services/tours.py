"""Writes on tours and their stops: create, fill from the day's work, optimise, reorder,
and the driver's « Arrivé » / « Terminé »."""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Role, Site, User
from cordee.core.permissions import has_role, require_role
from cordee.core.services.audit import audit_record
from cordee.logistics.models import Delivery, DeliveryLine, PartnerStore, StorageClass

from ..models import MobileCounterStop, Tour, TourStop, Vehicle
from ..permissions import PLANNER_ROLES, ROAD_ROLES
from ..planning import plan_evaluate, site_window, tour_stops
from .mobile import mobile_counter_occurrences
from .store_pickups import (
    pickup_for_hand_stop,
    pickup_load_estimate,
    pickups_of_tour_day,
    stop_fields_for_pickup,
    store_site,
)

DEFAULT_SERVICE_MINUTES = {
    TourStop.Kind.FOOD_BANK_PICKUP: 45,
    TourStop.Kind.STORE_PICKUP: 20,
    TourStop.Kind.DELIVERY: 15,
}


def _optimise_seconds() -> float:
    return float(getattr(settings, "CORDEE_ROUTE_SECONDS", 2.0))


def tour_create(
    *,
    actor: User,
    organisation: Organisation,
    day: date,
    vehicle: Vehicle,
    start_site: Site,
    starts_at: time,
    ends_at: time,
    driver: User | None = None,
    end_site: Site | None = None,
    request: HttpRequest | None = None,
) -> Tour:
    require_role(actor, organisation, PLANNER_ROLES)
    end_site = end_site or start_site
    errors: dict[str, str] = {}
    if vehicle.organisation_id != organisation.pk or not vehicle.is_active:
        errors["vehicle"] = _("Choose one of your vehicles.")
    elif not vehicle.is_available_on(day.weekday()):
        errors["vehicle"] = _("This vehicle is not available that day.")
    for field, site in (("start_site", start_site), ("end_site", end_site)):
        if site.organisation_id != organisation.pk:
            errors[field] = _("Choose one of your sites.")
    if driver is not None and not has_role(driver, organisation, {Role.DRIVER}):
        errors["driver"] = _("This person is not a driver of your organisation.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The return time must be after the departure time.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        tour = Tour.objects.create(
            organisation=organisation,
            date=day,
            vehicle=vehicle,
            driver=driver,
            start_site=start_site,
            end_site=end_site,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        audit_record(
            actor=actor,
            action="tour.create",
            organisation=organisation,
            obj=tour,
            changed_fields=["date", "vehicle", "driver", "start_site", "end_site", "times"],
            request=request,
        )
    return tour


def _loads(delivery: Delivery) -> tuple[int, int, int]:
    totals = dict(
        DeliveryLine.objects.filter(delivery=delivery)
        .values_list("lot__storage_class")
        .annotate(total=Sum("shipped_g"))
    )
    return (
        int(totals.get(StorageClass.DRY, 0)),
        int(totals.get(StorageClass.CHILLED, 0)),
        int(totals.get(StorageClass.FROZEN, 0)),
    )


def _stop_new(tour: Tour, *, kind: str, site: Site, order: int, **fields: object) -> TourStop:
    if site.coordinates is None:
        raise ValidationError(
            _("%(site)s has no address on the map: add its municipality or coordinates.")
            % {"site": site.name}
        )
    if "window_start" not in fields:
        window = site_window(site, tour.date.weekday())
        if window is not None:
            fields["window_start"], fields["window_end"] = window
    fields.setdefault("service_minutes", DEFAULT_SERVICE_MINUTES.get(kind, 15))  # type: ignore[call-overload]
    return TourStop(tour=tour, kind=kind, site=site, order=order, **fields)  # type: ignore[misc]


def tour_stops_add(*, actor: User, tour: Tour, request: HttpRequest | None = None) -> int:
    """Add the day's work: the deliveries sent that day (not yet on a tour), the mobile
    counter's stops that day (not cancelled, not yet on a tour) and the planned store
    pickups of the recovery schedule (not yet on a tour). Returns how many."""
    require_role(actor, tour.organisation, PLANNER_ROLES)
    with transaction.atomic():
        tour = Tour.objects.select_for_update().get(pk=tour.pk)
        existing = tour_stops(tour)
        keys = {stop.key for stop in existing}
        order = len(existing) + 1
        new: list[TourStop] = []
        deliveries = (
            Delivery.objects.filter(
                delivery_day__organisation=tour.organisation,
                delivery_day__delivers_on=tour.date,
                tour_stops__isnull=True,
            )
            .select_related("site", "site__municipality")
            .prefetch_related("site__opening_hours")
            .order_by("organisation__name")
        )
        for delivery in deliveries:
            dry, chilled, frozen = _loads(delivery)
            stop = _stop_new(
                tour,
                kind=TourStop.Kind.DELIVERY,
                site=delivery.site,
                order=order,
                delivery=delivery,
                delivery_dry_g=dry,
                delivery_chilled_g=chilled,
                delivery_frozen_g=frozen,
            )
            if stop.key not in keys:
                keys.add(stop.key)
                new.append(stop)
                order += 1
        taken = set(
            TourStop.objects.filter(
                tour__organisation=tour.organisation,
                tour__date=tour.date,
                mobile_counter__isnull=False,
            ).values_list("mobile_counter_id", flat=True)
        )
        stops = MobileCounterStop.objects.filter(organisation=tour.organisation, is_active=True)
        for occurrence in mobile_counter_occurrences(stops=stops, start=tour.date, end=tour.date):
            counter = occurrence.stop
            if occurrence.cancellation is not None or counter.pk in taken:
                continue
            stop = _stop_new(
                tour,
                kind=TourStop.Kind.MOBILE_COUNTER,
                site=counter.site,
                order=order,
                mobile_counter=counter,
                window_start=counter.starts_at,
                window_end=counter.starts_at,
                fixed_time=True,
                service_minutes=_minutes(counter.starts_at, counter.ends_at),
                delivery_dry_g=counter.dry_g,
                delivery_chilled_g=counter.chilled_g,
                delivery_frozen_g=counter.frozen_g,
            )
            if stop.key not in keys:
                keys.add(stop.key)
                new.append(stop)
                order += 1
        for pickup in pickups_of_tour_day(actor=actor, tour=tour, request=request):
            stop = _stop_new(
                tour,
                kind=TourStop.Kind.STORE_PICKUP,
                site=store_site(pickup.store),
                order=order,
                **stop_fields_for_pickup(pickup),
            )
            # Two pickups the same day at one store (morning and evening) would be one place
            # twice: the second stays off this tour (another vehicle may take it).
            if stop.key not in keys:
                keys.add(stop.key)
                new.append(stop)
                order += 1
        TourStop.objects.bulk_create(new)
        _evaluate(tour, tour_stops(tour))
        audit_record(
            actor=actor,
            action="tour.stops_add",
            organisation=tour.organisation,
            obj=tour,
            changed_fields=["stops"],
            request=request,
        )
    return len(new)


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def tour_stop_add(
    *,
    actor: User,
    tour: Tour,
    kind: str,
    site: Site | None = None,
    partner: PartnerStore | None = None,
    delivery_g: tuple[int, int, int] = (0, 0, 0),
    pickup_g: tuple[int, int, int] = (0, 0, 0),
    service_minutes: int | None = None,
    request: HttpRequest | None = None,
) -> TourStop:
    """One stop by hand (a pickup at the food bank or a store, typically), last in order.
    A partner store's pickup is linked to that day's recovery Pickup (made if needed); with
    no weight given, its load is the store's typical pickup."""
    require_role(actor, tour.organisation, PLANNER_ROLES)
    if kind not in TourStop.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of stop.")})
    if partner is not None:
        if partner.hub_id != tour.organisation_id or not partner.is_active:
            raise ValidationError({"place": _("Choose one of your partner stores.")})
        kind = TourStop.Kind.STORE_PICKUP
        site = store_site(partner)
    if site is None:
        raise ValidationError({"place": _("Choose where to stop.")})
    if min(*delivery_g, *pickup_g) < 0:
        raise ValidationError(_("Weights cannot be negative."))
    with transaction.atomic():
        tour = Tour.objects.select_for_update().get(pk=tour.pk)
        stops = tour_stops(tour)
        fields: dict[str, object] = {
            "delivery_dry_g": delivery_g[0],
            "delivery_chilled_g": delivery_g[1],
            "delivery_frozen_g": delivery_g[2],
            "pickup_dry_g": pickup_g[0],
            "pickup_chilled_g": pickup_g[1],
            "pickup_frozen_g": pickup_g[2],
        }
        if service_minutes is not None:
            fields["service_minutes"] = service_minutes
        stop = _stop_new(tour, kind=kind, site=site, order=len(stops) + 1, **fields)
        if stop.key in {s.key for s in stops}:
            raise ValidationError(_("This place is already a stop of this tour."))
        if partner is not None:
            pickup = pickup_for_hand_stop(actor=actor, tour=tour, partner=partner, request=request)
            stop.pickup = pickup
            if pickup.starts_at and pickup.ends_at:
                stop.window_start, stop.window_end = pickup.starts_at, pickup.ends_at
            if not any(pickup_g):
                stop.pickup_dry_g, stop.pickup_chilled_g, stop.pickup_frozen_g = (
                    pickup_load_estimate(partner)
                )
        stop.save()
        _evaluate(tour, tour_stops(tour))
        audit_record(
            actor=actor,
            action="tour.stop_add",
            organisation=tour.organisation,
            obj=stop,
            changed_fields=["kind", "site", "loads"],
            request=request,
        )
    stop.refresh_from_db()
    return stop


def tour_optimise(
    *,
    actor: User,
    tour: Tour,
    seconds: float | None = None,
    request: HttpRequest | None = None,
) -> Tour:
    """Ask for the best order in the background; the page shows the progress."""
    from ..tasks import tour_optimise_task

    require_role(actor, tour.organisation, PLANNER_ROLES)
    budget = seconds if seconds is not None else _optimise_seconds()
    with transaction.atomic():
        tour = Tour.objects.select_for_update().get(pk=tour.pk)
        if tour.optimisation in (Tour.Optimisation.QUEUED, Tour.Optimisation.RUNNING):
            raise ValidationError(_("The optimisation of this tour is already under way."))
        if tour.status in (Tour.Status.IN_PROGRESS, Tour.Status.DONE):
            raise ValidationError(_("This tour has already left: its order can no longer change."))
        if not tour.stops.exists():
            raise ValidationError(_("Add stops to the tour first."))
        tour.optimisation = Tour.Optimisation.QUEUED
        tour.optimisation_seconds = budget
        tour.optimisation_started_at = timezone.now()
        tour.optimisation_error = ""
        tour.save(
            update_fields=[
                "optimisation",
                "optimisation_seconds",
                "optimisation_started_at",
                "optimisation_error",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="tour.optimise",
            organisation=tour.organisation,
            obj=tour,
            changed_fields=["optimisation"],
            request=request,
        )
        transaction.on_commit(
            lambda: tour_optimise_task.enqueue(tour_id=tour.pk, actor_id=actor.pk, seconds=budget)
        )
    return tour


def tour_optimise_run(*, tour_id: int, actor_id: int | None, seconds: float) -> Tour:
    """The background part: solve, then store order, times and loads (in one transaction)."""
    from .. import routing
    from ..planning import previous_order, problem_build, vehicle_key
    from ..routing.distances import DistanceError

    Tour.objects.filter(pk=tour_id).update(
        optimisation=Tour.Optimisation.RUNNING, optimisation_started_at=timezone.now()
    )
    tour = Tour.objects.select_related("vehicle", "start_site", "end_site").get(pk=tour_id)
    try:
        stops = tour_stops(tour)
        problem = problem_build(tour, stops)
        previous = previous_order(tour)
        plan = routing.solve(  # type: ignore[attr-defined]
            problem,
            seconds=seconds,
            previous={vehicle_key(tour): previous} if previous else None,
        )
    except ValidationError as exc:
        return _optimise_failed(tour, " ".join(exc.messages))
    except DistanceError as exc:
        # OSRM unreachable or refusing: its French message tells the planner what to check
        # (not a bug of ours: no re-raise, so the worker does not log it as a crash).
        return _optimise_failed(tour, _distance_message(exc))
    except Exception:
        _optimise_failed(tour, _("The optimisation failed. Try again, or order the stops by hand."))
        raise
    with transaction.atomic():
        tour = Tour.objects.select_for_update().get(pk=tour_id)
        stops = tour_stops(tour)
        from ..planning import plan_apply

        plan_apply(tour, stops, plan)
        tour.optimisation = Tour.Optimisation.DONE
        if tour.status == Tour.Status.DRAFT:
            tour.status = Tour.Status.PLANNED
        tour.save(update_fields=["optimisation", "status", "updated_at"])
        audit_record(
            actor=User.objects.filter(pk=actor_id).first() if actor_id else None,
            action="tour.optimised",
            organisation=tour.organisation,
            obj=tour,
            changed_fields=["order", "times", "loads"],
        )
    return tour


def _optimise_failed(tour: Tour, message: str) -> Tour:
    tour.optimisation = Tour.Optimisation.FAILED
    tour.optimisation_error = message[:300]
    tour.save(update_fields=["optimisation", "optimisation_error", "updated_at"])
    return tour


def stop_move(
    *,
    actor: User,
    stop: TourStop,
    direction: Literal["up", "down"],
    request: HttpRequest | None = None,
) -> TourStop:
    """Swap a stop with the one before (up) or after (down); times and warnings at once."""
    require_role(actor, stop.tour.organisation, PLANNER_ROLES)
    with transaction.atomic():
        tour = Tour.objects.select_for_update().get(pk=stop.tour_id)
        if tour.status in (Tour.Status.IN_PROGRESS, Tour.Status.DONE):
            raise ValidationError(_("This tour has already left: its order can no longer change."))
        if tour.optimisation in (Tour.Optimisation.QUEUED, Tour.Optimisation.RUNNING):
            raise ValidationError(_("Wait for the optimisation to finish."))
        stops = tour_stops(tour)
        index = next(i for i, s in enumerate(stops) if s.pk == stop.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(stops):
            stops[index], stops[other] = stops[other], stops[index]
            for position, s in enumerate(stops, start=1):
                s.order = position
            TourStop.objects.bulk_update(stops, ["order"])
        # Ordered by hand now: « Optimised » would no longer be true.
        tour.optimisation = Tour.Optimisation.IDLE
        tour.save(update_fields=["optimisation", "updated_at"])
        _evaluate(tour, stops)
        audit_record(
            actor=actor,
            action="tour.stop_move",
            organisation=tour.organisation,
            obj=stops[other if 0 <= other < len(stops) else index],
            changed_fields=["order"],
            request=request,
        )
    stop.refresh_from_db()
    return stop


def tour_stops_reorder(
    *,
    actor: User,
    tour: Tour,
    order: list[int],
    request: HttpRequest | None = None,
) -> Tour:
    """Put the stops in the order given (stop ids, first to last; a drag on the tour page):
    times, loads and warnings at once, as with one move up or down."""
    require_role(actor, tour.organisation, PLANNER_ROLES)
    with transaction.atomic():
        tour = Tour.objects.select_for_update().get(pk=tour.pk)
        if tour.status in (Tour.Status.IN_PROGRESS, Tour.Status.DONE):
            raise ValidationError(_("This tour has already left: its order can no longer change."))
        if tour.optimisation in (Tour.Optimisation.QUEUED, Tour.Optimisation.RUNNING):
            raise ValidationError(_("Wait for the optimisation to finish."))
        stops = {stop.pk: stop for stop in tour_stops(tour)}
        # Every stop exactly once: a stale page (a stop added or removed since) must not
        # drop or duplicate a stop.
        if len(order) != len(stops) or set(order) != set(stops):
            raise ValidationError(
                _("The list of stops changed in the meantime. Reload the page and try again.")
            )
        ordered = [stops[pk] for pk in order]
        for position, stop in enumerate(ordered, start=1):
            stop.order = position
        TourStop.objects.bulk_update(ordered, ["order"])
        # Ordered by hand now: « Optimised » would no longer be true.
        tour.optimisation = Tour.Optimisation.IDLE
        tour.save(update_fields=["optimisation", "updated_at"])
        _evaluate(tour, ordered)
        audit_record(
            actor=actor,
            action="tour.stops_reorder",
            organisation=tour.organisation,
            obj=tour,
            changed_fields=["order"],
            request=request,
        )
    return tour


def _evaluate(tour: Tour, stops: list[TourStop]) -> None:
    """plan_evaluate, with the road network's failure (OSRM down) said plainly where the
    planner looks, and nothing half-written (the caller's transaction rolls back)."""
    from ..routing.distances import DistanceError

    try:
        plan_evaluate(tour, stops)
    except DistanceError as exc:
        raise ValidationError(_distance_message(exc)) from exc


def _distance_message(exc: Exception) -> str:
    return _("Road distances are not available: %(error)s") % {"error": exc}


def _road_check(actor: User, stop: TourStop) -> None:
    tour = stop.tour
    require_role(actor, tour.organisation, ROAD_ROLES)
    is_planner = has_role(actor, tour.organisation, PLANNER_ROLES)
    if not is_planner and tour.driver_id != actor.pk:
        raise ValidationError(_("This tour is driven by someone else."))


def stop_arrive(*, actor: User, stop: TourStop, request: HttpRequest | None = None) -> TourStop:
    """The driver is at the stop (« Arrivé »). The tour is then on the road."""
    _road_check(actor, stop)
    with transaction.atomic():
        stop = TourStop.objects.select_for_update().select_related("tour").get(pk=stop.pk)
        if stop.arrived_at is None:
            stop.arrived_at = timezone.now()
            stop.save(update_fields=["arrived_at"])
            tour = stop.tour
            if tour.status in (Tour.Status.DRAFT, Tour.Status.PLANNED):
                tour.status = Tour.Status.IN_PROGRESS
                tour.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action="tour.stop_arrive",
                organisation=tour.organisation,
                obj=stop,
                changed_fields=["arrived_at"],
                request=request,
            )
    return stop


def stop_finish(*, actor: User, stop: TourStop, request: HttpRequest | None = None) -> TourStop:
    """Done at the stop (« Terminé »). After the last stop the tour is done."""
    _road_check(actor, stop)
    with transaction.atomic():
        stop = TourStop.objects.select_for_update().select_related("tour").get(pk=stop.pk)
        if stop.finished_at is None:
            now = timezone.now()
            stop.arrived_at = stop.arrived_at or now
            stop.finished_at = now
            stop.save(update_fields=["arrived_at", "finished_at"])
            tour = stop.tour
            left = tour.stops.filter(finished_at__isnull=True).exists()
            tour.status = Tour.Status.IN_PROGRESS if left else Tour.Status.DONE
            tour.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action="tour.stop_finish",
                organisation=tour.organisation,
                obj=stop,
                changed_fields=["finished_at"],
                request=request,
            )
    return stop


def stops_finish_recorded_pickups(
    *, actor: User, tour: Tour, request: HttpRequest | None = None
) -> int:
    """Store pickups the driver already recorded on the recovery screen (weights or « Rien
    aujourd'hui ») are done: mark their stops finished, at the time of the record, so the
    driver need not tap « Terminé » too. Returns how many.

    Why here and not in the recovery services: logistics must not know about tours, and the
    project avoids signals for domain flow (DESIGN.md). The recovery screen sends the driver
    back to the driver page (its `next`), which calls this first: the same moment, one
    direction of dependency, and idempotent (a stop already finished is left as it is)."""
    from cordee.logistics.models import PickupStatus

    recorded = (
        TourStop.objects.filter(
            tour=tour,
            kind=TourStop.Kind.STORE_PICKUP,
            finished_at__isnull=True,
            pickup__status__in=(PickupStatus.DONE, PickupStatus.NOTHING_TODAY),
        )
        .select_related("pickup")
        .order_by("order")
    )
    if not recorded.exists():
        return 0
    _road_check(actor, TourStop(tour=tour))
    done = 0
    with transaction.atomic():
        for stop in recorded.select_for_update(of=("self",)):
            moment = stop.pickup.recorded_at or timezone.now()  # type: ignore[union-attr]
            stop.arrived_at = stop.arrived_at or moment
            stop.finished_at = max(moment, stop.arrived_at)
            stop.save(update_fields=["arrived_at", "finished_at"])
            audit_record(
                actor=actor,
                action="tour.stop_finish",
                organisation=tour.organisation,
                obj=stop,
                changed_fields=["arrived_at", "finished_at"],
                request=request,
            )
            done += 1
        tour = Tour.objects.select_for_update().get(pk=tour.pk)
        left = tour.stops.filter(finished_at__isnull=True).exists()
        tour.status = Tour.Status.IN_PROGRESS if left else Tour.Status.DONE
        tour.save(update_fields=["status", "updated_at"])
    return done
