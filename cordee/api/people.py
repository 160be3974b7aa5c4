"""People API: volunteers, shifts and sign-ups, hours, shared positions and statements.

Same rules as the screens (cordee/people/views/):

- any member of the organisation reads its volunteers' names and its shifts; phone, e-mail,
  channel and who is on a shift are for coordinators (`COORDINATOR_ROLES`) only;
- signing up and cancelling go through the services: a volunteer acts for themself,
  coordinators for anyone of theirs; a full shift puts the person on the waiting list;
- hours: coordinators read all of the organisation's, others only their own; reporting
  hours after the fact waits for approval unless a coordinator enters them;
- shared positions (`READ_ROLES` of the positions screens) are seen only by the employer
  and the participating members; a statement only by the employer and the billed member.

Anything else looks like it does not exist (404). Schemas in people_schemas.py.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cordee.core.models import Organisation
from cordee.core.permissions import has_role, require_role
from cordee.core.selectors.organisations import organisation_get_for_user
from cordee.people.models import (
    HoursEntry,
    SharedPosition,
    Shift,
    ShiftSignup,
    Statement,
    Volunteer,
)
from cordee.people.permissions import COORDINATOR_ROLES
from cordee.people.selectors import (
    shift_get,
    shifts_with_counts,
    signup_get,
    volunteer_for_user,
    volunteer_get,
    volunteer_list,
)
from cordee.people.selectors_positions import (
    position_get,
    position_shares,
    positions_visible,
    statement_get,
    statements_readable,
)
from cordee.people.services.hours import hours_report
from cordee.people.services.shifts import shift_cancel, shift_signup
from cordee.people.views.positions import READ_ROLES

from .auth import api_user
from .core import MAX_PAGE
from .people_schemas import (
    DetailOut,
    ErrorsOut,
    HoursIn,
    HoursOut,
    PositionDetailOut,
    PositionOut,
    ShiftDetailOut,
    ShiftOut,
    SignupIn,
    SignupOut,
    StatementDetailOut,
    StatementOut,
    VolunteerDetailOut,
    VolunteerOut,
)

router = Router(tags=["people: volunteers, shifts, hours, shared positions"])

MAX_RANGE_DAYS = 62
BAD_RANGE = "La période doit aller d'une date à une date plus tard, sur 62 jours au plus."
NO_PROFILE = "Vous n'êtes pas inscrit comme bénévole dans cet organisme."
NOT_SIGNED_UP = "L'inscription n'a pas été faite : corrigez les erreurs indiquées."
NOT_CANCELLED = "L'annulation n'a pas été faite."
HOURS_NOT_SAVED = "Les heures n'ont pas été enregistrées : corrigez les erreurs indiquées."
UNKNOWN_SITE = "Ce lieu n'existe pas dans votre organisme."


# --- Helpers -------------------------------------------------------------------------------


def _my_organisation(
    request: HttpRequest, org_id: int, roles: Iterable[str] | None = None
) -> Organisation:
    """One of the caller's organisations (else 404), where they hold one of `roles`."""
    user = api_user(request)
    org = organisation_get_for_user(user=user, pk=org_id)
    if roles is not None:
        require_role(user, org, roles)
    return org


def _coordinates(request: HttpRequest, org: Organisation) -> bool:
    return has_role(api_user(request), org, COORDINATOR_ROLES)


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"__all__": [str(m) for m in exc.messages]}
    return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}


