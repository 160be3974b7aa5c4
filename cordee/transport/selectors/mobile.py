"""Reads of the mobile counter's schedule: for its planners, and for the public page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from cordee.core.models import Network, Organisation, Site

from ..models import MobileCounterStop


def mobile_counter_stop_list(*, org: Organisation) -> QuerySet[MobileCounterStop]:
    return MobileCounterStop.objects.filter(organisation=org).select_related(
        "site", "site__municipality"
    )


def mobile_site_list(*, org: Organisation) -> QuerySet[Site]:
    """The organisation's places where the mobile counter may stop."""
    return (
        Site.objects.filter(organisation=org, kind=Site.Kind.MOBILE_STOP, is_active=True)
        .select_related("municipality")
        .order_by("name")
    )


def mobile_counter_stop_get(*, org: Organisation, pk: int) -> MobileCounterStop:
    stop = mobile_counter_stop_list(org=org).filter(pk=pk).first()
    if stop is None:
        raise Http404
    return stop


@dataclass(frozen=True)
class PublicSchedule:
    """What anyone may see: a name, and the active stops (places and times only)."""

    name: str
    slug: str
    stops: list[MobileCounterStop]


def public_schedule(*, slug: str) -> PublicSchedule:
    """The mobile counter of a network (all its members') or of one organisation.
    404 when there is none, so the page reveals nothing about other organisations."""
    stops = MobileCounterStop.objects.filter(is_active=True, site__is_active=True).select_related(
        "site", "site__municipality"
    )
    network = Network.objects.filter(slug=slug).first()
    if network is not None:
        found = list(stops.filter(organisation__networks=network).distinct())
        name = network.name
    else:
        org = Organisation.objects.filter(slug=slug).first()
        found = list(stops.filter(organisation=org)) if org is not None else []
        name = org.name if org is not None else ""
    if not found:
        raise Http404
    return PublicSchedule(name=name, slug=slug, stops=found)
