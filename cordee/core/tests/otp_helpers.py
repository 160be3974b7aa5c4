"""Helpers for tests of two-step sign-in: a controllable clock and codes computed from it."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cordee.core.services.accounts import totp_device_confirm, totp_device_start


class OtpClock:
    """Stands in for the `time` module inside django-otp's TOTP device model."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float = 30) -> None:
        self.now += seconds


def install_otp_clock(monkeypatch: pytest.MonkeyPatch) -> OtpClock:
    """Make django-otp read the time from a clock the test moves by hand."""
    clock = OtpClock()
    monkeypatch.setattr("django_otp.plugins.otp_totp.models.time", clock)
    return clock


def code_for(device: TOTPDevice, clock: OtpClock, offset_steps: int = 0) -> str:
    """The 6-digit code the phone would show now (or `offset_steps` later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = clock.now + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def enable_two_factor(user, clock: OtpClock) -> TOTPDevice:
    """Set up and confirm an authenticator device, then move to the next 30-second step."""
    device = totp_device_start(user=user)
    device = totp_device_confirm(user=user, device=device, token=code_for(device, clock))
    clock.advance(30)
    return device


def wrong_code(device: TOTPDevice, clock: OtpClock) -> str:
    """Six digits that are not the right code now."""
    return "000000" if code_for(device, clock) != "000000" else "111111"