def _volunteer(v: Volunteer, contact: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": v.pk, "full_name": v.full_name, "languages": v.languages}
    if contact:
        out |= {"phone": v.phone, "email": v.email, "channel": v.channel}
    return out


def _ref(v: Volunteer) -> dict[str, Any]:
    return {"id": v.pk, "name": v.full_name}


def _shift(shift: Shift) -> dict[str, Any]:
    return {
        "id": shift.pk,
        "title": shift.title,
        "site": {"id": shift.site_id, "name": shift.site.name},
        "date": shift.date,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "needed": shift.needed,
        "filled": shift.confirmed,  # type: ignore[attr-defined]  # annotation
        "waiting": shift.waiting,  # type: ignore[attr-defined]
        "required_certifications": list(shift.required_certifications),
    }


def _signup(s: ShiftSignup) -> dict[str, Any]:
    return {
        "id": s.pk,
        "shift_id": s.shift_id,
        "volunteer": _ref(s.volunteer),
        "status": s.status,
        "created_at": s.created_at,
    }


def _hours(e: HoursEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "volunteer": _ref(e.volunteer),
        "site_id": e.site_id,
        "shift_id": e.shift_id,
        "started_at": e.started_at,
        "ended_at": e.ended_at,
        "minutes": e.minutes,
        "source": e.source,
        "status": e.status,
        "note": e.note,
    }


def _acting_volunteer(
    request: HttpRequest, org: Organisation, volunteer_id: int | None
) -> Volunteer | None:
    """The named volunteer of the organisation (404 otherwise), or the caller's own profile."""
    if volunteer_id is not None:
        return volunteer_get(org=org, pk=volunteer_id)
    return volunteer_for_user(org=org, user=api_user(request))


# --- Volunteers ----------------------------------------------------------------------------


@router.get(
    "/organisations/{org_id}/volunteers",
    response=list[VolunteerOut],
    summary="The organisation's volunteers (contact details for coordinators only)",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def volunteers(request: HttpRequest, org_id: int) -> list[dict[str, Any]]:
    org = _my_organisation(request, org_id)
    contact = _coordinates(request, org)
    return [_volunteer(v, contact) for v in volunteer_list(org=org)]


@router.get(
    "/organisations/{org_id}/volunteers/{volunteer_id}",
    response=VolunteerDetailOut,
    summary="One volunteer, with certifications (contact details for coordinators only)",
)
def volunteer(request: HttpRequest, org_id: int, volunteer_id: int) -> dict[str, Any]:
    org = _my_organisation(request, org_id)
    contact = _coordinates(request, org)
    v = volunteer_get(org=org, pk=volunteer_id)
    return _volunteer(v, contact) | {
        "available_weekdays": list(v.available_weekdays),
        "availability_notes": v.availability_notes if contact else None,
        "certifications": list(v.certifications.all()),
    }


# --- Shifts and sign-ups -------------------------------------------------------------------


class RangeIn(Schema):
    start: date | None = None  # default: today
    end: date | None = None  # default: 4 weeks after the start
    site_id: int | None = None


@router.get(
    "/organisations/{org_id}/shifts",
    response={200: list[ShiftOut], 422: DetailOut},
    summary="Shifts between two dates (at most 62 days), with places filled and needed",
)
def shifts(
    request: HttpRequest, org_id: int, filters: Query[RangeIn]
) -> Status[list[dict[str, Any]] | DetailOut]:
    org = _my_organisation(request, org_id)
    start = filters.start or timezone.localdate()
    end = filters.end or start + timedelta(days=27)
    if end < start or (end - start).days >= MAX_RANGE_DAYS:
        return Status(422, DetailOut(detail=BAD_RANGE))
    found = shifts_with_counts(org=org).filter(date__gte=start, date__lte=end)
    if filters.site_id:
        found = found.filter(site_id=filters.site_id)
    return Status(200, [_shift(s) for s in found])


def _shift_detail(request: HttpRequest, org: Organisation, shift_id: int) -> dict[str, Any]:
    shift = shift_get(org=org, pk=shift_id)
    out = _shift(shift)
    if _coordinates(request, org):
        people = shift.signups.exclude(status=ShiftSignup.Status.CANCELLED)
        out["signups"] = [_signup(s) for s in people.select_related("volunteer")]
    return out


@router.get(
    "/organisations/{org_id}/shifts/{shift_id}",
    response=ShiftDetailOut,
    summary="One shift: places filled and needed; who is on it (coordinators only)",
)
def shift(request: HttpRequest, org_id: int, shift_id: int) -> dict[str, Any]:
    org = _my_organisation(request, org_id)
    return _shift_detail(request, org, shift_id)


@router.post(
    "/organisations/{org_id}/shifts/{shift_id}/signups",
    response={201: SignupOut, 422: ErrorsOut},
    summary="Sign up (yourself, or a volunteer of yours as a coordinator); full: waiting list",
)
def signup_create(
    request: HttpRequest, org_id: int, shift_id: int, payload: SignupIn
) -> Status[dict[str, Any] | ErrorsOut]:
    org = _my_organisation(request, org_id)
    shift = shift_get(org=org, pk=shift_id)
    volunteer = _acting_volunteer(request, org, payload.volunteer_id)
    if volunteer is None:
        return Status(422, ErrorsOut(detail=NOT_SIGNED_UP, errors={"volunteer_id": [NO_PROFILE]}))
    try:
        signup = shift_signup(
            actor=api_user(request),
            shift=shift,
            volunteer=volunteer,
            standby=payload.standby,
            request=request,
        )
    except ValidationError as exc:
        return Status(422, ErrorsOut(detail=NOT_SIGNED_UP, errors=_errors(exc)))
    return Status(201, _signup(signup))


@router.post(
    "/organisations/{org_id}/signups/{signup_id}/cancel",
    response={200: SignupOut, 422: ErrorsOut},
    summary="Cancel a sign-up (yours, or anyone's as a coordinator); frees the place",
)
def signup_cancel(
    request: HttpRequest, org_id: int, signup_id: int
) -> Status[dict[str, Any] | ErrorsOut]:
    org = _my_organisation(request, org_id)
    signup = signup_get(org=org, pk=signup_id)
    try:
        signup = shift_cancel(actor=api_user(request), signup=signup, request=request)
    except ValidationError as exc:
        return Status(422, ErrorsOut(detail=NOT_CANCELLED, errors=_errors(exc)))
    return Status(200, _signup(signup))


# --- Hours ---------------------------------------------------------------------------------


@router.get(
    "/organisations/{org_id}/hours",
    response=list[HoursOut],
    summary="Volunteer hours, latest first: all of them for coordinators, else your own",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def hours(request: HttpRequest, org_id: int) -> list[dict[str, Any]]:
    org = _my_organisation(request, org_id)
    entries: QuerySet[HoursEntry] = HoursEntry.objects.filter(organisation=org)
    if not _coordinates(request, org):
        own = volunteer_for_user(org=org, user=api_user(request))
        entries = entries.filter(volunteer=own) if own else entries.none()
    return [_hours(e) for e in entries.select_related("volunteer")]


@router.post(
    "/organisations/{org_id}/hours",
    response={201: HoursOut, 422: ErrorsOut},
    summary="Report hours after the fact (yours wait for approval; a coordinator's count)",
)
def hours_create(
    request: HttpRequest, org_id: int, payload: HoursIn
) -> Status[dict[str, Any] | ErrorsOut]:
    org = _my_organisation(request, org_id)
    volunteer = _acting_volunteer(request, org, payload.volunteer_id)
    if volunteer is None:
        return Status(422, ErrorsOut(detail=HOURS_NOT_SAVED, errors={"volunteer_id": [NO_PROFILE]}))
    site = None
    if payload.site_id is not None:
        site = org.sites.filter(pk=payload.site_id).first()
        if site is None:
            return Status(
                422, ErrorsOut(detail=HOURS_NOT_SAVED, errors={"site_id": [UNKNOWN_SITE]})
            )
    try:
        entry = hours_report(
            actor=api_user(request),
            organisation=org,
            volunteer=volunteer,
            started_at=payload.started_at,
            minutes=payload.minutes,
            site=site,
            note=payload.note,
            request=request,
        )
    except ValidationError as exc:
        return Status(422, ErrorsOut(detail=HOURS_NOT_SAVED, errors=_errors(exc)))
    return Status(201, _hours(entry))


# --- Shared positions and statements -------------------------------------------------------


def _position(p: SharedPosition) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "employee_name": p.employee_name,
        "employer": {"id": p.employer_id, "name": p.employer.name},
        "hours_per_week": float(p.hours_per_week),
        "is_active": p.is_active,
    }


def _statement(s: Statement) -> dict[str, Any]:
    return {
        "id": s.pk,
        "position_id": s.position_id,
        "organisation": {"id": s.organisation_id, "name": s.organisation.name},
        "month": s.month,
        "minutes": s.minutes,
        "total_cents": s.total_cents,
        "issued_at": s.issued_at,
    }


@router.get(
    "/organisations/{org_id}/positions",
    response=list[PositionOut],
    summary="Shared positions the organisation employs or takes part in",
)
def positions(request: HttpRequest, org_id: int) -> list[dict[str, Any]]:
    org = _my_organisation(request, org_id, READ_ROLES)
    return [_position(p) for p in positions_visible(org=org)]


@router.get(
    "/organisations/{org_id}/positions/{position_id}",
    response=PositionDetailOut,
    summary="One shared position with its members' planned shares",
)
def position(request: HttpRequest, org_id: int, position_id: int) -> dict[str, Any]:
    org = _my_organisation(request, org_id, READ_ROLES)
    p = position_get(org=org, pk=position_id)
    return _position(p) | {
        "hourly_cost_cents": p.hourly_cost_cents,
        "fee_basis_points": p.fee_basis_points,
        "shares": [
            {
                "organisation": {"id": s.organisation_id, "name": s.organisation.name},
                "planned": float(s.planned),
                "unit": s.unit,
            }
            for s in position_shares(position=p)
        ],
    }


@router.get(
    "/organisations/{org_id}/positions/{position_id}/statements",
    response=list[StatementOut],
    summary="Statements: all of them for the employer, a member's own for a member",
)
def statements(request: HttpRequest, org_id: int, position_id: int) -> list[dict[str, Any]]:
    org = _my_organisation(request, org_id, READ_ROLES)
    p = position_get(org=org, pk=position_id)
    return [_statement(s) for s in statements_readable(org=org, position=p)]


@router.get(
    "/organisations/{org_id}/positions/{position_id}/statements/{statement_id}",
    response=StatementDetailOut,
    summary="One statement (the employer and the billed member only)",
)
def statement(
    request: HttpRequest, org_id: int, position_id: int, statement_id: int
) -> dict[str, Any]:
    org = _my_organisation(request, org_id, READ_ROLES)
    p = position_get(org=org, pk=position_id)
    s = statement_get(org=org, position=p, pk=statement_id)
    return _statement(s) | {
        "hourly_cost_cents": s.hourly_cost_cents,
        "fee_basis_points": s.fee_basis_points,
        "labour_cents": s.labour_cents,
        "fee_cents": s.fee_cents,
        "period_end": s.period_end,
    }
