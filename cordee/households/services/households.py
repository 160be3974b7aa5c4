"""Writes of households and consents: registration, consent ledger, withdrawal."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Municipality, Organisation, User
from cordee.core.permissions import has_role, require_role
from cordee.core.services.audit import audit_record

from ..matching.normalise import phone_normalise
from ..models import (
    SENSITIVE_FIELDS,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Household,
    HouseholdType,
    HousingType,
    IncomeSource,
)
from ..permissions import COUNTER_ROLES, PROOF_ROLES, SENSITIVE_ROLES
from ..selectors.households import search_names_for
from .matching import household_tokens_refresh
from .search_index import household_search_words_refresh

MAX_PEOPLE = 30
NAME_MAX = 100


def _clean_name(value: str, field: str, message: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValidationError({field: message})
    if len(value) > NAME_MAX:
        raise ValidationError({field: _("This name is too long (100 characters at most).")})
    return value


def _check_choice(value: str, choices: type, field: str) -> None:
    if value and value not in choices.values:  # type: ignore[attr-defined]
        raise ValidationError({field: _("Choose one of the answers in the list.")})


def household_register(
    *,
    actor: User,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
    municipality: Municipality | None = None,
    people_count: int = 1,
    household_type: str = "",
    income_source: str = "",
    housing_type: str = "",
    request: HttpRequest | None = None,
) -> Household:
    """Register a household; the card number is the organisation's next free number."""
    require_role(actor, organisation, COUNTER_ROLES)
    first_name = _clean_name(first_name, "first_name", _("Write the first name."))
    last_name = _clean_name(last_name, "last_name", _("Write the last name."))
    phone = phone.strip()
    if phone and not phone_normalise(phone):
        raise ValidationError({"phone": _("Write a phone number like 819 555-1234.")})
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Write an e-mail like nom@exemple.ca.")}) from None
    if not 1 <= people_count <= MAX_PEOPLE:
        raise ValidationError(
            {"people_count": _("Write a number of people between 1 and %(n)d.") % {"n": MAX_PEOPLE}}
        )
    _check_choice(household_type, HouseholdType, "household_type")
    _check_choice(income_source, IncomeSource, "income_source")
    _check_choice(housing_type, HousingType, "housing_type")
    sensitive = {
        "household_type": household_type,
        "income_source": income_source,
        "housing_type": housing_type,
    }
    if any(sensitive.values()) and not has_role(actor, organisation, SENSITIVE_ROLES):
        raise PermissionDenied(_("Your role does not allow writing income or housing."))
    with transaction.atomic():
        # Lock the organisation row so two counters never hand out the same card number.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        last = Household.objects.filter(organisation=organisation).aggregate(n=Max("card_number"))
        household = Household.objects.create(
            organisation=organisation,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            municipality=municipality,
            people_count=people_count,
            card_number=(last["n"] or 0) + 1,
            search_names=search_names_for(first_name, last_name),
            phone_digits=phone_normalise(phone),
            **sensitive,
        )
        audit_record(
            actor=actor,
            action="household.register",
            organisation=organisation,
            obj=household,
            changed_fields=["first_name", "last_name", "municipality", "people_count"]
            + (["phone"] if phone else [])
            + (["email"] if email else [])
            + [name for name in SENSITIVE_FIELDS if sensitive[name]],
            request=request,
        )
        household_tokens_refresh(household=household)
        household_search_words_refresh(household=household)
    return household


def household_proof_seen(
    *, actor: User, household: Household, on: date | None = None, request: HttpRequest | None = None
) -> Household:
    """Record "proofs seen on <date> by <person>": never a copy of the documents."""
    require_role(actor, household.organisation, PROOF_ROLES)
    with transaction.atomic():
        household.proof_seen_on = on or timezone.localdate()
        household.proof_seen_by = actor
        household.save(update_fields=["proof_seen_on", "proof_seen_by"])
        audit_record(
            actor=actor,
            action="household.proof_seen",
            organisation=household.organisation,
            obj=household,
            changed_fields=["proof_seen_on", "proof_seen_by"],
            request=request,
        )
    return household


def consent_record(
    *,
    actor: User,
    household: Household,
    purpose: str,
    method: str,
    given_on: date | None = None,
    notice_version: str = "",
    expires_on: date | None = None,
    request: HttpRequest | None = None,
) -> Consent:
    require_role(actor, household.organisation, COUNTER_ROLES)
    _check_choice(purpose, ConsentPurpose, "purpose")
    _check_choice(method, ConsentMethod, "method")
    if not purpose:
        raise ValidationError({"purpose": _("Choose what the consent is for.")})
    if not method:
        raise ValidationError({"method": _("Choose how the consent was given.")})
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("A consent cannot be given in the future.")})
    if expires_on and expires_on <= given_on:
        raise ValidationError({"expires_on": _("The end date must come after the consent.")})
    with transaction.atomic():
        consent = Consent.objects.create(
            household=household,
            purpose=purpose,
            method=method,
            given_on=given_on,
            notice_version=notice_version.strip()[:40],
            expires_on=expires_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="consent.record",
            organisation=household.organisation,
            obj=consent,
            changed_fields=["purpose", "method", "given_on", "notice_version", "expires_on"],
            request=request,
        )
        if purpose == ConsentPurpose.DUPLICATE_CHECK:
            household_tokens_refresh(household=household)
    return consent


def consent_withdraw(
    *, actor: User, consent: Consent, on: date | None = None, request: HttpRequest | None = None
) -> Consent:
    """Record the withdrawal date. The related processing stops at once: a withdrawn service
    consent refuses check-in (see eligibility_for); contact for notices clears the e-mail."""
    household = consent.household
    require_role(actor, household.organisation, COUNTER_ROLES)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    with transaction.atomic():
        consent.withdrawn_on = on or timezone.localdate()
        consent.save(update_fields=["withdrawn_on"])
        changed = ["withdrawn_on"]
        if consent.purpose == ConsentPurpose.NOTICES and household.email:
            household.email = ""
            household.save(update_fields=["email"])
            changed.append("household.email")
        audit_record(
            actor=actor,
            action="consent.withdraw",
            organisation=household.organisation,
            obj=consent,
            changed_fields=changed,
            request=request,
        )
        if consent.purpose == ConsentPurpose.DUPLICATE_CHECK:
            # Withdrawal stops the duplicate check at once: the tokens go now.
            household_tokens_refresh(household=household)
    return consent
