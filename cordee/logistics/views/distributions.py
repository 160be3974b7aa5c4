"""Counter distributions: baskets and kilograms handed out on a distribution day."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site
from cordee.core.permissions import has_role
from cordee.core.templatetags.cordee import kg
from cordee.core.views.decorators import organisation_required
from cordee.households.selectors.distribution_days import visits_per_day

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


def parse_date_safe(text: str) -> date | None:
    try:
        return parse_date(text.strip())
    except ValueError:
        return None


def _checkin_day(
    request: HttpRequest, org: Organisation, form: CounterDistributionForm
) -> tuple[Site | None, date]:
    """The site and day the baskets counted at check-in are shown for: those sent (the
    form, else ?site=&date= from the check-in page), else the only site and today."""
    sites = form.fields["site"].queryset  # type: ignore[attr-defined]
    source = request.POST if request.method == "POST" else request.GET
    day = parse_date_safe(source.get("distributed_on") or source.get("date") or "")
    if day is None or day > timezone.localdate():
        day = timezone.localdate()
    pk = source.get("site") or form.fields["site"].initial
    site = sites.filter(pk=pk).first() if str(pk or "").isdigit() else None
    return site, day


@organisation_required(STOCK_HANDLER_ROLES)
def distribution_create(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    form = CounterDistributionForm(request.POST or None, org=org)
    site, day = _checkin_day(request, org, form)
    checkin_baskets = None if site is None else visits_per_day(org=org, site=site, day=day)
    if request.method != "POST" and site is not None:
        # Pre-filled with the baskets recorded at check-in; the volunteer corrects if needed.
        form = CounterDistributionForm(
            org=org, initial={"site": site.pk, "distributed_on": day, "baskets": checkin_baskets}
        )
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
    return render(
        request,
        "logistics/distributions/form.html",
        {
            "form": form,
            "checkin_baskets": checkin_baskets,
            "checkin_site": site,
            "checkin_day": day,
        },
    )
