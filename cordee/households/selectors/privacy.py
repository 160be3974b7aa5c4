"""Reads of the Law 25 tools, always within one organisation."""

import calendar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Role, User
from cordee.core.permissions import has_role, is_member

from ..models import Household, Visit
from ..models_privacy import (
    PiaAssessment,
    PrivacyIncident,
    PrivacyProfile,
    PrivacyRequest,
    RetentionCategory,
    RetentionRule,
)
from ..models_referrals import Referral
from ..services.notes import NOTE_ROLES, intervention_notes_read

# Read-only access for coordinators; writes for the admin and the person in charge.
READ_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR})
EXAMPLES = 5


def privacy_profile_get(*, org: Organisation) -> PrivacyProfile | None:
    return PrivacyProfile.objects.filter(organisation=org).select_related("officer_user").first()


def privacy_can_manage(user: User, org: Organisation) -> bool:
    """The organisation's admin, or the person in charge (while still a member)."""
    if has_role(user, org, {Role.ORG_ADMIN}):
        return True
    profile = privacy_profile_get(org=org)
    return bool(profile and profile.officer_user_id == user.pk and user.pk and is_member(user, org))


def privacy_can_read(user: User, org: Organisation) -> bool:
    return has_role(user, org, READ_ROLES) or privacy_can_manage(user, org)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_households(*, org: Organisation, months: int, now: datetime) -> QuerySet[Household]:
    """Households with no visit for `months` (or never visited and registered that long ago),
    not yet anonymised, and with no open access request (their data is being answered for)."""
    cutoff = months_before(now, months)
    open_request = PrivacyRequest.objects.filter(household=OuterRef("pk"), completed_on=None)
    return (
        Household.objects.filter(organisation=org, anonymisation__isnull=True)
        .filter(Q(last_visit_at__lt=cutoff) | Q(last_visit_at=None, created_at__lt=cutoff))
        .filter(~Exists(open_request))
        .order_by("last_visit_at", "pk")
    )


def retention_visits(*, org: Organisation, months: int, now: datetime) -> QuerySet[Visit]:
    """Visits older than `months` that still carry a free-text reason (it may name people)."""
    cutoff = months_before(now, months)
    return (
        Visit.objects.filter(organisation=org, visited_at__lt=cutoff)
        .exclude(override_reason="")
        .order_by("visited_at", "pk")
    )


@dataclass
class RetentionPreviewRow:
    rule: RetentionRule
    count: int
    examples: list[str] = field(default_factory=list)


def retention_rule_list(*, org: Organisation) -> QuerySet[RetentionRule]:
    return RetentionRule.objects.filter(organisation=org)


def retention_preview(
    *, org: Organisation, now: datetime | None = None
) -> list[RetentionPreviewRow]:
    """What applying the active rules now WOULD change: a count and a few examples each."""
    now = now or timezone.now()
    rows = []
    for rule in retention_rule_list(org=org).filter(active=True):
        if rule.category == RetentionCategory.HOUSEHOLDS:
            households = retention_households(org=org, months=rule.months, now=now)
            examples = [
                _("Card %(card)s — last visit: %(when)s")
                % {
                    "card": h.card_number,
                    "when": timezone.localtime(h.last_visit_at).date() if h.last_visit_at else "—",
                }
                for h in households[:EXAMPLES]
            ]
            rows.append(RetentionPreviewRow(rule, households.count(), examples))
        else:
            visits = retention_visits(org=org, months=rule.months, now=now)
            examples = [
                f"{timezone.localtime(v.visited_at).date()} — {v.get_visit_type_display()}"
                for v in visits[:EXAMPLES]
            ]
            rows.append(RetentionPreviewRow(rule, visits.count(), examples))
    return rows


def privacy_request_list(*, org: Organisation) -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.filter(organisation=org).select_related("household")


def privacy_request_get(*, org: Organisation, pk: int) -> PrivacyRequest:
    return get_object_or_404(
        PrivacyRequest.objects.select_related("household", "completed_by"), organisation=org, pk=pk
    )


