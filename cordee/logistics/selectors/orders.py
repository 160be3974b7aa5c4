"""Reads of delivery days, orders and allocation outcomes — always scoped to one organisation.

The hub (the organisation that owns a delivery day) sees every order of its own days; a
member sees the open days of the hubs of its networks and only its own order and outcome.
Anything else looks like it does not exist (404).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from cordee.core.models import Network, Organisation

from .. import allocation as engine
from ..models import (
    PERISHABILITY_ORDER,
    AllocationLine,
    AllocationOutcome,
    Category,
    DeliveryDay,
    Lot,
    Order,
    StandingOrderLine,
    StockBalance,
)

# A member keeps seeing the days it ordered for during this many days after delivery.
MEMBER_HISTORY_DAYS = 60


# --- What may go out on a day ----------------------------------------------------------


def available_supply(
    day: DeliveryDay, *, lock: bool = False, category: Category | None = None
) -> list[engine.LotSupply]:
    """Stock at the hub site that may go out that day, minus what other days reserved.

    Not blocked, not set aside, still good on the delivery date. With ``lock``, the
    balances are locked first (``select_for_update``; call inside a transaction): two
    coordinators sharing out at once are served one after the other, and the second sees
    what the first reserved.
    """
    balances_qs = StockBalance.objects.filter(
        site=day.site, quantity_g__gt=0, lot__blocked_at=None
    ).exclude(lot__decision=Lot.Decision.QUARANTINED)
    if category is not None:
        balances_qs = balances_qs.filter(lot__category=category)
    if lock:
        balances_qs = balances_qs.select_for_update()
    balances = list(balances_qs.select_related("lot", "lot__category").order_by("pk"))
    reserved = dict(
        AllocationLine.objects.filter(
            lot__in=[b.lot for b in balances],
            delivery_day__site=day.site,
            delivery_day__status=DeliveryDay.Status.ALLOCATED,
        )
        .exclude(delivery_day=day)
        .values_list("lot")
        .annotate(total=Sum("quantity_g"))
    )
    supply = []
    for balance in balances:
        lot = balance.lot
        free = balance.quantity_g - reserved.get(lot.pk, 0)
        if free > 0 and (lot.use_by is None or lot.use_by >= day.delivers_on):
            supply.append(
                engine.LotSupply(
                    lot_id=lot.pk,
                    category_id=lot.category_id,
                    storage_class=lot.storage_class,
                    quantity_g=free,
                    use_by=lot.use_by,
                )
            )
    return supply


@dataclass
class CategoryRow:
    """One kind of food on a delivery day: what is available, asked for and given."""

    category: Category
    available_g: int = 0
    requested_g: int = 0
    granted_g: int = 0

    @property
    def over_g(self) -> int:
        """Grams given beyond what is available (0 when it fits)."""
        return max(self.granted_g - self.available_g, 0)

    @property
    def short_g(self) -> int:
        """Grams asked for beyond what is available (0 when there is enough)."""
        return max(self.requested_g - self.available_g, 0)


def _catalogue(day: DeliveryDay) -> list[Category]:
    """The categories of the hub's networks, perishables first, then in catalogue order."""
    rank: dict[str, int] = {str(storage): i for i, storage in enumerate(PERISHABILITY_ORDER)}
    categories = Category.objects.filter(
        network__memberships__organisation=day.organisation
    ).distinct()
    return sorted(categories, key=lambda c: (rank.get(c.storage_class, 9), c.sort_order, c.name))


def day_categories(day: DeliveryDay) -> list[CategoryRow]:
    """Every category of the catalogue with its kg available, requested and granted."""
    rows = {c.pk: CategoryRow(c) for c in _catalogue(day)}
    for lot in available_supply(day):
        if lot.category_id in rows:
            rows[lot.category_id].available_g += lot.quantity_g
    requested = (
        Order.objects.filter(delivery_day=day)
        .values_list("lines__category")
        .annotate(total=Sum("lines__requested_g"))
    )
    for category_id, total in requested:
        if category_id in rows:
            rows[category_id].requested_g = total or 0
    for category_id, total in (
        AllocationOutcome.objects.filter(delivery_day=day)
        .values_list("category")
        .annotate(total=Sum("granted_g"))
    ):
        if category_id in rows:
            rows[category_id].granted_g = total or 0
    return list(rows.values())


# --- The hub's side --------------------------------------------------------------------


def delivery_day_list(*, org: Organisation) -> QuerySet[DeliveryDay]:
    """The organisation's own delivery days, latest first, with their number of orders."""
    return (
        DeliveryDay.objects.filter(organisation=org)
        .select_related("site")
        .annotate(
            order_count=Count("orders", distinct=True),
        )
        .order_by("-delivers_on", "-pk")
    )


def delivery_day_get(*, org: Organisation, pk: int) -> DeliveryDay:
    """One of the organisation's own delivery days, or 404."""
    day = DeliveryDay.objects.filter(organisation=org, pk=pk).select_related("site").first()
    if day is None:
        raise Http404
    return day


