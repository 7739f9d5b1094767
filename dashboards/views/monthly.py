"""月报 pages: a unit's months (已报送 / 未报送, overdue), the submit page that shows what will be
frozen, the submitted report with its corrections, its XLSX and .docx, and the overview of the
units below for a month."""

from datetime import date
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms.base import add_service_errors, already_submitted, error_summary, save_once
from core.groups import Group
from core.metrics import metrics
from core.metrics.shown import figure_text
from core.views.access import breadcrumbs, unit_for_user
from dashboards import monthly
from dashboards.changes import action_label, link_openable
from dashboards.figures import change
from dashboards.forms import MonthlyReportForm, ReportMonthForm
from dashboards.models import MonthlyReport

__all__ = [
    "monthly_list",
    "monthly_mine",
    "monthly_overview",
    "monthly_report",
    "monthly_report_export",
    "monthly_submit",
]


def monthly_mine(request: HttpRequest) -> HttpResponse:
    membership = request.user.primary_membership()
    if membership is None:
        raise Http404
    return redirect("governance:monthly_list", code=membership.unit.code)


def _month(text: str) -> date:
    month = monthly.parse_month(text)
    if month is None:
        raise Http404
    return month


def monthly_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code)
    today = timezone.localdate()
    months = monthly.months_of(unit, today)
    children = monthly.reporting_children(unit)
    return render(
        request,
        "dashboards/monthly_list.html",
        {
            "unit": unit,
            "months": months,
            "may_submit": monthly.may_submit(request.user, unit),
            "has_children": bool(children),
            "latest": months[0] if months else None,
            "due_day": monthly.DUE_DAY,
            "breadcrumbs": breadcrumbs(request, unit),
        },
    )


def monthly_submit(request: HttpRequest, code: str, month: str) -> HttpResponse:
    unit = unit_for_user(request, code)
    chosen = _month(month)
    if not monthly.may_submit(request.user, unit):
        raise PermissionDenied
    existing = MonthlyReport.objects.filter(unit=unit, month=chosen).first()
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    if existing is not None:
        return redirect(existing)
    form = MonthlyReportForm(request.POST if request.method == "POST" else None)
    if not monthly.submittable(chosen):
        form.add_error(None, _("A month can be reported only after it has ended."))
    elif request.method == "POST" and form.is_valid():
        try:
            report, done = save_once(
                request,
                form.cleaned_data["submission_key"],
                lambda: monthly.monthly_report_submit(by=request.user, unit=unit, month=chosen),
                "governance:monthly_mine",
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            return redirect(done or report.get_absolute_url())
    figures = monthly.to_freeze(unit, chosen)
    carried = monthly.carried_corrections(unit, chosen)
    return render(
        request,
        "dashboards/monthly_submit.html",
        {
            "unit": unit,
            "month": chosen,
            "form": form,
            "error_summary": error_summary([form]) if form.is_bound else [],
            "groups": grouped(figures),
            "carried": _carried_rows(carried),
            "breadcrumbs": breadcrumbs(request, unit),
        },
        status=200,
    )


def _report(request, code: str, month: str) -> MonthlyReport:
    return get_object_or_404(
        MonthlyReport.objects.for_user(request.user).select_related("unit", "submitted_by"),
        unit__code=code,
        month=_month(month),
    )


def monthly_report(request: HttpRequest, code: str, month: str) -> HttpResponse:
    report = _report(request, code, month)
    figures, records = monthly.corrections_of(report)
    link_openable(records, request.user)
    return render(
        request,
        "dashboards/monthly_report.html",
        {
            "unit": report.unit,
            "report": report,
            "groups": grouped(report.figures),
            "corrections": [
                (c, figure_text(c.reported, c), figure_text(c.now, c)) for c in figures
            ],
            "changes": records,
            "carried": _carried_rows(report.carried),
            "breadcrumbs": breadcrumbs(request, report.unit),
        },
    )


def monthly_report_export(request: HttpRequest, code: str, month: str, kind: str) -> HttpResponse:
    from dashboards.monthly_files import report_docx, report_xlsx

    if kind not in {"xlsx", "docx"}:
        raise Http404
    report = _report(request, code, month)
    rows = grouped(report.figures)
    carried = _carried_rows(report.carried)
    if kind == "xlsx":
        return report_xlsx(report, rows, carried)
    return report_docx(report, rows, carried)


def monthly_overview(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code)
    today = timezone.localdate()
    form = ReportMonthForm(request.GET or None)
    latest = monthly.months_of(unit, today, 1)[0].month
    chosen = form.cleaned_data["month"] if form.is_bound and form.is_valid() else latest
    if not form.is_bound:
        form = ReportMonthForm(initial={"month": f"{chosen:%Y-%m}"})
    rows = monthly.children_status(unit, chosen, today)
    return render(
        request,
        "dashboards/monthly_overview.html",
        {
            "unit": unit,
            "month": chosen,
            "form": form,
            "rows": rows,
            "submitted": sum(1 for row in rows if row.report),
            "overdue": sum(1 for row in rows if row.overdue),
            "breadcrumbs": breadcrumbs(request, unit),
        },
    )


def grouped(figures: list[dict]) -> list[tuple[str, list[dict]]]:
    """Frozen figures by the groups of the portal's work, each as its row of text: the value,
    the month before and the change (环比), the same month a year before and the change (同比)."""
    rows_by_group: dict[str, list[dict]] = {}
    for figure in figures:
        rows_by_group.setdefault(figure["group"], []).append(_row(figure))
    return [
        (str(group.label), rows_by_group[group.value])
        for group in Group
        if group.value in rows_by_group
    ]


def _row(figure: dict) -> dict:
    shape = SimpleNamespace(kind=figure["kind"])
    now, previous, year_before = (
        monthly.read_figure(figure[name]) for name in ("value", "previous", "year_before")
    )
    registered = {m.key: m for m in metrics()}.get(figure["key"])
    return {
        "key": figure["key"],
        "label": str(registered.label) if registered else figure["label"],
        "unit_label": str(registered.unit_label) if registered else figure["unit_label"],
        "value": figure_text(now, shape),
        "previous": figure_text(previous, shape),
        "vs_previous": _change_text(change(now, previous, shape)),
        "year_before": figure_text(year_before, shape),
        "vs_year_before": _change_text(change(now, year_before, shape)),
        "numbers": (now, previous, year_before),
    }


def _change_text(delta: dict | None) -> str:
    if delta is None:
        return "—"
    value = delta["delta"]
    if not value:
        return _("no change")
    sign = "+" if value > 0 else "−"
    if delta["unit"] == "percent":
        return f"{sign}{abs(value)}%"
    return _("%(sign)s%(points)s pts") % {"sign": sign, "points": abs(value)}


def _carried_rows(carried: dict) -> dict:
    shape = {
        "figures": [
            {
                **item,
                "reported_text": figure_text(
                    monthly.read_figure(item["reported"]), SimpleNamespace(kind=item["kind"])
                ),
                "now_text": figure_text(
                    monthly.read_figure(item["now"]), SimpleNamespace(kind=item["kind"])
                ),
            }
            for item in carried.get("figures", [])
        ],
        "records": [
            {
                **item,
                "action_label": action_label(item["action"]),
                "when_text": item["when"][:16].replace("T", " "),
            }
            for item in carried.get("records", [])
        ],
    }
    shape["any"] = bool(shape["figures"] or shape["records"])
    return shape
