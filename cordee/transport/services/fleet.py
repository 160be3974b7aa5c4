"""Writes on the fleet: add a vehicle, change it (capacities, cost, days, in use)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import Vehicle
from ..permissions import MANAGER_ROLES

VEHICLE_FIELDS = frozenset(
    {
        "name",
        "dry_capacity_g",
        "chilled_capacity_g",
        "frozen_capacity_g",
        "cost_per_km_cents",
        "available_weekdays",
        "cold_max_minutes",
        "is_active",
    }
)


def _clean(organisation: Organisation, values: dict[str, Any], pk: int | None) -> dict[str, Any]:
    """Normalised values, or a ValidationError naming each field that is wrong."""
    values = dict(values)
    values["name"] = (values.get("name") or "").strip()
    days = values.get("available_weekdays") or ""
    values["available_weekdays"] = "".join(sorted(set(days)))
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("Give the vehicle a name.")
    elif (
        Vehicle.objects.filter(organisation=organisation, name__iexact=values["name"])
        .exclude(pk=pk or 0)
        .exists()
    ):
        errors["name"] = _("Another vehicle already has this name.")
    capacities = [values.get(f"{c}_capacity_g") or 0 for c in ("dry", "chilled", "frozen")]
    if min(capacities) < 0:
        errors["dry_capacity_g"] = _("Capacities cannot be negative.")
    elif not any(capacities):
        errors["dry_capacity_g"] = _("Give the capacity of at least one compartment.")
    if (values.get("cost_per_km_cents") or 0) < 0:
        errors["cost_per_km_cents"] = _("The cost cannot be negative.")
    if not values["available_weekdays"] or not set(values["available_weekdays"]) <= set("0123456"):
        errors["available_weekdays"] = _("Choose at least one day.")
    cold = values.get("cold_max_minutes")
    if cold is not None and not 0 < cold <= 24 * 60:
        errors["cold_max_minutes"] = _("Give a time between 1 minute and 24 hours.")
    if errors:
        raise ValidationError(errors)
    return values


def vehicle_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    capacity_g: tuple[int, int, int],
    cost_per_km_cents: int = 0,
    available_weekdays: str = "01234",
    cold_max_minutes: int | None = None,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Vehicle:
    require_role(actor, organisation, MANAGER_ROLES)
    values = _clean(
        organisation,
        {
            "name": name,
            "dry_capacity_g": capacity_g[0],
            "chilled_capacity_g": capacity_g[1],
            "frozen_capacity_g": capacity_g[2],
            "cost_per_km_cents": cost_per_km_cents,
            "available_weekdays": available_weekdays,
            "cold_max_minutes": cold_max_minutes,
            "is_active": is_active,
        },
        pk=None,
    )
    with transaction.atomic():
        vehicle = Vehicle.objects.create(organisation=organisation, **values)
        audit_record(
            actor=actor,
            action="vehicle.create",
            organisation=organisation,
            obj=vehicle,
            changed_fields=sorted(values),
            request=request,
        )
    return vehicle


def vehicle_update(
    *,
    actor: User,
    vehicle: Vehicle,
    changes: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> Vehicle:
    """Change a vehicle. Tours already planned keep it; a vehicle no longer in use is only
    hidden from new tours."""
    require_role(actor, vehicle.organisation, MANAGER_ROLES)
    unknown = set(changes) - VEHICLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    merged = {name: getattr(vehicle, name) for name in VEHICLE_FIELDS} | dict(changes)
    values = _clean(vehicle.organisation, merged, pk=vehicle.pk)
    changed = sorted(name for name in changes if getattr(vehicle, name) != values[name])
    if not changed:
        return vehicle
    with transaction.atomic():
        for name in changed:
            setattr(vehicle, name, values[name])
        vehicle.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="vehicle.update",
            organisation=vehicle.organisation,
            obj=vehicle,
            changed_fields=changed,
            request=request,
        )
    return vehicle
