"""The volunteer activities (暑期托管, 关爱) that served a child in care.

Care imports no other app: the activity is kept by its id and the day it was held, and what it
was (title, team, volunteers' hours) is read through core.handoffs from whoever registered the
activities (the volunteers app). The day is copied so the figure counts by it without a join."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.models.registry import CarePerson, UnitScoped
from core.models import AdministrativeUnit, Fact, Tallied

__all__ = ["ChildActivity"]


@pghistory.track()
class ChildActivity(Tallied):
    person = models.ForeignKey(
        CarePerson,
        verbose_name=_("child in care"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    # The child's grid when served: scope and figures stay where the service happened.
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    activity_id = models.PositiveBigIntegerField(_("volunteer activity"))
    held_on = models.DateField(_("date of the activity"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("activity a child took part in")
        verbose_name_plural = _("activities children took part in")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=("person", "activity_id"), name="%(app_label)s_%(class)s_once"
            )
        ]
        indexes = [models.Index(fields=["held_on"], name="care_childactivity_day")]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.person}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url() + "#activities"

    def tally_facts(self) -> list[Fact]:
        return [Fact(self.unit_id, self.held_on, "care.children_served", 1)]
