"""Forms of the duplicate check: the network dial, the registration's consent box, merges."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import HouseholdQuickForm
from .models_matching import MatchingDial

DIAL_HELP = {
    MatchingDial.WALLS_UP: _(
        "Each organisation sees only its own households. Nobody is told that a household is "
        "also registered elsewhere."
    ),
    MatchingDial.MATCH_ONLY: _(
        "When the person agrees, the app says « this household may already be registered at "
        "another member organisation », without saying which one or who. No name is sent: "
        "only scrambled codes are compared."
    ),
    MatchingDial.SHARED: _(
        "When the person agrees, the app also gives the name and the public contact of the "
        "other organisation, so that the two can talk. The other household's information is "
        "never shown."
    ),
}


class NetworkDialForm(forms.Form):
    dial = forms.ChoiceField(
        label=_("Duplicate check between member organisations"),
        choices=MatchingDial.choices,
        widget=forms.RadioSelect,
    )


class HouseholdRegisterForm(HouseholdQuickForm):
    """The quick registration, plus the person's answer about the network duplicate check."""

    duplicate_check = forms.BooleanField(
        label=_("The person agrees to the network duplicate check (oral consent)"),
        required=False,
        help_text=_("Only scrambled codes are compared with the other member organisations."),
    )


class MergeForm(forms.Form):
    keep = forms.IntegerField(widget=forms.HiddenInput)
    remove = forms.IntegerField(widget=forms.HiddenInput)
