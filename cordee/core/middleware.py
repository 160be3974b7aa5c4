"""Request plumbing: the user's language, the current organisation, required two-factor."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django_otp import user_has_device

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
            if user.preferred_language and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
                translation.activate(user.preferred_language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """With CORDEE_REQUIRE_2FA_FOR_ADMINS, administrators must set up and use a TOTP code.

    An org or network administrator (or a site administrator) whose session is not verified
    by a code is sent to the set-up page, or to the code page when a device already exists
    (set up in another browser). Sign-in, sign-out, password reset, language, the account
    page itself and the API (token auth, no session) stay reachable.
    """

    ALLOWED_PATHS = frozenset({"/compte/"})
    ALLOWED_PREFIXES = (
        "/compte/double-authentification/",
        "/compte/langue/",
        "/compte/mot-de-passe/",
        "/connexion/",
        "/deconnexion/",
        "/mot-de-passe/",
        "/i18n/",
        "/api/",
    )

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.CORDEE_REQUIRE_2FA_FOR_ADMINS and self._must_verify(request):
            user = request.user
            target = "core:login_code" if user_has_device(user) else "core:two_factor"
            url = reverse(target)
            if request.method == "GET":
                url = f"{url}?{urlencode({'next': request.get_full_path()})}"
            return redirect(url)
        return self.get_response(request)

    def _must_verify(self, request: HttpRequest) -> bool:
        user = request.user
        path = request.path
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return False
        if path in self.ALLOWED_PATHS or path.startswith(self.ALLOWED_PREFIXES):
            return False
        if path.startswith(settings.STATIC_URL or "/static/"):
            return False
        return bool(user.is_staff or is_admin_anywhere(user))
