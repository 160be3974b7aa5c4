"""Check-in and March-report benchmarks, printed by ``make bench`` (``manage.py bench``).

Targets (issue 5, Performance): check-in search among 20,000 households ≤ 50 ms server time
(p95); recording a visit ≤ 50 ms (p95); the March network report over 1,000,000 visits
≤ 2 s on PostgreSQL.

Like `cordee.logistics.bench_dashboards` (whose helpers it reuses), it runs in a child
process, ``python -m cordee.households.bench_checkin``, on a throw-away PostgreSQL database
(``cordee_bench``, dropped and recreated: a dashboards bench run before leaves its database
to this one). When no PostgreSQL answers, the search and visit benchmarks run on a temporary
SQLite file and the report benchmark is skipped, saying so.

The child migrates, writes one network of 10 counters: the measured counter holds 20,000
households, the 9 others 2,000 each (names from synthetic.py, members with birth years);
times the search selector alone and the check-in page's htmx search through Django's test
client (the server's whole work, without the network), then 50 visits recorded through the
page; then, on PostgreSQL, writes 1,000,000 visits over 3 years in SQL (generate_series),
runs ANALYZE and times the March network report (the selector, and the page with its
suppression and rendering).
"""

import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from cordee.logistics.bench_dashboards import (
    BENCH_DATABASE,
    REPO,
    _bench_url,
    _die_with_parent,
    _recreate_database,
    _where,
)

SEARCH_HOUSEHOLDS = 20_000
OTHER_COUNTERS = 9
OTHER_HOUSEHOLDS = 2_000
SEARCH_TARGET_MS = 50.0
VISIT_TARGET_MS = 50.0
REPORT_VISITS = 1_000_000
REPORT_TARGET_MS = 2_000.0
RUNS = 50
REPORT_RUNS = 5
COORDINATOR = "coordination@bench.example"


