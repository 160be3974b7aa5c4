"""Impact of one organisation, month by month: kg in, kg out, losses, meals and CO2e avoided.

Raw kilograms come from the stock ledger (one aggregated query); meals and CO2e are computed
at report time from a named factor set, per category. Only food categories are counted.

Meals and CO2e are computed on the kg that left the organisation to feed people: kg handed out
at its own counters for a counter, kg delivered to members for a hub — never the sum of both,
so that kg passing through the hub are not counted again when the counters hand them out.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation

from ..models import CategoryFactor, FactorSet, Reception, StockMovement

Kind = StockMovement.Kind

# Received from the hub: not a reception source, but food that came in all the same.
FROM_HUB = "hub"

BASIS_DISTRIBUTED = "distributed"
BASIS_DELIVERED = "delivered"


@dataclass
class ImpactRow:
    """One month (or the totals when `month` is None). Weights in grams."""

    month: date | None
    received_g: dict[str, int] = field(default_factory=dict)  # per source, and FROM_HUB
    delivered_g: int = 0
    distributed_g: int = 0
    loss_g: int = 0
    meals: Decimal = Decimal(0)
    co2e_kg: Decimal = Decimal(0)

    @property
    def received_total_g(self) -> int:
        return sum(self.received_g.values())

    @property
    def recovered_g(self) -> int:
        return self.received_g.get(Reception.Source.RECOVERY, 0)

    @property
    def loss_pct(self) -> Decimal | None:
        """Losses as a percentage of kg received, one decimal; None when nothing came in."""
        if not self.received_total_g:
            return None
        return (Decimal(100) * self.loss_g / self.received_total_g).quantize(Decimal("0.1"))

    def add(self, other: "ImpactRow") -> None:
        for source, grams in other.received_g.items():
            self.received_g[source] = self.received_g.get(source, 0) + grams
        self.delivered_g += other.delivered_g
        self.distributed_g += other.distributed_g
        self.loss_g += other.loss_g
        self.meals += other.meals
        self.co2e_kg += other.co2e_kg


@dataclass
class ImpactReport:
    months: list[ImpactRow]
    totals: ImpactRow
    factor_set: FactorSet | None
    basis: str  # BASIS_DISTRIBUTED or BASIS_DELIVERED
    start: date
    end: date  # first day of the last month
    sources: list[str]  # received columns with some weight in the period, in display order

    @property
    def basis_g(self) -> int:
        return (
            self.totals.delivered_g if self.basis == BASIS_DELIVERED else self.totals.distributed_g
        )


def source_label(source: str) -> str:
    if source == FROM_HUB:
        return _("From the hub")
    return str(Reception.Source(source).label)


def factor_set_list(*, org: Organisation) -> QuerySet[FactorSet]:
    """Factor sets of the organisation's networks, the default first."""
    return FactorSet.objects.filter(network__in=org.networks.all()).order_by(
        "-is_default", "name", "pk"
    )


def factor_set_get(*, org: Organisation, pk: int | None) -> FactorSet | None:
    """The chosen set, or the network's default when none is chosen; 404 if not the org's."""
    sets = factor_set_list(org=org)
    if pk is None:
        return sets.filter(is_default=True).first() or sets.first()
    try:
        return sets.get(pk=pk)
    except FactorSet.DoesNotExist:
        raise Http404 from None


def _month_add(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def period(year: int | None, today: date | None = None) -> tuple[date, date]:
    """First days of the first and last months: a calendar year, or the last 12 months."""
    if year is not None:
        return date(year, 1, 1), date(year, 12, 1)
    today = today or timezone.localdate()
    end = today.replace(day=1)
    return _month_add(end, -11), end


def _month_key(value: date) -> date:
    # TruncMonth gives a date for a DateField; be lenient with datetimes on other backends.
    return date(value.year, value.month, 1)


def impact_by_month(
    *,
    org: Organisation,
    year: int | None = None,
    factor_set: FactorSet | None = None,
    today: date | None = None,
) -> ImpactReport:
    """Month by month impact of `org` over a calendar year, or the last 12 months."""
    start, end = period(year, today)
    if factor_set is None:
        factor_set = factor_set_get(org=org, pk=None)
    basis = BASIS_DELIVERED if org.kind == Organisation.Kind.HUB else BASIS_DISTRIBUTED
    basis_kind = Kind.DELIVERY_OUT if basis == BASIS_DELIVERED else Kind.DISTRIBUTION

    factors: dict[int, tuple[Decimal, Decimal]] = {}
    if factor_set is not None:
        factors = {
            f.category_id: (f.meals_per_kg, f.co2e_kg_per_kg)
            for f in CategoryFactor.objects.filter(factor_set=factor_set)
        }

    grouped = (
        StockMovement.objects.filter(
            organisation=org,
            occurred_on__gte=start,
            occurred_on__lt=_month_add(end, 1),
            lot__category__is_food=True,
            kind__in=[
                Kind.RECEPTION,
                Kind.DELIVERY_IN,
                Kind.DELIVERY_OUT,
                Kind.DISTRIBUTION,
                Kind.LOSS,
            ],
        )
        .annotate(month=TruncMonth("occurred_on"))
        .values("month", "kind", "lot__reception__source", "lot__category_id")
        .annotate(grams=Sum("quantity_g"))
        .order_by()
    )

    rows: dict[date, ImpactRow] = {}
    month = start
    while month <= end:
        rows[month] = ImpactRow(month=month)
        month = _month_add(month, 1)

    seen_sources: set[str] = set()
    for group in grouped:  # a few rows per month and category, never one per movement
        row = rows[_month_key(group["month"])]
        grams = abs(group["grams"] or 0)
        kind = group["kind"]
        if kind == Kind.RECEPTION:
            source = group["lot__reception__source"] or Reception.Source.DONATION
            row.received_g[source] = row.received_g.get(source, 0) + grams
            seen_sources.add(source)
        elif kind == Kind.DELIVERY_IN:
            row.received_g[FROM_HUB] = row.received_g.get(FROM_HUB, 0) + grams
            seen_sources.add(FROM_HUB)
        elif kind == Kind.DELIVERY_OUT:
            row.delivered_g += grams
        elif kind == Kind.DISTRIBUTION:
            row.distributed_g += grams
        elif kind == Kind.LOSS:
            row.loss_g += grams
        if kind == basis_kind:
            meals_per_kg, co2e_per_kg = factors.get(
                group["lot__category_id"], (Decimal(0), Decimal(0))
            )
            kilos = Decimal(grams) / 1000
            row.meals += kilos * meals_per_kg
            row.co2e_kg += kilos * co2e_per_kg

    totals = ImpactRow(month=None)
    for row in rows.values():
        totals.add(row)
    order = [*Reception.Source.values, FROM_HUB]
    sources = [s for s in order if s in seen_sources]
    return ImpactReport(
        months=list(rows.values()),
        totals=totals,
        factor_set=factor_set,
        basis=basis,
        start=start,
        end=end,
        sources=sources,
    )
