from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..permissions import is_network_admin
from ..selectors.organisations import network_get_for_user, network_member_list
from .organisation import site_map_points


@login_required
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Members of a network and their services: only networks my organisations belong to."""
    network = network_get_for_user(user=request.user, slug=slug)  # type: ignore[arg-type]
    members = list(network_member_list(network=network))
    sites = [s for m in members for s in m.organisation.sites.all()]
    return render(
        request,
        "core/network/detail.html",
        {
            "network": network,
            "members": members,
            "map_points": site_map_points(sites),
            "is_network_admin": is_network_admin(request.user, network),  # type: ignore[arg-type]
        },
    )
