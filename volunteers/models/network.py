"""The three-level network: the district's 志愿服务联合会, street alliances, community alliances,
village service points, each tied to its unit."""

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit, Fact, Tallied, Versioned
from core.models.scope import ScopedQuerySet
from core.models.tallies import TallyingQuerySet

__all__ = ["NetworkLevel", "NetworkNode", "Scoped", "UnitScoped"]


class Scoped(ScopedQuerySet):
    scope_path = "unit__path"


class UnitScoped(TallyingQuerySet, ScopedQuerySet):
    """For tallied records: bulk updates and deletes keep the tallies."""

    scope_path = "unit__path"


class NetworkLevel(models.TextChoices):
    FEDERATION = "federation", _("District volunteer federation")
    STREET = "street_alliance", _("Street alliance")
    COMMUNITY = "community_alliance", _("Community alliance")
    VILLAGE = "village_point", _("Village service point")


# Which unit level each network level sits at.
UNIT_LEVEL = {
    NetworkLevel.FEDERATION: "district",
    NetworkLevel.STREET: "street",
    NetworkLevel.COMMUNITY: "community",
    NetworkLevel.VILLAGE: "village",
}


@pghistory.track()
class NetworkNode(Versioned, Tallied):
    level = models.CharField(_("level"), max_length=24, choices=NetworkLevel.choices)
    name = models.CharField(_("name"), max_length=64)
    unit = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="volunteer_node",
    )
    founded_on = models.DateField(_("founded on"))
    contact = models.CharField(_("contact"), max_length=64, blank=True)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("volunteer organisation")
        verbose_name_plural = _("volunteer organisations")
        ordering = ["unit__code"]

    def __str__(self) -> str:
        return self.name

    def tally_facts(self) -> list[Fact]:
        return [Fact(self.unit_id, self.founded_on, f"volunteers.{self.level}", 1)]
