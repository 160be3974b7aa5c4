"""An independent feasibility checker for benchmark solutions (plain Python, no solver).

Routes are lists of customer numbers (depot 0 excluded). Solomon VRPTW: every customer
exactly once, load ≤ capacity, service starts within [ready, due] (waiting allowed),
back at the depot by its due time, at most the file's vehicle number of routes; distance
in double precision. CVRP: every customer once, load ≤ capacity; distance is the sum of
per-edge rounded Euclidean costs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from .cvrplib import CvrpInstance
from .solomon import SolomonInstance

EPS = 1e-6


@dataclass(frozen=True)
class CheckResult:
    errors: tuple[str, ...]
    vehicles: int
    distance: float

    @property
    def feasible(self) -> bool:
        return not self.errors


def _coverage(customers: int, routes: Sequence[Sequence[int]], errors: list[str]) -> None:
    seen: dict[int, int] = {}
    for route in routes:
        for c in route:
            if not 1 <= c <= customers:
                errors.append(f"unknown customer {c}")
            seen[c] = seen.get(c, 0) + 1
    errors.extend(f"customer {c} visited {n} times" for c, n in sorted(seen.items()) if n > 1)
    missing = [c for c in range(1, customers + 1) if c not in seen]
    if missing:
        errors.append(f"{len(missing)} customers not visited (first: {missing[:5]})")


def check_solomon(inst: SolomonInstance, routes: Sequence[Sequence[int]]) -> CheckResult:
    errors: list[str] = []
    _coverage(inst.customers, routes, errors)
    used = [r for r in routes if r]
    if len(used) > inst.vehicles:
        errors.append(f"{len(used)} routes but only {inst.vehicles} vehicles")
    total = 0.0
    for n, route in enumerate(used, 1):
        if any(not 1 <= c <= inst.customers for c in route):
            continue
        load = sum(inst.demand[c] for c in route)
        if load > inst.capacity:
            errors.append(f"route {n}: load {load} > capacity {inst.capacity}")
        t, here = float(inst.ready[0]), 0
        for c in route:
            d = inst.distance(here, c)
            total += d
            start = max(t + d, inst.ready[c])
            if start > inst.due[c] + EPS:
                errors.append(f"route {n}: customer {c} starts at {start:.2f} > due {inst.due[c]}")
            t, here = start + inst.service[c], c
        back = inst.distance(here, 0)
        total += back
        if t + back > inst.due[0] + EPS:
            errors.append(f"route {n}: back at depot at {t + back:.2f} > {inst.due[0]}")
    return CheckResult(tuple(errors), len(used), total)


def check_cvrp(inst: CvrpInstance, routes: Sequence[Sequence[int]]) -> CheckResult:
    errors: list[str] = []
    _coverage(inst.customers, routes, errors)
    used = [r for r in routes if r]
    total = 0
    for n, route in enumerate(used, 1):
        if any(not 1 <= c <= inst.customers for c in route):
            continue
        load = sum(inst.demand[c] for c in route)
        if load > inst.capacity:
            errors.append(f"route {n}: load {load} > capacity {inst.capacity}")
        stops = [0, *route, 0]
        total += sum(inst.distance(a, b) for a, b in itertools.pairwise(stops))
    return CheckResult(tuple(errors), len(used), float(total))
