from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..middleware import SESSION_ORG_KEY
from ..selectors.home import home_summary, next_steps
from ..selectors.organisations import organisation_get_for_user
from .auth import safe_next


@login_required
def home(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    if org is None:
        return render(request, "core/no_organisation.html")
    user = request.user
    context = {
        "steps": next_steps(user=user, org=org),  # type: ignore[arg-type]
        **home_summary(user=user, org=org),  # type: ignore[arg-type]
    }
    return render(request, "core/home.html", context)


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """One click to work for another of my organisations (never one I do not belong to)."""
    try:
        pk = int(request.POST.get("organisation", ""))
    except ValueError:
        return redirect("core:home")
    org = organisation_get_for_user(user=request.user, pk=pk)  # type: ignore[arg-type]
    request.session[SESSION_ORG_KEY] = org.pk
    return redirect(safe_next(request))
