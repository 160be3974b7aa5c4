"""The only module that knows PyVRP (see docs/decisions/0006-route-solver.md).

Maps the routing model (and the Solomon / CVRPLIB benchmark instances) to PyVRP's
ProblemData and maps its solutions back to ordered stop keys.
"""

from __future__ import annotations

import multiprocessing
import time
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.search import NeighbourhoodParams
from pyvrp.stop import MaxRuntime

from .cvrplib import CvrpInstance
from .evaluate import Prepared
from .solomon import SolomonInstance

# Solomon distances are real numbers, PyVRP's are integers: scale them. Travel times are
# rounded *up* so a schedule that keeps every window here keeps it in double precision too.
SOLOMON_SCALE = 1000


# Under a few seconds, a smaller granular neighbourhood (30 nearest instead of PyVRP's 50)
# leaves time for more local-search rounds. Measured on the 12 Solomon instances of the
# benchmark at 1 s: mean gap +0.46 % → +0.25 %, worst +2.15 % → +1.59 % (ADR 0006).
SHORT_BUDGET_SECONDS = 3.0
SHORT_BUDGET_PARAMS = pyvrp.SolveParams(neighbourhood=NeighbourhoodParams(num_neighbours=30))


def _run(
    data: pyvrp.ProblemData,
    seconds: float,
    seed: int,
    initial: pyvrp.Solution | None = None,
    params: pyvrp.SolveParams | None = None,
) -> pyvrp.Solution:
    with warnings.catch_warnings():
        # PyVRP warns when it struggles to find a feasible plan; evaluate() / the checker
        # report what is actually broken, in words the planner can act on.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = pyvrp.solve(
            data,
            MaxRuntime(max(seconds, 0.001)),
            seed=seed,
            collect_stats=False,
            initial_solution=initial,
            params=params or pyvrp.SolveParams(),
        )
    return result.best


def _client_routes(solution: pyvrp.Solution) -> list[tuple[int, list[int]]]:
    """(vehicle type, client indices in visiting order) for each non-empty route."""
    out = []
    for route in solution.routes():
        clients = [a.idx for a in route.schedule() if a.is_client()]
        if clients:
            out.append((route.vehicle_type(), clients))
    return out


# --- the app's model -------------------------------------------------------------------


def problem_data(
    prep: Prepared, *, duration_caps: Mapping[int, int] | None = None
) -> pyvrp.ProblemData:
    """One vehicle type per vehicle (num_available 1), three load dimensions.

    Deliveries leave from the vehicle's start depot and pickups ride back to its end depot:
    PyVRP's simultaneous pickup and delivery. A fixed-time stop is a zero-width window.
    """
    problem = prep.problem
    depot_locations = sorted({*prep.start_location, *prep.end_location})
    depot_of = {loc: i for i, loc in enumerate(depot_locations)}
    locations = [pyvrp.Location(p.lon, p.lat) for p in prep.points]
    depots = [pyvrp.Depot(loc) for loc in depot_locations]
    clients = []
    for stop, loc in zip(problem.stops, prep.stop_location, strict=True):
        early = stop.fixed_start if stop.fixed_start is not None else stop.window_start
        late = stop.fixed_start if stop.fixed_start is not None else stop.window_end
        # An inverted window (bad opening hours) would make PyVRP refuse the whole day:
        # solve as if it opened and closed at once; evaluate() then reports the lateness.
        late = max(late, early)
        clients.append(
            pyvrp.Client(
                loc,
                delivery=list(stop.delivery),
                pickup=list(stop.pickup),
                service_duration=stop.service,
                tw_early=early,
                tw_late=late,
                name=stop.key,
            )
        )
    caps = duration_caps or {}
    vehicle_types = []
    for i, vehicle in enumerate(problem.vehicles):
        limits = [x for x in (vehicle.max_duration, caps.get(i)) if x is not None]
        vehicle_types.append(
            pyvrp.VehicleType(
                1,
                capacity=list(vehicle.capacity),
                start_depot=depot_of[prep.start_location[i]],
                end_depot=depot_of[prep.end_location[i]],
                tw_early=vehicle.shift_start,
                tw_late=max(vehicle.shift_end, vehicle.shift_start),
                shift_duration=min(limits) if limits else np.iinfo(np.int64).max,
                # Cost units: metres × cents per km, so cost per km may differ by vehicle.
                unit_distance_cost=max(1, round(vehicle.cost_per_km * 100)),
                name=vehicle.key,
            )
        )
    return pyvrp.ProblemData(
        locations,
        clients,
        depots,
        vehicle_types,
        [np.asarray(prep.matrices.distance_m, dtype=np.int64)],  # type: ignore[list-item]
        [np.asarray(prep.matrices.duration_s, dtype=np.int64)],  # type: ignore[list-item]
    )


