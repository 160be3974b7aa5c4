"""Route optimisation behind Cordée's own small model (see model.py and ADR 0006).

`solve()` asks the engine (PyVRP, in pyvrp_adapter.py) for routes, then always checks them
with `evaluate()`, which is plain Python: the plan the app shows carries its own ETAs,
loads and plain-French warnings whatever the engine did.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence

from .evaluate import Prepared, evaluate_prepared, plan_cost, prepare
from .model import (
    NO_LOAD,
    Load,
    PlannedRoute,
    Point,
    RoutePlan,
    RouteStop,
    RouteVehicle,
    RoutingProblem,
    StopVisit,
)

__all__ = [
    "NO_LOAD",
    "Load",
    "PlannedRoute",
    "Point",
    "RoutePlan",
    "RouteStop",
    "RouteVehicle",
    "RoutingProblem",
    "StopVisit",
    "evaluate",
    "solve",
]

DEFAULT_STABILITY_TOLERANCE = 0.02


def evaluate(problem: RoutingProblem, routes: Mapping[str, Sequence[str]]) -> RoutePlan:
    """Schedule the given stop orders ({vehicle key: [stop keys]}) and list broken rules."""
    return evaluate_prepared(prepare(problem), routes)


def _stability_tolerance() -> float:
    try:
        from django.conf import settings

        value = getattr(settings, "CORDEE_ROUTING_STABILITY_TOLERANCE", None)
    except Exception:  # settings not configured (plain scripts)
        value = None
    if value is None:
        value = os.environ.get("CORDEE_ROUTING_STABILITY_TOLERANCE") or None
    return DEFAULT_STABILITY_TOLERANCE if value is None else float(value)


def _cold_caps(prep: Prepared) -> dict[int, int]:
    """Cap the tour duration of every vehicle that can carry cold goods at the cold limit.

    Sound: on a tour no longer than the limit, no gram rides longer than the limit.
    """
    problem = prep.problem
    limit = problem.max_cold_on_board
    if limit is None:
        return {}
    return {
        i: limit
        for i, vehicle in enumerate(problem.vehicles)
        if vehicle.capacity[1] > 0 or vehicle.capacity[2] > 0
    }


def _breaks_cold_chain(plan: RoutePlan) -> bool:
    return any("denrées froides" in w for w in plan.warnings)


def _better(a: RoutePlan, b: RoutePlan, problem: RoutingProblem) -> RoutePlan:
    """Fewer unassigned stops, then fewer broken rules, then lower cost."""

    def key(plan: RoutePlan) -> tuple[int, int, float]:
        return (len(plan.unassigned), len(plan.warnings), plan_cost(problem, plan))

    return a if key(a) <= key(b) else b


def solve(
    problem: RoutingProblem,
    *,
    seconds: float,
    previous: dict[str, list[str]] | None = None,
    seed: int = 1,
) -> RoutePlan:
    """Optimise the routes within about `seconds`, then check them with `evaluate`.

    Cold chain: PyVRP has no "time on board" rule. The first solve ignores it; if
    `evaluate` finds cold goods riding too long, a second solve caps the duration of the
    cold-capable vehicles' tours at `max_cold_on_board` (ADR 0006). Stability: when
    `previous` is given and still feasible within the tolerance of the new cost, it wins.
    """
    if not problem.stops:
        return RoutePlan(())
    if not problem.vehicles:
        return RoutePlan((), tuple(s.key for s in problem.stops))
    from . import pyvrp_adapter  # imported here so evaluate() never needs the engine

    prep = prepare(problem)
    if previous:
        # Last week's stops that are gone this week are simply dropped from its order.
        known = prep.stop_index
        previous = {v: [k for k in keys if k in known] for v, keys in previous.items()}
    started = time.monotonic()
    routes = pyvrp_adapter.solve_prepared(prep, seconds=seconds, seed=seed, initial=previous)
    plan = evaluate_prepared(prep, routes)
    if _breaks_cold_chain(plan) and _cold_caps(prep):
        remaining = max(seconds - (time.monotonic() - started), seconds / 2)
        capped_routes = pyvrp_adapter.solve_prepared(
            prep, seconds=remaining, seed=seed, duration_caps=_cold_caps(prep)
        )
        plan = _better(evaluate_prepared(prep, capped_routes), plan, problem)
    if previous:
        plan = _keep_previous(prep, plan, previous)
    return plan


def _keep_previous(
    prep: Prepared, plan: RoutePlan, previous: Mapping[str, Sequence[str]]
) -> RoutePlan:
    old = evaluate_prepared(prep, previous)
    if not old.feasible:
        return plan
    new_cost, old_cost = plan_cost(prep.problem, plan), plan_cost(prep.problem, old)
    if not plan.feasible or old_cost <= new_cost * (1 + _stability_tolerance()):
        return old
    return plan
