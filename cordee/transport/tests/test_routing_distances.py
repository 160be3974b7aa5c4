"""Travel distances: crow-flies defaults and the OSRM table client (against a local server)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cordee.transport.routing import Point, RouteStop, RouteVehicle, RoutingProblem, evaluate
from cordee.transport.routing.distances import (
    DistanceError,
    crow_matrices,
    haversine_m,
    osrm_matrices,
    travel_matrices,
)

SAINTE_AGATHE = Point(46.05, -74.2833)
BLAINVILLE = Point(45.68, -73.86)


def test_haversine_one_degree_of_latitude():
    assert haversine_m(Point(46, -74), Point(47, -74)) == pytest.approx(111_195, rel=1e-3)
    assert 50_000 < haversine_m(SAINTE_AGATHE, BLAINVILLE) < 55_000


def test_crow_matrices_use_detour_and_speed_settings(monkeypatch):
    monkeypatch.setenv("CORDEE_ROUTING_DETOUR", "1.5")
    monkeypatch.setenv("CORDEE_ROUTING_SPEED_KMH", "50")
    m = crow_matrices([SAINTE_AGATHE, BLAINVILLE])
    crow = haversine_m(SAINTE_AGATHE, BLAINVILLE)
    assert m.distance_m[0][1] == m.distance_m[1][0] == round(crow * 1.5)
    assert m.duration_s[0][1] == pytest.approx(crow * 1.5 / (50 / 3.6), abs=1)
    assert m.distance_m[0][0] == 0


class _Osrm(BaseHTTPRequestHandler):
    answer: dict = {}
    delay = 0.0
    paths: list[str] = []

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        if self.delay:
            threading.Event().wait(self.delay)
        body = json.dumps(self.answer).encode()
        try:
            self.send_response(200 if self.answer.get("code") == "Ok" else 400)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def osrm() -> Iterator[tuple[str, type[_Osrm]]]:
    handler = type("Handler", (_Osrm,), {"answer": {}, "delay": 0.0, "paths": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_osrm_table_client(osrm):
    url, handler = osrm
    handler.answer = {
        "code": "Ok",
        "distances": [[0, 70123.4], [70500.6, 0]],
        "durations": [[0, 3000.2], [3010.0, 0]],
    }
    m = osrm_matrices([SAINTE_AGATHE, BLAINVILLE], url)
    assert m.distance_m == [[0, 70123], [70501, 0]]
    assert m.duration_s == [[0, 3001], [3010, 0]]
    assert handler.paths[0].startswith(
        "/table/v1/driving/-74.283300,46.050000;-73.860000,45.680000?annotations=distance,duration"
    )


def test_osrm_url_setting_switches_the_source(osrm, monkeypatch):
    url, handler = osrm
    handler.answer = {
        "code": "Ok",
        "distances": [[0, 1000], [1000, 0]],
        "durations": [[0, 60], [60, 0]],
    }
    monkeypatch.setenv("OSRM_URL", url + "/")
    problem = RoutingProblem(
        (RouteStop("a", BLAINVILLE, 0, 86_400),),
        (RouteVehicle("v", (1, 1, 1), SAINTE_AGATHE, SAINTE_AGATHE, 0, 86_400),),
    )
    plan = evaluate(problem, {"v": ["a"]})
    assert plan.routes[0].distance_m == 2000 and plan.routes[0].duration == 120
    monkeypatch.delenv("OSRM_URL")
    assert travel_matrices([SAINTE_AGATHE, BLAINVILLE]).distance_m[0][1] > 60_000


def test_osrm_errors_are_clear(osrm):
    url, handler = osrm
    handler.answer = {"code": "InvalidQuery", "message": "Query string malformed"}
    with pytest.raises(DistanceError, match="Query string malformed"):
        osrm_matrices([SAINTE_AGATHE, BLAINVILLE], url)
    handler.answer = {"code": "Ok", "distances": [[0, None], [1, 0]], "durations": [[0, 1], [1, 0]]}
    with pytest.raises(DistanceError, match="pas de route"):
        osrm_matrices([SAINTE_AGATHE, BLAINVILLE], url)
    handler.answer = {"code": "Ok", "distances": [[0]], "durations": [[0]]}
    with pytest.raises(DistanceError, match="incomplètes"):
        osrm_matrices([SAINTE_AGATHE, BLAINVILLE], url)


def test_osrm_timeout_and_unreachable_server(osrm):
    url, handler = osrm
    handler.answer = {"code": "Ok", "distances": [[0]], "durations": [[0]]}
    handler.delay = 1.0
    with pytest.raises(DistanceError, match="ne répond pas"):
        osrm_matrices([SAINTE_AGATHE], url, timeout=0.2)
    with pytest.raises(DistanceError, match="ne répond pas"):
        osrm_matrices([SAINTE_AGATHE], "http://127.0.0.1:9", timeout=1)
