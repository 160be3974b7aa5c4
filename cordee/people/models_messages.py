"""A coordinator's short message to everyone on a shift, and who it goes to.

One row per recipient so that a retried task never sends twice, and so that the people who
asked for a phone call show up on the coordinator's call list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation

from .models import Shift, Volunteer

__all__ = ["ShiftMessage", "ShiftMessageRecipient"]

MESSAGE_MAX_LENGTH = 300


class ShiftMessage(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="shift_messages"
    )
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="messages")
    body = models.CharField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    include_waiting = models.BooleanField(_("also the waiting list"), default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.shift} — {self.body[:40]}"


class ShiftMessageRecipient(models.Model):
    message = models.ForeignKey(ShiftMessage, on_delete=models.CASCADE, related_name="recipients")
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="shift_messages"
    )
    # The channel at the time of sending (the person may change it later).
    channel = models.CharField(max_length=10, choices=Volunteer.Channel.choices)
    # E-mail/SMS: when it left. Phone: when the coordinator marked the call done.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "volunteer"], name="people_message_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} — {self.message}"
