"""Bearer authentication with personal API tokens (`Authorization: Bearer cordee_…`)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from cordee.core.models import User
from cordee.core.services.tokens import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """Finds the token by the hash of the secret; revoked tokens and closed accounts fail."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(raw_token=token.strip())
        if user is not None:
            # So code that reads request.user (audit, permissions) sees the token's owner.
            request.user = user
        return user


def api_user(request: HttpRequest) -> User:
    """The authenticated caller of an API operation."""
    auth: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(auth, User)
    return auth
