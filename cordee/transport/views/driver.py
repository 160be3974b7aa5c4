"""The driver's phone: today's stops in order, one large button per stop."""

from __future__ import annotations

from urllib.parse import quote_plus, urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation, Site
from cordee.core.permissions import has_role
from cordee.core.views.decorators import organisation_required
from cordee.logistics.models import Reception

from ..models import Tour, TourStop
from ..permissions import PLANNER_ROLES, ROAD_ROLES
from ..selectors.tours import driver_tours, stop_get
from ..services.tours import stop_arrive, stop_finish, stops_finish_recorded_pickups


def maps_url(site: Site) -> str:
    """Opens the phone's maps app (Android and iOS both follow this address)."""
    parts = [site.address, site.postal_code, site.municipality.name if site.municipality else ""]
    query = ", ".join(p for p in parts if p)
    if not site.address and site.coordinates:
        query = f"{site.coordinates[0]:.6f},{site.coordinates[1]:.6f}"
    return "https://www.google.com/maps/search/?api=1&query=" + quote_plus(query)


def site_phone(site: Site) -> str:
    return site.phone or site.organisation.contact_phone


def record_url(stop: TourStop, tour: Tour) -> str:
    """Where the driver records what was picked up, coming back to this stop afterwards: a
    store's pickup on the recovery screen (weights by kind of food, temperatures, « Rien
    aujourd'hui »); the food bank's on the reception form, its source and supplier filled."""
    back = urlencode({"next": reverse("transport:driver") + f"#arret-{stop.pk}"})
    if stop.kind == TourStop.Kind.STORE_PICKUP and stop.pickup_id is not None:
        return reverse("logistics:recovery_pickup", args=[stop.pickup_id]) + "?" + back
    if stop.kind == TourStop.Kind.FOOD_BANK_PICKUP:
        initial = {
            "source": Reception.Source.FOOD_BANK,
            "supplier": stop.site.organisation_id,
            "site": tour.end_site_id,
        }
        return reverse("logistics:reception_create") + "?" + urlencode(initial) + "&" + back
    if stop.is_pickup:
        return reverse("logistics:reception_create") + "?" + back
    return ""


@organisation_required(ROAD_ROLES)
def driver(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    tours = driver_tours(
        org=org,
        user=request.user,  # type: ignore[arg-type]
        day=today,
        all_drivers=has_role(request.user, org, PLANNER_ROLES),  # type: ignore[arg-type]
    )
    # Coming back from the recovery screen: a recorded store pickup is a finished stop.
    finished = [
        stops_finish_recorded_pickups(actor=request.user, tour=tour, request=request)  # type: ignore[arg-type]
        for tour in tours
    ]
    if any(finished):
        tours = driver_tours(
            org=org,
            user=request.user,  # type: ignore[arg-type]
            day=today,
            all_drivers=has_role(request.user, org, PLANNER_ROLES),  # type: ignore[arg-type]
        )
    for tour in tours:
        stops = list(tour.stops.all())
        current = next((s for s in stops if s.finished_at is None), None)
        for stop in stops:
            stop.maps_url = maps_url(stop.site)  # type: ignore[attr-defined]
            stop.phone = site_phone(stop.site)  # type: ignore[attr-defined]
            stop.is_current = stop is current  # type: ignore[attr-defined]
            stop.record_url = record_url(stop, tour)  # type: ignore[attr-defined]
        tour.stop_rows = stops  # type: ignore[attr-defined]
    return render(request, "transport/driver.html", {"tours": tours, "today": today})


def _road_action(request: HttpRequest, pk: int, action: object) -> HttpResponse:
    stop = stop_get(org=request.organisation, pk=pk)  # type: ignore[attr-defined]
    try:
        action(actor=request.user, stop=stop, request=request)  # type: ignore[operator]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("transport:driver") + f"#arret-{stop.pk}")


@require_POST
@organisation_required(ROAD_ROLES)
def stop_arrive_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _road_action(request, pk, stop_arrive)


@require_POST
@organisation_required(ROAD_ROLES)
def stop_finish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _road_action(request, pk, stop_finish)
