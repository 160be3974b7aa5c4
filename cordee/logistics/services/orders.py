"""Delivery days, member orders (one-off or standing) and the fair allocation of stock."""

from datetime import date, timedelta
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.core.models import Network, Organisation, Site, User
from cordee.core.permissions import MANAGER_ROLES, require_role
from cordee.core.services.audit import audit_record

from .. import allocation as engine
from ..models import (
    AllocationLine,
    AllocationOutcome,
    Category,
    CounterDistribution,
    DeliveryDay,
    MemberShare,
    Order,
    OrderLine,
    StandingOrderLine,
    StockBalance,
    StorageClass,
)
from ..selectors.orders import available_supply

ORDER_ROLES = MANAGER_ROLES | {"staff"}


def delivery_day_open(
    *,
    actor: User,
    site: Site,
    delivers_on: date,
    policy: str = DeliveryDay.Policy.HOUSEHOLDS,
    request: HttpRequest | None = None,
) -> DeliveryDay:
    """Open a delivery day for orders; members' standing orders are copied into it."""
    require_role(actor, site.organisation, MANAGER_ROLES)
    if policy not in DeliveryDay.Policy.values:
        raise ValidationError({"policy": _("Choose how to share when supply is short.")})
    if DeliveryDay.objects.filter(site=site, delivers_on=delivers_on).exists():
        raise ValidationError({"delivers_on": _("A delivery day already exists on this date.")})
    with transaction.atomic():
        day = DeliveryDay.objects.create(
            organisation=site.organisation, site=site, delivers_on=delivers_on, policy=policy
        )
        for line in StandingOrderLine.objects.filter(hub=site.organisation):
            order, _new = Order.objects.get_or_create(
                delivery_day=day, organisation=line.organisation, defaults={"site": line.site}
            )
            OrderLine.objects.create(
                order=order, category=line.category, requested_g=line.requested_g
            )
        audit_record(
            actor=actor,
            action="delivery_day.open",
            organisation=site.organisation,
            obj=day,
            changed_fields=["delivers_on", "policy"],
            request=request,
        )
    return day


def order_save(
    *,
    actor: User,
    delivery_day: DeliveryDay,
    organisation: Organisation,
    site: Site,
    requested_g: dict[Category, int],
    note: str = "",
    request: HttpRequest | None = None,
) -> Order:
    """A member's order for a delivery day (replaces its previous lines)."""
    require_role(actor, organisation, ORDER_ROLES)
    if delivery_day.status != DeliveryDay.Status.OPEN:
        raise ValidationError(_("Orders are closed for this delivery day."))
    if site.organisation_id != organisation.pk:
        raise ValidationError({"site": _("Choose one of your sites.")})
    # Two filter() calls: two joins, one per organisation (one call would need both in one row).
    shared = Network.objects.filter(memberships__organisation=delivery_day.organisation).filter(
        memberships__organisation=organisation
    )
    if not shared.exists():
        raise ValidationError(_("Your organisation is not a member of this hub's network."))
    if any(g < 0 for g in requested_g.values()):
        raise ValidationError(_("A quantity cannot be negative."))
    with transaction.atomic():
        order, _new = Order.objects.update_or_create(
            delivery_day=delivery_day,
            organisation=organisation,
            defaults={"site": site, "note": note},
        )
        order.lines.all().delete()
        OrderLine.objects.bulk_create(
            OrderLine(order=order, category=c, requested_g=g) for c, g in requested_g.items() if g
        )
        audit_record(
            actor=actor,
            action="order.save",
            organisation=organisation,
            obj=order,
            changed_fields=["lines"],
            request=request,
        )
    return order


def _available_supply(day: DeliveryDay) -> list[engine.LotSupply]:
    """Stock at the hub site that may go out that day, minus what other days reserved.

    Locks the balances first: two coordinators allocating at once are served one after
    the other, and the second sees what the first reserved.
    """
    return available_supply(day, lock=True)


