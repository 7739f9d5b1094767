"""Safety hazards (安全隐患) found by grid workers, and their rectification."""

from datetime import timedelta

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import Fact, Tallied, TallyingQuerySet
from core.models.units import AdministrativeUnit
from core.models.versioning import Versioned

__all__ = ["Hazard", "HazardCategory", "Severity"]


class HazardCategory(models.TextChoices):
    FIRE = "fire", _("Fire")
    GAS = "gas", _("Gas")
    ELECTRICITY = "electric", _("Electricity / e-bike charging")
    BUILDING = "building", _("Buildings")
    TRAFFIC = "traffic", _("Traffic")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class HazardQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(rectified_on__isnull=True, deadline__lt=today)


@pghistory.track(meta={"db_table": "governance_hazardevent"})
class Hazard(Versioned, Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="hazards"
    )
    category = models.CharField(_("category"), max_length=16, choices=HazardCategory.choices)
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    found_on = models.DateField(_("found on"))
    deadline = models.DateField(_("rectify by"))
    photo = models.ImageField(_("photo"), upload_to="hazards/%Y/", blank=True)
    rectification = models.TextField(_("what was done"), blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    photo_after = models.ImageField(_("photo after"), upload_to="hazards/%Y/", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = HazardQuerySet.as_manager()

    class Meta:
        db_table = "governance_hazard"
        verbose_name = _("safety hazard")
        verbose_name_plural = _("safety hazards")
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.place}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:hazard_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.rectified_on is None and self.deadline < timezone.localdate()

    def tally_facts(self) -> list[Fact]:
        facts = [Fact(self.unit_id, self.found_on, "hazards.found", 1)]
        if self.rectified_on:
            facts.append(Fact(self.unit_id, self.rectified_on, "hazards.rectified", 1))
        # Overdue is a stock: it starts the day after the deadline and ends with a late fix.
        overdue_from = self.deadline + timedelta(days=1)
        if self.rectified_on is None or self.rectified_on >= overdue_from:
            facts.append(Fact(self.unit_id, overdue_from, "hazards.overdue", 1))
            if self.rectified_on is not None:
                facts.append(Fact(self.unit_id, self.rectified_on, "hazards.overdue", -1))
        return facts
