"""Shifts: generating occurrences, signing up, staff assignment, cancelling, promotion."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Membership, Organisation, User
from cordee.core.permissions import has_role, require_role
from cordee.core.services.audit import audit_record

from ..models import Shift, ShiftAlert, ShiftSignup, ShiftTemplate, Volunteer
from ..permissions import ALERTED_ROLES, COORDINATOR_ROLES

LATE_CANCEL = timedelta(hours=48)
Status = ShiftSignup.Status


def shift_template_create(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> ShiftTemplate:
    require_role(actor, organisation, COORDINATOR_ROLES)
    if data["site"].organisation_id != organisation.pk:
        raise PermissionDenied(_("This place belongs to another organisation."))
    with transaction.atomic():
        template = ShiftTemplate.objects.create(organisation=organisation, **data)
        audit_record(
            actor=actor,
            action="people.shift_template.create",
            organisation=organisation,
            obj=template,
            changed_fields=list(data),
            request=request,
        )
    return template


def shift_generate(*, actor: User, organisation: Organisation, start: date, end: date) -> int:
    """Create the occurrences of the organisation's active templates from start to end
    (inclusive). Running it again creates nothing new. Returns how many were created."""
    require_role(actor, organisation, COORDINATOR_ROLES)
    if end < start:
        raise ValidationError(_("The end date is before the start date."))
    templates = ShiftTemplate.objects.filter(organisation=organisation, is_active=True)
    created = 0
    with transaction.atomic():
        day = start
        while day <= end:
            for template in templates:
                if template.weekday != day.weekday():
                    continue
                _shift, new = Shift.objects.get_or_create(
                    template=template,
                    date=day,
                    defaults={
                        "organisation": organisation,
                        "site": template.site,
                        "title": template.title,
                        "starts_at": template.starts_at,
                        "ends_at": template.ends_at,
                        "needed": template.needed,
                        "required_certifications": list(template.required_certifications),
                    },
                )
                created += new
            day += timedelta(days=1)
        if created:
            audit_record(
                actor=actor,
                action="people.shift.generate",
                organisation=organisation,
                changed_fields=["date"],
            )
    return created


def is_qualified(volunteer: Volunteer, shift: Shift) -> bool:
    """Holds, on the shift's date, a valid certification of every required kind."""
    needed = set(shift.required_certifications)
    if not needed:
        return True
    held = {c.kind for c in volunteer.certifications.all() if c.valid_on(shift.date)}
    return needed <= held


def _confirmed_count(shift: Shift) -> int:
    return shift.signups.filter(status=Status.CONFIRMED).count()


def _locked(shift: Shift) -> Shift:
    """Lock the shift row so two sign-ups cannot both take the last place."""
    return Shift.objects.select_for_update().get(pk=shift.pk)


def _check_acting_for(actor: User | None, volunteer: Volunteer, organisation: Organisation) -> None:
    """Staff act for anyone of their organisation; a volunteer only for themself."""
    if actor is not None and has_role(actor, organisation, COORDINATOR_ROLES):
        return
    if (
        actor is not None
        and volunteer.user_id == actor.pk
        and Membership.objects.filter(user=actor, organisation=organisation).exists()
    ):
        return
    raise PermissionDenied(_("You can only sign yourself up."))


def _check_open(shift: Shift, volunteer: Volunteer) -> None:
    if not volunteer.memberships.filter(organisation=shift.organisation).exists():
        raise ValidationError(_("This person does not volunteer for this organisation."))
    if shift.start <= timezone.now():
        raise ValidationError(_("This shift has already started."))
    if shift.signups.filter(volunteer=volunteer).exclude(status=Status.CANCELLED).exists():
        raise ValidationError(_("Already signed up for this shift."))


def shift_signup(
    *,
    actor: User | None,
    shift: Shift,
    volunteer: Volunteer,
    standby: bool = False,
    request: HttpRequest | None = None,
) -> ShiftSignup:
    """Confirmed if a place is left and the person holds the required certifications;
    otherwise on the waiting list. `standby` asks to be called only if needed."""
    _check_acting_for(actor, volunteer, shift.organisation)
    with transaction.atomic():
        shift = _locked(shift)
        _check_open(shift, volunteer)
        if standby:
            status = Status.STANDBY
        elif _confirmed_count(shift) < shift.needed and is_qualified(volunteer, shift):
            status = Status.CONFIRMED
        else:
            status = Status.WAITING
        signup = ShiftSignup.objects.create(shift=shift, volunteer=volunteer, status=status)
        audit_record(
            actor=actor,
            action="people.signup.create",
            organisation=shift.organisation,
            obj=signup,
            changed_fields=["status"],
            request=request,
        )
    return signup


