"""Volunteer hours, and shared (pooled) positions with timesheets, monthly statements and an
append-only ledger every participating member can read.

Money is in integer cents; durations in integer minutes; the management fee in basis points
(1 % = 100) so that statement arithmetic never touches floats.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, Site
from cordee.core.models.audit import AppendOnlyError

from .models import Shift, Volunteer

__all__ = [
    "HoursEntry",
    "LedgerEntry",
    "PositionShare",
    "SharedPosition",
    "Statement",
    "TimesheetEntry",
]


class HoursEntry(models.Model):
    """Time a volunteer gave to an organisation: checked in/out at a site, or self-reported."""

    class Source(models.TextChoices):
        CHECK_IN = "check_in", _("Checked in at the site")
        SELF_REPORTED = "self", _("Reported by the person")
        STAFF = "staff", _("Entered by staff")

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PENDING = "pending", _("Waiting for approval")
        REFUSED = "refused", _("Refused")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="hours")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="volunteer_hours"
    )
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteer_hours"
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="hours"
    )
    started_at = models.DateTimeField(_("started at"))
    # Empty while the person is checked in; set at check-out.
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # The duration that counts; filled at check-out, or given directly when self-reported.
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "started_at"])]
        constraints = [
            # One open check-in per person at a time.
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=models.Q(source="check_in", ended_at__isnull=True),
                name="people_hours_one_open_checkin",
            )
        ]
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")

    def __str__(self) -> str:
        return f"{self.volunteer} — {self.started_at:%Y-%m-%d} ({self.minutes or 0} min)"


class SharedPosition(models.Model):
    """An employee whose hours are split among member organisations."""

    title = models.CharField(_("title"), max_length=120)
    employee_name = models.CharField(_("employee"), max_length=200, blank=True)
    # The employee's own login, so they can enter their timesheet themself.
    employee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee's login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_positions",
    )
    employer = models.ForeignKey(
        Organisation,
        verbose_name=_("employer of record"),
        on_delete=models.PROTECT,
        related_name="employed_positions",
    )
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=2)
    hourly_cost_cents = models.PositiveIntegerField(_("loaded hourly cost (cents)"))
    fee_basis_points = models.PositiveIntegerField(_("management fee (hundredths of %)"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("shared position")
        verbose_name_plural = _("shared positions")

    def __str__(self) -> str:
        return self.title


class PositionShare(models.Model):
    """A participating member and its planned allocation."""

    class Unit(models.TextChoices):
        WEEK = "week", _("hours per week")
        MONTH = "month", _("hours per month")
        PERCENT = "percent", _("% of the position")

    position = models.ForeignKey(SharedPosition, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="position_shares"
    )
    planned = models.DecimalField(_("planned"), max_digits=6, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.WEEK)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "organisation"], name="people_share_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position} — {self.organisation}"


class TimesheetEntry(models.Model):
    class EnteredAs(models.TextChoices):
        EMPLOYEE = "employee", _("The employee")
        EMPLOYER = "employer", _("The employer")

    position = models.ForeignKey(SharedPosition, on_delete=models.CASCADE, related_name="timesheet")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="position_timesheet",
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_as = models.CharField(max_length=10, choices=EnteredAs.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["position", "organisation", "date"])]

    def __str__(self) -> str:
        return f"{self.position} — {self.organisation} {self.date} ({self.minutes} min)"


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("The shared-position ledger is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The shared-position ledger is append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The shared-position ledger is append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The shared-position ledger is append-only.")


class Statement(AppendOnlyModel):
    """A member's monthly bill, frozen when issued (cost and fee copied from the position)."""

    position = models.ForeignKey(
        SharedPosition, on_delete=models.PROTECT, related_name="statements"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="position_statements"
    )
    month = models.DateField(_("month"))  # always the 1st
    minutes = models.PositiveIntegerField(_("minutes"))
    hourly_cost_cents = models.PositiveIntegerField()
    fee_basis_points = models.PositiveIntegerField()
    labour_cents = models.PositiveIntegerField()
    fee_cents = models.PositiveIntegerField()
    total_cents = models.PositiveIntegerField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "organisation", "month"], name="people_statement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position} — {self.organisation} {self.month:%Y-%m}"

    @property
    def period_end(self) -> date:
        nxt = date(self.month.year + self.month.month // 12, self.month.month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)


class LedgerEntry(AppendOnlyModel):
    """Statements issued and payments received; never changed, never deleted."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement issued")
        PAYMENT = "payment", _("Payment received")
        # Corrections of an issued statement (which itself never changes): a credit note
        # lowers what the member owes, an added charge raises it.
        CREDIT = "credit", _("Credit note")
        DEBIT = "debit", _("Added charge")

    position = models.ForeignKey(SharedPosition, on_delete=models.PROTECT, related_name="ledger")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="position_ledger"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    statement = models.OneToOneField(
        Statement, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entry"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The statement month a credit note or added charge corrects (empty for other kinds).
    month = models.DateField(_("month corrected"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation} {self.amount_cents}"
