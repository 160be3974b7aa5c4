"""Referrals to another member of the network, and restricted intervention notes.

A referral carries a household to another organisation with the person's consent: the
receiving organisation reads only what `shared` says (through selectors.referrals), never the
sender's household record. Intervention notes are read only by the organisation's social
workers (intervenant role); every read and every export leaves an audit event.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation

from .models import Consent, Household

__all__ = [
    "InterventionNote",
    "NoteExport",
    "Referral",
    "ReferralService",
    "ReferralSharing",
    "ReferralStatus",
]


class ReferralService(models.TextChoices):
    COLLECTIVE_KITCHEN = "collective_kitchen", _("Collective kitchen")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial intervention")
    COUNTER = "counter", _("Another food counter")
    OTHER = "other", _("Other service")


class ReferralSharing(models.TextChoices):
    """What the person agreed to share; each level includes the one before."""

    CONTACT = "contact", _("Name and phone only")
    COMPOSITION = "composition", _("Name, phone and household composition")
    NOTE = "note", _("Name, phone, household composition and a note")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted, in progress")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled by the sender")


class Referral(models.Model):
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="referrals_received",
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="referrals")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField(_("service"), max_length=30, choices=ReferralService.choices)
    reason = models.TextField(_("reason"), max_length=1000)
    shared = models.CharField(_("what is shared"), max_length=20, choices=ReferralSharing.choices)
    # Written for the receiving organisation; shown only when `shared` is NOTE.
    note = models.TextField(_("note for the other organisation"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    # The receiver's short answer (why declined, what was done); the sender reads it.
    response = models.CharField(_("answer"), max_length=500, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["from_organisation", "sent_at"]),
            models.Index(fields=["to_organisation", "sent_at"]),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        # No name: this string enters the audit log and may be read by either organisation.
        return f"Référence n° {self.pk}"


class InterventionNote(models.Model):
    """A social worker's note. Restricted: read only through services.notes (audited)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="intervention_notes"
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="intervention_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)
    text = models.TextField(_("note"), max_length=10000)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)

    class Meta:
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "household", "written_at"])]
        verbose_name = _("intervention note")
        verbose_name_plural = _("intervention notes")

    def __str__(self) -> str:
        # Never the text: this string enters the audit log.
        return f"Note d'intervention n° {self.pk}"


class NoteExport(models.Model):
    """Each export of a household's notes, with its reason: the audit log keeps field names
    only, so the reason is kept here and the audit event points at this row."""

    class Format(models.TextChoices):
        CSV = "csv", _("Spreadsheet (CSV)")
        TEXT = "txt", _("Plain text")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    exported_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=500)
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    note_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-exported_at"]
        verbose_name = _("export of intervention notes")

    def __str__(self) -> str:
        return f"Exportation de notes n° {self.pk}"
