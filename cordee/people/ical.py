"""A volunteer's shifts as an iCalendar feed (RFC 5545). Escaping and line folding come
from transport's hand-written feed; times are UTC, so no VTIMEZONE is needed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone

from cordee.transport.ical import escape, fold

from .models import ShiftSignup

PRODID = "-//Cordée//Quarts de bénévolat//FR"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(*, name: str, signups: Iterable[ShiftSignup], host: str) -> str:
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for signup in signups:
        shift = signup.shift
        cancelled = signup.status == ShiftSignup.Status.CANCELLED
        lines += [
            "BEGIN:VEVENT",
            f"UID:quart-{signup.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(shift.start)}",
            f"DTEND:{_utc(shift.end)}",
            f"SUMMARY:{escape(shift.title)}",
            f"LOCATION:{escape(', '.join(p for p in (shift.site.name, shift.site.address) if p))}",
            f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