def bench_checkin() -> Iterator[str]:
    """Lines of figures, as they come."""
    import psycopg

    url = _bench_url()
    report = True
    try:
        _recreate_database(url)
    except (psycopg.OperationalError, psycopg.errors.ObjectInUse) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        yield (
            f"checkin: PostgreSQL not usable at {_where(url)} (database {BENCH_DATABASE}: "
            f"{reason}): March report bench skipped; search and visit run on SQLite"
        )
        report = False
    with tempfile.TemporaryDirectory() as folder:
        if not report:
            url = f"sqlite:///{folder}/bench.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        command = [sys.executable, "-m", "cordee.households.bench_checkin", str(int(report))]
        child = subprocess.Popen(
            command,
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
        yield f"checkin: the bench process failed (exit code {child.returncode})"


# --- in the child process ---------------------------------------------------------------------


def _percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _line(label: str, timings: list[float], target: float) -> str:
    p50, p95 = _percentiles(timings)
    verdict = "OK" if p95 <= target else "MISSED"
    return (
        f"checkin: {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(timings)} runs "
        f"(target p95 ≤ {target:.0f} ms) — {verdict}"
    )


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _world() -> tuple[Any, Any, list[Any]]:
    """The network, the measured counter and every counter (with households and members)."""
    from cordee.core.models import Membership, Network, NetworkMembership, Organisation, Role, User

    from .matching.normalise import phone_normalise
    from .models import Household, HouseholdMember
    from .selectors.households import search_names_for
    from .services.search_index import search_words_rebuild
    from .synthetic import _Generator

    orgs = [
        Organisation.objects.create(
            name=f"Comptoir témoin {i}", slug=f"comptoir-temoin-{i}", kind="food_counter"
        )
        for i in range(OTHER_COUNTERS + 1)
    ]
    network = Network.objects.create(
        name="Réseau témoin", slug="reseau-temoin", coordinating_organisation=orgs[0]
    )
    for org in orgs:
        NetworkMembership.objects.create(network=network, organisation=org)
    user = User.objects.create_user(email=COORDINATOR, password="bench-only-password")
    Membership.objects.create(user=user, organisation=orgs[0], role=Role.COORDINATOR)
    gen = _Generator(2026)
    for index, org in enumerate(orgs):
        count = SEARCH_HOUSEHOLDS if index == 0 else OTHER_HOUSEHOLDS
        households, people = [], []
        for card in range(1, count + 1):
            family = gen.household()
            head = family[0]
            households.append(
                Household(
                    organisation=org,
                    first_name=head.first,
                    last_name=head.last,
                    phone=head.phone,
                    phone_digits=phone_normalise(head.phone),
                    people_count=len(family),
                    household_type="single" if len(family) == 1 else "other",
                    card_number=card,
                    search_names=search_names_for(head.first, head.last),
                )
            )
            people.append([p.birth_year for p in family])
        saved = Household.objects.bulk_create(households, batch_size=2000)
        search_words_rebuild(households=saved)
        HouseholdMember.objects.bulk_create(
            [
                HouseholdMember(household=h, birth_year=year)
                for h, years in zip(saved, people, strict=True)
                for year in years
            ],
            batch_size=5000,
        )
    return network, orgs[0], orgs


def _queries(org: Any) -> list[str]:
    """What volunteers type: names with typos and without accents, card and phone numbers."""
    import random

    from .models import Household
    from .synthetic import _ACCENTS

    rng = random.Random(7)
    sample = list(
        Household.objects.filter(organisation=org)
        .order_by("?")[:RUNS]
        .values("first_name", "last_name", "card_number", "phone")
    )
    queries = []
    for i, h in enumerate(sample):
        kind = i % 5
        if kind == 0:
            queries.append(str(h["card_number"]))
        elif kind == 1 and h["phone"]:
            queries.append(f"{h['phone'][:3]} {h['phone'][3:6]}-{h['phone'][6:]}")
        elif kind == 2:
            last = h["last_name"].translate(_ACCENTS)
            cut = rng.randint(1, max(1, len(last) - 2))
            queries.append(last[:cut] + last[cut + 1 :])  # one letter missing
        elif kind == 3:
            queries.append(f"{h['last_name']} {h['first_name']}".lower())
        else:
            queries.append(h["last_name"].translate(_ACCENTS))
    return queries


def _bench_search(org: Any, client: Any) -> Iterator[str]:
    from django.urls import reverse

    from .selectors.households import household_search

    queries = _queries(org)
    household_search(org=org, q=queries[0])  # warm-up (imports, caches)
    selector = [_timed(functools.partial(household_search, org=org, q=q)) for q in queries]
    names = [t for t, q in zip(selector, queries, strict=True) if not q[:1].isdigit()]
    url = reverse("households:checkin")
    client.get(url, {"q": queries[0]}, headers={"HX-Request": "true"})
    page = [
        _timed(functools.partial(client.get, url, {"q": q}, headers={"HX-Request": "true"}))
        for q in queries
    ]
    yield _line("search selector, 20,000 households", selector, SEARCH_TARGET_MS)
    yield _line("search selector, names only", names, SEARCH_TARGET_MS)
    yield _line("check-in search page (htmx, test client)", page, SEARCH_TARGET_MS)
    counts = [
        _query_count(functools.partial(client.get, url, {"q": q}, headers={"HX-Request": "true"}))
        for q in queries
    ]
    yield f"checkin: check-in search page: {min(counts)} to {max(counts)} SQL queries a search"


def _query_count(action: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def _bench_visit(org: Any, client: Any) -> Iterator[str]:
    from django.urls import reverse

    from .models import Household, Visit

    pks = list(
        Household.objects.filter(organisation=org)
        .order_by("pk")
        .values_list("pk", flat=True)[: RUNS + 2]
    )
    extra = pks.pop()  # one more household, recorded apart to count its queries
    timings = []
    for pk in pks:
        url = reverse("households:visit_record", args=[pk])
        timings.append(_timed(functools.partial(client.post, url, {"visit_type": "basket"})))
    queries = _query_count(
        functools.partial(
            client.post, reverse("households:visit_record", args=[extra]), {"visit_type": "basket"}
        )
    )
    recorded = Visit.objects.filter(organisation=org).count() - 1
    if recorded != len(pks):
        yield f"checkin: recording a visit: {recorded} of {len(pks)} recorded — FAILED"
        return
    service = _bench_visit_service(org)
    yield _line("recording a visit, service alone", service, VISIT_TARGET_MS)
    yield _line("recording a visit (page, test client)", timings[1:], VISIT_TARGET_MS)
    yield f"checkin: recording a visit (page): {queries} SQL queries"


def _bench_visit_service(org: Any) -> list[float]:
    """visit_check_in itself (rules, insert, audit), on households not yet seen today."""
    from cordee.core.models import User

    from .models import Household
    from .services.visits import visit_check_in

    actor = User.objects.get(email=COORDINATOR)
    households = list(Household.objects.filter(organisation=org).order_by("-pk")[:RUNS])
    return [
        _timed(functools.partial(visit_check_in, actor=actor, household=h, organisation=org))
        for h in households
    ]


def _write_visits() -> float:
    """1,000,000 visits over 3 years ending in the last month, in one INSERT … SELECT."""
    from django.db import connection

    from .models import Household

    started = time.perf_counter()
    households = Household.objects.count()
    per_household = -(-REPORT_VISITS // households)  # ceiling
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO households_visit (household_id, organisation_id, visited_at,
                visit_type, people_served, override_reason, cancelled_at)
            SELECT h.id, h.organisation_id,
                   now() - random() * interval '1095 days',
                   (ARRAY['basket','basket','basket','basket','basket','basket','emergency',
                          'meal','snack'])[1 + floor(random() * 9)::int],
                   h.people_count, '',
                   CASE WHEN random() < 0.005 THEN now() END
            FROM households_household h CROSS JOIN generate_series(1, %s) AS n
            LIMIT %s
            """,
            [per_household, REPORT_VISITS],
        )
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _bench_report(network: Any, orgs: list[Any], client: Any) -> Iterator[str]:
    from django.urls import reverse
    from django.utils import timezone

    from .models import Visit
    from .selectors.reports import Month, report_by_organisation

    seconds = _write_visits()
    yield (
        f"checkin: {Visit.objects.count():,} visits written in {seconds:.0f} s".replace(",", " ")
    )
    today = timezone.localdate()
    march = Month.of(today.year if today.month > 3 else today.year - 1, 3)
    ids = [o.pk for o in orgs]
    report_by_organisation(org_ids=ids, month=march)  # warm-up
    selector = [
        _timed(lambda: report_by_organisation(org_ids=ids, month=march))
        for _run in range(REPORT_RUNS)
    ]
    url = reverse("reports:network", args=[network.pk])
    query = {"mois": f"{march.first:%Y-%m}"}
    response = client.get(url, query)
    if response.status_code != 200:
        yield f"checkin: March network report page: HTTP {response.status_code} — FAILED"
        return
    page = [_timed(lambda: client.get(url, query)) for _run in range(REPORT_RUNS)]
    figures = report_by_organisation(org_ids=ids, month=march)
    visits = sum(f.visits for f in figures.values())
    yield f"checkin: March {march.first.year}: {visits:,} visits in the month".replace(",", " ")
    yield _line("March network report, selector", selector, REPORT_TARGET_MS)
    yield _line("March network report, page (test client)", page, REPORT_TARGET_MS)


def main(with_report: bool) -> None:
    import django
    from django.test.utils import setup_test_environment

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    setup_test_environment()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cordee.core.models import User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    network, org, orgs = _world()
    print(
        f"checkin: {connection.vendor} database {connection.settings_dict['NAME']}: "
        f"{SEARCH_HOUSEHOLDS:,}".replace(",", " ")
        + f" households at the measured counter, {OTHER_COUNTERS} other counters, "
        f"ready in {time.perf_counter() - started:.0f} s; machine load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall-clock timings)",
        flush=True,
    )
    client = Client()
    client.force_login(User.objects.get(email=COORDINATOR))
    for line in _bench_search(org, client):
        print(line, flush=True)
    for line in _bench_visit(org, client):
        print(line, flush=True)
    if with_report:
        for line in _bench_report(network, orgs, client):
            print(line, flush=True)


if __name__ == "__main__":
    main(len(sys.argv) > 1 and sys.argv[1] == "1")
