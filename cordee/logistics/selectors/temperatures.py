"""Fridges and freezers of an organisation, their last reading and what needs attention."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from cordee.core.models import Organisation

from ..models import ColdUnit, TemperatureReading

ALERT_DAYS = 7
HISTORY_DAYS = 30


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def cold_unit_list(*, org: Organisation, active_only: bool = True) -> QuerySet[ColdUnit]:
    """Units at the organisation's sites, each with `last_reading_id` annotated."""
    last = TemperatureReading.objects.filter(unit=OuterRef("pk")).order_by("-taken_at", "-id")
    qs = (
        ColdUnit.objects.filter(site__organisation=org)
        .select_related("site")
        .annotate(last_reading_id=Subquery(last.values("pk")[:1]))
    )
    if active_only:
        qs = qs.filter(is_active=True, site__is_active=True)
    return qs.order_by("site__name", "name")


def cold_unit_get(*, org: Organisation, pk: int) -> ColdUnit:
    unit = cold_unit_list(org=org, active_only=False).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


@dataclass(frozen=True)
class UnitStatus:
    unit: ColdUnit
    last: TemperatureReading | None
    done_today: bool


def unit_statuses(*, org: Organisation) -> list[UnitStatus]:
    units = list(cold_unit_list(org=org))
    readings = TemperatureReading.objects.select_related("taken_by").in_bulk(
        [u.last_reading_id for u in units if u.last_reading_id]  # type: ignore[attr-defined]
    )
    start = _start_of_today()
    statuses = []
    for unit in units:
        last = readings.get(unit.last_reading_id)  # type: ignore[attr-defined]
        statuses.append(UnitStatus(unit, last, last is not None and last.taken_at >= start))
    return statuses


@dataclass(frozen=True)
class TemperatureAlerts:
    out_of_range: list[TemperatureReading]  # last 7 days, newest first
    missing_today: list[ColdUnit]

    @property
    def out_of_range_last_24h(self) -> bool:
        since = timezone.now() - timedelta(hours=24)
        return any(r.taken_at >= since for r in self.out_of_range)

    def __bool__(self) -> bool:
        return bool(self.out_of_range or self.missing_today)


def temperature_alerts(*, org: Organisation) -> TemperatureAlerts:
    since = timezone.now() - timedelta(days=ALERT_DAYS)
    out = list(
        TemperatureReading.objects.filter(
            unit__site__organisation=org,
            unit__is_active=True,
            is_out_of_range=True,
            taken_at__gte=since,
        )
        .select_related("unit__site", "taken_by")
        .order_by("-taken_at", "-id")
    )
    missing = [s.unit for s in unit_statuses(org=org) if not s.done_today]
    return TemperatureAlerts(out_of_range=out, missing_today=missing)


def reading_history(*, unit: ColdUnit, days: int = HISTORY_DAYS) -> QuerySet[TemperatureReading]:
    since = _start_of_today() - timedelta(days=days - 1)
    return (
        unit.readings.filter(taken_at__gte=since)
        .select_related("taken_by")
        .order_by("-taken_at", "-id")
    )
