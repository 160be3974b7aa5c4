"""Writes of the Law 25 tools: profile and policy, retention (anonymisation), access
requests, the incident register and privacy impact assessments."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cordee.core.models import Organisation, Role, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import AgeBand, Household
from ..models_matching import HouseholdMatchToken
from ..models_privacy import (
    HouseholdAnonymisation,
    PiaAnswer,
    PiaAssessment,
    PrivacyIncident,
    PrivacyProfile,
    PrivacyRequest,
    PrivacyRequestKind,
    RetentionCategory,
    RetentionRule,
    RiskLevel,
)
from ..selectors.privacy import (
    privacy_can_manage,
    retention_households,
    retention_rule_list,
    retention_visits,
)
from .search_index import household_search_words_refresh

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The fixed checklist of a privacy impact assessment (EFVP), as data: key → question.
PIA_QUESTIONS: "tuple[tuple[str, StrOrPromise], ...]" = (
    ("purpose", gettext_lazy("Is each purpose of the collection written down and necessary?")),
    ("minimum", gettext_lazy("Is only the information needed for those purposes collected?")),
    ("consent", gettext_lazy("Is consent asked clearly, separately for each purpose?")),
    ("sensitive", gettext_lazy("Is sensitive information (income, health, notes) restricted?")),
    ("access", gettext_lazy("Do only the people who need it have access, by role?")),
    ("log", gettext_lazy("Are readings of sensitive information logged?")),
    ("retention", gettext_lazy("Is there a retention period and a destruction rule?")),
    ("outside_quebec", gettext_lazy("Is information sent or stored outside Québec?")),
    ("providers", gettext_lazy("Do the providers sign a confidentiality agreement?")),
    ("security", gettext_lazy("Are there security measures (passwords, two-step sign-in)?")),
    ("incidents", gettext_lazy("Is there a plan if a confidentiality incident happens?")),
    ("rights", gettext_lazy("Can people see, correct and get a copy of their information?")),
)
PIA_KEYS = frozenset(key for key, _question in PIA_QUESTIONS)

ANONYMISED_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "search_names",
    "phone_digits",
    "income_source",
    "housing_type",
    "health_notes",
    "proof_seen_on",
    "proof_seen_by",
)


def require_privacy_manage(actor: User, organisation: Organisation) -> None:
    if not privacy_can_manage(actor, organisation):
        raise PermissionDenied(_("Only the administrator or the person in charge may do this."))


def _check_not_future(value: date | None, field: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError({field: _("This date cannot be in the future.")})


# --- Person in charge and policy ------------------------------------------------------------


def privacy_profile_save(
    *,
    actor: User,
    organisation: Organisation,
    officer_name: str,
    officer_title: str = "",
    officer_email: str = "",
    officer_phone: str = "",
    officer_user: User | None = None,
    policy_text: str = "",
    policy_version: str = "",
    policy_published_on: date | None = None,
    request: HttpRequest | None = None,
) -> PrivacyProfile:
    """Only the administrator names the person in charge (it grants access to these tools)."""
    require_role(actor, organisation, {Role.ORG_ADMIN})
    officer_name = " ".join(officer_name.split())
    if not officer_name:
        raise ValidationError({"officer_name": _("Write the name of the person in charge.")})
    if not (officer_email.strip() or officer_phone.strip()):
        raise ValidationError({"officer_email": _("Write an e-mail or a phone number.")})
    if (
        officer_user is not None
        and not officer_user.memberships.filter(organisation=organisation).exists()
    ):
        raise ValidationError({"officer_user": _("Choose a person of your organisation.")})
    if policy_published_on and not policy_text.strip():
        raise ValidationError({"policy_text": _("Write the policy before publishing it.")})
    values = {
        "officer_name": officer_name,
        "officer_title": officer_title.strip(),
        "officer_email": officer_email.strip(),
        "officer_phone": officer_phone.strip(),
        "officer_user": officer_user,
        "policy_text": policy_text.strip(),
        "policy_version": policy_version.strip(),
        "policy_published_on": policy_published_on,
    }
    with transaction.atomic():
        profile, _created = PrivacyProfile.objects.update_or_create(
            organisation=organisation, defaults=values
        )
        audit_record(
            actor=actor,
            action="privacy.profile_save",
            organisation=organisation,
            obj=profile,
            changed_fields=values.keys(),
            request=request,
        )
    return profile


# --- Retention --------------------------------------------------------------------------------


def retention_rule_set(
    *,
    actor: User,
    organisation: Organisation,
    category: str,
    months: int,
    active: bool = True,
    request: HttpRequest | None = None,
) -> RetentionRule:
    require_privacy_manage(actor, organisation)
    if category not in RetentionCategory.values:
        raise ValidationError({"category": _("Choose one of the answers in the list.")})
    if not 1 <= months <= 600:
        raise ValidationError({"months": _("Write a number of months between 1 and 600.")})
    with transaction.atomic():
        rule, _created = RetentionRule.objects.update_or_create(
            organisation=organisation,
            category=category,
            defaults={"months": months, "active": active},
        )
        audit_record(
            actor=actor,
            action="privacy.retention_rule_set",
            organisation=organisation,
            obj=rule,
            changed_fields=["months", "active"],
            request=request,
        )
    return rule


def _age_band(birth_year: int, today: date) -> str:
    age = today.year - birth_year
    if age < 18:
        return str(AgeBand.CHILD)
    return str(AgeBand.ADULT) if age < 65 else str(AgeBand.SENIOR)


def household_anonymise(
    *,
    actor: User | None,
    household: Household,
    reason: str,
    request: HttpRequest | None = None,
) -> bool:
    """Blank names, contacts, search tokens and income/housing; keep the municipality, the
    number of people, age bands and visits for statistics. False when already anonymised.
    The caller checks permission (the retention job runs without a person)."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if HouseholdAnonymisation.objects.filter(household=household).exists():
            return False
        for name in ANONYMISED_FIELDS:
            setattr(household, name, None if name in ("proof_seen_on", "proof_seen_by") else "")
        household.save(update_fields=ANONYMISED_FIELDS)
        household_search_words_refresh(household=household)  # no words left: never found
        # Nor matched across the network any more: its keyed-hash tokens go too.
        HouseholdMatchToken.objects.filter(household=household).delete()
        today = timezone.localdate()
        for member in household.members.exclude(birth_year=None):
            member.age_band = member.age_band or _age_band(member.birth_year or 0, today)
            member.birth_year = None
            member.save(update_fields=["age_band", "birth_year"])
        HouseholdAnonymisation.objects.create(household=household, reason=reason[:40])
        # After the blanking, so the audit log never keeps the name.
        audit_record(
            actor=actor,
            action="household.anonymise",
            organisation=household.organisation,
            obj=household,
            changed_fields=[*ANONYMISED_FIELDS, "members.birth_year"],
            request=request,
        )
    return True


