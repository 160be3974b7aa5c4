"""The routing domain model: what the app asks of a route optimiser and what it gets back.

The app (tours, stops, vehicles) only speaks these types; the solver adapter behind
`cordee.transport.routing.solve` turns them into a concrete engine's input, so the engine
can be swapped (see docs/decisions/). Times are seconds since the tour day's midnight;
loads are integer grams per compartment (dry, chilled, frozen); distances are metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Load = tuple[int, int, int]  # grams: (dry, chilled, frozen)
NO_LOAD: Load = (0, 0, 0)


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class RouteStop:
    """A place the truck must visit once: a pickup (load comes on) and/or a delivery (goes off).

    `fixed_start` pins service start to one time (a mobile-counter stop announced to the
    public); otherwise service must start within [window_start, window_end].
    """

    key: str
    point: Point
    window_start: int
    window_end: int
    service: int = 0
    delivery: Load = NO_LOAD
    pickup: Load = NO_LOAD
    fixed_start: int | None = None


@dataclass(frozen=True)
class RouteVehicle:
    key: str
    capacity: Load
    start: Point
    end: Point
    shift_start: int
    shift_end: int
    max_duration: int | None = None
    cost_per_km: float = 1.0


@dataclass(frozen=True)
class RoutingProblem:
    stops: tuple[RouteStop, ...]
    vehicles: tuple[RouteVehicle, ...]
    # Cold chain: no chilled or frozen gram may stay on board longer than this (seconds).
    max_cold_on_board: int | None = None


@dataclass(frozen=True)
class StopVisit:
    key: str
    arrival: int
    service_start: int
    departure: int
    wait: int
    lateness: int
    load_after: Load


@dataclass(frozen=True)
class PlannedRoute:
    vehicle: str
    visits: tuple[StopVisit, ...]
    distance_m: int
    departure: int
    return_time: int

    @property
    def duration(self) -> int:
        return self.return_time - self.departure


@dataclass(frozen=True)
class RoutePlan:
    routes: tuple[PlannedRoute, ...]
    unassigned: tuple[str, ...] = ()
    # Plain-French sentences for every broken rule (lateness, overload, cold chain, duration).
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def feasible(self) -> bool:
        return not self.warnings and not self.unassigned

    @property
    def distance_m(self) -> int:
        return sum(r.distance_m for r in self.routes)
