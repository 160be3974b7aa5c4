"""Reads of the stock ledger (movements) — always scoped to one organisation."""

from django.db.models import QuerySet

from cordee.core.models import Organisation

from ..models import Lot, StockMovement


def movement_list(*, org: Organisation, lot: Lot | None = None) -> QuerySet[StockMovement]:
    """The organisation's own ledger lines, newest first (another holder's are never shown)."""
    qs = StockMovement.objects.filter(organisation=org).select_related("site", "actor")
    if lot is not None:
        qs = qs.filter(lot=lot)
    return qs.order_by("-occurred_on", "-created_at", "-id")
