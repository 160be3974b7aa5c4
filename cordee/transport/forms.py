"""Forms of transport: a new tour, a pickup stop, cancelling a mobile counter date, a
vehicle, a regular stop of the mobile counter."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cordee.core.forms import KgField
from cordee.core.models import Organisation, Site, User
from cordee.logistics.selectors.recovery import partner_store_list

from .models import WEEKDAY_CHOICES, MobileCounterStop, TourStop, Vehicle
from .selectors.mobile import mobile_site_list
from .selectors.tours import depot_list, driver_list, vehicle_list


class TourForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    vehicle = forms.ModelChoiceField(
        label=_("Vehicle"), queryset=Vehicle.objects.none(), empty_label=None
    )
    driver = forms.ModelChoiceField(
        label=_("Driver"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not chosen yet"),
    )
    start_site = forms.ModelChoiceField(
        label=_("Leaves from and comes back to"),
        queryset=Site.objects.none(),
        empty_label=None,
    )
    starts_at = forms.TimeField(
        label=_("Leaves at"), initial=time(8), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(
        label=_("Back by"), initial=time(16), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicle_list(org=org)  # type: ignore[attr-defined]
        self.fields["driver"].queryset = driver_list(org=org)  # type: ignore[attr-defined]
        self.fields["start_site"].queryset = depot_list(org=org).order_by(  # type: ignore[attr-defined]
            "kind", "name"
        )


def _grams(value: Decimal | None) -> int:
    return int((value or Decimal(0)) * 1000)


class PickupForm(forms.Form):
    """A pickup added by hand: at the food bank, or at one of the hub's partner stores (the
    supermarket recovery list). One list of places, grouped: the kind follows the place."""

    place = forms.ChoiceField(label=_("Where"))
    dry_kg = KgField(label=_("Dry food expected (kg)"))
    chilled_kg = KgField(label=_("Refrigerated food expected (kg)"))
    frozen_kg = KgField(label=_("Frozen food expected (kg)"))

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = Q(organisation__networks__in=org.networks.all()) | Q(organisation=org)
        self.banks = {
            site.pk: site
            for site in Site.objects.filter(
                partners, is_active=True, organisation__kind=Organisation.Kind.FOOD_BANK
            )
            .select_related("organisation")
            .distinct()
            .order_by("name")
        }
        self.stores = {p.pk: p for p in partner_store_list(org=org, active_only=True)}
        choices: list[Any] = [("", _("— Choose —"))]
        if self.banks:
            banks = [(f"site:{pk}", site.name) for pk, site in self.banks.items()]
            choices.append((TourStop.Kind.FOOD_BANK_PICKUP.label, banks))
        if self.stores:
            stores = [(f"store:{pk}", str(partner)) for pk, partner in self.stores.items()]
            choices.append((_("Partner stores"), stores))
        self.fields["place"].choices = choices  # type: ignore[attr-defined]
        self.fields["place"].help_text = _(
            "Stores come from the supermarket recovery list. With no weight given, a store's "
            "usual pickup is counted."
        )

    def clean_place(self) -> str:
        value: str = self.cleaned_data["place"]
        kind, _sep, pk = value.partition(":")
        known = self.banks if kind == "site" else self.stores if kind == "store" else {}
        if not pk.isdigit() or int(pk) not in known:
            raise forms.ValidationError(_("Choose a place from the list."))
        return value

    def target(self) -> dict[str, Any]:
        """The keyword arguments of `tour_stop_add` for the chosen place."""
        kind, _sep, pk = self.cleaned_data["place"].partition(":")
        if kind == "store":
            return {"kind": TourStop.Kind.STORE_PICKUP, "partner": self.stores[int(pk)]}
        return {"kind": TourStop.Kind.FOOD_BANK_PICKUP, "site": self.banks[int(pk)]}

    def loads(self) -> tuple[int, int, int]:
        d = self.cleaned_data
        return (_grams(d.get("dry_kg")), _grams(d.get("chilled_kg")), _grams(d.get("frozen_kg")))


class CancelForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why (shown to the public)"),
        max_length=200,
        help_text=_("For example: « Tempête de neige » or « Camion au garage »."),
    )


def _kg(grams: int) -> Decimal | None:
    return Decimal(grams) / 1000 if grams else None


class VehicleForm(forms.Form):
    """A vehicle: capacities typed in kg (stored in grams), cost per km in dollars."""

    name = forms.CharField(label=_("Name"), max_length=120)
    dry_kg = KgField(label=_("Dry capacity (kg)"))
    chilled_kg = KgField(label=_("Refrigerated capacity (kg)"))
    frozen_kg = KgField(label=_("Frozen capacity (kg)"))
    cost_per_km = forms.DecimalField(
        label=_("Cost per km ($)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Fuel, upkeep and insurance, for example 0,85."),
    )
    available_weekdays = forms.MultipleChoiceField(
        label=_("Days available"),
        choices=[(str(n), label) for n, label in WEEKDAY_CHOICES],
        widget=forms.CheckboxSelectMultiple,
    )
    cold_max_minutes = forms.IntegerField(
        label=_("Longest time on board for cold food (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_("Leave empty for no limit."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    @classmethod
    def initial_for(cls, vehicle: Vehicle) -> dict[str, Any]:
        return {
            "name": vehicle.name,
            "dry_kg": _kg(vehicle.dry_capacity_g),
            "chilled_kg": _kg(vehicle.chilled_capacity_g),
            "frozen_kg": _kg(vehicle.frozen_capacity_g),
            "cost_per_km": Decimal(vehicle.cost_per_km_cents) / 100,
            "available_weekdays": list(vehicle.available_weekdays),
            "cold_max_minutes": vehicle.cold_max_minutes,
            "is_active": vehicle.is_active,
        }

    def values(self) -> dict[str, Any]:
        """The model's fields, for `vehicle_update` (and `vehicle_create`)."""
        d = self.cleaned_data
        return {
            "name": d["name"],
            "dry_capacity_g": _grams(d.get("dry_kg")),
            "chilled_capacity_g": _grams(d.get("chilled_kg")),
            "frozen_capacity_g": _grams(d.get("frozen_kg")),
            "cost_per_km_cents": int((d.get("cost_per_km") or Decimal(0)) * 100),
            "available_weekdays": "".join(d["available_weekdays"]),
            "cold_max_minutes": d.get("cold_max_minutes"),
            "is_active": d["is_active"],
        }


