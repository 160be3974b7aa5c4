"""Who food can come from: suppliers and stores of the organisation's networks."""

from django.db.models import QuerySet

from cordee.core.models import NetworkMembership, Organisation

SUPPLIER_KINDS = (Organisation.Kind.FOOD_BANK, Organisation.Kind.STORE)


def supplier_list(*, org: Organisation) -> QuerySet[Organisation]:
    """Food banks and stores that are members of one of the organisation's networks."""
    networks = NetworkMembership.objects.filter(organisation=org).values("network")
    return (
        Organisation.objects.filter(
            kind__in=SUPPLIER_KINDS, network_memberships__network__in=networks
        )
        .distinct()
        .order_by("name")
    )
