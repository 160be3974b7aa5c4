"""The check-in screen's mobile-counter mode: today's stop is shown and visits go to its place."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import Site
from cordee.core.tests.factories import SiteFactory
from cordee.households.models import Visit
from cordee.transport.models import MobileCounterCancellation, MobileCounterStop

# A Wednesday at 10:00 (Montréal time), during the morning stop.
NOW = timezone.make_aware(datetime(2026, 12, 2, 10, 0))


@pytest.fixture
def now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def _stop(org, name: str, start: time, end: time, weekday: int = 2) -> MobileCounterStop:
    site = SiteFactory(organisation=org, name=name, kind=Site.Kind.MOBILE_STOP)
    return MobileCounterStop.objects.create(
        organisation=org,
        site=site,
        weekday=weekday,
        starts_at=start,
        ends_at=end,
        first_date=NOW.date() - timedelta(weeks=2),
    )


@pytest.fixture
def stops(org_a):
    return (
        _stop(org_a, "Arundel", time(9), time(11)),
        _stop(org_a, "Huberdeau", time(13), time(15)),
        _stop(org_a, "Lac-Supérieur", time(9), time(11), weekday=3),  # tomorrow
    )


@pytest.fixture
def household(register):
    return register("Marie", "Côté")


def _record(client, household, **extra):
    return client.post(
        reverse("households:visit_record", args=[household.pk]),
        {"visit_type": "basket", **extra},
    )


def test_the_stop_going_on_now_is_shown_and_gets_the_visit(
    client, volunteer_a, household, stops, now
):
    client.force_login(volunteer_a)
    html = client.get(reverse("households:checkin"), {"q": "cote"}).content.decode()
    assert "Comptoir mobile — Arundel, 9\xa0h\xa000" in html
    assert "Passer à Huberdeau, 13\xa0h\xa000" in html
    assert "Lac-Supérieur" not in html
    assert f'name="arret" value="{stops[0].pk}"' in html
    assert _record(client, household, arret=str(stops[0].pk)).status_code == 302
    assert Visit.objects.get().site == stops[0].site


def test_the_volunteer_picks_another_stop_or_none(client, volunteer_a, household, stops, now):
    client.force_login(volunteer_a)
    html = client.get(reverse("households:checkin"), {"arret": stops[1].pk}).content.decode()
    assert "Comptoir mobile — Huberdeau, 13\xa0h\xa000" in html
    # The pick is kept for the day, even when the form does not say it.
    _record(client, household)
    assert Visit.objects.get().site == stops[1].site

    html = client.get(reverse("households:checkin"), {"arret": "0"}).content.decode()
    assert "Au comptoir mobile aujourd" in html
    assert "Les visites sont notées" not in html
    Visit.objects.all().delete()
    _record(client, household, arret="0")
    assert Visit.objects.get().site is None


def test_no_stop_today_or_cancelled_means_the_usual_screen(
    client, volunteer_a, household, org_a, now
):
    stop = _stop(org_a, "Arundel", time(9), time(11))
    MobileCounterCancellation.objects.create(stop=stop, date=NOW.date(), reason="Tempête")
    client.force_login(volunteer_a)
    html = client.get(reverse("households:checkin")).content.decode()
    assert "Comptoir mobile" not in html
    _record(client, household, arret=str(stop.pk))  # a stale form cannot force the stop
    assert Visit.objects.get().site is None


def test_another_organisations_stop_cannot_be_used(
    client, volunteer_a, admin_b, household, org_b, now
):
    stop_b = _stop(org_b, "Arrêt de B", time(9), time(11))
    client.force_login(admin_b)
    assert "Arrêt de B" in client.get(reverse("households:checkin")).content.decode()
    # B cannot record a visit for A's household, mobile mode or not.
    assert _record(client, household, arret=str(stop_b.pk)).status_code == 404

    client.force_login(volunteer_a)
    html = client.get(reverse("households:checkin"), {"arret": stop_b.pk}).content.decode()
    assert "Arrêt de B" not in html and "Comptoir mobile" not in html
    _record(client, household, arret=str(stop_b.pk))
    assert Visit.objects.get().site is None
