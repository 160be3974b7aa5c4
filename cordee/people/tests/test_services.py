from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cordee.core.models import AuditEvent
from cordee.people.models import Certification, Shift, ShiftAlert, ShiftTemplate
from cordee.people.services.shifts import (
    shift_assign,
    shift_cancel,
    shift_generate,
    shift_signup,
)

from .conftest import make_shift, make_volunteer

CONFIRMED, WAITING, CANCELLED, STANDBY = "confirmed", "waiting", "cancelled", "standby"


def test_signup_fills_places_then_waiting_list(people, admin_a):
    shift = people.shift
    statuses = [
        shift_signup(actor=admin_a, shift=shift, volunteer=v).status for v in people.volunteers[:3]
    ]
    assert statuses == [CONFIRMED, CONFIRMED, WAITING]
    assert AuditEvent.objects.filter(action="people.signup.create").count() == 3


def test_cancel_promotes_first_on_waiting_list(people, admin_a):
    a, b, c, d = people.volunteers
    first = shift_signup(actor=admin_a, shift=people.shift, volunteer=a)
    shift_signup(actor=admin_a, shift=people.shift, volunteer=b)
    waiting_c = shift_signup(actor=admin_a, shift=people.shift, volunteer=c)
    waiting_d = shift_signup(actor=admin_a, shift=people.shift, volunteer=d)
    shift_cancel(actor=admin_a, signup=first)
    waiting_c.refresh_from_db()
    waiting_d.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, waiting_c.status, waiting_d.status) == (CANCELLED, CONFIRMED, WAITING)
    assert first.cancelled_at is not None
    # Not late (5 days ahead): no alert, no e-mail.
    assert not ShiftAlert.objects.exists()
    assert mail.outbox == []


def test_late_cancel_alerts_coordinator_once(org_a, people, admin_a):
    shift = make_shift(org_a, days=1)
    signup = shift_signup(actor=admin_a, shift=shift, volunteer=people.volunteers[0])
    shift_cancel(actor=admin_a, signup=signup)
    assert ShiftAlert.objects.filter(shift=shift, kind="late_cancel").count() == 1
    with pytest.raises(ValidationError):
        shift_cancel(actor=admin_a, signup=signup)  # already cancelled
    assert ShiftAlert.objects.count() == 1


def test_late_cancel_of_waiting_person_is_no_alert(org_a, people, admin_a):
    shift = make_shift(org_a, days=1, needed=1)
    shift_signup(actor=admin_a, shift=shift, volunteer=people.volunteers[0])
    waiting = shift_signup(actor=admin_a, shift=shift, volunteer=people.volunteers[1])
    shift_cancel(actor=admin_a, signup=waiting)
    assert not ShiftAlert.objects.exists()


def test_late_cancel_sends_one_mail_after_commit(
    org_a, people, admin_a, django_capture_on_commit_callbacks
):
    shift = make_shift(org_a, days=1)
    signup = shift_signup(actor=admin_a, shift=shift, volunteer=people.volunteers[0])
    with django_capture_on_commit_callbacks(execute=True):
        shift_cancel(actor=admin_a, signup=signup)
    assert ShiftAlert.objects.filter(shift=shift).count() == 1
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"admin-a@example.org", "coord-a@example.org"}
    assert "Bénévole 0" in mail.outbox[0].body


def test_unqualified_goes_to_waiting_and_is_not_promoted(org_a, people, admin_a):
    shift = make_shift(org_a, needed=1, required_certifications=["food_handler"])
    plain, certified = people.volunteers[:2]
    Certification.objects.create(
        volunteer=certified,
        kind="food_handler",
        expires_on=timezone.localdate() + timedelta(days=365),
    )
    assert shift_signup(actor=admin_a, shift=shift, volunteer=plain).status == WAITING
    assert shift_signup(actor=admin_a, shift=shift, volunteer=certified).status == CONFIRMED


def test_expired_certification_does_not_qualify(org_a, people, admin_a):
    shift = make_shift(org_a, needed=1, required_certifications=["first_aid"])
    v = people.volunteers[0]
    Certification.objects.create(
        volunteer=v, kind="first_aid", expires_on=timezone.localdate() + timedelta(days=2)
    )
    assert shift_signup(actor=admin_a, shift=shift, volunteer=v).status == WAITING


def test_standby_does_not_take_a_place(people, admin_a):
    assert (
        shift_signup(
            actor=admin_a, shift=people.shift, volunteer=people.volunteers[0], standby=True
        ).status
        == STANDBY
    )
    assert (
        shift_signup(actor=admin_a, shift=people.shift, volunteer=people.volunteers[1]).status
        == CONFIRMED
    )


def test_twice_on_same_shift_refused(people, admin_a):
    shift_signup(actor=admin_a, shift=people.shift, volunteer=people.volunteers[0])
    with pytest.raises(ValidationError):
        shift_signup(actor=admin_a, shift=people.shift, volunteer=people.volunteers[0])


def test_volunteer_cannot_sign_up_someone_else(people, volunteer_a):
    with pytest.raises(PermissionDenied):
        shift_signup(actor=volunteer_a, shift=people.shift, volunteer=people.volunteers[0])


def test_other_organisation_volunteer_refused(org_b, people, admin_a):
    stranger = make_volunteer(org_b, "Étrangère")
    with pytest.raises(ValidationError):
        shift_signup(actor=admin_a, shift=people.shift, volunteer=stranger)


def test_assign_refuses_when_full(org_a, people, admin_a):
    shift = make_shift(org_a, needed=1)
    shift_assign(actor=admin_a, shift=shift, volunteer=people.volunteers[0])
    with pytest.raises(ValidationError, match="complet"):
        shift_assign(actor=admin_a, shift=shift, volunteer=people.volunteers[1])


def test_generate_is_idempotent(org_a, admin_a):
    ShiftTemplate.objects.create(
        organisation=org_a,
        site=org_a.sites.first(),
        title="Tri à l'entrepôt",
        weekday=2,
        starts_at=time(13),
        ends_at=time(16),
        needed=3,
    )
    start = timezone.localdate()
    end = start + timedelta(days=27)
    assert shift_generate(actor=admin_a, organisation=org_a, start=start, end=end) == 4
    assert shift_generate(actor=admin_a, organisation=org_a, start=start, end=end) == 0
    assert Shift.objects.filter(organisation=org_a, date__gte=start).count() == 4
    assert all(s.date.weekday() == 2 for s in Shift.objects.all())


def test_generate_needs_a_coordinator(org_a, volunteer_a):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        shift_generate(actor=volunteer_a, organisation=org_a, start=today, end=today)
