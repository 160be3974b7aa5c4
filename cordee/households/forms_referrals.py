"""Forms of referrals and intervention notes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation

from .models_referrals import NoteExport, ReferralService, ReferralSharing
from .services.notes import EXPORT_REASON_MAX, TEXT_MAX
from .services.referrals import NOTE_MAX, REASON_MAX, RESPONSE_MAX

CHOOSE = _("— Choose —")


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.none(), empty_label=CHOOSE
    )
    service = forms.ChoiceField(
        label=_("Kind of service"), choices=[("", CHOOSE), *ReferralService.choices]
    )
    reason = forms.CharField(
        label=_("Why, in plain words"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared = forms.ChoiceField(
        label=_("What the person agreed to share"),
        choices=ReferralSharing.choices,
        initial=ReferralSharing.CONTACT,
        widget=forms.RadioSelect,
        help_text=_("The other organisation will see only this. Never the visits nor the notes."),
    )
    note = forms.CharField(
        label=_("Note for the other organisation"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if the person agreed to share a note."),
    )

    def __init__(self, *args: object, targets: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["to_organisation"]
        field.queryset = targets  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = _("Choose another organisation of your network.")
        field.error_messages["required"] = _("Choose the organisation.")
        self.fields["service"].error_messages["required"] = _("Choose the kind of service.")
        self.fields["reason"].error_messages["required"] = _(
            "Say in a few words why you refer this household."
        )


class ReferralAnswerForm(forms.Form):
    response = forms.CharField(
        label=_("Your answer (optional)"),
        max_length=RESPONSE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        help_text=_("Optional."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class NoteExportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you export these notes?"),
        max_length=EXPORT_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required. The export and its reason are logged."),
    )
    format = forms.ChoiceField(
        label=_("Kind of file"),
        choices=NoteExport.Format.choices,
        initial=NoteExport.Format.TEXT,
        widget=forms.RadioSelect,
    )
