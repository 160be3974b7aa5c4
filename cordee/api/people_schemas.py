"""Schemas of the people API (cordee/api/people.py): volunteers, shifts, sign-ups, hours,
shared positions and their statements. Durations are integer minutes, money integer cents."""

from datetime import date, datetime, time

from ninja import Field, Schema

from cordee.people.models import HoursEntry, ShiftSignup, Volunteer

from .logistics import Ref


class DetailOut(Schema):
    detail: str


class ErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class CertificationOut(Schema):
    kind: str
    licence_class: str
    expires_on: date | None


class VolunteerOut(Schema):
    """Contact details (phone, e-mail, channel) are null unless the caller coordinates."""

    id: int
    full_name: str
    languages: str
    phone: str | None = None
    email: str | None = None
    channel: Volunteer.Channel | None = None


class VolunteerDetailOut(VolunteerOut):
    available_weekdays: list[int]
    availability_notes: str | None = None
    certifications: list[CertificationOut]


class ShiftOut(Schema):
    id: int
    title: str
    site: Ref
    date: date
    starts_at: time
    ends_at: time
    needed: int
    filled: int  # confirmed people
    waiting: int
    required_certifications: list[str]


class SignupOut(Schema):
    id: int
    shift_id: int
    volunteer: Ref
    status: ShiftSignup.Status
    created_at: datetime


class ShiftDetailOut(ShiftOut):
    # The people on the shift: coordinators only (null for others).
    signups: list[SignupOut] | None = None


class SignupIn(Schema):
    # Omitted: the caller's own volunteer profile.
    volunteer_id: int | None = None
    standby: bool = False


class HoursOut(Schema):
    id: int
    volunteer: Ref
    site_id: int | None
    shift_id: int | None
    started_at: datetime
    ended_at: datetime | None
    minutes: int | None
    source: HoursEntry.Source
    status: HoursEntry.Status
    note: str


class HoursIn(Schema):
    started_at: datetime
    minutes: int
    site_id: int | None = None
    note: str = Field("", max_length=200)
    # Omitted: the caller's own volunteer profile; coordinators may name anyone of theirs.
    volunteer_id: int | None = None


class ShareOut(Schema):
    organisation: Ref
    planned: float
    unit: str


class PositionOut(Schema):
    id: int
    title: str
    employee_name: str
    employer: Ref
    hours_per_week: float
    is_active: bool


class PositionDetailOut(PositionOut):
    hourly_cost_cents: int
    fee_basis_points: int
    shares: list[ShareOut]


class StatementOut(Schema):
    id: int
    position_id: int
    organisation: Ref
    month: date
    minutes: int
    total_cents: int
    issued_at: datetime


class StatementDetailOut(StatementOut):
    hourly_cost_cents: int
    fee_basis_points: int
    labour_cents: int
    fee_cents: int
    period_end: date
