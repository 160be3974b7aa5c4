"""Referral pages: send (from the household page), sent and received lists, detail, answers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cordee.core.permissions import has_role
from cordee.core.views.decorators import organisation_required

from ..forms_referrals import ReferralAnswerForm, ReferralForm
from ..selectors.households import household_get
from ..selectors.referrals import (
    referral_consent_current,
    referral_get,
    referral_list_received,
    referral_list_sent,
    referral_shared_record,
    referral_targets,
)
from ..services import referrals as svc

ROLES = svc.REFERRAL_ROLES


def _add_errors(form: Form, exc: ValidationError) -> None:
    for key, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
        form.add_error(key if key in form.fields else None, errors)


@organisation_required(ROLES)
def referral_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    consent = referral_consent_current(household=household)
    form = ReferralForm(request.POST or None, targets=referral_targets(org=org))
    if request.method == "POST" and consent is not None and form.is_valid():
        try:
            svc.referral_send(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                household=household,
                consent=consent,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Referral sent. You will see here when they answer."))
            return redirect("households:referrals_sent")
    return render(
        request,
        "households/referrals/send.html",
        {"household": household, "form": form, "consent": consent},
        status=400 if request.method == "POST" else 200,
    )


@organisation_required(ROLES)
def referral_sent_list(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    return render(
        request,
        "households/referrals/sent_list.html",
        {"referrals": referral_list_sent(org=org)[:200]},
    )


@organisation_required(ROLES)
def referral_received_list(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    # Each row carries only what the consent covers (the name, when still consented).
    rows = [(r, referral_shared_record(r)) for r in referral_list_received(org=org)[:200]]
    return render(request, "households/referrals/received_list.html", {"rows": rows})


@organisation_required(ROLES)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    referral = referral_get(org=org, pk=pk)
    if referral.to_organisation_id == org.pk:
        return render(
            request,
            "households/referrals/received_detail.html",
            {
                "referral": referral,
                "shared": referral_shared_record(referral),
                "answer_form": ReferralAnswerForm(),
            },
        )
    return render(request, "households/referrals/sent_detail.html", {"referral": referral})


ACTIONS = {
    "accepter": (svc.referral_accept, "to", gettext_lazy("Referral accepted.")),
    "refuser": (svc.referral_decline, "to", gettext_lazy("Referral declined.")),
    "terminer": (svc.referral_complete, "to", gettext_lazy("Referral marked as completed.")),
    "annuler": (svc.referral_cancel, "from", gettext_lazy("Referral cancelled.")),
}


@require_POST
@organisation_required(ROLES)
def referral_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    referral = referral_get(org=org, pk=pk)
    if action not in ACTIONS:
        raise Http404
    service, side, done = ACTIONS[action]
    side_org_id = referral.to_organisation_id if side == "to" else referral.from_organisation_id
    if side_org_id != org.pk or not has_role(request.user, org, ROLES):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the other organisation can do this."))
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your answer is too long (500 characters at most)."))
        return redirect("households:referral_detail", pk=referral.pk)
    kwargs = {"response": form.cleaned_data["response"]} if side == "to" else {}
    try:
        service(actor=request.user, referral=referral, request=request, **kwargs)  # type: ignore[operator,arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(done))
    return redirect("households:referral_detail", pk=referral.pk)
