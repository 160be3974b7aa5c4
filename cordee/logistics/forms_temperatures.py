"""Forms of the fridge and freezer temperature log. Temperatures reuse TemperatureField:
« 3,5 », « -18 », « −18 °C » (typographic minus) are all understood."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, Site
from cordee.core.selectors.organisations import site_list

from .forms import CHOOSE, COLD_RULE, TemperatureField
from .models import ColdUnit, StorageClass
from .services.temperatures import is_out_of_range


class TemperatureReadingForm(forms.Form):
    """One reading of one unit; each unit's form has its own prefix on the list page."""

    temperature_c = TemperatureField(label=_("Temperature (°C)"), help_text=COLD_RULE)
    action_taken = forms.CharField(
        label=_("Too warm: what did you do?"),
        help_text=_(
            "Required when the temperature is too high: food moved, door closed, repair called..."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, unit: ColdUnit, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"u{unit.pk}")
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["temperature_c"].label = _("Temperature of %(unit)s (°C)") % {"unit": unit.name}

    def clean(self) -> dict:
        data = super().clean() or {}
        value = data.get("temperature_c")
        missing_action = not (data.get("action_taken") or "").strip()
        if value is not None and is_out_of_range(self.unit, value) and missing_action:
            self.add_error(
                "action_taken",
                _("Too warm: %(max)s °C or less is expected. Say what you did.")
                % {"max": str(self.unit.max_temperature_c).replace("-", "−")},
            )
        return data

    @property
    def out_of_range(self) -> bool:
        value = getattr(self, "cleaned_data", {}).get("temperature_c")
        return value is not None and is_out_of_range(self.unit, value)


class ColdUnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("e.g. Big fridge"))
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), empty_label=CHOOSE)
    storage_class = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (StorageClass.CHILLED.value, _("Fridge or cold room (4 °C or less)")),
            (StorageClass.FROZEN.value, _("Freezer (−18 °C or less)")),
        ],
        widget=forms.RadioSelect,
        initial=StorageClass.CHILLED.value,
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        sites = site_list(org=org, active_only=True)
        site = self.fields["site"]
        site.queryset = sites  # type: ignore[attr-defined]
        if len(sites) == 1:
            site.initial = sites[0].pk
