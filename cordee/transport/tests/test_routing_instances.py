"""Benchmark instance parsers, the independent checker and the route_solve command."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cordee.transport.routing.checker import check_cvrp, check_solomon
from cordee.transport.routing.cvrplib import parse_cvrp
from cordee.transport.routing.solomon import InstanceError, parse_solomon

# Depot at (0, 0), horizon 1000; five customers, three vehicles of capacity 30.
TINY_SOLOMON = """TINY1\r
\r
VEHICLE\r
NUMBER     CAPACITY\r
  3         30\r
\r
CUSTOMER\r
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r
 \r
    0      0          0          0          0       1000          0\r
    1      10         0          10         0       100           10\r
    2      20         0          10         0       200           10\r
    3      0          10         10         50      60            10\r
    4      0          20         10         0       300           10\r
    5      -10        -10        15         0       500           10\r
"""

TINY_CVRP = """NAME : T-n6-k2
COMMENT : tiny test
TYPE : CVRP
DIMENSION : 6
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
 1 0 0
 2 3 4
 3 6 8
 4 -3 4
 5 -6 8
 6 0 1
DEMAND_SECTION
1 0
2 4
3 4
4 5
5 5
6 1
DEPOT_SECTION
 1
 -1
EOF
"""


def test_parse_solomon():
    inst = parse_solomon(TINY_SOLOMON)
    assert inst.name == "TINY1"
    assert (inst.vehicles, inst.capacity, inst.customers) == (3, 30, 5)
    assert inst.ready[3] == 50 and inst.due[3] == 60 and inst.service[1] == 10
    assert inst.distance(0, 5) == pytest.approx(math.sqrt(200))


@pytest.mark.parametrize(
    "text",
    ["", "NAME\nVEHICLE\nNUMBER CAPACITY\n", TINY_SOLOMON.replace("    4      0", "    9      0")],
)
def test_parse_solomon_rejects_bad_files(text):
    with pytest.raises(InstanceError):
        parse_solomon(text)


def test_parse_cvrp_renumbers_from_the_depot_and_rounds_edges():
    inst = parse_cvrp(TINY_CVRP)
    assert (inst.name, inst.capacity, inst.customers, inst.vehicles) == ("T-n6-k2", 10, 5, 2)
    assert inst.demand == (0, 4, 4, 5, 5, 1)
    assert inst.distance(0, 1) == 5 and inst.distance(1, 3) == 6
    assert parse_cvrp(TINY_CVRP.replace("6 0 1", "6 0.5 0.5")).distance(0, 5) == 1  # 0.707


def test_parse_cvrp_refuses_other_edge_types():
    with pytest.raises(InstanceError):
        parse_cvrp(TINY_CVRP.replace("EUC_2D", "GEO"))


def test_solomon_checker_accepts_a_good_solution_and_measures_it():
    inst = parse_solomon(TINY_SOLOMON)
    check = check_solomon(inst, [[1, 2], [3, 4], [5]])
    assert check.feasible, check.errors
    assert check.vehicles == 3
    assert check.distance == pytest.approx(40 + 40 + 2 * math.sqrt(200))


@pytest.mark.parametrize(
    ("routes", "error"),
    [
        ([[1, 2], [3, 4]], "not visited"),
        ([[1, 2], [3, 4], [5, 1]], "visited 2 times"),
        ([[1, 2, 3, 4], [5]], "load 40 > capacity 30"),
        ([[1, 2, 3], [4], [5]], "customer 3 starts"),  # due at 60, reached at 62.36
        ([[1], [2], [3], [4, 5]], "4 routes but only 3 vehicles"),
        ([[1, 2], [3, 4], [5, 99]], "unknown customer 99"),
    ],
)
def test_solomon_checker_catches_infeasible_solutions(routes, error):
    inst = parse_solomon(TINY_SOLOMON)
    check = check_solomon(inst, routes)
    assert not check.feasible
    assert any(error in e for e in check.errors), check.errors


def test_solomon_checker_catches_a_late_return():
    inst = parse_solomon(TINY_SOLOMON.replace("0       1000", "0       50  "))
    check = check_solomon(inst, [[1, 2], [3, 4], [5]])
    assert any("back at depot" in e for e in check.errors)


def test_cvrp_checker():
    inst = parse_cvrp(TINY_CVRP)
    good = check_cvrp(inst, [[1, 2, 5], [3, 4]])
    assert good.feasible and good.distance == (5 + 5 + 9 + 1) + (5 + 5 + 10)
    bad = check_cvrp(inst, [[1, 2, 3], [4, 5]])
    assert not bad.feasible and any("capacity" in e for e in bad.errors)


def _run(*args: str) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("route_solve", *args, stdout=out)
    return json.loads(out.getvalue())


def test_route_solve_solomon_json(tmp_path: Path):
    path = tmp_path / "TINY1.txt"
    path.write_text(TINY_SOLOMON, encoding="utf-8")
    result = _run("--solomon", str(path), "--seconds", "0.3", "--json")
    assert list(result) == ["instance", "objective", "vehicles", "distance", "routes"]
    assert result["instance"] == "TINY1" and result["objective"] == "distance"
    inst = parse_solomon(TINY_SOLOMON)
    check = check_solomon(inst, result["routes"])
    assert check.feasible, check.errors
    assert result["vehicles"] == check.vehicles == len(result["routes"])
    assert result["distance"] == pytest.approx(check.distance, abs=0.01)


def test_route_solve_hierarchical_uses_fewest_vehicles(tmp_path: Path):
    # Capacity 60 fits everyone in one vehicle, wide windows: one route is possible.
    text = TINY_SOLOMON.replace("  3         30", "  3         60").replace(
        "50      60 ", "0       900"
    )
    path = tmp_path / "TINY2.txt"
    path.write_text(text, encoding="utf-8")
    result = _run(
        "--solomon", str(path), "--seconds", "0.3", "--json", "--objective", "hierarchical"
    )
    assert result["objective"] == "hierarchical"
    assert result["vehicles"] == 1
    assert check_solomon(parse_solomon(text), result["routes"]).feasible


def test_route_solve_cvrp_json(tmp_path: Path):
    path = tmp_path / "tiny.vrp"
    path.write_text(TINY_CVRP, encoding="utf-8")
    result = _run("--cvrp", str(path), "--seconds", "0.2", "--json")
    check = check_cvrp(parse_cvrp(TINY_CVRP), result["routes"])
    assert check.feasible and result["distance"] == check.distance
    assert result["distance"] == 40  # one tour on each side: the optimum


def test_route_solve_says_what_is_wrong(tmp_path: Path):
    with pytest.raises(CommandError):
        call_command("route_solve", "--solomon", str(tmp_path / "missing.txt"), "--json")
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing here", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("route_solve", "--solomon", str(bad), "--json")


BENCH = Path(os.environ.get("BENCH_DATA", Path(__file__).parents[4] / "shared" / "bench-data"))


@pytest.mark.skipif(not (BENCH / "solomon" / "C101.txt").exists(), reason="no ../shared bench data")
def test_route_solve_on_a_real_solomon_instance():
    result = _run("--solomon", str(BENCH / "solomon" / "R101.txt"), "--seconds", "1", "--json")
    inst = parse_solomon((BENCH / "solomon" / "R101.txt").read_text())
    check = check_solomon(inst, result["routes"])
    assert check.feasible, check.errors
    assert check.distance < 1642.88 * 1.03  # within 3 % of the distance-only best known
