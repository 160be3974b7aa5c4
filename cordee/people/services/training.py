"""Training writes: comfort level, completion, sessions and their seats, guided tips."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, User
from cordee.core.permissions import has_role, is_member, require_role
from cordee.core.services.audit import audit_record

from ..models_training import (
    Comfort,
    TrainingModule,
    TrainingPreference,
    TrainingProgress,
    TrainingSession,
    TrainingSessionSignup,
)
from ..permissions import COORDINATOR_ROLES
from ..selectors_training import TIPS, Person, modules_for_org
from ..training_seed import LIBRARY


def _check_person(*, actor: User, organisation: Organisation, person: Person) -> None:
    """A person acts for themself; a coordinator also for the organisation's volunteers."""
    if person.user is not None:
        if person.user.pk != actor.pk:
            raise PermissionDenied(_("You can only change your own training."))
        if not is_member(actor, organisation):
            raise Http404
        return
    volunteer = person.volunteer
    if volunteer is None or not volunteer.memberships.filter(organisation=organisation).exists():
        raise Http404
    if volunteer.user_id != actor.pk:
        require_role(actor, organisation, COORDINATOR_ROLES)


def training_comfort_set(
    *,
    actor: User,
    organisation: Organisation,
    person: Person,
    comfort: str,
    request: HttpRequest | None = None,
) -> TrainingPreference:
    if comfort not in Comfort.values:
        raise ValidationError(_("Choose one of the three answers."))
    _check_person(actor=actor, organisation=organisation, person=person)
    with transaction.atomic():
        pref, _created = TrainingPreference.objects.get_or_create(**person.lookup())  # type: ignore[arg-type]
        pref.comfort = comfort
        pref.save(update_fields=["comfort"])
        audit_record(
            actor=actor,
            action="people.training.comfort",
            organisation=organisation,
            obj=pref,
            changed_fields=["comfort"],
            request=request,
        )
    return pref


def training_module_complete(
    *,
    actor: User,
    organisation: Organisation,
    person: Person,
    module: TrainingModule,
    request: HttpRequest | None = None,
) -> TrainingProgress:
    """Mark the module done (today); doing it twice keeps the first date."""
    _check_person(actor=actor, organisation=organisation, person=person)
    if not modules_for_org(org=organisation).filter(pk=module.pk).exists():
        raise Http404
    today = timezone.localdate()
    with transaction.atomic():
        progress, _created = TrainingProgress.objects.select_for_update().get_or_create(
            module=module,
            **person.lookup(),  # type: ignore[arg-type]
            defaults={"started_on": today},
        )
        if progress.completed_on is None:
            progress.completed_on = today
            progress.save(update_fields=["completed_on"])
            audit_record(
                actor=actor,
                action="people.training.complete",
                organisation=organisation,
                obj=progress,
                changed_fields=["completed_on"],
                request=request,
            )
    return progress


def training_session_create(
    *,
    actor: User,
    organisation: Organisation,
    module: TrainingModule,
    starts_at: datetime,
    place: str,
    seats: int,
    request: HttpRequest | None = None,
) -> TrainingSession:
    require_role(actor, organisation, COORDINATOR_ROLES)
    if not modules_for_org(org=organisation).filter(pk=module.pk).exists():
        raise Http404
    if seats < 1:
        raise ValidationError(_("A session needs at least one seat."))
    if starts_at < timezone.now():
        raise ValidationError(_("Choose a date in the future."))
    with transaction.atomic():
        session = TrainingSession.objects.create(
            organisation=organisation, module=module, starts_at=starts_at, place=place, seats=seats
        )
        audit_record(
            actor=actor,
            action="people.training_session.create",
            organisation=organisation,
            obj=session,
            changed_fields=["module", "starts_at", "place", "seats"],
            request=request,
        )
    return session


def training_session_signup(
    *,
    actor: User,
    session: TrainingSession,
    person: Person,
    request: HttpRequest | None = None,
) -> TrainingSessionSignup:
    """Take a seat. The session row is locked so two last-seat sign-ups cannot both pass."""
    organisation = session.organisation
    _check_person(actor=actor, organisation=organisation, person=person)
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.starts_at < timezone.now():
            raise ValidationError(_("This session is over."))
        lookup = person.lookup()
        existing = locked.signups.filter(**lookup).first()  # type: ignore[arg-type]
        if existing is not None:
            return existing
        if locked.signups.count() >= locked.seats:
            raise ValidationError(_("This session is full. Choose another date."))
        try:
            with transaction.atomic():
                signup = TrainingSessionSignup.objects.create(session=locked, **lookup)  # type: ignore[arg-type]
        except IntegrityError as exc:
            raise ValidationError(_("You are already signed up.")) from exc
        TrainingProgress.objects.get_or_create(module=locked.module, **lookup)  # type: ignore[arg-type]
        audit_record(
            actor=actor,
            action="people.training_session.signup",
            organisation=organisation,
            obj=signup,
            request=request,
        )
    return signup


def training_session_cancel(
    *,
    actor: User,
    session: TrainingSession,
    person: Person,
    request: HttpRequest | None = None,
) -> None:
    organisation = session.organisation
    _check_person(actor=actor, organisation=organisation, person=person)
    with transaction.atomic():
        signup = session.signups.filter(**person.lookup()).first()  # type: ignore[arg-type]
        if signup is None:
            return
        audit_record(
            actor=actor,
            action="people.training_session.cancel",
            organisation=organisation,
            obj=signup,
            request=request,
        )
        signup.delete()


def training_tip_dismiss(*, user: User, key: str) -> TrainingPreference:
    """Hide one tip for good."""
    if key not in TIPS:
        raise ValidationError(_("Unknown tip."))
    with transaction.atomic():
        pref, _created = TrainingPreference.objects.select_for_update().get_or_create(user=user)
        if key not in pref.dismissed_tips:
            pref.dismissed_tips = [*pref.dismissed_tips, key]
            pref.save(update_fields=["dismissed_tips"])
    return pref


def training_tips_set(*, user: User, show: bool) -> TrainingPreference:
    """Turn every tip off, or back on (showing the dismissed ones again)."""
    with transaction.atomic():
        pref, _created = TrainingPreference.objects.select_for_update().get_or_create(user=user)
        pref.show_tips = show
        if show:
            pref.dismissed_tips = []
        pref.save(update_fields=["show_tips", "dismissed_tips"])
    return pref


def training_library_seed() -> int:
    """(Re)load the shared library; migration 0003 does the same. Returns rows created."""
    created = 0
    with transaction.atomic():
        for row in LIBRARY:
            data = dict(row)
            key = str(data.pop("key"))
            _module, was_created = TrainingModule.objects.update_or_create(
                key=key, network=None, organisation=None, defaults=data
            )
            created += was_created
    return created


def can_coordinate(user: User, organisation: Organisation) -> bool:
    return has_role(user, organisation, COORDINATOR_ROLES)
