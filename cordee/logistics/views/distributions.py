"""Counter distributions: baskets and kilograms handed out on a distribution day."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordee.core.models import Organisation
from cordee.core.permissions import has_role
from cordee.core.templatetags.cordee import kg
from cordee.core.views.decorators import organisation_required

from ..forms_deliveries import CounterDistributionForm
from ..permissions import STOCK_HANDLER_ROLES
from ..selectors.deliveries import counter_distribution_kg, counter_distribution_list
from ..services.deliveries import counter_distribution_record


@organisation_required()
def distribution_list(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    page = Paginator(counter_distribution_list(org=org), 25).get_page(request.GET.get("page"))
    weights = counter_distribution_kg(distributions=list(page.object_list))
    return render(
        request,
        "logistics/distributions/list.html",
        {
            "page": page,
            "rows": [(d, weights.get(d.pk, 0)) for d in page],
            "can_record": has_role(request.user, org, STOCK_HANDLER_ROLES),  # type: ignore[arg-type]
        },
    )


@organisation_required(STOCK_HANDLER_ROLES)
def distribution_create(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    form = CounterDistributionForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        weights = form.kg_by_category()
        try:
            counter_distribution_record(
                actor=request.user,  # type: ignore[arg-type]
                site=d["site"],
                distributed_on=d["distributed_on"],
                baskets=d["baskets"],
                kg_by_category=weights,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("The distribution is recorded: %(n)s baskets, %(kg)s handed out.")
                % {"n": d["baskets"], "kg": kg(sum(weights.values()))},
            )
            return redirect("logistics:distribution_list")
    return render(request, "logistics/distributions/form.html", {"form": form})
