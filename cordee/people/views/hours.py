"""Volunteer hours: the person's own page (one tap to arrive or leave, a report form), the
coordinator's approvals and totals, the recognition report and its CSV, network totals."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation, User
from cordee.core.views.decorators import organisation_required

from ..forms_hours import HoursReportForm, StaffHoursForm
from ..models import Volunteer
from ..permissions import COORDINATOR_ROLES
from ..selectors import volunteer_for_user
from ..selectors_hours import (
    hours_by_person,
    hours_entry_get,
    hours_of_volunteer,
    hours_pending,
    is_network_admin_of,
    network_hours,
    organisation_total_minutes,
    volunteer_total_minutes,
)
from ..services.hours import (
    hours_check_in,
    hours_check_out,
    hours_decide,
    hours_report,
    open_check_in,
)


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined, no-any-return]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("annee", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@organisation_required()
def my_hours(request: HttpRequest) -> HttpResponse:
    return _render_mine(request)


def _render_mine(request: HttpRequest, form: HoursReportForm | None = None) -> HttpResponse:
    org = _org(request)
    volunteer = volunteer_for_user(org=org, user=_user(request))
    context: dict[str, object] = {"volunteer": volunteer}
    if volunteer is not None:
        year = timezone.localdate().year
        context |= {
            "open": open_check_in(volunteer=volunteer),
            "sites": org.sites.filter(is_active=True),
            "entries": hours_of_volunteer(org=org, volunteer=volunteer)[:20],
            "year": year,
            "total": volunteer_total_minutes(org=org, volunteer=volunteer, year=year),
            "form": form or HoursReportForm(organisation=org),
        }
    return render(request, "people/hours/mine.html", context, status=400 if form else 200)


def _me_or_404(request: HttpRequest) -> Volunteer:
    volunteer = volunteer_for_user(org=_org(request), user=_user(request))
    if volunteer is None:
        raise Http404
    return volunteer


@require_POST
@organisation_required()
def check_in(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    volunteer = _me_or_404(request)
    site = get_object_or_404(org.sites.filter(is_active=True), pk=request.POST.get("site") or 0)
    try:
        hours_check_in(actor=_user(request), volunteer=volunteer, site=site, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Welcome! Your arrival is noted."))
    return redirect("people:my_hours")


@require_POST
@organisation_required()
def check_out(request: HttpRequest) -> HttpResponse:
    volunteer = _me_or_404(request)
    try:
        hours_check_out(actor=_user(request), volunteer=volunteer, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you for your help today!"))
    return redirect("people:my_hours")


@require_POST
@organisation_required()
def report(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    volunteer = _me_or_404(request)
    form = HoursReportForm(request.POST, organisation=org)
    if not form.is_valid():
        return _render_mine(request, form)
    try:
        hours_report(
            actor=_user(request),
            organisation=org,
            volunteer=volunteer,
            started_at=form.started_at(),
            minutes=form.cleaned_data["total_minutes"],
            site=form.cleaned_data["site"],
            note=form.cleaned_data["note"],
            request=request,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_mine(request, form)
    messages.success(request, _("Thank you! A coordinator will approve your hours."))
    return redirect("people:my_hours")


@organisation_required(COORDINATOR_ROLES)
def coordination(request: HttpRequest) -> HttpResponse:
    return _render_coordination(request)


def _render_coordination(request: HttpRequest, form: StaffHoursForm | None = None) -> HttpResponse:
    org = _org(request)
    year = _year(request)
    return render(
        request,
        "people/hours/coordination.html",
        {
            "pending": hours_pending(org=org),
            "year": year,
            "total": organisation_total_minutes(org=org, year=year),
            "people": hours_by_person(org=org, year=year)[:15],
            "form": form or StaffHoursForm(organisation=org),
            "network_admin": is_network_admin_of(user=_user(request), org=org),
        },
        status=400 if form else 200,
    )


@require_POST
@organisation_required(COORDINATOR_ROLES)
def staff_add(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = StaffHoursForm(request.POST, organisation=org)
    if form.is_valid():
        try:
            hours_report(
                actor=_user(request),
                organisation=org,
                volunteer=form.cleaned_data["volunteer"],
                started_at=form.started_at(),
                minutes=form.cleaned_data["total_minutes"],
                site=form.cleaned_data["site"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Hours saved."))
            return redirect("people:hours_coordination")
    return _render_coordination(request, form)


@require_POST
@organisation_required(COORDINATOR_ROLES)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    entry = hours_entry_get(org=_org(request), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        hours_decide(actor=_user(request), entry=entry, approve=approve, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Hours approved.") if approve else _("Hours refused."))
    return redirect("people:hours_coordination")


@organisation_required(COORDINATOR_ROLES)
def recognition(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    year = _year(request)
    return render(
        request,
        "people/hours/recognition.html",
        {
            "year": year,
            "people": hours_by_person(org=org, year=year),
            "total": organisation_total_minutes(org=org, year=year),
            "network_admin": is_network_admin_of(user=_user(request), org=org),
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        },
    )


@organisation_required(COORDINATOR_ROLES)
def recognition_csv(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    year = _year(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="heures-benevoles-{year}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    writer = csv.writer(response)
    writer.writerow([_("Volunteer"), _("Year"), _("Hours"), _("Entries")])
    for row in hours_by_person(org=org, year=year):
        hours = (Decimal(row.minutes) / 60).quantize(Decimal("0.01"))
        writer.writerow([row.full_name, year, str(hours), row.entries])
    return response


@organisation_required()
def network(request: HttpRequest) -> HttpResponse:
    """Totals per organisation for network administrators; no per-person detail."""
    year = _year(request)
    networks = network_hours(user=_user(request), org=_org(request), year=year)
    if not networks:
        raise Http404
    return render(request, "people/hours/network.html", {"year": year, "networks": networks})
