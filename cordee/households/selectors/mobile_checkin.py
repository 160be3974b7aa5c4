"""The mobile counter stops of the day, for the check-in screen's mobile-counter mode."""

from __future__ import annotations

from datetime import date, time

from cordee.core.models import Organisation
from cordee.transport.selectors.mobile import mobile_counter_stop_list
from cordee.transport.services.mobile import Occurrence, mobile_counter_occurrences


def mobile_stops_on(*, org: Organisation, day: date) -> list[Occurrence]:
    """The organisation's mobile counter stops that take place on `day` (not cancelled)."""
    stops = mobile_counter_stop_list(org=org).filter(is_active=True, site__is_active=True)
    return [
        o for o in mobile_counter_occurrences(stops=stops, start=day, end=day) if not o.is_cancelled
    ]


def mobile_stop_now(occurrences: list[Occurrence], now: time) -> Occurrence | None:
    """The stop going on now, else the next one, else the day's last one."""
    for occurrence in occurrences:  # sorted by start time
        if now <= occurrence.ends_at:
            return occurrence
    return occurrences[-1] if occurrences else None
