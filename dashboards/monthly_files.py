"""A submitted 月报 as files: XLSX and .docx, both written from its frozen figures only."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import DOCX, attachment, xlsx_workbook_response
from core.privacy import user_display_name

__all__ = ["report_docx", "report_xlsx"]


def _title(report) -> str:
    return _("Monthly report of %(unit)s, %(month)s") % {
        "unit": report.unit.name,
        "month": f"{report.month:%Y-%m}",
    }


def _signature(report) -> list[list]:
    return [
        [_("Unit"), report.unit.name, report.unit.code],
        [_("Month"), f"{report.month:%Y-%m}"],
        [_("Submitted by"), user_display_name(report.submitted_by)],
        [_("Submitted at"), timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")],
    ]


def _filename(report, extension: str) -> str:
    return f"monthly-report-{report.unit.code}-{report.month:%Y%m}.{extension}"


def _header() -> list[str]:
    return [
        _("Figure"),
        _("Value"),
        _("Unit of measure"),
        _("Previous month"),
        _("Change on previous month"),
        _("Same month last year"),
        _("Change year on year"),
    ]


def _figure_row(row: dict, numbers: bool = False) -> list:
    """A figure's row as the report shows it; with numbers, its three values as numbers (a
    spreadsheet adds them up) and a missing one as a dash."""
    value, previous, year_before = (
        [_number(n) for n in row["numbers"]]
        if numbers
        else (row["value"], row["previous"], row["year_before"])
    )
    return [
        row["label"],
        value,
        row["unit_label"],
        previous,
        row["vs_previous"],
        year_before,
        row["vs_year_before"],
    ]


def _number(value):
    if value is None:
        return "—"
    return value if isinstance(value, int) else float(value)


def _carried_rows(carried: dict) -> list[list]:
    rows = [[_("Month"), _("Figure"), _("Reported"), _("Now")]]
    rows += [
        [item["month"], item["label"], item["reported_text"], item["now_text"]]
        for item in carried["figures"]
    ]
    rows += [[]]
    rows += [[_("Month"), _("Record"), _("Change"), _("By"), _("At")]]
    rows += [
        [
            item["month"],
            f"{item['kind']} {item['record']}",
            item["action_label"],
            item["who"],
            item["when_text"],
        ]
        for item in carried["records"]
    ]
    return rows


def report_xlsx(report, groups, carried) -> HttpResponse:
    """What was frozen, not recomputed: figures as numbers, every other cell as text (core.exports
    writes text as text, never as a formula)."""
    heading = [[_title(report)], *_signature(report), []]
    figures = [_header()]
    for group, rows in groups:
        figures.append([group])
        figures += [_figure_row(row, numbers=True) for row in rows]
    sheets = [(_("Figures"), heading + figures)]
    if carried["any"]:
        sheets.append((_("Corrections"), heading + _carried_rows(carried)))
    return xlsx_workbook_response(filename=_filename(report, "xlsx"), sheets=sheets)


def report_docx(report, groups, carried) -> HttpResponse:
    from dashboards.briefing_docx import official_document, official_table, title_paragraph

    document = official_document()
    title_paragraph(document, _title(report))
    for label, value, *_rest in _signature(report):
        document.add_paragraph(f"{label}{_(': ')}{value}")
    for group, rows in groups:
        document.add_paragraph(group, style="Heading 1")
        official_table(document, [_header(), *[_figure_row(row) for row in rows]])
    if carried["any"]:
        document.add_paragraph(_("Corrections to earlier reports"), style="Heading 1")
        table: list[list] = []
        for row in [*_carried_rows(carried), []]:  # tables of figures and of records
            if row:
                table.append(row)
            elif len(table) > 1:
                official_table(document, table)
                document.add_paragraph()
            if not row:
                table = []
    buffer = BytesIO()
    document.save(buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=DOCX), _filename(report, "docx"))