def solve_prepared(
    prep: Prepared,
    *,
    seconds: float,
    seed: int,
    initial: Mapping[str, Sequence[str]] | None = None,
    duration_caps: Mapping[int, int] | None = None,
) -> dict[str, list[str]]:
    """Best routes found as {vehicle key: [stop keys in order]}."""
    data = problem_data(prep, duration_caps=duration_caps)
    warm = _warm_start(prep, data, initial) if initial else None
    best = _run(data, seconds, seed, warm)
    problem = prep.problem
    return {
        problem.vehicles[vt].key: [problem.stops[c].key for c in clients]
        for vt, clients in _client_routes(best)
    }


def _warm_start(
    prep: Prepared, data: pyvrp.ProblemData, routes: Mapping[str, Sequence[str]]
) -> pyvrp.Solution | None:
    stop_index, vehicle_index = prep.stop_index, prep.vehicle_index
    pyvrp_routes = []
    for vehicle_key, keys in routes.items():
        if vehicle_key not in vehicle_index or any(k not in stop_index for k in keys):
            return None
        if keys:
            visits = [stop_index[k] for k in keys]
            pyvrp_routes.append(pyvrp.Route(data, visits, vehicle_index[vehicle_key]))
    try:
        return pyvrp.Solution(data, pyvrp_routes)
    except (ValueError, IndexError):
        return None


# --- benchmark instances --------------------------------------------------------------


def solomon_data(
    inst: SolomonInstance, *, fixed_cost: int = 0, vehicles: int | None = None
) -> pyvrp.ProblemData:
    xy = np.column_stack([inst.x, inst.y])
    exact = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)) * SOLOMON_SCALE
    distance = np.rint(exact).astype(np.int64)
    duration = np.ceil(exact - 1e-9).astype(np.int64)
    s = SOLOMON_SCALE
    locations = [pyvrp.Location(x, y) for x, y in zip(inst.x, inst.y, strict=True)]
    clients = [
        pyvrp.Client(
            i,
            delivery=[inst.demand[i]],
            service_duration=inst.service[i] * s,
            tw_early=inst.ready[i] * s,
            tw_late=inst.due[i] * s,
        )
        for i in range(1, len(inst.x))
    ]
    depot = pyvrp.Depot(0, tw_early=inst.ready[0] * s, tw_late=inst.due[0] * s)
    vehicle_type = pyvrp.VehicleType(
        vehicles or inst.vehicles,
        capacity=[inst.capacity],
        tw_early=inst.ready[0] * s,
        tw_late=inst.due[0] * s,
        fixed_cost=fixed_cost,
    )
    return pyvrp.ProblemData(locations, clients, [depot], [vehicle_type], [distance], [duration])


def _numbered(solution: pyvrp.Solution) -> list[list[int]]:
    # Client index i is customer number i + 1 (location i + 1; the depot is location 0).
    return [[c + 1 for c in clients] for _vt, clients in _client_routes(solution)]


def _one_solomon(args: tuple[SolomonInstance, float, str, int]) -> list[list[int]]:
    inst, seconds, objective, seed = args
    return solve_solomon(inst, seconds=seconds, objective=objective, seed=seed)


def _one_cvrp(args: tuple[CvrpInstance, float, str, int]) -> list[list[int]]:
    inst, seconds, _objective, seed = args
    return solve_cvrp(inst, seconds=seconds, seed=seed)


