"""Shift calendar benchmark, printed by ``make bench`` (``manage.py bench``).

Target (issue 6, Performance): a network month of shifts (~1,500) renders as a calendar in
≤ 300 ms server time. Worst case: all 1,500 shifts (with ~4,000 sign-ups) belong to the
coordinator's own organisation, across 12 sites. The child process
(``python -m cordee.people.bench``) migrates a throw-away SQLite file, writes them in bulk,
then times the week and month calendar pages through Django's test client (the server's
whole work, without the network): p50/p95 and the number of SQL queries per page.
"""

import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from datetime import time as clock_time
from typing import Any

from cordee.households.bench_checkin import _percentiles, _timed
from cordee.logistics.bench_dashboards import REPO, _die_with_parent

SHIFTS = 1_500
SITES = 12
TARGET_MS = 300.0
RUNS = 30
COORDINATOR = "coordination@bench.example"


def bench_calendar() -> Iterator[str]:
    """Lines of figures, as they come."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        }
        child = subprocess.Popen(
            [sys.executable, "-m", "cordee.people.bench"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=_die_with_parent,
        )
        try:
            assert child.stdout is not None
            for line in child.stdout:
                yield line.rstrip("\n")
        finally:
            if child.poll() is None:
                child.terminate()
            child.wait()
    if child.returncode:
        yield f"calendar: the bench process failed (exit code {child.returncode})"


# --- in the child process ---------------------------------------------------------------------


def _world(first: date) -> Any:
    from cordee.core.models import Membership, Organisation, Role, Site, User
    from cordee.people.models import Shift, ShiftSignup, Volunteer, VolunteerMembership

    org = Organisation.objects.create(name="Carrefour témoin", slug="carrefour-temoin", kind="hub")
    sites = Site.objects.bulk_create(
        Site(organisation=org, name=f"Point de service {i}") for i in range(SITES)
    )
    user = User.objects.create_user(email=COORDINATOR, password="bench-only-password")
    Membership.objects.create(user=user, organisation=org, role=Role.COORDINATOR)
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(full_name=f"Bénévole {i:03d}", email=f"b{i}@bench.example") for i in range(300)
    )
    VolunteerMembership.objects.bulk_create(
        VolunteerMembership(volunteer=v, organisation=org) for v in volunteers
    )
    per_day = SHIFTS // 30 + 1
    shifts = Shift.objects.bulk_create(
        [
            Shift(
                organisation=org,
                site=sites[i % SITES],
                title=f"Quart {i % 7}",
                date=first + timedelta(days=(i // per_day) % 30),
                starts_at=clock_time(8 + i % 9),
                ends_at=clock_time(11 + i % 9),
                needed=3,
            )
            for i in range(SHIFTS)
        ],
        batch_size=500,
    )
    ShiftSignup.objects.bulk_create(
        [
            ShiftSignup(
                shift=s,
                volunteer=volunteers[(n * 7 + k) % len(volunteers)],
                status="confirmed" if k < 2 else "waiting",
            )
            for n, s in enumerate(shifts)
            for k in range(1 + n % 4)
        ],
        batch_size=1000,
    )
    return org


def _page(client: Any, url: str, label: str) -> str:
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = [_timed(lambda: client.get(url)) for _ in range(RUNS)]
    p50, p95 = _percentiles(timings)
    verdict = "OK" if p95 <= TARGET_MS else "MISSED"
    return (
        f"calendar: {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {RUNS} runs, "
        f"{len(queries)} queries (target p95 ≤ {TARGET_MS:.0f} ms) — {verdict}"
    )


def main() -> None:
    import django
    from django.test.utils import setup_test_environment

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    setup_test_environment()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cordee.core.models import User
    from cordee.people.models import Shift, ShiftSignup

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    today = date.today()
    first = today.replace(day=1) + timedelta(days=32)
    first = first.replace(day=1)  # next month: every shift is still to come
    _world(first)
    print(
        f"calendar: {connection.vendor}: {Shift.objects.count()} shifts and "
        f"{ShiftSignup.objects.count()} sign-ups in one month, ready in "
        f"{time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs (wall-clock timings)",
        flush=True,
    )
    client = Client()
    client.force_login(User.objects.get(email=COORDINATOR))
    monday = first + timedelta(days=7 - first.weekday())
    print(_page(client, f"/benevoles/semaine/?semaine={monday}", "week page"), flush=True)
    print(_page(client, f"/benevoles/mois/?mois={first}", "month page"), flush=True)


if __name__ == "__main__":
    main()
