"""Shared positions: shares, timesheets, monthly statements and payments.

The employer of record manages the position (its administrators and coordinators). The
employee may enter their own timesheet. Statements and payments go into an append-only
ledger that every participating member can read.

Statement arithmetic, in integer cents (the rounding rule):
    labour = minutes × hourly cost ÷ 60, rounded half up to the cent;
    fee    = labour (already rounded) × fee basis points ÷ 10 000, rounded half up;
    total  = labour + fee.
Each member's statement is rounded on its own, so the sum of the members' totals differs
from total minutes × cost × (1 + fee) by at most (1 + fee ÷ 2) cents per member.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, User
from cordee.core.permissions import MANAGER_ROLES, has_role, is_member, require_role
from cordee.core.services.audit import audit_record

from ..models import LedgerEntry, PositionShare, SharedPosition, Statement, TimesheetEntry

MAX_DAY_MINUTES = 16 * 60


def round_half_up_div(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def statement_amounts(
    *, minutes: int, hourly_cost_cents: int, fee_basis_points: int
) -> tuple[int, int, int]:
    """(labour, fee, total) in cents; see the module docstring for the rounding rule."""
    labour = round_half_up_div(minutes * hourly_cost_cents, 60)
    fee = round_half_up_div(labour * fee_basis_points, 10_000)
    return labour, fee, labour + fee


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def planned_minutes(share: PositionShare, month: date) -> int:
    """The planned time of a share for one month; weekly plans count the month's days ÷ 7."""
    weeks = Decimal(calendar.monthrange(month.year, month.month)[1]) / Decimal(7)
    if share.unit == PositionShare.Unit.MONTH:
        hours = share.planned
    elif share.unit == PositionShare.Unit.WEEK:
        hours = share.planned * weeks
    else:
        hours = share.position.hours_per_week * share.planned / Decimal(100) * weeks
    return int((hours * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def can_manage(user: User, position: SharedPosition) -> bool:
    return has_role(user, position.employer, MANAGER_ROLES)


def _require_manager(user: User, position: SharedPosition) -> None:
    if not can_manage(user, position):
        raise PermissionDenied(_("Only the employer of record manages this position."))


def _check_employee(user: User | None, employer: Organisation) -> None:
    """The employee's login must belong to the employer of record."""
    if user is not None and not is_member(user, employer):
        raise ValidationError(_("The employee must have a login in the employer organisation."))


def position_create(
    *,
    actor: User,
    employer: Organisation,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> SharedPosition:
    require_role(actor, employer, MANAGER_ROLES)
    _check_employee(data.get("employee_user"), employer)
    with transaction.atomic():
        position = SharedPosition.objects.create(employer=employer, **data)
        audit_record(
            actor=actor,
            action="people.position.create",
            organisation=employer,
            obj=position,
            changed_fields=list(data),
            request=request,
        )
    return position


def position_share_set(
    *,
    actor: User,
    position: SharedPosition,
    organisation: Organisation,
    planned: Decimal,
    unit: str,
    request: HttpRequest | None = None,
) -> PositionShare:
    """Add a participating member, or change its planned allocation."""
    _require_manager(actor, position)
    if planned <= 0:
        raise ValidationError(_("The planned time must be more than zero."))
    if unit == PositionShare.Unit.PERCENT and planned > 100:
        raise ValidationError(_("A share cannot be more than 100 %."))
    with transaction.atomic():
        share, _created = PositionShare.objects.update_or_create(
            position=position,
            organisation=organisation,
            defaults={"planned": planned, "unit": unit},
        )
        audit_record(
            actor=actor,
            action="people.position.share",
            organisation=position.employer,
            obj=share,
            changed_fields=["planned", "unit"],
            request=request,
        )
    return share


def timesheet_add(
    *,
    actor: User,
    position: SharedPosition,
    organisation: Organisation,
    day: date,
    minutes: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> TimesheetEntry:
    """Time worked for one member, entered by the employee or the employer."""
    is_employee = position.employee_user_id is not None and position.employee_user_id == actor.pk
    if not (is_employee or can_manage(actor, position)):
        raise PermissionDenied(_("Only the employee or the employer enters the timesheet."))
    if not position.shares.filter(organisation=organisation).exists():
        raise ValidationError(_("This organisation does not take part in this position."))
    if not 0 < minutes <= MAX_DAY_MINUTES:
        raise ValidationError(_("Enter between a few minutes and 16 hours."))
    if Statement.objects.filter(
        position=position, organisation=organisation, month=month_start(day)
    ).exists():
        raise ValidationError(_("This month's statement is already issued for this member."))
    with transaction.atomic():
        entry = TimesheetEntry.objects.create(
            position=position,
            organisation=organisation,
            date=day,
            minutes=minutes,
            note=note,
            entered_as=(
                TimesheetEntry.EnteredAs.EMPLOYEE
                if is_employee
                else TimesheetEntry.EnteredAs.EMPLOYER
            ),
            entered_by=actor,
        )
        audit_record(
            actor=actor,
            action="people.timesheet.add",
            organisation=position.employer,
            obj=entry,
            changed_fields=["date", "minutes", "note"],
            request=request,
        )
    return entry


def statement_issue(
    *,
    actor: User,
    position: SharedPosition,
    organisation: Organisation,
    month: date,
    request: HttpRequest | None = None,
) -> Statement:
    """Freeze one member's month: its timesheet minutes at today's cost and fee, and append
    the amount to the ledger."""
    _require_manager(actor, position)
    month = month_start(month)
    if not position.shares.filter(organisation=organisation).exists():
        raise ValidationError(_("This organisation does not take part in this position."))
    minutes = sum(
        TimesheetEntry.objects.filter(
            position=position,
            organisation=organisation,
            date__gte=month,
            date__lte=month_end(month),
        ).values_list("minutes", flat=True)
    )
    if not minutes:
        raise ValidationError(_("No hours were entered for this member this month."))
    labour, fee, total = statement_amounts(
        minutes=minutes,
        hourly_cost_cents=position.hourly_cost_cents,
        fee_basis_points=position.fee_basis_points,
    )
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                position=position,
                organisation=organisation,
                month=month,
                minutes=minutes,
                hourly_cost_cents=position.hourly_cost_cents,
                fee_basis_points=position.fee_basis_points,
                labour_cents=labour,
                fee_cents=fee,
                total_cents=total,
                issued_by=actor,
            )
            LedgerEntry.objects.create(
                position=position,
                organisation=organisation,
                kind=LedgerEntry.Kind.STATEMENT,
                amount_cents=total,
                statement=statement,
                recorded_by=actor,
            )
            audit_record(
                actor=actor,
                action="people.statement.issue",
                organisation=position.employer,
                obj=statement,
                changed_fields=["minutes", "total_cents"],
                request=request,
            )
    except IntegrityError:
        raise ValidationError(
            _("This month's statement is already issued for this member.")
        ) from None
    return statement


def payment_record(
    *,
    actor: User,
    position: SharedPosition,
    organisation: Organisation,
    amount_cents: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> LedgerEntry:
    _require_manager(actor, position)
    if amount_cents <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    if not position.shares.filter(organisation=organisation).exists():
        raise ValidationError(_("This organisation does not take part in this position."))
    with transaction.atomic():
        entry = LedgerEntry.objects.create(
            position=position,
            organisation=organisation,
            kind=LedgerEntry.Kind.PAYMENT,
            amount_cents=amount_cents,
            note=note,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="people.position.payment",
            organisation=position.employer,
            obj=entry,
            changed_fields=["amount_cents", "note"],
            request=request,
        )
    return entry


def position_employee_set(
    *,
    actor: User,
    position: SharedPosition,
    employee: User | None,
    request: HttpRequest | None = None,
) -> SharedPosition:
    """Link the employee's login (or remove it), so they can enter their own timesheet."""
    _require_manager(actor, position)
    _check_employee(employee, position.employer)
    with transaction.atomic():
        position.employee_user = employee
        position.save(update_fields=["employee_user"])
        audit_record(
            actor=actor,
            action="people.position.employee",
            organisation=position.employer,
            obj=position,
            changed_fields=["employee_user"],
            request=request,
        )
    return position


def month_net_cents(*, position: SharedPosition, organisation: Organisation, month: date) -> int:
    """What a member's statement for the month comes to after its corrections."""
    statement = Statement.objects.filter(
        position=position, organisation=organisation, month=month
    ).first()
    if statement is None:
        return 0
    net = statement.total_cents
    for kind, amount in LedgerEntry.objects.filter(
        position=position, organisation=organisation, month=month
    ).values_list("kind", "amount_cents"):
        net += amount if kind == LedgerEntry.Kind.DEBIT else -amount
    return net


def statement_adjust(
    *,
    actor: User,
    position: SharedPosition,
    organisation: Organisation,
    month: date,
    amount_cents: int,
    reason: str,
    request: HttpRequest | None = None,
) -> LedgerEntry:
    """Correct an issued statement without touching it: append a credit note (amount < 0,
    lowers what the member owes) or an added charge (amount > 0) to the ledger."""
    _require_manager(actor, position)
    month = month_start(month)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the statement is corrected."))
    if amount_cents == 0:
        raise ValidationError(_("The correction cannot be zero."))
    with transaction.atomic():
        # Lock the statement so two corrections cannot both pass the check below.
        statement = (
            Statement.objects.select_for_update()
            .filter(position=position, organisation=organisation, month=month)
            .first()
        )
        if statement is None:
            raise ValidationError(_("No statement was issued for this member and month."))
        if amount_cents < 0 and -amount_cents > month_net_cents(
            position=position, organisation=organisation, month=month
        ):
            raise ValidationError(_("A credit note cannot be more than the statement."))
        entry = LedgerEntry.objects.create(
            position=position,
            organisation=organisation,
            kind=LedgerEntry.Kind.DEBIT if amount_cents > 0 else LedgerEntry.Kind.CREDIT,
            amount_cents=abs(amount_cents),
            month=month,
            note=reason[:200],
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="people.statement.adjust",
            organisation=position.employer,
            obj=entry,
            changed_fields=["kind", "amount_cents", "month", "note"],
            request=request,
        )
    return entry
