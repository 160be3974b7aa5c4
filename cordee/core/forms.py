"""Forms of the core app. Labels and errors are plain French (through translations)."""

from datetime import time
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Municipality, OpeningHours, Organisation, Role, Site


class CordeeFormRenderer(TemplatesSetting):
    """Every field renders label → help → error → input, with aria links between them."""

    field_template_name = "core/includes/field.html"


def sign_in_username(request: HttpRequest, credentials: dict | None) -> str:
    """The e-mail that django-axes counts failures for: the same one, whatever its case."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        # No autofocus: on a tablet it opens the keyboard over the page and skips the skip link.
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "This e-mail address and password do not match. Check them and try again."
        ),
        "inactive": _("This account is closed. Ask your organisation's administrator."),
    }

    def clean_username(self) -> str:
        # Tablets capitalise the first letter; e-mails are stored in lower case.
        return self.cleaned_data["username"].strip().lower()


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_name",
            "kind",
            "enterprise_number",
            "charity_number",
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "address",
            "municipality",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["municipality"].empty_label = _("— Choose —")  # type: ignore[attr-defined]


KG = Decimal(1000)


class KgField(forms.DecimalField):
    """A weight typed in kg; localised so that « 1250,5 » (decimal comma) is accepted."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            min_value=0,
            max_digits=9,
            decimal_places=1,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **kwargs,  # type: ignore[arg-type]
        )

    def to_python(self, value: object) -> Any:
        # « 1 200,5 »: people group thousands with a space (often a no-break one); Django
        # only strips the grouping separator when it also prints one, which we don't.
        if isinstance(value, str):
            value = "".join(value.split())
        return super().to_python(value)


class SiteForm(forms.ModelForm):
    """A site; capacities are typed in kg and stored in grams."""

    fridge_capacity_kg = KgField(label=_("Refrigerated capacity (kg)"))
    freezer_capacity_kg = KgField(label=_("Frozen capacity (kg)"))
    dry_capacity_kg = KgField(label=_("Dry capacity (kg)"))

    class Meta:
        model = Site
        fields = [
            "name",
            "kind",
            "address",
            "postal_code",
            "municipality",
            "phone",
            "latitude",
            "longitude",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "latitude": _("Optional. Without it, the map uses the municipality's centre."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        municipality = self.fields["municipality"]
        municipality.queryset = Municipality.objects.all()  # type: ignore[attr-defined]
        municipality.empty_label = _("— Choose —")  # type: ignore[attr-defined]
        for name in ("fridge", "freezer", "dry"):
            grams = getattr(self.instance, f"{name}_capacity_g", 0) or 0
            self.fields[f"{name}_capacity_kg"].initial = Decimal(grams) / KG
        self.fields["latitude"].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        self.fields["longitude"].widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def clean_latitude(self) -> float | None:
        value = self.cleaned_data.get("latitude")
        if value is not None and not -90 <= value <= 90:
            raise forms.ValidationError(_("A latitude is between -90 and 90."))
        return value

    def clean_longitude(self) -> float | None:
        value = self.cleaned_data.get("longitude")
        if value is not None and not -180 <= value <= 180:
            raise forms.ValidationError(_("A longitude is between -180 and 180."))
        return value

    def site_data(self) -> dict:
        """Cleaned values ready for the site services (capacities in grams)."""
        data = {f: self.cleaned_data[f] for f in self._meta.fields}  # type: ignore[union-attr]
        for name in ("fridge", "freezer", "dry"):
            kg = self.cleaned_data.get(f"{name}_capacity_kg") or Decimal(0)
            data[f"{name}_capacity_g"] = int(kg * KG)
        return data


class OpeningPeriodForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", "—"), *OpeningHours.Weekday.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    opens_at = forms.TimeField(
        label=_("Opens at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    closes_at = forms.TimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        day, opens, closes = data.get("weekday"), data.get("opens_at"), data.get("closes_at")
        filled = [v is not None for v in (day, opens, closes)]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Give the day, the opening time and the closing time."))
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing time must be after the opening time."))
        return data

    def period(self) -> tuple[int, time, time] | None:
        d = self.cleaned_data
        if d.get("weekday") is None:
            return None
        return (d["weekday"], d["opens_at"], d["closes_at"])


OpeningHoursFormSet = forms.formset_factory(OpeningPeriodForm, extra=3, max_num=21)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VOLUNTEER)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Uncheck every role to remove this person from the organisation."),
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A short sentence is easy to remember."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Person (name or e-mail)"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
