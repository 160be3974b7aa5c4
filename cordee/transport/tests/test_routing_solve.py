"""solve() and evaluate() on small problems, each plan re-checked independently here."""

from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from cordee.transport.routing import (
    Point,
    RoutePlan,
    RouteStop,
    RouteVehicle,
    RoutingProblem,
    evaluate,
    solve,
)
from cordee.transport.routing.distances import crow_matrices

H = 3600
HUB = Point(46.05, -74.28)
KG = 1000


@pytest.fixture(autouse=True)
def crow_flies(monkeypatch):
    monkeypatch.delenv("OSRM_URL", raising=False)
    monkeypatch.setenv("CORDEE_ROUTING_DETOUR", "1.3")
    monkeypatch.setenv("CORDEE_ROUTING_SPEED_KMH", "60")


def at(dlat: float, dlon: float) -> Point:
    return Point(HUB.lat + dlat, HUB.lon + dlon)


def vehicle(key: str = "camion", capacity=(1000 * KG, 500 * KG, 300 * KG), **kw) -> RouteVehicle:
    kw.setdefault("shift_start", 7 * H)
    kw.setdefault("shift_end", 18 * H)
    return RouteVehicle(key, capacity, HUB, HUB, **kw)


def stop(key: str, point: Point, start: int = 7 * H, end: int = 18 * H, **kw) -> RouteStop:
    return RouteStop(key, point, start, end, **kw)


def independent_check(problem: RoutingProblem, plan: RoutePlan) -> None:
    """Recompute the plan from the raw matrices, without evaluate()'s code."""
    points = [HUB] + [s.point for s in problem.stops]
    matrices = crow_matrices(points)
    index = {s.key: i + 1 for i, s in enumerate(problem.stops)}
    by_key = {s.key: s for s in problem.stops}
    vehicles = {v.key: v for v in problem.vehicles}
    seen = [v.key for r in plan.routes for v in r.visits]
    assert sorted(seen) == sorted(by_key), "every stop exactly once"
    for route in plan.routes:
        v = vehicles[route.vehicle]
        assert v.shift_start <= route.departure and route.return_time <= v.shift_end
        if v.max_duration is not None:
            assert route.return_time - route.departure <= v.max_duration
        load = [sum(by_key[x.key].delivery[c] for x in route.visits) for c in range(3)]
        assert all(load[c] <= v.capacity[c] for c in range(3))
        t, here = route.departure, 0
        for visit in route.visits:
            s = by_key[visit.key]
            t += matrices.duration_s[here][index[s.key]]
            assert visit.arrival == t
            start = max(t, s.fixed_start if s.fixed_start is not None else s.window_start)
            assert visit.service_start == start
            if s.fixed_start is not None:
                assert start == s.fixed_start
            assert s.window_start <= start <= s.window_end
            load = [load[c] - s.delivery[c] + s.pickup[c] for c in range(3)]
            assert tuple(load) == visit.load_after
            assert all(load[c] <= v.capacity[c] for c in range(3))
            if problem.max_cold_on_board is not None and (s.delivery[1] or s.delivery[2]):
                assert start - route.departure <= problem.max_cold_on_board
            t, here = start + s.service, index[s.key]
        assert route.return_time == t + matrices.duration_s[here][0]


def test_compartment_capacity_splits_the_load_over_two_vehicles():
    problem = RoutingProblem(
        stops=tuple(
            stop(f"s{i}", at(0.01 * i, 0.02), delivery=(10 * KG, 60 * KG, 0)) for i in range(1, 4)
        ),
        vehicles=(
            vehicle("a", capacity=(500 * KG, 100 * KG, 0)),
            vehicle("b", capacity=(500 * KG, 150 * KG, 0)),
        ),
    )
    plan = solve(problem, seconds=0.2)
    assert plan.feasible, plan.warnings
    assert len(plan.routes) == 2
    independent_check(problem, plan)


