"""Deliveries: the hub prints a day's deliveries, each with its note (screen, print, PDF);
the member confirms what arrived."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cordee.core.models import Organisation
from cordee.core.permissions import MANAGER_ROLES, has_role
from cordee.core.templatetags.cordee import kg
from cordee.core.views.decorators import organisation_required

from ..forms_deliveries import DeliveryConfirmForm
from ..models import Delivery, DeliveryDay, StorageClass
from ..pdf import print_css, render_pdf
from ..permissions import STOCK_HANDLER_ROLES
from ..selectors.deliveries import (
    day_blocked_lots,
    delivery_day_get,
    delivery_day_list,
    delivery_get,
    delivery_get_received,
    delivery_list_for_day,
    delivery_list_received,
    delivery_note_summary,
)
from ..services.deliveries import delivery_confirm, delivery_day_dispatch

NOTE_DOCUMENT = "logistics/deliveries/note_document.html"


@organisation_required()
def delivery_list(request: HttpRequest) -> HttpResponse:
    """Members: what comes to them (on its way first). Hubs: their delivery days."""
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    received = delivery_list_received(org=org).order_by(
        "-delivery_day__delivers_on", "organisation__name"
    )
    days = (
        delivery_day_list(org=org)
        .exclude(status=DeliveryDay.Status.OPEN)
        .annotate(
            delivery_count=Count("deliveries", distinct=True),
            waiting_count=Count(
                "deliveries",
                filter=Q(deliveries__status=Delivery.Status.IN_TRANSIT),
                distinct=True,
            ),
        )
        .order_by("-delivers_on")
    )
    return render(
        request,
        "logistics/deliveries/list.html",
        {
            "in_transit": [d for d in received[:200] if d.status == Delivery.Status.IN_TRANSIT],
            "received": Paginator(received.exclude(status=Delivery.Status.IN_TRANSIT), 20).get_page(
                request.GET.get("page")
            ),
            "days": days[:30],
            "can_confirm": has_role(request.user, org, STOCK_HANDLER_ROLES),  # type: ignore[arg-type]
        },
    )


@organisation_required()
def delivery_day_detail(request: HttpRequest, day_id: int) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    day = delivery_day_get(org=org, pk=day_id)
    deliveries = list(delivery_list_for_day(org=org, day=day))
    blocked = day_blocked_lots(day=day) if day.status == DeliveryDay.Status.ALLOCATED else []
    reserved = (
        day.allocation_lines.values("organisation__name")
        .annotate(total_g=Sum("quantity_g"), lots=Count("lot", distinct=True))
        .order_by("organisation__name")
        if day.status == DeliveryDay.Status.ALLOCATED
        else []
    )
    return render(
        request,
        "logistics/deliveries/day.html",
        {
            "day": day,
            "deliveries": deliveries,
            "reserved": reserved,
            "blocked": blocked,
            "can_dispatch": day.status == DeliveryDay.Status.ALLOCATED
            and not blocked
            and has_role(request.user, org, MANAGER_ROLES),  # type: ignore[arg-type]
        },
    )


@require_POST
@organisation_required(MANAGER_ROLES)
def delivery_day_dispatch_view(request: HttpRequest, day_id: int) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    day = delivery_day_get(org=org, pk=day_id)
    blocked = day_blocked_lots(day=day)
    if blocked:
        messages.error(
            request,
            _("Some food set aside for this day was blocked since. Share out the stock again."),
        )
        return redirect("logistics:delivery_day_detail", day_id=day.pk)
    try:
        deliveries = delivery_day_dispatch(
            actor=request.user,  # type: ignore[arg-type]
            delivery_day=day,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "The food has left: %(n)d delivery to print.",
                "The food has left: %(n)d deliveries to print.",
                len(deliveries),
            )
            % {"n": len(deliveries)},
        )
    return redirect("logistics:delivery_day_detail", day_id=day.pk)


COLD_LIMITS = {StorageClass.CHILLED: "≤ 4 °C", StorageClass.FROZEN: "≤ −18 °C"}


def _note_context(delivery: Delivery) -> dict:
    day = delivery.delivery_day
    lines = list(delivery.lines.all())
    for line in lines:
        line.cold_limit = COLD_LIMITS.get(StorageClass(line.lot.storage_class), "")  # type: ignore[attr-defined]
    return {
        "delivery": delivery,
        "day": day,
        "hub": day.organisation,
        "hub_site": day.site,
        "member": delivery.organisation,
        "member_site": delivery.site,
        "lines": lines,
        "summary": delivery_note_summary(delivery),
        "confirmed": delivery.status != Delivery.Status.IN_TRANSIT,
    }


@organisation_required()
def delivery_detail(request: HttpRequest, delivery_id: int) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    delivery = delivery_get(org=org, pk=delivery_id)
    is_member = delivery.organisation_id == org.pk
    return render(
        request,
        "logistics/deliveries/detail.html",
        {
            **_note_context(delivery),
            "is_member": is_member,
            "can_confirm": is_member
            and delivery.status == Delivery.Status.IN_TRANSIT
            and has_role(request.user, org, STOCK_HANDLER_ROLES),  # type: ignore[arg-type]
        },
    )


@organisation_required()
def delivery_note_print(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """The note as a page of its own, to print from the browser."""
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    delivery = delivery_get(org=org, pk=delivery_id)
    return render(request, NOTE_DOCUMENT, _note_context(delivery))


@organisation_required()
def delivery_note_pdf(request: HttpRequest, delivery_id: int) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    delivery = delivery_get(org=org, pk=delivery_id)
    day = delivery.delivery_day
    return render_pdf(
        request,
        NOTE_DOCUMENT,
        _note_context(delivery),
        filename=f"bon-livraison-{day.delivers_on:%Y-%m-%d}-{delivery.pk}.pdf",
    )


DAY_NOTES_DOCUMENT = "logistics/deliveries/day_notes_document.html"


@organisation_required()
def delivery_day_notes_pdf(request: HttpRequest, day_id: int) -> HttpResponse:
    """Every delivery note of the day in one PDF, a page break between them: the driver
    prints once before leaving."""
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    day = delivery_day_get(org=org, pk=day_id)
    notes = [_note_context(d) for d in delivery_list_for_day(org=org, day=day)]
    return render_pdf(
        request,
        DAY_NOTES_DOCUMENT,
        {"day": day, "notes": notes},
        filename=f"bons-livraison-{day.delivers_on:%Y-%m-%d}.pdf",
    )


@require_GET
def print_stylesheet(request: HttpRequest) -> HttpResponse:
    """The print stylesheet, served from our origin (the CSP forbids inline styles)."""
    response = HttpResponse(print_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "max-age=3600"
    return response


@organisation_required(STOCK_HANDLER_ROLES)
def delivery_receive(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """The member says what arrived: all of it in one tap, or line by line with a note."""
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    delivery = delivery_get_received(org=org, pk=delivery_id)
    if delivery.status != Delivery.Status.IN_TRANSIT:
        messages.info(request, _("This delivery was already confirmed."))
        return redirect("logistics:delivery_detail", delivery_id=delivery.pk)
    lines = list(delivery.lines.all())
    in_full = request.method == "POST" and "in_full" in request.POST
    form = DeliveryConfirmForm(
        request.POST if request.method == "POST" and not in_full else None, lines=lines
    )
    if in_full or (request.method == "POST" and form.is_valid()):
        try:
            delivery = delivery_confirm(
                actor=request.user,  # type: ignore[arg-type]
                delivery=delivery,
                received_g={} if in_full else form.received_g(),
                temperatures=None if in_full else form.temperatures(),
                note="" if in_full else form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            if in_full:
                messages.error(request, " ".join(exc.messages))
                return redirect("logistics:delivery_receive", delivery_id=delivery.pk)
            if hasattr(exc, "error_dict"):
                for key, errors in exc.message_dict.items():
                    form.add_error("note" if key == "note" else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            total = sum(line.received_g or 0 for line in delivery.lines.all())
            if delivery.status == Delivery.Status.RECEIVED:
                text = _("Thank you: %(kg)s received in full, now in your stock.")
            else:
                text = _("Thank you: %(kg)s received, the differences are noted.")
            messages.success(request, text % {"kg": kg(total)})
            return redirect("logistics:delivery_detail", delivery_id=delivery.pk)
    return render(
        request,
        "logistics/deliveries/receive.html",
        {**_note_context(delivery), "form": form, "rows": form.rows()},
    )
