"""Tour page polish: reorder by drag (the service and its view), a recorded store pickup
finishes its stop, OSRM failures said plainly, the store pickup's time label."""

import socket
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import AuditEvent, Role
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.logistics.models import PickupSlot, PickupStatus
from cordee.logistics.services.recovery import pickup_nothing_today
from cordee.transport.models import Tour, TourStop
from cordee.transport.services.tours import (
    tour_create,
    tour_optimise,
    tour_stops_add,
    tour_stops_reorder,
)

from .test_store_pickups import _partner
from .test_tours import routing_ready
from .world import build_hub_world

pytestmark = pytest.mark.django_db


def _ids(tour: Tour) -> list[int]:
    return list(tour.stops.order_by("order").values_list("pk", flat=True))


def _arrivals(tour: Tour) -> dict[int, int | None]:
    return dict(tour.stops.values_list("pk", "planned_arrival_s"))


# --- reorder by drag: the service --------------------------------------------------------


def test_reorder_puts_stops_in_the_given_order_and_recomputes(world, tour):
    routing_ready()
    before = _ids(tour)
    assert len(before) >= 3
    arrivals = _arrivals(tour)
    # A stop without a fixed time dragged to the bottom: reached later.
    moved = tour.stops.filter(fixed_time=False).order_by("order").first().pk
    new = [pk for pk in before if pk != moved] + [moved]
    assert new != before
    tour_stops_reorder(actor=world.planner, tour=tour, order=new)
    tour.refresh_from_db()
    assert _ids(tour) == new
    orders = list(tour.stops.order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, len(new) + 1))
    after = _arrivals(tour)
    assert after[moved] > arrivals[moved], "the stop now last is reached later"
    assert after != arrivals
    assert tour.optimisation == Tour.Optimisation.IDLE
    event = AuditEvent.objects.get(action="tour.stops_reorder")
    assert event.object_id == str(tour.pk)


@pytest.mark.parametrize("kind", ["missing", "duplicate", "foreign", "empty"])
def test_reorder_refuses_anything_but_a_permutation(world, tour, kind):
    routing_ready()
    before = _ids(tour)
    order = {
        "missing": before[1:],
        "duplicate": [before[0], *before[:-1]],
        "foreign": [*before[:-1], 999_999],
        "empty": [],
    }[kind]
    with pytest.raises(ValidationError, match=r"changed in the meantime|changé entre-temps"):
        tour_stops_reorder(actor=world.planner, tour=tour, order=order)
    assert _ids(tour) == before
    assert not AuditEvent.objects.filter(action="tour.stops_reorder").exists()


def test_reorder_refused_once_on_the_road_or_while_optimising(world, tour):
    before = _ids(tour)
    for field, value in (
        ("status", Tour.Status.IN_PROGRESS),
        ("status", Tour.Status.DONE),
        ("optimisation", Tour.Optimisation.RUNNING),
    ):
        values = {"status": Tour.Status.PLANNED, "optimisation": Tour.Optimisation.IDLE}
        Tour.objects.filter(pk=tour.pk).update(**{**values, field: value})
        with pytest.raises(ValidationError):
            tour_stops_reorder(actor=world.planner, tour=tour, order=before[::-1])
        assert _ids(tour) == before


def test_only_planners_reorder(world, tour):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        tour_stops_reorder(actor=world.driver, tour=tour, order=_ids(tour)[::-1])


# --- reorder by drag: the view -----------------------------------------------------------


