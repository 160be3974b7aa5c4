"""Forms for shared positions: the position, a member's share, a timesheet line, a
statement to issue, a payment received. Money is typed in dollars and kept in cents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, Role, User

from .forms import DATE
from .models import PositionShare, SharedPosition

# The employee opens the position's page, which is for these roles (views.positions.READ_ROLES).
EMPLOYEE_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF, Role.VIEWER)


def employee_choices(employer: Organisation) -> QuerySet[User]:
    """Logins that may be the employee: people with a membership in the employer."""
    return (
        User.objects.filter(
            memberships__organisation=employer, memberships__role__in=EMPLOYEE_ROLES
        )
        .distinct()
        .order_by("full_name", "email")
    )


class EmployeeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else str(obj.email)


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    employee_name = forms.CharField(label=_("Employee"), max_length=200, required=False)
    employee_user = EmployeeChoiceField(
        label=_("Employee's login"),
        help_text=_("So the employee can enter their own time. Leave empty if they have none."),
        queryset=User.objects.none(),
        required=False,
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), min_value=Decimal("0.5"), max_value=80, decimal_places=2
    )
    hourly_cost = forms.DecimalField(
        label=_("Loaded hourly cost ($)"),
        help_text=_("Wage plus benefits and employer contributions, per hour."),
        min_value=Decimal("0.01"),
        max_value=1000,
        decimal_places=2,
    )
    fee_percent = forms.DecimalField(
        label=_("Management fee (%)"), min_value=0, max_value=100, decimal_places=2, initial=0
    )

    def __init__(self, *args: Any, employer: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee_user"].queryset = employee_choices(employer)  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "employee_name": d["employee_name"],
            "employee_user": d["employee_user"],
            "hours_per_week": d["hours_per_week"],
            "hourly_cost_cents": _cents(d["hourly_cost"]),
            "fee_basis_points": _cents(d["fee_percent"]),
        }


def _members_choices(position: SharedPosition) -> QuerySet[Organisation]:
    """Organisations of the employer's networks (a position is pooled inside a network)."""
    return Organisation.objects.filter(
        network_memberships__network__memberships__organisation=position.employer
    ).distinct()


class EmployeeForm(forms.Form):
    """Link (or unlink) the employee's login on an existing position."""

    employee_user = EmployeeChoiceField(
        label=_("Employee's login"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, position: SharedPosition, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"employee_user": position.employee_user_id})
        super().__init__(*args, **kwargs)
        self.fields["employee_user"].queryset = employee_choices(position.employer)  # type: ignore[attr-defined]


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Member"), queryset=Organisation.objects.none())
    planned = forms.DecimalField(
        label=_("Planned"), min_value=Decimal("0.01"), max_value=1000, decimal_places=2
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=PositionShare.Unit.choices)

    def __init__(self, *args: Any, position: SharedPosition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _members_choices(position)  # type: ignore[attr-defined]


def _shares(position: SharedPosition) -> QuerySet[Organisation]:
    return Organisation.objects.filter(position_shares__position=position)


class TimesheetForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Worked for"), queryset=Organisation.objects.none()
    )
    day = forms.DateField(label=_("Day"), widget=DATE)
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=16, initial=0)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=59, initial=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, position: SharedPosition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _shares(position)  # type: ignore[attr-defined]
        self.fields["day"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["total_minutes"] = (data.get("hours") or 0) * 60 + (data.get("minutes") or 0)
        if "hours" in data and data["total_minutes"] <= 0:
            raise forms.ValidationError(_("Enter how long the employee worked."))
        return data


class StatementForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Member"), queryset=Organisation.objects.none())
    month = forms.CharField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), max_length=7
    )

    def __init__(self, *args: Any, position: SharedPosition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _shares(position)  # type: ignore[attr-defined]

    def clean_month(self) -> date:
        raw = self.cleaned_data["month"]
        try:
            year, month = (int(p) for p in raw.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Choose a month, for example 2026-03.")) from None


class PaymentForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Paid by"), queryset=Organisation.objects.none())
    amount = forms.DecimalField(
        label=_("Amount ($)"), min_value=Decimal("0.01"), max_value=1_000_000, decimal_places=2
    )
    note = forms.CharField(
        label=_("Note (cheque number, transfer)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, position: SharedPosition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _shares(position)  # type: ignore[attr-defined]

    def amount_cents(self) -> int:
        return _cents(self.cleaned_data["amount"])


class AdjustmentForm(forms.Form):
    """Correct an issued statement: a credit note or an added charge, with the reason."""

    KINDS = (("credit", _("Credit note (the member owes less)")), ("debit", _("Added charge")))

    organisation = forms.ModelChoiceField(label=_("Member"), queryset=Organisation.objects.none())
    month = forms.CharField(
        label=_("Month of the statement"),
        widget=forms.DateInput(attrs={"type": "month"}),
        max_length=7,
    )
    kind = forms.ChoiceField(label=_("Correction"), choices=KINDS, widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label=_("Amount ($)"), min_value=Decimal("0.01"), max_value=1_000_000, decimal_places=2
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, position: SharedPosition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _shares(position)  # type: ignore[attr-defined]

    clean_month = StatementForm.clean_month

    def signed_cents(self) -> int:
        cents = _cents(self.cleaned_data["amount"])
        return -cents if self.cleaned_data["kind"] == "credit" else cents
