"""Forms of the Law 25 tools."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, User

from .models import Household
from .models_privacy import (
    PiaAnswer,
    PrivacyIncident,
    PrivacyProfile,
    PrivacyRequest,
    RetentionCategory,
)
from .services.privacy import PIA_QUESTIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PrivacyProfileForm(forms.ModelForm):
    class Meta:
        model = PrivacyProfile
        fields = [
            "officer_name",
            "officer_title",
            "officer_email",
            "officer_phone",
            "officer_user",
            "policy_text",
            "policy_version",
            "policy_published_on",
        ]
        widgets = {"policy_published_on": DATE, "policy_text": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "officer_user": _("Optional. This person may then use the privacy tools."),
            "policy_published_on": _("Leave empty until the policy may be shown to the public."),
        }

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["officer_user"]
        field.queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=organisation
        ).distinct()


class RetentionRuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=RetentionCategory.choices)
    months = forms.IntegerField(label=_("After how many months"), min_value=1, max_value=600)
    active = forms.BooleanField(label=_("Apply it every day"), required=False, initial=True)


class PrivacyRequestForm(forms.ModelForm):
    class Meta:
        model = PrivacyRequest
        fields = ["household", "kind", "received_on", "details"]
        widgets = {"received_on": DATE, "details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["household"]
        field.required = True
        field.queryset = Household.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, anonymisation__isnull=True
        )


class PrivacyRequestCompleteForm(forms.Form):
    answer = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    completed_on = forms.DateField(label=_("Answered on"), required=False, widget=DATE)


class PrivacyIncidentForm(forms.ModelForm):
    class Meta:
        model = PrivacyIncident
        fields = [
            "occurred_on",
            "discovered_on",
            "description",
            "information_concerned",
            "people_count",
            "risk_level",
            "risk_assessment",
            "cai_notified_on",
            "persons_notified_on",
            "measures_taken",
        ]
        widgets = {
            name: DATE
            for name in ("occurred_on", "discovered_on", "cai_notified_on", "persons_notified_on")
        } | {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "description",
                "information_concerned",
                "risk_assessment",
                "measures_taken",
            )
        }


class PrivacyIncidentFollowUpForm(forms.ModelForm):
    """What is known later: notices sent and measures taken."""

    class Meta:
        model = PrivacyIncident
        fields = ["cai_notified_on", "persons_notified_on", "measures_taken"]
        widgets = {"cai_notified_on": DATE, "persons_notified_on": DATE} | {
            "measures_taken": forms.Textarea(attrs={"rows": 3})
        }


class PiaForm(forms.Form):
    """The project, then one answer and one note per fixed question."""

    project = forms.CharField(label=_("Project or system assessed"), max_length=200)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key, question in PIA_QUESTIONS:
            self.fields[f"q_{key}"] = forms.ChoiceField(
                label=question, choices=PiaAnswer.choices, widget=forms.RadioSelect
            )
            self.fields[f"n_{key}"] = forms.CharField(
                label=_("Notes"), required=False, max_length=1000
            )

    def question_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"q_{key}"], self[f"n_{key}"]) for key, _question in PIA_QUESTIONS]

    def answers(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            key: {"answer": data[f"q_{key}"], "notes": data.get(f"n_{key}", "")}
            for key, _question in PIA_QUESTIONS
        }
