"""Supermarket recovery: the week's pickups, partner stores, and the driver's phone screen."""

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation, User
from cordee.core.permissions import has_role
from cordee.core.templatetags.cordee import kg
from cordee.core.views.auth import safe_next
from cordee.core.views.decorators import organisation_required

from ..forms_recovery import NothingTodayForm, PartnerStoreForm, PickupForm, PickupSlotForm
from ..models import PartnerStore, Pickup, PickupStatus
from ..permissions import STOCK_HANDLER_ROLES, STOCK_MANAGER_ROLES
from ..selectors.recovery import (
    RecoveryTable,
    is_missed,
    missed_by_store,
    partner_store_get,
    partner_store_list,
    pickup_get,
    pickup_missed_list,
    pickup_slot_get,
    pickup_weights,
    pickups_between,
    pickups_of_day,
    recovery_by_store_month,
    recovery_categories,
)
from ..services.recovery import (
    SCHEDULE_DAYS,
    partner_store_create,
    partner_store_update,
    pickup_nothing_today,
    pickup_record,
    pickup_slot_add,
    pickup_slot_remove,
    pickups_schedule,
)


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined,no-any-return]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _plan_ahead(request: HttpRequest, today: date) -> None:
    """Keep the next two weeks of the recurring schedule written (idempotent, cheap), so a
    driver opening the page finds today's pickups without anyone preparing them."""
    org = _org(request)
    if has_role(_user(request), org, STOCK_HANDLER_ROLES):
        pickups_schedule(
            actor=_user(request),
            org=org,
            start=today,
            end=today + timedelta(days=SCHEDULE_DAYS - 1),
            request=request,
        )


def _week_start(request: HttpRequest, today: date) -> date:
    try:
        day = date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = today
    if not date(2000, 1, 1) <= day <= date(2100, 1, 1):
        day = today
    return day - timedelta(days=day.weekday())


def _decimal_comma(grams: int) -> str:
    return number_format(grams / 1000, 1)


def _table_csv(table: RecoveryTable, org: Organisation) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="recuperation-{org.slug}.csv"'
    response.write("\ufeff")  # so spreadsheets read the accents
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Store"),
            *(f"{m:%Y-%m}" for m in table.months),
            _("Total (kg)"),
            _("Pickups done"),
            _("Nothing today"),
            _("Missed pickups"),
        ]
    )
    for row in table.rows:
        writer.writerow(
            [
                row.name,
                *(_decimal_comma(g) for g in row.grams),
                _decimal_comma(row.total_g),
                row.done,
                row.nothing,
                row.missed,
            ]
        )
    writer.writerow(
        [_("Total"), *(_decimal_comma(g) for g in table.totals), _decimal_comma(table.total_g)]
    )
    return response


@organisation_required()
def recovery_overview(request: HttpRequest) -> HttpResponse:
    org, today = _org(request), timezone.localdate()
    table = recovery_by_store_month(org=org, today=today)
    if request.GET.get("format") == "csv":
        return _table_csv(table, org)
    _plan_ahead(request, today)
    monday = _week_start(request, today)
    pickups = pickups_between(org=org, start=monday, end=monday + timedelta(days=6))
    week = [monday + timedelta(days=n) for n in range(7)]
    # Weekdays always; a weekend day only when it has a pickup.
    days = [
        {"day": day, "pickups": [p for p in pickups if p.scheduled_on == day]}
        for day in week
        if day.weekday() < 5 or any(p.scheduled_on == day for p in pickups)
    ]
    for pickup in pickups:
        pickup.missed = is_missed(pickup, today)  # type: ignore[attr-defined]
    return render(
        request,
        "logistics/recovery/overview.html",
        {
            "today": today,
            "monday": monday,
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "days": days,
            "missed": pickup_missed_list(org=org, today=today),
            "table": table,
            "can_manage": has_role(_user(request), org, STOCK_MANAGER_ROLES),
        },
    )


@organisation_required()
def recovery_today(request: HttpRequest) -> HttpResponse:
    """The driver's list: today's pickups, big, one tap to open each."""
    org, today = _org(request), timezone.localdate()
    _plan_ahead(request, today)
    pickups = pickups_of_day(org=org, day=today)
    return render(
        request,
        "logistics/recovery/today.html",
        {
            "today": today,
            "pickups": pickups,
            "missed": pickup_missed_list(org=org, today=today, days=7),
        },
    )


