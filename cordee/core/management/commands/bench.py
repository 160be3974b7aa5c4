"""`make bench`: run the benchmarks and print their figures."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run Cordée's benchmarks and print figures."

    def handle(self, *args: object, **options: object) -> None:
        bench_data = Path(os.environ.get("BENCH_DATA", "../shared/bench-data"))
        if bench_data.is_dir():
            self.stdout.write(f"Benchmark data: {bench_data.resolve()}")
        else:
            self.stdout.write(
                f"Benchmark data not found at {bench_data} (set BENCH_DATA): "
                "benchmarks that need it will be skipped."
            )
        from cordee.logistics.bench import bench_allocation

        for line in bench_allocation():
            self.stdout.write(line)

        from cordee.households.bench import bench_dedupe

        for line in bench_dedupe():
            self.stdout.write(line)

        from cordee.transport.bench import bench_routing

        for line in bench_routing(bench_data):
            self.stdout.write(line)
        from cordee.logistics.bench_dashboards import bench_dashboards

        for line in bench_dashboards():
            self.stdout.write(line)
        from cordee.households.bench_checkin import bench_checkin

        for line in bench_checkin():
            self.stdout.write(line)
        from cordee.people.bench import bench_calendar

        for line in bench_calendar():
            self.stdout.write(line)
