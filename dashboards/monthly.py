"""月报: the service that freezes a unit's figures for a month, and what is read beside them.

A report is submitted once per unit and month and never rewritten: what the figures are later is
shown beside it as corrections (a figure whose value now differs, and the records changed after
it was submitted), and the unit's next report carries those corrections, so what the unit above
received stays what it received and every change still reaches it."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.metrics import Period
from core.metrics.periods import ReportPeriod, month_starts
from core.models import AdministrativeUnit, Membership, UnitLevel
from core.roles import ROLES
from dashboards.changes import Change, history_marks, record_changes
from dashboards.figures import cards
from dashboards.models import MonthlyReport
from dashboards.roles import Action

__all__ = [
    "DUE_DAY",
    "FigureCorrection",
    "MonthStatus",
    "carried_corrections",
    "children_status",
    "corrections_of",
    "due_date",
    "figure_corrections",
    "may_submit",
    "month_period",
    "monthly_report_submit",
    "months_of",
    "parse_month",
    "read_figure",
    "reporting_children",
    "submittable",
    "to_freeze",
]

DUE_DAY = 5  # a month's report is due by the 5th of the month after
HISTORY_MONTHS = 12
EARLIEST = date(2000, 1, 1)


def parse_month(text: str) -> date | None:
    """2026-11 as its first day; None for anything else."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1) if len(text) == 7 and 2000 <= year <= 9999 else None
    except ValueError:
        return None


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def due_date(month: date) -> date:
    return _month_end(month) + timedelta(days=DUE_DAY)


def month_period(month: date) -> ReportPeriod:
    """The whole month, against the whole month before (环比) and a year before (同比)."""
    current = Period(month, _month_end(month))
    before = (month - timedelta(days=1)).replace(day=1)
    return ReportPeriod(
        key="month",
        current=current,
        previous=Period(before, _month_end(before)),
        year_before=current.year_before(),
    )


def submittable(month: date, today: date | None = None) -> bool:
    """A month may be reported once it has ended."""
    return _month_end(month) < (today or timezone.localdate())


def _stored(value):
    """A figure as JSON keeps it: whole numbers as numbers, decimals as their exact text."""
    if value is None or isinstance(value, int):
        return value
    return str(value)


def read_figure(value):
    """A frozen figure back as a number."""
    return Decimal(value) if isinstance(value, str) else value


def to_freeze(unit, month: date) -> list[dict]:
    """Every registered figure of the unit's month as it stands now, with 环比 and 同比."""
    return [
        {
            "key": card.metric.key,
            "label": str(card.metric.label),
            "group": card.metric.group,
            "kind": card.metric.kind,
            "unit_label": str(card.metric.unit_label),
            "value": _stored(card.value),
            "previous": _stored(card.previous),
            "year_before": _stored(card.year_before),
        }
        for card in cards(unit, month_period(month))
    ]


def may_submit(user, unit) -> bool:
    """Only who holds a submitting role at the unit itself signs its report."""
    roles = [key for key, role in ROLES.items() if Action.SUBMIT_MONTHLY_REPORT in role.actions]
    return (
        user.is_authenticated
        and unit.retired_on is None
        and Membership.objects.filter(user=user, unit=unit, role__in=roles).exists()
    )


def monthly_report_submit(*, by, unit, month: date) -> MonthlyReport:
    if not may_submit(by, unit):
        raise PermissionDenied
    if not submittable(month):
        raise ValidationError(_("A month can be reported only after it has ended."))
    if month < EARLIEST:
        raise ValidationError(_("Records start in 2000."))
    now = timezone.now()
    try:
        with (
            transaction.atomic(),
            pghistory.context(user=by.pk, reason="monthly_report_submit"),
        ):
            return MonthlyReport.objects.create(
                unit=unit,
                month=month,
                submitted_by=by,
                submitted_at=now,
                figures=to_freeze(unit, month),
                carried=carried_corrections(unit, month),
                history_marks=history_marks(),
            )
    except IntegrityError as taken:
        raise ValidationError(
            _("The report for %(month)s has already been submitted.") % {"month": f"{month:%Y-%m}"}
        ) from taken


