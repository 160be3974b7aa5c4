"""Reads of the catalogue's impact factor sets — for the organisation's networks."""

from django.db.models import Prefetch, QuerySet

from cordee.core.models import Organisation

from ..models import CategoryFactor, FactorSet


def factor_set_list(*, org: Organisation) -> QuerySet[FactorSet]:
    """Factor sets of the networks the organisation belongs to, with their factors."""
    factors = CategoryFactor.objects.select_related("category").order_by(
        "category__sort_order", "category__name"
    )
    return (
        FactorSet.objects.filter(network__memberships__organisation=org)
        .select_related("network")
        .prefetch_related(Prefetch("factors", queryset=factors))
        .distinct()
        .order_by("network__name", "-is_default", "name")
    )
