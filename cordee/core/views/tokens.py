"""Personal API tokens on the account page: create (the secret is shown once) and revoke."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..forms_api import ApiTokenForm
from ..models import User
from ..permissions import is_admin_anywhere
from ..selectors.tokens import api_token_get, api_token_list
from ..services.tokens import api_token_create, api_token_revoke


def _needs_second_factor(request: HttpRequest) -> bool:
    """An administrator who must use two-step sign-in may not mint a token before using it.

    /compte/ stays open to unverified administrators (to set the code up), so without this
    check a token would let them reach the API around the second factor.
    """
    user = request.user
    return (
        settings.CORDEE_REQUIRE_2FA_FOR_ADMINS
        and not user.is_verified()  # type: ignore[union-attr]
        and is_admin_anywhere(user)  # type: ignore[arg-type]
    )


@login_required
@never_cache
def token_create_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("core:account")
    user: User = request.user  # type: ignore[assignment]
    if _needs_second_factor(request):
        messages.error(request, _("Set up two-step sign-in before you create an API token."))
        return redirect("core:two_factor")
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = api_token_create(
                user=user, name=form.cleaned_data["name"], request=request
            )
        except ValidationError as exc:
            form.add_error("name" if hasattr(exc, "error_dict") else None, exc)
        else:
            return render(
                request, "core/account/token_created.html", {"token": token, "secret": secret}
            )
    return render(
        request,
        "core/account/token_created.html",
        {"tokens": api_token_list(user=user), "token_form": form},
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = api_token_get(user=user, pk=pk)
    api_token_revoke(actor=user, token=token, request=request)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("core:account")
