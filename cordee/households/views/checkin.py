"""The counter's check-in screen: find a household, record its visit, undo for 5 minutes."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation
from cordee.core.permissions import MANAGER_ROLES, has_role
from cordee.core.views.decorators import organisation_required
from cordee.transport.services.mobile import Occurrence

from ..forms import CheckInForm, HouseholdQuickForm
from ..forms_matching import HouseholdRegisterForm
from ..models import ConsentMethod, ConsentPurpose, Visit
from ..permissions import COUNTER_ROLES, OVERRIDE_ROLES, PROOF_ROLES
from ..selectors.distribution_days import checkin_days
from ..selectors.households import household_get, household_search, visit_get
from ..selectors.mobile_checkin import mobile_stop_now, mobile_stops_on
from ..services.households import consent_record, household_register
from ..services.visits import visit_can_undo, visit_check_in, visit_undo
from .matching import match_notices


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


MOBILE_SESSION_KEY = "checkin_mobile_stop"
NOT_MOBILE = "0"


def _mobile_mode(
    request: HttpRequest, org: Organisation, choice: str | None
) -> tuple[Occurrence | None, list[Occurrence]]:
    """The mobile counter stop visits are recorded at (or None), and the day's stops.

    With a stop today the screen switches to it by itself; the volunteer may pick another
    of the day's stops, or « not at the mobile counter » (?arret=0). The pick is kept in the
    session for the day, and sent again with each visit so it is the stop they saw."""
    now = timezone.localtime()
    today = mobile_stops_on(org=org, day=now.date())
    by_pk = {str(o.stop.pk): o for o in today}
    if choice is not None and (choice == NOT_MOBILE or choice in by_pk):
        request.session[MOBILE_SESSION_KEY] = {"day": now.date().isoformat(), "stop": choice}
    kept = request.session.get(MOBILE_SESSION_KEY) or {}
    if kept.get("day") == now.date().isoformat():
        if kept.get("stop") == NOT_MOBILE:
            return None, today
        if kept.get("stop") in by_pk:
            return by_pk[kept["stop"]], today
    return mobile_stop_now(today, now.time()), today


@organisation_required(COUNTER_ROLES)
def checkin(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    q = request.GET.get("q", "").strip()[:100]
    mobile, mobile_today = _mobile_mode(request, org, request.GET.get("arret"))
    context = {
        "q": q,
        "results": household_search(org=org, q=q),
        "form": CheckInForm(),
        "mobile": mobile,
        "mobile_today": mobile_today,
    }
    if request.headers.get("HX-Request"):
        return render(request, "households/_results.html", context)
    context["done"] = _last_visit(request)
    if has_role(request.user, org, MANAGER_ROLES):  # type: ignore[arg-type]
        context["distribution_days"] = checkin_days(org=org)
    return render(request, "households/checkin.html", context)


@require_POST
@organisation_required(COUNTER_ROLES)
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    form = CheckInForm(request.POST)
    mobile, _today = _mobile_mode(request, org, request.POST.get("arret"))
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
                site=mobile.stop.site if mobile is not None else None,
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
            "mobile": mobile,
            "can_override": has_role(request.user, org, OVERRIDE_ROLES),  # type: ignore[arg-type]
            "can_proof": has_role(request.user, org, PROOF_ROLES),  # type: ignore[arg-type]
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
    form = HouseholdRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        duplicate_check = fields.pop("duplicate_check", False)
        try:
            household = household_register(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                request=request,
                **fields,
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            if duplicate_check:
                consent_record(
                    actor=request.user,  # type: ignore[arg-type]
                    household=household,
                    purpose=ConsentPurpose.DUPLICATE_CHECK,
                    method=ConsentMethod.ORAL,
                    request=request,
                )
                for notice in match_notices(household):
                    messages.warning(request, notice)
            messages.success(
                request,
                _("%(name)s is registered, card number %(card)s. You can record the visit now.")
                % {"name": household.first_name, "card": household.card_number},
            )
            query = urlencode({"q": household.card_number})
            return redirect(f"{reverse('households:checkin')}?{query}")
    return render(request, "households/new.html", {"form": form})
