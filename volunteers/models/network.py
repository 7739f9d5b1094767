"""The three-level network: the district's 志愿服务联合会, street alliances, community alliances,
village service points. Each is an organisation with a home unit (where it sits and is counted)
and the units it serves (its home unit among them): one street alliance may serve a street and a
neighbouring township-level unit, one community alliance two or three neighbouring residents'
committees, and a village may host more than one service point."""

import pghistory
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit, Fact, Tallied, Versioned
from core.models.scope import ScopedQuerySet
from core.models.tallies import TallyingQuerySet

__all__ = [
    "NetworkLevel",
    "NetworkNode",
    "NetworkService",
    "NodeScoped",
    "Scoped",
    "UnitIdScoped",
    "UnitScoped",
]


class Scoped(ScopedQuerySet):
    scope_path = "unit__path"


class UnitScoped(TallyingQuerySet, ScopedQuerySet):
    """For tallied records: bulk updates and deletes keep the tallies."""

    scope_path = "unit__path"


class UnitIdScoped(UnitScoped):
    """Scoped by the ids of the units in reach: PostgreSQL then reads a large table in the order
    of its own index and stops at the page's end, where a join on the units' paths led it (with
    no statistics, as on a copied database) to read every record of the subtree and sort them."""

    def within(self, paths: list[str]) -> Q:
        reached = Q()
        for path in paths:
            reached |= Q(path__startswith=path)
        return Q(unit__in=AdministrativeUnit.objects.filter(reached).values("pk"))


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


class NodeScoped(UnitScoped):
    """A node is in a user's scope when its home unit is, or any unit it serves."""

    def within(self, paths: list[str]) -> Q:
        home = super().within(paths)  # the service's own unit is reached by the same lookup
        serving = NetworkService.objects.filter(home, node=OuterRef("pk"))
        return home | Q(Exists(serving))

    def serving(self, unit):
        """The nodes that serve `unit` itself."""
        return self.filter(Exists(NetworkService.objects.filter(node=OuterRef("pk"), unit=unit)))


@pghistory.track()
class NetworkNode(Versioned, Tallied):
    level = models.CharField(_("level"), max_length=24, choices=NetworkLevel.choices)
    name = models.CharField(_("name"), max_length=64)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("home unit"),
        on_delete=models.PROTECT,
        related_name="volunteer_nodes",
    )
    serves = models.ManyToManyField(
        AdministrativeUnit,
        through="NetworkService",
        verbose_name=_("units served"),
        related_name="volunteer_nodes_serving",
    )
    founded_on = models.DateField(_("founded on"))
    contact = models.CharField(_("contact"), max_length=64, blank=True)

    objects = NodeScoped.as_manager()

    class Meta:
        verbose_name = _("volunteer organisation")
        verbose_name_plural = _("volunteer organisations")
        ordering = ["unit__code", "name"]

    def __str__(self) -> str:
        return self.name

    def tally_facts(self) -> list[Fact]:
        # Counted once, at its home unit, however many units it serves.
        return [Fact(self.unit_id, self.founded_on, f"volunteers.{self.level}", 1)]


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class NetworkService(models.Model):
    """One unit a node serves."""

    node = models.ForeignKey(NetworkNode, on_delete=models.CASCADE, related_name="services")
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="volunteer_services"
    )

    class Meta:
        ordering = ["unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=("node", "unit"), name="%(app_label)s_%(class)s_node_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.node_id}:{self.unit_id}"
