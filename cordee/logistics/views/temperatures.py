"""Fridge and freezer temperatures: today's readings per unit, and one unit's history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordee.core.models import Organisation
from cordee.core.permissions import has_role
from cordee.core.views.decorators import organisation_required

from ..forms_temperatures import ColdUnitForm, TemperatureReadingForm
from ..permissions import STOCK_HANDLER_ROLES, STOCK_MANAGER_ROLES
from ..selectors.temperatures import (
    ALERT_DAYS,
    HISTORY_DAYS,
    cold_unit_get,
    reading_history,
    temperature_alerts,
    unit_statuses,
)
from ..services.temperatures import cold_unit_create, temperature_record


def _apply_errors(form: ColdUnitForm | TemperatureReadingForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _record(request: HttpRequest, org: Organisation) -> TemperatureReadingForm | HttpResponse:
    if not has_role(request.user, org, STOCK_HANDLER_ROLES):  # type: ignore[arg-type]
        raise PermissionDenied
    try:
        unit = cold_unit_get(org=org, pk=int(request.POST.get("unit", "")))
    except ValueError:
        return redirect("logistics:temperature_list")
    if not unit.is_active:
        messages.error(request, _("This fridge or freezer is no longer in use."))
        return redirect("logistics:temperature_list")
    form = TemperatureReadingForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            reading = temperature_record(
                actor=request.user,  # type: ignore[arg-type]
                unit=unit,
                temperature_c=form.cleaned_data["temperature_c"],
                action_taken=form.cleaned_data["action_taken"],
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if reading.is_out_of_range:
                messages.warning(
                    request,
                    _("%(unit)s: too warm. The reading and what you did are recorded.")
                    % {"unit": unit.name},
                )
            else:
                messages.success(
                    request, _("%(unit)s: temperature recorded.") % {"unit": unit.name}
                )
            return redirect("logistics:temperature_list")
    return form


def _add_unit(request: HttpRequest, org: Organisation) -> ColdUnitForm | HttpResponse:
    if not has_role(request.user, org, STOCK_MANAGER_ROLES):  # type: ignore[arg-type]
        raise PermissionDenied
    form = ColdUnitForm(request.POST, org=org)
    if form.is_valid():
        try:
            unit = cold_unit_create(
                actor=request.user,  # type: ignore[arg-type]
                site=form.cleaned_data["site"],
                name=form.cleaned_data["name"],
                storage_class=form.cleaned_data["storage_class"],
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(unit)s is added.") % {"unit": unit.name})
            return redirect("logistics:temperature_list")
    return form


@organisation_required()
def temperature_list(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    bound: TemperatureReadingForm | None = None
    unit_form: ColdUnitForm | None = None
    if request.method == "POST":
        result = _add_unit(request, org) if "add_unit" in request.POST else _record(request, org)
        if isinstance(result, HttpResponse):
            return result
        if isinstance(result, ColdUnitForm):
            unit_form = result
        else:
            bound = result
    can_handle = has_role(request.user, org, STOCK_HANDLER_ROLES)  # type: ignore[arg-type]
    can_manage = has_role(request.user, org, STOCK_MANAGER_ROLES)  # type: ignore[arg-type]
    rows = []
    for status in unit_statuses(org=org):
        form = None
        if can_handle:
            if bound is not None and bound.unit.pk == status.unit.pk:
                form = bound
            else:
                form = TemperatureReadingForm(unit=status.unit)
        rows.append({"status": status, "form": form})
    if can_manage and unit_form is None:
        unit_form = ColdUnitForm(org=org)
    return render(
        request,
        "logistics/temperatures/list.html",
        {
            "rows": rows,
            "alerts": temperature_alerts(org=org),
            "alert_days": ALERT_DAYS,
            "unit_form": unit_form,
            "can_handle": can_handle,
            "can_manage": can_manage,
        },
    )


@organisation_required()
def temperature_unit(request: HttpRequest, pk: int) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    unit = cold_unit_get(org=org, pk=pk)
    return render(
        request,
        "logistics/temperatures/unit.html",
        {"unit": unit, "readings": reading_history(unit=unit), "days": HISTORY_DAYS},
    )
