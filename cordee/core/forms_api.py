"""Forms for the API side of the account page: personal API tokens."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("To remember what uses it, for example “Monthly report”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Distinct ids: this form shares the account page with other forms.
        kwargs.setdefault("auto_id", "id_token_%s")
        super().__init__(*args, **kwargs)
