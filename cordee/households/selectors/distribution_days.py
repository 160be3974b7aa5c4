"""Check-in visits counted per distribution day, for the counter's distribution record.

Logistics reads ``visits_per_day`` to pre-fill the baskets of a distribution; the check-in
page shows the last days with whether that day's distribution was recorded."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from cordee.core.models import Organisation, Site

from ..models import Visit, VisitType

# The visits that hand out a basket; meals and snacks are not part of a distribution.
BASKET_TYPES = (VisitType.BASKET, VisitType.EMERGENCY)
SUMMARY_DAYS = 7


def _day_range(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    return start, end


def _basket_visits(org: Organisation, first: date, last: date) -> QuerySet[Visit]:
    start, end = _day_range(first, last)
    return Visit.objects.filter(
        organisation=org,
        visit_type__in=BASKET_TYPES,
        cancelled_at__isnull=True,
        visited_at__gte=start,
        visited_at__lt=end,
    )


def _only_counter(org: Organisation) -> Site | None:
    """The organisation's one active counter, if it has exactly one."""
    counters = list(
        Site.objects.filter(organisation=org, kind=Site.Kind.COUNTER, is_active=True)[:2]
    )
    return counters[0] if len(counters) == 1 else None


def visits_per_day(*, org: Organisation, site: Site, day: date) -> int:
    """Baskets handed out at check-in on ``day`` at ``site`` (regular and emergency, not
    cancelled). Visits at the fixed counter carry no site (only mobile stops set one): they
    count for the organisation's counter when it has exactly one."""
    if site.organisation_id != org.pk:
        return 0
    where = Q(site=site)
    if _only_counter(org) == site:
        where |= Q(site__isnull=True)
    return _basket_visits(org, day, day).filter(where).count()


@dataclass(frozen=True)
class CheckinDay:
    day: date
    visits: int
    distribution_recorded: bool


def checkin_days(*, org: Organisation, today: date | None = None) -> list[CheckinDay]:
    """The last days with basket visits, newest first, and whether a distribution was
    recorded that day (any site)."""
    last = today or timezone.localdate()
    first = last - timedelta(days=SUMMARY_DAYS - 1)
    rows = (
        _basket_visits(org, first, last)
        .annotate(day=TruncDate("visited_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("-day")
    )
    # Looked up by name: households does not import the logistics models.
    distribution = apps.get_model("logistics", "CounterDistribution")
    recorded = set(
        distribution.objects.filter(
            organisation=org, distributed_on__range=(first, last)
        ).values_list("distributed_on", flat=True)
    )
    return [CheckinDay(row["day"], row["n"], row["day"] in recorded) for row in rows]
