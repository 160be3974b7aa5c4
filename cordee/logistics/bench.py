"""Benchmarks of the logistics engine, printed by ``make bench`` (``manage.py bench``)."""

import random
import statistics
import time
from datetime import date, timedelta

from .allocation import (
    CHILLED,
    DRY,
    FROZEN,
    AllocationPolicy,
    LotSupply,
    MemberProfile,
    MemberRequest,
    adjust,
    allocate,
)

ALLOCATION_TARGET_MS = 200.0


def synthetic_allocation_case(
    *, lots: int = 2000, members: int = 30, seed: int = 2026
) -> tuple[list[LotSupply], list[MemberRequest], list[MemberProfile]]:
    """A deterministic delivery day: 15 categories over the 3 storage classes, members with
    household weights and capacities, several categories ordered beyond the supply."""
    rng = random.Random(seed)
    today = date(2026, 3, 2)
    categories = [(c, FROZEN) for c in range(1, 5)]
    categories += [(c, CHILLED) for c in range(5, 10)]
    categories += [(c, DRY) for c in range(10, 16)]
    supply: list[LotSupply] = []
    for lot_id in range(1, lots + 1):
        category_id, storage = rng.choice(categories)
        if storage == DRY and rng.random() < 0.6:
            use_by = None
        else:
            use_by = today + timedelta(days=rng.randint(0, 30 if storage == CHILLED else 120))
        supply.append(LotSupply(lot_id, category_id, storage, rng.randint(500, 60_000), use_by))
    supply_by_category: dict[int, int] = {}
    for lot in supply:
        supply_by_category[lot.category_id] = (
            supply_by_category.get(lot.category_id, 0) + lot.quantity_g
        )

    profiles = [
        MemberProfile(
            member_id,
            weight=float(rng.randint(0, 140) if member_id % 10 else 0),
            capacity_g={
                FROZEN: rng.randint(50, 600) * 1000,
                CHILLED: rng.randint(100, 900) * 1000,
                DRY: None if rng.random() < 0.5 else rng.randint(500, 3000) * 1000,
            },
        )
        for member_id in range(1, members + 1)
    ]
    requests: list[MemberRequest] = []
    for category_id, _storage in categories:
        # Demand between 50 % and 250 % of the supply: about half the categories are short.
        demand = supply_by_category.get(category_id, 0) * rng.uniform(0.5, 2.5)
        ordering = [m for m in range(1, members + 1) if rng.random() < 0.8]
        for member_id in ordering:
            requests.append(
                MemberRequest(
                    member_id, category_id, int(demand / len(ordering) * rng.random() * 2)
                )
            )
    return supply, requests, profiles


def _timed(runs: int, function: object) -> list[float]:
    assert callable(function)
    timings = []
    for _run in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def bench_allocation(runs: int = 20) -> list[str]:
    """Fair allocation of 2,000 lots among 30 members (target ≤ 200 ms)."""
    lots, requests, members = synthetic_allocation_case()
    result = allocate(lots, requests, members, AllocationPolicy.HOUSEHOLDS)  # warm-up
    short = sum(1 for t in result.totals.values() if t.capped_g > t.supply_g)
    timings = _timed(runs, lambda: allocate(lots, requests, members, AllocationPolicy.HOUSEHOLDS))
    median, worst = statistics.median(timings), max(timings)
    verdict = "OK" if worst <= ALLOCATION_TARGET_MS else "TOO SLOW"
    member_id, category_id = requests[0].member_id, requests[0].category_id
    granted = result.per_member[member_id][category_id].granted_g
    adjust_timings = _timed(
        runs, lambda: adjust(result, member_id, category_id, granted // 2, lots)
    )
    return [
        f"allocation {len(lots)} lots × {len(members)} members "
        f"({len(result.totals)} categories, {short} short, {len(result.lines)} lines): "
        f"median {median:.1f} ms, max {worst:.1f} ms "
        f"(target ≤ {ALLOCATION_TARGET_MS:.0f} ms) — {verdict}",
        f"allocation manual adjustment of one member × category: "
        f"median {statistics.median(adjust_timings):.1f} ms, "
        f"max {max(adjust_timings):.1f} ms",
    ]
