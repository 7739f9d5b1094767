"""Every file the portal hands out (XLSX, CSV, the briefing, JSON) leaves through this module:
every text is written as text, never as a formula, and no download is kept by a browser or a
proxy."""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from core.privacy import user_display_name

__all__ = [
    "XLSX",
    "export_heading",
    "CSV",
    "DOCX",
    "attachment",
    "background_export",
    "choice_labels",
    "counted",
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
    response.download_name = filename  # what an export job names the file it keeps
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


def _filter_text(form, name: str, value, shown) -> str:
    """A filter's value as the form offers it to the user (the label, not the code)."""
    field = form.fields[name]
    if name in shown:
        return shown[name](value)
    if isinstance(field, forms.ModelChoiceField):
        return str(field.label_from_instance(value)).strip()
    if isinstance(field, forms.BooleanField):
        return _("Yes")
    if isinstance(field, forms.ChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, list | tuple):  # a group of choices
                labels.update({str(k): v for k, v in label})
            else:
                labels[str(key)] = label
        return str(labels.get(str(value), value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def applied_filters(form, shown=None) -> str:
    """The filters a list form applied, each as "label: value label", in the user's language.
    `shown` maps a field to how its value may be written (personal data through the mask)."""
    shown = shown or {}
    if form is None or not form.is_bound:
        return _("None (every record in scope)")
    if not form.is_valid():
        return _("The filter has errors: nothing is exported.")
    parts = [
        _("%(label)s: %(value)s")
        % {"label": form.fields[name].label, "value": _filter_text(form, name, value, shown)}
        for name, value in form.cleaned_data.items()
        if name in form.fields and value not in (None, "", False, [], ())
    ]
    return _("; ").join(parts) if parts else _("None (every record in scope)")


def _period_text(start, end) -> str:
    if start and end:
        return f"{start:%Y-%m-%d} — {end:%Y-%m-%d}"
    if start:
        return _("from %(start)s") % {"start": f"{start:%Y-%m-%d}"}
    return _("until %(end)s") % {"end": f"{end:%Y-%m-%d}"}


def scope_units(user, action: str) -> list:
    """The highest units where the user may do `action`: what an unfiltered list covers."""
    from core.models import AdministrativeUnit
    from core.models.scope import grant_paths

    if user.is_superuser:
        units = AdministrativeUnit.objects.filter(parent__isnull=True)
    else:
        units = AdministrativeUnit.objects.filter(path__in=grant_paths(user, action))
    return list(units.order_by("path"))


def export_heading(request, *, units, form=None, shown=None, period=None) -> list[list]:
    """The rows that open every sheet a member of staff exports: the unit, the filters on
    screen, the period if any, who exported it and when (local time)."""
    rows = [[_("Unit"), "、".join(unit.name for unit in units)]]
    if form is not None:
        rows.append([_("Filters"), applied_filters(form, shown)])
    if period is not None and any(period):
        rows.append([_("Period"), _period_text(*period)])
    rows.append([_("Exported by"), user_display_name(request.user)])
    rows.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    return rows


def _xlsx_download(book: Workbook, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    book.save(response)
    return attachment(response, filename)


def xlsx_response(
    *, filename: str, title: str, header: list, rows: Iterable[list], notes=(), about=None
) -> HttpResponse:
    """One sheet: its title, `about` (see `export_heading`; the time of export alone when
    None), the notes, a blank row, then the table."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(title)[:31])
    sheet.append(_xlsx_row(sheet, [title]))
    if about is None:
        about = [[_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")]]
    for line in about:
        sheet.append(_xlsx_row(sheet, line))
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


def csv_response(*, filename: str, header: list, rows: Iterable[list], about=None) -> HttpResponse:
    """A CSV that opens in Excel (UTF-8 with a byte-order mark): `about` (see
    `export_heading`) as leading lines and a blank line, then the table."""
    text = io.StringIO()
    text.write("\ufeff")
    writer = csv.writer(text)
    if about:
        writer.writerows([csv_text(v) for v in line] for line in about)
        writer.writerow([])
    writer.writerow([csv_text(v) for v in header])
    writer.writerows([csv_text(v) for v in row] for row in rows)
    return attachment(HttpResponse(text.getvalue(), content_type=CSV), filename)


# An export of more rows than this is written by a task worker, not inside the request: at about
# 0.2 ms a row (masking, the sheet's XML), 5,000 rows take about a second, well inside the web
# server's 30-second timeout under load, while the district's 65,400 volunteers took 13 s of CPU.
BACKGROUND_ROWS = 5_000
# A running export writes how far it has come every so many rows (the page polls it).
PROGRESS_EVERY = 2_000


def background_export(request, chosen, *, title) -> HttpResponse | None:
    """When `chosen` (the rows the export would write) holds more than `BACKGROUND_ROWS`, queue
    the export as a job for a task worker and answer the job's page; else None, and the view
    writes the file at once. The worker runs the same view on the same address, so the file
    follows the screen exactly as an immediate one does."""
    from django.conf import settings
    from django.shortcuts import redirect
    from django.utils.translation import get_language

    from core.models import ExportJob

    if getattr(request, "export_job", None) is not None:
        return None
    limit = getattr(settings, "EXPORT_BACKGROUND_ROWS", BACKGROUND_ROWS)
    if chosen[: limit + 1].count() <= limit:
        return None
    job = ExportJob.objects.create(
        by=request.user,
        title=str(title)[:200],
        path=request.path,
        query=request.GET.urlencode()[:2000],
        language=get_language(),
        total=chosen.count(),
    )
    from core.tasks import run_export

    run_export.enqueue(job.pk)  # a row in the same database: queued if and when the job is
    return redirect(job)


def counted(request, rows: Iterable):
    """The rows as they are; when a worker writes them for an export job, its progress is saved
    every `PROGRESS_EVERY` rows."""
    job = getattr(request, "export_job", None)
    if job is None:
        yield from rows
        return
    from core.models import ExportJob

    for n, row in enumerate(rows, 1):
        yield row
        if n % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(processed=n, heartbeat_at=timezone.now())


def choice_labels(model, field: str) -> dict:
    """A choice field's labels by value, translated once: `get_FOO_display` rebuilds the choices'
    dictionary on every call, which costs an export of thousands of rows a large part of its
    time."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}
