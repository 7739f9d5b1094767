"""Visits (探访关爱): each one answers the visit the plan asked for, on time or late."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.models.registry import CarePerson, UnitScoped
from core.models import AdministrativeUnit, Fact, Tallied

__all__ = ["Finding", "Visit"]


class Finding(models.TextChoices):
    WELL = "well", _("Well")
    NEEDS_HELP = "needs_help", _("Needs help")
    UNWELL = "unwell", _("Unwell")
    NOT_HOME = "not_home", _("Not at home")


@pghistory.track()
class Visit(Tallied):
    person = models.ForeignKey(
        CarePerson,
        verbose_name=_("person visited"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # The person's grid when visited: scope and figures stay where the visit happened.
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_on = models.DateField(_("date of the visit"), default=timezone.localdate)
    due_on = models.DateField(_("due on"), editable=False)
    finding = models.CharField(
        _("how the person was found"), max_length=16, choices=Finding.choices
    )
    needs = models.TextField(_("needs raised"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="care/visits/%Y/", blank=True)
    demand_url = models.CharField(_("demand raised"), max_length=200, blank=True, editable=False)
    logged_at = models.DateTimeField(_("logged at"), default=timezone.now, editable=False)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visited_on} · {self.person}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url() + "#visits"

    @property
    def on_time(self) -> bool:
        return self.visited_on <= self.due_on

    def tally_facts(self) -> list[Fact]:
        unit = self.unit_id
        return [
            Fact(unit, self.visited_on, "care.visits", 1),
            Fact(unit, self.due_on, "care.visits_due", 1),
            Fact(
                unit,
                self.due_on,
                "care.visits_on_time" if self.on_time else "care.visits_overdue",
                1,
            ),
        ]
