"""Recalls: find the lots named in a recall notice, see everywhere they went, print the
list of organisations to call, and block the lots."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation
from cordee.core.views.decorators import organisation_required

from ..forms_deliveries import RecallBlockForm, RecallSearchForm
from ..pdf import render_pdf
from ..permissions import STOCK_MANAGER_ROLES
from ..selectors.recalls import (
    MAX_LOTS,
    recall_lot_search,
    recall_lots_get,
    recall_pending_days,
    recall_trace,
)
from ..services.recalls import lot_recall_block

RECALL_DOCUMENT = "logistics/recalls/document.html"


def _search(request: HttpRequest) -> tuple[RecallSearchForm, dict]:
    """The search form and, when it is valid, the matching lots and their trace."""
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    form = RecallSearchForm(request.GET or None, org=org)
    context: dict = {"form": form, "searched": False}
    if form.is_bound and form.is_valid():
        lots = list(recall_lot_search(org=org, **form.criteria())[: MAX_LOTS + 1])
        context.update(
            {
                "searched": True,
                "too_many": len(lots) > MAX_LOTS,
                "traces": recall_trace(lots=lots[:MAX_LOTS]),
                "pending_days": recall_pending_days(lots=lots[:MAX_LOTS]),
                "query": request.GET.urlencode(),
            }
        )
    return form, context


@organisation_required(STOCK_MANAGER_ROLES)
def recall_search(request: HttpRequest) -> HttpResponse:
    _form, context = _search(request)
    if context["searched"]:
        traces = context["traces"]
        open_lots = [t.lot.pk for t in traces if t.lot.blocked_at is None]
        lots = recall_lots_get(
            org=request.organisation,  # type: ignore[attr-defined]
            ids=[t.lot.pk for t in traces],
        )
        context["block_form"] = RecallBlockForm(initial={"lots": open_lots}, lots=lots)
        context["open_count"] = len(open_lots)
    return render(request, "logistics/recalls/search.html", context)


def _document_context(request: HttpRequest) -> dict | None:
    form, context = _search(request)
    if not context["searched"]:
        return None
    context["printed_at"] = timezone.localtime()
    context["org"] = request.organisation  # type: ignore[attr-defined]
    d = form.cleaned_data
    words = []
    if d.get("supplier_lot_code"):
        words.append(_("supplier lot number « %(code)s »") % {"code": d["supplier_lot_code"]})
    if d.get("category"):
        words.append(d["category"].name)
    if d.get("received_from"):
        words.append(_("received from %(day)s") % {"day": f"{d['received_from']:%Y-%m-%d}"})
    if d.get("received_to"):
        words.append(_("received until %(day)s") % {"day": f"{d['received_to']:%Y-%m-%d}"})
    if d.get("reception"):
        words.append(_("reception of %(day)s") % {"day": f"{d['reception'].received_on:%Y-%m-%d}"})
    context["criteria_words"] = words
    return context


@organisation_required(STOCK_MANAGER_ROLES)
def recall_print(request: HttpRequest) -> HttpResponse:
    context = _document_context(request)
    if context is None:
        return redirect("logistics:recall_search")
    return render(request, RECALL_DOCUMENT, context)


@organisation_required(STOCK_MANAGER_ROLES)
def recall_pdf(request: HttpRequest) -> HttpResponse:
    context = _document_context(request)
    if context is None:
        return redirect("logistics:recall_search")
    return render_pdf(
        request,
        RECALL_DOCUMENT,
        context,
        filename=f"rappel-{timezone.localdate():%Y-%m-%d}.pdf",
    )


@require_POST
@organisation_required(STOCK_MANAGER_ROLES)
def recall_block(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    query = request.POST.get("query", "")
    back = f"?{query}" if query else ""
    ids = [int(x) for x in request.POST.getlist("lots") if x.isdigit()]
    # Another organisation's lots are left out, so the form refuses them.
    form = RecallBlockForm(request.POST, lots=recall_lots_get(org=org, ids=ids))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(f"{_search_url()}{back}")
    try:
        blocked = lot_recall_block(
            actor=request.user,  # type: ignore[arg-type]
            lots=form.cleaned_data["lots"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d lot is blocked: nobody can share it out or hand it out any more.",
                "%(n)d lots are blocked: nobody can share them out or hand them out any more.",
                len(blocked),
            )
            % {"n": len(blocked)},
        )
        pending = recall_pending_days(lots=blocked)
        if pending:
            messages.warning(
                request,
                _("Share out the stock again for these delivery days: %(days)s.")
                % {"days": ", ".join(f"{d.delivers_on:%Y-%m-%d}" for d in pending)},
            )
    return redirect(f"{_search_url()}{back}")


def _search_url() -> str:
    return reverse("logistics:recall_search")