def test_time_windows_decide_the_order():
    # Geometrically c, b, a would be natural; the windows say a, then b, then c.
    problem = RoutingProblem(
        stops=(
            stop("a", at(0.10, 0), 11 * H, 11 * H + 1800, service=600),
            stop("b", at(0.05, 0), 12 * H, 12 * H + 1800, service=600),
            stop("c", at(0.02, 0), 13 * H, 13 * H + 1800, service=600),
        ),
        vehicles=(vehicle(),),
    )
    plan = solve(problem, seconds=0.2)
    assert plan.feasible, plan.warnings
    assert [v.key for v in plan.routes[0].visits] == ["a", "b", "c"]
    assert plan.routes[0].visits[0].wait == 0  # leaves the hub late rather than waiting
    independent_check(problem, plan)


def test_pickups_and_deliveries_on_the_same_tour_deliver_before_loading():
    # 100 kg of room: the two deliveries fill it, so pickups can only come after them.
    problem = RoutingProblem(
        stops=(
            stop("depot-alimentaire-1", at(0.01, 0), delivery=(50 * KG, 0, 0)),
            stop("depot-alimentaire-2", at(0.03, 0), delivery=(50 * KG, 0, 0)),
            stop("epicerie-1", at(0.02, 0.001), pickup=(50 * KG, 0, 0)),
            stop("epicerie-2", at(0.04, 0.001), pickup=(50 * KG, 0, 0)),
        ),
        vehicles=(vehicle(capacity=(100 * KG, 0, 0)),),
    )
    plan = solve(problem, seconds=0.2)
    assert plan.feasible, plan.warnings
    order = [v.key for v in plan.routes[0].visits]
    assert set(order[:2]) == {"depot-alimentaire-1", "depot-alimentaire-2"}
    assert plan.routes[0].visits[-1].load_after == (100 * KG, 0, 0)
    independent_check(problem, plan)


def test_max_duration_needs_several_vehicles():
    problem = RoutingProblem(
        stops=tuple(
            stop(f"s{i}", at(0.2 * (1 if i % 2 else -1), 0.05 * i), service=1800)
            for i in range(1, 5)
        ),
        vehicles=(
            vehicle("a", max_duration=int(2.5 * H)),
            vehicle("b", max_duration=int(2.5 * H)),
            vehicle("c", max_duration=int(2.5 * H)),
        ),
    )
    plan = solve(problem, seconds=0.3)
    assert plan.feasible, plan.warnings
    assert len(plan.routes) >= 2
    independent_check(problem, plan)


def test_fixed_time_stop_starts_exactly_on_time():
    problem = RoutingProblem(
        stops=(
            stop("comptoir-mobile", at(0.05, 0.05), fixed_start=10 * H, service=3600),
            stop("membre", at(0.02, 0.0), 8 * H, 16 * H, service=600),
        ),
        vehicles=(vehicle(),),
    )
    plan = solve(problem, seconds=0.2)
    assert plan.feasible, plan.warnings
    visits = {v.key: v for v in plan.routes[0].visits}
    assert visits["comptoir-mobile"].service_start == 10 * H
    independent_check(problem, plan)


def test_cold_goods_never_ride_longer_than_the_limit():
    # One loop through all four stops is shortest but keeps chilled goods too long,
    # so the plan must use two tours.
    stops = tuple(
        stop(f"froid-{i}", at(dlat, dlon), service=1800, delivery=(0, 20 * KG, 10 * KG))
        for i, (dlat, dlon) in enumerate([(0.15, 0), (0.15, 0.1), (-0.15, 0), (-0.15, -0.1)])
    )
    problem = RoutingProblem(stops, (vehicle("a"), vehicle("b")), max_cold_on_board=2 * H)
    one_loop = evaluate(problem, {"a": [s.key for s in stops]})
    assert any("denrées froides" in w for w in one_loop.warnings)
    plan = solve(problem, seconds=0.3)
    assert plan.feasible, plan.warnings
    independent_check(problem, plan)


