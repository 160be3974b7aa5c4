"""Law 25 tools: person in charge and policy (with its public page), retention, access
requests, the incident register and privacy impact assessments."""

import csv
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation, User
from cordee.core.permissions import has_role
from cordee.core.views.decorators import organisation_required
from cordee.logistics.pdf import render_pdf

from ..forms_privacy import (
    PiaForm,
    PrivacyIncidentFollowUpForm,
    PrivacyIncidentForm,
    PrivacyProfileForm,
    PrivacyRequestCompleteForm,
    PrivacyRequestForm,
    RetentionRuleForm,
)
from ..models_privacy import PrivacyIncident, RetentionCategory
from ..selectors.privacy import (
    household_data,
    pia_get,
    pia_list,
    privacy_can_manage,
    privacy_can_read,
    privacy_incident_get,
    privacy_incident_list,
    privacy_profile_get,
    privacy_request_get,
    privacy_request_list,
    public_privacy_profile,
    retention_preview,
    retention_rule_list,
)
from ..services.privacy import (
    PIA_QUESTIONS,
    pia_record,
    privacy_incident_follow_up,
    privacy_incident_record,
    privacy_profile_save,
    privacy_request_complete,
    privacy_request_export_record,
    privacy_request_register,
    retention_apply,
    retention_rule_set,
)

View = Callable[..., HttpResponse]


def _privacy_view(*, manage: bool) -> Callable[[View], View]:
    """Signed in for an organisation; reading needs coordinator, admin or the person in
    charge; writing needs admin or the person in charge."""

    def decorator(view: View) -> View:
        @organisation_required()
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: User = request.user  # type: ignore[assignment]
            org: Organisation = request.organisation  # type: ignore[attr-defined]
            allowed = privacy_can_manage(user, org) if manage else privacy_can_read(user, org)
            if not allowed:
                raise PermissionDenied(_("Your role in this organisation does not allow this."))
            return view(request, org, *args, **kwargs)

        return wrapped

    return decorator


def _apply_errors(form: BaseForm, exc: ValidationError) -> None:
    for key, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
        form.add_error(key if key in form.fields else None, errors)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], **kw: Any
) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    context["can_manage"] = privacy_can_manage(request.user, org)  # type: ignore[arg-type]
    return render(request, f"households/privacy/{template}", context, **kw)


# --- Overview, person in charge, public page -------------------------------------------------


@_privacy_view(manage=False)
def privacy_home(request: HttpRequest, org: Organisation) -> HttpResponse:
    requests = privacy_request_list(org=org).filter(completed_on=None)
    return _render(
        request,
        "home.html",
        {
            "profile": privacy_profile_get(org=org),
            "open_requests": requests,
            "overdue": [r for r in requests if r.overdue],
            "incident_count": privacy_incident_list(org=org).count(),
            "pia_count": pia_list(org=org).count(),
            "is_admin": has_role(request.user, org, {"org_admin"}),  # type: ignore[arg-type]
        },
    )


