"""Pro bono legal service (公益法律服务) and service points (网格驿站, 泉新泉驿, 爱心食堂 ...)."""

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import Fact, Tallied, TallyingQuerySet
from core.models.units import AdministrativeUnit
from core.models.versioning import Versioned

__all__ = ["LegalService", "ServicePoint"]


class UnitScoped(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track(meta={"db_table": "governance_legalserviceevent"})
class LegalService(Versioned, Tallied):
    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Legal consultation")
        DOCUMENTS = "documents", _("Help with documents")
        LECTURE = "lecture", _("Lecture")

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT)
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    people_reached = models.PositiveIntegerField(_("person-times reached"))
    notes = models.TextField(_("notes"), blank=True)

    objects = UnitScoped.as_manager()

    class Meta:
        db_table = "governance_legalservice"
        verbose_name = _("legal service")
        verbose_name_plural = _("legal services")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    def tally_facts(self) -> list[Fact]:
        return [Fact(self.unit_id, self.held_on, "legal.people", self.people_reached)]


@pghistory.track(meta={"db_table": "governance_servicepointevent"})
class ServicePoint(Versioned, Tallied):
    class Kind(models.TextChoices):
        GRID_STATION = "grid_station", _("Grid station (网格驿站)")
        WORKER_STATION = "worker_station", _("Station for couriers and drivers (泉新泉驿)")
        CANTEEN = "canteen", _("Charity canteen (爱心食堂)")
        MEDIATION = "mediation", _("Mediation studio (调解工作室)")
        VOLUNTEER = "volunteer", _("Volunteer station")

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=64)
    address = models.CharField(_("address"), max_length=200)
    services = models.TextField(_("services"))
    hours = models.CharField(_("opening hours"), max_length=100)
    meal_price_min = models.DecimalField(
        _("lowest meal price (yuan)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    meal_price_max = models.DecimalField(
        _("highest meal price (yuan)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = UnitScoped.as_manager()

    class Meta:
        db_table = "governance_servicepoint"
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["kind", "unit__code", "name"]

    def __str__(self) -> str:
        return self.name

    def tally_facts(self) -> list[Fact]:
        key = f"points.{self.kind}"
        facts = [Fact(self.unit_id, self.opened_on, key, 1)]
        if self.closed_on:
            facts.append(Fact(self.unit_id, self.closed_on, key, -1))
        return facts
