"""The people demo: loads quickly, once, with what the screens need to show."""

import time

import pytest
from django.utils import timezone

from cordee.core.demo.load import demo_load
from cordee.core.models import User
from cordee.people.demo import people_demo_load
from cordee.people.models import (
    Certification,
    HoursEntry,
    LedgerEntry,
    SharedPosition,
    Shift,
    ShiftAlert,
    ShiftSignup,
    Statement,
    Volunteer,
)
from cordee.people.selectors import my_signups


@pytest.mark.django_db
def test_people_demo_loads_once_with_realistic_counts():
    demo_load()
    started = time.perf_counter()
    first = people_demo_load()
    assert time.perf_counter() - started < 5
    assert 40 <= Volunteer.objects.filter(email__endswith="@benevoles.demo.example").count() <= 45
    assert first.shifts == Shift.objects.count() > 200
    today = timezone.localdate()
    assert Shift.objects.filter(date__lt=today - timezone.timedelta(days=50)).exists()
    assert Shift.objects.filter(date__gt=today + timezone.timedelta(days=25)).exists()
    assert ShiftSignup.objects.filter(status="waiting").exists()
    assert ShiftSignup.objects.filter(status="cancelled").count() == ShiftAlert.objects.count()
    soon = today + timezone.timedelta(days=60)
    assert Certification.objects.filter(expires_on__gte=today, expires_on__lte=soon).exists()
    past_confirmed = ShiftSignup.objects.filter(status="confirmed", shift__date__lt=today)
    assert HoursEntry.objects.count() == past_confirmed.count() > 300
    # Truck helpers hold a driver's licence.
    for signup in ShiftSignup.objects.filter(shift__title="Aide au camion", status="confirmed"):
        assert signup.volunteer.certifications.filter(kind="driver").exists()
    assert set(SharedPosition.objects.values_list("title", flat=True)) == {
        "Soutien informatique",
        "Coordination des bénévoles",
    }
    assert first.statements == Statement.objects.count() == 2 * (4 + 3)
    assert LedgerEntry.objects.filter(kind="payment").count() == 2

    # The demo volunteer login sees coming shifts in « Mes quarts ».
    gisele = User.objects.get(full_name="Gisèle Lavallée")
    volunteer = Volunteer.objects.get(user=gisele)
    org = volunteer.organisations.get()
    assert my_signups(org=org, volunteer=volunteer).count() == 3

    again = people_demo_load()
    assert again.created == 0
    assert (again.volunteers, again.shifts, again.signups, again.statements) == (
        first.volunteers,
        first.shifts,
        first.signups,
        first.statements,
    )
