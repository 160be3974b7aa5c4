"""The mobile counter: its planners' calendar (with cancellations), and the public page and
iCal feed anyone may open without signing in."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cordee.core.models import Organisation
from cordee.core.permissions import has_role
from cordee.core.views.decorators import organisation_required

from ..forms import CancelForm
from ..ical import calendar
from ..permissions import MANAGER_ROLES, PLANNER_ROLES
from ..selectors.mobile import mobile_counter_stop_get, mobile_counter_stop_list, public_schedule
from ..selectors.notices import notice_counts
from ..services.mobile import mobile_counter_cancel, mobile_counter_occurrences

PLANNER_WEEKS = 8
PUBLIC_WEEKS = 8
FEED_WEEKS = 26


@organisation_required(PLANNER_ROLES)
def mobile_counter(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    stops = list(mobile_counter_stop_list(org=org).filter(is_active=True))
    occurrences = mobile_counter_occurrences(
        stops=stops, start=today, end=today + timedelta(weeks=PLANNER_WEEKS)
    )
    counts = notice_counts(
        org=org, cancellation_ids=[o.cancellation.pk for o in occurrences if o.cancellation]
    )
    return render(
        request,
        "transport/mobile_counter.html",
        {
            "stops": stops,
            "occurrences": occurrences,
            # Each date with, when cancelled, how many households were told.
            "rows": [(o, o.cancellation and counts.get(o.cancellation.pk)) for o in occurrences],
            "org": org,
            "can_manage": has_role(request.user, org, MANAGER_ROLES),  # type: ignore[arg-type]
        },
    )


@require_POST
@organisation_required(PLANNER_ROLES)
def mobile_counter_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    stop = mobile_counter_stop_get(org=request.organisation, pk=pk)  # type: ignore[attr-defined]
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why, in a few words: the public will see it."))
        return redirect("transport:mobile_counter")
    try:
        mobile_counter_cancel(
            actor=request.user,  # type: ignore[arg-type]
            stop=stop,
            day=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Date cancelled. It shows as cancelled on the public page and in the calendar. "
                "The households who agreed to be contacted are being told by e-mail or text "
                "message."
            ),
        )
    return redirect("transport:mobile_counter")


@require_GET
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    schedule = public_schedule(slug=slug)
    today = timezone.localdate()
    occurrences = mobile_counter_occurrences(
        stops=schedule.stops, start=today, end=today + timedelta(weeks=PUBLIC_WEEKS)
    )
    return render(
        request,
        "transport/public_mobile_counter.html",
        {"schedule": schedule, "occurrences": occurrences},
    )


@require_GET
def public_feed(request: HttpRequest, slug: str) -> HttpResponse:
    schedule = public_schedule(slug=slug)
    today = timezone.localdate()
    occurrences = mobile_counter_occurrences(
        stops=schedule.stops,
        start=today - timedelta(weeks=1),
        end=today + timedelta(weeks=FEED_WEEKS),
    )
    body = calendar(
        name=f"Comptoir mobile — {schedule.name}",
        occurrences=occurrences,
        # UIDs must not change with the address used to reach the site.
        host=urlsplit(settings.CORDEE_BASE_URL).hostname or "cordee",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="comptoir-mobile-{schedule.slug}.ics"'
    return response