@organisation_required({"org_admin"})
def profile_edit(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    form = PrivacyProfileForm(
        request.POST or None, instance=privacy_profile_get(org=org), organisation=org
    )
    if request.method == "POST" and form.is_valid():
        try:
            privacy_profile_save(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                request=request,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The person in charge and the policy are saved."))
            return redirect("households:privacy_home")
    return _render(request, "profile_form.html", {"form": form}, status=400 if form.errors else 200)


def public_policy(request: HttpRequest, slug: str) -> HttpResponse:
    """Public, no sign-in: only the published policy and how to reach the person in charge."""
    profile = public_privacy_profile(slug=slug)
    return render(request, "households/privacy/public.html", {"profile": profile})


# --- Retention -------------------------------------------------------------------------------


@_privacy_view(manage=False)
def retention(request: HttpRequest, org: Organisation) -> HttpResponse:
    return _retention_page(request, org, RetentionRuleForm())


def _retention_page(
    request: HttpRequest, org: Organisation, form: RetentionRuleForm, status: int = 200
) -> HttpResponse:
    return _render(
        request,
        "retention.html",
        {
            "rules": retention_rule_list(org=org),
            "preview": retention_preview(org=org),
            "form": form,
            "households_category": RetentionCategory.HOUSEHOLDS,
        },
        status=status,
    )


@require_POST
@_privacy_view(manage=True)
def retention_rule_save(request: HttpRequest, org: Organisation) -> HttpResponse:
    form = RetentionRuleForm(request.POST)
    if form.is_valid():
        try:
            retention_rule_set(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Rule saved. Check the preview below."))
            return redirect("households:privacy_retention")
    return _retention_page(request, org, form, status=400)


@require_POST
@_privacy_view(manage=True)
def retention_apply_view(request: HttpRequest, org: Organisation) -> HttpResponse:
    result = retention_apply(organisation=org, actor=request.user, request=request)  # type: ignore[arg-type]
    messages.success(
        request,
        _("Done: %(h)d household(s) anonymised, %(v)d visit(s) cleaned.")
        % {"h": result.households, "v": result.visits},
    )
    return redirect("households:privacy_retention")


# --- Access requests ---------------------------------------------------------------------------


@_privacy_view(manage=False)
def request_list(request: HttpRequest, org: Organisation) -> HttpResponse:
    return _render(request, "request_list.html", {"requests": privacy_request_list(org=org)})


@_privacy_view(manage=True)
def request_new(request: HttpRequest, org: Organisation) -> HttpResponse:
    initial = {"received_on": timezone.localdate(), "household": request.GET.get("menage")}
    form = PrivacyRequestForm(request.POST or None, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = privacy_request_register(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Request registered. Answer it before the deadline."))
            return redirect("households:privacy_request", pk=created.pk)
    return _render(request, "request_form.html", {"form": form}, status=400 if form.errors else 200)


@_privacy_view(manage=False)
def request_detail(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    privacy_request = privacy_request_get(org=org, pk=pk)
    return _render(
        request,
        "request_detail.html",
        {"item": privacy_request, "complete_form": PrivacyRequestCompleteForm()},
    )


@require_POST
@_privacy_view(manage=True)
def request_complete(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    privacy_request = privacy_request_get(org=org, pk=pk)
    form = PrivacyRequestCompleteForm(request.POST)
    if form.is_valid():
        try:
            privacy_request_complete(
                actor=request.user,  # type: ignore[arg-type]
                privacy_request=privacy_request,
                answer=form.cleaned_data["answer"],
                completed_on=form.cleaned_data["completed_on"],
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("households:privacy_request", pk=pk)
    return _render(
        request, "request_detail.html", {"item": privacy_request, "complete_form": form}, status=400
    )


def _export_data(request: HttpRequest, org: Organisation, pk: int, fmt: str) -> dict[str, Any]:
    privacy_request = privacy_request_get(org=org, pk=pk)
    if privacy_request.household is None:
        raise PermissionDenied(_("This household no longer exists."))
    privacy_request_export_record(
        actor=request.user,  # type: ignore[arg-type]
        privacy_request=privacy_request,
        fmt=fmt,
        request=request,
    )
    return household_data(
        org=org,
        household=privacy_request.household,
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )


@_privacy_view(manage=True)
def request_export_json(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    data = _export_data(request, org, pk, "json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="renseignements-{pk}.json"'
    return response


@_privacy_view(manage=True)
def request_export_pdf(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    data = _export_data(request, org, pk, "pdf")
    return render_pdf(
        request,
        "households/privacy/export_pdf.html",
        {"data": data},
        filename=f"renseignements-{pk}.pdf",
    )


# --- Incident register -----------------------------------------------------------------------


@_privacy_view(manage=False)
def incident_list(request: HttpRequest, org: Organisation) -> HttpResponse:
    return _render(request, "incident_list.html", {"incidents": privacy_incident_list(org=org)})


@_privacy_view(manage=True)
def incident_new(request: HttpRequest, org: Organisation) -> HttpResponse:
    form = PrivacyIncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = privacy_incident_record(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Incident recorded in the register."))
            return redirect("households:privacy_incident", pk=incident.pk)
    return _render(
        request, "incident_form.html", {"form": form}, status=400 if form.errors else 200
    )


@_privacy_view(manage=False)
def incident_detail(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    return _render(
        request, "incident_detail.html", {"incident": privacy_incident_get(org=org, pk=pk)}
    )


@_privacy_view(manage=True)
def incident_follow_up(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    incident = privacy_incident_get(org=org, pk=pk)
    form = PrivacyIncidentFollowUpForm(request.POST or None, instance=incident)
    if request.method == "POST" and form.is_valid():
        try:
            privacy_incident_follow_up(
                actor=request.user,  # type: ignore[arg-type]
                incident=incident,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The follow-up of the incident is saved."))
            return redirect("households:privacy_incident", pk=incident.pk)
    return _render(
        request,
        "incident_follow_up.html",
        {"form": form, "incident": incident},
        status=400 if form.errors else 200,
    )


CSV_FIELDS = (
    "occurred_on",
    "discovered_on",
    "description",
    "information_concerned",
    "people_count",
    "risk_level",
    "risk_assessment",
    "cai_notified_on",
    "persons_notified_on",
    "measures_taken",
)


@_privacy_view(manage=False)
def incident_csv(request: HttpRequest, org: Organisation) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registre-incidents.csv"'
    response.write("\ufeff")  # so spreadsheet software reads the accents
    writer = csv.writer(response)
    writer.writerow(
        [
            capfirst(str(getattr(PrivacyIncident._meta.get_field(name), "verbose_name", name)))
            for name in CSV_FIELDS
        ]
    )
    for incident in privacy_incident_list(org=org):
        row = []
        for name in CSV_FIELDS:
            value = getattr(incident, name)
            if name == "risk_level":
                value = incident.get_risk_level_display()
            row.append("" if value is None else str(value))
        writer.writerow(row)
    return response


# --- Privacy impact assessments --------------------------------------------------------------


@_privacy_view(manage=False)
def pia_list_view(request: HttpRequest, org: Organisation) -> HttpResponse:
    return _render(request, "pia_list.html", {"assessments": pia_list(org=org)})


@_privacy_view(manage=True)
def pia_new(request: HttpRequest, org: Organisation) -> HttpResponse:
    form = PiaForm(request.POST or None, initial={"completed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = pia_record(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                project=form.cleaned_data["project"],
                answers=form.answers(),
                completed_on=form.cleaned_data["completed_on"],
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("households:privacy_pia", pk=assessment.pk)
    return _render(request, "pia_form.html", {"form": form}, status=400 if form.errors else 200)


@_privacy_view(manage=False)
def pia_detail(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    assessment = pia_get(org=org, pk=pk)
    rows = [(question, assessment.answers.get(key, {})) for key, question in PIA_QUESTIONS]
    return _render(request, "pia_detail.html", {"assessment": assessment, "rows": rows})
