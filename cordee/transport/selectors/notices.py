"""How many households were told about each cancelled mobile counter date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from cordee.core.models import Organisation

from ..models import MobileCounterNotice


@dataclass(frozen=True)
class NoticeCounts:
    notified: int = 0
    unreachable: int = 0


def notice_counts(*, org: Organisation, cancellation_ids: Iterable[int]) -> dict[int, NoticeCounts]:
    """Cancellation id → households told / agreed but without an e-mail or a phone."""
    rows = (
        MobileCounterNotice.objects.filter(
            cancellation__stop__organisation=org, cancellation_id__in=list(cancellation_ids)
        )
        .values("cancellation_id")
        .annotate(
            notified=Count("pk", filter=Q(sent_at__isnull=False)),
            unreachable=Count("pk", filter=Q(channel=MobileCounterNotice.Channel.NONE)),
        )
    )
    return {
        row["cancellation_id"]: NoticeCounts(row["notified"], row["unreachable"]) for row in rows
    }
