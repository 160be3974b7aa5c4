"""The eligibility rule's form: territory, visit frequency, proofs and income ceilings.

Only parsing here; the ranges are checked by services/eligibility_rules.py (one set of
messages for the screen and any other caller)."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Municipality

from .models import EligibilityRule
from .services.eligibility_rules import HOUSEHOLD_SIZES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NUMBER = {"invalid": _("Write a whole number, for example 7.")}


def _number(label: "StrOrPromise", help_text: "StrOrPromise") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        error_messages=NUMBER,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def ceiling_label(size: int) -> str:
    if size == HOUSEHOLD_SIZES[-1]:
        return str(_("%(n)d people or more") % {"n": size})
    if size == 1:
        return str(_("1 person"))
    return str(_("%(n)d people") % {"n": size})


class EligibilityRuleForm(forms.Form):
    territory = forms.ModelMultipleChoiceField(
        label=_("Municipalities served"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Check the municipalities you serve. None checked: everyone is welcome."),
    )
    min_days_between_visits = _number(
        _("At most one basket every … days"),
        _(
            "For example 7 for one basket a week. Empty: no limit. Meals, snacks and emergency "
            "help are never limited."
        ),
    )
    proof_renewal_months = _number(
        _("See the proofs again every … months"),
        _("Proof of address and income, seen at the counter (never copied). Empty: never asked."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for size in HOUSEHOLD_SIZES:
            self.fields[f"ceiling_{size}"] = _number(ceiling_label(size), _("In dollars a year."))

    @classmethod
    def for_rule(cls, rule: EligibilityRule | None) -> "EligibilityRuleForm":
        if rule is None:
            return cls()
        initial: dict[str, object] = {
            "territory": list(rule.territory.all()),
            "min_days_between_visits": rule.min_days_between_visits,
            "proof_renewal_months": rule.proof_renewal_months,
        }
        for size, cents in (rule.income_ceilings or {}).items():
            initial[f"ceiling_{size}"] = int(cents) // 100
        return cls(initial=initial)

    def ceiling_fields(self) -> list[forms.BoundField]:
        return [self[f"ceiling_{size}"] for size in HOUSEHOLD_SIZES]

    def ceilings_cents(self) -> dict[int, int | None]:
        values: dict[int, int | None] = {}
        for size in HOUSEHOLD_SIZES:
            dollars = self.cleaned_data.get(f"ceiling_{size}")
            values[size] = None if dollars is None else dollars * 100
        return values
