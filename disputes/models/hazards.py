"""Safety hazards (安全隐患) found by grid workers, and their rectification; and hazards the public
reports through an app (Open311), which a grid worker verifies before they count.

A public report is a lead, not yet a hazard: it has no severity or deadline until the grid worker
has been to look, and it counts in no figure (found, handled, overdue) until verified as a hazard.
Verified, it counts like any other, found on the day it was reported. Found not to be a hazard,
it is closed with the note of why, and never counts."""

import secrets
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
from core.privacy import personal_data

__all__ = ["Hazard", "HazardCategory", "HazardSource", "Severity"]


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


class HazardSource(models.TextChoices):
    STAFF = "staff", _("Found by staff")
    PUBLIC = "public", _("Reported by the public")


def new_hazard_token() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "YH" + "".join(secrets.choice(alphabet) for _ in range(8))


class HazardQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"

    def counted(self):
        """The hazards figures count: found by staff, or reported and verified as hazards."""
        return self.filter(
            models.Q(source=HazardSource.STAFF)
            | models.Q(verified_on__isnull=False, unfounded=False)
        )

    def unverified(self):
        return self.filter(source=HazardSource.PUBLIC, verified_on__isnull=True)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(rectified_on__isnull=True, deadline__lt=today)


@personal_data(reporter_name="name", reporter_phone="phone")
@pghistory.track(meta={"db_table": "governance_hazardevent"})
class Hazard(Versioned, Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="hazards"
    )
    category = models.CharField(_("category"), max_length=16, choices=HazardCategory.choices)
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, blank=True)
    found_on = models.DateField(_("found on"))
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="hazards/%Y/", blank=True)
    rectification = models.TextField(_("what was done"), blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    photo_after = models.ImageField(_("photo after"), upload_to="hazards/%Y/", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    source = models.CharField(
        _("source"),
        max_length=8,
        choices=HazardSource.choices,
        default=HazardSource.STAFF,
        editable=False,
    )
    # A public report (Open311): who reported it, kept for the grid worker and masked.
    reporter_name = models.CharField(_("reporter's name"), max_length=64, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True, editable=False)
    tracking_code = models.CharField(
        _("tracking code"), max_length=16, unique=True, null=True, blank=True, editable=False
    )
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    unfounded = models.BooleanField(_("not a hazard"), default=False)
    verification_note = models.TextField(_("what the check found"), blank=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        db_table = "governance_hazard"
        verbose_name = _("safety hazard")
        verbose_name_plural = _("safety hazards")
        ordering = ["-found_on", "-id"]
        indexes = [
            # Open311 lists the public's reports by when they were made.
            models.Index(
                fields=["-reported_at", "-id"],
                condition=models.Q(source="public"),
                name="disputes_hazard_reported",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.place}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:hazard_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return (
            self.rectified_on is None
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    @property
    def awaiting_verification(self) -> bool:
        return self.source == HazardSource.PUBLIC and self.verified_on is None

    @property
    def counts(self) -> bool:
        return self.source == HazardSource.STAFF or (
            self.verified_on is not None and not self.unfounded
        )

    @property
    def is_closed(self) -> bool:
        return self.rectified_on is not None or self.unfounded

    def tally_facts(self) -> list[Fact]:
        if not self.counts or self.deadline is None:
            return []
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
