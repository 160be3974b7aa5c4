"""Between the app's tours and the routing model: build a RoutingProblem from a tour, and
write a RoutePlan back on its stops.

The optimiser itself lives behind `cordee.transport.routing` (solve / evaluate); it is
imported where it is used, so this module stays importable while it is being built.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cordee.core.models import Site

from .models import Tour, TourStop

if TYPE_CHECKING:
    from .routing.model import RoutePlan, RoutingProblem


def seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def vehicle_key(tour: Tour) -> str:
    return f"vehicle:{tour.vehicle_id}"


def site_window(site: Site, weekday: int) -> tuple[time, time] | None:
    """The site's opening on that weekday, first opening to last closing (None: closed)."""
    hours = [h for h in site.opening_hours.all() if h.weekday == weekday]
    if not hours:
        return None
    return min(h.opens_at for h in hours), max(h.closes_at for h in hours)


def _point(site: Site) -> object:
    from .routing.model import Point

    coordinates = site.coordinates
    if coordinates is None:
        raise ValidationError(
            _("%(site)s has no address on the map: add its municipality or coordinates.")
            % {"site": site.name}
        )
    return Point(lat=coordinates[0], lon=coordinates[1])


def tour_stops(tour: Tour) -> list[TourStop]:
    return list(tour.stops.select_related("site", "site__municipality").order_by("order", "pk"))


def problem_build(tour: Tour, stops: list[TourStop]) -> RoutingProblem:
    """The tour as the optimiser sees it: one vehicle, its stops, windows and loads."""
    from .routing.model import RouteStop, RouteVehicle, RoutingProblem

    shift_start, shift_end = seconds(tour.starts_at), seconds(tour.ends_at)
    route_stops = []
    for stop in stops:
        start = seconds(stop.window_start) if stop.window_start else shift_start
        end = seconds(stop.window_end) if stop.window_end else shift_end
        route_stops.append(
            RouteStop(
                key=stop.key,
                point=_point(stop.site),  # type: ignore[arg-type]
                window_start=start,
                window_end=max(start, end),
                service=stop.service_minutes * 60,
                delivery=stop.delivery_load,
                pickup=stop.pickup_load,
                fixed_start=start if stop.fixed_time else None,
            )
        )
    vehicle = tour.vehicle
    cold = vehicle.cold_max_minutes * 60 if vehicle.cold_max_minutes else None
    return RoutingProblem(
        stops=tuple(route_stops),
        vehicles=(
            RouteVehicle(
                key=vehicle_key(tour),
                capacity=vehicle.capacity,
                start=_point(tour.start_site),  # type: ignore[arg-type]
                end=_point(tour.end_site),  # type: ignore[arg-type]
                shift_start=shift_start,
                shift_end=shift_end,
                cost_per_km=vehicle.cost_per_km_cents / 100 or 1.0,
            ),
        ),
        max_cold_on_board=cold,
    )


def plan_apply(tour: Tour, stops: list[TourStop], plan: RoutePlan) -> None:
    """Store the plan: order, times, waiting, lateness and load after each stop; the tour's
    km, duration and warnings (stop keys in the optimiser's sentences become site names)."""
    by_key = {stop.key: stop for stop in stops}
    route = plan.routes[0] if plan.routes else None
    visits = list(route.visits) if route else []
    placed = {visit.key for visit in visits}
    order = 1
    for visit in visits:
        stop = by_key[visit.key]
        stop.order = order
        stop.planned_arrival_s = visit.arrival
        stop.planned_start_s = visit.service_start
        stop.planned_departure_s = visit.departure
        stop.wait_s = visit.wait
        stop.lateness_s = visit.lateness
        stop.load_after_g = list(visit.load_after)
        order += 1
    warnings = [_readable(text, tour, stops) for text in plan.warnings]
    for stop in stops:  # what the optimiser could not place keeps its place, at the end
        if stop.key in placed:
            continue
        stop.order = order
        order += 1
        stop.planned_arrival_s = stop.planned_start_s = stop.planned_departure_s = None
        stop.wait_s = stop.lateness_s = 0
        stop.load_after_g = []
        message = _("%(site)s does not fit in this tour.") % {"site": stop.site.name}
        if message not in warnings:
            warnings.append(message)
    TourStop.objects.bulk_update(
        stops,
        [
            "order",
            "planned_arrival_s",
            "planned_start_s",
            "planned_departure_s",
            "wait_s",
            "lateness_s",
            "load_after_g",
        ],
    )
    tour.distance_m = route.distance_m if route else 0
    tour.duration_s = route.duration if route else 0
    tour.warnings = warnings
    tour.save(update_fields=["distance_m", "duration_s", "warnings", "updated_at"])


def _readable(text: str, tour: Tour, stops: list[TourStop]) -> str:
    """The optimiser names stops and vehicles by key: say the place and the truck instead
    (longest keys first, so « delivery:12 » is not read as « delivery:1 » + « 2 »)."""
    names = {stop.key: stop.site.name for stop in stops}
    names[vehicle_key(tour)] = tour.vehicle.name
    for key in sorted(names, key=len, reverse=True):
        text = text.replace(key, names[key])
    return text


def plan_evaluate(tour: Tour, stops: list[TourStop]) -> None:
    """Recompute times, loads and warnings for the stops in their current order."""
    from . import routing

    if not stops:
        plan_apply(tour, stops, _empty_plan())
        return
    problem = problem_build(tour, stops)
    plan = routing.evaluate(problem, {vehicle_key(tour): [stop.key for stop in stops]})  # type: ignore[attr-defined]
    plan_apply(tour, stops, plan)


def _empty_plan() -> RoutePlan:
    from .routing.model import RoutePlan

    return RoutePlan(routes=())


def previous_order(tour: Tour) -> list[str]:
    """Stop keys of the same vehicle's tour one week earlier (routes stay the same)."""
    last = (
        Tour.objects.filter(
            organisation_id=tour.organisation_id,
            vehicle_id=tour.vehicle_id,
            date=tour.date - timedelta(days=7),
        )
        .order_by("pk")
        .first()
    )
    if last is None:
        return []
    return [stop.key for stop in tour_stops(last)]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
