"""Every file the portal hands out (XLSX, CSV, the briefing, JSON) leaves through this module:
every text is written as text, never as a formula, and no download is kept by a browser or a
proxy."""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

__all__ = [
    "XLSX",
    "CSV",
    "DOCX",
    "attachment",
    "csv_response",
    "csv_text",
    "xlsx_response",
    "xlsx_workbook_response",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A spreadsheet reads a CSV field starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (bool, int, float, Decimal)


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """The response as a download that no browser or proxy keeps."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _plain(value):
    """Numbers and dates as themselves, anything else (lazy translations, safe strings) as text."""
    if value is None or isinstance(value, (*NUMBERS, date, time)):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.make_naive(value)
        return value
    return str(value)


def _xlsx_cell(sheet, value, font=None):
    value = _plain(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would make "=…" a formula and "#N/A" an error
    if font is not None:
        cell.font = font
    return cell


def _xlsx_row(sheet, values, font=None) -> list:
    return [_xlsx_cell(sheet, value, font) for value in values]


def _xlsx_download(book: Workbook, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    book.save(response)
    return attachment(response, filename)


def xlsx_response(
    *, filename: str, title: str, header: list, rows: Iterable[list], notes=()
) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(title)[:31])
    sheet.append(_xlsx_row(sheet, [title]))
    sheet.append(
        _xlsx_row(sheet, [_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    )
    for note in notes:
        sheet.append(_xlsx_row(sheet, [note]))
    sheet.append([])
    sheet.append(_xlsx_row(sheet, header, Font(bold=True)))
    for row in rows:
        sheet.append(_xlsx_row(sheet, row))
    return _xlsx_download(book, filename)


def xlsx_workbook_response(*, filename: str, sheets: list[tuple[str, list[list]]]) -> HttpResponse:
    """A workbook of several sheets, each given as its rows."""
    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title=str(title)[:31])
        for row in rows:
            sheet.append(_xlsx_row(sheet, row))
    return _xlsx_download(book, filename)


def csv_text(value) -> str:
    """A CSV field: numbers and dates as written, text that a spreadsheet would read as a
    formula behind an apostrophe."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, NUMBERS):
        return str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_response(*, filename: str, header: list, rows: Iterable[list]) -> HttpResponse:
    """A CSV that opens in Excel (UTF-8 with a byte-order mark)."""
    text = io.StringIO()
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow([csv_text(v) for v in header])
    writer.writerows([csv_text(v) for v in row] for row in rows)
    return attachment(HttpResponse(text.getvalue(), content_type=CSV), filename)
