"""The demo hub's transport: a 3-compartment truck, its driver, the mobile counter's 4
stops, and this week's tours, all optimised and feasible; loading twice adds nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cordee.core.demo.load import demo_load
from cordee.logistics.demo import logistics_demo_load
from cordee.transport.demo import transport_demo_load
from cordee.transport.models import DriverProfile, MobileCounterStop, Tour, TourStop, Vehicle

from .test_tours import assert_feasible, routing_ready

pytestmark = pytest.mark.django_db


def test_transport_demo():
    routing_ready()
    demo_load()
    logistics_demo_load(days=28)
    summary = transport_demo_load()
    truck = Vehicle.objects.get()
    assert all(truck.capacity)
    assert DriverProfile.objects.filter(user__email="chauffeur.carrefour@cordee.example").exists()
    assert MobileCounterStop.objects.count() == 4
    tours = list(Tour.objects.order_by("date"))
    assert len(tours) == summary.tours == 5
    assert {t.date.weekday() for t in tours} == {0, 1, 2, 3, 4}
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    assert tours[0].date == monday
    kinds = set(TourStop.objects.values_list("kind", flat=True))
    assert kinds == set(TourStop.Kind.values)
    for tour in tours:
        assert tour.optimisation == Tour.Optimisation.DONE
        assert_feasible(tour)
    # Again: nothing new.
    again = transport_demo_load()
    assert again.created == 0 and Tour.objects.count() == 5
