"""Volunteers: one person per ID number, registered at a community or village."""

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit, Fact, Tallied, Versioned
from core.privacy import personal_data, validate_id_number
from volunteers.models.network import UnitIdScoped

__all__ = ["Volunteer", "VolunteerStatus", "volunteer_facts"]


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


@personal_data(name="name", phone="phone", id_number="id_number")
# Statement-level triggers: a roll import writes one history row per person changed, as a
# row-level trigger would, but in one INSERT per statement instead of one per row.
@pghistory.track(
    pghistory.InsertEvent(level=pghistory.Statement),
    pghistory.UpdateEvent(level=pghistory.Statement),
    pghistory.DeleteEvent(level=pghistory.Statement),
)
class Volunteer(Versioned, Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("registered at"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    skills = ArrayField(
        models.CharField(max_length=32), verbose_name=_("skills"), default=list, blank=True
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=16, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    # Points earned and not yet spent: the ledger's running sum, never below zero.
    points_balance = models.IntegerField(_("points balance"), default=0, editable=False)

    objects = UnitIdScoped.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-joined_on", "-id"]
        # The list pages by (joined_on, id) descending: read backwards, this index serves each page.
        indexes = [models.Index(fields=["joined_on", "id"], name="volunteers_joined_on_id")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points_balance__gte=0),
                name="%(app_label)s_%(class)s_balance_not_negative",
            )
        ]

    def __str__(self) -> str:
        from core.privacy import mask

        return mask(self.name, "name")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:volunteer_detail", kwargs={"pk": self.pk})

    def tally_facts(self) -> list[Fact]:
        return volunteer_facts(self.unit_id, self.joined_on, self.status, self.status_since)


def volunteer_facts(unit_id, joined_on, status, status_since) -> list[Fact]:
    """A volunteer's facts, from the fields alone (bulk imports compute them without models)."""
    facts = [
        Fact(unit_id, joined_on, "volunteers.registered", 1),
        Fact(unit_id, joined_on, "volunteers.active", 1),
    ]
    if status != VolunteerStatus.ACTIVE:
        # From the day the status began, out of the active and into the paused or the left:
        # registered = active + paused + left at any date.
        since = max(status_since or joined_on, joined_on)
        facts.append(Fact(unit_id, since, "volunteers.active", -1))
        paused = status == VolunteerStatus.PAUSED
        facts.append(Fact(unit_id, since, "volunteers.paused" if paused else "volunteers.left", 1))
    return facts