def test_evaluate_gives_etas_waits_and_loads():
    problem = RoutingProblem(
        stops=(
            stop("a", at(0.1, 0), 9 * H, 10 * H, service=600, delivery=(20 * KG, 5 * KG, 0)),
            stop("b", at(0.2, 0), 8 * H, 17 * H, service=600, pickup=(0, 0, 7 * KG)),
        ),
        vehicles=(vehicle(),),
    )
    plan = evaluate(problem, {"camion": ["a", "b"]})
    assert plan.feasible
    route = plan.routes[0]
    a, b = route.visits
    assert a.arrival == 9 * H and a.wait == 0  # the truck leaves just in time
    assert a.load_after == (0, 0, 0) and b.load_after == (0, 0, 7 * KG)
    assert route.distance_m > 2 * 22_000  # ~22 km as the crow flies, there and back
    independent_check(problem, plan)


def test_evaluate_names_every_broken_rule_in_french():
    problem = RoutingProblem(
        stops=(
            stop("loin", at(0.5, 0), 7 * H, 7 * H + 600, delivery=(0, 80 * KG, 0)),
            stop("mobile", at(0.0, 0.3), fixed_start=7 * H + 1800),
            stop("lourd", at(0.01, 0), delivery=(0, 0, 400 * KG)),
        ),
        vehicles=(vehicle(max_duration=H, capacity=(100 * KG, 50 * KG, 300 * KG)),),
        max_cold_on_board=H,
    )
    plan = evaluate(problem, {"camion": ["loin", "mobile", "lourd"]})
    text = "\n".join(plan.warnings)
    assert not plan.feasible
    assert "Arrêt loin : arrivée à" in text and "après la fin de sa plage horaire" in text
    assert "Arrêt mobile : l'heure fixe de 7 h 30 est manquée" in text
    assert "chargement réfrigéré de 80 kg, au-delà de sa capacité de 50 kg" in text
    assert "chargement congelé de 400 kg, au-delà de sa capacité de 300 kg" in text
    assert "plus longue que le maximum de 1 h 00" in text
    assert "Arrêt lourd : les denrées froides restent" in text


def test_evaluate_reports_unknown_duplicate_and_missing_stops():
    problem = RoutingProblem(
        stops=(stop("a", at(0.01, 0)), stop("b", at(0.02, 0))),
        vehicles=(vehicle(),),
    )
    plan = evaluate(problem, {"camion": ["a", "a", "zzz"], "fantome": ["b"]})
    assert plan.unassigned == ("b",)
    assert "Arrêt a : prévu plus d'une fois." in plan.warnings
    assert "Arrêt inconnu : zzz." in plan.warnings
    assert "Véhicule inconnu : fantome." in plan.warnings


def test_stability_keeps_last_weeks_order_at_equal_cost():
    # No windows, symmetric distances: a tour and its reverse cost the same.
    stops = tuple(stop(f"s{i}", at(0.02 * i, 0.03 * (i % 3))) for i in range(1, 7))
    problem = RoutingProblem(stops, (vehicle(),))
    fresh = solve(problem, seconds=0.2)
    order = [v.key for v in fresh.routes[0].visits]
    last_week = {"camion": list(reversed(order))}
    plan = solve(problem, seconds=0.2, previous=last_week)
    assert [v.key for v in plan.routes[0].visits] == last_week["camion"]
    independent_check(problem, plan)


def test_stability_ignores_stops_that_are_gone_and_places_new_ones():
    stops = tuple(stop(f"s{i}", at(0.02 * i, 0.03 * (i % 3))) for i in range(1, 7))
    problem = RoutingProblem(stops, (vehicle(),))
    order = [v.key for v in solve(problem, seconds=0.2).routes[0].visits]
    gone = {"camion": ["ancien", *reversed(order)]}
    kept = solve(problem, seconds=0.2, previous=gone)
    assert [v.key for v in kept.routes[0].visits] == list(reversed(order))
    bigger = RoutingProblem((*stops, stop("nouveau", at(0.03, 0.01))), (vehicle(),))
    plan = solve(bigger, seconds=0.2, previous=gone)
    assert plan.feasible and "nouveau" in [v.key for v in plan.routes[0].visits]
    independent_check(bigger, plan)