@dataclass
class RetentionResult:
    households: int = 0
    visits: int = 0


def retention_apply(
    *,
    organisation: Organisation,
    actor: User | None = None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> RetentionResult:
    """Apply the organisation's active rules. Idempotent: a second run changes nothing.
    `actor` is None for the daily job; a person must be allowed to manage privacy."""
    if actor is not None:
        require_privacy_manage(actor, organisation)
    now = now or timezone.now()
    result = RetentionResult()
    for rule in retention_rule_list(org=organisation).filter(active=True):
        if rule.category == RetentionCategory.HOUSEHOLDS:
            for household in retention_households(org=organisation, months=rule.months, now=now):
                result.households += household_anonymise(
                    actor=actor, household=household, reason="retention", request=request
                )
        elif rule.category == RetentionCategory.VISITS:
            with transaction.atomic():
                result.visits += retention_visits(
                    org=organisation, months=rule.months, now=now
                ).update(override_reason="")
    if result.households or result.visits:
        audit_record(
            actor=actor,
            action="privacy.retention_apply",
            organisation=organisation,
            changed_fields=[
                name for name, n in vars(result).items() if n
            ],  # categories touched; counts are in the page and the command output
            request=request,
        )
    return result


def retention_apply_all(*, now: datetime | None = None) -> RetentionResult:
    """Every organisation with an active rule: what the daily job runs."""
    total = RetentionResult()
    ids = RetentionRule.objects.filter(active=True).values_list("organisation", flat=True)
    for organisation in Organisation.objects.filter(pk__in=ids.distinct()):
        result = retention_apply(organisation=organisation, now=now)
        total.households += result.households
        total.visits += result.visits
    return total


# --- Access, portability, rectification and deletion requests ---------------------------------


def privacy_request_register(
    *,
    actor: User,
    organisation: Organisation,
    household: Household,
    kind: str,
    received_on: date,
    details: str = "",
    request: HttpRequest | None = None,
) -> PrivacyRequest:
    require_privacy_manage(actor, organisation)
    if household.organisation_id != organisation.pk:
        raise ValidationError({"household": _("Choose a household of your organisation.")})
    if kind not in PrivacyRequestKind.values:
        raise ValidationError({"kind": _("Choose one of the answers in the list.")})
    _check_not_future(received_on, "received_on")
    with transaction.atomic():
        privacy_request = PrivacyRequest.objects.create(
            organisation=organisation,
            household=household,
            kind=kind,
            received_on=received_on,
            details=details.strip(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="privacy_request.register",
            organisation=organisation,
            obj=privacy_request,
            changed_fields=["household", "kind", "received_on", "details"],
            request=request,
        )
    return privacy_request


def privacy_request_export_record(
    *, actor: User, privacy_request: PrivacyRequest, fmt: str, request: HttpRequest | None = None
) -> None:
    """Every copy of a person's data that leaves Cordée leaves a trace."""
    require_privacy_manage(actor, privacy_request.organisation)
    audit_record(
        actor=actor,
        action=f"privacy_request.export_{fmt}",
        organisation=privacy_request.organisation,
        obj=privacy_request,
        # Intervention notes, when a social worker exports, log their own reads (notes.py).
        changed_fields=["household", "members", "consents", "visits", "referrals"],
        request=request,
    )


def privacy_request_complete(
    *,
    actor: User,
    privacy_request: PrivacyRequest,
    answer: str,
    completed_on: date | None = None,
    request: HttpRequest | None = None,
) -> PrivacyRequest:
    """Record the answer. A deletion request anonymises the household (visits stay as
    anonymous statistics)."""
    organisation = privacy_request.organisation
    require_privacy_manage(actor, organisation)
    if privacy_request.completed_on is not None:
        raise ValidationError(_("This request was already answered."))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write in a few words what was done.")})
    completed_on = completed_on or timezone.localdate()
    _check_not_future(completed_on, "completed_on")
    if completed_on < privacy_request.received_on:
        raise ValidationError({"completed_on": _("The answer cannot come before the request.")})
    with transaction.atomic():
        privacy_request.completed_on = completed_on
        privacy_request.completed_by = actor
        privacy_request.answer = answer
        privacy_request.save(update_fields=["completed_on", "completed_by", "answer"])
        if privacy_request.kind == PrivacyRequestKind.DELETION and privacy_request.household:
            household_anonymise(
                actor=actor,
                household=privacy_request.household,
                reason="deletion_request",
                request=request,
            )
        audit_record(
            actor=actor,
            action="privacy_request.complete",
            organisation=organisation,
            obj=privacy_request,
            changed_fields=["completed_on", "completed_by", "answer"],
            request=request,
        )
    return privacy_request


# --- Confidentiality incidents ----------------------------------------------------------------


def privacy_incident_record(
    *,
    actor: User,
    organisation: Organisation,
    discovered_on: date,
    description: str,
    information_concerned: str,
    people_count: int,
    occurred_on: date | None = None,
    risk_level: str = RiskLevel.UNKNOWN,
    risk_assessment: str = "",
    cai_notified_on: date | None = None,
    persons_notified_on: date | None = None,
    measures_taken: str = "",
    request: HttpRequest | None = None,
) -> PrivacyIncident:
    require_privacy_manage(actor, organisation)
    for name, value in (
        ("occurred_on", occurred_on),
        ("discovered_on", discovered_on),
        ("cai_notified_on", cai_notified_on),
        ("persons_notified_on", persons_notified_on),
    ):
        _check_not_future(value, name)
    if occurred_on and occurred_on > discovered_on:
        raise ValidationError(
            {"discovered_on": _("The discovery cannot come before the incident.")}
        )
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    if not information_concerned.strip():
        raise ValidationError(
            {"information_concerned": _("Write which personal information is concerned.")}
        )
    if risk_level not in RiskLevel.values:
        raise ValidationError({"risk_level": _("Choose one of the answers in the list.")})
    with transaction.atomic():
        incident = PrivacyIncident.objects.create(
            organisation=organisation,
            occurred_on=occurred_on,
            discovered_on=discovered_on,
            description=description.strip(),
            information_concerned=information_concerned.strip(),
            people_count=people_count,
            risk_level=risk_level,
            risk_assessment=risk_assessment.strip(),
            cai_notified_on=cai_notified_on,
            persons_notified_on=persons_notified_on,
            measures_taken=measures_taken.strip(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="privacy_incident.record",
            organisation=organisation,
            obj=incident,
            changed_fields=["discovered_on", "description", "people_count", "risk_level"],
            request=request,
        )
    return incident


def privacy_incident_follow_up(
    *,
    actor: User,
    incident: PrivacyIncident,
    cai_notified_on: date | None,
    persons_notified_on: date | None,
    measures_taken: str,
    request: HttpRequest | None = None,
) -> list[str]:
    """Complete the register later: who was notified when, and the measures taken. Returns the
    names of the fields that changed (audited, never their values)."""
    require_privacy_manage(actor, incident.organisation)
    for name, value in (
        ("cai_notified_on", cai_notified_on),
        ("persons_notified_on", persons_notified_on),
    ):
        _check_not_future(value, name)
        if value and value < incident.discovered_on:
            raise ValidationError({name: _("A notice cannot come before the discovery.")})
    values: dict[str, object] = {
        "cai_notified_on": cai_notified_on,
        "persons_notified_on": persons_notified_on,
        "measures_taken": measures_taken.strip(),
    }
    with transaction.atomic():
        incident = PrivacyIncident.objects.select_for_update().get(pk=incident.pk)
        changed = [name for name, value in values.items() if getattr(incident, name) != value]
        if not changed:
            return []
        for name in changed:
            setattr(incident, name, values[name])
        incident.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="privacy_incident.follow_up",
            organisation=incident.organisation,
            obj=incident,
            changed_fields=changed,
            request=request,
        )
    return changed


# --- Privacy impact assessments ---------------------------------------------------------------


def pia_record(
    *,
    actor: User,
    organisation: Organisation,
    project: str,
    answers: dict[str, dict[str, str]],
    completed_on: date | None = None,
    request: HttpRequest | None = None,
) -> PiaAssessment:
    """Every question of PIA_QUESTIONS needs an answer (yes, no or does not apply)."""
    require_privacy_manage(actor, organisation)
    project = " ".join(project.split())
    if not project:
        raise ValidationError({"project": _("Write which project or system is assessed.")})
    missing = [
        key for key in PIA_KEYS if answers.get(key, {}).get("answer") not in PiaAnswer.values
    ]
    if missing:
        raise ValidationError(_("Answer every question (yes, no or does not apply)."))
    completed_on = completed_on or timezone.localdate()
    _check_not_future(completed_on, "completed_on")
    clean = {
        key: {"answer": answers[key]["answer"], "notes": answers[key].get("notes", "").strip()}
        for key, _question in PIA_QUESTIONS
    }
    with transaction.atomic():
        assessment = PiaAssessment.objects.create(
            organisation=organisation,
            project=project[:200],
            answers=clean,
            completed_on=completed_on,
            completed_by=actor,
        )
        audit_record(
            actor=actor,
            action="privacy.pia_record",
            organisation=organisation,
            obj=assessment,
            changed_fields=["project", "answers", "completed_on"],
            request=request,
        )
    return assessment
