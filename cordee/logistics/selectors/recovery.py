"""Reads of supermarket recovery — always scoped to the hub organisation.

« Missed » is derived: a pickup still planned after its day counts as missed, whether or not
`pickups_mark_missed` has stored it yet.
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from cordee.core.models import Organisation

from ..models import Category, Lot, PartnerStore, Pickup, PickupSlot, PickupStatus, Reception
from .stock import category_list


def partner_store_list(*, org: Organisation, active_only: bool = False) -> QuerySet[PartnerStore]:
    qs = (
        PartnerStore.objects.filter(hub=org)
        .select_related("store", "site", "site__municipality", "destination")
        .prefetch_related(Prefetch("slots", queryset=PickupSlot.objects.order_by("weekday")))
    )
    return qs.filter(is_active=True) if active_only else qs


def partner_store_get(*, org: Organisation, pk: int) -> PartnerStore:
    return get_object_or_404(partner_store_list(org=org), pk=pk)


def pickup_slot_get(*, org: Organisation, partner: PartnerStore, pk: int) -> PickupSlot:
    return get_object_or_404(PickupSlot, store__hub=org, store=partner, pk=pk)


def pickup_list(*, org: Organisation) -> QuerySet[Pickup]:
    return Pickup.objects.filter(organisation=org).select_related(
        "store",
        "store__store",
        "store__site",
        "store__site__municipality",
        "driver",
        "reception",
    )


def pickup_get(*, org: Organisation, pk: int) -> Pickup:
    return get_object_or_404(pickup_list(org=org), pk=pk)


def is_missed(pickup: Pickup, today: date) -> bool:
    return pickup.status == PickupStatus.MISSED or (
        pickup.status == PickupStatus.PLANNED and pickup.scheduled_on < today
    )


def _missed_q(today: date) -> Q:
    return Q(status=PickupStatus.MISSED) | Q(status=PickupStatus.PLANNED, scheduled_on__lt=today)


def pickups_between(*, org: Organisation, start: date, end: date) -> list[Pickup]:
    """Pickups of the period, each with `total_g`: the weight it brought (None if none)."""
    return list(
        pickup_list(org=org)
        .filter(scheduled_on__range=(start, end))
        .annotate(total_g=Sum("reception__lots__received_g"))
    )


def pickups_of_day(*, org: Organisation, day: date) -> list[Pickup]:
    """The day's pickups: still to do first, by time window."""
    pickups = pickups_between(org=org, start=day, end=day)
    return sorted(pickups, key=lambda p: (p.status != PickupStatus.PLANNED, p.starts_at or 0))


def pickup_missed_list(*, org: Organisation, today: date, days: int = 30) -> list[Pickup]:
    since = today - timedelta(days=days)
    return list(
        pickup_list(org=org)
        .filter(_missed_q(today), scheduled_on__gte=since)
        .order_by("-scheduled_on", "starts_at")
    )


def pickup_weights(pickup: Pickup) -> list[tuple[str, int]]:
    """What a recorded pickup brought, by kind of food."""
    if pickup.reception_id is None:
        return []
    return list(
        Lot.objects.filter(reception_id=pickup.reception_id)
        .values_list("category__name")
        .annotate(g=Sum("received_g"))
        .order_by("category__sort_order")
    )


def recovery_categories(*, org: Organisation) -> QuerySet[Category]:
    """Kinds of food a store gives: food only, and not formula with an expiry date (that
    needs a date read on each package, at the hub)."""
    return category_list(org=org).filter(is_food=True, uses_expiry_date=False)


@dataclass
class StoreMonths:
    name: str
    partner_id: int | None
    grams: list[int]
    missed: int = 0
    nothing: int = 0
    done: int = 0

    @property
    def total_g(self) -> int:
        return sum(self.grams)


@dataclass
class RecoveryTable:
    months: list[date]
    rows: list[StoreMonths] = field(default_factory=list)

    @property
    def totals(self) -> list[int]:
        return [sum(row.grams[i] for row in self.rows) for i in range(len(self.months))]

    @property
    def total_g(self) -> int:
        return sum(self.totals)

    @property
    def month_rows(self) -> list[dict]:
        """The table turned: one line per month, one column per store (fits a tablet)."""
        return [
            {"month": month, "grams": [row.grams[i] for row in self.rows], "total_g": total}
            for i, (month, total) in enumerate(zip(self.months, self.totals, strict=True))
        ]


def _sort_key(name: str) -> str:
    """« Épicerie » sorts with the E's, as a person expects."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _months(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months[::-1]


def recovery_by_store_month(*, org: Organisation, today: date, months: int = 12) -> RecoveryTable:
    """Kg recovered per store and month (every recovery reception, with or without a
    pickup), with the pickups done, « nothing today » and missed over the same months."""
    table = RecoveryTable(months=_months(today, months))
    start, index = table.months[0], {m: i for i, m in enumerate(table.months)}
    partners = {p.store_id: p for p in PartnerStore.objects.filter(hub=org).select_related("store")}
    rows: dict[int | None, StoreMonths] = {}

    def row(store_id: int | None, name: str) -> StoreMonths:
        if store_id not in rows:
            partner = partners.get(store_id) if store_id is not None else None
            rows[store_id] = StoreMonths(
                name=partner.store.name if partner else name,
                partner_id=partner.pk if partner else None,
                grams=[0] * months,
            )
        return rows[store_id]

    weights = (
        Lot.objects.filter(
            organisation=org,
            reception__source=Reception.Source.RECOVERY,
            reception__received_on__range=(start, today),
        )
        .annotate(month=TruncMonth("reception__received_on"))
        .values("reception__supplier", "reception__supplier__name", "month")
        .annotate(g=Sum("received_g"))
    )
    for w in weights:
        month = w["month"].date() if hasattr(w["month"], "date") else w["month"]
        row(w["reception__supplier"], w["reception__supplier__name"] or "—").grams[
            index[month]
        ] += w["g"]
    counts = (
        Pickup.objects.filter(organisation=org, scheduled_on__range=(start, today))
        .values("store__store", "store__store__name")
        .annotate(
            missed=Count("pk", filter=_missed_q(today)),
            nothing=Count("pk", filter=Q(status=PickupStatus.NOTHING_TODAY)),
            done=Count("pk", filter=Q(status=PickupStatus.DONE)),
        )
    )
    for c in counts:
        r = row(c["store__store"], c["store__store__name"])
        r.missed, r.nothing, r.done = c["missed"], c["nothing"], c["done"]
    for partner in partners.values():
        if partner.is_active:
            row(partner.store_id, partner.store.name)
    table.rows = sorted(rows.values(), key=lambda r: _sort_key(r.name))
    return table


def missed_by_store(*, org: Organisation, today: date, days: int = 365) -> dict[int, int]:
    """Missed pickups per partner store over the last `days`."""
    counts: dict[int, int] = defaultdict(int)
    for store_id, n in (
        Pickup.objects.filter(
            _missed_q(today), organisation=org, scheduled_on__gte=today - timedelta(days=days)
        )
        .values_list("store")
        .annotate(n=Count("pk"))
    ):
        counts[store_id] = n
    return counts
