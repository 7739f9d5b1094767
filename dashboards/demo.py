"""Demo 月报: 艾山街道 submitted each of the last twelve ended months, 汶源街道 each but the last
(now overdue), the other streets none, so the district's overview shows submitted, missing and
overdue streets. Entered through the service, which
freezes the figures the other loaders' records give; never typed."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo import register_loader
from core.models import AdministrativeUnit
from dashboards.models import MonthlyReport
from dashboards.monthly import monthly_report_submit

__all__ = ["load_monthly_reports"]

# street, the account of its official, months back (1: last month)
SUBMITTED = [("艾山街道", "aishan", range(12, 0, -1)), ("汶源街道", "wenyuan", range(12, 1, -1))]


def load_monthly_reports() -> str:
    if MonthlyReport.objects.exists():
        return ""
    last_ended = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    count = 0
    for street, username, months_back in SUBMITTED:
        unit = AdministrativeUnit.objects.get(name=street)
        by = get_user_model().objects.get(username=username)
        for back in months_back:
            month = last_ended
            for _ in range(back - 1):
                month = (month - timedelta(days=1)).replace(day=1)
            monthly_report_submit(by=by, unit=unit, month=month)
            count += 1
    return f"monthly reports: {count} submitted"


register_loader("monthly_reports", load_monthly_reports, order=90)
