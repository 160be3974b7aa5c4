"""Writes to a person's own account: language, password, two-step sign-in (TOTP).

Every write records an audit event with field *names* only: never a password, a secret key
or a code.
"""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import User
from .audit import audit_record

TOTP_DEVICE_NAME = "Téléphone"


def user_set_language(*, user: User, language: str, request: HttpRequest | None = None) -> None:
    """Save the language the person wants Cordée in (fr-ca or en)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not available."), code="invalid_language")
    if user.preferred_language == language:
        return
    with transaction.atomic():
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit_record(
            actor=user,
            action="account.language",
            obj=user,
            changed_fields=["preferred_language"],
            request=request,
        )


def user_change_password(
    *, user: User, old_password: str, new_password: str, request: HttpRequest | None = None
) -> None:
    """Replace the password after checking the current one and the password rules."""
    if not user.check_password(old_password):
        raise ValidationError(
            {"old_password": _("This is not your current password. Type it again.")}
        )
    password_validation.validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(
            actor=user,
            action="account.password",
            obj=user,
            changed_fields=["password"],
            request=request,
        )


def totp_device_start(*, user: User) -> TOTPDevice:
    """A new secret for an authenticator app, not yet confirmed.

    A previous unconfirmed one is replaced; a confirmed device stays until the new one is
    confirmed (see totp_device_confirm). No audit: nothing changes for the sign-in yet.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_device_confirm(
    *, user: User, device: TOTPDevice, token: str, request: HttpRequest | None = None
) -> TOTPDevice:
    """Check the 6-digit code shown by the app; when right, two-step sign-in is on.

    Raises ValidationError (on the "token" field) when the code is wrong.
    """
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Start the set-up again."), code="invalid_device")
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        verified = locked.verify_token(_digits(token))
    if not verified:
        # Outside the transaction, so the device's count of wrong codes is kept.
        raise ValidationError(
            {"token": _("This code is not right. Type the 6 digits the app shows now.")}
        )
    with transaction.atomic():
        # One phone at a time: the new device replaces any earlier one.
        TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        audit_record(
            actor=user,
            action="two_factor.enable",
            obj=user,
            changed_fields=["two_factor"],
            request=request,
        )
    return locked


def totp_device_remove(*, user: User, request: HttpRequest | None = None) -> None:
    """Turn two-step sign-in off: every device of the person is deleted."""
    with transaction.atomic():
        deleted, _counts = TOTPDevice.objects.filter(user=user).delete()
        if deleted:
            audit_record(
                actor=user,
                action="two_factor.disable",
                obj=user,
                changed_fields=["two_factor"],
                request=request,
            )


def totp_sign_in_check(
    *, user: User, token: str, request: HttpRequest | None = None
) -> tuple[TOTPDevice | None, bool]:
    """Check a sign-in code against the person's confirmed devices.

    Returns (device, throttled): the device that accepted the code (None when wrong), and
    whether the devices refused to check because of recent wrong codes (wait a moment).
    A success is recorded as "two_factor.login"; the caller then opens the session.
    """
    code = _digits(token)
    throttled = False
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(code):
                audit_record(
                    actor=user,
                    action="two_factor.login",
                    obj=user,
                    changed_fields=[],
                    request=request,
                )
                return device, False
    return None, throttled


def _digits(token: str) -> str:
    """People type "123 456" or "123-456": keep the digits only."""
    return "".join(ch for ch in str(token) if ch.isdigit())
