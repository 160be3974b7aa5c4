"""No sign-in: the « Je ne peux pas venir » link of a reminder, and a volunteer's iCal feed."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from ..ical import calendar
from ..selectors import calendar_signups, volunteer_by_calendar_token
from ..services.reminders import signup_by_token
from ..services.shifts import shift_cancel


@require_http_methods(["GET", "POST"])
def cancel_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks « sure? » (mail scanners follow links: a GET must not cancel); POST cancels."""
    signup = signup_by_token(token)
    if signup is None:
        return render(request, "people/cancel_invalid.html", status=404)
    if request.method == "POST":
        try:
            shift_cancel(actor=None, signup=signup, by_token=True, request=request)
        except ValidationError as exc:
            return render(
                request,
                "people/cancel_invalid.html",
                {"reason": " ".join(exc.messages)},
                status=409,
            )
        return render(request, "people/cancel_done.html", {"signup": signup})
    return render(request, "people/cancel_confirm.html", {"signup": signup})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    volunteer = volunteer_by_calendar_token(token)
    body = calendar(
        name=f"Bénévolat — {volunteer.full_name}",
        signups=calendar_signups(volunteer=volunteer),
        host=urlsplit(settings.CORDEE_BASE_URL).hostname or "cordee",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mes-quarts.ics"'
    return response
