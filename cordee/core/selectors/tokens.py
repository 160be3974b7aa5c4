"""Reads of personal API tokens. A token belongs to a person, not to an organisation."""

from django.db.models import QuerySet
from django.http import Http404

from ..hashing import hash_token
from ..models import ApiToken, User

TOKEN_PREFIX = "cordee_"


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by(
        "-created_at", "-pk"
    )


def api_token_get(*, user: User, pk: int) -> ApiToken:
    """One of the user's working tokens, or 404 — never someone else's."""
    token = api_token_list(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def api_token_find(*, raw_token: str) -> ApiToken | None:
    """The working token matching this secret, for an active user; else None.

    The secret itself is never stored: it is found through its SHA-256 hash.
    """
    if not raw_token.startswith(TOKEN_PREFIX):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=hash_token(raw_token),
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )
