from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm
from core.forms.fields import DateInput
from core.metrics.periods import PERIOD_CHOICES, ReportPeriod, report_period

__all__ = ["BriefingPeriodForm", "MonthlyReportForm", "PeriodForm", "ReportMonthForm"]

EARLIEST = date(2000, 1, 1)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, required=False, initial="ytd"
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None:
                self.add_error("start", _("Give the first day."))
            if end is None:
                self.add_error("end", _("Give the last day."))
            if start and end:
                if end < start:
                    self.add_error("end", _("The end comes before the start."))
                if start < EARLIEST:
                    self.add_error("start", _("Records start in 2000."))
                if end > timezone.localdate():
                    self.add_error("end", _("The date cannot be in the future."))
        return data

    def report_period(self) -> ReportPeriod:
        """The chosen period, or the year to date when the choice is missing or wrong."""
        today = timezone.localdate()
        if self.is_bound and self.is_valid() and self.cleaned_data.get("period"):
            data = self.cleaned_data
            return report_period(data["period"], today, data.get("start"), data.get("end"))
        return report_period("ytd", today)


class BriefingPeriodForm(PeriodForm):
    """The periods of the dashboard, and first the one a 简报 reports by default: the year's
    completed months (1—11月 on 6 December)."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[("completed_months", _("This year's completed months")), *PERIOD_CHOICES],
        required=False,
        initial="completed_months",
    )

    def report_period(self) -> ReportPeriod:
        from dashboards.briefing import completed_months

        today = timezone.localdate()
        if self.is_bound and self.is_valid() and self.cleaned_data.get("period"):
            data = self.cleaned_data
            if data["period"] != "completed_months":
                return report_period(data["period"], today, data.get("start"), data.get("end"))
        return completed_months(today)


class MonthlyReportForm(OnceForm):
    confirm = forms.BooleanField(
        label=_("I have checked the figures above and submit them as this month's report"),
        error_messages={"required": _("Tick the box to confirm the figures before submitting.")},
    )


class ReportMonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        help_text=_("As 2026-11."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2026-11"}),
    )

    def clean_month(self) -> date:
        from dashboards.monthly import parse_month, submittable

        month = parse_month(self.cleaned_data["month"].strip())
        if month is None:
            raise forms.ValidationError(_("Give the month as year and month, e.g. 2026-11."))
        if month < EARLIEST:
            raise forms.ValidationError(_("Records start in 2000."))
        if not submittable(month):
            raise forms.ValidationError(_("That month has not ended yet."))
        return month
