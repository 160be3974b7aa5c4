"""Forms of the counter: the quick registration (≤ 6 fields), the check-in, consents."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cordee.core.forms import KgField
from cordee.core.models import Municipality

from .models import (
    HEALTH_NOTES_MAX,
    RESTRICTED_FIELDS,
    ConsentMethod,
    ConsentPurpose,
    HouseholdType,
    HousingType,
    IncomeSource,
    VisitType,
)
from .services.households import MAX_PEOPLE

CHOOSE = _("— Choose —")


class HouseholdQuickForm(forms.Form):
    """Five fields; the card number is given automatically (the sixth)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Optional."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=CHOOSE,
    )
    people_count = forms.IntegerField(
        label=_("Number of people in the household"),
        min_value=1,
        max_value=MAX_PEOPLE,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.fields["people_count"].error_messages.update(
            {
                "min_value": _("Write a number of people between 1 and %(n)d.") % {"n": MAX_PEOPLE},
                "max_value": _("Write a number of people between 1 and %(n)d.") % {"n": MAX_PEOPLE},
                "invalid": _("Write a number, for example 3."),
            }
        )


class CheckInForm(forms.Form):
    visit_type = forms.ChoiceField(
        label=_("Kind of visit"), choices=VisitType.choices, initial=VisitType.BASKET
    )
    people_served = forms.IntegerField(
        label=_("People served"), min_value=1, max_value=30, required=False
    )
    weight_kg = KgField(label=_("Weight (kg)"), help_text=_("Optional."))
    override_reason = forms.CharField(
        label=_("Reason for the exception"), max_length=300, required=False
    )

    def weight_g(self) -> int | None:
        kg = self.cleaned_data.get("weight_kg")
        return None if kg is None else int(Decimal(kg) * 1000)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Consent for"), choices=[("", CHOOSE), *ConsentPurpose.choices]
    )
    method = forms.ChoiceField(
        label=_("How it was given"), choices=[("", CHOOSE), *ConsentMethod.choices]
    )
    notice_version = forms.CharField(
        label=_("Version of the notice read"), max_length=40, required=False
    )
    expires_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        help_text=_("Optional."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class HouseholdEditForm(HouseholdQuickForm):
    """Correcting a household. The restricted fields are removed for the other roles."""

    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional."),
        error_messages={"invalid": _("Write an e-mail like nom@exemple.ca.")},
    )
    birth_years = forms.CharField(
        label=_("Birth years of the members"),
        required=False,
        help_text=_("Separated by commas, for example: 1950, 1988, 2015."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    household_type = forms.ChoiceField(
        label=_("Household type"), choices=[("", CHOOSE), *HouseholdType.choices], required=False
    )
    income_source = forms.ChoiceField(
        label=_("Main income source"), choices=[("", CHOOSE), *IncomeSource.choices], required=False
    )
    housing_type = forms.ChoiceField(
        label=_("Housing type"), choices=[("", CHOOSE), *HousingType.choices], required=False
    )

    health_notes = forms.CharField(
        label=_("Health or dietary needs"),
        required=False,
        max_length=HEALTH_NOTES_MAX,
        help_text=_("Allergies, diet. Only what helps to prepare the basket."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    field_order = ["first_name", "last_name", "phone", "email", "municipality", "people_count"]

    def __init__(self, *args: object, sensitive: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not sensitive:
            for name in RESTRICTED_FIELDS:
                del self.fields[name]

    def clean_birth_years(self) -> tuple[int, ...]:
        text = self.cleaned_data["birth_years"].replace(";", ",").replace(" ", ",")
        try:
            return tuple(int(part) for part in text.split(",") if part.strip())
        except ValueError:
            raise forms.ValidationError(
                _("Write birth years as numbers, for example: 1950, 1988.")
            ) from None