def test_reorder_view_with_htmx_returns_the_stops_part(client, world, tour):
    routing_ready()
    before = _ids(tour)
    new = before[::-1]
    client.force_login(world.planner)
    url = reverse("transport:tour_stops_reorder", args=[tour.pk])
    response = client.post(url, {"order": ",".join(map(str, new))}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="tour-stops">')
    positions = [html.index(f'id="arret-{pk}"') for pk in new]
    assert positions == sorted(positions), "rows in the new order"
    assert "Nouvel ordre enregistré" in html
    assert _ids(tour) == new


def test_reorder_view_without_htmx_redirects_and_says_errors(client, world, tour):
    client.force_login(world.planner)
    url = reverse("transport:tour_stops_reorder", args=[tour.pk])
    response = client.post(url, {"order": "1,abc"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "La liste des arrêts a changé entre-temps" in page
    htmx = client.post(url, {"order": "1,2"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and "changé entre-temps" in htmx.content.decode()


def test_tour_page_arms_the_drag_script(client, world, tour):
    client.force_login(world.planner)
    html = client.get(reverse("transport:tour_detail", args=[tour.pk])).content.decode()
    assert "transport/tour_reorder.js" in html
    assert f'data-reorder-url="{reverse("transport:tour_stops_reorder", args=[tour.pk])}"' in html
    assert "<script>" not in html  # CSP: no inline script
    Tour.objects.filter(pk=tour.pk).update(status=Tour.Status.IN_PROGRESS)
    html = client.get(reverse("transport:tour_detail", args=[tour.pk])).content.decode()
    assert "data-reorder-url" not in html


def test_reorder_of_another_organisations_tour_is_404(client, world, tour, org_b):
    outsider = UserFactory()
    MembershipFactory(user=outsider, organisation=org_b, role=Role.COORDINATOR)
    client.force_login(outsider)
    before = _ids(tour)
    url = reverse("transport:tour_stops_reorder", args=[tour.pk])
    assert client.post(url, {"order": ",".join(map(str, before[::-1]))}).status_code == 404
    assert _ids(tour) == before


# --- OSRM down ---------------------------------------------------------------------------


@pytest.fixture
def osrm_down(settings):
    """OSRM_URL on a local port nobody listens on: connection refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OSRM_URL = f"http://127.0.0.1:{port}"
    return settings.OSRM_URL


def test_optimise_with_osrm_down_says_why_on_the_tour_page(
    client, world, tour, osrm_down, django_capture_on_commit_callbacks
):
    routing_ready()
    with django_capture_on_commit_callbacks(execute=True):
        tour_optimise(actor=world.planner, tour=tour, seconds=0.2)
    tour.refresh_from_db()
    assert tour.optimisation == Tour.Optimisation.FAILED
    assert "ne répond pas" in tour.optimisation_error
    assert osrm_down in tour.optimisation_error
    client.force_login(world.planner)
    html = client.get(reverse("transport:tour_detail", args=[tour.pk])).content.decode()
    assert "Les distances routières ne sont pas disponibles" in html
    assert "ne répond pas" in html


def test_reorder_with_osrm_down_is_refused_plainly_and_changes_nothing(world, tour, osrm_down):
    routing_ready()
    before = _ids(tour)
    with pytest.raises(ValidationError, match="OSRM"):
        tour_stops_reorder(actor=world.planner, tour=tour, order=before[::-1])
    assert _ids(tour) == before


# --- store pickups: label and « Terminé » by itself --------------------------------------


@pytest.fixture
def store_tour():
    today = timezone.localdate()
    world = build_hub_world(today)
    partner = _partner(world)
    PickupSlot.objects.create(
        store=partner, weekday=today.weekday(), starts_at=time(10), ends_at=time(11, 30)
    )
    tour = tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=today,
        vehicle=world.vehicle,
        driver=world.driver,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )
    tour_stops_add(actor=world.planner, tour=tour)
    return world, tour, tour.stops.get(kind=TourStop.Kind.STORE_PICKUP)


def test_store_pickup_window_reads_as_a_pickup_in_french_time(client, store_tour):
    world, tour, _stop = store_tour
    client.force_login(world.planner)
    html = client.get(reverse("transport:tour_detail", args=[tour.pk])).content.decode()
    assert "Collecte entre 10\xa0h\xa000 et 11\xa0h\xa030" in html
    assert "10:00" not in html and "11:30" not in html


def test_recorded_store_pickup_finishes_its_stop(client, store_tour):
    world, tour, stop = store_tour
    client.force_login(world.driver)
    pickup_nothing_today(actor=world.driver, pickup=stop.pickup, reason="closed")
    stop.pickup.refresh_from_db()
    assert stop.pickup.status == PickupStatus.NOTHING_TODAY
    html = client.get(reverse("transport:driver")).content.decode()
    stop.refresh_from_db()
    assert stop.finished_at == stop.pickup.recorded_at
    assert stop.arrived_at == stop.finished_at
    tour.refresh_from_db()
    assert tour.status == Tour.Status.IN_PROGRESS  # other stops still to do
    assert AuditEvent.objects.filter(action="tour.stop_finish", object_id=str(stop.pk)).count() == 1
    # The next stop is now the current one; a second visit changes nothing.
    assert f'id="arret-{stop.pk}"' in html
    client.get(reverse("transport:driver"))
    assert AuditEvent.objects.filter(action="tour.stop_finish", object_id=str(stop.pk)).count() == 1


def test_planned_store_pickup_is_not_finished(client, store_tour):
    world, _tour, stop = store_tour
    client.force_login(world.driver)
    client.get(reverse("transport:driver"))
    stop.refresh_from_db()
    assert stop.finished_at is None and stop.arrived_at is None
