"""Managing vehicles and the mobile counter's regular stops in the app; French dates."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from cordee.core.models import AuditEvent, Role, Site
from cordee.core.tests.factories import MembershipFactory, SiteFactory, UserFactory
from cordee.transport.models import MobileCounterStop, Vehicle
from cordee.transport.services.fleet import vehicle_create, vehicle_update
from cordee.transport.services.mobile import mobile_counter_stop_update
from cordee.transport.templatetags.transport import day_month, long_date, weekdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, world):
    client.force_login(world.planner)  # a coordinator
    return client


def _member(org, role):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=role)
    return user


# --- services --------------------------------------------------------------------------


def test_vehicle_create_validates_and_audits(world):
    with pytest.raises(ValidationError) as err:
        vehicle_create(
            actor=world.planner,
            organisation=world.hub,
            name="camion réfrigéré",  # same name, other case
            capacity_g=(0, 0, 0),
            available_weekdays="",
        )
    assert set(err.value.error_dict) == {"name", "dry_capacity_g", "available_weekdays"}
    van = vehicle_create(
        actor=world.planner,
        organisation=world.hub,
        name=" Fourgonnette ",
        capacity_g=(800_000, 0, 0),
        cost_per_km_cents=45,
        available_weekdays="420",
    )
    assert van.name == "Fourgonnette" and van.available_weekdays == "024"
    assert AuditEvent.objects.filter(action="vehicle.create").exists()


def test_vehicle_update_and_roles(world):
    staff = _member(world.hub, Role.STAFF)
    with pytest.raises(PermissionDenied):
        vehicle_update(actor=staff, vehicle=world.vehicle, changes={"is_active": False})
    vehicle_update(
        actor=world.planner, vehicle=world.vehicle, changes={"is_active": False, "name": "Vieux"}
    )
    world.vehicle.refresh_from_db()
    assert not world.vehicle.is_active and world.vehicle.name == "Vieux"
    event = AuditEvent.objects.get(action="vehicle.update")
    assert set(event.changed_fields) == {"is_active", "name"}


def test_mobile_stop_update_validates(world):
    with pytest.raises(ValidationError):
        mobile_counter_stop_update(
            actor=world.planner, stop=world.mobile, changes={"ends_at": time(12)}
        )
    mobile_counter_stop_update(
        actor=world.planner, stop=world.mobile, changes={"every_weeks": 2, "is_active": False}
    )
    world.mobile.refresh_from_db()
    assert world.mobile.every_weeks == 2 and not world.mobile.is_active


# --- pages -----------------------------------------------------------------------------


def test_vehicle_pages(manager_client, world):
    listing = manager_client.get(reverse("transport:vehicles"))
    assert listing.status_code == 200 and "Camion réfrigéré" in listing.content.decode()
    new = reverse("transport:vehicle_new")
    assert manager_client.get(new).status_code == 200
    bad = manager_client.post(new, {"name": "", "dry_kg": "-1"})
    assert bad.status_code == 400 and "form-errors" in bad.content.decode()
    ok = manager_client.post(
        new,
        {
            "name": "Fourgonnette",
            "dry_kg": "1 200,5",
            "chilled_kg": "300",
            "cost_per_km": "0,45",
            "available_weekdays": ["0", "2"],
            "is_active": "on",
        },
    )
    assert ok.status_code == 302, ok.content.decode()
    van = Vehicle.objects.get(name="Fourgonnette")
    assert van.capacity == (1_200_500, 300_000, 0)
    assert van.cost_per_km_cents == 45 and van.available_weekdays == "02"
    edit = reverse("transport:vehicle_edit", args=[van.pk])
    page = manager_client.get(edit).content.decode()
    assert 'value="Fourgonnette"' in page and '200,5"' in page
    duplicate = manager_client.post(
        edit, {"name": "Camion réfrigéré", "dry_kg": "10", "available_weekdays": ["0"]}
    )
    assert duplicate.status_code == 400 and "Un autre véhicule" in duplicate.content.decode()
    assert (
        manager_client.post(
            edit, {"name": "Fourgonnette", "dry_kg": "10", "available_weekdays": ["0"]}
        ).status_code
        == 302
    )
    van.refresh_from_db()
    assert van.capacity == (10_000, 0, 0) and not van.is_active


def test_mobile_stop_pages(manager_client, world):
    listing = manager_client.get(reverse("transport:mobile_stops")).content.decode()
    assert world.mobile.site.name in listing
    place = SiteFactory(
        organisation=world.hub,
        kind=Site.Kind.MOBILE_STOP,
        name="Stationnement — Huberdeau",
        municipality=world.mobile.site.municipality,
    )
    new = reverse("transport:mobile_stop_new")
    data = {
        "site": place.pk,
        "weekday": "3",
        "every_weeks": "2",
        "starts_at": "10:00",
        "ends_at": "09:00",
        "first_date": "2027-01-07",
        "dry_kg": "80",
        "is_active": "on",
    }
    bad = manager_client.post(new, data)
    assert bad.status_code == 400 and not MobileCounterStop.objects.filter(site=place).exists()
    assert manager_client.post(new, data | {"ends_at": "11:30"}).status_code == 302
    stop = MobileCounterStop.objects.get(site=place)
    assert (stop.weekday, stop.every_weeks, stop.dry_g) == (3, 2, 80_000)
    edit = reverse("transport:mobile_stop_edit", args=[stop.pk])
    assert "Huberdeau" in manager_client.get(edit).content.decode()
    changed = data | {"ends_at": "11:30", "every_weeks": "1", "is_active": ""}
    assert manager_client.post(edit, changed).status_code == 302
    stop.refresh_from_db()
    assert stop.every_weeks == 1 and not stop.is_active
    # Only the organisation's own mobile-stop places are offered.
    assert manager_client.post(new, data | {"site": world.warehouse.pk}).status_code == 400


def test_staff_and_drivers_cannot_manage(client, world):
    for role in (Role.STAFF, Role.DRIVER):
        client.force_login(_member(world.hub, role))
        for url in (
            reverse("transport:vehicles"),
            reverse("transport:vehicle_edit", args=[world.vehicle.pk]),
            reverse("transport:mobile_stops"),
            reverse("transport:mobile_stop_new"),
        ):
            assert client.get(url).status_code == 403, (role, url)


def test_other_organisation_gets_404_and_sees_nothing(client, world, org_b):
    client.force_login(_member(org_b, Role.COORDINATOR))
    for url in (
        reverse("transport:vehicle_edit", args=[world.vehicle.pk]),
        reverse("transport:mobile_stop_edit", args=[world.mobile.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Volé", "available_weekdays": ["0"]}).status_code == 404
    assert "Camion réfrigéré" not in client.get(reverse("transport:vehicles")).content.decode()
    stops = client.get(reverse("transport:mobile_stops")).content.decode()
    assert world.mobile.site.name not in stops
    # Another organisation's place cannot be chosen for a stop.
    response = client.post(
        reverse("transport:mobile_stop_new"),
        {
            "site": world.mobile.site.pk,
            "weekday": "1",
            "every_weeks": "1",
            "starts_at": "10:00",
            "ends_at": "11:00",
            "first_date": "2027-01-05",
        },
    )
    assert response.status_code == 400
    world.vehicle.refresh_from_db()
    assert world.vehicle.name == "Camion réfrigéré"


# --- dates in French -------------------------------------------------------------------


def test_first_of_the_month_in_french():
    with translation.override("fr-ca"):
        assert day_month(date(2027, 1, 1)) == "1er janvier"
        assert long_date(date(2027, 1, 1)) == "vendredi 1er janvier"
        assert long_date(date(2026, 12, 2)) == "mercredi 2 décembre"
        assert weekdays("024") == "lundi, mercredi, vendredi"
    with translation.override("en"):
        assert long_date(date(2027, 1, 1)) == "Friday 1 January"
    assert day_month(None) == ""


def test_public_page_says_1er(client, world):
    MobileCounterStop.objects.filter(pk=world.mobile.pk).update(
        first_date=date(2027, 1, 1), weekday=4, every_weeks=1
    )
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 12, 28)):
        html = client.get(reverse("mobile_counter:public", args=[world.hub.slug])).content.decode()
    assert "vendredi 1er janvier" in html
