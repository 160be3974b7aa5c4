"""Stock and impact pages on 3 years of a hub network's movements, on PostgreSQL.

Target (issue 3): ≤ 500 ms a page with ~500,000 stock movements.

How the database is switched: ``manage.py bench`` runs on whatever database the project is
configured for (SQLite by default). Rather than swapping the ``default`` connection inside
a running Django (connections are cached per alias and the demo, the services and the test
client all use ``default``), `bench_dashboards` creates a throw-away PostgreSQL database
``cordee_bench`` (dropped and recreated each run, left in place afterwards so its plans
can be studied with EXPLAIN) and runs this module in a child process,
``python -m cordee.logistics.bench_dashboards``, with ``DATABASE_URL`` pointing at it.
The server is the one of ``DATABASE_URL`` when that is a PostgreSQL URL (its own database
is never touched), else ``postgres://postgres@127.0.0.1:5432/``; when no server answers,
the bench says so and is skipped.

The child migrates, loads the demo network, writes 3 years of the hub's logistics with the
demo's simulation (`logistics_demo_load` with finer lots, written with COPY), runs
ANALYZE as autovacuum would after such a load, then times the real pages through Django's
test client, signed in as the hub's coordinator. Settings: ``config.settings.test``
(DEBUG off, as in production; the test client's host allowed).
"""

import contextlib
import ctypes
import os
import signal
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from django.test import Client

BENCH_DATABASE = "cordee_bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")
PAGE_TARGET_MS = 500.0
YEARS = 3
# Receptions cut into lots 15 times finer than the demo's (a lot per product, not per
# pallet): about 500,000 movements in 3 years for the demo hub and its 10 members.
LOT_SPLIT = 15
HUB_COORDINATOR = "reseau.carrefour"
REPO = Path(__file__).resolve().parent.parent.parent


def _bench_url() -> str:
    """The bench database's URL on the configured PostgreSQL server, or the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in POSTGRES_SCHEMES:
        url = DEFAULT_SERVER
    return urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DATABASE}"))


def _recreate_database(url: str) -> None:
    """Drop and create the bench database (raises psycopg.OperationalError if no server)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    params = dj_database_url.parse(url)
    with psycopg.connect(
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    ) as admin:
        name = sql.Identifier(BENCH_DATABASE)
        # Not WITH (FORCE): a bench running at the same time keeps its database (the drop
        # fails with ObjectInUse and this one is skipped).
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the bench command dies (prctl PR_SET_PDEATHSIG)."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError):  # not fatal: the child ends after its pages
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def bench_dashboards(runs: int = 5) -> Iterator[str]:
    """Lines of figures, as they come (the whole bench takes about a minute)."""
    import psycopg

    url = _bench_url()
    try:
        _recreate_database(url)
    except psycopg.errors.ObjectInUse:
        yield (
            f"dashboards: the database {BENCH_DATABASE} is in use (another bench running, "
            "or an open psql?): skipped"
        )
        return
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        yield (
            f"dashboards: PostgreSQL not reachable at {_where(url)} ({reason}): skipped "
            "(set DATABASE_URL to a PostgreSQL server to run it)"
        )
        return
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    command = [sys.executable, "-m", "cordee.logistics.bench_dashboards", str(runs)]
    child = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_die_with_parent,  # a bench stopped by `timeout` leaves nothing running
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
        yield f"dashboards: the bench process failed (exit code {child.returncode})"


# --- in the child process, on the bench database -----------------------------------------


def _load() -> list[str]:
    from django.core.management import call_command
    from django.db import connection

    from cordee.core.demo.load import demo_load

    from .demo import logistics_demo_load

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo_load()
    summary = logistics_demo_load(days=YEARS * 365, lot_split=LOT_SPLIT)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return [
        f"dashboards: PostgreSQL {version}, database {connection.settings_dict['NAME']}, "
        f"{YEARS} years of the demo hub loaded in {time.perf_counter() - started:.0f} s "
        f"(simulation and COPY {summary.seconds:.0f} s); machine load average {load} "
        f"on {os.cpu_count()} CPUs (timings below are wall clock: a busy machine slows them)"
    ]


