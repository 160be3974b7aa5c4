"""Shared positions: the list, a position's page (shares, planned vs logged, ledger), the
forms of the employer of record, the planning week and the monthly statement (HTML, PDF).

Visibility rules are in selectors_positions; another organisation gets 404 everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation, Role, User
from cordee.core.permissions import MANAGER_ROLES, has_role
from cordee.core.views.decorators import organisation_required
from cordee.logistics.pdf import render_pdf

from ..forms_positions import (
    AdjustmentForm,
    EmployeeForm,
    PaymentForm,
    PositionForm,
    ShareForm,
    StatementForm,
    TimesheetForm,
)
from ..models import SharedPosition
from ..selectors_positions import (
    position_balances,
    position_get,
    position_ledger,
    position_shares,
    position_variance,
    position_week,
    positions_visible,
    statement_get,
    statement_lines,
    statements_readable,
    timesheet_recent,
)
from ..services.positions import (
    can_manage,
    payment_record,
    position_create,
    position_employee_set,
    position_share_set,
    statement_adjust,
    statement_issue,
    timesheet_add,
)

# Shared money is for the people who run the organisation, not for every volunteer login.
READ_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF, Role.VIEWER})


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined, no-any-return]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _month(raw: str | None) -> date:
    try:
        year, month = (int(p) for p in (raw or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _monday(raw: str | None) -> date:
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


@organisation_required(READ_ROLES)
def position_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "people/positions/list.html",
        {
            "positions": positions_visible(org=org),
            "can_create": has_role(_user(request), org, MANAGER_ROLES),
        },
    )


@organisation_required(MANAGER_ROLES)
def position_new(request: HttpRequest) -> HttpResponse:
    form = PositionForm(request.POST or None, employer=_org(request))
    if request.method == "POST" and form.is_valid():
        try:
            position = position_create(
                actor=_user(request),
                employer=_org(request),
                data=form.service_data(),
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Position created. Now add the participating members."))
            return redirect("people:position", pk=position.pk)
    return render(
        request, "people/positions/form.html", {"form": form}, status=400 if form.errors else 200
    )


def _detail(
    request: HttpRequest, position: SharedPosition, forms: dict[str, Form] | None = None
) -> HttpResponse:
    org = _org(request)
    month = _month(request.GET.get("mois"))
    manager = org.pk == position.employer_id and can_manage(_user(request), position)
    employee = position.employee_user_id == request.user.pk
    bound = forms or {}
    context = {
        "position": position,
        "month": month,
        "previous": (month - timedelta(days=1)).replace(day=1),
        "next": (month + timedelta(days=32)).replace(day=1),
        "variance": position_variance(position=position, month=month),
        "ledger": position_ledger(position=position),
        "balances": position_balances(position=position),
        "statements": statements_readable(org=org, position=position),
        "timesheet": timesheet_recent(position=position, org=org)[:15],
        "manager": manager,
        "employee": employee,
        "share_form": bound.get("share") or ShareForm(position=position),
        "timesheet_form": bound.get("timesheet") or TimesheetForm(position=position),
        "statement_form": bound.get("statement")
        or StatementForm(position=position, initial={"month": f"{month:%Y-%m}"}),
        "payment_form": bound.get("payment") or PaymentForm(position=position),
        "adjustment_form": bound.get("adjustment")
        or AdjustmentForm(position=position, initial={"month": f"{month:%Y-%m}"}),
        "employee_form": bound.get("employee") or EmployeeForm(position=position),
    }
    return render(request, "people/positions/detail.html", context, status=400 if forms else 200)


@organisation_required(READ_ROLES)
def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, position_get(org=_org(request), pk=pk))


def _managed(request: HttpRequest, pk: int) -> SharedPosition:
    """The position, if the current organisation is its employer (404 otherwise)."""
    position = position_get(org=_org(request), pk=pk)
    if position.employer_id != _org(request).pk:
        raise Http404
    return position


def _submit(
    request: HttpRequest,
    position: SharedPosition,
    form: Form,
    key: str,
    done: str,
    write: Callable[[dict[str, Any]], object],
    then: Callable[[object], HttpResponse] | None = None,
) -> HttpResponse:
    """One form of the position page: valid → service → message → back; otherwise the page
    again with the form's errors (a service refusal shown at the top of the form)."""
    if form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return then(result) if then else redirect("people:position", pk=position.pk)
    return _detail(request, position, {key: form})


