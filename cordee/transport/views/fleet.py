"""Managing the fleet and the mobile counter's regular stops (org admins, coordinators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, User
from cordee.core.views.decorators import organisation_required

from ..forms import MobileStopForm, VehicleForm
from ..permissions import MANAGER_ROLES
from ..selectors.mobile import mobile_counter_stop_get, mobile_counter_stop_list
from ..selectors.tours import vehicle_all, vehicle_get
from ..services.fleet import vehicle_create, vehicle_update
from ..services.mobile import mobile_counter_stop_create, mobile_counter_stop_update


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined,no-any-return]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# The services name model fields; the forms show kg fields next to them.
FIELD_OF = {
    "dry_capacity_g": "dry_kg",
    "chilled_capacity_g": "chilled_kg",
    "frozen_capacity_g": "frozen_kg",
    "cost_per_km_cents": "cost_per_km",
    "dry_g": "dry_kg",
    "chilled_g": "chilled_kg",
    "frozen_g": "frozen_kg",
}


def _add_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            field = FIELD_OF.get(name, name)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@organisation_required(MANAGER_ROLES)
def vehicle_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "transport/vehicle_list.html", {"vehicles": vehicle_all(org=_org(request))}
    )


@organisation_required(MANAGER_ROLES)
def vehicle_new(request: HttpRequest) -> HttpResponse:
    form = VehicleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            vehicle_create(
                actor=_user(request),
                organisation=_org(request),
                name=values["name"],
                capacity_g=(
                    values["dry_capacity_g"],
                    values["chilled_capacity_g"],
                    values["frozen_capacity_g"],
                ),
                cost_per_km_cents=values["cost_per_km_cents"],
                available_weekdays=values["available_weekdays"],
                cold_max_minutes=values["cold_max_minutes"],
                is_active=values["is_active"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The vehicle is added."))
            return redirect("transport:vehicles")
    status = 400 if form.errors else 200
    return render(
        request, "transport/vehicle_form.html", {"form": form, "vehicle": None}, status=status
    )


@organisation_required(MANAGER_ROLES)
def vehicle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = vehicle_get(org=_org(request), pk=pk)
    form = VehicleForm(request.POST or None, initial=VehicleForm.initial_for(vehicle))
    if request.method == "POST" and form.is_valid():
        try:
            vehicle_update(
                actor=_user(request), vehicle=vehicle, changes=form.values(), request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The vehicle is updated."))
            return redirect("transport:vehicles")
    status = 400 if form.errors else 200
    return render(
        request, "transport/vehicle_form.html", {"form": form, "vehicle": vehicle}, status=status
    )


@organisation_required(MANAGER_ROLES)
def mobile_stop_list(request: HttpRequest) -> HttpResponse:
    stops = mobile_counter_stop_list(org=_org(request)).order_by(
        "-is_active", "weekday", "starts_at"
    )
    return render(request, "transport/mobile_stop_list.html", {"stops": stops})


@organisation_required(MANAGER_ROLES)
def mobile_stop_new(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = MobileStopForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            mobile_counter_stop_create(
                actor=_user(request),
                organisation=org,
                site=values["site"],
                weekday=values["weekday"],
                every_weeks=values["every_weeks"],
                starts_at=values["starts_at"],
                ends_at=values["ends_at"],
                first_date=values["first_date"],
                load_g=(values["dry_g"], values["chilled_g"], values["frozen_g"]),
                is_active=values["is_active"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The stop is added. The public page shows it now."))
            return redirect("transport:mobile_stops")
    status = 400 if form.errors else 200
    return render(
        request, "transport/mobile_stop_form.html", {"form": form, "stop": None}, status=status
    )


@organisation_required(MANAGER_ROLES)
def mobile_stop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    stop = mobile_counter_stop_get(org=org, pk=pk)
    form = MobileStopForm(request.POST or None, org=org, initial=MobileStopForm.initial_for(stop))
    if request.method == "POST" and form.is_valid():
        try:
            mobile_counter_stop_update(
                actor=_user(request), stop=stop, changes=form.values(), request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The stop is updated. The public page shows it now."))
            return redirect("transport:mobile_stops")
    status = 400 if form.errors else 200
    return render(
        request, "transport/mobile_stop_form.html", {"form": form, "stop": stop}, status=status
    )
