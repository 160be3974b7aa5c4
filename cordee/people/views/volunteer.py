"""The volunteer's own page: big buttons, one tap to sign up or cancel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation, User
from cordee.core.permissions import has_role
from cordee.core.views.decorators import organisation_required

from ..models import ShiftSignup
from ..permissions import COORDINATOR_ROLES
from ..selectors import my_signups, open_shifts, shift_get, signup_get, volunteer_for_user
from ..services.shifts import shift_cancel, shift_signup


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined, no-any-return]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@organisation_required()
def my_shifts(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    volunteer = volunteer_for_user(org=org, user=_user(request))
    context: dict[str, object] = {"volunteer": volunteer}
    if volunteer is not None:
        context["mine"] = my_signups(org=org, volunteer=volunteer)
        context["open"] = open_shifts(org=org, volunteer=volunteer)
    return render(request, "people/my_shifts.html", context)


@require_POST
@organisation_required()
def sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    volunteer = volunteer_for_user(org=org, user=_user(request))
    shift = shift_get(org=org, pk=pk)
    if volunteer is None:
        messages.error(request, _("Ask your coordinator to add you to the volunteers."))
        return redirect("people:my_shifts")
    try:
        signup = shift_signup(
            actor=_user(request), shift=shift, volunteer=volunteer, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if signup.status == ShiftSignup.Status.CONFIRMED:
            messages.success(request, _("You are signed up. Thank you!"))
        else:
            messages.warning(
                request,
                _(
                    "This shift is full: you are on the waiting list. "
                    "We will tell you if a place frees up."
                ),
            )
    return redirect("people:my_shifts")


@require_POST
@organisation_required()
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a sign-up: the person themself, or a coordinator from the shift page."""
    org = _org(request)
    signup = signup_get(org=org, pk=pk)
    try:
        shift_cancel(actor=_user(request), signup=signup, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Cancelled. Thank you for telling us."))
    if signup.volunteer.user_id != request.user.pk and has_role(
        _user(request), org, COORDINATOR_ROLES
    ):
        return redirect("people:shift", pk=signup.shift_id)
    return redirect("people:my_shifts")
