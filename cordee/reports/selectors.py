"""Which networks' reports a person may read from the current organisation."""

from django.http import Http404

from cordee.core.models import Network, Organisation, User
from cordee.core.permissions import is_network_admin


def report_networks(*, user: User, org: Organisation) -> list[Network]:
    """The networks this organisation coordinates, and those where the person is a network
    admin. Members read their own report only."""
    return [
        network
        for network in org.networks.order_by("name", "pk")
        if network.coordinating_organisation_id == org.pk or is_network_admin(user, network)
    ]


def report_network_get(*, user: User, org: Organisation, pk: int) -> Network:
    for network in report_networks(user=user, org=org):
        if network.pk == pk:
            return network
    raise Http404
