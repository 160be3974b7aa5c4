"""Forms of the delivery-day and order screens. Weights are typed in kg (French comma)."""

import json
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.forms import KG
from cordee.core.models import Organisation, Site
from cordee.core.selectors.organisations import site_list

from .forms import CHOOSE, FoodDateField, WeightKgField, grams
from .models import Category, DeliveryDay, StorageClass
from .selectors.orders import AllocationSection, CategoryRow


def _kg(grams_: int) -> Decimal:
    return (Decimal(grams_) / KG).normalize() if grams_ else Decimal(0)


class DeliveryDayOpenForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Leaving from"), queryset=Site.objects.none(), empty_label=CHOOSE
    )
    delivers_on = FoodDateField(label=_("Delivery date"), required=True)
    policy = forms.ChoiceField(
        label=_("When there is not enough for every order, share it"),
        choices=DeliveryDay.Policy.choices,
        initial=DeliveryDay.Policy.HOUSEHOLDS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites: QuerySet[Site] = site_list(org=org, active_only=True).order_by("name")
        field = self.fields["site"]
        field.queryset = sites  # type: ignore[attr-defined]
        if not self.is_bound:
            only = list(sites[:2])
            if len(only) == 1:
                self.initial["site"] = only[0].pk
            self.initial["delivers_on"] = timezone.localdate() + timedelta(days=1)

    def clean_delivers_on(self) -> Any:
        value = self.cleaned_data["delivers_on"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return value


def category_field_name(category: Category) -> str:
    return f"cat_{category.pk}"


class OrderForm(forms.Form):
    """One kg box per kind of food, grouped by storage; where to deliver; a note."""

    site = forms.ModelChoiceField(
        label=_("Deliver to"), queryset=Site.objects.none(), empty_label=CHOOSE
    )
    note = forms.CharField(
        label=_("A word for the hub"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    standing = forms.BooleanField(
        label=_("Keep this as my usual order: each new delivery day starts with it"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        org: Organisation,
        rows: Iterable[CategoryRow],
        initial_g: dict[int, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        sites = site_list(org=org, active_only=True).order_by("name")
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        if not self.is_bound and "site" not in self.initial:
            only = list(sites[:2])
            if len(only) == 1:
                self.initial["site"] = only[0].pk
        self.rows = list(rows)
        initial_g = initial_g or {}
        for row in self.rows:
            name = category_field_name(row.category)
            self.fields[name] = WeightKgField(label=row.category.name)
            if row.category.pk in initial_g:
                self.initial[name] = _kg(initial_g[row.category.pk])

    def groups(self) -> list[dict[str, Any]]:
        """The kg boxes grouped by storage class (frozen, refrigerated, dry)."""
        groups: dict[str, dict[str, Any]] = {}
        for row in self.rows:
            storage = row.category.storage_class
            group = groups.setdefault(
                storage, {"storage": storage, "label": StorageClass(storage).label, "rows": []}
            )
            group["rows"].append((row, self[category_field_name(row.category)]))
        return list(groups.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(self.requested_g().values()):
            raise forms.ValidationError(_("Write a quantity for at least one kind of food."))
        return data

    def requested_g(self) -> dict[Category, int]:
        result = {}
        for row in self.rows:
            value = self.cleaned_data.get(category_field_name(row.category))
            result[row.category] = grams(value)
        return result


def cell_field_name(member_id: int, category_id: int) -> str:
    return f"granted-{member_id}-{category_id}"


class AllocationAdjustForm(forms.Form):
    """The granted kg of every member × category cell of a shared-out day."""

    def __init__(
        self,
        *args: Any,
        sections: Iterable[AllocationSection],
        preview_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        for section in self.sections:
            category_id = section.row.category.pk
            for order, cell in section.cells:
                name = cell_field_name(cell.member_id, cell.category_id)
                field = WeightKgField(
                    label=_("%(category)s for %(member)s")
                    % {"category": section.row.category.name, "member": order.organisation.name}
                )
                if preview_url:  # htmx: the category's totals follow what is typed, unsaved
                    field.widget.attrs.update(
                        {
                            "hx-post": preview_url,
                            "hx-trigger": "change, keyup changed delay:600ms",
                            "hx-target": f"#totals-{category_id}",
                            "hx-swap": "innerHTML",
                            "hx-vals": json.dumps({"category": str(category_id)}),
                            "autocomplete": "off",
                        }
                    )
                self.fields[name] = field
                self.initial[name] = _kg(cell.granted_g)

    def changes(self) -> list[tuple[Organisation, Category, int]]:
        """The cells whose typed quantity differs from what is saved (empty box: 0)."""
        result = []
        for section in self.sections:
            for order, cell in section.cells:
                value = self.cleaned_data.get(cell_field_name(cell.member_id, cell.category_id))
                granted = grams(value)
                if granted != cell.granted_g:
                    result.append((order.organisation, section.row.category, granted))
        return result

    def granted_g(self, section: AllocationSection) -> int | None:
        """Σ of what is typed in one category (None when a box cannot be read)."""
        total = 0
        for _order, cell in section.cells:
            field = self[cell_field_name(cell.member_id, cell.category_id)]
            try:
                value = field.field.clean(field.data)
            except forms.ValidationError:
                return None
            total += grams(value)
        return total
