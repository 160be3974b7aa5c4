"""Read VRPTW instances in Solomon's text format (also used by Gehring & Homberger).

Row 0 of the customer table is the depot; its window is the planning horizon. Travel time
equals Euclidean distance in double precision; service must start within [ready, due].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path


class InstanceError(ValueError):
    """The file is not a well-formed instance."""


@dataclass(frozen=True)
class SolomonInstance:
    name: str
    vehicles: int
    capacity: int
    x: tuple[float, ...]
    y: tuple[float, ...]
    demand: tuple[int, ...]
    ready: tuple[int, ...]
    due: tuple[int, ...]
    service: tuple[int, ...]

    @property
    def customers(self) -> int:
        return len(self.x) - 1

    def distance(self, i: int, j: int) -> float:
        return math.hypot(self.x[i] - self.x[j], self.y[i] - self.y[j])


def _number(token: str) -> int:
    value = float(token)
    if value != int(value):
        raise InstanceError(f"Expected a whole number, got {token!r}.")
    return int(value)


def parse_solomon(text: str) -> SolomonInstance:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise InstanceError("Empty instance file.")
    name = lines[0]
    try:
        v = next(i for i, line in enumerate(lines) if line.upper().startswith("VEHICLE"))
        c = next(i for i, line in enumerate(lines) if line.upper().startswith("CUSTOMER"))
        vehicles, capacity = (_number(t) for t in lines[v + 2].split()[:2])
    except (StopIteration, IndexError, ValueError) as exc:
        raise InstanceError("Missing VEHICLE or CUSTOMER section.") from exc
    rows: list[list[str]] = []
    for line in lines[c + 1 :]:
        tokens = line.split()
        if not tokens[0].lstrip("-").replace(".", "", 1).isdigit():
            continue  # the column header line
        if len(tokens) < 7:
            raise InstanceError(f"Customer line with fewer than 7 columns: {line!r}.")
        rows.append(tokens[:7])
    if len(rows) < 2:
        raise InstanceError("An instance needs the depot and at least one customer.")
    for position, row in enumerate(rows):
        if _number(row[0]) != position:
            raise InstanceError(f"Customers must be numbered 0, 1, 2…; got {row[0]}.")
    return SolomonInstance(
        name=name,
        vehicles=vehicles,
        capacity=capacity,
        x=tuple(float(r[1]) for r in rows),
        y=tuple(float(r[2]) for r in rows),
        demand=tuple(_number(r[3]) for r in rows),
        ready=tuple(_number(r[4]) for r in rows),
        due=tuple(_number(r[5]) for r in rows),
        service=tuple(_number(r[6]) for r in rows),
    )


def read_solomon(path: Path | str) -> SolomonInstance:
    return parse_solomon(Path(path).read_text(encoding="utf-8", errors="replace"))