@dataclass
class OrderSummary:
    order: Order
    requested_g: dict[int, int] = field(default_factory=dict)  # category id → grams

    @property
    def total_g(self) -> int:
        return sum(self.requested_g.values())


def order_list_for_day(*, org: Organisation, day: DeliveryDay) -> list[OrderSummary]:
    """Every order of one of the hub's own days (another organisation's day: 404)."""
    if day.organisation_id != org.pk:
        raise Http404
    orders = (
        Order.objects.filter(delivery_day=day)
        .select_related("organisation", "site")
        .prefetch_related("lines")
        .order_by("organisation__name")
    )
    return [
        OrderSummary(o, {line.category_id: line.requested_g for line in o.lines.all()})
        for o in orders
    ]


@dataclass
class AllocationCell:
    """What one member asked and got of one category, and why."""

    member_id: int
    category_id: int
    requested_g: int = 0
    granted_g: int = 0
    reason: str = ""
    has_outcome: bool = False


@dataclass
class AllocationSection:
    """One category of the share-out: a line per member and the category's totals."""

    row: CategoryRow
    cells: list[tuple[Order, AllocationCell]]


def allocation_table(*, org: Organisation, day: DeliveryDay) -> list[AllocationSection]:
    """The share-out of one of the hub's own days: member × category, perishables first.

    Only categories someone ordered or was given appear, each with a line per member who
    ordered it or was given some.
    """
    if day.organisation_id != org.pk:
        raise Http404
    orders = [s.order for s in order_list_for_day(org=org, day=day)]
    requested = {
        (order.organisation_id, line.category_id): line.requested_g
        for order in orders
        for line in order.lines.all()
    }
    outcomes = {
        (o.organisation_id, o.category_id): o
        for o in AllocationOutcome.objects.filter(delivery_day=day)
    }
    used = {c for _m, c in requested} | {c for _m, c in outcomes}
    sections = []
    for row in day_categories(day):
        category_id = row.category.pk
        if category_id not in used:
            continue
        cells = []
        for order in orders:
            key = (order.organisation_id, category_id)
            outcome = outcomes.get(key)
            if outcome is None and not requested.get(key):
                continue  # did not order this kind of food
            cells.append(
                (
                    order,
                    AllocationCell(
                        member_id=order.organisation_id,
                        category_id=category_id,
                        requested_g=outcome.requested_g if outcome else requested.get(key, 0),
                        granted_g=outcome.granted_g if outcome else 0,
                        reason=outcome.reason if outcome else "",
                        has_outcome=outcome is not None,
                    ),
                )
            )
        sections.append(AllocationSection(row, cells))
    return sections


# --- The member's side -----------------------------------------------------------------


def _hub_days_for_member(org: Organisation) -> QuerySet[DeliveryDay]:
    """Delivery days of the other organisations sharing a network with ``org``."""
    networks = Network.objects.filter(memberships__organisation=org)
    return (
        DeliveryDay.objects.filter(organisation__network_memberships__network__in=networks)
        .exclude(organisation=org)
        .distinct()
    )


def member_day_list(*, org: Organisation) -> list[tuple[DeliveryDay, Order | None]]:
    """Open days of my networks' hubs, and recent days I ordered for, with my order."""
    since = timezone.localdate() - timedelta(days=MEMBER_HISTORY_DAYS)
    days = list(
        _hub_days_for_member(org)
        .filter(
            Q(status=DeliveryDay.Status.OPEN, delivers_on__gte=timezone.localdate())
            | Q(orders__organisation=org, delivers_on__gte=since)
        )
        .select_related("organisation", "site")
        .order_by("delivers_on", "pk")
    )
    orders = {
        o.delivery_day_id: o
        for o in Order.objects.filter(organisation=org, delivery_day__in=days).prefetch_related(
            "lines"
        )
    }
    return [(day, orders.get(day.pk)) for day in days]


def member_day_get(*, org: Organisation, pk: int) -> DeliveryDay:
    """A delivery day of a hub sharing a network with ``org``, or 404."""
    day = _hub_days_for_member(org).filter(pk=pk).select_related("organisation", "site").first()
    if day is None:
        raise Http404
    return day


def member_order_get(*, org: Organisation, day: DeliveryDay) -> Order | None:
    """My order for this day (never another member's)."""
    return (
        Order.objects.filter(delivery_day=day, organisation=org)
        .select_related("site")
        .prefetch_related("lines")
        .first()
    )


def member_outcome_list(*, org: Organisation, day: DeliveryDay) -> list[AllocationOutcome]:
    """What I got of each category on this day, and why (only my own rows)."""
    return list(
        AllocationOutcome.objects.filter(delivery_day=day, organisation=org)
        .select_related("category")
        .order_by("category__sort_order", "category__name")
    )


def standing_order_get(*, org: Organisation, hub: Organisation) -> list[StandingOrderLine]:
    """My usual order with this hub."""
    return list(StandingOrderLine.objects.filter(hub=hub, organisation=org).select_related("site"))
