"""The person's own account: details and language, password, two-step sign-in, API tokens.

Everything here is about request.user only; no organisation data is shown.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms_account import AccountPasswordChangeForm, LanguageForm
from ..forms_api import ApiTokenForm
from ..models import User
from ..selectors.accounts import totp_device_confirmed
from ..selectors.tokens import api_token_list
from ..services.accounts import user_change_password, user_set_language
from .auth import remember_language


def _account_context(request: HttpRequest, **overrides: Any) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {
        "language_form": LanguageForm(initial={"language": translation.get_language()}),
        "two_factor_device": totp_device_confirmed(user=user),
        "memberships": user.memberships.select_related("organisation").order_by(
            "organisation__name", "role"
        ),
        "tokens": api_token_list(user=user),
        "token_form": ApiTokenForm(),
    }
    context.update(overrides)
    return context


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "core/account/account.html", _account_context(request))


@login_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "core/account/account.html",
            _account_context(request, language_form=form),
            status=400,
        )
    chosen = form.cleaned_data["language"]
    user_set_language(user=request.user, language=chosen, request=request)  # type: ignore[arg-type]
    translation.activate(chosen)  # so the message below is in the new language
    messages.success(request, _("The language is saved."))
    return remember_language(redirect("core:account"), chosen)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AccountPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_password(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The password is part of the session hash: keep this session signed in.
            update_session_auth_hash(request, user)
            messages.success(request, _("Your new password is saved."))
            return redirect("core:account")
    return render(request, "core/account/password_change.html", {"form": form})
