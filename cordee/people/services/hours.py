"""Volunteer hours: check-in/out at a site, self-reported hours, approval by a coordinator.

Check-in/out and hours entered by staff count at once (approved); hours a person reports
themself wait for a coordinator.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site, User
from cordee.core.permissions import has_role, is_member, require_role
from cordee.core.services.audit import audit_record

from ..models import HoursEntry, Volunteer
from ..permissions import COORDINATOR_ROLES

Source = HoursEntry.Source
Status = HoursEntry.Status
# A day of 16 hours is the most anyone reports in one entry; more is a typo.
MAX_MINUTES = 16 * 60


def _check_self_or_staff(actor: User, volunteer: Volunteer, organisation: Organisation) -> None:
    """Staff act for anyone of their organisation; a volunteer only for themself."""
    if not volunteer.memberships.filter(organisation=organisation).exists():
        raise PermissionDenied(_("This person is not a volunteer of this organisation."))
    if has_role(actor, organisation, COORDINATOR_ROLES):
        return
    if volunteer.user_id == actor.pk and is_member(actor, organisation):
        return
    raise PermissionDenied(_("You can only record your own hours."))


def hours_check_in(
    *,
    actor: User,
    volunteer: Volunteer,
    site: Site,
    at: datetime | None = None,
    request: HttpRequest | None = None,
) -> HoursEntry:
    organisation = site.organisation
    _check_self_or_staff(actor, volunteer, organisation)
    try:
        with transaction.atomic():
            entry = HoursEntry.objects.create(
                volunteer=volunteer,
                organisation=organisation,
                site=site,
                started_at=at or timezone.now(),
                source=Source.CHECK_IN,
                status=Status.APPROVED,
            )
            audit_record(
                actor=actor,
                action="people.hours.check_in",
                organisation=organisation,
                obj=entry,
                changed_fields=["started_at", "site"],
                request=request,
            )
    except IntegrityError:
        # The unique constraint: the person is already checked in somewhere.
        raise ValidationError(_("You are already checked in.")) from None
    return entry


def open_check_in(*, volunteer: Volunteer) -> HoursEntry | None:
    return HoursEntry.objects.filter(
        volunteer=volunteer, source=Source.CHECK_IN, ended_at__isnull=True
    ).first()


def hours_check_out(
    *,
    actor: User,
    volunteer: Volunteer,
    at: datetime | None = None,
    request: HttpRequest | None = None,
) -> HoursEntry:
    with transaction.atomic():
        entry = (
            HoursEntry.objects.select_for_update()
            .filter(volunteer=volunteer, source=Source.CHECK_IN, ended_at__isnull=True)
            .first()
        )
        if entry is None:
            raise ValidationError(_("You are not checked in."))
        _check_self_or_staff(actor, volunteer, entry.organisation)
        end = at or timezone.now()
        if end < entry.started_at:
            raise ValidationError(_("The end is before the start."))
        entry.ended_at = end
        # Whole minutes, rounded down: a check-out a few seconds later changes nothing.
        entry.minutes = min(int((end - entry.started_at).total_seconds() // 60), MAX_MINUTES)
        entry.save(update_fields=["ended_at", "minutes"])
        audit_record(
            actor=actor,
            action="people.hours.check_out",
            organisation=entry.organisation,
            obj=entry,
            changed_fields=["ended_at", "minutes"],
            request=request,
        )
    return entry


def hours_report(
    *,
    actor: User,
    organisation: Organisation,
    volunteer: Volunteer,
    started_at: datetime,
    minutes: int,
    site: Site | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> HoursEntry:
    """Hours reported after the fact. A person's own report waits for approval; hours entered
    by a coordinator count at once."""
    _check_self_or_staff(actor, volunteer, organisation)
    if site is not None and site.organisation_id != organisation.pk:
        raise PermissionDenied(_("This place belongs to another organisation."))
    if not 0 < minutes <= MAX_MINUTES:
        raise ValidationError(_("Enter between a few minutes and 16 hours."))
    if started_at > timezone.now():
        raise ValidationError(_("This date is in the future."))
    by_staff = has_role(actor, organisation, COORDINATOR_ROLES) and volunteer.user_id != actor.pk
    with transaction.atomic():
        entry = HoursEntry.objects.create(
            volunteer=volunteer,
            organisation=organisation,
            site=site,
            started_at=started_at,
            minutes=minutes,
            note=note,
            source=Source.STAFF if by_staff else Source.SELF_REPORTED,
            status=Status.APPROVED if by_staff else Status.PENDING,
            approved_by=actor if by_staff else None,
            decided_at=timezone.now() if by_staff else None,
        )
        audit_record(
            actor=actor,
            action="people.hours.report",
            organisation=organisation,
            obj=entry,
            changed_fields=["started_at", "minutes", "note"],
            request=request,
        )
    return entry


def hours_decide(
    *,
    actor: User,
    entry: HoursEntry,
    approve: bool,
    request: HttpRequest | None = None,
) -> HoursEntry:
    """A coordinator approves or refuses self-reported hours (never their own)."""
    require_role(actor, entry.organisation, COORDINATOR_ROLES)
    with transaction.atomic():
        entry = HoursEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != Status.PENDING:
            raise ValidationError(_("These hours were already looked at."))
        if entry.volunteer.user_id == actor.pk:
            raise PermissionDenied(_("Another coordinator must approve your own hours."))
        entry.status = Status.APPROVED if approve else Status.REFUSED
        entry.approved_by = actor
        entry.decided_at = timezone.now()
        entry.save(update_fields=["status", "approved_by", "decided_at"])
        audit_record(
            actor=actor,
            action="people.hours.approve" if approve else "people.hours.refuse",
            organisation=entry.organisation,
            obj=entry,
            changed_fields=["status"],
            request=request,
        )
    return entry
