"""Property-based tests of the stock ledger, driving the real services.

A Hypothesis state machine records receptions (with cold lines, temperatures and
decisions), losses, transfers and inventory counts — valid and invalid ones — and keeps
its own model of what each site should hold. After every step the database must agree
with that model and with itself:

- for every (site, lot), StockBalance.quantity_g == sum of its StockMovement.quantity_g;
- no balance is ever negative;
- a lot's total stock == received − losses ± count adjustments (transfers conserve);
- every movement has exactly one audit event, every reception one;
- a refused operation writes nothing (no reception, lot, movement nor audit event).

Each example runs in a savepoint that is rolled back at the end (the ledger and the
audit log are append-only, so rows cannot simply be deleted).
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from cordee.core.models import AuditEvent, Role
from cordee.core.templatetags.cordee import kg
from cordee.core.tests.factories import MembershipFactory, SiteFactory, UserFactory
from cordee.logistics.models import (
    Category,
    Lot,
    Reception,
    StockBalance,
    StockMovement,
    StorageClass,
)
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.receptions import ReceptionLine, reception_record
from cordee.logistics.services.stock import (
    stock_count_record,
    stock_loss_record,
    stock_transfer,
)

Kind = StockMovement.Kind
LIMITS = {StorageClass.CHILLED: Decimal(4), StorageClass.FROZEN: Decimal(-18)}
DECISIONS = ["accepted", "quarantined", "discarded"]
LOSS_REASONS = ["spoiled", "expired", "damaged", "cold_chain"]
SOURCES = ["food_bank", "recovery", "donation", "farm", "purchase"]

dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


def _celsius(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=low, max_value=high, places=1, allow_nan=False)


# Mostly cold enough for any class (≤ −18 °C); sometimes too warm, sometimes not taken.
temperatures = st.sampled_from(["cold", "cold", "cold", "warm", "edge", "any", "none"]).flatmap(
    lambda kind: {
        "cold": _celsius(-30, -18),
        "warm": _celsius(4, 15),
        "edge": st.sampled_from([Decimal(t) for t in ("4", "4.1", "-18", "-17.9")]),
        "any": _celsius(-30, 15),
        "none": st.none(),
    }[kind]
)
# Hypothesis favours small values and bounds, so zero and negatives (refused) come up too.
weights = st.integers(min_value=-2, max_value=2_000_000)
# What an inventory count finds: a share of the stock (0 to 150 %), exactly the stock, some
# food where none was recorded, or a negative weight (refused).
counted_weights = st.one_of(
    st.floats(min_value=0.0, max_value=1.5),
    st.sampled_from(["same", -1]),
    st.integers(min_value=0, max_value=50_000),
)
# Which of the two sites to take from: mostly one that holds the lot.
wheres = st.sampled_from(["holder", "holder", 0, 1])
# Mostly the manager; sometimes a volunteer, who may receive food but not correct stock.
by_volunteers = st.sampled_from([False, False, False, True])
# A quantity to take, relative to what the site holds: a share of it, all of it, one gram
# more than it, or nothing / less than nothing (refused).
takes = st.one_of(
    st.floats(min_value=0.01, max_value=1.0),
    st.sampled_from(["all", "one more", 0, -1]),
)


def _line_is_valid(line: ReceptionLine) -> bool:
    """An independent statement of the reception rules (the oracle)."""
    storage = line.storage_class or line.category.storage_class
    if line.weight_g <= 0:
        return False
    if line.category.uses_expiry_date and line.expiry_date is None:
        return False
    if storage in LIMITS:
        if line.temperature_c is None:
            return False
        if line.temperature_c > LIMITS[storage]:
            return line.decision in DECISIONS and bool(line.decision_reason.strip())
    return True


def _is_discarded(line: ReceptionLine) -> bool:
    storage = line.storage_class or line.category.storage_class
    return (
        storage in LIMITS
        and line.temperature_c is not None
        and line.temperature_c > LIMITS[storage]
        and line.decision == "discarded"
    )


def _counted(found: float | int | str, held: int) -> int:
    if found == "same":
        return held
    if isinstance(found, float):
        return int(held * found)
    assert isinstance(found, int)
    return found


def _quantity(take: float | str, held: int) -> int:
    if take == "all":
        return held
    if take == "one more":
        return held + 1
    if isinstance(take, float):
        return max(1, int(held * take))
    assert isinstance(take, int)
    return take


@pytest.fixture
def ledger_world(org_a, org_b, admin_a, volunteer_a, admin_b):
    network = org_a.networks.get()
    catalogue_seed_defaults(network=network)
    catalogue_seed_defaults(network=org_b.networks.get())
    foreign = reception_record(
        actor=admin_b,
        site=org_b.sites.get(),
        source="donation",
        received_on=date(2026, 1, 5),
        lines=[
            ReceptionLine(
                category=Category.objects.get(
                    network__memberships__organisation=org_b, name="Épicerie sèche"
                ),
                weight_g=5_000,
            )
        ],
    )
    viewer = UserFactory(email="lecteur-a@example.org")
    MembershipFactory(user=viewer, organisation=org_a, role=Role.VIEWER)
    return {
        "org": org_a,
        "sites": [org_a.sites.get(), SiteFactory(organisation=org_a, name="Entrepôt A")],
        "foreign_site": org_b.sites.get(),
        "categories": list(Category.objects.filter(network=network)),
        "admin": admin_a,
        "volunteer": volunteer_a,
        "viewer": viewer,
        "foreign_lot": foreign.lots.get(),
    }


def _machine(world: dict) -> type[RuleBasedStateMachine]:
    sites = world["sites"]
    admin, volunteer = world["admin"], world["volunteer"]
    users = {"admin": admin, "volunteer": volunteer, "viewer": world["viewer"]}
    foreign_lot = world["foreign_lot"]

    line_strategy = st.builds(
        ReceptionLine,
        category=st.sampled_from(world["categories"]),
        weight_g=weights,
        storage_class=st.sampled_from(["", "", "", "dry", "chilled", "frozen"]),
        best_before=st.none() | dates,
        expiry_date=st.none() | dates,
        temperature_c=temperatures,
        decision=st.sampled_from(["", *DECISIONS]),
        decision_reason=st.sampled_from(["Camion en retard", "Porte ouverte", "Livré tard", "  "]),
    )

    class LedgerMachine(RuleBasedStateMachine):
        lots = Bundle("lots")

        def __init__(self) -> None:
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.expected: dict[tuple[int, int], int] = defaultdict(int)  # (site, lot) → g
            self.received: dict[int, int] = {}
            self.corrections: dict[int, int] = defaultdict(int)  # losses and adjustments
            # Another organisation's stock, received before the example: it must not move.
            self.received[foreign_lot.pk] = foreign_lot.received_g
            self.expected[(world["foreign_site"].pk, foreign_lot.pk)] = foreign_lot.received_g

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        # --- helpers -------------------------------------------------------------------

        def _snapshot(self) -> tuple[int, ...]:
            """Row counts of everything a stock operation may write, in one query."""
            tables = [
                m._meta.db_table for m in (Reception, Lot, StockMovement, StockBalance, AuditEvent)
            ]
            with connection.cursor() as cursor:
                cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
                return tuple(cursor.fetchone())

        def _refused(self, call, error: type[Exception]) -> Exception:
            before = self._snapshot()
            with pytest.raises(error) as exc:
                call()
            assert self._snapshot() == before, "a refused operation wrote something"
            return exc.value

        def _held(self, site_pk: int, lot_pk: int) -> int:
            return self.expected[(site_pk, lot_pk)]

        def _site_index(self, where: str | int, lot: Lot) -> int:
            if where == "holder":  # a site that holds some of the lot, if any
                held = [i for i, site in enumerate(sites) if self._held(site.pk, lot.pk)]
                return held[0] if held else 0
            assert isinstance(where, int)
            return where

        # --- rules ---------------------------------------------------------------------

        @rule(
            target=lots,
            site=st.sampled_from(sites),
            lines=st.lists(line_strategy, max_size=3),
            received_on=dates,
            source=st.sampled_from([*SOURCES, "gift"]),
            actor=st.sampled_from(["admin", "admin", "admin", "volunteer", "viewer"]),
        )
        def receive(self, site, lines, received_on, source, actor):
            def call():
                return reception_record(
                    actor=users[actor],
                    site=site,
                    source=source,
                    received_on=received_on,
                    lines=lines,
                )

            if actor == "viewer":  # may read stock, not record food
                self._refused(call, PermissionDenied)
                return multiple()
            if source == "gift" or not lines or not all(map(_line_is_valid, lines)):
                self._refused(call, ValidationError)
                return multiple()
            reception = call()
            lots = list(reception.lots.order_by("pk"))
            assert len(lots) == len(lines)
            for lot, line in zip(lots, lines, strict=True):
                assert lot.received_g == line.weight_g
                self.received[lot.pk] = line.weight_g
                if _is_discarded(line):
                    assert lot.decision == "discarded"
                    self.corrections[lot.pk] -= line.weight_g
                else:
                    self.expected[(site.pk, lot.pk)] += line.weight_g
            return multiple(*lots)

        @rule(
            lot=lots,
            where=wheres,
            take=takes,
            reason=st.sampled_from([*LOSS_REASONS, "", "stolen"]),
            by_volunteer=by_volunteers,
        )
        def lose(self, lot, where, take, reason, by_volunteer):
            site = sites[self._site_index(where, lot)]
            held = self._held(site.pk, lot.pk)
            grams = _quantity(take, held)

            def call():
                return stock_loss_record(
                    actor=volunteer if by_volunteer else admin,
                    site=site,
                    lot=lot,
                    quantity_g=grams,
                    reason=reason,
                )

            if by_volunteer:
                self._refused(call, PermissionDenied)
            elif reason not in LOSS_REASONS or grams <= 0:
                self._refused(call, ValidationError)
            elif grams > held:
                error = self._refused(call, ValidationError)
                assert error.messages == [  # type: ignore[attr-defined]
                    _("Not enough stock: %(kg)s left of this lot at %(site)s.")
                    % {"kg": kg(held), "site": site.name}
                ]
            else:
                movement = call()
                assert movement.quantity_g == -grams and movement.kind == Kind.LOSS
                self.expected[(site.pk, lot.pk)] -= grams
                self.corrections[lot.pk] -= grams

        @rule(
            lot=lots,
            where=wheres,
            to=st.sampled_from(["other", "other", "other", "same", "foreign"]),
            take=takes,
            by_volunteer=by_volunteers,
        )
        def transfer(self, lot, where, to, take, by_volunteer):
            from_index = self._site_index(where, lot)
            from_site = sites[from_index]
            to_site = {
                "other": sites[1 - from_index],
                "same": from_site,
                "foreign": world["foreign_site"],
            }[to]
            held = self._held(from_site.pk, lot.pk)
            grams = _quantity(take, held)

            def call():
                return stock_transfer(
                    actor=volunteer if by_volunteer else admin,
                    from_site=from_site,
                    to_site=to_site,
                    lot=lot,
                    quantity_g=grams,
                )

            if by_volunteer:
                self._refused(call, PermissionDenied)
            elif to != "other" or grams <= 0 or grams > held:
                self._refused(call, ValidationError)
            else:
                out, into = call()
                assert (out.quantity_g, into.quantity_g) == (-grams, grams)
                self.expected[(from_site.pk, lot.pk)] -= grams
                self.expected[(to_site.pk, lot.pk)] += grams

        @rule(
            where=wheres,
            lot=lots,  # a direct Bundle argument: the rule waits until there is a lot
            found=counted_weights,
            more=st.lists(st.tuples(lots, counted_weights), max_size=2),
            by_volunteer=by_volunteers,
        )
        def count(self, where, lot, found, more, by_volunteer):
            site = sites[self._site_index(where, lot)]
            counted = {
                each.pk: _counted(share, self._held(site.pk, each.pk))
                for each, share in [(lot, found), *more]
            }

            def call():
                return stock_count_record(
                    actor=volunteer if by_volunteer else admin, site=site, counted_g=counted
                )

            if by_volunteer:
                self._refused(call, PermissionDenied)
            elif any(g < 0 for g in counted.values()):
                self._refused(call, ValidationError)
            else:
                movements = call()
                variances = {
                    pk: g - self._held(site.pk, pk)
                    for pk, g in counted.items()
                    if g != self._held(site.pk, pk)
                }
                assert {m.lot_id: m.quantity_g for m in movements} == variances
                assert all(m.kind == Kind.ADJUSTMENT for m in movements)
                for pk, variance in variances.items():
                    self.expected[(site.pk, pk)] += variance
                    self.corrections[pk] += variance

        @rule(site=st.sampled_from(sites), lot=lots)
        def count_with_a_foreign_lot(self, site, lot):
            """A count that names another organisation's lot is refused as a whole."""
            self._refused(
                lambda: stock_count_record(
                    actor=admin, site=site, counted_g={lot.pk: 0, foreign_lot.pk: 0}
                ),
                ValidationError,
            )

        # --- invariants ----------------------------------------------------------------

        @invariant()
        def ledger_and_stock_agree(self):
            """All ledger invariants at once, in a few queries (they run after every step)."""
            ledger: dict[tuple[int, int], int] = defaultdict(int)  # (site, lot) → Σ movements
            by_lot: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            movements_per_kind: dict[str, int] = defaultdict(int)
            for row in StockMovement.objects.values("site", "lot", "kind").annotate(
                total=Sum("quantity_g"), n=Count("id")
            ):
                ledger[(row["site"], row["lot"])] += row["total"]
                by_lot[row["lot"]][row["kind"]] += row["total"]
                movements_per_kind[row["kind"]] += row["n"]
            balances = {}
            for b in StockBalance.objects.select_related("site"):
                assert b.organisation_id == b.site.organisation_id, ("balance's organisation", b)
                balances[(b.site_id, b.lot_id)] = b.quantity_g

            # Derived stock == ledger, for every (site, lot), both ways.
            for key, total in ledger.items():
                assert balances.get(key) == total, ("balance ≠ Σ movements", key)
            for key, quantity in balances.items():
                assert ledger.get(key, 0) == quantity, ("balance without movements", key)
            # Never below zero.
            assert all(q >= 0 for q in balances.values()), "negative balance"
            # The database holds what the model says each site should hold.
            assert {k: v for k, v in balances.items() if v} == {
                k: v for k, v in self.expected.items() if v
            }
            # Per lot: received − losses ± adjustments; transfers conserve.
            stock_per_lot: dict[int, int] = defaultdict(int)
            for (_site, lot_pk), quantity in balances.items():
                stock_per_lot[lot_pk] += quantity
            lots = dict(Lot.objects.values_list("pk", "received_g"))
            assert set(lots) == set(self.received), "a lot appeared or vanished"
            for lot_pk, received_g in lots.items():
                kinds = by_lot[lot_pk]
                assert kinds[Kind.RECEPTION] == received_g == self.received[lot_pk]
                assert kinds[Kind.TRANSFER_OUT] + kinds[Kind.TRANSFER_IN] == 0
                assert kinds[Kind.LOSS] <= 0
                total = received_g + kinds[Kind.LOSS] + kinds[Kind.ADJUSTMENT]
                assert stock_per_lot[lot_pk] == total
                assert total == self.received[lot_pk] + self.corrections[lot_pk]
            # Exactly one audit event per movement (by kind) and per reception.
            events = dict(
                AuditEvent.objects.values_list("action").annotate(n=Count("id")).order_by()
            )
            assert {a: n for a, n in events.items() if a.startswith("stock.")} == {
                f"stock.{kind}": n for kind, n in movements_per_kind.items()
            }
            assert events.get("reception.create", 0) == Reception.objects.count()

        @invariant()
        def movements_belong_to_their_site_organisation(self):
            assert not StockMovement.objects.exclude(organisation=F("site__organisation")).exists()

    return LedgerMachine


def test_ledger_state_machine(ledger_world):
    run_state_machine_as_test(
        _machine(ledger_world),
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            database=None,
            # No shrinking: each step writes to the database, so shrinking a failure can take
            # minutes. The failing steps are printed in full; add Phase.shrink to minimise.
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
