"""智慧养老手环: bracelets bound to people, the alerts their platform sends, and each step an
alert climbs (grid → community → street) until someone takes it."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from care.models.registry import CarePerson, UnitScoped
from core.models import AdministrativeUnit, Fact, Tallied

__all__ = [
    "ACK_MINUTES_CAP",
    "MAINTENANCE_KINDS",
    "Alert",
    "AlertKind",
    "AlertLevel",
    "AlertStep",
    "Device",
    "Outcome",
    "ack_minutes_key",
]

# Minutes to acknowledge are tallied as a histogram "care.ack_minutes.<n>", n capped here.
ACK_MINUTES_CAP = 240


def ack_minutes_key(minutes: int) -> str:
    return f"care.ack_minutes.{min(max(minutes, 0), ACK_MINUTES_CAP)}"


class AlertKind(models.TextChoices):
    SOS = "sos", _("SOS call")
    FALL = "fall", _("Fall detected")
    NO_MOVEMENT = "no_movement", _("No movement for too long")
    HEART_RATE = "heart_rate", _("Abnormal heart rate")
    LEFT_AREA = "left_area", _("Left the safe area")
    LOW_BATTERY = "low_battery", _("Low battery")
    OFFLINE = "offline", _("Device offline")


# Not an emergency: the bracelet needs looking after (the maintenance list).
MAINTENANCE_KINDS = {AlertKind.LOW_BATTERY, AlertKind.OFFLINE}


class AlertLevel(models.IntegerChoices):
    GRID = 0, _("Grid")
    COMMUNITY = 1, _("Community")
    STREET = 2, _("Street")


class Outcome(models.TextChoices):
    VISITED = "visited", _("Visited at home")
    FAMILY_CALLED = "family_called", _("Family called")
    AMBULANCE = "ambulance", _("120 called")
    FALSE_ALARM = "false_alarm", _("False alarm")


@pghistory.track()
class Device(models.Model):
    serial = models.CharField(_("device number"), max_length=64, unique=True)
    person = models.ForeignKey(
        CarePerson,
        verbose_name=_("worn by"),
        on_delete=models.PROTECT,
        related_name="devices",
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    bound_on = models.DateField(_("bound on"), default=timezone.localdate)
    battery = models.PositiveSmallIntegerField(_("battery (%)"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last heard from"), null=True, blank=True)
    # Low battery or offline, until someone sees to it.
    needs_care = models.CharField(
        _("needs maintenance"), max_length=16, choices=AlertKind.choices, blank=True
    )
    needs_care_since = models.DateTimeField(
        _("needs maintenance since"), null=True, blank=True, editable=False
    )

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("smart elderly-care bracelet")
        verbose_name_plural = _("smart elderly-care bracelets")
        ordering = ["serial"]

    def __str__(self) -> str:
        return self.serial


@pghistory.track()
class Alert(Tallied):
    external_id = models.CharField(_("platform's alert id"), max_length=64)
    platform = models.CharField(_("platform"), max_length=32)
    device = models.ForeignKey(
        Device, verbose_name=_("bracelet"), on_delete=models.PROTECT, related_name="alerts"
    )
    person = models.ForeignKey(
        CarePerson,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="alerts",
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of alert"), max_length=16, choices=AlertKind.choices)
    happened_at = models.DateTimeField(_("happened at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    received_on = models.DateField(_("received on"), default=timezone.localdate, editable=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    level = models.PositiveSmallIntegerField(
        _("level reached"), choices=AlertLevel.choices, default=AlertLevel.GRID
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    acknowledged_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("what was done"), blank=True)
    # The minutes the district allowed when it arrived: "acknowledged within the window" keeps it.
    window_minutes = models.PositiveSmallIntegerField(_("minutes allowed"), default=5)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-received_at", "-pk"]
        constraints = [
            # Each platform's alert is taken once by its id, however often it is sent.
            models.UniqueConstraint(
                fields=("platform", "external_id"), name="%(app_label)s_%(class)s_platform_alert_id"
            )
        ]
        indexes = [
            models.Index(
                fields=["unit", "-received_at"],
                name="care_alert_open",
                condition=models.Q(closed_at__isnull=True),
            ),
            # The escalation sweep's scan: untaken alerts below the street, oldest first.
            models.Index(
                fields=["received_at"],
                name="care_alert_untaken",
                condition=models.Q(acknowledged_at__isnull=True, level__lt=AlertLevel.STREET),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person or self.device}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("care:alert", kwargs={"pk": self.pk})

    @property
    def urgent(self) -> bool:
        return self.kind not in MAINTENANCE_KINDS

    @property
    def minutes_to_acknowledge(self) -> int | None:
        if self.acknowledged_at is None:
            return None
        return int((self.acknowledged_at - self.received_at).total_seconds() // 60)

    def tally_facts(self) -> list[Fact]:
        if not self.urgent:
            return []
        day = self.received_on
        facts = [Fact(self.unit_id, day, "care.alerts", 1)]
        minutes = self.minutes_to_acknowledge
        if minutes is not None:
            facts.append(Fact(self.unit_id, day, ack_minutes_key(minutes), 1))
            if minutes < self.window_minutes:
                facts.append(Fact(self.unit_id, day, "care.alerts_ack_in_window", 1))
        return facts


class AlertStep(Tallied):
    """Each step of an alert's life: received, climbed a level, taken, closed. Never edited."""

    class Step(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("alert step", "Received")
        ESCALATED = "escalated", _("Escalated")
        ACKNOWLEDGED = "acknowledged", _("Taken")
        CLOSED = "closed", _("Closed")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=AlertLevel.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("alert step")
        verbose_name_plural = _("alert steps")
        ordering = ["at", "pk"]
        constraints = [
            # An alert climbs to each level once, whatever number of workers run the escalation.
            models.UniqueConstraint(
                fields=("alert", "level"),
                condition=models.Q(step="escalated"),
                name="%(app_label)s_%(class)s_one_escalation_per_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.step} {self.level}"

    def tally_facts(self) -> list[Fact]:
        if self.step != self.Step.ESCALATED:
            return []
        return [Fact(self.alert.unit_id, timezone.localdate(self.at), "care.escalations", 1)]
