"""Solve a benchmark instance (Solomon VRPTW or CVRPLIB CVRP) and print the routes.

`python manage.py route_solve --solomon C101.txt --seconds 10 --json`
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cordee.transport.routing import pyvrp_adapter
from cordee.transport.routing.checker import check_cvrp, check_solomon
from cordee.transport.routing.cvrplib import read_cvrp
from cordee.transport.routing.solomon import InstanceError, read_solomon


class Command(BaseCommand):
    help = "Solve a Solomon (VRPTW) or CVRPLIB (CVRP) instance with the route optimiser."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--solomon", metavar="PATH", help="VRPTW file in Solomon format")
        source.add_argument("--cvrp", metavar="PATH", help="CVRP file in TSPLIB EUC_2D format")
        parser.add_argument("--seconds", type=float, default=10.0, help="time limit")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--objective", choices=["distance", "hierarchical"], default="distance")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--workers", type=int, default=1, help="independent seeds run in parallel"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seconds, seed, objective = options["seconds"], options["seed"], options["objective"]
        workers = options["workers"]
        if seconds <= 0:
            raise CommandError("--seconds must be positive.")
        try:
            if options["solomon"]:
                inst = read_solomon(options["solomon"])
                routes = pyvrp_adapter.best_of_seeds(
                    inst, seconds=seconds, objective=objective, seed=seed, workers=workers
                )
                check = check_solomon(inst, routes)
            else:
                cvrp = read_cvrp(options["cvrp"])
                inst_name = cvrp.name
                routes = pyvrp_adapter.best_of_seeds(
                    cvrp, seconds=seconds, seed=seed, workers=workers
                )
                check = check_cvrp(cvrp, routes)
        except (OSError, InstanceError) as exc:
            raise CommandError(str(exc)) from exc
        name = inst.name if options["solomon"] else inst_name
        if not check.feasible:
            raise CommandError(f"{name}: no feasible solution found: {'; '.join(check.errors)}")
        result = {
            "instance": name,
            "objective": objective,
            "vehicles": check.vehicles,
            "distance": round(check.distance, 2),
            "routes": routes,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"{name}: {check.vehicles} vehicles, distance {check.distance:.2f}")
            for n, route in enumerate(routes, 1):
                self.stdout.write(f"Route #{n}: {' '.join(map(str, route))}")
