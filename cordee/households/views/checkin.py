"""The counter's check-in screen: find a household, record its visit, undo for 5 minutes."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.permissions import has_role
from cordee.core.views.decorators import organisation_required

from ..forms import CheckInForm, HouseholdQuickForm
from ..models import Visit
from ..permissions import COUNTER_ROLES, OVERRIDE_ROLES
from ..selectors.households import household_get, household_search, visit_get
from ..services.households import household_register
from ..services.visits import visit_can_undo, visit_check_in, visit_undo


def _errors(form: HouseholdQuickForm | CheckInForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _last_visit(request: HttpRequest) -> Visit | None:
    """The visit just recorded (?fait=<id>), while it can still be undone."""
    try:
        pk = int(request.GET.get("fait", ""))
    except ValueError:
        return None
    visit = Visit.objects.filter(organisation=request.organisation, pk=pk).first()  # type: ignore[attr-defined]
    return visit if visit is not None and visit_can_undo(visit) else None


@organisation_required(COUNTER_ROLES)
def checkin(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    q = request.GET.get("q", "").strip()[:100]
    context = {"q": q, "results": household_search(org=org, q=q), "form": CheckInForm()}
    if request.headers.get("HX-Request"):
        return render(request, "households/_results.html", context)
    context["done"] = _last_visit(request)
    return render(request, "households/checkin.html", context)


@require_POST
@organisation_required(COUNTER_ROLES)
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    form = CheckInForm(request.POST)
    result = None
    if form.is_valid():
        try:
            result = visit_check_in(
                actor=request.user,  # type: ignore[arg-type]
                household=household,
                organisation=org,
                visit_type=form.cleaned_data["visit_type"],
                people_served=form.cleaned_data["people_served"],
                weight_g=form.weight_g(),
                override_reason=form.cleaned_data["override_reason"],
                request=request,
            )
        except ValidationError as exc:
            _errors(form, exc)
    if result is not None and result.visit is not None:
        return redirect(f"{reverse('households:checkin')}?{urlencode({'fait': result.visit.pk})}")
    return render(
        request,
        "households/refused.html",
        {
            "household": household,
            "form": form,
            "result": result,
            "can_override": has_role(request.user, org, OVERRIDE_ROLES),  # type: ignore[arg-type]
        },
        status=200 if result is not None else 400,
    )


@require_POST
@organisation_required(COUNTER_ROLES)
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    visit = visit_get(org=org, pk=pk)
    try:
        visit_undo(actor=request.user, visit=visit, organisation=org, request=request)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Visit cancelled for %(name)s.")
            % {"name": f"{visit.household.first_name} {visit.household.last_name}"},
        )
    return redirect("households:checkin")


@organisation_required(COUNTER_ROLES)
def household_new(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = HouseholdQuickForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household = household_register(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered, card number %(card)s. You can record the visit now.")
                % {"name": household.first_name, "card": household.card_number},
            )
            query = urlencode({"q": household.card_number})
            return redirect(f"{reverse('households:checkin')}?{query}")
    return render(request, "households/new.html", {"form": form})
