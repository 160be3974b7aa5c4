"""Forms for volunteer hours: a self-report, a report by staff for someone."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, Site

from .forms import DATE
from .models import Volunteer
from .selectors import volunteer_list


class HoursReportForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=16, initial=0)
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=0, max_value=59, initial=0, required=False
    )
    site = forms.ModelChoiceField(label=_("Place"), queryset=Site.objects.none(), required=False)
    note = forms.CharField(label=_("What did you do? (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = organisation.sites.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["day"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        total = (data.get("hours") or 0) * 60 + (data.get("minutes") or 0)
        if "hours" in data and total <= 0:
            raise forms.ValidationError(_("Enter how long you helped."))
        if data.get("day") and data["day"] > timezone.localdate():
            self.add_error("day", _("This date is in the future."))
        data["total_minutes"] = total
        return data

    def started_at(self) -> datetime:
        # A report has no clock time: noon keeps it on the right day in every time zone,
        # and a report for today before noon takes the current time (never the future).
        noon = timezone.make_aware(datetime.combine(self.cleaned_data["day"], time(12)))
        return min(noon, timezone.now())


class StaffHoursForm(HoursReportForm):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())
    field_order = ["volunteer", "day", "hours", "minutes", "site", "note"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["volunteer"].queryset = volunteer_list(org=organisation)  # type: ignore[attr-defined]
