"""Volunteers, their certifications, shifts and sign-ups, reminders and coordinator alerts.

A volunteer may have no login: staff enter and sign them up on their behalf.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, Site


def _calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Volunteer(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message (SMS)")
        PHONE = "phone", _("Phone call")

    full_name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_profiles",
    )
    channel = models.CharField(
        _("how to reach them"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    languages = models.CharField(_("languages"), max_length=100, default="français", blank=True)
    # Weekday numbers (0 = Monday) the person is usually free.
    available_weekdays = models.JSONField(_("usually free on"), default=list, blank=True)
    availability_notes = models.CharField(_("availability notes"), max_length=200, blank=True)
    # Secret part of the personal calendar (iCal) address; shown again, so not hashed.
    calendar_token = models.CharField(max_length=64, unique=True, default=_calendar_token)
    organisations: models.ManyToManyField[Organisation, VolunteerMembership] = (
        models.ManyToManyField(
            Organisation, through="VolunteerMembership", related_name="volunteers"
        )
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.full_name


class VolunteerMembership(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="volunteer_memberships"
    )
    joined_on = models.DateField(_("since"), default=date.today)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "organisation"], name="people_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} — {self.organisation}"


class Certification(models.Model):
    class Kind(models.TextChoices):
        DRIVER = "driver", _("Driver's licence")
        FOOD_HANDLER = "food_handler", _("Food handler certificate")
        FIRST_AID = "first_aid", _("First aid")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="certifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    licence_class = models.CharField(_("licence class"), max_length=10, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.licence_class}".strip()

    def valid_on(self, day: date) -> bool:
        return self.expires_on is None or self.expires_on >= day


class ShiftTemplate(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="shift_templates"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="shift_templates")
    title = models.CharField(_("title"), max_length=120)
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    needed = models.PositiveSmallIntegerField(_("people needed"), default=1)
    # Certification kinds (Certification.Kind values) every person on the shift must hold.
    required_certifications = models.JSONField(_("required certifications"), default=list)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["weekday", "starts_at", "title"]

    def __str__(self) -> str:
        return f"{self.title} — {self.site.name}"


class Shift(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="shifts")
    template = models.ForeignKey(
        ShiftTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="shifts")
    title = models.CharField(_("title"), max_length=120)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    needed = models.PositiveSmallIntegerField(_("people needed"), default=1)
    required_certifications = models.JSONField(_("required certifications"), default=list)

    class Meta:
        ordering = ["date", "starts_at", "title"]
        constraints = [
            # Generating a range twice never duplicates an occurrence.
            models.UniqueConstraint(fields=["template", "date"], name="people_shift_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.date:%Y-%m-%d} {self.starts_at:%H:%M}"

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.starts_at))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.ends_at))


class ShiftSignup(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("Waiting list")
        STANDBY = "standby", _("Stand-by")
        CANCELLED = "cancelled", _("Cancelled")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the « I can't come » secret sent in the reminder (see core/hashing.py).
    cancel_token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=~models.Q(status="cancelled"),
                name="people_signup_once_per_shift",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} — {self.shift}"


class Reminder(models.Model):
    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", _("The day before")

    signup = models.ForeignKey(ShiftSignup, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Volunteer.Channel.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # The guarantee that a reminder is never sent twice, even by two workers.
            models.UniqueConstraint(fields=["signup", "kind"], name="people_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.signup}"


class ShiftAlert(models.Model):
    """Something the coordinator should know about (a late cancellation)."""

    class Kind(models.TextChoices):
        LATE_CANCEL = "late_cancel", _("Late cancellation")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="shift_alerts"
    )
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="alerts")
    signup = models.ForeignKey(ShiftSignup, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.signup}"


from .models_messages import *  # noqa: E402,F403
from .models_positions import *  # noqa: E402,F403
from .models_training import *  # noqa: E402,F403