def shift_assign(
    *,
    actor: User,
    shift: Shift,
    volunteer: Volunteer,
    request: HttpRequest | None = None,
) -> ShiftSignup:
    """Staff put someone on a shift: only into a free place, and only if qualified."""
    require_role(actor, shift.organisation, COORDINATOR_ROLES)
    with transaction.atomic():
        shift = _locked(shift)
        _check_open(shift, volunteer)
        if _confirmed_count(shift) >= shift.needed:
            raise ValidationError(_("This shift is full. Add the person to the waiting list."))
        if not is_qualified(volunteer, shift):
            raise ValidationError(_("This person lacks a certification this shift requires."))
        signup = ShiftSignup.objects.create(
            shift=shift, volunteer=volunteer, status=Status.CONFIRMED
        )
        audit_record(
            actor=actor,
            action="people.signup.assign",
            organisation=shift.organisation,
            obj=signup,
            changed_fields=["status"],
            request=request,
        )
    return signup


def _promote(shift: Shift) -> ShiftSignup | None:
    """Give free places to the waiting list, first come first served, qualified only."""
    promoted = None
    free = shift.needed - _confirmed_count(shift)
    for waiting in shift.signups.filter(status=Status.WAITING).select_related("volunteer"):
        if free <= 0:
            break
        if is_qualified(waiting.volunteer, shift):
            waiting.status = Status.CONFIRMED
            waiting.save(update_fields=["status"])
            promoted = promoted or waiting
            free -= 1
    return promoted


def _alert_coordinators(signup_id: int) -> None:
    signup = ShiftSignup.objects.select_related("shift__organisation", "volunteer").get(
        pk=signup_id
    )
    shift = signup.shift
    recipients = sorted(
        set(
            Membership.objects.filter(
                organisation=shift.organisation, role__in=ALERTED_ROLES
            ).values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return
    start = timezone.localtime(shift.start)
    send_mail(
        _("Late cancellation: %(title)s") % {"title": shift.title},
        _(
            "%(name)s cannot come to « %(title)s » on %(when)s (%(site)s).\n"
            "Places filled: %(filled)s of %(needed)s.\n\n%(url)s"
        )
        % {
            "name": signup.volunteer.full_name,
            "title": shift.title,
            "when": start.strftime("%Y-%m-%d %H:%M"),
            "site": shift.site.name,
            "filled": _confirmed_count(shift),
            "needed": shift.needed,
            "url": settings.CORDEE_BASE_URL + reverse("people:dashboard"),
        },
        None,
        recipients,
    )


def shift_cancel(
    *,
    actor: User | None,
    signup: ShiftSignup,
    by_token: bool = False,
    request: HttpRequest | None = None,
) -> ShiftSignup:
    """Free the place, promote the waiting list, and alert the coordinator when it is
    less than 48 h before the start. `by_token`: from the reminder link, no sign-in."""
    if not by_token:
        _check_acting_for(actor, signup.volunteer, signup.shift.organisation)
    with transaction.atomic():
        shift = _locked(signup.shift)
        signup = ShiftSignup.objects.select_for_update().get(pk=signup.pk)
        if signup.status == Status.CANCELLED:
            raise ValidationError(_("This sign-up is already cancelled."))
        if shift.start <= timezone.now():
            raise ValidationError(_("This shift has already started."))
        was_confirmed = signup.status == Status.CONFIRMED
        signup.status = Status.CANCELLED
        signup.cancelled_at = timezone.now()
        signup.cancel_token_hash = ""  # the reminder link works once
        signup.save(update_fields=["status", "cancelled_at", "cancel_token_hash"])
        if was_confirmed:
            _promote(shift)
            if shift.start - signup.cancelled_at < LATE_CANCEL:
                ShiftAlert.objects.create(
                    organisation=shift.organisation,
                    shift=shift,
                    signup=signup,
                    kind=ShiftAlert.Kind.LATE_CANCEL,
                )
                transaction.on_commit(partial(_alert_coordinators, signup.pk))
        audit_record(
            actor=actor,
            action="people.signup.cancel",
            organisation=shift.organisation,
            obj=signup,
            changed_fields=["status", "cancelled_at"],
            request=request,
        )
    return signup
