"""Spreadsheets handed upward: one writer, so every export looks the same."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

__all__ = ["xlsx_response", "xlsx_workbook_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    *, filename: str, title: str, header: list, rows: Iterable[list], notes=()
) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(title)[:31])
    sheet.append([str(title)])
    sheet.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    for note in notes:
        sheet.append([str(note)])
    sheet.append([])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append(row)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    book.save(response)
    return response


def xlsx_workbook_response(*, filename: str, sheets: list[tuple[str, list[list]]]) -> HttpResponse:
    """A workbook of several sheets, each given as its rows."""
    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title=str(title)[:31])
        for row in rows:
            sheet.append(
                [
                    str(v) if hasattr(v, "__html__") or type(v).__name__ == "__proxy__" else v
                    for v in row
                ]
            )
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    book.save(response)
    return response
