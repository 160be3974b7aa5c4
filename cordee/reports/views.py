"""Monthly and March (Bilan-Faim / HungerCount) reports, for one organisation or a network,
with CSV, XLSX and PDF; and the GoToucan export of one organisation.

A network report holds aggregates only (one column per member, counts under 5 hidden):
never a household, never a name.
"""

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cordee.core.models import Organisation
from cordee.core.services.audit import audit_record
from cordee.core.views.decorators import organisation_required
from cordee.households.permissions import SENSITIVE_ROLES
from cordee.households.selectors.reports import (
    Month,
    last_month,
    network_total,
    organisations_serving,
    report_by_organisation,
    report_for_organisation,
)

from .exports import report_csv, report_pdf, report_xlsx
from .gotoucan import gotoucan_zip
from .selectors import report_network_get, report_networks
from .tables import Table, build_tables

# Income and housing are summed here: the people who may read them, and only they.
REPORT_ROLES = SENSITIVE_ROLES
YEARS_BACK = 5


def _month(request: HttpRequest) -> Month:
    value = request.GET.get("mois", "").strip()
    if not value:
        return last_month()
    try:
        parsed = datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise Http404 from None
    this_year = timezone.localdate().year
    if not this_year - YEARS_BACK <= parsed.year <= this_year:
        raise Http404
    return Month.of(parsed.year, parsed.month)


def _title(month: Month, who: str) -> str:
    label = date_format(month.first, "F Y")
    if month.is_march:
        return _("Bilan-Faim / HungerCount, %(month)s — %(who)s") % {"month": label, "who": who}
    return _("Monthly report, %(month)s — %(who)s") % {"month": label, "who": who}


def _notes(month: Month, *, network: bool) -> list[str]:
    notes = [
        _(
            "A request is one basket, one meal or one snack. Households and people are counted "
            "once in the month, however often they came. Cancelled visits are not counted."
        ),
    ]
    if network:
        notes.append(
            _(
                "Network view: totals only, no household. Counts from 1 to 4 are shown as "
                "« < 5 » (and one more when needed so they cannot be worked out). A household "
                "registered at two members counts at each."
            )
        )
    return notes


def _export(
    request: HttpRequest, *, title: str, notes: list[str], tables: list[Table], filename: str
) -> HttpResponse | None:
    kind = request.GET.get("format")
    if kind == "csv":
        return report_csv(notes=[title, *notes], tables=tables, filename=filename)
    if kind == "xlsx":
        return report_xlsx(notes=[title, *notes], tables=tables, filename=filename)
    if kind == "pdf":
        return report_pdf(request, title=title, notes=notes, tables=tables, filename=filename)
    return None


def _export_links(request: HttpRequest) -> list[tuple[str, str]]:
    links = []
    for kind in ("csv", "xlsx", "pdf"):
        query = request.GET.copy()
        query["format"] = kind
        links.append((kind.upper(), query.urlencode()))
    return links


def _last_march() -> str:
    today = timezone.localdate()
    return f"{today.year if today.month > 3 else today.year - 1}-03"


@organisation_required(REPORT_ROLES)
def organisation_report(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    month = _month(request)
    figures = report_for_organisation(org=org, month=month)
    tables = build_tables([_("Number")], [figures])
    title = _title(month, org.name)
    notes = _notes(month, network=False)
    filename = f"rapport-{org.slug}-{month.first:%Y-%m}"
    exported = _export(request, title=title, notes=notes, tables=tables, filename=filename)
    if exported is not None:
        return exported
    return render(
        request,
        "reports/report.html",
        {
            "title": title,
            "notes": notes,
            "tables": tables,
            "month": month,
            "exports": _export_links(request),
            "last_march": _last_march(),
            "networks": report_networks(user=request.user, org=org),  # type: ignore[arg-type]
        },
    )


@organisation_required(REPORT_ROLES)
def network_report(request: HttpRequest, pk: int) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    network = report_network_get(user=request.user, org=org, pk=pk)  # type: ignore[arg-type]
    month = _month(request)
    members = list(network.members.order_by("name", "pk"))  # type: ignore[attr-defined]
    serving = set(organisations_serving(org_ids=[m.pk for m in members]))
    members = [m for m in members if m.pk in serving]
    by_org = report_by_organisation(org_ids=[m.pk for m in members], month=month)
    figures = [by_org[m.pk] for m in members]
    tables = build_tables(
        [m.name for m in members] + [_("Network total")],
        [*figures, network_total(by_org)],
        suppress=True,
    )
    title = _title(month, network.name)
    notes = _notes(month, network=True)
    filename = f"rapport-{network.slug}-{month.first:%Y-%m}"
    exported = _export(request, title=title, notes=notes, tables=tables, filename=filename)
    if exported is not None:
        return exported
    return render(
        request,
        "reports/report.html",
        {
            "title": title,
            "notes": notes,
            "tables": tables,
            "month": month,
            "network": network,
            "exports": _export_links(request),
            "last_march": _last_march(),
        },
    )


@organisation_required(REPORT_ROLES)
def gotoucan_export(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    month = _month(request)
    with_sensitive = request.GET.get("sensibles") == "1"
    content, households = gotoucan_zip(org=org, month=month, with_sensitive=with_sensitive)
    # Names and birth years leave Cordée: say who took them, and when.
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action="households.gotoucan_export",
        organisation=org,
        changed_fields=["households", "people", "distributions"]
        + (["household_type", "income_source", "housing_type"] if with_sensitive else []),
        request=request,
    )
    response = HttpResponse(content, content_type="application/zip")
    filename = f"gotoucan-{org.slug}-{month.first:%Y-%m}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Households"] = str(households)
    return response
