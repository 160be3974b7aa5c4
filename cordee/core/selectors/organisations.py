"""Reads of organisations, sites, networks and people — always scoped to the caller."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from ..models import (
    Invitation,
    Membership,
    Network,
    NetworkMembership,
    OpeningHours,
    Organisation,
    Site,
    User,
)


def organisation_list_for_user(*, user: User) -> QuerySet[Organisation]:
    """The organisations the user belongs to (any role)."""
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def organisation_get_for_user(*, user: User, pk: int) -> Organisation:
    """One of the user's organisations, or 404 — never another organisation."""
    org = organisation_list_for_user(user=user).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def site_list(*, org: Organisation, active_only: bool = False) -> QuerySet[Site]:
    qs = (
        Site.objects.filter(organisation=org)
        .select_related("municipality")
        .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.all()))
    )
    return qs.filter(is_active=True) if active_only else qs


def site_get(*, org: Organisation, pk: int) -> Site:
    site = site_list(org=org).filter(pk=pk).first()
    if site is None:
        raise Http404
    return site


def member_list(*, org: Organisation, search: str = "") -> list[dict]:
    """People of the organisation with their roles, one entry per person."""
    memberships = (
        Membership.objects.filter(organisation=org)
        .select_related("user")
        .order_by("user__full_name", "user__email", "role")
    )
    if search:
        memberships = memberships.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    people: dict[int, dict] = {}
    for m in memberships:
        entry = people.setdefault(m.user_id, {"user": m.user, "roles": []})
        entry["roles"].append(m.role)
    return list(people.values())


def member_get(*, org: Organisation, user_id: int) -> User:
    user = User.objects.filter(pk=user_id, memberships__organisation=org).distinct().first()
    if user is None:
        raise Http404
    return user


def network_list_for_user(*, user: User) -> QuerySet[Network]:
    """Networks where one of the user's organisations is a member, or the user is admin."""
    return (
        Network.objects.filter(
            Q(memberships__organisation__memberships__user=user) | Q(roles__user=user)
        )
        .distinct()
        .order_by("name")
    )


def network_get_for_user(*, user: User, slug: str) -> Network:
    network = network_list_for_user(user=user).filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def network_member_list(*, network: Network) -> QuerySet[NetworkMembership]:
    """Members of a network with their active sites: what every member may see of the others.

    Only organisation-level, public information: no people, no personal data.
    """
    return (
        NetworkMembership.objects.filter(network=network)
        .select_related("organisation", "organisation__municipality")
        .prefetch_related(
            Prefetch(
                "organisation__sites",
                queryset=Site.objects.filter(is_active=True).select_related("municipality"),
            )
        )
        .annotate(
            site_count=Count("organisation__sites", filter=Q(organisation__sites__is_active=True))
        )
        .order_by("organisation__name")
    )


def invitation_list_pending(*, org: Organisation) -> list[Invitation]:
    """Invitations of the organisation still waiting for an answer."""
    return [i for i in Invitation.objects.filter(organisation=org) if i.is_pending]


def invitation_get(*, org: Organisation, pk: int) -> Invitation:
    invitation = Invitation.objects.filter(organisation=org, pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation
