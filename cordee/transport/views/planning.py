"""The planner's pages: the week, a tour (order, times, loads, map), optimisation with
progress, reordering by hand, and the printable route sheet."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation
from cordee.core.permissions import has_role
from cordee.core.views.decorators import organisation_required
from cordee.logistics.pdf import render_pdf

from ..forms import PickupForm, TourForm
from ..models import Tour, TourStop
from ..permissions import MANAGER_ROLES, PLANNER_ROLES, ROAD_ROLES
from ..planning import week_start
from ..selectors.tours import (
    stop_get,
    stops_for_display,
    tour_get,
    tour_list,
    tour_week_changes,
)
from ..services.tours import (
    stop_move,
    tour_create,
    tour_optimise,
    tour_stop_add,
    tour_stops_add,
    tour_stops_reorder,
)

ROUTE_SHEET = "transport/route_sheet.html"


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined,no-any-return]


@organisation_required(ROAD_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    """Planners get the week; a driver goes straight to the day's stops."""
    if has_role(request.user, _org(request), PLANNER_ROLES):  # type: ignore[arg-type]
        return redirect("transport:week")
    return redirect("transport:driver")


def _monday(request: HttpRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = timezone.localdate()
    return week_start(day)


@organisation_required(PLANNER_ROLES)
def week(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    monday = _monday(request)
    tours = list(tour_list(org=org, start=monday, end=monday + timedelta(days=6)))
    days = [{"date": monday + timedelta(days=n), "tours": []} for n in range(7)]
    for tour in tours:
        days[(tour.date - monday).days]["tours"].append(tour)  # type: ignore[attr-defined]
    form = TourForm(org=org, initial={"date": max(timezone.localdate(), monday)})
    return render(
        request,
        "transport/week.html",
        {
            "monday": monday,
            "days": days,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": timezone.localdate(),
            "form": form,
            "can_manage": has_role(request.user, org, MANAGER_ROLES),  # type: ignore[arg-type]
        },
    )


@require_POST
@organisation_required(PLANNER_ROLES)
def tour_new(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = TourForm(request.POST, org=org)
    if form.is_valid():
        d = form.cleaned_data
        try:
            tour = tour_create(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                day=d["date"],
                vehicle=d["vehicle"],
                driver=d["driver"],
                start_site=d["start_site"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                request=request,
            )
            added = tour_stops_add(actor=request.user, tour=tour, request=request)  # type: ignore[arg-type]
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _added_message(added))
            return redirect("transport:tour_detail", pk=tour.pk)
    monday = week_start(form.cleaned_data.get("date") or timezone.localdate())
    tours = list(tour_list(org=org, start=monday, end=monday + timedelta(days=6)))
    days = [{"date": monday + timedelta(days=n), "tours": []} for n in range(7)]
    for tour in tours:
        days[(tour.date - monday).days]["tours"].append(tour)  # type: ignore[attr-defined]
    return render(
        request,
        "transport/week.html",
        {
            "monday": monday,
            "days": days,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": timezone.localdate(),
            "form": form,
            "can_manage": has_role(request.user, org, MANAGER_ROLES),  # type: ignore[arg-type]
        },
        status=400,
    )


def _errors_to_form(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)  # type: ignore[attr-defined]
    else:
        form.add_error(None, exc)  # type: ignore[attr-defined]


def _added_message(added: int) -> str:
    if not added:
        return _("Tour saved. No delivery, store pickup or mobile counter stop for this day.")
    return ngettext("Tour saved with %(n)d stop.", "Tour saved with %(n)d stops.", added) % {
        "n": added
    }


def _detail_context(request: HttpRequest, tour: Tour) -> dict:
    stops = stops_for_display(tour)
    points = [
        {"lat": c[0], "lon": c[1], "name": s.site.name, "order": s.order}
        for s in stops
        if (c := s.site.coordinates) is not None
    ]
    depot = tour.start_site.coordinates
    return {
        "tour": tour,
        "stops": stops,
        "changes": tour_week_changes(tour, stops),
        "map_points": points,
        "map_depot": {"lat": depot[0], "lon": depot[1], "name": tour.start_site.name}
        if depot
        else None,
        "busy": tour.optimisation in (Tour.Optimisation.QUEUED, Tour.Optimisation.RUNNING),
        "can_reorder": tour.status in (Tour.Status.DRAFT, Tour.Status.PLANNED),
        "progress": _progress(tour),
        "pickup_form": PickupForm(org=_org(request)),
    }


def _progress(tour: Tour) -> int:
    """An estimate from the time budget (the optimiser stops at its budget)."""
    if tour.optimisation == Tour.Optimisation.DONE:
        return 100
    if tour.optimisation_started_at is None or not tour.optimisation_seconds:
        return 0
    elapsed = (timezone.now() - tour.optimisation_started_at).total_seconds()
    return max(5, min(95, round(100 * elapsed / tour.optimisation_seconds)))


@organisation_required(PLANNER_ROLES)
def tour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tour = tour_get(org=_org(request), pk=pk)
    return render(request, "transport/tour_detail.html", _detail_context(request, tour))


@organisation_required(PLANNER_ROLES)
def tour_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box, polled by htmx while the optimiser works; once it is done the
    whole page reloads (HX-Refresh) to show the new order."""
    tour = tour_get(org=_org(request), pk=pk)
    busy = tour.optimisation in (Tour.Optimisation.QUEUED, Tour.Optimisation.RUNNING)
    response = render(
        request,
        "transport/_optimise_status.html",
        {"tour": tour, "busy": busy, "progress": _progress(tour)},
    )
    if not busy and request.headers.get("HX-Request") and request.GET.get("attente"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@organisation_required(PLANNER_ROLES)
def tour_optimise_view(request: HttpRequest, pk: int) -> HttpResponse:
    tour = tour_get(org=_org(request), pk=pk)
    try:
        tour_optimise(actor=request.user, tour=tour, request=request)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("transport:tour_detail", args=[tour.pk]) + "#optimisation")


@require_POST
@organisation_required(PLANNER_ROLES)
def tour_stops_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    tour = tour_get(org=_org(request), pk=pk)
    try:
        added = tour_stops_add(actor=request.user, tour=tour, request=request)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext("%(n)d stop added.", "%(n)d stops added.", added) % {"n": added}
            if added
            else _("Nothing new to add for this day."),
        )
    return redirect("transport:tour_detail", pk=tour.pk)


@require_POST
@organisation_required(PLANNER_ROLES)
def tour_pickup_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    tour = tour_get(org=org, pk=pk)
    form = PickupForm(request.POST, org=org)
    if form.is_valid():
        try:
            tour_stop_add(
                actor=request.user,  # type: ignore[arg-type]
                tour=tour,
                pickup_g=form.loads(),
                **form.target(),
                request=request,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Pickup added at the end of the tour."))
            return redirect("transport:tour_detail", pk=tour.pk)
    context = _detail_context(request, tour)
    context["pickup_form"] = form
    return render(request, "transport/tour_detail.html", context, status=400)


@require_POST
@organisation_required(PLANNER_ROLES)
def stop_move_view(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    stop = stop_get(org=_org(request), pk=pk)
    if direction not in ("up", "down"):
        return HttpResponse(status=404)
    try:
        stop_move(actor=request.user, stop=stop, direction=direction, request=request)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("transport:tour_detail", args=[stop.tour_id]) + f"#arret-{stop.pk}")


def _order_posted(request: HttpRequest) -> list[int]:
    """The stop ids, first to last, as the drag script sends them: « 12,9,14 »."""
    try:
        return [int(part) for part in request.POST.get("order", "").split(",") if part.strip()]
    except ValueError:
        raise ValidationError(
            _("The list of stops changed in the meantime. Reload the page and try again.")
        ) from None


@require_POST
@organisation_required(PLANNER_ROLES)
def tour_stops_reorder_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A drag on the tour page. From htmx: the stops part of the page, re-rendered (with
    the error, if any); otherwise back to the page."""
    tour = tour_get(org=_org(request), pk=pk)
    error = ""
    try:
        tour = tour_stops_reorder(
            actor=request.user,  # type: ignore[arg-type]
            tour=tour,
            order=_order_posted(request),
            request=request,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect("transport:tour_detail", pk=tour.pk)
    tour = tour_get(org=_org(request), pk=pk)
    context = _detail_context(request, tour)
    context.update({"reorder_error": error, "reordered": not error})
    return render(request, "transport/_tour_stops.html", context)


def _sheet_context(tour: Tour) -> dict:
    stops = stops_for_display(tour)
    return {"tour": tour, "stops": stops, "TourStop": TourStop}


@organisation_required(ROAD_ROLES)
def route_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    tour = tour_get(org=_org(request), pk=pk)
    return render_pdf(
        request,
        ROUTE_SHEET,
        _sheet_context(tour),
        filename=f"feuille-de-route-{tour.date:%Y-%m-%d}-{tour.pk}.pdf",
    )


@organisation_required(ROAD_ROLES)
def route_sheet_print(request: HttpRequest, pk: int) -> HttpResponse:
    tour = tour_get(org=_org(request), pk=pk)
    return render(request, ROUTE_SHEET, _sheet_context(tour))
