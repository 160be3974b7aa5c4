"""Supermarket recovery (PRS): partner stores, their recurring pickup slots, and pickups.

A pickup that brought food points to the Reception recorded for it (lots, ledger and
cold-chain decisions live there); « nothing today » keeps its reason. A planned pickup whose
day has passed without anything recorded counts as missed (see selectors/recovery.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cordee.core.models import OpeningHours, Organisation, Site

__all__ = ["NothingReason", "PartnerStore", "Pickup", "PickupSlot", "PickupStatus"]


class PartnerStore(models.Model):
    """A store that gives its unsold food to the hub, with who to call and where to go."""

    hub = models.ForeignKey(
        Organisation,
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="partner_stores",
    )
    store = models.ForeignKey(
        Organisation,
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        related_name="recovery_partnerships",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("store address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    destination = models.ForeignKey(
        Site,
        verbose_name=_("where the food goes"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    chain = models.CharField(_("chain or banner"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    typical_g = models.PositiveIntegerField(_("typical weight per pickup"), default=0)
    notes = models.TextField(_("notes for the driver"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["store__name"]
        constraints = [models.UniqueConstraint(fields=["hub", "store"], name="uniq_partner_store")]
        verbose_name = _("partner store")
        verbose_name_plural = _("partner stores")

    def __str__(self) -> str:
        return self.store.name

    @property
    def address(self) -> str:
        """The store site's address, else the store organisation's."""
        if self.site is not None and self.site.address:
            where = self.site.municipality.name if self.site.municipality_id else ""  # type: ignore[union-attr]
            return ", ".join(part for part in (self.site.address, where) if part)
        return self.store.address


class PickupSlot(models.Model):
    """One recurring pickup: a weekday and a time window at a partner store."""

    Weekday = OpeningHours.Weekday

    store = models.ForeignKey(PartnerStore, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=OpeningHours.Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "weekday", "starts_at"], name="uniq_pickup_slot"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="pickup_slot_ends_after_start",
            ),
        ]
        verbose_name = _("pickup slot")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class PickupStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Picked up")
    NOTHING_TODAY = "nothing_today", _("Nothing today")
    MISSED = "missed", _("Missed")


class NothingReason(models.TextChoices):
    NOTHING_TO_GIVE = "nothing_to_give", _("The store had nothing to give")
    NOT_READY = "not_ready", _("Not ready when we came")
    NOBODY = "nobody", _("Nobody to hand it over")
    NOT_FIT = "not_fit", _("Food not fit to take")
    CLOSED = "closed", _("Store closed")
    OTHER = "other", _("Other reason")


class Pickup(models.Model):
    """One visit to a partner store on a day: planned, picked up, or nothing today."""

    Status = PickupStatus
    Reason = NothingReason

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pickups")
    store = models.ForeignKey(PartnerStore, on_delete=models.PROTECT, related_name="pickups")
    slot = models.ForeignKey(
        PickupSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="pickups"
    )
    scheduled_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PickupStatus.choices, default=PickupStatus.PLANNED
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=NothingReason.choices, blank=True, default=""
    )
    reason_note = models.CharField(_("in a few words"), max_length=300, blank=True)
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("driver"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reception = models.OneToOneField(
        "logistics.Reception",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pickup",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_on", "starts_at", "id"]
        indexes = [models.Index(fields=["organisation", "scheduled_on"])]
        constraints = [
            models.UniqueConstraint(fields=["slot", "scheduled_on"], name="uniq_pickup_slot_day"),
            models.CheckConstraint(
                condition=~models.Q(status=PickupStatus.NOTHING_TODAY) | ~models.Q(reason=""),
                name="nothing_today_needs_reason",
            ),
        ]
        verbose_name = _("pickup")

    def __str__(self) -> str:
        return f"{self.store} {self.scheduled_on:%Y-%m-%d}"
