"""Writes to organisations and sites."""

from datetime import time
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from ..models import OpeningHours, Organisation, Site, User
from ..permissions import ADMIN_ROLES, MANAGER_ROLES, require_role
from .audit import audit_record


def _apply(instance: Any, data: dict[str, Any]) -> list[str]:
    """Set the given attributes; return the names of those that really changed."""
    changed = []
    for field, value in data.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    return changed


def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Organisation:
    require_role(actor, organisation, ADMIN_ROLES)
    with transaction.atomic():
        changed = _apply(organisation, data)
        if changed:
            organisation.full_clean()
            organisation.save(update_fields=changed)
            audit_record(
                actor=actor,
                action="organisation.update",
                organisation=organisation,
                obj=organisation,
                changed_fields=changed,
                request=request,
            )
    return organisation


OpeningPeriod = tuple[int, time, time]


def _replace_opening_hours(site: Site, periods: list[OpeningPeriod]) -> bool:
    current = [(h.weekday, h.opens_at, h.closes_at) for h in site.opening_hours.all()]
    wanted = sorted(periods)
    if sorted(current) == wanted:
        return False
    site.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, weekday=d, opens_at=o, closes_at=c) for d, o, c in wanted
    )
    return True


def site_create(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    opening_hours: list[OpeningPeriod] | None = None,
    request: HttpRequest | None = None,
) -> Site:
    require_role(actor, organisation, MANAGER_ROLES)
    with transaction.atomic():
        site = Site(organisation=organisation, **data)
        site.full_clean()
        site.save()
        _replace_opening_hours(site, opening_hours or [])
        audit_record(
            actor=actor,
            action="site.create",
            organisation=organisation,
            obj=site,
            changed_fields=[*data.keys(), *(["opening_hours"] if opening_hours else [])],
            request=request,
        )
    return site


def site_update(
    *,
    actor: User,
    site: Site,
    data: dict[str, Any],
    opening_hours: list[OpeningPeriod] | None = None,
    request: HttpRequest | None = None,
) -> Site:
    require_role(actor, site.organisation, MANAGER_ROLES)
    with transaction.atomic():
        changed = _apply(site, data)
        if changed:
            site.full_clean()
            site.save(update_fields=changed)
        if opening_hours is not None and _replace_opening_hours(site, opening_hours):
            changed.append("opening_hours")
        if changed:
            audit_record(
                actor=actor,
                action="site.update",
                organisation=site.organisation,
                obj=site,
                changed_fields=changed,
                request=request,
            )
    return site
