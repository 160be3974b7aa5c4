from datetime import time

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordee.core.forms import SiteForm
from cordee.core.models import AuditEvent, Municipality, OpeningHours, Site
from cordee.core.services.organisations import site_create, site_update


def _site_post(**overrides):
    data = {
        "name": "Entrepôt du Nord",
        "kind": "warehouse",
        "address": "12 rue Principale",
        "postal_code": "J8C 1A1",
        "municipality": Municipality.objects.get(name="Val-David").pk,
        "phone": "819-555-0100",
        "latitude": "",
        "longitude": "",
        "fridge_capacity_kg": "1250,5",
        "freezer_capacity_kg": "800",
        "dry_capacity_kg": "",
        "notes": "",
        "is_active": "on",
        "hours-TOTAL_FORMS": "3",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "21",
        "hours-0-weekday": "1",
        "hours-0-opens_at": "13:00",
        "hours-0-closes_at": "16:00",
        "hours-1-weekday": "3",
        "hours-1-opens_at": "09:00",
        "hours-1-closes_at": "12:00",
    }
    data.update(overrides)
    return data


def test_create_site_with_opening_hours_and_capacities(client_a, org_a):
    response = client_a.post(reverse("core:site_create"), _site_post())
    assert response.status_code == 302
    site = Site.objects.get(name="Entrepôt du Nord")
    assert site.organisation == org_a
    assert site.fridge_capacity_g == 1_250_500  # typed in kg (French comma), stored in grams
    assert site.freezer_capacity_g == 800_000
    assert site.dry_capacity_g == 0
    assert [(h.weekday, h.opens_at, h.closes_at) for h in site.opening_hours.all()] == [
        (1, time(13), time(16)),
        (3, time(9), time(12)),
    ]
    event = AuditEvent.objects.get(action="site.create")
    assert event.organisation == org_a
    assert "opening_hours" in event.changed_fields


def test_site_page_shows_capacity_in_fr_ca_format(client_a, org_a):
    client_a.post(reverse("core:site_create"), _site_post())
    site = Site.objects.get(name="Entrepôt du Nord")
    html = client_a.get(reverse("core:site_detail", args=[site.pk])).content.decode()
    assert "1\xa0250,5\xa0kg" in html


def test_bad_opening_hours_show_plain_errors_and_write_nothing(client_a, org_a):
    response = client_a.post(
        reverse("core:site_create"),
        _site_post(**{"hours-0-closes_at": "12:00", "hours-1-opens_at": ""}),
    )
    assert response.status_code == 200
    hours = response.context["hours"]
    assert hours.forms[0].errors["closes_at"]
    assert hours.forms[1].non_field_errors()
    assert not Site.objects.filter(name="Entrepôt du Nord").exists()
    assert not AuditEvent.objects.filter(action="site.create").exists()


def test_missing_name_is_reported_next_to_the_field(client_a):
    response = client_a.post(reverse("core:site_create"), _site_post(name=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert 'aria-invalid="true"' in html


def test_update_records_only_changed_field_names(admin_a, org_a):
    site = org_a.sites.get()
    site_update(
        actor=admin_a,
        site=site,
        data={"name": "Nouveau nom", "phone": site.phone},
        opening_hours=[(0, time(9), time(11))],
    )
    event = AuditEvent.objects.get(action="site.update")
    assert event.changed_fields == ["name", "opening_hours"]
    assert "Nouveau nom" not in str(event.changed_fields)


def test_update_without_changes_records_nothing(admin_a, org_a):
    site = org_a.sites.get()
    site_update(actor=admin_a, site=site, data={"name": site.name}, opening_hours=[])
    assert not AuditEvent.objects.filter(action="site.update").exists()


def test_volunteer_cannot_create_a_site(volunteer_a, org_a):
    with pytest.raises(PermissionDenied):
        site_create(actor=volunteer_a, organisation=org_a, data={"name": "X", "kind": "counter"})
    assert not Site.objects.filter(name="X").exists()


def test_closing_before_opening_is_refused_by_the_database(org_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(
            site=org_a.sites.get(), weekday=0, opens_at=time(12), closes_at=time(9)
        )


@pytest.mark.django_db
@settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(
    name=st.text(max_size=250),
    capacity=st.one_of(st.text(max_size=12), st.decimals(allow_nan=True, allow_infinity=True)),
    lat=st.one_of(st.text(max_size=10), st.floats(allow_nan=True)),
)
def test_site_form_never_crashes_on_bad_input(name, capacity, lat):
    """Whatever is typed, the form answers valid or with messages — never an exception."""
    form = SiteForm(
        data={
            "name": name,
            "kind": "counter",
            "fridge_capacity_kg": str(capacity),
            "latitude": str(lat),
            "longitude": "-74.2",
        }
    )
    if form.is_valid():
        data = form.site_data()
        assert data["fridge_capacity_g"] >= 0
        assert -90 <= (data["latitude"] if data["latitude"] is not None else 0) <= 90
    else:
        assert form.errors
