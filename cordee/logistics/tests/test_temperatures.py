"""Fridge and freezer temperature log: readings, the out-of-range rule, alerts, tenancy."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cordee.core.models import AuditEvent
from cordee.core.selectors.home import next_steps
from cordee.logistics.forms_temperatures import TemperatureReadingForm
from cordee.logistics.models import ColdUnit, TemperatureReading
from cordee.logistics.selectors.temperatures import temperature_alerts
from cordee.logistics.services.temperatures import cold_unit_create, temperature_record

LIST = reverse("logistics:temperature_list")


def _english(client):
    client.cookies["cordee_language"] = "en"
    return client


@pytest.fixture
def fridge_a(admin_a, site_a):
    return cold_unit_create(actor=admin_a, site=site_a, name="Grand frigo", storage_class="chilled")


@pytest.fixture
def freezer_a(admin_a, site_a):
    return cold_unit_create(actor=admin_a, site=site_a, name="Congélateur", storage_class="frozen")


@pytest.fixture
def fridge_b(admin_b, org_b):
    return cold_unit_create(
        actor=admin_b, site=org_b.sites.get(), name="Frigo B secret", storage_class="chilled"
    )


def _post(unit, temperature, action=""):
    return {
        "unit": unit.pk,
        f"u{unit.pk}-temperature_c": temperature,
        f"u{unit.pk}-action_taken": action,
    }


# Service


def test_record_in_range(admin_a, freezer_a):
    reading = temperature_record(actor=admin_a, unit=freezer_a, temperature_c=Decimal("-19.5"))
    assert not reading.is_out_of_range and reading.taken_by == admin_a
    assert AuditEvent.objects.filter(action="temperature.record").count() == 1


def test_out_of_range_needs_action(admin_a, fridge_a):
    with pytest.raises(ValidationError) as exc:
        temperature_record(actor=admin_a, unit=fridge_a, temperature_c=Decimal("7"))
    assert "action_taken" in exc.value.message_dict
    assert not TemperatureReading.objects.exists()
    reading = temperature_record(
        actor=admin_a, unit=fridge_a, temperature_c=Decimal("7"), action_taken="Porte fermée"
    )
    assert reading.is_out_of_range and reading.action_taken == "Porte fermée"
    assert AuditEvent.objects.filter(action="temperature.out_of_range").count() == 1


def test_limits_are_inclusive(admin_a, fridge_a, freezer_a):
    assert not temperature_record(
        actor=admin_a, unit=fridge_a, temperature_c=Decimal("4.0")
    ).is_out_of_range
    assert not temperature_record(
        actor=admin_a, unit=freezer_a, temperature_c=Decimal("-18")
    ).is_out_of_range
    with pytest.raises(ValidationError):
        temperature_record(actor=admin_a, unit=freezer_a, temperature_c=Decimal("-17.9"))


def test_volunteer_cannot_create_unit_and_other_org_cannot_record(
    volunteer_a, admin_b, site_a, fridge_a
):
    with pytest.raises(PermissionDenied):
        cold_unit_create(actor=volunteer_a, site=site_a, name="X", storage_class="chilled")
    with pytest.raises(PermissionDenied):
        temperature_record(actor=admin_b, unit=fridge_a, temperature_c=Decimal("2"))


# Screens


def test_record_in_range_from_the_list(client_a, fridge_a):
    response = client_a.post(LIST, _post(fridge_a, "3,5"))
    assert response.status_code == 302
    reading = TemperatureReading.objects.get()
    assert reading.temperature_c == Decimal("3.5") and not reading.is_out_of_range


def test_typographic_minus_for_freezer(client_a, freezer_a):
    client_a.post(LIST, _post(freezer_a, "−18 °C"))
    assert TemperatureReading.objects.get().temperature_c == Decimal("-18.0")


def test_out_of_range_without_action_shows_error_next_to_field(client_a, fridge_a):
    response = _english(client_a).post(LIST, _post(fridge_a, "8"))
    assert response.status_code == 200
    assert not TemperatureReading.objects.exists()
    form = next(r["form"] for r in response.context["rows"] if r["status"].unit == fridge_a)
    assert form.errors["action_taken"]
    html = response.content.decode()
    assert f'id="id_u{fridge_a.pk}-action_taken_error"' in html
    assert "Too warm" in html


def test_out_of_range_with_action_saved_and_flagged(client_a, fridge_a):
    client_a.post(LIST, _post(fridge_a, "8,2", "Aliments déplacés dans l'autre frigo"))
    reading = TemperatureReading.objects.get()
    assert reading.is_out_of_range and reading.temperature_c == Decimal("8.2")
    html = _english(client_a).get(reverse("logistics:temperature_unit", args=[fridge_a.pk]))
    text = html.content.decode()
    assert "Too warm" in text and "Aliments déplacés" in text
    assert "reading was too warm" in _english(client_a).get(LIST).content.decode()


def test_list_shows_today_done_and_to_do(client_a, admin_a, fridge_a, freezer_a):
    temperature_record(actor=admin_a, unit=fridge_a, temperature_c=Decimal("2"))
    rows = {r["status"].unit.pk: r["status"] for r in client_a.get(LIST).context["rows"]}
    assert rows[fridge_a.pk].done_today and not rows[freezer_a.pk].done_today


def test_volunteer_records_but_cannot_add_unit(client, volunteer_a, site_a, fridge_a):
    client.force_login(volunteer_a)
    assert client.post(LIST, _post(fridge_a, "3")).status_code == 302
    assert TemperatureReading.objects.count() == 1
    response = client.post(
        LIST,
        {
            "add_unit": "1",
            "new-name": "Autre",
            "new-site": site_a.pk,
            "new-storage_class": "frozen",
        },
    )
    assert response.status_code == 403
    assert ColdUnit.objects.count() == 1
    assert client.get(LIST).context["unit_form"] is None


def test_manager_adds_unit(client_a, site_a):
    response = client_a.post(
        LIST,
        {
            "add_unit": "1",
            "new-name": "Chambre froide",
            "new-site": site_a.pk,
            "new-storage_class": "chilled",
        },
    )
    assert response.status_code == 302
    assert ColdUnit.objects.get().name == "Chambre froide"


def test_tenancy(client_a, fridge_a, fridge_b):
    assert (
        client_a.get(reverse("logistics:temperature_unit", args=[fridge_b.pk])).status_code == 404
    )
    assert client_a.post(LIST, _post(fridge_b, "2")).status_code == 404
    assert not TemperatureReading.objects.exists()
    html = client_a.get(LIST).content.decode()
    assert "Frigo B secret" not in html and "Grand frigo" in html


def test_history_keeps_30_days(client_a, admin_a, fridge_a):
    old = temperature_record(actor=admin_a, unit=fridge_a, temperature_c=Decimal("1"))
    TemperatureReading.objects.filter(pk=old.pk).update(
        taken_at=timezone.now() - timedelta(days=40)
    )
    recent = temperature_record(actor=admin_a, unit=fridge_a, temperature_c=Decimal("2"))
    readings = list(
        client_a.get(reverse("logistics:temperature_unit", args=[fridge_a.pk])).context["readings"]
    )
    assert readings == [recent]


# Alerts and the home page


def test_alerts_and_next_step(admin_a, org_a, fridge_a, freezer_a, fridge_b):
    alerts = temperature_alerts(org=org_a)
    assert set(alerts.missing_today) == {fridge_a, freezer_a}  # not org B's unit
    step = next(s for s in next_steps(user=admin_a, org=org_a) if s.url == LIST)
    assert "2" in step.text and not step.urgent

    temperature_record(
        actor=admin_a, unit=fridge_a, temperature_c=Decimal("9"), action_taken="Appel"
    )
    alerts = temperature_alerts(org=org_a)
    assert alerts.missing_today == [freezer_a]
    assert [r.unit for r in alerts.out_of_range] == [fridge_a] and alerts.out_of_range_last_24h
    step = next(s for s in next_steps(user=admin_a, org=org_a) if s.url == LIST)
    assert step.urgent

    temperature_record(actor=admin_a, unit=freezer_a, temperature_c=Decimal("-20"))
    assert all(s.url != LIST for s in next_steps(user=admin_a, org=org_a))


def test_old_out_of_range_reading_leaves_alerts(admin_a, org_a, fridge_a):
    r = temperature_record(
        actor=admin_a, unit=fridge_a, temperature_c=Decimal("9"), action_taken="Appel"
    )
    TemperatureReading.objects.filter(pk=r.pk).update(taken_at=timezone.now() - timedelta(days=8))
    assert temperature_alerts(org=org_a).out_of_range == []


def test_volunteer_sees_the_next_step(client, volunteer_a, fridge_a):
    client.force_login(volunteer_a)
    steps = client.get(reverse("core:home")).context["steps"]
    assert [s.url for s in steps] == [LIST]


# Parsing never crashes

typed = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A[ \-−–+]?[0-9]{0,4}([,.][0-9]{0,3})?( ?°? ?[cC])?\Z"),
)


@pytest.mark.django_db
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=typed, action=st.text(max_size=20))
@example(value="−18 °C", action="")
@example(value="1e999", action="")
@example(value="NaN", action="")
@example(value="-Infinity", action="")
def test_reading_form_never_crashes(value, action):
    unit = ColdUnit(pk=1, name="Frigo", storage_class="chilled")
    form = TemperatureReadingForm({"u1-temperature_c": value, "u1-action_taken": action}, unit=unit)
    if form.is_valid():
        t = form.cleaned_data["temperature_c"]
        assert t.is_finite() and Decimal(-40) <= t <= Decimal(99)
        assert t == t.quantize(Decimal("0.1"))
        if t > 4:
            assert action.strip()
