"""月报: a unit's figures for a month, frozen as submitted and signed by who submitted them."""

from datetime import date

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit
from core.models.scope import ScopedQuerySet

__all__ = ["MonthlyReport"]


class MonthlyReportQuerySet(ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track()
class MonthlyReport(models.Model):
    """Never edited once submitted. A record changed later shows as a correction beside it and
    is carried in the unit's next report (`carried`), so a figure once reported stays put."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    month = models.DateField(_("month"))  # its first day
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # [{key, label, group, kind, unit_label, value, previous, year_before}], values as text
    figures = models.JSONField(_("frozen figures"), default=list)
    # Corrections to the unit's earlier reports known when this one was submitted:
    # {"figures": [{month, key, label, reported, now}], "records": [{month, ...}]}
    carried = models.JSONField(_("corrections carried"), default=dict)

    # The last history event of every tracked model when it was submitted ({event model: id}):
    # what came after is a correction, whatever the clocks or transactions said.
    history_marks = models.JSONField(_("history marks"), default=dict, editable=False)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "month"), name="%(app_label)s_%(class)s_unit_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="%(app_label)s_%(class)s_month_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(
            "governance:monthly_report", kwargs={"code": self.unit.code, "month": self.month_key}
        )

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"

    @staticmethod
    def first_day(day: date) -> date:
        return day.replace(day=1)
