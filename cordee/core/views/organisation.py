"""The current organisation's profile and its sites (with a map)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms import OpeningHoursFormSet, OrganisationForm, SiteForm
from ..models import Organisation, Site
from ..permissions import ADMIN_ROLES, MANAGER_ROLES
from ..selectors.organisations import site_get, site_list
from ..services.organisations import organisation_update, site_create, site_update
from .decorators import organisation_required


def site_map_points(sites: list[Site]) -> list[dict]:
    """What the map script needs, as data: it is passed with json_script, never inlined JS."""
    points = []
    for site in sites:
        coords = site.coordinates
        if coords is None:
            continue
        points.append(
            {
                "name": site.name,
                "kind": site.get_kind_display(),
                "address": ", ".join(p for p in (site.address, str(site.municipality or "")) if p),
                "lat": coords[0],
                "lon": coords[1],
                "approximate": site.latitude is None,
            }
        )
    return points


@organisation_required()
def profile(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    sites = list(site_list(org=org))
    return render(
        request,
        "core/organisation/profile.html",
        {"org": org, "sites": sites, "map_points": site_map_points(sites)},
    )


@organisation_required(ADMIN_ROLES)
def edit(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        organisation_update(
            actor=request.user,  # type: ignore[arg-type]
            organisation=org,
            data={f: form.cleaned_data[f] for f in form.Meta.fields},
            request=request,
        )
        messages.success(request, _("The organisation profile is saved."))
        return redirect("core:organisation")
    return render(request, "core/organisation/edit.html", {"form": form})


@organisation_required()
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    site = site_get(org=org, pk=pk)
    return render(
        request,
        "core/organisation/site_detail.html",
        {"site": site, "map_points": site_map_points([site])},
    )


def _site_form_page(request: HttpRequest, site: Site | None) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    instance = site or Site(organisation=org)
    initial_hours = [
        {"weekday": h.weekday, "opens_at": h.opens_at, "closes_at": h.closes_at}
        for h in (site.opening_hours.all() if site else [])
    ]
    form = SiteForm(request.POST or None, instance=instance)
    hours = OpeningHoursFormSet(request.POST or None, initial=initial_hours, prefix="hours")
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        periods = [p for p in (f.period() for f in hours.forms) if p is not None]
        kwargs = {
            "actor": request.user,
            "data": form.site_data(),
            "opening_hours": periods,
            "request": request,
        }
        if site is None:
            site = site_create(organisation=org, **kwargs)  # type: ignore[arg-type]
            messages.success(request, _("The site is added."))
        else:
            site_update(site=site, **kwargs)  # type: ignore[arg-type]
            messages.success(request, _("The site is saved."))
        return redirect("core:site_detail", pk=site.pk)
    return render(
        request, "core/organisation/site_form.html", {"form": form, "hours": hours, "site": site}
    )


@organisation_required(MANAGER_ROLES)
def site_create_view(request: HttpRequest) -> HttpResponse:
    return _site_form_page(request, None)


@organisation_required(MANAGER_ROLES)
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = site_get(org=request.organisation, pk=pk)  # type: ignore[attr-defined]
    return _site_form_page(request, site)
