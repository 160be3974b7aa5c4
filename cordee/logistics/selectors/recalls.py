"""Reads for a recall: which lots match, and where every kilogram of them went.

Only the organisation that received a lot (its owner) can search it. The trace then lists
every organisation and site that got some of it — organisation-level facts (names, sites,
public contact e-mail and phone, quantities, dates), never people: that is the network's
legitimate traceability duty.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site

from ..models import (
    Category,
    DeliveryDay,
    DeliveryLine,
    Lot,
    Reception,
    StockBalance,
    StockMovement,
)

Kind = StockMovement.Kind
MAX_LOTS = 200


def recall_lot_search(
    *,
    org: Organisation,
    supplier_lot_code: str = "",
    category: Category | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    reception: Reception | None = None,
) -> QuerySet[Lot]:
    """The organisation's own lots matching every criterion given (none given: none)."""
    qs = Lot.objects.filter(organisation=org)
    code = supplier_lot_code.strip()
    if not (code or category or received_from or received_to or reception):
        return qs.none()
    if code:
        qs = qs.filter(supplier_lot_code__icontains=code)
    if category is not None:
        qs = qs.filter(category=category)
    if reception is not None:
        qs = qs.filter(reception=reception)
    # The date of reception; a lot without a reception (opening stock) counts from its creation.
    if received_from is not None:
        qs = qs.filter(
            Q(reception__received_on__gte=received_from)
            | Q(reception__isnull=True, created_at__date__gte=received_from)
        )
    if received_to is not None:
        qs = qs.filter(
            Q(reception__received_on__lte=received_to)
            | Q(reception__isnull=True, created_at__date__lte=received_to)
        )
    return qs.select_related(
        "category", "item", "reception", "reception__site", "reception__supplier"
    ).order_by("category__sort_order", "category__name", "pk")


def recall_lots_get(*, org: Organisation, ids: list[int]) -> QuerySet[Lot]:
    """The organisation's own lots among `ids` (others are silently left out)."""
    return (
        Lot.objects.filter(organisation=org, pk__in=ids)
        .select_related("category")
        .order_by("category__sort_order", "category__name", "pk")
    )


def recall_reception_choices(*, org: Organisation) -> QuerySet[Reception]:
    return Reception.objects.filter(organisation=org).select_related("site", "supplier")


@dataclass
class Holder:
    """One organisation's site that got some of a lot, and what is left there."""

    organisation: Organisation
    site: Site
    how: str
    on: date | None
    quantity_g: int
    received_g: int | None = None
    left_g: int = 0
    handed_out_g: int = 0
    is_owner: bool = False


@dataclass
class LotTrace:
    lot: Lot
    holders: list[Holder] = field(default_factory=list)

    @property
    def sent_out_g(self) -> int:
        return sum(h.quantity_g for h in self.holders if not h.is_owner)

    @property
    def left_g(self) -> int:
        return sum(h.left_g for h in self.holders)

    @property
    def organisations(self) -> list[Organisation]:
        seen: dict[int, Organisation] = {}
        for h in self.holders:
            seen.setdefault(h.organisation.pk, h.organisation)
        return list(seen.values())


def recall_trace(*, lots: list[Lot]) -> list[LotTrace]:
    """For each lot: where it came in, every delivery and transfer of it, what is left where."""
    ids = [lot.pk for lot in lots]
    traces = {lot.pk: LotTrace(lot) for lot in lots}
    left = {
        (b.lot_id, b.site_id): b.quantity_g for b in StockBalance.objects.filter(lot_id__in=ids)
    }
    handed_out = {
        (lot_id, site_id): -total
        for lot_id, site_id, total in StockMovement.objects.filter(
            lot_id__in=ids, kind=Kind.DISTRIBUTION
        )
        .values_list("lot_id", "site_id")
        .annotate(total=Sum("quantity_g"))
    }

    def add(lot_id: int, holder: Holder) -> None:
        key = (lot_id, holder.site.pk)
        holder.left_g = left.pop(key, 0)
        holder.handed_out_g = handed_out.pop(key, 0)
        traces[lot_id].holders.append(holder)

    movements = (
        StockMovement.objects.filter(
            lot_id__in=ids, kind__in=[Kind.RECEPTION, Kind.TRANSFER_IN, Kind.DELIVERY_IN]
        )
        .select_related("organisation", "site", "site__municipality")
        .order_by("occurred_on", "pk")
    )
    by_delivery: set[tuple[int, int]] = set()
    lines = (
        DeliveryLine.objects.filter(lot_id__in=ids)
        .select_related(
            "delivery",
            "delivery__organisation",
            "delivery__site",
            "delivery__site__municipality",
            "delivery__delivery_day",
        )
        .order_by("delivery__delivery_day__delivers_on", "pk")
    )
    owner_rows = [m for m in movements if m.kind == Kind.RECEPTION]
    for m in owner_rows:
        add(
            m.lot_id,
            Holder(
                m.organisation,
                m.site,
                _("Reception"),
                m.occurred_on,
                m.quantity_g,
                is_owner=True,
            ),
        )
    for line in lines:
        delivery = line.delivery
        by_delivery.add((line.lot_id, delivery.site_id))
        add(
            line.lot_id,
            Holder(
                delivery.organisation,
                delivery.site,
                _("Delivery"),
                delivery.delivery_day.delivers_on,
                line.shipped_g,
                received_g=line.received_g,
            ),
        )
    for m in movements:
        if m.kind == Kind.TRANSFER_IN or (
            m.kind == Kind.DELIVERY_IN and (m.lot_id, m.site_id) not in by_delivery
        ):
            add(
                m.lot_id,
                Holder(
                    m.organisation,
                    m.site,
                    _("Transfer") if m.kind == Kind.TRANSFER_IN else _("Delivery"),
                    m.occurred_on,
                    m.quantity_g,
                    is_owner=m.organisation_id == traces[m.lot_id].lot.organisation_id,
                ),
            )
    # Stock found where no movement above explains it (an old count, a data import).
    if left:
        sites = {
            b.site_id: b.site
            for b in StockBalance.objects.filter(
                lot_id__in={k[0] for k in left}, site_id__in={k[1] for k in left}
            ).select_related("site", "site__organisation")
        }
        for (lot_id, site_id), quantity in list(left.items()):
            if quantity:
                site = sites[site_id]
                add(
                    lot_id,
                    Holder(
                        site.organisation,
                        site,
                        "—",
                        None,
                        0,
                        is_owner=site.organisation_id == traces[lot_id].lot.organisation_id,
                    ),
                )
    return [traces[pk] for pk in ids]


def recall_pending_days(*, lots: list[Lot]) -> list[DeliveryDay]:
    """Delivery days shared out but not yet sent that reserved some of these lots: they
    must be shared out again before the deliveries are printed."""
    return list(
        DeliveryDay.objects.filter(
            allocation_lines__lot__in=lots, status=DeliveryDay.Status.ALLOCATED
        )
        .select_related("site")
        .distinct()
        .order_by("delivers_on")
    )
