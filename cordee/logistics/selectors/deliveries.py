"""Reads of delivery days, deliveries and counter distributions — always scoped to one
organisation.

A delivery is seen by two organisations: the hub that sends it (owner of the delivery day)
and the member that receives it. Nobody else: another member's delivery is a 404.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404

from cordee.core.models import Organisation

from ..models import (
    PERISHABILITY_ORDER,
    CounterDistribution,
    Delivery,
    DeliveryDay,
    DeliveryLine,
    Lot,
    StockMovement,
    StorageClass,
)


def delivery_day_list(*, org: Organisation) -> QuerySet[DeliveryDay]:
    """The hub's delivery days (its own only), newest first."""
    return DeliveryDay.objects.filter(organisation=org).select_related("site")


def delivery_day_get(*, org: Organisation, pk: int) -> DeliveryDay:
    day = delivery_day_list(org=org).filter(pk=pk).first()
    if day is None:
        raise Http404
    return day


def _lines() -> Prefetch:
    return Prefetch(
        "lines",
        queryset=DeliveryLine.objects.select_related("lot", "lot__category", "lot__item").order_by(
            "lot__category__sort_order", "lot__category__name", "lot_id"
        ),
    )


def delivery_list(*, org: Organisation) -> QuerySet[Delivery]:
    """Deliveries the organisation sends (as the hub) or receives (as a member)."""
    return (
        Delivery.objects.filter(Q(organisation=org) | Q(delivery_day__organisation=org))
        .select_related(
            "organisation",
            "site",
            "site__municipality",
            "delivery_day",
            "delivery_day__organisation",
            "delivery_day__site",
            "received_by",
        )
        .annotate(shipped_g=Sum("lines__shipped_g"))
    )


def delivery_list_received(*, org: Organisation) -> QuerySet[Delivery]:
    """Deliveries coming to the organisation (as a member)."""
    return delivery_list(org=org).filter(organisation=org)


def deliveries_to_confirm(*, org: Organisation) -> QuerySet[Delivery]:
    """Deliveries on their way to the organisation: it should say what arrived."""
    return Delivery.objects.filter(organisation=org, status=Delivery.Status.IN_TRANSIT)


def delivery_list_for_day(*, org: Organisation, day: DeliveryDay) -> QuerySet[Delivery]:
    return delivery_list(org=org).filter(delivery_day=day).order_by("organisation__name")


def delivery_get(*, org: Organisation, pk: int) -> Delivery:
    """A delivery the organisation sends or receives, with its lines; else 404."""
    delivery = (
        Delivery.objects.filter(Q(organisation=org) | Q(delivery_day__organisation=org), pk=pk)
        .select_related(
            "organisation",
            "organisation__municipality",
            "site",
            "site__municipality",
            "delivery_day",
            "delivery_day__organisation",
            "delivery_day__organisation__municipality",
            "delivery_day__site",
            "delivery_day__site__municipality",
            "received_by",
        )
        .prefetch_related(_lines())
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery


def delivery_get_received(*, org: Organisation, pk: int) -> Delivery:
    """A delivery coming to the organisation (the only one it may confirm); else 404."""
    delivery = delivery_get(org=org, pk=pk)
    if delivery.organisation_id != org.pk:
        raise Http404
    return delivery


@dataclass
class StorageTotal:
    storage_class: str
    label: str
    shipped_g: int = 0
    received_g: int = 0


@dataclass
class NoteSummary:
    """What a delivery note adds up: totals per storage class, perishables first."""

    totals: list[StorageTotal] = field(default_factory=list)
    shipped_g: int = 0
    received_g: int | None = None


def delivery_note_summary(delivery: Delivery) -> NoteSummary:
    lines = list(delivery.lines.all())
    per_class: dict[str, StorageTotal] = {}
    for line in lines:
        cls = line.lot.storage_class
        total = per_class.setdefault(cls, StorageTotal(cls, str(StorageClass(cls).label)))
        total.shipped_g += line.shipped_g
        total.received_g += line.received_g or 0
    order = {c: i for i, c in enumerate(PERISHABILITY_ORDER)}
    confirmed = delivery.status != Delivery.Status.IN_TRANSIT
    return NoteSummary(
        totals=sorted(per_class.values(), key=lambda t: order[StorageClass(t.storage_class)]),
        shipped_g=sum(line.shipped_g for line in lines),
        received_g=sum(line.received_g or 0 for line in lines) if confirmed else None,
    )


def day_blocked_lots(*, day: DeliveryDay) -> list[Lot]:
    """Lots reserved for this day that were blocked since (recall) or set aside."""
    return list(
        Lot.objects.filter(allocation_lines__delivery_day=day)
        .filter(Q(blocked_at__isnull=False) | Q(decision=Lot.Decision.QUARANTINED))
        .select_related("category")
        .distinct()
    )


def counter_distribution_list(*, org: Organisation) -> QuerySet[CounterDistribution]:
    return CounterDistribution.objects.filter(organisation=org).select_related(
        "site", "recorded_by"
    )


def counter_distribution_kg(*, distributions: list[CounterDistribution]) -> dict[int, int]:
    """Grams handed out per distribution, from the ledger lines written with it.

    Distribution movements carry the site and the date, not the distribution itself, so
    two distributions at the same site on the same day share their total.
    """
    if not distributions:
        return {}
    org_ids = {d.organisation_id for d in distributions}
    rows = (
        StockMovement.objects.filter(
            organisation_id__in=org_ids,
            kind=StockMovement.Kind.DISTRIBUTION,
            site_id__in={d.site_id for d in distributions},
            occurred_on__in={d.distributed_on for d in distributions},
        )
        .values_list("site_id", "occurred_on")
        .annotate(total=Sum("quantity_g"))
    )
    totals = {(site, day): -total for site, day, total in rows}
    return {d.pk: totals.get((d.site_id, d.distributed_on), 0) for d in distributions}
