"""Reads of people; every one takes the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cordee.core.models import Organisation, User

from .models import Certification, Shift, ShiftAlert, ShiftSignup, Volunteer

Status = ShiftSignup.Status
UNCOVERED_DAYS = 14
EXPIRING_DAYS = 60
CALL_DAYS = 2


def volunteer_list(*, org: Organisation) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(memberships__organisation=org).order_by("full_name")


def volunteer_get(*, org: Organisation, pk: int) -> Volunteer:
    return get_object_or_404(volunteer_list(org=org), pk=pk)


def volunteer_for_user(*, org: Organisation, user: User) -> Volunteer | None:
    return volunteer_list(org=org).filter(user=user).first()


def volunteer_by_calendar_token(token: str) -> Volunteer:
    return get_object_or_404(Volunteer, calendar_token=token)


def shifts_with_counts(*, org: Organisation) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(organisation=org)
        .select_related("site")
        .annotate(
            confirmed=Count("signups", filter=Q(signups__status=Status.CONFIRMED)),
            waiting=Count("signups", filter=Q(signups__status=Status.WAITING)),
        )
    )


def shift_get(*, org: Organisation, pk: int) -> Shift:
    return get_object_or_404(shifts_with_counts(org=org), pk=pk)


@dataclass
class WeekDay:
    date: date
    shifts: list[Shift]


def shift_week(*, org: Organisation, monday: date, site_id: int | None = None) -> list[WeekDay]:
    # Two queries whatever the number of shifts; the counts come from the sign-ups already
    # read, rather than a GROUP BY over the same rows (a network week can hold ~400 shifts).
    week = {"date__gte": monday, "date__lt": monday + timedelta(days=7)}
    shifts = Shift.objects.filter(organisation=org, **week).select_related("site")
    signups = ShiftSignup.objects.filter(
        shift__organisation=org, **{f"shift__{k}": v for k, v in week.items()}
    ).exclude(status=Status.CANCELLED)
    if site_id:
        shifts = shifts.filter(site_id=site_id)
        signups = signups.filter(shift__site_id=site_id)
    by_shift: dict[int, list[ShiftSignup]] = {}
    for signup in signups.select_related("volunteer").order_by("created_at", "pk"):
        by_shift.setdefault(signup.shift_id, []).append(signup)
    days = [WeekDay(monday + timedelta(days=i), []) for i in range(7)]
    for shift in shifts:
        people = by_shift.get(shift.pk, [])
        shift.people = people  # type: ignore[attr-defined]
        shift.confirmed = sum(p.status == Status.CONFIRMED for p in people)  # type: ignore[attr-defined]
        shift.waiting = sum(p.status == Status.WAITING for p in people)  # type: ignore[attr-defined]
        days[(shift.date - monday).days].shifts.append(shift)
    return days


def open_shifts(*, org: Organisation, volunteer: Volunteer, days: int = 28) -> list[Shift]:
    """Coming shifts the person is not on yet (full ones too: they can wait for a place)."""
    today = timezone.localdate()
    mine = ShiftSignup.objects.filter(volunteer=volunteer).exclude(status=Status.CANCELLED)
    return list(
        shifts_with_counts(org=org)
        .filter(date__gt=today, date__lte=today + timedelta(days=days))
        .exclude(pk__in=mine.values("shift_id"))
    )


def my_signups(*, org: Organisation, volunteer: Volunteer) -> QuerySet[ShiftSignup]:
    return (
        ShiftSignup.objects.filter(
            volunteer=volunteer, shift__organisation=org, shift__date__gte=timezone.localdate()
        )
        .exclude(status=Status.CANCELLED)
        .select_related("shift__site")
        .order_by("shift__date", "shift__starts_at")
    )


def signup_get(*, org: Organisation, pk: int) -> ShiftSignup:
    return get_object_or_404(
        ShiftSignup.objects.select_related("shift", "volunteer"), shift__organisation=org, pk=pk
    )


def calendar_signups(*, volunteer: Volunteer) -> QuerySet[ShiftSignup]:
    since = timezone.localdate() - timedelta(days=30)
    return (
        ShiftSignup.objects.filter(
            volunteer=volunteer,
            shift__date__gte=since,
            status__in=[Status.CONFIRMED, Status.CANCELLED],
        )
        .select_related("shift__site")
        .order_by("shift__date")
    )


@dataclass
class Dashboard:
    uncovered: list[Shift]
    expiring: list[Certification]
    to_call: list[ShiftSignup]
    alerts: list[ShiftAlert]


def dashboard(*, org: Organisation) -> Dashboard:
    today = timezone.localdate()
    uncovered = (
        shifts_with_counts(org=org)
        .filter(date__gte=today, date__lte=today + timedelta(days=UNCOVERED_DAYS))
        .filter(confirmed__lt=F("needed"))  # type: ignore[misc]  # annotation
    )
    expiring = (
        Certification.objects.filter(
            volunteer__memberships__organisation=org,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=EXPIRING_DAYS),
        )
        .select_related("volunteer")
        .order_by("expires_on")
    )
    # People who asked for a phone call: remind them by phone before their shift.
    to_call = (
        ShiftSignup.objects.filter(
            shift__organisation=org,
            status=Status.CONFIRMED,
            volunteer__channel=Volunteer.Channel.PHONE,
            shift__date__gte=today,
            shift__date__lte=today + timedelta(days=CALL_DAYS),
        )
        .select_related("volunteer", "shift")
        .order_by("shift__date", "shift__starts_at")
    )
    alerts = ShiftAlert.objects.filter(organisation=org, shift__date__gte=today).select_related(
        "shift", "signup__volunteer"
    )
    return Dashboard(list(uncovered), list(expiring), list(to_call), list(alerts))
