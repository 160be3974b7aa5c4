"""Recompute a tour's schedule and check every rule, whoever ordered the stops.

Used after the solver (a safety net: the app never shows a plan it has not checked here)
and when a planner reorders stops by hand. Plain Python, no solver involved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .distances import Matrices, travel_matrices
from .model import (
    Load,
    PlannedRoute,
    Point,
    RoutePlan,
    RouteStop,
    RouteVehicle,
    RoutingProblem,
    StopVisit,
)

COMPARTMENTS = ("sec", "réfrigéré", "congelé")


@dataclass(frozen=True)
class Prepared:
    """A problem with its points indexed once and its travel matrices computed once."""

    problem: RoutingProblem
    points: tuple[Point, ...]
    stop_location: tuple[int, ...]
    start_location: tuple[int, ...]
    end_location: tuple[int, ...]
    matrices: Matrices

    @property
    def stop_index(self) -> dict[str, int]:
        return {stop.key: i for i, stop in enumerate(self.problem.stops)}

    @property
    def vehicle_index(self) -> dict[str, int]:
        return {vehicle.key: i for i, vehicle in enumerate(self.problem.vehicles)}


def prepare(problem: RoutingProblem, matrices: Matrices | None = None) -> Prepared:
    points: list[Point] = []
    seen: dict[Point, int] = {}

    def locate(point: Point) -> int:
        if point not in seen:
            seen[point] = len(points)
            points.append(point)
        return seen[point]

    # Depots first: the adapter relies on vehicle start/end points coming before the stops.
    starts = tuple(locate(v.start) for v in problem.vehicles)
    ends = tuple(locate(v.end) for v in problem.vehicles)
    stops = tuple(locate(s.point) for s in problem.stops)
    if matrices is None:
        matrices = travel_matrices(points)
    return Prepared(problem, tuple(points), stops, starts, ends, matrices)


def hhmm(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    minutes = round(abs(seconds) / 60)
    return f"{sign}{minutes // 60} h {minutes % 60:02d}"


def kg(grams: int) -> str:
    return f"{grams / 1000:.0f} kg" if grams % 1000 == 0 else f"{grams / 1000:.1f} kg"


def _earliest(stop: RouteStop) -> int:
    return stop.fixed_start if stop.fixed_start is not None else stop.window_start


def _latest(stop: RouteStop) -> int:
    return stop.fixed_start if stop.fixed_start is not None else stop.window_end


def _add(a: Load, b: Load, sign: int = 1) -> Load:
    return (a[0] + sign * b[0], a[1] + sign * b[1], a[2] + sign * b[2])


def _is_cold(load: Load) -> bool:
    return load[1] > 0 or load[2] > 0


def _forward(
    prep: Prepared, vehicle_i: int, stops: Sequence[int], departure: int
) -> tuple[list[tuple[int, int, int, int, int]], int, int]:
    """Arrival, start, departure, wait, lateness at each stop; return time; distance."""
    problem = prep.problem
    dist, dur = prep.matrices.distance_m, prep.matrices.duration_s
    here, t, metres = prep.start_location[vehicle_i], departure, 0
    rows = []
    for s in stops:
        stop, there = problem.stops[s], prep.stop_location[s]
        arrival = t + dur[here][there]
        metres += dist[here][there]
        start = max(arrival, _earliest(stop))
        lateness = max(0, start - _latest(stop))
        t = start + stop.service
        rows.append((arrival, start, t, start - arrival, lateness))
        here = there
    end = prep.end_location[vehicle_i]
    return rows, t + dur[here][end], metres + dist[here][end]


def _latest_departure(
    prep: Prepared, stops: Sequence[int], rows: list[tuple[int, int, int, int, int]]
) -> int:
    """How long the truck may wait at the depot without delaying the return or any start.

    Savelsbergh's forward slack: a delay at the depot is absorbed by the waits before each
    stop; it must not push any stop past its window, nor exceed the total wait.
    """
    if not rows:
        return 0
    absorbed, slack = 0, None
    for s, (_arrival, start, _dep, wait, _late) in zip(stops, rows, strict=True):
        absorbed += wait
        room = absorbed + max(0, _latest(prep.problem.stops[s]) - start)
        slack = room if slack is None else min(slack, room)
    return max(0, min(slack or 0, absorbed))


def _route(
    prep: Prepared, vehicle_i: int, stops: Sequence[int], warnings: list[str]
) -> PlannedRoute:
    problem = prep.problem
    vehicle: RouteVehicle = problem.vehicles[vehicle_i]
    rows, _ret, _m = _forward(prep, vehicle_i, stops, vehicle.shift_start)
    departure = vehicle.shift_start + _latest_departure(prep, stops, rows)
    rows, return_time, metres = _forward(prep, vehicle_i, stops, departure)

    load: Load = (0, 0, 0)
    for s in stops:
        load = _add(load, problem.stops[s].delivery)
    peak = load
    visits = []
    for s, (arrival, start, leave, wait, lateness) in zip(stops, rows, strict=True):
        stop = problem.stops[s]
        load = _add(_add(load, stop.delivery, -1), stop.pickup)
        peak = (max(peak[0], load[0]), max(peak[1], load[1]), max(peak[2], load[2]))
        visits.append(StopVisit(stop.key, arrival, start, leave, wait, lateness, load))
        _check_stop(prep, stop, start, lateness, departure, return_time, warnings)

    for c, name in enumerate(COMPARTMENTS):
        if peak[c] > vehicle.capacity[c]:
            warnings.append(
                f"Véhicule {vehicle.key} : chargement {name} de {kg(peak[c])}, au-delà "
                f"de sa capacité de {kg(vehicle.capacity[c])}."
            )
    if return_time > vehicle.shift_end:
        warnings.append(
            f"Véhicule {vehicle.key} : retour au dépôt à {hhmm(return_time)}, après la fin "
            f"de son horaire ({hhmm(vehicle.shift_end)})."
        )
    if vehicle.max_duration is not None and return_time - departure > vehicle.max_duration:
        warnings.append(
            f"Véhicule {vehicle.key} : tournée de {hhmm(return_time - departure)}, plus "
            f"longue que le maximum de {hhmm(vehicle.max_duration)}."
        )
    return PlannedRoute(vehicle.key, tuple(visits), metres, departure, return_time)


def _check_stop(
    prep: Prepared,
    stop: RouteStop,
    start: int,
    lateness: int,
    departure: int,
    return_time: int,
    warnings: list[str],
) -> None:
    if lateness and stop.fixed_start is not None:
        warnings.append(
            f"Arrêt {stop.key} : l'heure fixe de {hhmm(stop.fixed_start)} est manquée "
            f"(arrivée à {hhmm(start)}, {hhmm(lateness)} de retard)."
        )
    elif lateness:
        warnings.append(
            f"Arrêt {stop.key} : arrivée à {hhmm(start)}, {hhmm(lateness)} après la fin "
            f"de sa plage horaire ({hhmm(stop.window_end)})."
        )
    limit = prep.problem.max_cold_on_board
    if limit is None:
        return
    # Cold goods delivered here rode from the depot; cold goods picked up here ride home.
    on_board = 0
    if _is_cold(stop.delivery):
        on_board = max(on_board, start - departure)
    if _is_cold(stop.pickup):
        on_board = max(on_board, return_time - (start + stop.service))
    if on_board > limit:
        warnings.append(
            f"Arrêt {stop.key} : les denrées froides restent {hhmm(on_board)} dans le "
            f"camion, plus que le maximum de {hhmm(limit)}."
        )


def evaluate_prepared(prep: Prepared, routes: Mapping[str, Sequence[str]]) -> RoutePlan:
    warnings: list[str] = []
    stop_index, vehicle_index = prep.stop_index, prep.vehicle_index
    planned: list[PlannedRoute] = []
    placed: set[str] = set()
    for vehicle_key, keys in routes.items():
        if vehicle_key not in vehicle_index:
            warnings.append(f"Véhicule inconnu : {vehicle_key}.")
            continue
        stops: list[int] = []
        for key in keys:
            if key not in stop_index:
                warnings.append(f"Arrêt inconnu : {key}.")
            elif key in placed:
                warnings.append(f"Arrêt {key} : prévu plus d'une fois.")
            else:
                placed.add(key)
                stops.append(stop_index[key])
        if stops:
            planned.append(_route(prep, vehicle_index[vehicle_key], stops, warnings))
    unassigned = tuple(s.key for s in prep.problem.stops if s.key not in placed)
    return RoutePlan(tuple(planned), unassigned, tuple(warnings))


def plan_cost(problem: RoutingProblem, plan: RoutePlan) -> float:
    """What the solver minimises: kilometres times each vehicle's cost per km."""
    per_km = {v.key: v.cost_per_km for v in problem.vehicles}
    return sum(r.distance_m / 1000 * per_km[r.vehicle] for r in plan.routes)
