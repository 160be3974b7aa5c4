"""Transport pages: what planners, drivers and the public see; another organisation sees
nothing (404)."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import Role
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.transport.models import MobileCounterCancellation, Tour, TourStop

from .world import TOUR_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_client(client, world):
    client.force_login(world.planner)
    return client


def _outsider_client(client, org_b):
    """A coordinator of another organisation (org_b, in another network)."""
    outsider = UserFactory()
    MembershipFactory(user=outsider, organisation=org_b, role=Role.COORDINATOR)
    client.force_login(outsider)
    return client


def test_week_lists_the_tours(planner_client, tour):
    response = planner_client.get(reverse("transport:week") + f"?semaine={TOUR_DAY:%Y-%m-%d}")
    assert response.status_code == 200
    assert reverse("transport:tour_detail", args=[tour.pk]).encode() in response.content
    assert b"Camion r\xc3\xa9frig\xc3\xa9r\xc3\xa9" in response.content


def test_create_tour_from_the_week(planner_client, world):
    response = planner_client.post(
        reverse("transport:tour_new"),
        {
            "date": TOUR_DAY.isoformat(),
            "vehicle": world.vehicle.pk,
            "driver": world.driver.pk,
            "start_site": world.warehouse.pk,
            "starts_at": "08:00",
            "ends_at": "17:00",
        },
    )
    tour = Tour.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transport:tour_detail", args=[tour.pk])
    assert tour.stops.count() == 3


def test_create_tour_bad_input_says_where(planner_client, world):
    response = planner_client.post(
        reverse("transport:tour_new"),
        {
            "date": TOUR_DAY.isoformat(),
            "vehicle": world.vehicle.pk,
            "start_site": world.warehouse.pk,
            "starts_at": "17:00",
            "ends_at": "08:00",
        },
    )
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    assert not Tour.objects.exists()


def test_tour_detail_shows_stops_times_and_loads(planner_client, tour):
    response = planner_client.get(reverse("transport:tour_detail", args=[tour.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for stop in tour.stops.all():
        assert stop.site.name in html
    assert "tour-points" in html  # the map's data
    assert reverse("transport:route_sheet_pdf", args=[tour.pk]) in html


def test_optimise_and_status(planner_client, tour, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post(reverse("transport:tour_optimise", args=[tour.pk]))
    assert response.status_code == 302
    tour.refresh_from_db()
    assert tour.optimisation == Tour.Optimisation.DONE
    status = planner_client.get(
        reverse("transport:tour_status", args=[tour.pk]) + "?attente=1", HTTP_HX_REQUEST="true"
    )
    assert status.status_code == 200 and status["HX-Refresh"] == "true"


def test_status_polls_while_busy(planner_client, tour):
    Tour.objects.filter(pk=tour.pk).update(
        optimisation=Tour.Optimisation.RUNNING,
        optimisation_started_at=timezone.now(),
        optimisation_seconds=10,
    )
    page = planner_client.get(reverse("transport:tour_detail", args=[tour.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'http-equiv="refresh"' in page  # JS and no JS
    status = planner_client.get(reverse("transport:tour_status", args=[tour.pk]))
    assert "<progress" in status.content.decode() and "HX-Refresh" not in status


def test_move_stop(planner_client, tour):
    stop = tour.stops.order_by("order").first()
    response = planner_client.post(reverse("transport:stop_move", args=[stop.pk, "down"]))
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.order == 2
    assert (
        planner_client.post(reverse("transport:stop_move", args=[stop.pk, "x"])).status_code == 404
    )


def test_route_sheet(planner_client, tour):
    html = planner_client.get(reverse("transport:route_sheet", args=[tour.pk])).content.decode()
    assert "°C" in html and tour.stops.first().site.name in html
    response = planner_client.get(reverse("transport:route_sheet_pdf", args=[tour.pk]))
    if response.status_code == 503:
        pytest.skip("WeasyPrint's libraries are missing on this machine")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_driver_sees_today_and_marks_stops(client, world, tour):
    Tour.objects.filter(pk=tour.pk).update(date=timezone.localdate())
    client.force_login(world.driver)
    assert client.get(reverse("transport:home"))["Location"] == reverse("transport:driver")
    html = client.get(reverse("transport:driver")).content.decode()
    stop = tour.stops.order_by("order").first()
    assert f'id="arret-{stop.pk}"' in html
    assert "https://www.google.com/maps/search/?api=1&amp;query=" in html
    assert 'href="tel:819-555-0' in html
    client.post(reverse("transport:stop_arrive", args=[stop.pk]))
    client.post(reverse("transport:stop_finish", args=[stop.pk]))
    stop.refresh_from_db()
    assert stop.arrived_at and stop.finished_at
    # A driver does not plan.
    assert client.get(reverse("transport:week")).status_code == 403


def test_driver_sees_only_own_tours(client, world, tour):
    Tour.objects.filter(pk=tour.pk).update(date=timezone.localdate())
    other = UserFactory()
    MembershipFactory(user=other, organisation=world.hub, role=Role.DRIVER)
    client.force_login(other)
    html = client.get(reverse("transport:driver")).content.decode()
    assert "arret-" not in html


def test_pickup_links_to_reception_form(client, world, tour):
    from cordee.core.tests.factories import OrganisationFactory, SiteFactory
    from cordee.transport.services.tours import tour_stop_add

    site = SiteFactory(organisation=OrganisationFactory(kind="food_bank"), kind="warehouse")
    tour_stop_add(actor=world.planner, tour=tour, kind=TourStop.Kind.FOOD_BANK_PICKUP, site=site)
    Tour.objects.filter(pk=tour.pk).update(date=timezone.localdate())
    client.force_login(world.driver)
    html = client.get(reverse("transport:driver")).content.decode()
    assert reverse("logistics:reception_create") in html


def test_pickup_form_on_tour(planner_client, world, tour):
    from cordee.core.tests.factories import (
        NetworkMembershipFactory,
        OrganisationFactory,
        SiteFactory,
    )

    bank = OrganisationFactory(kind="food_bank", name="Moisson")
    NetworkMembershipFactory(network=world.network, organisation=bank)
    site = SiteFactory(organisation=bank, kind="warehouse", name="Entrepôt Moisson")
    url = reverse("transport:tour_pickup_add", args=[tour.pk])
    bad = planner_client.post(url, {"place": f"site:{site.pk}", "dry_kg": "-3"})
    assert bad.status_code == 400 and not tour.stops.filter(site=site).exists()
    ok = planner_client.post(
        url, {"place": f"site:{site.pk}", "dry_kg": "1200,5", "chilled_kg": "300"}
    )
    assert ok.status_code == 302
    stop = tour.stops.get(site=site)
    assert stop.pickup_load == (1_200_500, 300_000, 0)


def test_mobile_counter_planner_page_and_cancel(planner_client, world):
    today = timezone.localdate()
    next_date = today + timedelta(days=(world.mobile.weekday - today.weekday()) % 7)
    html = planner_client.get(reverse("transport:mobile_counter")).content.decode()
    assert world.mobile.site.name in html
    response = planner_client.post(
        reverse("transport:mobile_counter_cancel", args=[world.mobile.pk]),
        {"date": next_date.isoformat(), "reason": "Camion au garage"},
    )
    assert response.status_code == 302
    assert MobileCounterCancellation.objects.filter(stop=world.mobile, date=next_date).exists()
    empty = planner_client.post(
        reverse("transport:mobile_counter_cancel", args=[world.mobile.pk]),
        {"date": (next_date + timedelta(days=7)).isoformat(), "reason": ""},
    )
    assert empty.status_code == 302
    assert MobileCounterCancellation.objects.count() == 1


# --- tenancy --------------------------------------------------------------------------


def test_other_organisation_gets_404_everywhere(client, world, tour, org_b):
    client = _outsider_client(client, org_b)
    stop = tour.stops.first()
    gets = [
        reverse("transport:tour_detail", args=[tour.pk]),
        reverse("transport:tour_status", args=[tour.pk]),
        reverse("transport:route_sheet", args=[tour.pk]),
        reverse("transport:route_sheet_pdf", args=[tour.pk]),
    ]
    posts = [
        reverse("transport:tour_optimise", args=[tour.pk]),
        reverse("transport:tour_stops_add", args=[tour.pk]),
        reverse("transport:tour_pickup_add", args=[tour.pk]),
        reverse("transport:stop_move", args=[stop.pk, "up"]),
        reverse("transport:stop_arrive", args=[stop.pk]),
        reverse("transport:stop_finish", args=[stop.pk]),
        reverse("transport:mobile_counter_cancel", args=[world.mobile.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"date": TOUR_DAY.isoformat(), "reason": "x"}).status_code == 404, (
            url
        )
    stop.refresh_from_db()
    assert stop.arrived_at is None
    assert not MobileCounterCancellation.objects.exists()


def test_other_organisation_lists_show_nothing(client, world, tour, org_b):
    client = _outsider_client(client, org_b)
    week = client.get(reverse("transport:week") + f"?semaine={TOUR_DAY:%Y-%m-%d}")
    assert week.status_code == 200
    assert reverse("transport:tour_detail", args=[tour.pk]).encode() not in week.content
    assert world.vehicle.name.encode() not in week.content
    Tour.objects.filter(pk=tour.pk).update(date=timezone.localdate())
    driver = client.get(reverse("transport:driver")).content.decode()
    assert "arret-" not in driver
    mobile = client.get(reverse("transport:mobile_counter")).content.decode()
    assert world.mobile.site.name not in mobile


def test_anonymous_is_sent_to_sign_in(client, tour):
    response = client.get(reverse("transport:tour_detail", args=[tour.pk]))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


# --- public page and feed -------------------------------------------------------------


@pytest.fixture
def public_world(world):
    """A cancellation in the coming weeks, with characters that need escaping in iCal."""
    today = timezone.localdate()
    next_date = today + timedelta(days=(world.mobile.weekday - today.weekday()) % 7)
    MobileCounterCancellation.objects.create(
        stop=world.mobile, date=next_date, reason="Tempête, routes fermées; désolé"
    )
    world.mobile.site.notes = "Clé du local : code 4321"  # private: never on the public page
    world.mobile.site.phone = "819-555-0177"
    world.mobile.site.save()
    return world


def test_public_page_needs_no_sign_in_and_shows_dates(client, public_world):
    for slug in ("carrefour-test", public_world.network.slug):
        response = client.get(reverse("mobile_counter:public", args=[slug]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Comptoir mobile — Arundel" in html
        assert "Tempête, routes fermées; désolé" in html
        assert "is-cancelled" in html
        # Nothing private: notes, phone, loads, deliveries, members' names, people.
        assert "4321" not in html and "819-555-0177" not in html
        assert "Membre Labelle" not in html and "Camion" not in html
        assert "chauffeur@example.org" not in html and "Réjean" not in html


def test_public_page_unknown_or_without_counter_is_404(client, world, org_b):
    assert client.get(reverse("mobile_counter:public", args=["inconnu"])).status_code == 404
    assert client.get(reverse("mobile_counter:public", args=[org_b.slug])).status_code == 404
    assert client.get(reverse("mobile_counter:feed", args=[org_b.slug])).status_code == 404


def _unfold(body: str) -> list[str]:
    lines: list[str] = []
    for raw in body.split("\r\n"):
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def test_ical_feed_parses(client, public_world):
    response = client.get(reverse("mobile_counter:feed", args=["carrefour-test"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode("utf-8")
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    raw_lines = body.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines)
    lines = _unfold(body)[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    # Weekly stop: one week back and 26 ahead → 28 events (27 or 28 by weekday); all have
    # the mandatory properties and unique UIDs.
    begins = [i for i, line in enumerate(lines) if line == "BEGIN:VEVENT"]
    ends = [i for i, line in enumerate(lines) if line == "END:VEVENT"]
    assert len(begins) == len(ends) and 27 <= len(begins) <= 28
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(begins)
    for start, end in zip(begins, ends, strict=True):
        event = lines[start:end]
        names = {line.split(":", 1)[0].split(";", 1)[0] for line in event[1:]}
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "STATUS"} <= names
    cancelled = [i for i in begins if "STATUS:CANCELLED" in lines[i : ends[begins.index(i)]]]
    assert len(cancelled) == 1
    assert "DESCRIPTION:Annulé : Tempête\\, routes fermées\\; désolé" in lines
    assert "LOCATION:Stationnement de l'église\\, Arundel" in lines
    # 13:00 in Montréal is 18:00 or 17:00 UTC (winter / summer).
    starts = [line for line in lines if line.startswith("DTSTART:")]
    assert all(line.endswith(("T180000Z", "T170000Z")) for line in starts)


def test_ical_skips_inactive_stops(client, world):
    world.mobile.is_active = False
    world.mobile.save()
    assert client.get(reverse("mobile_counter:feed", args=["carrefour-test"])).status_code == 404


def test_tour_times_are_shown_as_clock(planner_client, tour):
    stop = tour.stops.order_by("order").first()
    TourStop.objects.filter(pk=stop.pk).update(planned_arrival_s=9 * 3600 + 5 * 60)
    html = planner_client.get(reverse("transport:tour_detail", args=[tour.pk])).content.decode()
    assert "9\xa0h\xa005" in html
    assert time(9) == stop.window_start