def test_stability_gives_up_a_clearly_worse_previous_order(monkeypatch):
    stops = tuple(stop(f"s{i}", at(0.02 * i, 0)) for i in range(1, 6))
    problem = RoutingProblem(stops, (vehicle(),))
    zigzag = {"camion": ["s1", "s5", "s2", "s4", "s3"]}
    plan = solve(problem, seconds=0.2, previous=zigzag)
    assert [v.key for v in plan.routes[0].visits] != zigzag["camion"]
    # With a tolerance wide enough, the planner's habit wins.
    monkeypatch.setenv("CORDEE_ROUTING_STABILITY_TOLERANCE", "10")
    kept = solve(problem, seconds=0.2, previous=zigzag)
    assert [v.key for v in kept.routes[0].visits] == zigzag["camion"]


def test_stability_never_keeps_an_infeasible_previous_order():
    stops = (
        stop("tot", at(0.05, 0), 8 * H, 9 * H),
        stop("tard", at(0.02, 0), 15 * H, 16 * H),
    )
    problem = RoutingProblem(stops, (vehicle(),))
    plan = solve(problem, seconds=0.2, previous={"camion": ["tard", "tot"]})
    assert plan.feasible
    assert [v.key for v in plan.routes[0].visits] == ["tot", "tard"]


def test_empty_problems():
    assert solve(RoutingProblem((), (vehicle(),)), seconds=0.1).routes == ()
    plan = solve(RoutingProblem((stop("a", at(0.01, 0)),), ()), seconds=0.1)
    assert plan.unassigned == ("a",) and not plan.feasible


def test_impossible_window_is_reported_not_hidden():
    problem = RoutingProblem(
        stops=(stop("trop-loin", at(1.5, 0), 7 * H, 7 * H + 600),),
        vehicles=(vehicle(),),
    )
    plan = solve(problem, seconds=0.1)
    assert not plan.feasible
    assert any("trop-loin" in w for w in plan.warnings)


def test_inverted_window_is_solved_and_reported():
    problem = RoutingProblem(
        stops=(stop("a", at(0.02, 0), 14 * H, 13 * H), stop("b", at(0.03, 0))),
        vehicles=(vehicle(),),
    )
    plan = solve(problem, seconds=0.1)
    assert {v.key for v in plan.routes[0].visits} == {"a", "b"}
    assert any(w.startswith("Arrêt a : arrivée à 14 h 00") for w in plan.warnings)


@st.composite
def small_problems(draw) -> RoutingProblem:
    n = draw(st.integers(2, 7))
    stops = []
    for i in range(n):
        start = draw(st.integers(7 * H, 15 * H))
        fixed = draw(st.sampled_from([None, None, None, start]))
        stops.append(
            stop(
                f"s{i}",
                at(draw(st.floats(-0.2, 0.2)), draw(st.floats(-0.2, 0.2))),
                start,
                start + draw(st.integers(0, 4 * H)),
                service=draw(st.integers(0, 1800)),
                delivery=tuple(draw(st.integers(0, 80)) * KG for _ in range(3)),
                pickup=tuple(draw(st.integers(0, 80)) * KG for _ in range(3)),
                fixed_start=fixed,
            )
        )
    fleet = tuple(
        vehicle(f"v{k}", capacity=(200 * KG, 150 * KG, 100 * KG), max_duration=8 * H)
        for k in range(draw(st.integers(1, 3)))
    )
    return RoutingProblem(tuple(stops), fleet)


@settings(max_examples=25, deadline=None)
@given(small_problems())
def test_solver_and_evaluate_agree_on_feasibility(problem):
    """Two implementations of the same rules: PyVRP's and evaluate()'s (plain Python)."""
    import pyvrp
    from pyvrp.stop import MaxIterations

    from cordee.transport.routing import pyvrp_adapter
    from cordee.transport.routing.evaluate import prepare

    prep = prepare(problem)
    data = pyvrp_adapter.problem_data(prep)
    best = pyvrp.solve(data, MaxIterations(50), seed=1, collect_stats=False).best
    routes = {
        problem.vehicles[r.vehicle_type()].key: [
            problem.stops[a.idx].key for a in r.schedule() if a.is_client()
        ]
        for r in best.routes()
    }
    plan = evaluate(problem, routes)
    assert plan.feasible == best.is_feasible(), plan.warnings
    event(f"feasible={plan.feasible}")
    if plan.feasible:
        independent_check(problem, plan)
        assert plan.distance_m == best.distance()
