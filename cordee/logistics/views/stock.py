"""Stock screens: overview per site, food to use soon, a lot and its ledger, the count."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation, Site
from cordee.core.permissions import MANAGER_ROLES, has_role
from cordee.core.selectors.organisations import site_get, site_list
from cordee.core.templatetags.cordee import kg
from cordee.core.views.decorators import organisation_required

from ..forms import LossForm, SiteChoiceForm, StockCountForm
from ..models import PERISHABILITY_ORDER, Lot, StockBalance, StorageClass
from ..permissions import STOCK_HANDLER_ROLES, STOCK_MANAGER_ROLES
from ..selectors.deliveries import deliveries_to_confirm
from ..selectors.ledger import movement_list
from ..selectors.stock import (
    ExpiringLot,
    balance_list,
    expiring_among,
    expiring_soon,
    fefo_key,
    lot_get,
    on_hand,
)
from ..services.orders import ORDER_ROLES
from ..services.stock import stock_count_record, stock_loss_record
from .catalogue import date_rule_words

EXPIRING_DAYS = 3
LOTS_SHOWN = 10  # lots listed under a line of the overview, first to hand out first
INVENTORY_ALL_MAX = 150  # more lots at a site: counted one kind of food at a time


def _abilities(request: HttpRequest) -> dict[str, bool]:
    org = request.organisation  # type: ignore[attr-defined]
    user = request.user
    is_hub = org.kind == Organisation.Kind.HUB
    return {
        "can_handle": has_role(user, org, STOCK_HANDLER_ROLES),  # type: ignore[arg-type]
        "can_manage": has_role(user, org, STOCK_MANAGER_ROLES),  # type: ignore[arg-type]
        # Links only to pages the person may open: delivery days are the hub's, orders the
        # members'.
        "can_plan_days": is_hub and has_role(user, org, MANAGER_ROLES),  # type: ignore[arg-type]
        "can_order": not is_hub and has_role(user, org, ORDER_ROLES),  # type: ignore[arg-type]
    }


def days_left_words(days: int) -> str:
    """How long a lot may still be handed out, in words a volunteer says out loud."""
    if days < 0:
        return _("date passed")
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}


def _stock_groups(org: Organisation, balances: list[StockBalance]) -> list[dict]:
    """Per site (active ones even when empty): kg per category, perishables first, and the
    lots behind each line in the order they come (first to hand out first)."""
    sites = {site.pk: site for site in site_list(org=org)}
    groups: dict[int, dict] = {
        pk: {"pk": pk, "name": site.name, "rows": {}, "total_g": 0}
        for pk, site in sites.items()
        if site.is_active
    }
    for balance in balances:
        lot = balance.lot
        group = groups.get(balance.site_id)
        if group is None:  # stock left at a site no longer in use
            site = sites[balance.site_id]
            group = groups[site.pk] = {"pk": site.pk, "name": site.name, "rows": {}, "total_g": 0}
        key = (lot.category_id, lot.storage_class)
        row = group["rows"].get(key)
        if row is None:
            row = group["rows"][key] = {
                "category": lot.category.name,
                "category_id": lot.category_id,
                "storage": lot.storage_class,
                "storage_label": StorageClass(lot.storage_class).label,
                "quantity_g": 0,
                "lots": [],
                "shown": [],
            }
        row["quantity_g"] += balance.quantity_g
        row["lots"].append(balance)
        if len(row["lots"]) <= LOTS_SHOWN:
            row["shown"].append(balance)
        group["total_g"] += balance.quantity_g
    order = {storage: i for i, storage in enumerate(PERISHABILITY_ORDER)}
    for group in groups.values():
        group["rows"] = sorted(
            group["rows"].values(), key=lambda r: (order[r["storage"]], r["category"])
        )
        for row in group["rows"]:
            row["more"] = len(row["lots"]) - len(row["shown"])
    return sorted(groups.values(), key=lambda g: g["name"])


@organisation_required()
def overview(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    # One read of the lots on hand serves the totals, the lot lists and the expiring count.
    balances = sorted(on_hand(org=org), key=lambda b: fefo_key(b.lot))
    expiring = expiring_among(balances, days=EXPIRING_DAYS)
    return render(
        request,
        "logistics/overview.html",
        {
            "sites": _stock_groups(org, balances),
            "expiring_count": len(expiring),
            "late_count": sum(e.days_left < 0 for e in expiring),
            "arriving_count": deliveries_to_confirm(org=org).count(),
            **_abilities(request),
        },
    )


@dataclass(frozen=True)
class ExpiringRow:
    item: ExpiringLot
    when: str

    @property
    def late(self) -> bool:
        return self.item.days_left < 0


@organisation_required()
def expiring(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    groups: dict[int, dict] = {}
    for item in expiring_soon(org=org, days=EXPIRING_DAYS):  # most urgent first
        site = item.balance.site
        group = groups.setdefault(site.pk, {"site": site, "rows": []})
        group["rows"].append(ExpiringRow(item, days_left_words(item.days_left)))
    return render(
        request,
        "logistics/expiring.html",
        {
            "groups": sorted(groups.values(), key=lambda g: g["site"].name),
            "days": EXPIRING_DAYS,
            **_abilities(request),
        },
    )


def _lot_page(
    request: HttpRequest, lot: Lot, balances: list[StockBalance], loss_form: LossForm | None
) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    abilities = _abilities(request)
    if loss_form is None and abilities["can_manage"] and balances:
        loss_form = LossForm(org=org, balances=balances)
    reception = lot.reception
    return render(
        request,
        "logistics/lot_detail.html",
        {
            "lot": lot,
            "balances": balances,
            "total_g": sum(b.quantity_g for b in balances),
            "movements": movement_list(org=org, lot=lot)[:200],
            "reception": reception if reception and reception.organisation_id == org.pk else None,
            "rule": date_rule_words(lot.category),
            "loss_form": loss_form,
            **abilities,
        },
    )


def _lot_balances(org: Organisation, lot: Lot) -> list[StockBalance]:
    return list(balance_list(org=org).filter(lot=lot).order_by("site__name"))


@organisation_required()
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    lot = lot_get(org=org, pk=pk)
    return _lot_page(request, lot, _lot_balances(org, lot), None)


@require_POST
@organisation_required(STOCK_MANAGER_ROLES)
def lot_loss(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    lot = lot_get(org=org, pk=pk)
    balances = _lot_balances(org, lot)
    form = LossForm(request.POST, org=org, balances=balances)
    if form.is_valid():
        site: Site = form.cleaned_data["site"]
        try:
            stock_loss_record(
                actor=request.user,  # type: ignore[arg-type]
                site=site,
                lot=lot,
                quantity_g=form.weight_g,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            fields = {"quantity": "weight_kg", "reason": "reason"}
            if hasattr(exc, "error_dict"):
                for key, errors in exc.message_dict.items():
                    form.add_error(fields.get(key), errors)
            else:
                form.add_error("weight_kg", exc.messages)
        else:
            messages.success(
                request,
                _("The loss of %(kg)s at %(site)s is recorded.")
                % {"kg": kg(form.weight_g), "site": site.name},
            )
            return redirect("logistics:lot_detail", pk=lot.pk)
    return _lot_page(request, lot, balances, form)


def _category_param(request: HttpRequest, allowed: set[int]) -> int | None:
    """The kind of food to count (`categorie`), if it is one of the site's."""
    value = (request.POST if request.method == "POST" else request.GET).get("categorie", "")
    try:
        category_id = int(value)
    except ValueError:
        return None
    return category_id if category_id in allowed else None


