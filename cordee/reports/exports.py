"""The report's tables as CSV (Excel in Québec: UTF-8 with BOM, `;`), XLSX and PDF."""

import csv
import io

from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from cordee.logistics.pdf import render_pdf

from .tables import Table, format_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def report_csv(*, notes: list[str], tables: list[Table], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    for line in notes:
        writer.writerow([line])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title, *table.columns])
        for label, cells in table.rows:
            writer.writerow([label, *[format_cell(c) for c in cells]])
    return _download(response, f"{filename}.csv")


def report_xlsx_bytes(*, notes: list[str], tables: list[Table]) -> bytes:
    """One sheet; counts stay numbers, hidden ones the text « < 5 »."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rapport"
    for line in notes:
        sheet.append([line])
    for table in tables:
        sheet.append([])
        sheet.append([table.title, *table.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for index, (label, cells) in enumerate(table.rows):
            sheet.append([label, *cells])
            if index in table.is_percent:
                for cell in sheet[sheet.max_row][1:]:
                    cell.number_format = "0.0"
    sheet.column_dimensions["A"].width = 44
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_xlsx(*, notes: list[str], tables: list[Table], filename: str) -> HttpResponse:
    response = HttpResponse(report_xlsx_bytes(notes=notes, tables=tables), content_type=XLSX)
    return _download(response, f"{filename}.xlsx")


def report_pdf(
    request: HttpRequest, *, title: str, notes: list[str], tables: list[Table], filename: str
) -> HttpResponse:
    return render_pdf(
        request,
        "reports/report_document.html",
        {"title": title, "notes": notes, "tables": tables},
        filename=f"{filename}.pdf",
    )
