"""Correcting a household (Law 25 rectification): names, contact, municipality, members and,
for the allowed roles, the restricted fields. Match tokens and search words follow."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Municipality, User
from cordee.core.permissions import has_role, require_role
from cordee.core.services.audit import audit_record

from ..matching.normalise import phone_normalise
from ..models import (
    HEALTH_NOTES_MAX,
    RESTRICTED_FIELDS,
    Household,
    HouseholdMember,
    HouseholdType,
    HousingType,
    IncomeSource,
)
from ..models_privacy import HouseholdAnonymisation, PrivacyRequest, PrivacyRequestKind
from ..permissions import COUNTER_ROLES, SENSITIVE_ROLES
from ..selectors.households import search_names_for
from .households import MAX_PEOPLE, _check_choice, _clean_name
from .matching import household_tokens_refresh
from .privacy import require_privacy_manage
from .search_index import household_search_words_refresh

OLDEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class HouseholdChanges:
    """What the form sends. ``None`` for a restricted field: not shown, left as it is."""

    first_name: str
    last_name: str
    phone: str = ""
    email: str = ""
    municipality: Municipality | None = None
    people_count: int = 1
    birth_years: tuple[int, ...] | None = None  # None: members left as they are
    household_type: str | None = None
    income_source: str | None = None
    housing_type: str | None = None
    health_notes: str | None = None


def _validated(changes: HouseholdChanges) -> dict[str, object]:
    values: dict[str, object] = {
        "first_name": _clean_name(changes.first_name, "first_name", _("Write the first name.")),
        "last_name": _clean_name(changes.last_name, "last_name", _("Write the last name.")),
        "phone": changes.phone.strip(),
        "email": changes.email.strip(),
        "municipality": changes.municipality,
        "people_count": changes.people_count,
    }
    if values["phone"] and not phone_normalise(str(values["phone"])):
        raise ValidationError({"phone": _("Write a phone number like 819 555-1234.")})
    if values["email"]:
        try:
            validate_email(str(values["email"]))
        except ValidationError:
            raise ValidationError({"email": _("Write an e-mail like nom@exemple.ca.")}) from None
    if not 1 <= changes.people_count <= MAX_PEOPLE:
        raise ValidationError(
            {"people_count": _("Write a number of people between 1 and %(n)d.") % {"n": MAX_PEOPLE}}
        )
    this_year = timezone.localdate().year
    for year in changes.birth_years or ():
        if not OLDEST_BIRTH_YEAR <= year <= this_year:
            raise ValidationError(
                {"birth_years": _("Write birth years between 1900 and this year.")}
            )
    for name, choices in (
        ("household_type", HouseholdType),
        ("income_source", IncomeSource),
        ("housing_type", HousingType),
    ):
        value = getattr(changes, name)
        if value is not None:
            _check_choice(value, choices, name)
            values[name] = value
    if changes.health_notes is not None:
        notes = changes.health_notes.strip()
        if len(notes) > HEALTH_NOTES_MAX:
            raise ValidationError(
                {"health_notes": _("Write at most %(n)d characters.") % {"n": HEALTH_NOTES_MAX}}
            )
        values["health_notes"] = notes
    return values


def _check_request(privacy_request: PrivacyRequest, household: Household, actor: User) -> None:
    require_privacy_manage(actor, household.organisation)
    if (
        privacy_request.organisation_id != household.organisation_id
        or privacy_request.household_id != household.pk
        or privacy_request.kind != PrivacyRequestKind.RECTIFICATION
    ):
        raise ValidationError(_("This request is not a correction request for this household."))
    if privacy_request.completed_on is not None:
        raise ValidationError(_("This request was already answered."))


def _members_update(household: Household, years: tuple[int, ...]) -> bool:
    """Replace the members known by birth year; those known only by age band stay."""
    known = household.members.exclude(birth_year=None)
    if sorted(m.birth_year or 0 for m in known) == sorted(years):
        return False
    known.delete()
    HouseholdMember.objects.bulk_create(
        HouseholdMember(household=household, birth_year=year) for year in years
    )
    return True


def household_update(
    *,
    actor: User,
    household: Household,
    changes: HouseholdChanges,
    privacy_request: PrivacyRequest | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Save the corrections; returns the names of the fields that changed (audited, never
    their values). With ``privacy_request`` (a correction request), the correction is also
    recorded on that request."""
    organisation = household.organisation
    require_role(actor, organisation, COUNTER_ROLES)
    values = _validated(changes)
    if any(name in values for name in RESTRICTED_FIELDS) and not has_role(
        actor, organisation, SENSITIVE_ROLES
    ):
        raise PermissionDenied(_("Your role does not allow writing income or housing."))
    if privacy_request is not None:
        _check_request(privacy_request, household, actor)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if HouseholdAnonymisation.objects.filter(household=household).exists():
            raise ValidationError(_("This household was anonymised: it cannot be corrected."))
        changed = [name for name, value in values.items() if getattr(household, name) != value]
        for name in changed:
            setattr(household, name, values[name])
        household.search_names = search_names_for(household.first_name, household.last_name)
        household.phone_digits = phone_normalise(household.phone)
        household.save()
        if changes.birth_years is not None and _members_update(household, changes.birth_years):
            changed.append("members.birth_year")
        if not changed:
            return []
        household_tokens_refresh(household=household)
        household_search_words_refresh(household=household)
        audit_record(
            actor=actor,
            action="household.update",
            organisation=organisation,
            obj=household,
            changed_fields=changed,
            request=request,
        )
        if privacy_request is not None:
            audit_record(
                actor=actor,
                action="privacy_request.rectification",
                organisation=organisation,
                obj=privacy_request,
                changed_fields=[f"household.{name}" for name in changed],
                request=request,
            )
    return changed
