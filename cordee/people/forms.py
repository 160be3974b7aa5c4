"""Forms of people: a volunteer's profile, a certification, a shift template, generating
shifts, assigning someone to a shift."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, Site

from .models import Certification, Volunteer, Weekday
from .selectors import volunteer_list

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VolunteerForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    channel = forms.ChoiceField(
        label=_("How to reach them"),
        choices=Volunteer.Channel.choices,
        widget=forms.RadioSelect,
        initial=Volunteer.Channel.PHONE,
        help_text=_("« Phone call » puts the person on your call list before each shift."),
    )
    languages = forms.CharField(
        label=_("Languages"), max_length=100, required=False, initial="français"
    )
    available_weekdays = forms.TypedMultipleChoiceField(
        label=_("Usually free on"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability_notes = forms.CharField(
        label=_("Availability notes"), max_length=200, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("channel")
        if channel == Volunteer.Channel.EMAIL and not data.get("email"):
            self.add_error("email", _("Write the e-mail address, since they want e-mails."))
        if channel in (Volunteer.Channel.SMS, Volunteer.Channel.PHONE) and not data.get("phone"):
            self.add_error("phone", _("Write the phone number, since they want to be called."))
        return data


class CertificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Certification"), choices=Certification.Kind.choices)
    licence_class = forms.CharField(
        label=_("Licence class (driver's licence only)"), max_length=10, required=False
    )
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)


class ShiftTemplateForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=120, help_text=_("For example: counter opening")
    )
    site = forms.ModelChoiceField(label=_("Place"), queryset=Site.objects.none())
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME)
    needed = forms.IntegerField(label=_("People needed"), min_value=1, max_value=50, initial=2)
    required_certifications = forms.MultipleChoiceField(
        label=_("Required certifications"),
        choices=Certification.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = org.sites.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must come after the start."))
        return data


class GenerateForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        elif start and end and end - start > timedelta(days=180):
            self.add_error("end", _("Six months at most at a time."))
        return data

    @classmethod
    def initial_range(cls) -> dict[str, Any]:
        today = timezone.localdate()
        return {"start": today, "end": today + timedelta(weeks=4)}


class AssignForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteer_list(org=org)  # type: ignore[attr-defined]
