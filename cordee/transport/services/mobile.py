"""The mobile counter's calendar: its regular stops, their dates, and cancellations.

A cancellation shows on the public page and in the iCal feed (STATUS:CANCELLED), and once
committed a task tells the households who agreed to be contacted (services/notices.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import MobileCounterCancellation, MobileCounterStop
from ..permissions import MANAGER_ROLES, PLANNER_ROLES
from .notices import mobile_counter_notices_enqueue


@dataclass(frozen=True)
class Occurrence:
    stop: MobileCounterStop
    date: date
    cancellation: MobileCounterCancellation | None

    @property
    def starts_at(self) -> time:
        return self.stop.starts_at

    @property
    def ends_at(self) -> time:
        return self.stop.ends_at

    @property
    def is_cancelled(self) -> bool:
        return self.cancellation is not None


def _first_on_or_after(stop: MobileCounterStop, day: date) -> date | None:
    """The stop's first date on or after `day` (its weekday, in step with its first date)."""
    anchor = stop.first_date + timedelta(days=(stop.weekday - stop.first_date.weekday()) % 7)
    if day <= anchor:
        return anchor
    step = 7 * stop.every_weeks
    periods = -(-(day - anchor).days // step)  # ceiling division
    return anchor + timedelta(days=periods * step)


def stop_dates(stop: MobileCounterStop, start: date, end: date) -> list[date]:
    first = _first_on_or_after(stop, start)
    dates = []
    while first is not None and first <= end:
        dates.append(first)
        first += timedelta(days=7 * stop.every_weeks)
    return dates


def mobile_counter_occurrences(
    *, stops: Iterable[MobileCounterStop], start: date, end: date
) -> list[Occurrence]:
    """Every date of these stops between start and end (inclusive), by date and time,
    cancelled ones included (marked)."""
    stops = list(stops)
    cancelled = {
        (c.stop_id, c.date): c
        for c in MobileCounterCancellation.objects.filter(stop__in=stops, date__range=(start, end))
    }
    occurrences = [
        Occurrence(stop=stop, date=day, cancellation=cancelled.get((stop.pk, day)))
        for stop in stops
        for day in stop_dates(stop, start, end)
    ]
    return sorted(occurrences, key=lambda o: (o.date, o.stop.starts_at, o.stop.pk))


def _check_stop(
    organisation: Organisation,
    *,
    site: Site,
    weekday: int,
    every_weeks: int,
    starts_at: time,
    ends_at: time,
    load_g: tuple[int, int, int],
) -> None:
    errors: dict[str, str] = {}
    if site.organisation_id != organisation.pk or site.kind != Site.Kind.MOBILE_STOP:
        errors["site"] = _("Choose one of your mobile counter stops.")
    if not 0 <= weekday <= 6:
        errors["weekday"] = _("Choose a day of the week.")
    if every_weeks not in (1, 2):
        errors["every_weeks"] = _("Choose every week or every two weeks.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end time must be after the start time.")
    if min(load_g) < 0:
        errors["dry_g"] = _("Weights cannot be negative.")
    if errors:
        raise ValidationError(errors)


def mobile_counter_stop_create(
    *,
    actor: User,
    organisation: Organisation,
    site: Site,
    weekday: int,
    starts_at: time,
    ends_at: time,
    first_date: date,
    every_weeks: int = 1,
    load_g: tuple[int, int, int] = (0, 0, 0),
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> MobileCounterStop:
    require_role(actor, organisation, MANAGER_ROLES)
    _check_stop(
        organisation,
        site=site,
        weekday=weekday,
        every_weeks=every_weeks,
        starts_at=starts_at,
        ends_at=ends_at,
        load_g=load_g,
    )
    with transaction.atomic():
        stop = MobileCounterStop.objects.create(
            organisation=organisation,
            site=site,
            weekday=weekday,
            every_weeks=every_weeks,
            starts_at=starts_at,
            ends_at=ends_at,
            first_date=first_date,
            dry_g=load_g[0],
            chilled_g=load_g[1],
            frozen_g=load_g[2],
            is_active=is_active,
        )
        audit_record(
            actor=actor,
            action="mobile_counter.stop_create",
            organisation=organisation,
            obj=stop,
            changed_fields=["site", "weekday", "every_weeks", "times", "first_date"],
            request=request,
        )
    return stop


STOP_FIELDS = frozenset(
    {
        "site",
        "weekday",
        "every_weeks",
        "starts_at",
        "ends_at",
        "first_date",
        "dry_g",
        "chilled_g",
        "frozen_g",
        "is_active",
    }
)


def mobile_counter_stop_update(
    *,
    actor: User,
    stop: MobileCounterStop,
    changes: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> MobileCounterStop:
    """Change a regular stop (place, day, times, how often, food brought, active). Tours
    already planned keep their stops; the public page and the feed follow at once."""
    require_role(actor, stop.organisation, MANAGER_ROLES)
    unknown = set(changes) - STOP_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    merged = {name: getattr(stop, name) for name in STOP_FIELDS} | dict(changes)
    _check_stop(
        stop.organisation,
        site=merged["site"],
        weekday=merged["weekday"],
        every_weeks=merged["every_weeks"],
        starts_at=merged["starts_at"],
        ends_at=merged["ends_at"],
        load_g=(merged["dry_g"], merged["chilled_g"], merged["frozen_g"]),
    )
    changed = sorted(name for name, value in changes.items() if getattr(stop, name) != value)
    if not changed:
        return stop
    with transaction.atomic():
        for name in changed:
            setattr(stop, name, changes[name])
        stop.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="mobile_counter.stop_update",
            organisation=stop.organisation,
            obj=stop,
            changed_fields=changed,
            request=request,
        )
    return stop


def _tour_stops_drop(stop: MobileCounterStop, day: date) -> None:
    """A cancelled date leaves the tours that planned it (unless the truck is already
    there), and their times are recomputed."""
    from ..models import Tour, TourStop
    from ..planning import plan_evaluate, tour_stops

    planned = TourStop.objects.filter(mobile_counter=stop, tour__date=day, arrived_at__isnull=True)
    tour_ids = set(planned.values_list("tour_id", flat=True))
    planned.delete()
    for tour in Tour.objects.select_for_update().filter(pk__in=tour_ids):
        stops = tour_stops(tour)
        for position, remaining in enumerate(stops, start=1):
            remaining.order = position
        TourStop.objects.bulk_update(stops, ["order"])
        plan_evaluate(tour, stops)


def mobile_counter_cancel(
    *,
    actor: User,
    stop: MobileCounterStop,
    day: date,
    reason: str,
    request: HttpRequest | None = None,
) -> MobileCounterCancellation:
    """Cancel one date of a stop; it shows as cancelled on the public page and the feed,
    and the households who agreed to be contacted are told (after the commit)."""
    require_role(actor, stop.organisation, PLANNER_ROLES)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, in a few words: the public will see it.")})
    if day not in stop_dates(stop, day, day):
        raise ValidationError({"date": _("The mobile counter does not stop there that day.")})
    try:
        with transaction.atomic():
            cancellation = MobileCounterCancellation.objects.create(
                stop=stop, date=day, reason=reason[:200], created_by=actor
            )
            _tour_stops_drop(stop, day)
            audit_record(
                actor=actor,
                action="mobile_counter.cancel",
                organisation=stop.organisation,
                obj=cancellation,
                changed_fields=["date", "reason"],
                request=request,
            )
            mobile_counter_notices_enqueue(cancellation)
    except IntegrityError:
        raise ValidationError({"date": _("This date is already cancelled.")}) from None
    return cancellation
