"""Reads of shift messages: the phone calls still to make."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from cordee.core.models import Organisation

from .models import Volunteer
from .models_messages import ShiftMessage, ShiftMessageRecipient


def message_calls(*, org: Organisation) -> QuerySet[ShiftMessageRecipient]:
    """People who asked for a phone call and have a message waiting, for coming shifts."""
    return (
        ShiftMessageRecipient.objects.filter(
            message__organisation=org,
            channel=Volunteer.Channel.PHONE,
            sent_at__isnull=True,
            message__shift__date__gte=timezone.localdate(),
        )
        .select_related("volunteer", "message__shift")
        .order_by("message__shift__date", "message__shift__starts_at", "pk")
    )


def shift_messages(*, org: Organisation, shift_id: int) -> QuerySet[ShiftMessage]:
    return ShiftMessage.objects.filter(organisation=org, shift_id=shift_id).select_related(
        "sent_by"
    )