class MobileStopForm(forms.Form):
    """A regular stop of the mobile counter."""

    site = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Site.objects.none(),
        empty_label=_("— Choose —"),
        help_text=_("Places of the kind « Mobile counter stop » of your organisation."),
    )
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAY_CHOICES, coerce=int)
    every_weeks = forms.TypedChoiceField(
        label=_("How often"),
        choices=[(1, _("Every week")), (2, _("Every two weeks"))],
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )
    starts_at = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    first_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Every two weeks counts from this day."),
    )
    dry_kg = KgField(label=_("Dry food brought (kg)"))
    chilled_kg = KgField(label=_("Refrigerated food brought (kg)"))
    frozen_kg = KgField(label=_("Frozen food brought (kg)"))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = mobile_site_list(org=org)  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, stop: MobileCounterStop) -> dict[str, Any]:
        return {
            "site": stop.site_id,
            "weekday": stop.weekday,
            "every_weeks": stop.every_weeks,
            "starts_at": stop.starts_at,
            "ends_at": stop.ends_at,
            "first_date": stop.first_date,
            "dry_kg": _kg(stop.dry_g),
            "chilled_kg": _kg(stop.chilled_g),
            "frozen_kg": _kg(stop.frozen_g),
            "is_active": stop.is_active,
        }

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "site": d["site"],
            "weekday": d["weekday"],
            "every_weeks": d["every_weeks"],
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
            "first_date": d["first_date"],
            "dry_g": _grams(d.get("dry_kg")),
            "chilled_g": _grams(d.get("chilled_kg")),
            "frozen_g": _grams(d.get("frozen_kg")),
            "is_active": d["is_active"],
        }
