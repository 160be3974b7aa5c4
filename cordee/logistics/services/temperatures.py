"""Fridge and freezer temperatures: the units of a site and their daily readings.

A reading above the unit's limit (RLRQ c. P-29, r. 1: refrigerated ≤ 4 °C, frozen ≤ −18 °C)
is flagged when it is written, and cannot be saved without the action taken.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Site, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import ColdUnit, StorageClass, TemperatureReading
from ..permissions import STOCK_HANDLER_ROLES, STOCK_MANAGER_ROLES

LOWEST_C, HIGHEST_C = Decimal(-40), Decimal(99)


def is_out_of_range(unit: ColdUnit, temperature_c: Decimal) -> bool:
    return temperature_c > unit.max_temperature_c


def cold_unit_create(
    *,
    actor: User,
    site: Site,
    name: str,
    storage_class: str,
    request: HttpRequest | None = None,
) -> ColdUnit:
    require_role(actor, site.organisation, STOCK_MANAGER_ROLES)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the fridge or freezer a name.")})
    if storage_class not in (StorageClass.CHILLED, StorageClass.FROZEN):
        raise ValidationError({"storage_class": _("Choose refrigerated or frozen.")})
    if ColdUnit.objects.filter(site=site, name__iexact=name).exists():
        raise ValidationError({"name": _("This site already has a unit with this name.")})
    with transaction.atomic():
        unit = ColdUnit.objects.create(site=site, name=name, storage_class=storage_class)
        audit_record(
            actor=actor,
            action="cold_unit.create",
            organisation=site.organisation,
            obj=unit,
            changed_fields=["name", "storage_class"],
            request=request,
        )
    return unit


def temperature_record(
    *,
    actor: User,
    unit: ColdUnit,
    temperature_c: Decimal,
    taken_at: datetime | None = None,
    note: str = "",
    action_taken: str = "",
    request: HttpRequest | None = None,
) -> TemperatureReading:
    """Write one reading; out of range needs the action taken (moved the food, called...)."""
    organisation = unit.site.organisation
    require_role(actor, organisation, STOCK_HANDLER_ROLES)
    if not unit.is_active:
        raise ValidationError(_("This fridge or freezer is no longer in use."))
    if not temperature_c.is_finite() or not LOWEST_C <= temperature_c <= HIGHEST_C:
        raise ValidationError({"temperature_c": _("Write a temperature between −40 °C and 99 °C.")})
    taken_at = taken_at or timezone.now()
    if timezone.is_naive(taken_at):
        raise ValueError("taken_at must be an aware datetime.")
    if taken_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"taken_at": _("A reading cannot be in the future.")})
    out = is_out_of_range(unit, temperature_c)
    action_taken = action_taken.strip()
    if out and not action_taken:
        raise ValidationError(
            {
                "action_taken": _(
                    "Too warm: %(max)s °C or less is expected. Say what you did "
                    "(food moved, unit checked, someone called)."
                )
                % {"max": str(unit.max_temperature_c).replace("-", "−")}
            }
        )
    with transaction.atomic():
        reading = TemperatureReading.objects.create(
            unit=unit,
            taken_at=taken_at,
            temperature_c=temperature_c,
            taken_by=actor,
            note=note.strip(),
            is_out_of_range=out,
            action_taken=action_taken if out else "",
        )
        audit_record(
            actor=actor,
            action="temperature.out_of_range" if out else "temperature.record",
            organisation=organisation,
            obj=reading,
            changed_fields=["temperature_c", *(["action_taken"] if out else [])],
            request=request,
        )
    return reading
