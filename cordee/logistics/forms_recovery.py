"""Forms of supermarket recovery: partner stores, their schedule, and the driver's screen.

The pickup form has one weight box per kind of food, and a temperature box for the cold
ones; each filled kind becomes a ReceptionLine that `line_problems` judges, so the rules
are those of every reception, and each problem is shown next to its box.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, Site
from cordee.core.selectors.organisations import site_list

from .forms import CHOOSE, TemperatureField, WeightKgField, grams
from .models import MAX_TEMPERATURE_C, Category, Lot, NothingReason, PickupSlot
from .selectors.suppliers import supplier_list
from .services.receptions import ReceptionLine, line_problems, temperature_out_of_range

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PartnerStoreForm(forms.Form):
    store = forms.ModelChoiceField(
        label=_("Store"), queryset=Organisation.objects.none(), empty_label=CHOOSE
    )
    site = forms.ModelChoiceField(
        label=_("Store address"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=CHOOSE,
        help_text=_("Empty: the store's first address."),
    )
    destination = forms.ModelChoiceField(
        label=_("Where the food goes"), queryset=Site.objects.none(), empty_label=CHOOSE
    )
    chain = forms.CharField(label=_("Chain or banner"), max_length=120, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    typical_kg = WeightKgField(
        label=_("Usual weight per pickup (kg)"), help_text=_("To plan the truck.")
    )
    notes = forms.CharField(
        label=_("Notes for the driver"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where to park, which door, who to ask."),
    )
    is_active = forms.BooleanField(label=_("Active partner"), required=False, initial=True)

    def __init__(self, *args: Any, org: Organisation, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stores = supplier_list(org=org).filter(kind=Organisation.Kind.STORE)
        if editing:
            del self.fields["store"]
        else:
            del self.fields["is_active"]
            self.fields["store"].queryset = stores.exclude(  # type: ignore[attr-defined]
                recovery_partnerships__hub=org
            )
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organisation__in=stores
        ).order_by("name")
        destinations = site_list(org=org, active_only=True)
        self.fields["destination"].queryset = destinations  # type: ignore[attr-defined]
        first = list(destinations.values_list("pk", flat=True)[:1])
        if first and not self.initial.get("destination"):
            self.fields["destination"].initial = first[0]

    def clean_typical_kg(self) -> Any:
        value = self.cleaned_data.get("typical_kg")
        if value is not None and value < 0:
            raise ValidationError(_("Give a weight of zero or more."))
        return value

    def clean(self) -> dict:
        data = super().clean() or {}
        store, site = data.get("store"), data.get("site")
        if store is not None and site is None:
            data["site"] = store.sites.filter(is_active=True).order_by("pk").first()
        elif store is not None and site is not None and site.organisation_id != store.pk:
            self.add_error("site", _("This address is not one of this store's."))
        return data

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        values = {
            name: d[name]
            for name in (
                "site",
                "destination",
                "chain",
                "contact_name",
                "contact_phone",
                "contact_email",
                "notes",
            )
        }
        values["typical_g"] = grams(d.get("typical_kg"))
        if "is_active" in self.fields:
            values["is_active"] = d["is_active"]
        return values


class PickupSlotForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=[("", CHOOSE), *PickupSlot.Weekday.choices], coerce=int
    )
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET)

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start is not None and end is not None and end <= start:
            self.add_error("ends_at", _("The end must come after the start."))
        return data


class PickupForm(forms.Form):
    """One weight per kind of food; a temperature (and, if too warm, a decision) for the
    cold ones. Empty boxes mean « none of this today »."""

    notes = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(
        self, *args: Any, org: Organisation, categories: QuerySet[Category], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.categories = list(categories)
        for category in self.categories:
            pk = category.pk
            food = {"food": category.name}
            self.fields[f"kg_{pk}"] = WeightKgField(label=gettext("%(food)s (kg)") % food)
            if category.storage_class in MAX_TEMPERATURE_C:
                self.fields[f"temp_{pk}"] = TemperatureField(
                    label=gettext("Temperature of %(food)s (°C)") % food, required=False
                )
                self.fields[f"decision_{pk}"] = forms.ChoiceField(
                    label=_("It is too warm: what do you do?"),
                    choices=[c for c in Lot.Decision.choices if c[0]],
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.fields[f"reason_{pk}"] = forms.CharField(
                    label=_("Why"), max_length=300, required=False
                )

    def rows(self) -> list[dict[str, Any]]:
        """Per kind of food, its boxes, for the template."""
        rows = []
        for category in self.categories:
            pk = category.pk
            cold = f"temp_{pk}" in self.fields
            row: dict[str, Any] = {"category": category, "kg": self[f"kg_{pk}"], "cold": cold}
            if cold:
                row["limit"] = MAX_TEMPERATURE_C[category.storage_class]  # type: ignore[index]
                row["temp"] = self[f"temp_{pk}"]
                row["decision"] = self[f"decision_{pk}"]
                row["reason"] = self[f"reason_{pk}"]
                row["too_warm"] = self._too_warm(category)
            rows.append(row)
        return rows

    def _too_warm(self, category: Category) -> bool:
        """Show the decision boxes: the typed temperature is too high, or one was chosen."""
        if not self.is_bound:
            return False
        pk = category.pk
        if self.data.get(f"decision_{pk}") or self[f"decision_{pk}"].errors:
            return True
        value = getattr(self, "cleaned_data", {}).get(f"temp_{pk}")
        return temperature_out_of_range(category.storage_class, value)

    def clean(self) -> dict:
        data = super().clean() or {}
        self._lines: list[ReceptionLine] = []
        for category in self.categories:
            pk = category.pk
            weight = data.get(f"kg_{pk}")
            if weight is None or f"kg_{pk}" in self.errors:
                continue
            if weight < 0:
                self.add_error(f"kg_{pk}", _("Give a weight of zero or more."))
                continue
            if grams(weight) == 0:
                continue  # « 0 »: none of this today
            line = ReceptionLine(
                category=category,
                weight_g=grams(weight),
                temperature_c=data.get(f"temp_{pk}"),
                decision=data.get(f"decision_{pk}") or "",
                decision_reason=data.get(f"reason_{pk}") or "",
            )
            problems = line_problems(line, self.org)
            fields = {
                "weight": f"kg_{pk}",
                "temperature_c": f"temp_{pk}",
                "decision": f"decision_{pk}",
                "decision_reason": f"reason_{pk}",
            }
            for key, message in problems.items():
                name = fields.get(key)
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)
                elif name not in self.fields:
                    self.add_error(None, message)
            if not problems:
                self._lines.append(line)
        if not self.errors and not self._lines:
            raise ValidationError(
                _("Write at least one weight, or press « Nothing today »."), code="empty"
            )
        return data

    def lines(self) -> list[ReceptionLine]:
        return self._lines

    @property
    def total_g(self) -> int:
        return sum(line.weight_g for line in self._lines)


class NothingTodayForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why was there nothing?"),
        choices=NothingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why there was nothing.")},
    )
    note = forms.CharField(label=_("In a few words (optional)"), max_length=300, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("reason") == NothingReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Say in a few words why there was nothing."))
        return data
