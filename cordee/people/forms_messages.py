"""The « message everyone on this shift » form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models_messages import MESSAGE_MAX_LENGTH


class ShiftMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Short and clear: it may go by text message."),
        error_messages={"required": _("Write the message.")},
    )
    include_waiting = forms.BooleanField(label=_("Also the waiting list"), required=False)
