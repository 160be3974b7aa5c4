"""Delivery days and orders.

Hub side (the hub's managers): the list of delivery days and opening one, a day's page —
what is available, the orders received, « share out », then the share-out table where the
coordinator may change a quantity (htmx previews the totals; a plain submit saves).

Member side: the open delivery days of my networks' hubs, my order for a day, and after the
share-out what I got and why — never another member's order.
"""

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation
from cordee.core.permissions import MANAGER_ROLES
from cordee.core.templatetags.cordee import kg
from cordee.core.views.decorators import organisation_required

from ..forms_orders import (
    AllocationAdjustForm,
    DeliveryDayOpenForm,
    OrderForm,
    cell_field_name,
)
from ..models import Category, DeliveryDay
from ..selectors.orders import (
    AllocationSection,
    allocation_table,
    day_categories,
    delivery_day_get,
    delivery_day_list,
    member_day_get,
    member_day_list,
    member_order_get,
    member_outcome_list,
    order_list_for_day,
    standing_order_get,
)
from ..services.allocation_adjust import (
    allocation_adjust_many,
    standing_order_save,
    standing_order_stop,
)
from ..services.orders import ORDER_ROLES, delivery_day_allocate, delivery_day_open, order_save


def _add_errors(form: Any, exc: ValidationError, fields: dict[str, str | None]) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(fields.get(key), errors)
    else:
        form.add_error(None, exc.messages)


# --- Hub side --------------------------------------------------------------------------