def _row_counts() -> str:
    from cordee.core.demo.data import HUB
    from cordee.core.models import Organisation

    from .models import Delivery, Lot, Reception, StockBalance, StockMovement

    hub = Organisation.objects.get(slug=HUB.slug)
    movements = StockMovement.objects.count()
    at_hub = StockMovement.objects.filter(organisation=hub).count()
    balances = StockBalance.objects.count()
    on_hand = StockBalance.objects.filter(quantity_g__gt=0).count()
    return (
        f"dashboards: rows: {_n(movements)} stock movements ({_n(at_hub)} of the hub), "
        f"{_n(Lot.objects.count())} lots, {_n(balances)} balances ({_n(on_hand)} not empty), "
        f"{_n(Reception.objects.count())} receptions, {_n(Delivery.objects.count())} deliveries"
    )


def _n(count: int) -> str:
    return f"{count:,}".replace(",", " ")


def _pages() -> list[tuple[str, str]]:
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from cordee.core.demo.data import HUB
    from cordee.core.models import Site

    from .models import StockBalance, StockMovement

    warehouse = Site.objects.get(organisation__slug=HUB.slug, name=HUB.sites[0].name)
    busiest_lot = (
        StockMovement.objects.filter(organisation=warehouse.organisation)
        .values("lot")
        .annotate(n=Count("id"))
        .order_by("-n", "lot")[0]["lot"]
    )
    # The kind of food with the most lots on hand: the longest count form (dry goods).
    dry = (
        StockBalance.objects.filter(site=warehouse, quantity_g__gt=0)
        .values("lot__category")
        .annotate(n=Count("id"))
        .order_by("-n", "lot__category")[0]["lot__category"]
    )
    inventory = reverse("logistics:inventory")
    last_year = timezone.localdate().year - 1
    return [
        ("stock overview", reverse("logistics:overview")),
        ("food to use soon (à écouler)", reverse("logistics:expiring")),
        ("count (inventaire), warehouse", f"{inventory}?site={warehouse.pk}"),
        (
            "count (inventaire), warehouse, dry goods",
            f"{inventory}?site={warehouse.pk}&categorie={dry}",
        ),
        ("lot and its ledger", reverse("logistics:lot_detail", args=[busiest_lot])),
        ("receptions", reverse("logistics:reception_list")),
        ("impact, last 12 months", reverse("logistics:impact")),
        (f"impact, year {last_year}", f"{reverse('logistics:impact')}?annee={last_year}"),
    ]


def _time_page(client: "Client", path: str, runs: int) -> list[float]:
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _bench_pages(runs: int) -> Iterator[str]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cordee.core.demo.data import DEMO_EMAIL_DOMAIN
    from cordee.core.models import User

    client = Client()
    client.force_login(User.objects.get(email=f"{HUB_COORDINATOR}@{DEMO_EMAIL_DOMAIN}"))
    for label, path in _pages():
        reset_queries()
        with CaptureQueriesContext(connection) as captured:  # also the warm-up
            response = client.get(path)
        queries = len(captured)  # now: the next requests reset the log
        if response.status_code != 200:
            yield f"dashboards: {label} ({path}): HTTP {response.status_code} — FAILED"
            continue
        timings = _time_page(client, path, runs)
        worst = max(timings)
        verdict = "OK" if worst <= PAGE_TARGET_MS else "TOO SLOW"
        yield (
            f"dashboards: {label} ({path}): median {statistics.median(timings):.0f} ms, "
            f"max {worst:.0f} ms, {queries} queries, {len(response.content) // 1024} KiB "
            f"(target ≤ {PAGE_TARGET_MS:.0f} ms) — {verdict}"
        )


def main(runs: int) -> None:
    import django
    from django.test.utils import setup_test_environment

    # Static files are not collected for the bench: whitenoise's warning says nothing here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    setup_test_environment()  # the test client's host, in-memory e-mail, DEBUG off
    for line in _load():
        print(line, flush=True)
    print(_row_counts(), flush=True)
    for line in _bench_pages(runs):
        print(line, flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