@organisation_required(STOCK_MANAGER_ROLES)
def inventory(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    chooser = SiteChoiceForm(request.GET or None, org=org)
    site: Site | None = None
    if request.method == "POST":
        try:
            site = site_get(org=org, pk=int(request.POST.get("site", "")))
        except ValueError:
            return redirect("logistics:inventory")
        chooser = SiteChoiceForm(initial={"site": site.pk}, org=org)
    elif chooser.is_bound and chooser.is_valid():
        site = chooser.cleaned_data["site"]
    else:
        active = list(site_list(org=org, active_only=True)[:2])
        if len(active) == 1:
            site = active[0]
            chooser = SiteChoiceForm(initial={"site": site.pk}, org=org)
    context: dict = {"chooser": chooser, "site": site}
    if site is None:
        return render(request, "logistics/inventory.html", context)

    lots = on_hand(org=org, site=site)
    kinds = list(
        lots.values("lot__category_id", "lot__category__name")
        .annotate(lots=Count("id"))
        .order_by("lot__category__sort_order", "lot__category__name")
    )
    category_id = _category_param(request, {k["lot__category_id"] for k in kinds})
    if sum(k["lots"] for k in kinds) > INVENTORY_ALL_MAX:
        # A warehouse holds hundreds of lots: one form for all would be too long to fill
        # in on a tablet (and to load); it is counted one kind of food at a time.
        context.update({"kinds": kinds, "category_id": category_id})
        if category_id is None:
            return render(request, "logistics/inventory.html", context)
    if category_id is not None:
        lots = lots.filter(lot__category_id=category_id)
    balances = list(lots.order_by("lot__category__sort_order", "lot__category__name", "lot_id"))
    form = StockCountForm(request.POST or None, balances=balances)
    if request.method == "POST" and form.is_valid():
        counted = form.counted_g()
        try:
            movements = stock_count_record(
                actor=request.user,  # type: ignore[arg-type]
                site=site,
                counted_g=counted,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            variance = {m.lot_id: m.quantity_g for m in movements}
            results = [
                {
                    "lot": b.lot,
                    "before_g": counted[b.lot_id] - variance.get(b.lot_id, 0),
                    "counted_g": counted[b.lot_id],
                    "variance_g": variance.get(b.lot_id, 0),
                }
                for b in balances
                if b.lot_id in counted
            ]
            messages.success(
                request,
                ngettext(
                    "The count is recorded: %(n)d lot counted.",
                    "The count is recorded: %(n)d lots counted.",
                    len(results),
                )
                % {"n": len(results)},
            )
            return render(
                request,
                "logistics/inventory_result.html",
                {
                    "site": site,
                    "results": results,
                    "adjusted": len(variance),
                    "total_variance_g": sum(variance.values()),
                },
            )
    context.update({"form": form, "rows": form.rows()})
    return render(request, "logistics/inventory.html", context)
