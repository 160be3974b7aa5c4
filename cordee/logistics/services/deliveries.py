"""Deliveries from the allocation, receipt by the member, and counter distributions."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Site, User
from cordee.core.permissions import MANAGER_ROLES, require_role
from cordee.core.services.audit import audit_record

from ..models import (
    Category,
    CounterDistribution,
    Delivery,
    DeliveryDay,
    DeliveryLine,
    StockMovement,
)
from ..permissions import STOCK_HANDLER_ROLES
from ..selectors.stock import lots_fefo
from .stock import movement_apply

Kind = StockMovement.Kind


def delivery_day_dispatch(
    *, actor: User, delivery_day: DeliveryDay, request: HttpRequest | None = None
) -> list[Delivery]:
    """Turn the day's allocation into one delivery per member; the food leaves the hub."""
    require_role(actor, delivery_day.organisation, MANAGER_ROLES)
    with transaction.atomic():
        day = DeliveryDay.objects.select_for_update().get(pk=delivery_day.pk)
        if day.status != DeliveryDay.Status.ALLOCATED:
            raise ValidationError(_("Share out the stock before printing the deliveries."))
        if day.allocation_lines.filter(lot__blocked_at__isnull=False).exists():
            raise ValidationError(
                _("A lot of this allocation was recalled since: share out the stock again.")
            )
        orders = {o.organisation_id: o for o in day.orders.select_related("site")}
        deliveries: dict[int, Delivery] = {}
        for line in day.allocation_lines.select_related("lot").order_by("organisation_id", "pk"):
            delivery = deliveries.get(line.organisation_id)
            if delivery is None:
                delivery = Delivery.objects.create(
                    delivery_day=day,
                    organisation_id=line.organisation_id,
                    site=orders[line.organisation_id].site,
                )
                deliveries[line.organisation_id] = delivery
            DeliveryLine.objects.create(delivery=delivery, lot=line.lot, shipped_g=line.quantity_g)
            movement_apply(
                actor=actor,
                site=day.site,
                lot=line.lot,
                kind=Kind.DELIVERY_OUT,
                quantity_g=-line.quantity_g,
                occurred_on=day.delivers_on,
                note=str(delivery.organisation),
                request=request,
            )
        day.status = DeliveryDay.Status.DISPATCHED
        day.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="delivery_day.dispatch",
            organisation=day.organisation,
            obj=day,
            changed_fields=["status"],
            request=request,
        )
    delivery_day.refresh_from_db()
    return list(deliveries.values())


def delivery_confirm(
    *,
    actor: User,
    delivery: Delivery,
    received_g: dict[int, int],
    temperatures: dict[int, Decimal] | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Delivery:
    """The member confirms receipt (in full or with differences); stock enters its site.

    `received_g` maps delivery line id → grams received; a line left out was received in
    full. What did not arrive stays recorded on the line as the difference.
    """
    require_role(actor, delivery.organisation, STOCK_HANDLER_ROLES)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status != Delivery.Status.IN_TRANSIT:
            raise ValidationError(_("This delivery was already confirmed."))
        lines = list(delivery.lines.select_related("lot"))
        unknown = set(received_g) - {line.pk for line in lines}
        if unknown:
            raise ValidationError(_("Some lines are not part of this delivery."))
        partial = False
        for line in lines:
            got = received_g.get(line.pk, line.shipped_g)
            if not 0 <= got <= line.shipped_g:
                raise ValidationError(
                    _("Received weight must be between 0 and the weight shipped.")
                )
            partial |= got != line.shipped_g
            line.received_g = got
            line.temperature_c = (temperatures or {}).get(line.pk)
            line.save(update_fields=["received_g", "temperature_c"])
            if got:
                movement_apply(
                    actor=actor,
                    site=delivery.site,
                    lot=line.lot,
                    kind=Kind.DELIVERY_IN,
                    quantity_g=got,
                    request=request,
                )
        if partial and not note.strip():
            raise ValidationError({"note": _("Say in a few words what was missing or damaged.")})
        delivery.status = Delivery.Status.PARTIAL if partial else Delivery.Status.RECEIVED
        delivery.received_at = timezone.now()
        delivery.received_by = actor
        delivery.receipt_note = note.strip()
        delivery.save(update_fields=["status", "received_at", "received_by", "receipt_note"])
        audit_record(
            actor=actor,
            action="delivery.confirm",
            organisation=delivery.organisation,
            obj=delivery,
            changed_fields=["status", "received"],
            request=request,
        )
    return delivery


def counter_distribution_record(
    *,
    actor: User,
    site: Site,
    distributed_on: date,
    baskets: int,
    kg_by_category: dict[Category, int],
    request: HttpRequest | None = None,
) -> CounterDistribution:
    """A distribution day at a counter: baskets counted, kg per category taken FEFO."""
    org = site.organisation
    require_role(actor, org, STOCK_HANDLER_ROLES)
    if baskets < 0 or any(g < 0 for g in kg_by_category.values()):
        raise ValidationError(_("Numbers cannot be negative."))
    with transaction.atomic():
        distribution = CounterDistribution.objects.create(
            organisation=org,
            site=site,
            distributed_on=distributed_on,
            baskets=baskets,
            recorded_by=actor,
        )
        for category, grams in kg_by_category.items():
            left = grams
            for balance in lots_fefo(org=org, site=site, category=category):
                if left == 0:
                    break
                take = min(left, balance.quantity_g)
                movement_apply(
                    actor=actor,
                    site=site,
                    lot=balance.lot,
                    kind=Kind.DISTRIBUTION,
                    quantity_g=-take,
                    occurred_on=distributed_on,
                    request=request,
                )
                left -= take
            if left:
                raise ValidationError(
                    _("Not enough %(category)s in stock at %(site)s for this distribution.")
                    % {"category": category.name, "site": site.name}
                )
        audit_record(
            actor=actor,
            action="distribution.record",
            organisation=org,
            obj=distribution,
            changed_fields=["baskets", "kg"],
            request=request,
        )
    return distribution
