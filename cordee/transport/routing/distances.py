"""Travel distances (metres) and times (seconds) between points.

By default: great-circle (haversine) distance × a detour factor, driven at an average
speed; both are settings (CORDEE_ROUTING_DETOUR, CORDEE_ROUTING_SPEED_KMH) because
rural Laurentides roads wind more than city grids. When OSRM_URL is set, the OSRM
`table` service gives real road distances and times instead.
"""

from __future__ import annotations

import json
import math
import os
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Point

EARTH_RADIUS_M = 6_371_008.8
DEFAULT_DETOUR = 1.3
DEFAULT_SPEED_KMH = 60.0
OSRM_TIMEOUT_S = 20.0


class DistanceError(RuntimeError):
    """The road network could not give distances (OSRM unreachable or answered an error)."""


@dataclass(frozen=True)
class Matrices:
    distance_m: list[list[int]]
    duration_s: list[list[int]]


def _setting(name: str, default: float) -> float:
    try:
        from django.conf import settings

        value = getattr(settings, name, None) if settings.configured else None
    except ImportError:  # pragma: no cover - Django is always there in the app
        value = None
    if value is None:
        value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _osrm_url() -> str:
    try:
        from django.conf import settings

        value = getattr(settings, "OSRM_URL", None) if settings.configured else None
    except ImportError:  # pragma: no cover
        value = None
    return str(value or os.environ.get("OSRM_URL", "")).strip()


def haversine_m(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def crow_matrices(
    points: Sequence[Point], *, detour: float | None = None, speed_kmh: float | None = None
) -> Matrices:
    detour = _setting("CORDEE_ROUTING_DETOUR", DEFAULT_DETOUR) if detour is None else detour
    if speed_kmh is None:
        speed_kmh = _setting("CORDEE_ROUTING_SPEED_KMH", DEFAULT_SPEED_KMH)
    if detour < 1 or speed_kmh <= 0:
        raise DistanceError("Le facteur de détour doit être ≥ 1 et la vitesse positive.")
    metres_per_second = speed_kmh * 1000 / 3600
    n = len(points)
    dist = [[0] * n for _ in range(n)]
    dur = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            d = haversine_m(points[i], points[j]) * detour
            dist[i][j] = dist[j][i] = round(d)
            # Round durations up so a plan on time here is on time on the road model.
            dur[i][j] = dur[j][i] = math.ceil(d / metres_per_second)
    return Matrices(dist, dur)


def osrm_matrices(
    points: Sequence[Point], base_url: str, *, timeout: float = OSRM_TIMEOUT_S
) -> Matrices:
    """Ask an OSRM server's table service for the full distance and duration matrices."""
    coords = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in points)
    url = f"{base_url.rstrip('/')}/table/v1/driving/{coords}?annotations=distance,duration"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        # OSRM answers 400 with a JSON body naming the problem.
        body = _error_body(exc)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DistanceError(
            f"Le serveur d'itinéraires OSRM ({base_url}) ne répond pas : {exc}"
        ) from exc
    except ValueError as exc:
        raise DistanceError(
            f"Le serveur OSRM ({base_url}) a envoyé une réponse illisible."
        ) from exc
    if body.get("code") != "Ok":
        message = body.get("message") or body.get("code") or "erreur inconnue"
        raise DistanceError(f"Le serveur OSRM a refusé la demande : {message}")
    distances, durations = body.get("distances"), body.get("durations")
    n = len(points)
    if not _square(distances, n) or not _square(durations, n):
        raise DistanceError("Le serveur OSRM a envoyé des matrices incomplètes.")
    if any(v is None for row in distances + durations for v in row):
        raise DistanceError("Le serveur OSRM ne trouve pas de route entre certains lieux.")
    return Matrices(
        [[round(v) for v in row] for row in distances],
        [[math.ceil(v) for v in row] for row in durations],
    )


def _error_body(exc: urllib.error.HTTPError) -> dict[str, object]:
    try:
        body = json.loads(exc.read().decode("utf-8"))
    except (ValueError, OSError):
        body = None
    if isinstance(body, dict):
        return body
    return {"code": f"HTTP {exc.code}", "message": str(exc.reason)}


def _square(matrix: object, n: int) -> bool:
    return (
        isinstance(matrix, list)
        and len(matrix) == n
        and all(isinstance(row, list) and len(row) == n for row in matrix)
    )


def travel_matrices(points: Sequence[Point]) -> Matrices:
    """Distances and durations between all points, from OSRM when configured."""
    base_url = _osrm_url()
    if base_url:
        return osrm_matrices(points, base_url)
    return crow_matrices(points)