@organisation_required(MANAGER_ROLES)
def day_list(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    form = DeliveryDayOpenForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            day = delivery_day_open(
                actor=request.user,  # type: ignore[arg-type]
                site=d["site"],
                delivers_on=d["delivers_on"],
                policy=d["policy"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc, {"delivers_on": "delivers_on", "policy": "policy"})
        else:
            messages.success(
                request, _("The delivery day is open: members can now send their orders.")
            )
            return redirect("logistics:day_detail", pk=day.pk)
    return render(
        request,
        "logistics/orders/day_list.html",
        {"days": delivery_day_list(org=org)[:100], "form": form},
    )


def _day_context(
    request: HttpRequest, day: DeliveryDay, adjust_form: AllocationAdjustForm | None = None
) -> dict[str, Any]:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    rows = day_categories(day)
    orders = order_list_for_day(org=org, day=day)
    context: dict[str, Any] = {
        "day": day,
        "rows": rows,
        "available_rows": [r for r in rows if r.available_g or r.requested_g],
        "orders": orders,
        "order_columns": [r for r in rows if r.requested_g],
        "can_allocate": day.status != DeliveryDay.Status.DISPATCHED,
        "is_allocated": day.status == DeliveryDay.Status.ALLOCATED,
    }
    if day.status != DeliveryDay.Status.OPEN:
        sections = allocation_table(org=org, day=day)
        if adjust_form is None:
            adjust_form = AllocationAdjustForm(sections=sections, preview_url=_preview_url(day))
        context["sections"] = [
            (
                section,
                [
                    (o, c, adjust_form[cell_field_name(c.member_id, c.category_id)])
                    for o, c in section.cells
                ],
            )
            for section in adjust_form.sections
        ]
        context["adjust_form"] = adjust_form
    return context


def _preview_url(day: DeliveryDay) -> str:
    return reverse("logistics:day_preview", args=[day.pk])


@organisation_required(MANAGER_ROLES)
def day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    day = delivery_day_get(org=org, pk=pk)
    return render(request, "logistics/orders/day_detail.html", _day_context(request, day))


@require_POST
@organisation_required(MANAGER_ROLES)
def day_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    day = delivery_day_get(org=org, pk=pk)
    try:
        delivery_day_allocate(actor=request.user, delivery_day=day, request=request)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The stock is shared out. Check the quantities below; you may change them."),
        )
    return redirect("logistics:day_detail", pk=day.pk)


@require_POST
@organisation_required(MANAGER_ROLES)
def day_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the coordinator's changes (a plain submit: works without JavaScript)."""
    org = request.organisation  # type: ignore[attr-defined]
    day = delivery_day_get(org=org, pk=pk)
    if day.status != DeliveryDay.Status.ALLOCATED:
        messages.error(request, _("Share out the stock before changing a quantity."))
        return redirect("logistics:day_detail", pk=day.pk)
    form = AllocationAdjustForm(
        request.POST, sections=allocation_table(org=org, day=day), preview_url=_preview_url(day)
    )
    if form.is_valid():
        changes = form.changes()
        try:
            allocation_adjust_many(
                actor=request.user,  # type: ignore[arg-type]
                delivery_day=day,
                changes=changes,
                request=request,
            )
        except ValidationError as exc:
            params = getattr(exc, "params", None) or {}
            name = (
                cell_field_name(params["member"], params["category"])
                if "member" in params and "category" in params
                else None
            )
            form.add_error(name, exc.messages)
        else:
            going_on = "next" in request.POST  # « Save, then go to the deliveries »
            if changes:
                messages.success(request, _("The changes are saved."))
            elif not going_on:
                messages.info(request, _("Nothing was changed."))
            if going_on:
                return redirect("logistics:delivery_day_detail", day_id=day.pk)
            return redirect("logistics:day_detail", pk=day.pk)
    return render(request, "logistics/orders/day_detail.html", _day_context(request, day, form))


@require_POST
@organisation_required(MANAGER_ROLES)
def day_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The totals of one category as typed, for htmx: nothing is saved."""
    org = request.organisation  # type: ignore[attr-defined]
    day = delivery_day_get(org=org, pk=pk)
    if day.status == DeliveryDay.Status.OPEN:
        raise Http404
    form = AllocationAdjustForm(request.POST, sections=allocation_table(org=org, day=day))
    try:
        category_id = int(request.POST.get("category", ""))
    except ValueError:
        raise Http404 from None
    section: AllocationSection | None = next(
        (s for s in form.sections if s.row.category.pk == category_id), None
    )
    if section is None:
        raise Http404
    granted = form.granted_g(section)
    row = replace(section.row, granted_g=granted if granted is not None else 0)
    return render(
        request,
        "logistics/orders/_totals_row.html",
        {"row": row, "unreadable": granted is None, "preview": True},
    )


# --- Member side -----------------------------------------------------------------------


@organisation_required(ORDER_ROLES)
def order_list(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    entries = [
        {
            "day": day,
            "order": order,
            "total_g": sum(line.requested_g for line in order.lines.all()) if order else 0,
        }
        for day, order in member_day_list(org=org)
    ]
    return render(request, "logistics/orders/order_list.html", {"entries": entries})


@organisation_required(ORDER_ROLES)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    day = member_day_get(org=org, pk=pk)
    order = member_order_get(org=org, day=day)
    if day.status != DeliveryDay.Status.OPEN:
        if request.method == "POST":
            messages.error(request, _("Orders are closed for this delivery day."))
            return redirect("logistics:order_detail", pk=day.pk)
        outcomes = member_outcome_list(org=org, day=day)
        return render(
            request,
            "logistics/orders/order_outcome.html",
            {
                "day": day,
                "order": order,
                "outcomes": outcomes,
                "requested_total_g": sum(o.requested_g for o in outcomes),
                "granted_total_g": sum(o.granted_g for o in outcomes),
            },
        )

    standing = standing_order_get(org=org, hub=day.organisation)
    rows = day_categories(day)
    if order is not None:
        initial_g = {line.category_id: line.requested_g for line in order.lines.all()}
        initial = {"site": order.site_id, "note": order.note}
    else:
        initial_g = {line.category_id: line.requested_g for line in standing}
        initial = {"site": standing[0].site_id} if standing else {}
    initial["standing"] = bool(standing)
    form = OrderForm(request.POST or None, org=org, rows=rows, initial_g=initial_g, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        requested = form.requested_g()
        try:
            with transaction.atomic():  # the order and the usual order, or neither
                _save_order(request, day, org, d, requested, had_standing=bool(standing))
        except ValidationError as exc:
            _add_errors(form, exc, {"site": "site"})
        else:
            total = sum(requested.values())
            text = _("Your order of %(kg)s is sent to %(hub)s.") % {
                "kg": kg(total),
                "hub": day.organisation.name,
            }
            if d["standing"]:
                text += " " + _("It is also kept as your usual order.")
            messages.success(request, text)
            return redirect("logistics:order_list")
    return render(
        request,
        "logistics/orders/order_form.html",
        {"day": day, "order": order, "form": form, "has_standing": bool(standing)},
    )


def _save_order(
    request: HttpRequest,
    day: DeliveryDay,
    org: Organisation,
    data: dict[str, Any],
    requested: dict[Category, int],
    *,
    had_standing: bool,
) -> None:
    actor = request.user
    order_save(
        actor=actor,  # type: ignore[arg-type]
        delivery_day=day,
        organisation=org,
        site=data["site"],
        requested_g=requested,
        note=data["note"],
        request=request,
    )
    if data["standing"]:
        standing_order_save(
            actor=actor,  # type: ignore[arg-type]
            hub=day.organisation,
            organisation=org,
            site=data["site"],
            requested_g=requested,
            request=request,
        )
    elif had_standing:
        standing_order_stop(
            actor=actor,  # type: ignore[arg-type]
            hub=day.organisation,
            organisation=org,
            request=request,
        )
