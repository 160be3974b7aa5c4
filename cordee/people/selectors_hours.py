"""Reads of volunteer hours. Only approved, finished entries count in totals.

Network administrators see totals per organisation of their network, never per person of
another organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cordee.core.models import Network, NetworkRole, Organisation, User

from .models import HoursEntry, Volunteer

Status = HoursEntry.Status


def hours_counted(*, org: Organisation, year: int | None = None) -> QuerySet[HoursEntry]:
    entries = HoursEntry.objects.filter(
        organisation=org, status=Status.APPROVED, minutes__isnull=False
    )
    if year is not None:
        entries = entries.filter(started_at__year=year)
    return entries


def hours_pending(*, org: Organisation) -> QuerySet[HoursEntry]:
    return (
        HoursEntry.objects.filter(organisation=org, status=Status.PENDING)
        .select_related("volunteer", "site")
        .order_by("started_at")
    )


def hours_entry_get(*, org: Organisation, pk: int) -> HoursEntry:
    return get_object_or_404(
        HoursEntry.objects.select_related("volunteer"), organisation=org, pk=pk
    )


def hours_of_volunteer(*, org: Organisation, volunteer: Volunteer) -> QuerySet[HoursEntry]:
    return HoursEntry.objects.filter(organisation=org, volunteer=volunteer).select_related("site")


def volunteer_total_minutes(*, org: Organisation, volunteer: Volunteer, year: int) -> int:
    total = (
        hours_counted(org=org, year=year).filter(volunteer=volunteer).aggregate(m=Sum("minutes"))
    )
    return int(total["m"] or 0)


@dataclass(frozen=True)
class PersonHours:
    volunteer_id: int
    full_name: str
    minutes: int
    entries: int


def hours_by_person(*, org: Organisation, year: int) -> list[PersonHours]:
    """The recognition report: hours per person for the year, most hours first."""
    rows = (
        hours_counted(org=org, year=year)
        .values("volunteer_id", "volunteer__full_name")
        .annotate(minutes=Sum("minutes"), entries=Count("pk"))
        .order_by("-minutes", "volunteer__full_name")
    )
    return [
        PersonHours(r["volunteer_id"], r["volunteer__full_name"], r["minutes"], r["entries"])
        for r in rows
    ]


def organisation_total_minutes(*, org: Organisation, year: int) -> int:
    return int(hours_counted(org=org, year=year).aggregate(m=Sum("minutes"))["m"] or 0)


@dataclass(frozen=True)
class NetworkHours:
    network: Network
    rows: list[tuple[Organisation, int]]

    @property
    def total(self) -> int:
        return sum(minutes for _org, minutes in self.rows)


def is_network_admin_of(*, user: User, org: Organisation) -> bool:
    return NetworkRole.objects.filter(
        user=user, role=NetworkRole.Kind.NETWORK_ADMIN, network__memberships__organisation=org
    ).exists()


def network_hours(*, user: User, org: Organisation, year: int) -> list[NetworkHours]:
    """Per-organisation totals for each network of `org` the user administers."""
    networks = Network.objects.filter(
        memberships__organisation=org,
        roles__user=user,
        roles__role=NetworkRole.Kind.NETWORK_ADMIN,
    ).distinct()
    result = []
    for network in networks:
        members = Organisation.objects.filter(network_memberships__network=network)
        sums = dict(
            HoursEntry.objects.filter(
                organisation__in=members,
                status=Status.APPROVED,
                minutes__isnull=False,
                started_at__year=year,
            )
            .values_list("organisation_id")
            .annotate(m=Sum("minutes"))
            .values_list("organisation_id", "m")
        )
        result.append(NetworkHours(network, [(m, int(sums.get(m.pk, 0))) for m in members]))
    return result


@dataclass(frozen=True)
class MonthHours:
    """The dashboard's « hours this month » block."""

    minutes: int
    people: int
    pending: int


def hours_this_month(*, org: Organisation, today: date | None = None) -> MonthHours:
    """Approved minutes and distinct people since the 1st of the current (local) month, and
    how many entries wait for approval (all of them, whatever their month)."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(today.replace(day=1), time.min))
    counted = (
        hours_counted(org=org)
        .filter(started_at__gte=start)
        .aggregate(minutes=Sum("minutes"), people=Count("volunteer", distinct=True))
    )
    return MonthHours(
        int(counted["minutes"] or 0),
        int(counted["people"] or 0),
        hours_pending(org=org).count(),
    )
