"""Writes on volunteer profiles (staff enter them; the person may never log in)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from cordee.core.models import Organisation, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import Certification, Volunteer, VolunteerMembership
from ..permissions import COORDINATOR_ROLES

PROFILE_FIELDS = (
    "full_name",
    "phone",
    "email",
    "channel",
    "languages",
    "available_weekdays",
    "availability_notes",
)


def volunteer_create(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Volunteer:
    require_role(actor, organisation, COORDINATOR_ROLES)
    with transaction.atomic():
        volunteer = Volunteer.objects.create(**{f: data[f] for f in PROFILE_FIELDS if f in data})
        VolunteerMembership.objects.create(volunteer=volunteer, organisation=organisation)
        audit_record(
            actor=actor,
            action="people.volunteer.create",
            organisation=organisation,
            obj=volunteer,
            changed_fields=[f for f in PROFILE_FIELDS if f in data],
            request=request,
        )
    return volunteer


def volunteer_update(
    *,
    actor: User,
    organisation: Organisation,
    volunteer: Volunteer,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Volunteer:
    require_role(actor, organisation, COORDINATOR_ROLES)
    changed = [f for f in PROFILE_FIELDS if f in data and getattr(volunteer, f) != data[f]]
    with transaction.atomic():
        for field in changed:
            setattr(volunteer, field, data[field])
        volunteer.save(update_fields=changed or None)
        audit_record(
            actor=actor,
            action="people.volunteer.update",
            organisation=organisation,
            obj=volunteer,
            changed_fields=changed,
            request=request,
        )
    return volunteer


def certification_add(
    *,
    actor: User,
    organisation: Organisation,
    volunteer: Volunteer,
    kind: str,
    licence_class: str = "",
    expires_on: Any = None,
    request: HttpRequest | None = None,
) -> Certification:
    require_role(actor, organisation, COORDINATOR_ROLES)
    with transaction.atomic():
        cert = Certification.objects.create(
            volunteer=volunteer, kind=kind, licence_class=licence_class, expires_on=expires_on
        )
        audit_record(
            actor=actor,
            action="people.certification.add",
            organisation=organisation,
            obj=cert,
            changed_fields=["kind", "licence_class", "expires_on"],
            request=request,
        )
    return cert
