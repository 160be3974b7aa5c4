"""Reads of vehicles, drivers, tours and stops — always scoped to one organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from cordee.core.models import Organisation, Role, Site, User

from ..models import Tour, TourStop, Vehicle
from ..planning import tour_stops


def vehicle_list(*, org: Organisation) -> QuerySet[Vehicle]:
    return Vehicle.objects.filter(organisation=org, is_active=True)


def vehicle_all(*, org: Organisation) -> QuerySet[Vehicle]:
    """Every vehicle of the organisation, those no longer in use included (management)."""
    return Vehicle.objects.filter(organisation=org).order_by("-is_active", "name")


def vehicle_get(*, org: Organisation, pk: int) -> Vehicle:
    vehicle = vehicle_all(org=org).filter(pk=pk).first()
    if vehicle is None:
        raise Http404
    return vehicle


def driver_list(*, org: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=org, memberships__role=Role.DRIVER, is_active=True
    ).distinct()


def depot_list(*, org: Organisation) -> QuerySet[Site]:
    return Site.objects.filter(organisation=org, is_active=True).exclude(kind=Site.Kind.MOBILE_STOP)


def tour_list(*, org: Organisation, start: date, end: date) -> QuerySet[Tour]:
    return (
        Tour.objects.filter(organisation=org, date__range=(start, end))
        .select_related("vehicle", "driver", "start_site")
        .annotate(stop_count=Count("stops"))
        .order_by("date", "starts_at", "pk")
    )


def tour_get(*, org: Organisation, pk: int) -> Tour:
    tour = (
        Tour.objects.filter(organisation=org, pk=pk)
        .select_related("vehicle", "driver", "start_site", "end_site", "organisation")
        .first()
    )
    if tour is None:
        raise Http404
    return tour


def stop_get(*, org: Organisation, pk: int) -> TourStop:
    stop = (
        TourStop.objects.filter(tour__organisation=org, pk=pk)
        .select_related("tour", "tour__organisation", "site")
        .first()
    )
    if stop is None:
        raise Http404
    return stop


def stops_for_display(tour: Tour) -> list[TourStop]:
    return list(
        tour.stops.select_related(
            "site", "site__municipality", "site__organisation", "delivery", "pickup"
        ).order_by("order", "pk")
    )


def driver_tours(*, org: Organisation, user: User, day: date, all_drivers: bool) -> list[Tour]:
    """The day's tours of this driver (a planner sees every tour of the day)."""
    tours = Tour.objects.filter(organisation=org, date=day).select_related(
        "vehicle", "start_site", "end_site", "driver"
    )
    if not all_drivers:
        tours = tours.filter(driver=user)
    stops = TourStop.objects.select_related(
        "site", "site__municipality", "site__organisation", "pickup"
    ).order_by("order", "pk")
    return list(tours.prefetch_related(Prefetch("stops", queryset=stops)).order_by("starts_at"))


@dataclass
class WeekChanges:
    """What changed since the same vehicle's tour one week earlier."""

    had_last_week: bool
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    same_order: bool = True
    # (place, last week's arrival, this week's arrival) for moves of 15 minutes or more.
    time_shifts: list[tuple[str, int, int]] = field(default_factory=list)


def tour_week_changes(tour: Tour, stops: list[TourStop]) -> WeekChanges:
    last = (
        Tour.objects.filter(
            organisation_id=tour.organisation_id,
            vehicle_id=tour.vehicle_id,
            date=tour.date - timedelta(days=7),
        )
        .order_by("pk")
        .first()
    )
    if last is None:
        return WeekChanges(had_last_week=False)
    before = tour_stops(last)
    old = {s.key: s for s in before}
    new = {s.key: s for s in stops}
    changes = WeekChanges(had_last_week=True)
    changes.added = [s.site.name for s in stops if s.key not in old]
    changes.removed = [s.site.name for s in before if s.key not in new]
    common_old = [s.key for s in before if s.key in new]
    common_new = [s.key for s in stops if s.key in old]
    changes.same_order = common_old == common_new
    for key in common_new:
        was, now = old[key].planned_arrival_s, new[key].planned_arrival_s
        if was is not None and now is not None and abs(now - was) >= 15 * 60:
            changes.time_shifts.append((new[key].site.name, was, now))
    return changes
