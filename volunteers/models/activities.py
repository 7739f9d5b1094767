"""Activities and the hours volunteers served in them (志愿服务时长).

A team leader records each volunteer's actual hours; the organising unit verifies them. Hours
never exceed the activity's length; a volunteer cannot be in two activities at the same time
(an exclusion constraint on the activity's time range says so even under concurrent writes).
"""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit, Fact, Tallied, Versioned
from volunteers.models.network import UnitScoped
from volunteers.models.people import Volunteer
from volunteers.models.teams import Team

__all__ = ["Activity", "ActivityTheme", "HoursStatus", "ServiceHours", "TargetGroup"]


class EditableList(models.Model):
    name = models.CharField(_("name"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class ActivityTheme(EditableList):
    """弘扬雷锋精神, 中考护航, 暑期托管 ...: an editable list."""

    class Meta(EditableList.Meta):
        verbose_name = _("activity theme")
        verbose_name_plural = _("activity themes")


@pghistory.track()
class TargetGroup(EditableList):
    """一老一小, 新就业群体 ...: whom an activity serves."""

    class Meta(EditableList.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


@pghistory.track()
class Activity(Versioned, Tallied):
    title = models.CharField(_("title"), max_length=100)
    theme = models.ForeignKey(ActivityTheme, verbose_name=_("theme"), on_delete=models.PROTECT)
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("target groups"), blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="activities"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # The local day it begins (kept by save()): what figures and lists count it by.
    held_on = models.DateField(_("date"), editable=False, db_index=True)
    place = models.CharField(_("place"), max_length=100)
    capacity = models.PositiveIntegerField(_("volunteers needed"))
    served = models.PositiveIntegerField(
        _("person-times served"),
        default=0,
        help_text=_(
            "Attendances of the people served, not people: one person served 3 times is 3."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:activity_detail", kwargs={"pk": self.pk})

    @property
    def day(self):
        return timezone.localtime(self.starts_at).date()

    def save(self, *args, **kwargs):
        self.held_on = self.day
        super().save(*args, **kwargs)

    @property
    def length_hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / 3600).quantize(Decimal("0.1"))

    def tally_facts(self) -> list[Fact]:
        return [
            Fact(self.unit_id, self.day, "volunteers.activities", 1),
            Fact(self.unit_id, self.day, "volunteers.served", self.served),
        ]


class HoursStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    RECORDED = "recorded", _("Recorded, awaiting verification")
    VERIFIED = "verified", _("Verified")


@pghistory.track()
class ServiceHours(Versioned, Tallied):
    """One volunteer in one activity: signed up, then their hours recorded, then verified."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="hours")
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="hours"
    )
    # Copied from the activity: the unit and day the hours count at, and the time range that
    # two activities of one volunteer may not share.
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    served_on = models.DateField(_("date"))
    during = DateTimeRangeField(_("service time"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=HoursStatus.choices, default=HoursStatus.SIGNED_UP
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Points credited for these hours so far (a correction credits or takes back the difference).
    points_credited = models.IntegerField(_("points credited"), default=0, editable=False)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("service hours")
        verbose_name_plural = _("service hours")
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=("activity", "volunteer"), name="%(app_label)s_%(class)s_activity_volunteer"
            ),
            ExclusionConstraint(
                name="volunteers_servicehours_no_overlap",
                expressions=[
                    ("volunteer", RangeOperators.EQUAL),
                    ("during", RangeOperators.OVERLAPS),
                ],
                index_type="gist",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__isnull=True) | models.Q(hours__gt=0),
                name="%(app_label)s_%(class)s_hours_positive",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "served_on"], name="volunteers_hours_vol_day")]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.volunteer_id} {self.hours}"

    def tally_facts(self) -> list[Fact]:
        if self.status != HoursStatus.VERIFIED or not self.hours:
            return []
        return [
            Fact(self.unit_id, self.served_on, "volunteers.hours_tenths", int(self.hours * 10)),
            Fact(self.unit_id, self.served_on, "volunteers.attendances", 1),
        ]