def _member_weight(day: DeliveryDay, member: Organisation) -> Fraction:
    if day.policy == DeliveryDay.Policy.SHARES:
        share = MemberShare.objects.filter(hub=day.organisation, member=member).first()
        return Fraction(share.share) if share else Fraction(0)
    if day.policy == DeliveryDay.Policy.HOUSEHOLDS:
        # Until households are recorded (households issue), baskets handed out at the
        # member's counters last month stand for households served.
        first = (day.delivers_on.replace(day=1) - timedelta(days=1)).replace(day=1)
        last = day.delivers_on.replace(day=1) - timedelta(days=1)
        baskets = CounterDistribution.objects.filter(
            organisation=member, distributed_on__range=(first, last)
        ).aggregate(n=Sum("baskets"))["n"]
        return Fraction(baskets or 0)
    return Fraction(1)


def _capacity(order: Order) -> dict[str, int | None]:
    """Room left at the receiving site per storage class (0 capacity given: no limit)."""
    site = order.site
    held = dict(
        StockBalance.objects.filter(site=site)
        .values_list("lot__storage_class")
        .annotate(total=Sum("quantity_g"))
    )
    declared = {
        StorageClass.CHILLED: site.fridge_capacity_g,
        StorageClass.FROZEN: site.freezer_capacity_g,
        StorageClass.DRY: site.dry_capacity_g,
    }
    return {cls: (max(cap - held.get(cls, 0), 0) if cap else None) for cls, cap in declared.items()}


def allocate_orders(
    day: DeliveryDay, orders: list[Order], supply: list[engine.LotSupply]
) -> engine.AllocationResult:
    """Run the engine on the day's orders: requests, weights by policy, remaining capacity."""
    return engine.allocate(
        supply,
        [
            engine.MemberRequest(order.organisation_id, line.category_id, line.requested_g)
            for order in orders
            for line in order.lines.all()
        ],
        [
            engine.MemberProfile(
                order.organisation_id, _member_weight(day, order.organisation), _capacity(order)
            )
            for order in orders
        ],
        day.policy,
    )


def delivery_day_allocate(
    *, actor: User, delivery_day: DeliveryDay, request: HttpRequest | None = None
) -> engine.AllocationResult:
    """Share the available stock among the day's orders and reserve it (can be re-run)."""
    require_role(actor, delivery_day.organisation, MANAGER_ROLES)
    if delivery_day.status == DeliveryDay.Status.DISPATCHED:
        raise ValidationError(_("This delivery day has already left."))
    with transaction.atomic():
        day = DeliveryDay.objects.select_for_update().get(pk=delivery_day.pk)
        orders = list(day.orders.select_related("organisation", "site").prefetch_related("lines"))
        supply = _available_supply(day)
        # Reasons are stored as text, so they are written in the network's language
        # (French), whatever language the coordinator's screen is in.
        with translation.override(settings.LANGUAGE_CODE):
            result = allocate_orders(day, orders, supply)
        _save_result(day, result)
        audit_record(
            actor=actor,
            action="delivery_day.allocate",
            organisation=day.organisation,
            obj=day,
            changed_fields=["allocation"],
            request=request,
        )
    delivery_day.refresh_from_db()
    return result


def _save_result(day: DeliveryDay, result: engine.AllocationResult) -> None:
    day.allocation_lines.all().delete()
    day.outcomes.all().delete()
    AllocationLine.objects.bulk_create(
        AllocationLine(
            delivery_day=day, organisation_id=x.member_id, lot_id=x.lot_id, quantity_g=x.quantity_g
        )
        for x in result.lines
        if x.quantity_g > 0
    )
    AllocationOutcome.objects.bulk_create(
        AllocationOutcome(
            delivery_day=day,
            organisation_id=member_id,
            category_id=category_id,
            requested_g=outcome.requested_g,
            granted_g=outcome.granted_g,
            reason=outcome.reason[:300],
        )
        for member_id, per_category in result.per_member.items()
        for category_id, outcome in per_category.items()
    )
    day.status = DeliveryDay.Status.ALLOCATED
    day.allocated_at = timezone.now()
    day.save(update_fields=["status", "allocated_at"])
