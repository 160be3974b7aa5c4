"""Read CVRP instances in TSPLIB/CVRPLIB format (EUC_2D only).

Edge costs are the Euclidean distance rounded to the nearest integer (CVRPLIB
convention). Nodes are renumbered with the depot as 0 and the customers 1…n in file
order, as in CVRPLIB `.sol` files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from .solomon import InstanceError


@dataclass(frozen=True)
class CvrpInstance:
    name: str
    capacity: int
    x: tuple[float, ...]
    y: tuple[float, ...]
    demand: tuple[int, ...]
    vehicles: int | None = None  # from the name's "-kN" when present: a lower bound, not a cap

    @property
    def customers(self) -> int:
        return len(self.x) - 1

    def distance(self, i: int, j: int) -> int:
        return math.floor(math.hypot(self.x[i] - self.x[j], self.y[i] - self.y[j]) + 0.5)


def parse_cvrp(text: str) -> CvrpInstance:
    header: dict[str, str] = {}
    coords: dict[int, tuple[float, float]] = {}
    demands: dict[int, int] = {}
    depots: list[int] = []
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        upper = line.upper()
        if upper.endswith("_SECTION"):
            section = upper
            continue
        if ":" in line and not line[0].isdigit() and line[0] != "-":
            key, _, value = line.partition(":")
            header[key.strip().upper()] = value.strip().strip('"')
            section = ""
            continue
        tokens = line.split()
        try:
            if section == "NODE_COORD_SECTION":
                coords[int(tokens[0])] = (float(tokens[1]), float(tokens[2]))
            elif section == "DEMAND_SECTION":
                demands[int(tokens[0])] = int(tokens[1])
            elif section == "DEPOT_SECTION" and int(tokens[0]) != -1:
                depots.append(int(tokens[0]))
        except (IndexError, ValueError) as exc:
            raise InstanceError(f"Unreadable line in {section or 'header'}: {line!r}.") from exc
    if header.get("EDGE_WEIGHT_TYPE", "EUC_2D").upper() != "EUC_2D":
        raise InstanceError("Only EDGE_WEIGHT_TYPE EUC_2D is supported.")
    if "CAPACITY" not in header or not coords:
        raise InstanceError("Missing CAPACITY or NODE_COORD_SECTION.")
    depot = depots[0] if depots else min(coords)
    order = [depot] + [n for n in sorted(coords) if n != depot]
    if set(demands) - set(coords):
        raise InstanceError("DEMAND_SECTION names nodes without coordinates.")
    name = header.get("NAME", "")
    k = name.rsplit("-k", 1)
    return CvrpInstance(
        name=name,
        capacity=int(header["CAPACITY"]),
        x=tuple(coords[n][0] for n in order),
        y=tuple(coords[n][1] for n in order),
        demand=tuple(demands.get(n, 0) for n in order),
        vehicles=int(k[1]) if len(k) == 2 and k[1].isdigit() else None,
    )


def read_cvrp(path: Path | str) -> CvrpInstance:
    return parse_cvrp(Path(path).read_text(encoding="utf-8", errors="replace"))
