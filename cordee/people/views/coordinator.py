"""The coordinator's side: dashboard, week calendar, shift detail, volunteers."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation, User
from cordee.core.views.decorators import organisation_required

from ..forms import (
    AssignForm,
    CertificationForm,
    GenerateForm,
    ShiftTemplateForm,
    VolunteerForm,
)
from ..forms_messages import ShiftMessageForm
from ..models import Shift, ShiftTemplate
from ..permissions import COORDINATOR_ROLES
from ..selectors import dashboard, shift_get, shift_week, volunteer_get, volunteer_list
from ..selectors_hours import hours_this_month
from ..selectors_messages import message_calls, shift_messages
from ..services.messages import shift_message_send
from ..services.shifts import shift_assign, shift_generate, shift_template_create
from ..services.volunteers import certification_add, volunteer_create, volunteer_update


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined, no-any-return]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@organisation_required(COORDINATOR_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "people/home.html",
        {
            "board": dashboard(org=org),
            "message_calls": list(message_calls(org=org)),
            "month_hours": hours_this_month(org=org),
        },
    )


def _monday(raw: str | None) -> date:
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


@organisation_required(COORDINATOR_ROLES)
def week(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    monday = _monday(request.GET.get("semaine"))
    site_id = request.GET.get("site")
    site = org.sites.filter(pk=site_id).first() if site_id and site_id.isdigit() else None
    return render(
        request,
        "people/week.html",
        {
            "days": shift_week(org=org, monday=monday, site_id=site.pk if site else None),
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "sites": org.sites.filter(is_active=True),
            "site": site,
            "templates": ShiftTemplate.objects.filter(organisation=org).select_related("site"),
            "generate_form": GenerateForm(initial=GenerateForm.initial_range()),
        },
    )


@require_POST
@organisation_required(COORDINATOR_ROLES)
def generate(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("people:week")
    created = shift_generate(
        actor=_user(request),
        organisation=_org(request),
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
    )
    messages.success(request, _("Shifts created: %(n)s.") % {"n": created})
    return redirect(reverse("people:week") + f"?semaine={form.cleaned_data['start']}")


@organisation_required(COORDINATOR_ROLES)
def template_new(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = ShiftTemplateForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        shift_template_create(
            actor=_user(request), organisation=org, data=form.cleaned_data, request=request
        )
        messages.success(request, _("Regular shift saved. Now create its dates."))
        return redirect("people:week")
    return render(request, "people/template_form.html", {"form": form})


@organisation_required(COORDINATOR_ROLES)
def shift_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    shift = shift_get(org=org, pk=pk)
    form = AssignForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            shift_assign(
                actor=_user(request),
                shift=shift,
                volunteer=form.cleaned_data["volunteer"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error("volunteer", exc)
        else:
            messages.success(request, _("Volunteer added to the shift."))
            return redirect("people:shift", pk=shift.pk)
    return _shift_page(request, shift, form=form, message_form=ShiftMessageForm())


def _shift_page(
    request: HttpRequest, shift: Shift, *, form: AssignForm, message_form: ShiftMessageForm
) -> HttpResponse:
    signups = shift.signups.exclude(status="cancelled").select_related("volunteer")
    return render(
        request,
        "people/shift.html",
        {
            "shift": shift,
            "signups": signups,
            "form": form,
            "message_form": message_form,
            "messages_sent": shift_messages(org=_org(request), shift_id=shift.pk)[:5],
        },
    )


@require_POST
@organisation_required(COORDINATOR_ROLES)
def shift_message(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    shift = shift_get(org=org, pk=pk)
    form = ShiftMessageForm(request.POST)
    if form.is_valid():
        try:
            message = shift_message_send(
                actor=_user(request),
                shift=shift,
                body=form.cleaned_data["body"],
                include_waiting=form.cleaned_data["include_waiting"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error("body", exc)
        else:
            messages.success(
                request,
                _("Message sent to %(n)s people. Phone calls are on the dashboard's call list.")
                % {"n": message.recipients.count()},
            )
            return redirect("people:shift", pk=shift.pk)
    return _shift_page(request, shift, form=AssignForm(org=org), message_form=form)


@organisation_required(COORDINATOR_ROLES)
def volunteers(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "people/volunteer_list.html",
        {"volunteers": volunteer_list(org=org).prefetch_related("certifications")},
    )


@organisation_required(COORDINATOR_ROLES)
def volunteer_new(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        volunteer = volunteer_create(
            actor=_user(request), organisation=org, data=form.cleaned_data, request=request
        )
        messages.success(request, _("Volunteer saved."))
        return redirect("people:volunteer_edit", pk=volunteer.pk)
    return render(request, "people/volunteer_form.html", {"form": form, "volunteer": None})


@organisation_required(COORDINATOR_ROLES)
def volunteer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    volunteer = volunteer_get(org=org, pk=pk)
    initial = {f: getattr(volunteer, f) for f in VolunteerForm.base_fields}
    form = VolunteerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        volunteer_update(
            actor=_user(request),
            organisation=org,
            volunteer=volunteer,
            data=form.cleaned_data,
            request=request,
        )
        messages.success(request, _("Volunteer saved."))
        return redirect("people:volunteer_edit", pk=volunteer.pk)
    return render(
        request,
        "people/volunteer_form.html",
        {
            "form": form,
            "volunteer": volunteer,
            "certification_form": CertificationForm(),
            "feed_url": request.build_absolute_uri(
                reverse("people:calendar", args=[volunteer.calendar_token])
            ),
        },
    )


@require_POST
@organisation_required(COORDINATOR_ROLES)
def certification_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    volunteer = volunteer_get(org=org, pk=pk)
    form = CertificationForm(request.POST)
    if form.is_valid():
        certification_add(
            actor=_user(request),
            organisation=org,
            volunteer=volunteer,
            request=request,
            **form.cleaned_data,
        )
        messages.success(request, _("Certification added."))
    else:
        messages.error(request, _("Choose the certification and write a valid date."))
    return redirect("people:volunteer_edit", pk=volunteer.pk)
