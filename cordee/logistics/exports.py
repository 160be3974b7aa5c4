"""The impact tables as an Excel workbook (.xlsx): one sheet per table, numbers as numbers.

Each sheet starts with a few lines of notes (who, which period, the factor set and its
source, the counting rule), then a blank line, then the table with its column names.
Weights are in kg with one decimal; meals and kg CO2e are whole numbers.
"""

import io
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cordee.core.models import Organisation

from .models import Reception
from .selectors.impact import FROM_HUB, ImpactReport, NetworkImpact, source_label

KG = "0.0"
WHOLE = "0"
MONTH = "yyyy-mm"

Column = tuple[str, str, Callable[[Any], Any]]  # header, number format, value of a row


def _kg(grams: int) -> float:
    return float((Decimal(grams) / 1000).quantize(Decimal("0.1")))


def _whole(value: Decimal | int) -> int:
    return int(Decimal(value).quantize(Decimal(1)))


def counting_rule() -> str:
    return _(
        "Kg passing through the hub are never added to kg handed out by the counters: it is "
        "the same food, counted once when it reaches people. Both are shown, never summed."
    )


def _notes(report: ImpactReport | NetworkImpact, who: str) -> list[str]:
    lines = [
        who,
        _("From %(start)s to %(end)s")
        % {
            "start": date_format(report.start, "F Y"),
            "end": date_format(report.end, "F Y"),
        },
    ]
    if report.factor_set is not None:
        lines.append(_("Impact factors: %(name)s") % {"name": report.factor_set.name})
        if report.factor_set.source:
            lines.append(_("Source: %(source)s") % {"source": report.factor_set.source})
    else:
        lines.append(_("No impact factor set: meals and CO2e are not computed."))
    lines.append(counting_rule())
    lines.append(_("Weights in kilograms. Non-food products are not counted."))
    return lines


def _sheet(
    sheet: Worksheet,
    *,
    notes: Sequence[str],
    columns: Sequence[Column],
    rows: Sequence[Any],
    total: Any,
) -> None:
    bold = Font(bold=True)
    for line in notes:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([header for header, _f, _v in columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    for row in [*rows, total]:
        sheet.append([value(row) for _h, _f, value in columns])
        for cell, (_h, number_format, _v) in zip(sheet[sheet.max_row], columns, strict=True):
            if number_format:
                cell.number_format = number_format
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.column_dimensions["A"].width = 30
    for index in range(2, len(columns) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 18


def _month_or_total(month: date | None) -> date | str:
    return month if month is not None else _("Total")


def _monthly_columns(report: ImpactReport) -> list[Column]:
    sources = [*Reception.Source.values, FROM_HUB]

    def received_kg(source: str) -> Callable[[Any], Any]:
        return lambda r: _kg(r.received_g.get(source, 0))

    received: list[Column] = [
        (_("Received: %(source)s (kg)") % {"source": source_label(s)}, KG, received_kg(s))
        for s in sources
    ]
    return [
        (_("Month"), MONTH, lambda r: _month_or_total(r.month)),
        *received,
        (_("Received, total (kg)"), KG, lambda r: _kg(r.received_total_g)),
        (_("Recovered from stores (kg)"), KG, lambda r: _kg(r.recovered_g)),
        (_("Delivered to members (kg)"), KG, lambda r: _kg(r.delivered_g)),
        (_("Handed out at the counters (kg)"), KG, lambda r: _kg(r.distributed_g)),
        (_("Baskets"), WHOLE, lambda r: r.baskets),
        (_("Losses (kg)"), KG, lambda r: _kg(r.loss_g)),
        (
            _("Losses (% of kg received)"),
            KG,
            lambda r: float(r.loss_pct) if r.loss_pct is not None else None,
        ),
        (_("Meals"), WHOLE, lambda r: _whole(r.meals)),
        (_("CO2e avoided (kg)"), WHOLE, lambda r: _whole(r.co2e_kg)),
    ]


def _member_columns() -> list[Column]:
    return [
        (
            _("Member"),
            "",
            lambda m: m.organisation.name if m.organisation else _("All members"),
        ),
        (_("Delivered to it by the hub (kg)"), KG, lambda m: _kg(m.delivered_g)),
        (_("Handed out at its counters (kg)"), KG, lambda m: _kg(m.distributed_g)),
        (_("Baskets"), WHOLE, lambda m: m.baskets),
        (_("Losses (kg)"), KG, lambda m: _kg(m.loss_g)),
        (_("Meals"), WHOLE, lambda m: _whole(m.meals)),
        (_("CO2e avoided (kg)"), WHOLE, lambda m: _whole(m.co2e_kg)),
    ]


def _network_columns() -> list[Column]:
    return [
        (_("Month"), MONTH, lambda r: _month_or_total(r.month)),
        (_("Received from outside the network (kg)"), KG, lambda r: _kg(r.received_g)),
        (_("Delivered by the hub to members (kg)"), KG, lambda r: _kg(r.delivered_g)),
        (_("Handed out at the counters (kg)"), KG, lambda r: _kg(r.distributed_g)),
        (_("Baskets"), WHOLE, lambda r: r.baskets),
        (_("Losses (kg)"), KG, lambda r: _kg(r.loss_g)),
        (_("Meals"), WHOLE, lambda r: _whole(r.meals)),
        (_("CO2e avoided (kg)"), WHOLE, lambda r: _whole(r.co2e_kg)),
    ]


def impact_xlsx(
    *, org: Organisation, report: ImpactReport, network: NetworkImpact | None = None
) -> bytes:
    """The organisation's monthly table and, for a hub or a network admin, the member and
    network tables. The caller decides who may see `network`."""
    book = Workbook()
    mine = book.active
    assert mine is not None
    mine.title = _("By month")[:31]
    _sheet(
        mine,
        notes=_notes(report, _("Impact of %(name)s") % {"name": org.name}),
        columns=_monthly_columns(report),
        rows=report.months,
        total=report.totals,
    )
    if network is not None:
        who = _("Network: %(name)s") % {"name": network.network.name}
        member_notes = _notes(network, who)
        if network.month is not None:
            member_notes.insert(
                2, _("Member table: %(month)s only") % {"month": date_format(network.month, "F Y")}
            )
        _sheet(
            book.create_sheet(_("By member")[:31]),
            notes=member_notes,
            columns=_member_columns(),
            rows=network.members,
            total=network.member_totals,
        )
        _sheet(
            book.create_sheet(_("Network by month")[:31]),
            notes=_notes(network, who),
            columns=_network_columns(),
            rows=network.months,
            total=network.totals,
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