@require_POST
@organisation_required(MANAGER_ROLES)
def share_add(request: HttpRequest, pk: int) -> HttpResponse:
    position = _managed(request, pk)
    return _submit(
        request,
        position,
        ShareForm(request.POST, position=position),
        "share",
        _("Share saved."),
        lambda data: position_share_set(
            actor=_user(request),
            position=position,
            organisation=data["organisation"],
            planned=data["planned"],
            unit=data["unit"],
            request=request,
        ),
    )


@require_POST
@organisation_required()
def timesheet_new(request: HttpRequest, pk: int) -> HttpResponse:
    position = position_get(org=_org(request), pk=pk)
    return _submit(
        request,
        position,
        TimesheetForm(request.POST, position=position),
        "timesheet",
        _("Time saved."),
        lambda data: timesheet_add(
            actor=_user(request),
            position=position,
            organisation=data["organisation"],
            day=data["day"],
            minutes=data["total_minutes"],
            note=data["note"],
            request=request,
        ),
    )


@require_POST
@organisation_required(MANAGER_ROLES)
def statement_new(request: HttpRequest, pk: int) -> HttpResponse:
    position = _managed(request, pk)
    return _submit(
        request,
        position,
        StatementForm(request.POST, position=position),
        "statement",
        _("Statement issued and added to the ledger."),
        lambda data: statement_issue(
            actor=_user(request),
            position=position,
            organisation=data["organisation"],
            month=data["month"],
            request=request,
        ),
        then=lambda statement: redirect(
            "people:statement",
            pk=position.pk,
            statement_pk=statement.pk,  # type: ignore[attr-defined]
        ),
    )


@require_POST
@organisation_required(MANAGER_ROLES)
def payment_new(request: HttpRequest, pk: int) -> HttpResponse:
    position = _managed(request, pk)
    form = PaymentForm(request.POST, position=position)
    return _submit(
        request,
        position,
        form,
        "payment",
        _("Payment added to the ledger."),
        lambda data: payment_record(
            actor=_user(request),
            position=position,
            organisation=data["organisation"],
            amount_cents=form.amount_cents(),
            note=data["note"],
            request=request,
        ),
    )


@require_POST
@organisation_required(MANAGER_ROLES)
def adjustment_new(request: HttpRequest, pk: int) -> HttpResponse:
    position = _managed(request, pk)
    form = AdjustmentForm(request.POST, position=position)
    return _submit(
        request,
        position,
        form,
        "adjustment",
        _("Correction added to the ledger."),
        lambda data: statement_adjust(
            actor=_user(request),
            position=position,
            organisation=data["organisation"],
            month=data["month"],
            amount_cents=form.signed_cents(),
            reason=data["reason"],
            request=request,
        ),
    )


@require_POST
@organisation_required(MANAGER_ROLES)
def employee_set(request: HttpRequest, pk: int) -> HttpResponse:
    position = _managed(request, pk)
    return _submit(
        request,
        position,
        EmployeeForm(request.POST, position=position),
        "employee",
        _("Employee's login saved."),
        lambda data: position_employee_set(
            actor=_user(request),
            position=position,
            employee=data["employee_user"],
            request=request,
        ),
    )


@organisation_required(READ_ROLES)
def position_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    position = position_get(org=_org(request), pk=pk)
    monday = _monday(request.GET.get("semaine"))
    return render(
        request,
        "people/positions/calendar.html",
        {
            "position": position,
            "monday": monday,
            "days": [monday + timedelta(days=i) for i in range(7)],
            "rows": position_week(position=position, monday=monday),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "shares": position_shares(position=position),
        },
    )


def _statement_context(request: HttpRequest, pk: int, statement_pk: int) -> dict[str, object]:
    org = _org(request)
    position = position_get(org=org, pk=pk)
    statement = statement_get(org=org, position=position, pk=statement_pk)
    return {
        "position": position,
        "statement": statement,
        "lines": statement_lines(statement=statement),
    }


@organisation_required(READ_ROLES)
def statement_detail(request: HttpRequest, pk: int, statement_pk: int) -> HttpResponse:
    return render(
        request, "people/positions/statement.html", _statement_context(request, pk, statement_pk)
    )


@organisation_required(READ_ROLES)
def statement_pdf(request: HttpRequest, pk: int, statement_pk: int) -> HttpResponse:
    context = _statement_context(request, pk, statement_pk)
    statement = context["statement"]
    return render_pdf(
        request,
        "people/positions/statement_document.html",
        context,
        filename=f"releve-{statement.month:%Y-%m}-{statement.organisation.slug}.pdf",  # type: ignore[attr-defined]
    )
