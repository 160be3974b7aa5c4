"""Reads of a person's own account: the authenticator-app devices for two-step sign-in."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import User


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The device that two-step sign-in uses now, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def totp_device_pending(*, user: User) -> TOTPDevice | None:
    """A device being set up: shown as a QR code, waiting for its first code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def user_get_active(*, pk: int | str) -> User | None:
    """An active account by id (the sign-in code step), else None."""
    try:
        return User.objects.filter(pk=int(pk), is_active=True).first()
    except (TypeError, ValueError):
        return None
