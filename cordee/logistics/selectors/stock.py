"""Reads of stock, lots and receptions — always scoped to one organisation."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site

from ..models import PERISHABILITY_ORDER, Category, Lot, Reception, StockBalance, StorageClass


def balance_list(
    *, org: Organisation, site: Site | None = None, available_only: bool = False
) -> QuerySet[StockBalance]:
    """Non-empty balances of the organisation's lots, with lot, category and site."""
    qs = StockBalance.objects.filter(organisation=org, quantity_g__gt=0).select_related(
        "lot", "lot__category", "lot__item", "site"
    )
    if site is not None:
        qs = qs.filter(site=site)
    if available_only:
        qs = qs.filter(lot__blocked_at=None).exclude(lot__decision=Lot.Decision.QUARANTINED)
    return qs


def on_hand(*, org: Organisation, site: Site | None = None) -> QuerySet[StockBalance]:
    """Non-empty balances with their lot and its category only: the light read for pages
    that list every lot on hand (a hub holds about a thousand), which know their sites."""
    qs = StockBalance.objects.filter(organisation=org, quantity_g__gt=0).select_related(
        "lot__category"
    )
    return qs if site is None else qs.filter(site=site)


def stock_by_category(*, org: Organisation, site: Site | None = None) -> list[dict]:
    """Kilograms on hand per site and category, perishables first."""
    rows = (
        balance_list(org=org, site=site)
        .values(
            "site__id",
            "site__name",
            "lot__category__id",
            "lot__category__name",
            "lot__storage_class",
        )
        .annotate(quantity_g=Sum("quantity_g"))
        .order_by("site__name", "lot__category__name")
    )
    order = {c: i for i, c in enumerate(PERISHABILITY_ORDER)}
    return sorted(
        rows,
        key=lambda r: (r["site__name"], order[r["lot__storage_class"]], r["lot__category__name"]),
    )


def fefo_key(lot: Lot) -> tuple[date, date, int]:
    """First expired, first out: the lot whose last day comes first is picked first."""
    return (lot.use_by or date.max, lot.best_before or date.max, lot.pk)


def lots_fefo(
    *, org: Organisation, site: Site, category: Category | None = None
) -> list[StockBalance]:
    """Available balances at a site in the order they should be picked."""
    qs = balance_list(org=org, site=site, available_only=True)
    if category is not None:
        qs = qs.filter(lot__category=category)
    return sorted(qs, key=lambda b: fefo_key(b.lot))


@dataclass(frozen=True)
class ExpiringLot:
    balance: StockBalance
    use_by: date
    days_left: int
    suggestion: str


def _suggestion(lot: Lot, days_left: int) -> str:
    if days_left < 0:
        return _("Past its date: record it as a loss.")
    if lot.storage_class == StorageClass.CHILLED and lot.category.name.lower().startswith("viande"):
        return _("Freeze it today, before its date.")
    if lot.storage_class == StorageClass.CHILLED:
        return _("Send it first, or give it to a collective kitchen to cook today.")
    return _("Send it in the next delivery.")


def expiring_among(balances: Iterable[StockBalance], *, days: int = 3) -> list[ExpiringLot]:
    """Of these balances, the lots whose last day is within `days` (or already past), most
    urgent first."""
    today = timezone.localdate()
    horizon = today + timedelta(days=days)
    result = []
    for balance in balances:
        use_by = balance.lot.use_by
        if use_by is not None and use_by <= horizon:
            left = (use_by - today).days
            result.append(ExpiringLot(balance, use_by, left, _suggestion(balance.lot, left)))
    return sorted(result, key=lambda e: (e.use_by, e.balance.lot_id))


def expiring_soon(
    *, org: Organisation, site: Site | None = None, days: int = 3
) -> list[ExpiringLot]:
    """Lots whose last day is within `days` (or already past), most urgent first."""
    horizon = timezone.localdate() + timedelta(days=days)
    # The last day is the expiry date, or the best-before date plus a tolerance ≥ 0: only
    # lots dated before the horizon can qualify, so the database leaves out the dry goods
    # dated months ahead (most of a hub's lots) and Python applies the exact rule.
    dated = Q(lot__expiry_date__lte=horizon) | Q(
        lot__expiry_date=None, lot__best_before__lte=horizon
    )
    return expiring_among(balance_list(org=org, site=site).filter(dated), days=days)


def lot_get(*, org: Organisation, pk: int) -> Lot:
    # A lot is visible to its owner and to every organisation that holds some of it.
    lot = (
        Lot.objects.filter(Q(organisation=org) | Q(balances__organisation=org), pk=pk)
        .select_related("category", "reception")
        .distinct()
        .first()
    )
    if lot is None:
        raise Http404
    return lot


def reception_list(*, org: Organisation) -> QuerySet[Reception]:
    return Reception.objects.filter(organisation=org).select_related("site", "supplier")


def reception_list_with_totals(*, org: Organisation) -> QuerySet[Reception]:
    """Newest first, each with its number of lines and kg. Correlated subqueries: the totals
    are computed only for the page shown, not for years of receptions before paging."""
    lots = Lot.objects.filter(reception=OuterRef("pk")).order_by().values("reception")
    return (
        reception_list(org=org)
        .annotate(
            line_count=Coalesce(Subquery(lots.annotate(n=Count("pk")).values("n")), 0),
            total_g=Coalesce(Subquery(lots.annotate(g=Sum("received_g")).values("g")), 0),
        )
        .order_by("-received_on", "-id")
    )


def reception_get(*, org: Organisation, pk: int) -> Reception:
    reception = reception_list(org=org).filter(pk=pk).first()
    if reception is None:
        raise Http404
    return reception


def category_list(*, org: Organisation) -> QuerySet[Category]:
    """The catalogue of the networks the organisation belongs to."""
    return Category.objects.filter(network__memberships__organisation=org).distinct()
