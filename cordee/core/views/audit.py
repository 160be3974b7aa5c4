from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..forms import AuditFilterForm
from ..permissions import ADMIN_ROLES
from ..selectors.audit import audit_event_list
from .decorators import organisation_required


@organisation_required(ADMIN_ROLES)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(org=request.organisation, **filters)  # type: ignore[attr-defined]
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
