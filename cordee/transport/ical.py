"""An iCalendar feed (RFC 5545) of the mobile counter, written by hand: the format is small
and this avoids a dependency. Times are in UTC (the « Z » form), so no VTIMEZONE is needed;
cancelled dates stay in the feed with STATUS:CANCELLED, so calendars remove them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone

from .services.mobile import Occurrence

PRODID = "-//Cordée//Comptoir mobile//FR"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF + a space (§3.1),
    never cutting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(day: object, at: object) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))  # type: ignore[arg-type]


def calendar(
    *, name: str, occurrences: Iterable[Occurrence], host: str, now: datetime | None = None
) -> str:
    stamp = _utc(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for occurrence in occurrences:
        stop, site = occurrence.stop, occurrence.stop.site
        town = site.municipality.name if site.municipality else ""
        where = ", ".join(p for p in (site.address, town) if p)
        # The demo's stops are already named « Comptoir mobile — … »: say it once.
        summary = (
            site.name
            if "comptoir mobile" in site.name.lower()
            else f"Comptoir mobile — {site.name}"
        )
        if occurrence.cancellation is not None:
            summary = f"ANNULÉ : {summary}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:comptoir-mobile-{stop.pk}-{occurrence.date:%Y%m%d}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(_local(occurrence.date, stop.starts_at))}",
            f"DTEND:{_utc(_local(occurrence.date, stop.ends_at))}",
            f"SUMMARY:{escape(summary)}",
            f"LOCATION:{escape(where or site.name)}",
        ]
        if occurrence.cancellation is not None:
            lines += [
                "STATUS:CANCELLED",
                f"DESCRIPTION:{escape('Annulé : ' + occurrence.cancellation.reason)}",
            ]
        else:
            lines.append("STATUS:CONFIRMED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
