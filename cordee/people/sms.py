"""Text messages through a pluggable gateway.

Set CORDEE_SMS_BACKEND to the dotted path of a class with a `send(*, to, body)` method.
The default only logs the message: nothing leaves the machine until a real gateway is set.

An HTTP gateway adapter would look like this (the provider's URL and key in settings):

    class HttpSmsBackend:
        def send(self, *, to: str, body: str) -> None:
            response = httpx.post(settings.SMS_URL, auth=(settings.SMS_KEY, ""),
                                  data={"to": to, "body": body}, timeout=10)
            response.raise_for_status()   # an error makes the task fail and retry
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("cordee.people.sms")

DEFAULT_BACKEND = "cordee.people.sms.LogSmsBackend"


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class LogSmsBackend:
    """Writes the message to the log instead of sending it."""

    def send(self, *, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", to, body)


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(getattr(settings, "CORDEE_SMS_BACKEND", DEFAULT_BACKEND))()
    return backend