@dataclass
class FigureCorrection:
    key: str
    label: str
    kind: str
    reported: object
    now: object


def figure_corrections(report: MonthlyReport, now: dict | None = None) -> list[FigureCorrection]:
    """The frozen figures whose value, recomputed from the tallies now, differs."""
    if now is None:
        now = {f["key"]: f["value"] for f in to_freeze(report.unit, report.month)}
    return [
        FigureCorrection(
            f["key"], f["label"], f["kind"], read_figure(f["value"]), read_figure(now[f["key"]])
        )
        for f in report.figures
        if f["key"] in now and now[f["key"]] != f["value"]
    ]


def carried_corrections(unit, month: date) -> dict:
    """What the report of `month` carries about the unit's last year of reports: each figure whose
    value moved since it was last reported (in its own report or a carried correction), and the
    records changed since the unit's last submission that touch those months."""
    earlier = list(
        MonthlyReport.objects.filter(unit=unit, month__lt=month).order_by("-month")[:HISTORY_MONTHS]
    )[::-1]
    if not earlier:
        return {"figures": [], "records": []}
    # The value each (month, figure) was last reported at: its report, then later corrections.
    last_reported = {(r.month_key, f["key"]): f["value"] for r in earlier for f in r.figures}
    for report in sorted(earlier, key=lambda r: r.submitted_at):
        for item in report.carried.get("figures", []):
            last_reported[(item["month"], item["key"])] = item["now"]
    figures = []
    for report in earlier:
        now = {f["key"]: f["value"] for f in to_freeze(unit, report.month)}
        for f in report.figures:
            value = now.get(f["key"], f["value"])
            reported = last_reported[(report.month_key, f["key"])]
            if value != reported:
                figures.append(
                    {
                        "month": report.month_key,
                        "key": f["key"],
                        "label": f["label"],
                        "kind": f["kind"],
                        "reported": reported,
                        "now": value,
                    }
                )
    last_submission = max(earlier, key=lambda r: r.submitted_at)
    changes = record_changes(unit, [r.month for r in earlier], last_submission.history_marks)
    return {"figures": figures, "records": [change.as_json() for change in changes]}


def corrections_of(report: MonthlyReport) -> tuple[list[FigureCorrection], list[Change]]:
    """What moved under a submitted report: its figures now and the records changed since."""
    return figure_corrections(report), record_changes(
        report.unit, [report.month], report.history_marks
    )


def reporting_children(unit) -> list[AdministrativeUnit]:
    """The units that report to this one: its active children above grid level."""
    return list(
        AdministrativeUnit.objects.filter(parent=unit)
        .active()
        .exclude(level=UnitLevel.GRID)
        .order_by("code")
    )


@dataclass
class MonthStatus:
    unit: AdministrativeUnit
    month: date
    report: MonthlyReport | None
    today: date

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def due(self) -> date:
        return due_date(self.month)

    @property
    def overdue(self) -> bool:
        return self.report is None and self.today > self.due


def months_of(unit, today: date, count: int = HISTORY_MONTHS) -> list[MonthStatus]:
    """The unit's last `count` ended months, newest first, each with its report if submitted."""
    last_ended = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    months = month_starts(last_ended, count)
    reports = {r.month: r for r in MonthlyReport.objects.filter(unit=unit, month__in=months)}
    return [MonthStatus(unit, m, reports.get(m), today) for m in reversed(months)]


def children_status(unit, month: date, today: date) -> list[MonthStatus]:
    children = reporting_children(unit)
    reports = {
        r.unit_id: r
        for r in MonthlyReport.objects.filter(unit__in=children, month=month).select_related(
            "submitted_by"
        )
    }
    return [MonthStatus(child, month, reports.get(child.pk), today) for child in children]
