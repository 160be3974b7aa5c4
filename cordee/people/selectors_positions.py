"""Reads of shared positions.

Who sees what:
- a position, its shares, planned vs logged time, the planning calendar and the whole ledger
  (every statement total and payment of every member): the employer of record and every
  participating member;
- a statement's detail and PDF (the timesheet lines behind it): the billed member and the
  employer only — another member sees the amount in the ledger, not the lines (404);
- any other organisation: nothing (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from cordee.core.models import Organisation

from .models import LedgerEntry, PositionShare, SharedPosition, Statement, TimesheetEntry
from .services.positions import month_end, planned_minutes


def positions_visible(*, org: Organisation) -> QuerySet[SharedPosition]:
    return (
        SharedPosition.objects.filter(Q(employer=org) | Q(shares__organisation=org))
        .select_related("employer")
        .distinct()
    )


def position_get(*, org: Organisation, pk: int) -> SharedPosition:
    return get_object_or_404(positions_visible(org=org), pk=pk)


def position_shares(*, position: SharedPosition) -> QuerySet[PositionShare]:
    return position.shares.select_related("organisation", "position")


@dataclass(frozen=True)
class Variance:
    share: PositionShare
    planned: int
    logged: int

    @property
    def difference(self) -> int:
        return self.logged - self.planned


def position_variance(*, position: SharedPosition, month: date) -> list[Variance]:
    """Planned vs logged minutes of each member for the month."""
    logged = dict(
        TimesheetEntry.objects.filter(
            position=position, date__gte=month, date__lte=month_end(month)
        )
        .values_list("organisation_id")
        .annotate(m=Sum("minutes"))
        .values_list("organisation_id", "m")
    )
    return [
        Variance(share, planned_minutes(share, month), int(logged.get(share.organisation_id, 0)))
        for share in position_shares(position=position)
    ]


@dataclass(frozen=True)
class Balance:
    organisation: Organisation
    billed: int
    paid: int

    @property
    def due(self) -> int:
        return self.billed - self.paid


def position_ledger(*, position: SharedPosition) -> QuerySet[LedgerEntry]:
    return position.ledger.select_related("organisation", "statement")


def position_balances(*, position: SharedPosition) -> list[Balance]:
    """Per member: statements ± corrections − payments, computed from the ledger only."""
    sums: dict[tuple[int, str], int] = {
        (row["organisation_id"], row["kind"]): row["total"]
        for row in position.ledger.values("organisation_id", "kind").annotate(
            total=Sum("amount_cents")
        )
    }
    members = Organisation.objects.filter(
        Q(position_shares__position=position) | Q(position_ledger__position=position)
    ).distinct()
    Kind = LedgerEntry.Kind

    def billed(pk: int) -> int:
        # Statements, plus added charges, minus credit notes.
        return int(
            sums.get((pk, Kind.STATEMENT), 0)
            + sums.get((pk, Kind.DEBIT), 0)
            - sums.get((pk, Kind.CREDIT), 0)
        )

    return [Balance(m, billed(m.pk), int(sums.get((m.pk, Kind.PAYMENT), 0))) for m in members]


def statements_readable(*, org: Organisation, position: SharedPosition) -> QuerySet[Statement]:
    statements = position.statements.select_related("organisation")
    if position.employer_id == org.pk:
        return statements
    return statements.filter(organisation=org)


def statement_get(*, org: Organisation, position: SharedPosition, pk: int) -> Statement:
    return get_object_or_404(statements_readable(org=org, position=position), pk=pk)


def statement_lines(*, statement: Statement) -> QuerySet[TimesheetEntry]:
    return TimesheetEntry.objects.filter(
        position=statement.position,
        organisation=statement.organisation,
        date__gte=statement.month,
        date__lte=statement.period_end,
    )


def timesheet_recent(*, position: SharedPosition, org: Organisation) -> QuerySet[TimesheetEntry]:
    """Recent lines: all of them for the employer, the member's own for a member."""
    lines = position.timesheet.select_related("organisation").order_by("-date", "-pk")
    if position.employer_id != org.pk:
        lines = lines.filter(organisation=org)
    return lines


@dataclass
class WeekRow:
    organisation: Organisation
    days: list[int]
    planned_week: int | None

    @property
    def total(self) -> int:
        return sum(self.days)


def position_week(*, position: SharedPosition, monday: date) -> list[WeekRow]:
    """Which member has the employee when: logged minutes per member per day of the week,
    next to each member's weekly plan (weekly and % plans; monthly plans have none)."""
    rows: dict[int, WeekRow] = {}
    for share in position_shares(position=position):
        weekly = None
        if share.unit == PositionShare.Unit.WEEK:
            weekly = int(share.planned * 60)
        elif share.unit == PositionShare.Unit.PERCENT:
            weekly = int(position.hours_per_week * share.planned / 100 * 60)
        rows[share.organisation_id] = WeekRow(share.organisation, [0] * 7, weekly)
    entries = TimesheetEntry.objects.filter(
        position=position, date__gte=monday, date__lt=monday + timedelta(days=7)
    ).select_related("organisation")
    for entry in entries:
        row = rows.setdefault(entry.organisation_id, WeekRow(entry.organisation, [0] * 7, None))
        row.days[(entry.date - monday).days] += entry.minutes
    return list(rows.values())
