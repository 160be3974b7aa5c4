"""A household's page (visits, consents, restricted fields) and its printable card."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation
from cordee.core.permissions import has_role
from cordee.core.services.audit import audit_record
from cordee.core.views.decorators import organisation_required

from ..forms import ConsentForm
from ..models import SENSITIVE_FIELDS, Consent, Household
from ..permissions import COUNTER_ROLES, SENSITIVE_ROLES
from ..selectors.eligibility import eligibility_for
from ..selectors.households import consent_list, household_get, visit_list
from ..selectors.matching import network_matches
from ..services.households import consent_record, consent_withdraw


@organisation_required(COUNTER_ROLES)
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    return _detail_page(request, org, household_get(org=org, pk=pk))


def _detail_page(
    request: HttpRequest, org: Organisation, household: Household, form: ConsentForm | None = None
) -> HttpResponse:
    sensitive = has_role(request.user, org, SENSITIVE_ROLES)  # type: ignore[arg-type]
    if sensitive:
        # Law 25: every read of income, housing and household type leaves a trace.
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="household.sensitive_read",
            organisation=org,
            obj=household,
            changed_fields=SENSITIVE_FIELDS,
            request=request,
        )
    return render(
        request,
        "households/detail.html",
        {
            "household": household,
            "show_sensitive": sensitive,
            "eligibility": eligibility_for(household),
            "visits": visit_list(org=org, household=household),
            "consents": consent_list(household=household),
            "consent_form": form or ConsentForm(),
            "network_matches": network_matches(household=household),
        },
        status=400 if form is not None else 200,
    )


@require_POST
@organisation_required(COUNTER_ROLES)
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            consent_record(
                actor=request.user,  # type: ignore[arg-type]
                household=household,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            for key, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("households:detail", pk=household.pk)
    return _detail_page(request, org, household, form)


@require_POST
@organisation_required(COUNTER_ROLES)
def consent_withdraw_view(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    consent = get_object_or_404(Consent, household=household, pk=consent_pk)
    try:
        consent_withdraw(actor=request.user, consent=consent, request=request)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Consent withdrawn. The related processing stops today."))
    return redirect("households:detail", pk=household.pk)


@organisation_required(COUNTER_ROLES)
def household_card(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    # A full QR (not Micro QR, which phone scanners often miss) holding only the card
    # number: scanned into the search box, it finds the household.
    qr = segno.make_qr(str(household.card_number), error="m").svg_inline(scale=6, omitsize=True)
    return render(
        request,
        "households/card.html",
        {"household": household, "qr_svg": mark_safe(qr)},  # segno's SVG of a number: no user HTML
    )
