"""Forms of the account page: language, password, two-step sign-in codes."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

# Each language is offered in its own words, so a person can find theirs.
LANGUAGE_NAMES = {"fr-ca": "Français", "en": "English"}


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of Cordée"),
        widget=forms.RadioSelect,
        choices=[(code, LANGUAGE_NAMES.get(code, str(name))) for code, name in settings.LANGUAGES],
    )


class AccountPasswordChangeForm(PasswordChangeForm):
    """Django's form, with a short, plain help text instead of a list of rules."""

    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Your current password")
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 10 characters. A short sentence is easy to remember."
        )
        self.fields["new_password2"].label = _("Type the new password again")


class CodeField(forms.CharField):
    """The 6 digits shown by the authenticator app; spaces and dashes are ignored."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("6-digit code"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "pattern": "[0-9 ]*",
                    "class": "code",
                    "size": "8",
                    "autofocus": True,
                }
            ),
        )
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, value: object) -> str:
        text = super().clean(value)
        digits = "".join(ch for ch in text if ch not in " -\u00a0")
        if len(digits) != 6 or not digits.isdigit():
            raise forms.ValidationError(
                _("Type the 6 digits shown in the app, for example 123456."), code="format"
            )
        return digits


class CodeForm(forms.Form):
    token = CodeField(
        help_text=_("Open the app on your phone: it shows a new code every 30 seconds.")
    )

    def __init__(self, *args: object, autofocus: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not autofocus:  # e.g. below the set-up steps, which must be read first
            self.fields["token"].widget.attrs.pop("autofocus", None)


class TwoFactorRemoveForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To protect your account, type your password to confirm."),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):  # type: ignore[attr-defined]
            raise forms.ValidationError(
                _("This is not your password. Type it again."), code="password_incorrect"
            )
        return password
