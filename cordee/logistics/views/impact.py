"""Impact page: kg in and out month by month, losses, meals and CO2e avoided; CSV and XLSX.

A hub or a network admin also sees the network: one row per member and one per month.
Members see their own figures only.
"""

import csv
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cordee.core.models import Organisation
from cordee.core.views.decorators import organisation_required

from ..charts import Series, bar_chart
from ..exports import counting_rule, impact_xlsx
from ..models import FactorSet, Reception
from ..selectors.impact import (
    BASIS_DELIVERED,
    FROM_HUB,
    ImpactReport,
    ImpactRow,
    NetworkImpact,
    factor_set_get,
    factor_set_list,
    impact_by_month,
    impact_network_get,
    impact_networks,
    network_impact,
    source_label,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

YEARS_BACK = 4


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


def _month_param(request: HttpRequest) -> date | None:
    value = request.GET.get("mois", "").strip()
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise Http404 from None


def _month_label(row: ImpactRow) -> str:
    assert row.month is not None
    return date_format(row.month, "N Y")


def _kilos(grams: int) -> Decimal:
    return (Decimal(grams) / 1000).quantize(Decimal("0.1"))


def _charts(report: ImpactReport) -> list:
    labels = [date_format(row.month, "N") for row in report.months if row.month]
    received = bar_chart(
        chart_id="chart-received",
        title=_("Kilograms received each month, by source"),
        desc=_("Stacked bars, one per month; the table below gives the same figures."),
        labels=labels,
        series=[
            Series(
                source_label(source),
                [_kilos(row.received_g.get(source, 0)) for row in report.months],
            )
            for source in report.sources
        ],
        unit="kg",
    )
    losses = bar_chart(
        chart_id="chart-losses",
        title=_("Losses each month, as a percentage of kilograms received"),
        desc=_("One bar per month; the table below gives the same figures."),
        labels=labels,
        series=[Series(_("Losses"), [row.loss_pct or 0 for row in report.months])],
        unit="%",
        places=1,
    )
    return [received, losses]


def _network_chart(network: NetworkImpact) -> str:
    """Side by side, never stacked: the hub's kg and the counters' kg are the same food."""
    return bar_chart(
        chart_id="chart-network",
        title=_("The network each month: kilograms delivered by the hub and handed out"),
        desc=_(
            "Two bars side by side per month, never added together; "
            "the network table below gives the same figures."
        ),
        labels=[date_format(row.month, "N") for row in network.months if row.month],
        series=[
            Series(_("Delivered by the hub"), [_kilos(r.delivered_g) for r in network.months]),
            Series(
                _("Handed out at the counters"), [_kilos(r.distributed_g) for r in network.months]
            ),
        ],
        unit="kg",
        grouped=True,
    )


def _decimal_comma(value: Decimal | int | None, places: int = 1) -> str:
    if value is None:
        return ""
    return f"{Decimal(value):.{places}f}".replace(".", ",")


def impact_csv(report: ImpactReport, org: Organisation, year: int) -> HttpResponse:
    """The monthly table as CSV for Excel in Québec: UTF-8 with BOM, `;` separator.

    Numbers use a decimal comma (1234,5) and no thousands separator, as French Excel reads
    them; weights are in kg. Every reception source has its column, even when empty, so the
    columns stay the same from one export to the next.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impact-{org.slug}-{year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    sources = [*Reception.Source.values, FROM_HUB]
    writer.writerow(
        [
            _("Month"),
            *[_("Received: %(source)s (kg)") % {"source": source_label(s)} for s in sources],
            _("Received, total (kg)"),
            _("Recovered from stores (kg)"),
            _("Delivered to members (kg)"),
            _("Handed out at the counters (kg)"),
            _("Baskets"),
            _("Losses (kg)"),
            _("Losses (% of kg received)"),
            _("Meals"),
            _("CO2e avoided (kg)"),
            _("Factor set"),
        ]
    )
    factor_name = report.factor_set.name if report.factor_set else ""
    for row in [*report.months, report.totals]:
        writer.writerow(
            [
                row.month.strftime("%Y-%m") if row.month else _("Total"),
                *[_decimal_comma(_kilos(row.received_g.get(s, 0))) for s in sources],
                _decimal_comma(_kilos(row.received_total_g)),
                _decimal_comma(_kilos(row.recovered_g)),
                _decimal_comma(_kilos(row.delivered_g)),
                _decimal_comma(_kilos(row.distributed_g)),
                str(row.baskets),
                _decimal_comma(_kilos(row.loss_g)),
                _decimal_comma(row.loss_pct),
                _decimal_comma(row.meals, 0),
                _decimal_comma(row.co2e_kg, 0),
                factor_name,
            ]
        )
    return response


def _network_factor_set(network_pk: int, chosen: FactorSet | None) -> FactorSet | None:
    """The chosen set when it is the network's, else the network's default."""
    if chosen is not None and chosen.network_id == network_pk:
        return chosen
    sets = FactorSet.objects.filter(network_id=network_pk).order_by("-is_default", "name", "pk")
    return sets.first()


def _xlsx_response(content: bytes, org: Organisation, year: int) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="impact-{org.slug}-{year}.xlsx"'
    return response


@organisation_required()
def impact(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    user = request.user
    this_year = timezone.localdate().year
    year = _int_param(request, "annee")
    if year is not None and not this_year - YEARS_BACK <= year <= this_year:
        raise Http404
    factor_set = factor_set_get(org=org, pk=_int_param(request, "facteurs"))
    report = impact_by_month(org=org, year=year, factor_set=factor_set)
    # Members get None here, and a 404 for any network they try to name.
    network = impact_network_get(
        user=user,  # type: ignore[arg-type]
        org=org,
        pk=_int_param(request, "reseau"),
    )
    network_report = None
    if network is not None:
        network_report = network_impact(
            network=network,
            year=year,
            month=_month_param(request),
            factor_set=_network_factor_set(network.pk, factor_set),
        )
    export = request.GET.get("format")
    if export == "csv":
        return impact_csv(report, org, year or report.end.year)
    if export == "xlsx":
        content = impact_xlsx(org=org, report=report, network=network_report)
        return _xlsx_response(content, org, year or report.end.year)
    labels = [source_label(s) for s in report.sources]
    rows = [
        {
            "row": row,
            "label": _month_label(row) if row.month else _("Total"),
            "received": [
                (label, row.received_g.get(s, 0))
                for s, label in zip(report.sources, labels, strict=True)
            ],
        }
        for row in [*report.months, report.totals]
    ]
    charts = _charts(report)
    if network_report is not None:
        charts.append(_network_chart(network_report))
    return render(
        request,
        "logistics/impact.html",
        {
            "report": report,
            "rows": rows[:-1],
            "total": rows[-1],
            "source_labels": labels,
            "factor_sets": factor_set_list(org=org),
            "years": list(range(this_year, this_year - YEARS_BACK - 1, -1)),
            "year": year,
            "is_hub": report.basis == BASIS_DELIVERED,
            "charts": charts,
            "network": network_report,
            "networks": impact_networks(user=user, org=org) if network else [],  # type: ignore[arg-type]
            "counting_rule": counting_rule(),
            "csv_query": _export_query(request, "csv"),
            "xlsx_query": _export_query(request, "xlsx"),
        },
    )


def _export_query(request: HttpRequest, kind: str) -> str:
    query = request.GET.copy()
    query["format"] = kind
    return query.urlencode()
