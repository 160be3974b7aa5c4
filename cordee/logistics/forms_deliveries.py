"""Forms of the delivery, recall and counter distribution screens.

Weights are typed in kg (French comma accepted) and kept in grams, as everywhere.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, Site
from cordee.core.selectors.organisations import site_list
from cordee.core.templatetags.cordee import kg

from .forms import CHOOSE, COLD_RULE, FoodDateField, TemperatureField, WeightKgField, grams
from .models import Category, DeliveryLine, Lot, Reception
from .selectors.recalls import recall_reception_choices
from .selectors.stock import category_list


class DeliveryConfirmForm(forms.Form):
    """One received weight (prefilled with what was shipped) and temperature per line."""

    note = forms.CharField(
        label=_("What was different"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when a weight differs: a box missing, damaged, too warm..."),
    )

    def __init__(self, *args: Any, lines: Iterable[DeliveryLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            words = {"lot": line.lot_id, "food": line.lot.category.name}
            self.fields[f"received_{line.pk}"] = WeightKgField(
                label=_("Weight received (kg) of lot %(lot)s, %(food)s") % words,
                initial=Decimal(line.shipped_g) / 1000,
                required=True,
            )
            self.fields[f"temperature_{line.pk}"] = TemperatureField(
                label=_("Temperature on arrival (°C) of lot %(lot)s, %(food)s") % words,
                required=False,
                help_text=COLD_RULE,
            )

    def rows(self) -> list[tuple[DeliveryLine, forms.BoundField, forms.BoundField]]:
        return [(x, self[f"received_{x.pk}"], self[f"temperature_{x.pk}"]) for x in self.lines]

    def clean(self) -> dict:
        data = super().clean() or {}
        for line in self.lines:
            name = f"received_{line.pk}"
            value = data.get(name)
            if value is not None and grams(value) > line.shipped_g:
                self.add_error(
                    name,
                    _("At most %(kg)s was sent. Write the weight you really received.")
                    % {"kg": kg(line.shipped_g)},
                )
        if not self.errors and self.is_partial() and not (data.get("note") or "").strip():
            self.add_error("note", _("Say in a few words what was missing or damaged."))
        return data

    def received_g(self) -> dict[int, int]:
        return {x.pk: grams(self.cleaned_data[f"received_{x.pk}"]) for x in self.lines}

    def temperatures(self) -> dict[int, Decimal]:
        return {
            x.pk: value
            for x in self.lines
            if (value := self.cleaned_data.get(f"temperature_{x.pk}")) is not None
        }

    def is_partial(self) -> bool:
        data = self.cleaned_data
        return any(
            data.get(f"received_{x.pk}") is not None
            and grams(data[f"received_{x.pk}"]) != x.shipped_g
            for x in self.lines
        )


class RecallSearchForm(forms.Form):
    supplier_lot_code = forms.CharField(
        label=_("Supplier lot number"),
        max_length=60,
        required=False,
        help_text=_("As written in the recall notice. Part of the number is enough."),
    )
    category = forms.ModelChoiceField(
        label=_("Kind of food"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=CHOOSE,
    )
    received_from = FoodDateField(label=_("Received from"))
    received_to = FoodDateField(label=_("Received until"))
    reception = forms.ModelChoiceField(
        label=_("Reception"),
        queryset=Reception.objects.none(),
        required=False,
        empty_label=CHOOSE,
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_list(org=org)  # type: ignore[attr-defined]
        self.fields["reception"].queryset = recall_reception_choices(org=org)  # type: ignore[attr-defined]
        self.fields["reception"].label_from_instance = _reception_label  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("This date must come after the first one."))
        wanted = ("supplier_lot_code", "category", "received_from", "received_to", "reception")
        if not self.errors and not any(data.get(name) for name in wanted):
            raise ValidationError(
                _("Give a lot number, a kind of food with dates, or a reception."), code="empty"
            )
        return data

    def criteria(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "supplier_lot_code": d.get("supplier_lot_code") or "",
            "category": d.get("category"),
            "received_from": d.get("received_from"),
            "received_to": d.get("received_to"),
            "reception": d.get("reception"),
        }


def _reception_label(reception: Reception) -> str:
    where = reception.supplier.name if reception.supplier else reception.get_source_display()
    return f"{reception.received_on:%Y-%m-%d} — {where} — {reception.site.name}"


class RecallBlockForm(forms.Form):
    lots = forms.ModelMultipleChoiceField(
        label=_("Lots to block"),
        queryset=Lot.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one lot to block.")},
    )
    reason = forms.CharField(
        label=_("Why (the recall notice)"),
        max_length=200,
        help_text=_("For example: recall notice of the food inspection agency, date, product."),
    )

    def __init__(self, *args: Any, lots: QuerySet[Lot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lots"]
        field.queryset = lots  # type: ignore[attr-defined]
        field.label_from_instance = _lot_label  # type: ignore[attr-defined]


def _lot_label(lot: Lot) -> str:
    code = f" — {lot.supplier_lot_code}" if lot.supplier_lot_code else ""
    return f"{lot.category.name} — lot {lot.pk}{code}"


class CounterDistributionForm(forms.Form):
    """A distribution day at a counter: baskets and kilograms per kind of food."""

    site = forms.ModelChoiceField(
        label=_("Where"), queryset=Site.objects.none(), empty_label=CHOOSE
    )
    distributed_on = FoodDateField(
        label=_("Date of the distribution"), required=True, initial=timezone.localdate
    )
    baskets = forms.IntegerField(
        label=_("Baskets handed out"),
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = site_list(org=org, active_only=True)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        first_two = list(sites.values_list("pk", flat=True)[:2])
        if len(first_two) == 1:
            self.fields["site"].initial = first_two[0]
        self.categories = list(category_list(org=org))
        for category in self.categories:
            self.fields[f"kg_{category.pk}"] = WeightKgField(
                label=_("%(food)s (kg)") % {"food": category.name}
            )

    def category_fields(self) -> list[tuple[Category, forms.BoundField]]:
        return [(c, self[f"kg_{c.pk}"]) for c in self.categories]

    def clean_distributed_on(self) -> date:
        value: date = self.cleaned_data["distributed_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        return value

    def clean(self) -> dict:
        data = super().clean() or {}
        if not self.errors and not data.get("baskets") and not self.kg_by_category():
            raise ValidationError(
                _("Give the number of baskets or the weight of at least one kind of food."),
                code="empty",
            )
        return data

    def kg_by_category(self) -> dict[Category, int]:
        result = {}
        for category in self.categories:
            value = self.cleaned_data.get(f"kg_{category.pk}")
            if value is not None and (g := grams(value)) > 0:
                result[category] = g
        return result