def household_data(
    *,
    org: Organisation,
    household: Household,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> dict[str, Any]:
    """Everything Cordée holds about one household of `org`, in a structured form (Law 25
    portability). Never reads another organisation's rows.

    Intervention notes are included only when `actor` is one of the organisation's social
    workers, read through the notes service so each one leaves its audit event; for anyone
    else "intervention_notes" is None (not shown), never an empty list that would say "none"."""
    if household.organisation_id != org.pk:
        raise ValueError("household of another organisation")
    visits = Visit.objects.filter(organisation=org, household=household).order_by("visited_at")
    notes = None
    if actor is not None and has_role(actor, org, NOTE_ROLES):
        notes = [
            {
                "written_at": timezone.localtime(n.written_at).isoformat(timespec="minutes"),
                "written_by": str(n.author or ""),
                "follow_up_on": _iso(n.follow_up_on),
                "text": n.text,
            }
            for n in reversed(
                intervention_notes_read(
                    actor=actor, organisation=org, household=household, request=request
                )
            )
        ]
    return {
        "organisation": org.name,
        "exported_at": timezone.localtime().isoformat(timespec="seconds"),
        "household": {
            "card_number": household.card_number,
            "first_name": household.first_name,
            "last_name": household.last_name,
            "phone": household.phone,
            "email": household.email,
            "municipality": household.municipality.name if household.municipality else "",
            "people_count": household.people_count,
            "household_type": household.get_household_type_display(),
            "income_source": household.get_income_source_display(),
            "housing_type": household.get_housing_type_display(),
            "health_notes": household.health_notes,
            "proof_seen_on": _iso(household.proof_seen_on),
            "registered_on": _iso(timezone.localtime(household.created_at).date()),
        },
        "members": [
            {"age_band": m.get_age_band_display(), "birth_year": m.birth_year}
            for m in household.members.order_by("pk")
        ],
        "consents": [
            {
                "purpose": c.get_purpose_display(),
                "given_on": _iso(c.given_on),
                "method": c.get_method_display(),
                "notice_version": c.notice_version,
                "expires_on": _iso(c.expires_on),
                "withdrawn_on": _iso(c.withdrawn_on),
            }
            for c in household.consents.order_by("given_on", "pk")
        ],
        "visits": [
            {
                "visited_at": timezone.localtime(v.visited_at).isoformat(timespec="minutes"),
                "type": v.get_visit_type_display(),
                "people_served": v.people_served,
                "weight_kg": round(v.weight_g / 1000, 1) if v.weight_g else None,
                "cancelled": v.cancelled_at is not None,
                "reason_for_exception": v.override_reason,
            }
            for v in visits
        ],
        "referrals": _referrals(org, household),
        "intervention_notes": notes,
    }


def _referrals(org: Organisation, household: Household) -> list[dict[str, Any]]:
    """The household's referrals sent by `org` (a household belongs to one organisation:
    referrals received about it are the other organisation's own copy)."""
    referrals = (
        Referral.objects.filter(from_organisation=org, household=household)
        .select_related("to_organisation")
        .order_by("sent_at", "pk")
    )
    return [
        {
            "sent_on": _iso(timezone.localtime(r.sent_at).date()),
            "to": r.to_organisation.name,
            "service": r.get_service_display(),
            "reason": r.reason,
            "shared": r.get_shared_display(),
            "note": r.note,
            "status": r.get_status_display(),
            "answer": r.response,
        }
        for r in referrals
    ]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def privacy_incident_list(*, org: Organisation) -> QuerySet[PrivacyIncident]:
    return PrivacyIncident.objects.filter(organisation=org)


def privacy_incident_get(*, org: Organisation, pk: int) -> PrivacyIncident:
    return get_object_or_404(PrivacyIncident, organisation=org, pk=pk)


def pia_list(*, org: Organisation) -> QuerySet[PiaAssessment]:
    return PiaAssessment.objects.filter(organisation=org).select_related("completed_by")


def pia_get(*, org: Organisation, pk: int) -> PiaAssessment:
    return get_object_or_404(PiaAssessment, organisation=org, pk=pk)


def public_privacy_profile(*, slug: str) -> PrivacyProfile:
    """The published policy and contact only; 404 until a policy is published."""
    return get_object_or_404(
        PrivacyProfile.objects.select_related("organisation"),
        organisation__slug=slug,
        policy_published_on__isnull=False,
    )
