"""Receptions: the list, recording one (with its lines), and its detail."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm, BaseFormSet
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from cordee.core.permissions import has_role
from cordee.core.templatetags.cordee import kg
from cordee.core.views.auth import safe_next
from cordee.core.views.decorators import organisation_required

from ..forms import (
    LINES_STEP,
    MAX_LINES,
    BaseLineFormSet,
    ReceptionForm,
    ReceptionLineFormSet,
)
from ..permissions import STOCK_HANDLER_ROLES, STOCK_MANAGER_ROLES
from ..selectors.stock import reception_get, reception_list_with_totals
from ..services.receptions import reception_record

LINES_PREFIX = "lines"


@organisation_required()
def reception_list_view(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    page = Paginator(reception_list_with_totals(org=org), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "logistics/reception_list.html",
        {
            "page": page,
            "can_handle": has_role(request.user, org, STOCK_HANDLER_ROLES),  # type: ignore[arg-type]
            "can_import": has_role(request.user, org, STOCK_MANAGER_ROLES),  # type: ignore[arg-type]
        },
    )


def _without_errors(form: BaseForm | BaseFormSet) -> None:
    """Show a bound form as typed, without judging it (the person only asked for more lines)."""
    forms: list[Any] = form.forms if isinstance(form, BaseFormSet) else [form]
    for each in forms:
        each._errors = ErrorDict()
        each.cleaned_data = {}
    if isinstance(form, BaseFormSet):
        formset: Any = form
        formset._errors = []
        formset._non_form_errors = form.error_class(error_class="nonform")


def _initial_from_query(request: HttpRequest) -> dict[str, str]:
    """Pre-filled from the link (?source=food_bank&supplier=…&site=…), e.g. from the driver's
    food-bank stop. The form's own choices still decide: an unknown value fills nothing."""
    return {
        name: request.GET[name] for name in ("source", "supplier", "site") if request.GET.get(name)
    }


@organisation_required(STOCK_HANDLER_ROLES)
def reception_create(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    data: QueryDict | None = request.POST if request.method == "POST" else None
    more_lines = data is not None and "more_lines" in data
    if data is not None and more_lines:
        # Without JavaScript: the same page, as typed, with 5 more empty lines.
        data = data.copy()
        try:
            total = int(data.get(f"{LINES_PREFIX}-TOTAL_FORMS", LINES_STEP))
        except ValueError:
            total = LINES_STEP
        data[f"{LINES_PREFIX}-TOTAL_FORMS"] = str(max(0, min(total + LINES_STEP, MAX_LINES)))
    form = ReceptionForm(data, org=org, initial=_initial_from_query(request))
    lines = cast(BaseLineFormSet, ReceptionLineFormSet(data, org=org, prefix=LINES_PREFIX))  # type: ignore[call-arg]
    if more_lines:
        _without_errors(form)
        _without_errors(lines)
    elif data is not None and form.is_valid() and lines.is_valid():
        d = form.cleaned_data
        try:
            reception = reception_record(
                actor=request.user,  # type: ignore[arg-type]
                site=d["site"],
                source=d["source"],
                received_on=d["received_on"],
                lines=lines.lines(),
                supplier=d.get("supplier"),
                donor_name=d["donor_name"],
                notes=d["notes"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            count = len(lines.filled_forms())
            messages.success(
                request,
                ngettext(
                    "The reception is recorded: %(n)d line, %(kg)s.",
                    "The reception is recorded: %(n)d lines, %(kg)s.",
                    count,
                )
                % {"n": count, "kg": kg(sum(line.weight_g for line in lines.lines()))},
            )
            # Back to where the person came from (the driver's tour), when it is a page here.
            detail = reverse("logistics:reception_detail", args=[reception.pk])
            return redirect(safe_next(request, default=detail))
    return render(
        request,
        "logistics/reception_form.html",
        {
            "form": form,
            "lines": lines,
            "can_add_lines": lines.total_form_count() < MAX_LINES,
            "next_line": lines.total_form_count() + 1,
        },
    )


@organisation_required()
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    reception = reception_get(org=org, pk=pk)
    lots = list(reception.lots.select_related("category").order_by("id"))
    return render(
        request,
        "logistics/reception_detail.html",
        {
            "reception": reception,
            "lots": lots,
            "total_g": sum(lot.received_g for lot in lots),
        },
    )
