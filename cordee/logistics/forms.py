"""Forms of the logistics screens. Weights are typed in kg (French comma) and kept in grams.

The reception line form asks the reception service (`line_problems`) what is wrong with a
line, so the screen, the API and imports apply the same food-safety rules, and puts each
problem next to the field it is about.
"""

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.forms import KG, KgField
from cordee.core.models import Organisation, Site
from cordee.core.selectors.organisations import site_list
from cordee.core.templatetags.cordee import kg

from .models import Category, Lot, Reception, StockBalance, StockMovement
from .selectors.stock import category_list
from .selectors.suppliers import supplier_list
from .services.receptions import ReceptionLine, line_problems

MAX_LINES = 40
LINES_STEP = 5
CHOOSE = _("— Choose —")
COLD_RULE = _("Refrigerated: 4 °C or less. Frozen: −18 °C or less.")
# Dates of food and receptions outside these years are typing mistakes (and would overflow
# the date arithmetic of the "last day to hand out").
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WeightKgField(KgField):
    """A weight in kg, to the gram: « 12,5 », « 12.5 », « 12,5 kg » and « 1 250 » all work."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.decimal_places = 3
        self.validators = [v for v in self.validators if not isinstance(v, DecimalValidator)]
        self.validators.append(DecimalValidator(9, 3))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = _decimal_comma(value.strip().lower().removesuffix("kg").strip())
        number = super().to_python(value)
        if number is not None and number.is_finite() and abs(number) < 10**9:
            number = number.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)  # grams
        return number


def _decimal_comma(value: str) -> str:
    """« 12,5 » is 12.5 kg in any language; only « 1,250 » (3 digits) may be a thousands
    separator, and the current language's rule decides."""
    head, comma, tail = value.partition(",")
    if comma and "," not in tail and "." not in value and not (len(tail) == 3 and tail.isdigit()):
        return f"{head}.{tail}"
    return value


def grams(kilograms: Decimal | None) -> int:
    return int(((kilograms or Decimal(0)) * KG).to_integral_value(rounding=ROUND_HALF_UP))


class TemperatureField(forms.DecimalField):
    """Degrees Celsius to the tenth: « 3,5 », « -18 », « −18 °C » (typographic minus) work."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=4,
            decimal_places=1,
            min_value=-40,
            max_value=99,
            localize=True,
            # No inputmode="decimal": phone keypads in that mode often have no minus sign.
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
            **kwargs,
        )

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower().removesuffix("c").strip().removesuffix("°").strip()
            value = value.replace("−", "-").replace("–", "-").replace(" ", "")
            value = value.replace(",", ".")  # no thousands in a temperature
        number = super().to_python(value)
        if number is not None and number.is_finite() and abs(number) < 1000:
            number = number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return number


class FoodDateField(forms.DateField):
    """A date on a package or a delivery note; a wrong year gets a plain message."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(widget=_date_widget(), **kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(_("Check the year of this date."), code="year")


class ReceptionForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Where the food arrives"), queryset=Site.objects.none(), empty_label=CHOOSE
    )
    source = forms.ChoiceField(
        label=_("Where the food comes from"), choices=[("", CHOOSE), *Reception.Source.choices]
    )
    supplier = forms.ModelChoiceField(
        label=_("Food bank or store"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=CHOOSE,
        help_text=_("Only when the food comes from the food bank or a store."),
    )
    donor_name = forms.CharField(
        label=_("Donor"),
        max_length=200,
        required=False,
        help_text=_("For a local donor or a farm: a name, or leave empty."),
    )
    received_on = FoodDateField(label=_("Date received"), required=True, initial=timezone.localdate)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = site_list(org=org, active_only=True)
        site = self.fields["site"]
        site.queryset = sites  # type: ignore[attr-defined]
        first_two = list(sites.values_list("pk", flat=True)[:2])
        if len(first_two) == 1:
            site.initial = first_two[0]
        suppliers = supplier_list(org=org)
        if suppliers.exists():
            self.fields["supplier"].queryset = suppliers  # type: ignore[attr-defined]
        else:
            del self.fields["supplier"]

    def clean_received_on(self) -> date:
        value: date = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        return value


class ReceptionLineForm(forms.Form):
    """One kind of food received: becomes one lot."""

    # line_problems() key → field of this form
    PROBLEM_FIELDS = {
        "category": "category",
        "weight": "weight_kg",
        "expiry_date": "expiry_date",
        "temperature_c": "temperature_c",
        "decision": "decision",
        "decision_reason": "decision_reason",
    }

    category = forms.ModelChoiceField(
        label=_("Kind of food"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=CHOOSE,
    )
    weight_kg = WeightKgField(label=_("Weight (kg)"))
    temperature_c = TemperatureField(
        label=_("Temperature (°C)"), required=False, help_text=COLD_RULE
    )
    best_before = FoodDateField(label=_("Best before"))
    expiry_date = FoodDateField(
        label=_("Expiry date"), help_text=_("Only for infant formula and supplements.")
    )
    supplier_lot_code = forms.CharField(
        label=_("Supplier's lot number"),
        max_length=60,
        required=False,
        help_text=_("As printed on the box: it lets you find this food if it is recalled."),
    )
    decision = forms.ChoiceField(
        label=_("If it is too warm"), choices=Lot.Decision.choices, required=False
    )
    decision_reason = forms.CharField(label=_("Why"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        org: Organisation,
        categories: QuerySet[Category] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        queryset = categories if categories is not None else category_list(org=org)
        self.fields["category"].queryset = queryset  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        category, weight = data.get("category"), data.get("weight_kg")
        if category is None and "category" not in self.errors:
            self.add_error("category", _("Choose the kind of food."))
        if weight is None and "weight_kg" not in self.errors:
            self.add_error("weight_kg", _("Give the weight in kg."))
        if category is None or weight is None:
            return data
        for key, message in line_problems(self.line(), self.org).items():
            field = self.PROBLEM_FIELDS.get(key)
            if field not in self.errors:  # a typing mistake there is said first
                self.add_error(field, message)
        return data

    def line(self) -> ReceptionLine:
        d = self.cleaned_data
        return ReceptionLine(
            category=d["category"],
            weight_g=grams(d.get("weight_kg")),
            best_before=d.get("best_before"),
            expiry_date=d.get("expiry_date"),
            temperature_c=d.get("temperature_c"),
            decision=d.get("decision") or "",
            decision_reason=d.get("decision_reason") or "",
            supplier_lot_code=(d.get("supplier_lot_code") or "").strip(),
        )


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        self.org = org
        self.categories = category_list(org=org)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict:
        return {"org": self.org, "categories": self.categories}

    def filled_forms(self) -> list[ReceptionLineForm]:
        return [f for f in self.forms if f.has_changed()]

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.filled_forms():
            raise ValidationError(
                _("Add at least one line: the kind of food and its weight."), code="empty"
            )

    def lines(self) -> list[ReceptionLine]:
        return [f.line() for f in self.filled_forms()]


ReceptionLineFormSet = forms.formset_factory(
    ReceptionLineForm,
    formset=BaseLineFormSet,
    extra=LINES_STEP,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
    validate_max=True,
)


class LossForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Where"), queryset=Site.objects.none(), empty_label=CHOOSE
    )
    weight_kg = WeightKgField(label=_("Weight lost (kg)"), required=True)
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[("", CHOOSE), *(c for c in StockMovement.LossReason.choices if c[0])],
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(
        self, *args: Any, org: Organisation, balances: Iterable[StockBalance], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.balances = {b.site_id: b for b in balances}
        site = self.fields["site"]
        site.queryset = site_list(org=org).filter(pk__in=self.balances)  # type: ignore[attr-defined]
        if len(self.balances) == 1:
            site.initial = next(iter(self.balances))

    def clean(self) -> dict:
        data = super().clean() or {}
        site, weight = data.get("site"), data.get("weight_kg")
        if site is None or weight is None:
            return data
        wanted = grams(weight)
        if wanted <= 0:
            self.add_error("weight_kg", _("Give a weight greater than zero."))
        elif wanted > (left := self.balances[site.pk].quantity_g):
            self.add_error(
                "weight_kg",
                _("Only %(kg)s of this lot are left at %(site)s. Give a smaller weight.")
                % {"kg": kg(left), "site": site.name},
            )
        return data

    @property
    def weight_g(self) -> int:
        return grams(self.cleaned_data["weight_kg"])


class SiteChoiceForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Site to count"), queryset=Site.objects.none(), empty_label=CHOOSE
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = site_list(org=org, active_only=True)  # type: ignore[attr-defined]


class StockCountForm(forms.Form):
    """One counted weight per lot at the site; an empty box means "not counted"."""

    def __init__(self, *args: Any, balances: Iterable[StockBalance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.balances = list(balances)
        for balance in self.balances:
            self.fields[self.field_name(balance)] = WeightKgField(
                label=_("Counted weight (kg) of lot %(lot)s, %(food)s")
                % {"lot": balance.lot_id, "food": balance.lot.category.name}
            )

    @staticmethod
    def field_name(balance: StockBalance) -> str:
        return f"lot_{balance.lot_id}"

    def rows(self) -> list[tuple[StockBalance, forms.BoundField]]:
        return [(b, self[self.field_name(b)]) for b in self.balances]

    def clean(self) -> dict:
        data = super().clean() or {}
        if not self.errors and all(data.get(self.field_name(b)) is None for b in self.balances):
            raise ValidationError(_("Type at least one counted weight."), code="empty")
        return data

    def counted_g(self) -> dict[int, int]:
        return {
            b.lot_id: grams(value)
            for b in self.balances
            if (value := self.cleaned_data.get(self.field_name(b))) is not None
        }
