"""Reporting periods: 本月, 本季度, 今年以来, last year, custom; and the periods they compare with
(同比: the same period a year before; 环比: the period of the same kind just before)."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from core.metrics.registry import Period

__all__ = ["PERIOD_CHOICES", "ReportPeriod", "report_period", "month_starts"]

PERIOD_CHOICES = [
    ("month", _("This month")),
    ("quarter", _("This quarter")),
    ("ytd", _("Year to date")),
    ("last_year", _("Last year")),
    ("custom", _("Custom dates")),
]


@dataclass(frozen=True)
class ReportPeriod:
    key: str
    current: Period
    previous: Period  # 环比
    year_before: Period  # 同比


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def report_period(
    key: str, today: date, start: date | None = None, end: date | None = None
) -> ReportPeriod:
    if key == "month":
        current = Period(today.replace(day=1), today)
        first_before = _add_months(current.start, -1)
        previous = Period(
            first_before,
            min(_add_months(today, -1), _month_end(first_before.year, first_before.month)),
        )
    elif key == "quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        current = Period(first, today)
        before = _add_months(first, -3)
        previous = Period(before, min(_add_months(today, -3), first - timedelta(days=1)))
    elif key == "ytd":
        current = Period(today.replace(month=1, day=1), today)
        previous = current.year_before()
    elif key == "last_year":
        current = Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
        previous = Period(date(today.year - 2, 1, 1), date(today.year - 2, 12, 31))
    else:
        if start is None or end is None or end < start:
            raise ValueError("a custom period needs a start before its end")
        current = Period(start, end)
        length = (end - start).days + 1
        previous = Period(start - timedelta(days=length), start - timedelta(days=1))
    return ReportPeriod(
        key=key, current=current, previous=previous, year_before=current.year_before()
    )


def month_starts(end: date, months: int) -> list[date]:
    """The first days of the `months` calendar months ending with end's month, oldest first."""
    first = end.replace(day=1)
    return [_add_months(first, -n) for n in range(months - 1, -1, -1)]
