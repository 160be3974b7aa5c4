"""A household's page (visits, consents, restricted fields) and its printable card."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation
from cordee.core.permissions import has_role
from cordee.core.services.audit import audit_record
from cordee.core.views.decorators import organisation_required

from ..forms import ConsentForm, HouseholdEditForm
from ..models import RESTRICTED_FIELDS, Consent, Household
from ..models_privacy import PrivacyRequest, PrivacyRequestKind
from ..permissions import COUNTER_ROLES, PROOF_ROLES, SENSITIVE_ROLES
from ..selectors.eligibility import eligibility_for
from ..selectors.households import consent_list, household_get, visit_list
from ..selectors.matching import network_matches
from ..services.household_update import HouseholdChanges, household_update
from ..services.households import consent_record, consent_withdraw, household_proof_seen


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
            changed_fields=RESTRICTED_FIELDS,
            request=request,
        )
    return render(
        request,
        "households/detail.html",
        {
            "household": household,
            "show_sensitive": sensitive,
            "can_proof": has_role(request.user, org, PROOF_ROLES),  # type: ignore[arg-type]
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


def _rectification_request(request: HttpRequest, household: Household) -> PrivacyRequest | None:
    """The correction request the page was opened from (?demande=<pk>), of this household."""
    pk = request.GET.get("demande", "")
    if not pk.isdigit():
        return None
    return get_object_or_404(
        PrivacyRequest,
        organisation=household.organisation_id,
        household=household,
        kind=PrivacyRequestKind.RECTIFICATION,
        pk=int(pk),
    )


def _edit_initial(household: Household) -> dict[str, object]:
    initial: dict[str, object] = {
        name: getattr(household, name)
        for name in (
            "first_name",
            "last_name",
            "phone",
            "email",
            "people_count",
            *RESTRICTED_FIELDS,
        )
    }
    initial["municipality"] = household.municipality_id
    years = household.members.exclude(birth_year=None).values_list("birth_year", flat=True)
    initial["birth_years"] = ", ".join(str(year) for year in sorted(y or 0 for y in years))
    return initial


@organisation_required(COUNTER_ROLES)
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a household (Law 25 rectification); names, tokens and search words follow."""
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    privacy_request = _rectification_request(request, household)
    sensitive = has_role(request.user, org, SENSITIVE_ROLES)  # type: ignore[arg-type]
    if request.method != "POST":
        form = HouseholdEditForm(initial=_edit_initial(household), sensitive=sensitive)
    else:
        form = HouseholdEditForm(request.POST, sensitive=sensitive)
        if form.is_valid():
            data = form.cleaned_data
            changes = HouseholdChanges(
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                email=data["email"],
                municipality=data["municipality"],
                people_count=data["people_count"],
                birth_years=data["birth_years"],
                **{name: data[name] for name in RESTRICTED_FIELDS if name in form.fields},
            )
            try:
                changed = household_update(
                    actor=request.user,  # type: ignore[arg-type]
                    household=household,
                    changes=changes,
                    privacy_request=privacy_request,
                    request=request,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                if changed:
                    messages.success(request, _("Corrections saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                if privacy_request is not None:
                    return redirect("households:privacy_request", pk=privacy_request.pk)
                return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/edit.html",
        {
            "household": household,
            "form": form,
            "privacy_request": privacy_request,
            "show_sensitive": sensitive,
        },
        status=400 if form.is_bound else 200,
    )


def _form_errors(form: HouseholdEditForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_POST
@organisation_required(PROOF_ROLES)
def proof_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: "proofs seen today by me". Never a copy of the documents."""
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    household_proof_seen(actor=request.user, household=household, request=request)  # type: ignore[arg-type]
    messages.success(
        request,
        _("Proofs seen today for %(name)s.")
        % {"name": f"{household.first_name} {household.last_name}"},
    )
    if request.POST.get("retour") == "accueil":
        # From the refused check-in: back to the search, the household ready to record.
        return redirect(f"{reverse('households:checkin')}?q={household.card_number}")
    return redirect("households:detail", pk=household.pk)
