"""Request plumbing: the user's language, the current organisation, required two-factor."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from .permissions import is_admin_anywhere
from .selectors.organisations import organisation_list_for_user

SESSION_ORG_KEY = "cordee_current_org"
Handler = Callable[[HttpRequest], HttpResponse]


class CurrentOrganisationMiddleware:
    """Sets request.organisation: the organisation the user is working for right now.

    The choice lives in the session and is checked against the user's memberships on every
    request, so a stale or forged id can never reach another organisation.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None  # type: ignore[attr-defined]
        request.organisations = []  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            orgs = list(organisation_list_for_user(user=user))  # type: ignore[arg-type]
            chosen = request.session.get(SESSION_ORG_KEY)
            current = next((o for o in orgs if o.pk == chosen), orgs[0] if orgs else None)
            request.organisations = orgs  # type: ignore[attr-defined]
            request.organisation = current  # type: ignore[attr-defined]
            if user.preferred_language and not request.COOKIES.get(
                settings.LANGUAGE_COOKIE_NAME
            ):
                translation.activate(user.preferred_language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """With CORDEE_REQUIRE_2FA_FOR_ADMINS, administrators must set up and use a TOTP code."""

    ALLOWED_PREFIXES = ("/compte/", "/connexion/", "/deconnexion/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.CORDEE_REQUIRE_2FA_FOR_ADMINS
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and is_admin_anywhere(user)  # type: ignore[arg-type]
        ):
            return redirect(reverse("core:two_factor"))
        return self.get_response(request)