def best_of_seeds(
    inst: SolomonInstance | CvrpInstance,
    *,
    seconds: float,
    objective: str = "distance",
    seed: int = 1,
    workers: int = 1,
) -> list[list[int]]:
    """Run `workers` independent seeds side by side (one process each) and keep the best.

    PyVRP's search is single-threaded; on a 2-core machine two seeds cost no more wall
    time than one. "Best" is fewest routes then shortest distance for `hierarchical`,
    shortest distance otherwise, both measured by the independent checker.
    """
    from .checker import check_cvrp, check_solomon

    is_solomon = isinstance(inst, SolomonInstance)
    one = _one_solomon if is_solomon else _one_cvrp
    jobs = [(inst, seconds, objective, seed + k) for k in range(max(1, workers))]
    if len(jobs) == 1:
        candidates = [one(jobs[0])]  # type: ignore[arg-type]
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(len(jobs), mp_context=context) as pool:
            candidates = list(pool.map(one, jobs))  # type: ignore[arg-type]

    def rank(routes: list[list[int]]) -> tuple[bool, int, float]:
        check = (
            check_solomon(inst, routes)
            if isinstance(inst, SolomonInstance)
            else check_cvrp(inst, routes)
        )
        vehicles = check.vehicles if objective == "hierarchical" else 0
        return (not check.feasible, vehicles, check.distance)

    return min(candidates, key=rank)


def solve_solomon(
    inst: SolomonInstance,
    *,
    seconds: float,
    objective: str = "distance",
    seed: int = 1,
    fleet_share: float | None = None,
) -> list[list[int]]:
    """Routes as customer numbers. `hierarchical`: fewest vehicles first, then distance.

    Hierarchical: a share of the time (half up to 100 customers, a quarter beyond, where
    distance needs more of it) goes to PyVRP's fleet minimisation (it drops one vehicle
    at a time while a feasible plan still exists), the rest to distance with that
    fleet, and a fixed cost per vehicle larger than any distance saving (the sum of every
    customer's round trip) so that using one vehicle less always wins.
    """
    if objective != "hierarchical":
        short = SHORT_BUDGET_PARAMS if seconds < SHORT_BUDGET_SECONDS else None
        return _numbered(_run(solomon_data(inst), seconds, seed, params=short))
    started = time.monotonic()
    if fleet_share is None:
        fleet_share = 0.5 if inst.customers <= 100 else 0.25
    fixed_cost = int(sum(2 * inst.distance(0, i) for i in range(1, len(inst.x))) * SOLOMON_SCALE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        fleet = pyvrp.minimise_fleet(
            solomon_data(inst), MaxRuntime(seconds * fleet_share), seed=seed
        )
    remaining = max(seconds - (time.monotonic() - started), 0.1)
    data = solomon_data(inst, fixed_cost=fixed_cost, vehicles=fleet.num_available)
    best = _run(data, remaining, seed)
    if not best.is_feasible():  # rare: the smaller fleet was found but not found again
        best = _run(solomon_data(inst, fixed_cost=fixed_cost), seconds / 4, seed)
    return _numbered(best)


def cvrp_data(inst: CvrpInstance) -> pyvrp.ProblemData:
    xy = np.column_stack([inst.x, inst.y])
    distance = np.floor(np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)) + 0.5)
    distance = distance.astype(np.int64)
    locations = [pyvrp.Location(x, y) for x, y in zip(inst.x, inst.y, strict=True)]
    clients = [pyvrp.Client(i, delivery=[inst.demand[i]]) for i in range(1, len(inst.x))]
    # CVRPLIB's fleet is unlimited: as many vehicles as customers.
    vehicle_type = pyvrp.VehicleType(len(clients), capacity=[inst.capacity])
    return pyvrp.ProblemData(
        locations, clients, [pyvrp.Depot(0)], [vehicle_type], [distance], [distance]
    )


def solve_cvrp(inst: CvrpInstance, *, seconds: float, seed: int = 1) -> list[list[int]]:
    return _numbered(_run(cvrp_data(inst), seconds, seed))