def _pickup_page(
    request: HttpRequest,
    pickup: Pickup,
    form: PickupForm | None = None,
    nothing: NothingTodayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    org, today = _org(request), timezone.localdate()
    can_record = (
        pickup.status in (PickupStatus.PLANNED, PickupStatus.MISSED)
        and pickup.scheduled_on <= today
        and has_role(_user(request), org, STOCK_HANDLER_ROLES)
    )
    return render(
        request,
        "logistics/recovery/pickup.html",
        {
            "pickup": pickup,
            "partner": pickup.store,
            "today": today,
            "missed": is_missed(pickup, today),
            "can_record": can_record,
            "form": form or PickupForm(org=org, categories=recovery_categories(org=org)),
            "nothing": nothing or NothingTodayForm(),
            "weights": pickup_weights(pickup),
            "next": _next(request),
        },
        status=status,
    )


def _next(request: HttpRequest) -> str:
    """Where to go back after recording (the driver's tour), if it is a page of this site."""
    target = safe_next(request, default="logistics:recovery_today")
    return target if (request.POST.get("next") or request.GET.get("next")) == target else ""


@organisation_required()
def pickup_screen(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    pickup = pickup_get(org=org, pk=pk)
    if request.method != "POST":
        return _pickup_page(request, pickup)
    form = PickupForm(request.POST, org=org, categories=recovery_categories(org=org))
    if form.is_valid():
        try:
            pickup_record(
                actor=_user(request),
                pickup=pickup,
                lines=form.lines(),
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Thank you. %(store)s: %(kg)s recorded.")
                % {"store": pickup.store, "kg": kg(form.total_g)},
            )
            return redirect(safe_next(request, default="logistics:recovery_today"))
    return _pickup_page(request, pickup, form=form, status=400)


@require_POST
@organisation_required()
def pickup_nothing(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    pickup = pickup_get(org=org, pk=pk)
    nothing = NothingTodayForm(request.POST)
    if nothing.is_valid():
        try:
            pickup_nothing_today(
                actor=_user(request),
                pickup=pickup,
                reason=nothing.cleaned_data["reason"],
                note=nothing.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            nothing.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Noted: nothing today at %(store)s.") % {"store": pickup.store},
            )
            return redirect(safe_next(request, default="logistics:recovery_today"))
    return _pickup_page(request, pickup, nothing=nothing, status=400)


@organisation_required()
def store_list(request: HttpRequest) -> HttpResponse:
    org, today = _org(request), timezone.localdate()
    partners = list(partner_store_list(org=org))
    missed = missed_by_store(org=org, today=today)
    for partner in partners:
        partner.missed = missed.get(partner.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "logistics/recovery/store_list.html",
        {"partners": partners, "can_manage": has_role(_user(request), org, STOCK_MANAGER_ROLES)},
    )


@organisation_required(STOCK_MANAGER_ROLES)
def store_create(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = PartnerStoreForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_store_create(
                actor=_user(request),
                hub=org,
                store=form.cleaned_data["store"],
                request=request,
                **form.values(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The store is added. Now add its pickup days."))
            return redirect("logistics:recovery_store", pk=partner.pk)
    return render(request, "logistics/recovery/store_form.html", {"form": form, "partner": None})


def _add_errors(form: PartnerStoreForm | PickupSlotForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@organisation_required(STOCK_MANAGER_ROLES)
def store_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    partner = partner_store_get(org=org, pk=pk)
    initial = {
        "site": partner.site_id,
        "destination": partner.destination_id,
        "chain": partner.chain,
        "contact_name": partner.contact_name,
        "contact_phone": partner.contact_phone,
        "contact_email": partner.contact_email,
        "typical_kg": number_format(partner.typical_g / 1000, 1) if partner.typical_g else "",
        "notes": partner.notes,
        "is_active": partner.is_active,
    }
    form = PartnerStoreForm(request.POST or None, org=org, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if values["site"] is None:
            values["site"] = partner.site
        try:
            partner_store_update(
                actor=_user(request), partner=partner, changes=values, request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The store is updated."))
            return redirect("logistics:recovery_store", pk=partner.pk)
    return render(request, "logistics/recovery/store_form.html", {"form": form, "partner": partner})


def _store_page(
    request: HttpRequest, partner: PartnerStore, slot_form: PickupSlotForm | None = None
) -> HttpResponse:
    org, today = _org(request), timezone.localdate()
    upcoming = [
        p
        for p in pickups_between(org=org, start=today, end=today + timedelta(days=13))
        if p.store_id == partner.pk
    ]
    recent = list(
        partner.pickups.filter(scheduled_on__lt=today, scheduled_on__gte=today - timedelta(days=60))
        .select_related("reception", "driver")
        .order_by("-scheduled_on")
    )
    for pickup in recent:
        pickup.missed = is_missed(pickup, today)  # type: ignore[attr-defined]
    return render(
        request,
        "logistics/recovery/store_detail.html",
        {
            "partner": partner,
            "slot_form": slot_form or PickupSlotForm(),
            "upcoming": upcoming,
            "recent": recent,
            "can_manage": has_role(_user(request), org, STOCK_MANAGER_ROLES),
        },
        status=400 if slot_form is not None and slot_form.errors else 200,
    )


@organisation_required()
def store_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _store_page(request, partner_store_get(org=_org(request), pk=pk))


@require_POST
@organisation_required(STOCK_MANAGER_ROLES)
def slot_add(request: HttpRequest, pk: int) -> HttpResponse:
    partner = partner_store_get(org=_org(request), pk=pk)
    form = PickupSlotForm(request.POST)
    if form.is_valid():
        try:
            pickup_slot_add(
                actor=_user(request), partner=partner, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The pickup day is added."))
            return redirect("logistics:recovery_store", pk=partner.pk)
    return _store_page(request, partner, slot_form=form)


@require_POST
@organisation_required(STOCK_MANAGER_ROLES)
def slot_remove(request: HttpRequest, pk: int, slot_pk: int) -> HttpResponse:
    org = _org(request)
    partner = partner_store_get(org=org, pk=pk)
    slot = pickup_slot_get(org=org, partner=partner, pk=slot_pk)
    pickup_slot_remove(actor=_user(request), slot=slot, request=request)
    messages.success(request, _("The pickup day is removed."))
    return redirect("logistics:recovery_store", pk=partner.pk)
