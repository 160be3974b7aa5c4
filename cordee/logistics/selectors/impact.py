"""Impact of one organisation, month by month: kg in, kg out, losses, meals and CO2e avoided.

Raw kilograms come from the stock ledger (one aggregated query); meals and CO2e are computed
at report time from a named factor set, per category. Only food categories are counted.

Meals and CO2e are computed on the kg that left the organisation to feed people: kg handed out
at its own counters for a counter, kg delivered to members for a hub — never the sum of both,
so that kg passing through the hub are not counted again when the counters hand them out.

A hub (or a network admin) also sees its network: one row per member and one per month
(`network_impact`). There, meals and CO2e are computed on the kg handed out at the counters
only; kg delivered by the hub are shown beside them and never added to them.
Every figure comes from GROUP BY queries (a few rows per member, month and category).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Network, Organisation, User
from cordee.core.permissions import is_network_admin

from ..models import (
    CategoryFactor,
    CounterDistribution,
    DeliveryLine,
    FactorSet,
    Reception,
    StockMovement,
)

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
    baskets: int = 0
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
        self.baskets += other.baskets
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


def _factors(factor_set: FactorSet | None) -> dict[int, tuple[Decimal, Decimal]]:
    """Category id → (meals per kg, kg CO2e per kg) of the set; empty without a set."""
    if factor_set is None:
        return {}
    return {
        f.category_id: (f.meals_per_kg, f.co2e_kg_per_kg)
        for f in CategoryFactor.objects.filter(factor_set=factor_set)
    }


def _baskets(*, organisations: list[Organisation], start: date, end: date) -> QuerySet:
    """Baskets handed out per organisation and month (one GROUP BY)."""
    return (
        CounterDistribution.objects.filter(
            organisation__in=organisations,
            distributed_on__gte=start,
            distributed_on__lt=_month_add(end, 1),
        )
        .annotate(month=TruncMonth("distributed_on"))
        .values("organisation_id", "month")
        .annotate(baskets=Sum("baskets"))
        .order_by()
    )


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

    factors = _factors(factor_set)

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

    for group in _baskets(organisations=[org], start=start, end=end):
        rows[_month_key(group["month"])].baskets += group["baskets"] or 0

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


# --- The network: one row per member, one per month -------------------------------------

# Suppliers and stores are network members too, but they do not hand out food.
NOT_MEMBER_KINDS = (Organisation.Kind.FOOD_BANK, Organisation.Kind.STORE)


@dataclass
class MemberFigures:
    """What one member (or all of them, when `organisation` is None) did. Weights in grams.

    `delivered_g` is food the hub delivered to this member: it is the same food the member
    later hands out, so it is shown beside `distributed_g` and never added to it.
    """

    organisation: Organisation | None
    is_hub: bool = False
    delivered_g: int = 0
    distributed_g: int = 0
    baskets: int = 0
    loss_g: int = 0
    meals: Decimal = Decimal(0)
    co2e_kg: Decimal = Decimal(0)

    def add(self, other: "MemberFigures") -> None:
        self.delivered_g += other.delivered_g
        self.distributed_g += other.distributed_g
        self.baskets += other.baskets
        self.loss_g += other.loss_g
        self.meals += other.meals
        self.co2e_kg += other.co2e_kg


@dataclass
class NetworkMonth:
    """The whole network in one month (or the totals when `month` is None). Grams."""

    month: date | None
    received_g: int = 0  # came in from outside the network (receptions of every member)
    delivered_g: int = 0  # passed through the hub to the members
    distributed_g: int = 0  # handed out at the counters (the hub's own counters included)
    baskets: int = 0
    loss_g: int = 0
    meals: Decimal = Decimal(0)
    co2e_kg: Decimal = Decimal(0)

    def add(self, other: "NetworkMonth") -> None:
        self.received_g += other.received_g
        self.delivered_g += other.delivered_g
        self.distributed_g += other.distributed_g
        self.baskets += other.baskets
        self.loss_g += other.loss_g
        self.meals += other.meals
        self.co2e_kg += other.co2e_kg


@dataclass
class NetworkImpact:
    network: Network
    factor_set: FactorSet | None
    start: date
    end: date
    month: date | None  # the month the member table covers; None: the whole period
    members: list[MemberFigures]
    member_totals: MemberFigures
    months: list[NetworkMonth]
    totals: NetworkMonth

    @property
    def month_choices(self) -> list[date]:
        return [m.month for m in self.months if m.month]


def impact_networks(*, user: User, org: Organisation) -> list[Network]:
    """Networks whose members' figures this person may see: those where the current
    organisation is a hub, or where the person is a network admin. Empty for a member."""
    networks = list(org.networks.order_by("name", "pk"))
    if org.kind == Organisation.Kind.HUB:
        return networks
    return [n for n in networks if is_network_admin(user, n)]


def impact_network_get(*, user: User, org: Organisation, pk: int | None) -> Network | None:
    """The chosen network (404 when not allowed), the first allowed one, or None."""
    networks = impact_networks(user=user, org=org)
    if pk is None:
        return networks[0] if networks else None
    for network in networks:
        if network.pk == pk:
            return network
    raise Http404


def _network_members(network: Network) -> list[Organisation]:
    return list(
        network.members.exclude(kind__in=NOT_MEMBER_KINDS).order_by("name", "pk")  # type: ignore[attr-defined]
    )


def network_impact(
    *,
    network: Network,
    year: int | None = None,
    month: date | None = None,
    factor_set: FactorSet | None = None,
    today: date | None = None,
) -> NetworkImpact:
    """Per member and per month figures of a network. Only callers that checked
    `impact_networks()` may show the result: it holds every member's figures."""
    start, end = period(year, today)
    if month is not None and not start <= month <= end:
        raise Http404
    members = _network_members(network)
    member_ids = [m.pk for m in members]
    hub_ids = [m.pk for m in members if m.kind == Organisation.Kind.HUB]
    factors = _factors(factor_set)
    stop = _month_add(end, 1)

    months: dict[date, NetworkMonth] = {}
    cursor = start
    while cursor <= end:
        months[cursor] = NetworkMonth(month=cursor)
        cursor = _month_add(cursor, 1)
    by_member = {
        m.pk: MemberFigures(organisation=m, is_hub=m.kind == Organisation.Kind.HUB) for m in members
    }

    def counts(month_key: date) -> bool:
        return month is None or month_key == month

    movements = (
        StockMovement.objects.filter(
            organisation__in=member_ids,
            occurred_on__gte=start,
            occurred_on__lt=stop,
            lot__category__is_food=True,
            kind__in=[Kind.RECEPTION, Kind.DISTRIBUTION, Kind.LOSS],
        )
        .annotate(month=TruncMonth("occurred_on"))
        .values("organisation_id", "month", "kind", "lot__category_id")
        .annotate(grams=Sum("quantity_g"))
        .order_by()
    )
    for group in movements:  # a few rows per member, month, kind and category
        key = _month_key(group["month"])
        grams = abs(group["grams"] or 0)
        row, member = months[key], by_member[group["organisation_id"]]
        mine = counts(key)
        if group["kind"] == Kind.RECEPTION:
            row.received_g += grams
        elif group["kind"] == Kind.LOSS:
            row.loss_g += grams
            if mine:
                member.loss_g += grams
        else:  # handed out: the basis of meals and CO2e for the network
            meals_per_kg, co2e_per_kg = factors.get(
                group["lot__category_id"], (Decimal(0), Decimal(0))
            )
            kilos = Decimal(grams) / 1000
            row.distributed_g += grams
            row.meals += kilos * meals_per_kg
            row.co2e_kg += kilos * co2e_per_kg
            if mine:
                member.distributed_g += grams
                member.meals += kilos * meals_per_kg
                member.co2e_kg += kilos * co2e_per_kg

    # What the hub shipped to each member (the delivery note), food only.
    shipped = (
        DeliveryLine.objects.filter(
            delivery__delivery_day__organisation__in=hub_ids,
            delivery__organisation__in=member_ids,
            delivery__delivery_day__delivers_on__gte=start,
            delivery__delivery_day__delivers_on__lt=stop,
            lot__category__is_food=True,
        )
        .annotate(month=TruncMonth("delivery__delivery_day__delivers_on"))
        .values("delivery__organisation_id", "month")
        .annotate(grams=Sum("shipped_g"))
        .order_by()
    )
    for group in shipped:
        key = _month_key(group["month"])
        grams = group["grams"] or 0
        months[key].delivered_g += grams
        if counts(key):
            by_member[group["delivery__organisation_id"]].delivered_g += grams

    for group in _baskets(organisations=members, start=start, end=end):
        key = _month_key(group["month"])
        baskets = group["baskets"] or 0
        months[key].baskets += baskets
        if counts(key):
            by_member[group["organisation_id"]].baskets += baskets

    totals = NetworkMonth(month=None)
    for row in months.values():
        totals.add(row)
    member_totals = MemberFigures(organisation=None)
    for figures in by_member.values():
        member_totals.add(figures)
    return NetworkImpact(
        network=network,
        factor_set=factor_set,
        start=start,
        end=end,
        month=month,
        members=list(by_member.values()),
        member_totals=member_totals,
        months=list(months.values()),
        totals=totals,
    )
