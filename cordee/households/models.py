"""Households served by a counter, their consents, the counter's eligibility rules and visits.

Minimal data (Law 25): only the respondent's name is required. Income source, housing type and
household type are sensitive: shown only to SENSITIVE_ROLES and every read is audited.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Municipality, Organisation, Site

# Field names whose reads are audited and which only SENSITIVE_ROLES see.
SENSITIVE_FIELDS = ("household_type", "income_source", "housing_type")
# The same, with the health notes: what the household's page and edit page restrict.
RESTRICTED_FIELDS = (*SENSITIVE_FIELDS, "health_notes")
HEALTH_NOTES_MAX = 500


class HouseholdType(models.TextChoices):
    SINGLE = "single", _("Single person")
    SINGLE_PARENT = "single_parent", _("Single parent")
    TWO_PARENTS = "two_parents", _("Two parents")
    COUPLE = "couple", _("Couple without children")
    OTHER = "other", _("Other")


class IncomeSource(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    DISABILITY = "disability", _("Disability benefits")
    EMPLOYMENT_INSURANCE = "employment_insurance", _("Employment insurance")
    PENSION = "pension", _("Pension")
    STUDENT = "student", _("Student loans and bursaries")
    NONE = "none", _("No income")
    OTHER = "other", _("Other")


class HousingType(models.TextChoices):
    RENTAL = "rental", _("Rental (private market)")
    SOCIAL = "social", _("Social or subsidised housing")
    OWNER = "owner", _("Owner")
    FAMILY = "family", _("With family or friends")
    SHELTER = "shelter", _("Shelter")
    NO_HOME = "no_home", _("No fixed address")
    OTHER = "other", _("Other")


class Household(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="households"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    people_count = models.PositiveSmallIntegerField(_("number of people"), default=1)
    household_type = models.CharField(
        _("household type"), max_length=20, choices=HouseholdType.choices, blank=True
    )
    income_source = models.CharField(
        _("main income source"), max_length=30, choices=IncomeSource.choices, blank=True
    )
    housing_type = models.CharField(
        _("housing type"), max_length=20, choices=HousingType.choices, blank=True
    )
    # Allergies, diet: health information, so restricted like income (Law 25).
    health_notes = models.TextField(
        _("health or dietary needs"), max_length=HEALTH_NOTES_MAX, blank=True
    )
    card_number = models.PositiveIntegerField(_("card number"))
    # "Proof seen on <date> by <person>": never a copy of the document.
    proof_seen_on = models.DateField(_("proofs seen on"), null=True, blank=True)
    proof_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Folded name tokens and phone digits, written by the services, read by the search.
    search_names = models.CharField(max_length=220, blank=True, editable=False)
    phone_digits = models.CharField(max_length=10, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "card_number"], name="uniq_household_card_per_org"
            )
        ]
        indexes = [models.Index(fields=["organisation", "phone_digits"])]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} (n° {self.card_number})"


class AgeBand(models.TextChoices):
    CHILD = "0-17", _("0 to 17 years")
    ADULT = "18-64", _("18 to 64 years")
    SENIOR = "65+", _("65 years and over")


class HouseholdMember(models.Model):
    """A person of the household, by age band or birth year only (no name needed)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")

    def __str__(self) -> str:
        return self.age_band or str(self.birth_year or "?")


class ConsentPurpose(models.TextChoices):
    SERVICE = "service", _("Service at the counter")
    DUPLICATE_CHECK = "duplicate_check", _("Network duplicate check")
    REFERRALS = "referrals", _("Referrals")
    NOTICES = "notices", _("Contact for notices")
    STATISTICS = "statistics", _("Statistics")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Signed paper")
    ORAL = "oral", _("Oral, with a witness")
    ONLINE = "online", _("Online")


class Consent(models.Model):
    """One consent, for one purpose. A ledger: withdrawal sets withdrawn_on, nothing is erased."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how it was given"), max_length=10, choices=ConsentMethod.choices)
    notice_version = models.CharField(_("notice version"), max_length=40, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} — {self.given_on}"


class EligibilityRule(models.Model):
    """An organisation's rules, as data. Empty values mean "no rule"."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="eligibility_rule"
    )
    territory = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("territory")
    )
    min_days_between_visits = models.PositiveSmallIntegerField(
        _("at most one basket every N days"), null=True, blank=True
    )
    proof_renewal_months = models.PositiveSmallIntegerField(
        _("proofs renewed every N months"), null=True, blank=True
    )
    # {"1": 2300000, "2": 2800000, ...}: yearly ceiling in cents by household size.
    income_ceilings = models.JSONField(_("income ceilings"), default=dict, blank=True)

    class Meta:
        verbose_name = _("eligibility rule")

    def __str__(self) -> str:
        return str(self.organisation)


class VisitType(models.TextChoices):
    BASKET = "basket", _("Regular basket")
    EMERGENCY = "emergency", _("Emergency help")
    MEAL = "meal", _("Meal")
    SNACK = "snack", _("Snack")


class Visit(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="visits")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True)
    visited_at = models.DateTimeField(_("visited at"))
    visit_type = models.CharField(
        _("type"), max_length=10, choices=VisitType.choices, default=VisitType.BASKET
    )
    people_served = models.PositiveSmallIntegerField(_("people served"), default=1)
    weight_g = models.PositiveIntegerField(_("weight"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    override_reason = models.CharField(_("reason for the exception"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-visited_at"]
        indexes = [models.Index(fields=["household", "visited_at"])]
        verbose_name = _("visit")

    def __str__(self) -> str:
        return f"{self.get_visit_type_display()} — {self.visited_at:%Y-%m-%d}"


from .models_matching import *  # noqa: E402,F403
from .models_privacy import *  # noqa: E402,F403
from .models_referrals import *  # noqa: E402,F403
from .models_search import *  # noqa: E402,F403
