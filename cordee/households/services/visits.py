"""Check-in at the counter: record a visit (or say why not), and undo it for 5 minutes."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site, User
from cordee.core.permissions import has_role, require_role
from cordee.core.services.audit import audit_record

from ..models import Household, Visit, VisitType
from ..permissions import COUNTER_ROLES, OVERRIDE_ROLES
from ..selectors.eligibility import Eligibility, eligibility_for

UNDO_WINDOW = timedelta(minutes=5)
MAX_WEIGHT_G = 200_000  # 200 kg: more is a typing mistake


@dataclass(frozen=True)
class CheckIn:
    """What the volunteer is told: the visit when recorded, else why not."""

    visit: Visit | None
    eligibility: Eligibility

    @property
    def recorded(self) -> bool:
        return self.visit is not None


def visit_check_in(
    *,
    actor: User,
    household: Household,
    organisation: Organisation,
    visit_type: str = VisitType.BASKET,
    people_served: int | None = None,
    weight_g: int | None = None,
    site: Site | None = None,
    override_reason: str = "",
    at: datetime | None = None,
    request: HttpRequest | None = None,
) -> CheckIn:
    """Record the visit when eligible; otherwise only with an authorised person's reason."""
    if household.organisation_id != organisation.pk:
        raise PermissionDenied  # one organisation never records another's household
    require_role(actor, organisation, COUNTER_ROLES)
    if visit_type not in VisitType.values:
        raise ValidationError({"visit_type": _("Choose the kind of visit.")})
    if site is not None and site.organisation_id != organisation.pk:
        raise PermissionDenied
    people = household.people_count if people_served is None else people_served
    if not 1 <= people <= 30:
        raise ValidationError({"people_served": _("Write a number of people between 1 and 30.")})
    if weight_g is not None and not 0 <= weight_g <= MAX_WEIGHT_G:
        raise ValidationError({"weight_g": _("Write a weight between 0 and 200 kg.")})
    at = at or timezone.now()
    eligibility = eligibility_for(household, timezone.localtime(at).date(), visit_type=visit_type)
    override_reason = " ".join(override_reason.split())[:300]
    if not eligibility.eligible:
        if not override_reason:
            return CheckIn(None, eligibility)
        if not has_role(actor, organisation, OVERRIDE_ROLES):
            raise PermissionDenied(_("Only a coordinator can make an exception. Ask one."))
    with transaction.atomic():
        visit = Visit.objects.create(
            household=household,
            organisation=organisation,
            site=site,
            visited_at=at,
            visit_type=visit_type,
            people_served=people,
            weight_g=weight_g,
            recorded_by=actor,
            override_reason=override_reason if not eligibility.eligible else "",
        )
        Household.objects.filter(pk=household.pk).update(last_visit_at=at)
        audit_record(
            actor=actor,
            action="visit.override" if visit.override_reason else "visit.check_in",
            organisation=organisation,
            obj=visit,
            changed_fields=["visit_type", "people_served"]
            + (["site"] if site is not None else [])
            + (["weight_g"] if weight_g is not None else [])
            + (["override_reason"] if visit.override_reason else []),
            request=request,
        )
    return CheckIn(visit, eligibility)


def visit_can_undo(visit: Visit, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return visit.cancelled_at is None and now - visit.visited_at <= UNDO_WINDOW


def visit_undo(
    *,
    actor: User,
    visit: Visit,
    organisation: Organisation,
    request: HttpRequest | None = None,
) -> Visit:
    """Cancel a visit recorded less than 5 minutes ago, by the same organisation."""
    if visit.organisation_id != organisation.pk:
        raise PermissionDenied
    require_role(actor, organisation, COUNTER_ROLES)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.cancelled_at is not None:
            raise ValidationError(_("This visit was already cancelled."))
        if not visit_can_undo(visit):
            raise ValidationError(_("Too late to cancel: more than 5 minutes have passed."))
        visit.cancelled_at = timezone.now()
        visit.save(update_fields=["cancelled_at"])
        last = (
            Visit.objects.filter(household_id=visit.household_id, cancelled_at__isnull=True)
            .order_by("-visited_at")
            .values_list("visited_at", flat=True)
            .first()
        )
        Household.objects.filter(pk=visit.household_id).update(last_visit_at=last)
        audit_record(
            actor=actor,
            action="visit.undo",
            organisation=organisation,
            obj=visit,
            changed_fields=["cancelled_at"],
            request=request,
        )
    return visit
