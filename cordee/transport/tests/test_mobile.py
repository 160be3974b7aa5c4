"""The mobile counter's calendar: dates, every two weeks, cancellations, the iCal text."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cordee.core.models import AuditEvent, Role, Site
from cordee.core.tests.factories import MembershipFactory, SiteFactory, UserFactory
from cordee.transport.ical import escape, fold
from cordee.transport.models import MobileCounterStop
from cordee.transport.services.mobile import (
    mobile_counter_cancel,
    mobile_counter_occurrences,
    mobile_counter_stop_create,
    stop_dates,
)

from .world import TOUR_DAY

pytestmark = pytest.mark.django_db


def _stop(**fields) -> MobileCounterStop:
    defaults = dict(weekday=0, every_weeks=1, first_date=date(2026, 11, 2))
    defaults.update(fields)
    return MobileCounterStop(starts_at=time(10), ends_at=time(11, 30), **defaults)


def test_weekly_dates():
    stop = _stop()
    assert stop_dates(stop, date(2026, 11, 1), date(2026, 11, 30)) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]


def test_every_two_weeks_keeps_in_step_with_the_first_date():
    stop = _stop(every_weeks=2)
    assert stop_dates(stop, date(2026, 11, 10), date(2026, 12, 31)) == [
        date(2026, 11, 16),
        date(2026, 11, 30),
        date(2026, 12, 14),
        date(2026, 12, 28),
    ]
    # Nothing before the first date.
    assert stop_dates(stop, date(2026, 10, 1), date(2026, 11, 1)) == []


def test_first_date_not_on_the_weekday_starts_on_the_next_one():
    stop = _stop(weekday=2, first_date=date(2026, 11, 2))  # a Monday; stop on Wednesdays
    assert stop_dates(stop, date(2026, 11, 1), date(2026, 11, 12)) == [
        date(2026, 11, 4),
        date(2026, 11, 11),
    ]


@given(
    weekday=st.integers(0, 6),
    every=st.sampled_from([1, 2]),
    first=st.dates(date(2025, 1, 1), date(2027, 1, 1)),
    start=st.dates(date(2025, 1, 1), date(2027, 6, 1)),
    span=st.integers(0, 120),
)
def test_dates_property(weekday, every, first, start, span):
    stop = _stop(weekday=weekday, every_weeks=every, first_date=first)
    end = start + timedelta(days=span)
    dates = stop_dates(stop, start, end)
    # Brute force: every day in range on the weekday, on or after the first occurrence,
    # a whole number of periods after it.
    anchor = first + timedelta(days=(weekday - first.weekday()) % 7)
    expected = [
        start + timedelta(days=n)
        for n in range(span + 1)
        if (start + timedelta(days=n)).weekday() == weekday
        and start + timedelta(days=n) >= anchor
        and ((start + timedelta(days=n)) - anchor).days % (7 * every) == 0
    ]
    assert dates == expected


def test_cancel_an_occurrence(world):
    cancellation = mobile_counter_cancel(
        actor=world.planner, stop=world.mobile, day=TOUR_DAY, reason=" Tempête de neige "
    )
    assert cancellation.reason == "Tempête de neige"
    occurrences = mobile_counter_occurrences(
        stops=[world.mobile], start=TOUR_DAY - timedelta(days=7), end=TOUR_DAY + timedelta(days=7)
    )
    assert [(o.date, o.is_cancelled) for o in occurrences] == [
        (TOUR_DAY - timedelta(days=7), False),
        (TOUR_DAY, True),
        (TOUR_DAY + timedelta(days=7), False),
    ]
    assert AuditEvent.objects.filter(action="mobile_counter.cancel").count() == 1


def test_cancel_refuses_bad_input(world):
    with pytest.raises(ValidationError) as err:
        mobile_counter_cancel(actor=world.planner, stop=world.mobile, day=TOUR_DAY, reason="  ")
    assert "reason" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        mobile_counter_cancel(
            actor=world.planner, stop=world.mobile, day=TOUR_DAY + timedelta(days=1), reason="X"
        )
    assert "date" in err.value.error_dict
    mobile_counter_cancel(actor=world.planner, stop=world.mobile, day=TOUR_DAY, reason="X")
    with pytest.raises(ValidationError):
        mobile_counter_cancel(actor=world.planner, stop=world.mobile, day=TOUR_DAY, reason="Y")
    volunteer = UserFactory()
    MembershipFactory(user=volunteer, organisation=world.hub, role=Role.VOLUNTEER)
    with pytest.raises(PermissionDenied):
        mobile_counter_cancel(
            actor=volunteer, stop=world.mobile, day=TOUR_DAY + timedelta(days=7), reason="X"
        )


def test_stop_create_validates(world):
    with pytest.raises(ValidationError) as err:
        mobile_counter_stop_create(
            actor=world.planner,
            organisation=world.hub,
            site=world.warehouse,  # not a mobile stop
            weekday=1,
            starts_at=time(11),
            ends_at=time(10),
            first_date=TOUR_DAY,
            every_weeks=3,
        )
    assert set(err.value.error_dict) == {"site", "ends_at", "every_weeks"}
    site = SiteFactory(organisation=world.hub, kind=Site.Kind.MOBILE_STOP, name="Huberdeau")
    stop = mobile_counter_stop_create(
        actor=world.planner,
        organisation=world.hub,
        site=site,
        weekday=2,
        starts_at=time(10),
        ends_at=time(11, 30),
        first_date=TOUR_DAY,
        every_weeks=2,
    )
    assert stop.every_weeks == 2
    assert AuditEvent.objects.filter(action="mobile_counter.stop_create").exists()


def test_ical_escape_and_fold():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 60  # 2 octets each: must fold without cutting a character
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_cancel_takes_the_stop_off_the_planned_tour(world, tour):
    assert tour.stops.filter(mobile_counter=world.mobile).exists()
    mobile_counter_cancel(actor=world.planner, stop=world.mobile, day=TOUR_DAY, reason="Panne")
    tour.refresh_from_db()
    assert not tour.stops.filter(mobile_counter=world.mobile).exists()
    assert list(tour.stops.order_by("order").values_list("order", flat=True)) == [1, 2]
    assert all(s.planned_arrival_s is not None for s in tour.stops.all())
