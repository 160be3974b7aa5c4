"""Law 25 tools: the person in charge and the policy, retention rules, access requests,
the confidentiality-incident register and privacy impact assessments (EFVP)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation

from .models import Household

__all__ = [
    "ACCESS_DEADLINE_DAYS",
    "HouseholdAnonymisation",
    "PiaAnswer",
    "PiaAssessment",
    "PrivacyIncident",
    "PrivacyProfile",
    "PrivacyRequest",
    "PrivacyRequestKind",
    "RetentionCategory",
    "RetentionRule",
    "RiskLevel",
]

# Law 25, s. 32: an access or rectification request is answered within 30 days.
ACCESS_DEADLINE_DAYS = 30


class PrivacyProfile(models.Model):
    """The person in charge of personal information and the published privacy policy."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="privacy_profile"
    )
    officer_name = models.CharField(_("name of the person in charge"), max_length=200)
    officer_title = models.CharField(_("title"), max_length=200, blank=True)
    officer_email = models.EmailField(_("e-mail"), blank=True)
    officer_phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The Cordée account of the person in charge, when they have one: it may use these tools.
    officer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("their Cordée account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    policy_text = models.TextField(_("privacy policy"), blank=True)
    policy_version = models.CharField(_("policy version"), max_length=40, blank=True)
    policy_published_on = models.DateField(_("published on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("privacy profile")

    def __str__(self) -> str:
        return str(self.organisation)


class RetentionCategory(models.TextChoices):
    HOUSEHOLDS = "households", _("Inactive households: anonymised")
    VISITS = "visits", _("Old visits: free-text reasons erased, kept as statistics")


class RetentionRule(models.Model):
    """After `months` (without a visit, for households; since the visit, for visits) the rows
    of a category are anonymised. Nothing is deleted: the statistics stay whole."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="retention_rules"
    )
    category = models.CharField(_("category"), max_length=20, choices=RetentionCategory.choices)
    months = models.PositiveSmallIntegerField(_("after how many months"))
    active = models.BooleanField(_("applied every day"), default=True)

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category"], name="uniq_retention_rule_per_category"
            )
        ]
        verbose_name = _("retention rule")

    def __str__(self) -> str:
        return f"{self.get_category_display()} — {self.months}"


class HouseholdAnonymisation(models.Model):
    """The trace that a household was anonymised: what makes the retention idempotent."""

    household = models.OneToOneField(
        Household, on_delete=models.CASCADE, related_name="anonymisation"
    )
    anonymised_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("anonymisation")

    def __str__(self) -> str:
        return f"{self.household_id} — {self.anonymised_at:%Y-%m-%d}"


class PrivacyRequestKind(models.TextChoices):
    ACCESS = "access", _("Access to their information")
    PORTABILITY = "portability", _("Copy in a common format (portability)")
    RECTIFICATION = "rectification", _("Correction")
    DELETION = "deletion", _("Deletion")


class PrivacyRequest(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="privacy_requests"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="privacy_requests",
    )
    kind = models.CharField(_("request"), max_length=20, choices=PrivacyRequestKind.choices)
    received_on = models.DateField(_("received on"))
    details = models.TextField(_("details"), blank=True)
    completed_on = models.DateField(_("answered on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("what was done"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["completed_on", "received_on", "pk"]
        verbose_name = _("access request")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.received_on}"

    @property
    def deadline(self) -> date:
        return self.received_on + timedelta(days=ACCESS_DEADLINE_DAYS)

    def days_left(self, today: date | None = None) -> int:
        return (self.deadline - (today or timezone.localdate())).days

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left())

    @property
    def overdue(self) -> bool:
        return self.completed_on is None and self.days_left() < 0


class RiskLevel(models.TextChoices):
    LOW = "low", _("No risk of serious injury")
    SERIOUS = "serious", _("Risk of serious injury")
    UNKNOWN = "unknown", _("Not assessed yet")


class PrivacyIncident(models.Model):
    """One confidentiality incident, with what Law 25 asks the register to hold."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="privacy_incidents"
    )
    occurred_on = models.DateField(_("date of the incident"), null=True, blank=True)
    discovered_on = models.DateField(_("date it was discovered"))
    description = models.TextField(_("what happened"))
    information_concerned = models.TextField(_("personal information concerned"))
    people_count = models.PositiveIntegerField(_("number of people concerned"))
    risk_level = models.CharField(
        _("risk of serious injury"),
        max_length=10,
        choices=RiskLevel.choices,
        default=RiskLevel.UNKNOWN,
    )
    risk_assessment = models.TextField(_("how the risk was assessed"), blank=True)
    cai_notified_on = models.DateField(
        _("Commission d'accès à l'information notified on"), null=True, blank=True
    )
    persons_notified_on = models.DateField(_("people concerned notified on"), null=True, blank=True)
    measures_taken = models.TextField(_("measures taken"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-discovered_on", "-pk"]
        verbose_name = _("confidentiality incident")

    def __str__(self) -> str:
        return f"{self.discovered_on} — {self.description[:60]}"


class PiaAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Does not apply")


class PiaAssessment(models.Model):
    """A privacy impact assessment: the fixed questions (PIA_QUESTIONS) answered for a project.
    `answers` maps a question key to {"answer": "yes"|"no"|"na", "notes": "..."}."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pia_assessments"
    )
    project = models.CharField(_("project or system assessed"), max_length=200)
    answers = models.JSONField(default=dict, blank=True)
    completed_on = models.DateField(_("completed on"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = _("privacy impact assessment")

    def __str__(self) -> str:
        return f"{self.project} — {self.completed_on}"
