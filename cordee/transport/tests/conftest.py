"""Fixtures of the transport tests (the world itself is built in world.py)."""

from datetime import time

import pytest

from .world import TOUR_DAY, HubWorld, build_hub_world


@pytest.fixture
def world(db) -> HubWorld:
    return build_hub_world()


@pytest.fixture
def tour(world):
    from cordee.transport.services.tours import tour_create, tour_stops_add

    tour = tour_create(
        actor=world.planner,
        organisation=world.hub,
        day=TOUR_DAY,
        vehicle=world.vehicle,
        driver=world.driver,
        start_site=world.warehouse,
        starts_at=time(8),
        ends_at=time(17),
    )
    tour_stops_add(actor=world.planner, tour=tour)
    tour.refresh_from_db()
    return tour
