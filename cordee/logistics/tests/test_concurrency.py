"""Two people take from the same lot at the same moment: the ledger never oversells.

A lot holds 1,000 g; two threads, each with its own database connection, start together
and each try to take 700 g (a loss or a transfer). The balance row is locked while it is
read (select_for_update), so the second one reads the stock only after the first one has
committed: it sees 300 g and gets the plain "not enough stock" message. Without the lock
both would read 1,000 g and the second write would hit the database CHECK instead.

PostgreSQL only: SQLite takes a lock on the whole database for each write transaction, so
the race this test provokes cannot happen there.
"""

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.core.geography import municipalities_load
from cordee.core.models import AuditEvent, Municipality, Role, Site, User
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)
from cordee.logistics.models import Category, Lot, StockBalance, StockMovement
from cordee.logistics.services import stock as stock_services
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.receptions import ReceptionLine, reception_record
from cordee.logistics.services.stock import stock_loss_record, stock_transfer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="Row locks need PostgreSQL (set DATABASE_URL); SQLite serialises all writes.",
    ),
]

# How long the first taker waits, holding the lock, for the second one to read too. With
# the lock the second one cannot read, so the wait always runs out; without it, both read.
READ_WAIT_S = 1.0


@pytest.fixture
def hub():
    # A transactional test empties every table when it ends: reload the reference data.
    municipalities_load(Municipality)
    org = OrganisationFactory(name="Carrefour alimentaire")
    network = NetworkFactory(name="Réseau des Laurentides")
    NetworkMembershipFactory(network=network, organisation=org)
    catalogue_seed_defaults(network=network)
    warehouse = SiteFactory(organisation=org, name="Entrepôt")
    counter = SiteFactory(organisation=org, name="Comptoir")
    manager = UserFactory(email="coordination@example.org")
    MembershipFactory(user=manager, organisation=org, role=Role.COORDINATOR)
    reception = reception_record(
        actor=manager,
        site=warehouse,
        source="food_bank",
        received_on=timezone.localdate(),
        lines=[
            ReceptionLine(
                category=Category.objects.get(network=network, name="Épicerie sèche"),
                weight_g=1_000,
            )
        ],
    )
    return {
        "manager": manager.pk,
        "warehouse": warehouse.pk,
        "counter": counter.pk,
        "lot": reception.lots.get().pk,
    }


def _take(kind: str, hub: dict) -> Callable[[], object]:
    """What one person does, with objects loaded in their own thread and connection."""

    def take() -> object:
        actor = User.objects.get(pk=hub["manager"])
        warehouse = Site.objects.get(pk=hub["warehouse"])
        lot = Lot.objects.get(pk=hub["lot"])
        if kind == "loss":
            return stock_loss_record(
                actor=actor, site=warehouse, lot=lot, quantity_g=700, reason="damaged"
            )
        return stock_transfer(
            actor=actor,
            from_site=warehouse,
            to_site=Site.objects.get(pk=hub["counter"]),
            lot=lot,
            quantity_g=700,
        )

    return take


@pytest.mark.parametrize(
    "kinds", [("loss", "loss"), ("transfer", "loss"), ("transfer", "transfer")]
)
def test_two_takers_at_once_never_oversell(hub, kinds, monkeypatch):
    start = threading.Barrier(2, timeout=10)
    both_read = threading.Barrier(2, timeout=READ_WAIT_S)
    reads: list[int] = []  # the warehouse quantity each taker saw under its lock
    results: dict[int, object] = {}
    locked_balance = stock_services._locked_balance

    def observed_locked_balance(site, lot):
        balance = locked_balance(site, lot)
        if site.pk == hub["warehouse"]:
            reads.append(balance.quantity_g)
            # Give the other taker every chance to read as well (it cannot, under the lock).
            with contextlib.suppress(threading.BrokenBarrierError):
                both_read.wait()
        return balance

    monkeypatch.setattr(stock_services, "_locked_balance", observed_locked_balance)

    def person(index: int, take: Callable[[], object]) -> None:
        try:
            start.wait()
            results[index] = take()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=person, args=(i, _take(kind, hub))) for i, kind in enumerate(kinds)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    # The second taker read the stock only after the first had committed.
    assert reads == [1_000, 300]

    errors = [r for r in results.values() if isinstance(r, Exception)]
    assert len(results) == 2 and len(errors) == 1, results
    [error] = errors
    assert isinstance(error, ValidationError), repr(error)
    with translation.override(settings.LANGUAGE_CODE):
        expected = _("Not enough stock: %(kg)s left of this lot at %(site)s.") % {
            "kg": "0,3\xa0kg",
            "site": "Entrepôt",
        }
    assert error.messages == [expected]
    assert expected.startswith("Stock insuffisant")  # the plain French message

    # The stock and the ledger agree: 300 g left at the warehouse, nothing lost in between.
    warehouse = StockBalance.objects.get(site_id=hub["warehouse"], lot_id=hub["lot"])
    assert warehouse.quantity_g == 300
    ledger = StockMovement.objects.filter(site_id=hub["warehouse"], lot_id=hub["lot"])
    assert ledger.aggregate(total=Sum("quantity_g"))["total"] == 300
    assert ledger.count() == 2  # the reception and the one successful take
    [winner] = [r for r in results.values() if not isinstance(r, Exception)]
    lot_total = StockBalance.objects.filter(lot_id=hub["lot"]).aggregate(t=Sum("quantity_g"))
    if isinstance(winner, tuple):  # a transfer moves food to the counter, it loses none
        assert lot_total["t"] == 1_000
        assert StockBalance.objects.get(site_id=hub["counter"]).quantity_g == 700
    else:
        assert winner.kind == StockMovement.Kind.LOSS
        assert lot_total["t"] == 300
    assert AuditEvent.objects.filter(action__startswith="stock.").count() == (
        StockMovement.objects.count()
    )
