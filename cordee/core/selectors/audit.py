from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import AuditEvent, Organisation


def audit_event_list(
    *,
    org: Organisation,
    action: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """The organisation's audit log, newest first, filtered."""
    qs = AuditEvent.objects.filter(organisation=org).select_related("actor")
    if action:
        qs = qs.filter(action__icontains=action)
    if actor:
        qs = qs.filter(Q(actor__full_name__icontains=actor) | Q(actor__email__icontains=actor))
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(created_at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return qs
