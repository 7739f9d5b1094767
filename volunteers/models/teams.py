"""Volunteer teams (志愿服务队): unit, leaders (accounts), members (volunteers)."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit, Fact, Tallied, Versioned
from volunteers.models.network import UnitScoped
from volunteers.models.people import Volunteer

__all__ = ["Team", "TeamMember"]


@pghistory.track()
class Team(Versioned, Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=64)
    founded_on = models.DateField(_("founded on"))
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("leaders"), blank=True, related_name="led_teams"
    )
    members = models.ManyToManyField(
        Volunteer, through="TeamMember", verbose_name=_("members"), related_name="teams"
    )

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["unit__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "name"), name="%(app_label)s_%(class)s_unit_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:team_detail", kwargs={"pk": self.pk})

    def tally_facts(self) -> list[Fact]:
        return [Fact(self.unit_id, self.founded_on, "volunteers.teams", 1)]


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="+")
    joined_on = models.DateField(_("joined on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("team", "volunteer"), name="%(app_label)s_%(class)s_team_volunteer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.volunteer_id}"
