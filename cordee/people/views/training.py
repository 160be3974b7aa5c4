"""Training: « Ma formation », guide pages, sessions, the needs reports, tips; the month
calendar of shifts (printable)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cordee.core.models import Network, Organisation, User
from cordee.core.permissions import is_network_admin
from cordee.core.views.decorators import organisation_required

from ..models_training import Comfort, TrainingModule
from ..permissions import COORDINATOR_ROLES
from ..selectors_training import (
    COMFORT_COLUMNS,
    Person,
    module_get,
    modules_for_org,
    needs_report,
    network_needs_report,
    person_path,
    preference_of,
    session_get,
    sessions_upcoming,
    shift_month,
)
from ..services.training import (
    can_coordinate,
    training_comfort_set,
    training_module_complete,
    training_session_cancel,
    training_session_create,
    training_session_signup,
    training_tip_dismiss,
    training_tips_set,
)
from ..training_text import render_guide


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined, no-any-return]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _me(request: HttpRequest) -> Person:
    return Person(user=_user(request))


def _comfort_labels() -> list[str]:
    labels = dict(Comfort.choices)
    return [str(labels.get(c, _("Not answered yet"))) for c in COMFORT_COLUMNS]


@organisation_required()
def my_training(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    me = _me(request)
    pref = preference_of(me)
    steps = person_path(org=org, person=me)
    return render(
        request,
        "people/training/my_training.html",
        {
            "steps": steps,
            "done_count": sum(1 for s in steps if s.done),
            "pref": pref,
            "comforts": Comfort.choices,
            "can_coordinate": can_coordinate(_user(request), org),
        },
    )


@require_POST
@organisation_required()
def comfort(request: HttpRequest) -> HttpResponse:
    try:
        training_comfort_set(
            actor=_user(request),
            organisation=_org(request),
            person=_me(request),
            comfort=request.POST.get("comfort", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you. Your training path is ready."))
    return redirect("people:training")


@organisation_required()
def module_detail(request: HttpRequest, pk: int) -> HttpResponse:
    module = module_get(org=_org(request), pk=pk)
    return render(
        request,
        "people/training/module.html",
        {"module": module, "body": render_guide(module.body)},
    )


@require_POST
@organisation_required()
def module_complete(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    module = module_get(org=org, pk=pk)
    training_module_complete(
        actor=_user(request), organisation=org, person=_me(request), module=module, request=request
    )
    messages.success(request, _("Well done! This module is marked as done."))
    return redirect("people:training")


@require_POST
@organisation_required()
def session_signup(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_get(org=_org(request), pk=pk)
    try:
        training_session_signup(
            actor=_user(request), session=session, person=_me(request), request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are signed up for the session. See you there!"))
    return redirect("people:training")


@require_POST
@organisation_required()
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_get(org=_org(request), pk=pk)
    training_session_cancel(
        actor=_user(request), session=session, person=_me(request), request=request
    )
    messages.success(request, _("Cancelled. Thank you for telling us."))
    return redirect("people:training")


class SessionForm(forms.Form):
    module = forms.ModelChoiceField(
        label=gettext_lazy("Module"), queryset=TrainingModule.objects.none()
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    seats = forms.IntegerField(label=gettext_lazy("Seats"), min_value=1, max_value=200, initial=8)

    def __init__(self, *args: object, org: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["module"]
        field.queryset = modules_for_org(org=org)  # type: ignore[attr-defined]


@organisation_required(COORDINATOR_ROLES)
def sessions(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = SessionForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            training_session_create(
                actor=_user(request), organisation=org, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("people:training_sessions")
    return render(
        request,
        "people/training/sessions.html",
        {"form": form, "sessions": sessions_upcoming(org=org)},
    )


@organisation_required(COORDINATOR_ROLES)
def needs(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    networks = [n for n in org.networks.all() if is_network_admin(_user(request), n)]
    return render(
        request,
        "people/training/needs.html",
        {
            "rows": needs_report(org=org),
            "columns": _comfort_labels(),
            "scope": org.name,
            "networks": networks,
        },
    )


@login_required
def network_needs(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_object_or_404(Network, pk=pk)
    if not is_network_admin(_user(request), network):
        raise Http404
    return render(
        request,
        "people/training/needs.html",
        {
            "rows": network_needs_report(network=network),
            "columns": _comfort_labels(),
            "scope": network.name,
            "is_network": True,
        },
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_POST
@login_required
def tip(request: HttpRequest) -> HttpResponse:
    """Hide one tip, turn them all off, or back on. A plain form: works without JavaScript."""
    action = request.POST.get("action", "")
    user = _user(request)
    try:
        if action == "dismiss":
            training_tip_dismiss(user=user, key=request.POST.get("tip", ""))
        elif action in ("off", "on"):
            training_tips_set(user=user, show=action == "on")
            messages.success(
                request,
                _("Tips turned off.") if action == "off" else _("Tips turned back on."),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_safe_next(request))


def _first_of_month(raw: str | None) -> date:
    try:
        day = date.fromisoformat(f"{raw}-01") if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day.replace(day=1)


@organisation_required(COORDINATOR_ROLES)
def month(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    first = _first_of_month(request.GET.get("mois"))
    previous = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    site_id = request.GET.get("site")
    site = org.sites.filter(pk=site_id).first() if site_id and site_id.isdigit() else None
    return render(
        request,
        "people/month.html",
        {
            "weeks": shift_month(org=org, first=first, site_id=site.pk if site else None),
            "first": first,
            "previous": previous,
            "next": following,
            "sites": org.sites.filter(is_active=True),
            "site": site,
        },
    )
