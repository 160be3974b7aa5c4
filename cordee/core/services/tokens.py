"""Writes to personal API tokens: create (the secret is returned once), revoke, mark used."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ..hashing import hash_token
from ..models import ApiToken, User
from ..selectors.tokens import TOKEN_PREFIX, api_token_find
from .audit import audit_record

NAME_MAX_LENGTH = 100
DISPLAY_PREFIX_LENGTH = 12
# last_used_at is refreshed at most this often, so that reads do not each cause a write.
LAST_USED_PRECISION = timedelta(minutes=1)


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")}, code="required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("The name is too long (100 characters at most).")}, code="max_length"
        )
    return name


def api_token_create(
    *, user: User, name: str, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Create a token for the user. The raw secret is returned here and never again."""
    name = _clean_name(name)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:DISPLAY_PREFIX_LENGTH],
            token_hash=hash_token(raw),
        )
        audit_record(
            actor=user,
            action="api_token.create",
            obj=token,
            changed_fields=["name"],
            request=request,
        )
    return token, raw


def api_token_revoke(*, actor: User, token: ApiToken, request: HttpRequest | None = None) -> None:
    """Revoke one of the actor's own tokens; someone else's token does not exist for them."""
    if token.user_id != actor.pk:
        raise Http404
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().filter(pk=token.pk, user=actor).first()
        if locked is None:
            raise Http404
        if locked.revoked_at is not None:
            token.revoked_at = locked.revoked_at
            return
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        token.revoked_at = locked.revoked_at
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=locked,
            changed_fields=["revoked_at"],
            request=request,
        )


def api_token_authenticate(*, raw_token: str) -> User | None:
    """The user a bearer secret stands for, or None (unknown, revoked, closed account).

    Marks the token as used, at most once a minute (a conditional UPDATE, no audit event).
    """
    token = api_token_find(raw_token=raw_token)
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(last_used_at=now)
        token.last_used_at = now
    return token.user
