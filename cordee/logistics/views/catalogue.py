"""The network's catalogue, read-only: categories with their rules, impact factor sets."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cordee.core.views.decorators import organisation_required

from ..models import Category
from ..selectors.catalogue import factor_set_list
from ..selectors.stock import category_list


def date_rule_words(category: Category) -> str:
    """The category's date rule as a volunteer would say it."""
    if category.uses_expiry_date:
        return _("Never hand out after the expiry date.")
    days = category.days_after_best_before
    if days is None:
        return _("May be handed out after the best-before date (it is about quality only).")
    if days == 0:
        return _("Not after the best-before date.")
    return ngettext(
        "Up to %(n)d day after the best-before date.",
        "Up to %(n)d days after the best-before date.",
        days,
    ) % {"n": days}


@organisation_required()
def catalogue(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    categories = list(
        category_list(org=org)
        .select_related("network")
        .order_by("network__name", "sort_order", "name")
    )
    networks: dict[int, dict] = {}
    for category in categories:
        group = networks.setdefault(
            category.network_id, {"network": category.network, "categories": []}
        )
        group["categories"].append({"category": category, "rule": date_rule_words(category)})
    return render(
        request,
        "logistics/catalogue.html",
        {
            "networks": list(networks.values()),
            "factor_sets": factor_set_list(org=org),
        },
    )
