"""Notices sent to households when a mobile counter date is cancelled (one per household)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cordee.households.models import Household

from .models import MobileCounterCancellation

__all__ = ["MobileCounterNotice"]


class MobileCounterNotice(models.Model):
    """One household told (or found unreachable) about one cancelled date. The unique
    constraint is what makes a second run of the task send nothing twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")
        # Agreed to be contacted but left neither an e-mail nor a phone number.
        NONE = "none", _("Could not be reached")

    cancellation = models.ForeignKey(
        MobileCounterCancellation, on_delete=models.CASCADE, related_name="notices"
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="mobile_counter_notices"
    )
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["cancellation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cancellation", "household"], name="uniq_mobile_counter_notice"
            )
        ]
        verbose_name = _("mobile counter notice")

    def __str__(self) -> str:
        return f"{self.cancellation} → {self.household_id} ({self.channel})"
