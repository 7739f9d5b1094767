"""A bracelet's alert from arrival to close: taken once by its id, on the grid's list at once;
not taken within the district's minutes, it climbs to the community, then the street (each
step logged); taken and closed with what was done. Low battery and offline mark the bracelet
for maintenance instead."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import (
    MAINTENANCE_KINDS,
    Alert,
    AlertLevel,
    AlertStep,
    CareSettings,
    Device,
    Outcome,
)
from care.roles import Action

__all__ = [
    "Received",
    "alert_acknowledge",
    "alert_close",
    "alert_escalate",
    "alert_receive",
    "escalation_due",
    "device_serviced",
]

Step = AlertStep.Step


@dataclass(frozen=True)
class Received:
    alert: Alert
    created: bool


def escalation_due(alert: Alert) -> datetime:
    """When the alert climbs from its present level if no one takes it."""
    return alert.received_at + timedelta(minutes=alert.window_minutes * (alert.level + 1))


def alert_receive(
    *,
    platform: str,
    external_id: str,
    device: Device,
    kind: str,
    happened_at,
    detail=None,
    now=None,
) -> Received:
    """Store the alert once by the platform's id; a repeat returns the stored one."""
    now = now or timezone.now()
    if stored := Alert.objects.filter(platform=platform, external_id=external_id).first():
        return Received(stored, False)
    try:
        with transaction.atomic(), pghistory.context(reason="care_alert_received"):
            alert = Alert(
                external_id=external_id,
                platform=platform,
                device=device,
                person_id=device.person_id,
                unit_id=device.unit_id,
                kind=kind,
                happened_at=happened_at,
                received_at=now,
                received_on=timezone.localdate(now),
                detail=detail or {},
                window_minutes=CareSettings.current().ack_minutes,
            )
            if kind in MAINTENANCE_KINDS:
                alert.acknowledged_at = alert.closed_at = now
                Device.objects.filter(pk=device.pk).update(
                    needs_care=kind,
                    needs_care_since=now,
                    last_seen_at=now,
                    battery=(detail or {}).get("battery", device.battery),
                )
            alert.save()
            AlertStep.objects.create(alert=alert, step=Step.RECEIVED, level=AlertLevel.GRID, at=now)
            if alert.urgent:
                transaction.on_commit(lambda: _book_escalation(alert))
    except IntegrityError:
        # The same id posted twice at once: the other request stored it.
        return Received(Alert.objects.get(platform=platform, external_id=external_id), False)
    return Received(alert, True)


def _book_escalation(alert: Alert) -> None:
    from care.tasks import escalate_alert

    escalate_alert.using(run_after=escalation_due(alert)).enqueue(
        alert_id=alert.pk, level=alert.level
    )


def alert_escalate(*, alert_id: int, level: int, now=None) -> Alert | None:
    """Climb one level if the alert is still untaken at `level` and its minutes have passed;
    book the next climb. Any number of workers may try: one step per level is stored."""
    now = now or timezone.now()
    with transaction.atomic(), pghistory.context(reason="care_alert_escalated"):
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if (
            alert is None
            or alert.acknowledged_at is not None
            or alert.level != level
            or level >= AlertLevel.STREET
        ):
            return None
        if escalation_due(alert) > now:
            transaction.on_commit(lambda: _book_escalation(alert))  # woken early: wait again
            return None
        alert.level = level + 1
        alert.save(update_fields=["level"])
        AlertStep.objects.create(
            alert=alert,
            step=Step.ESCALATED,
            level=alert.level,
            at=now,
            note=_("Not taken within %(n)s minutes") % {"n": alert.window_minutes},
        )
        if alert.level < AlertLevel.STREET:
            transaction.on_commit(lambda: _book_escalation(alert))
    return alert


def alert_acknowledge(*, by, alert: Alert, now=None) -> Alert:
    if not Alert.objects.allows(by, Action.CARE_KEEP, alert):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="care_alert_taken"):
        current = Alert.objects.select_for_update().get(pk=alert.pk)
        if current.acknowledged_at is not None:
            return current  # someone else took it first: theirs stands
        current.acknowledged_by, current.acknowledged_at = by, now or timezone.now()
        current.save(update_fields=["acknowledged_by", "acknowledged_at"])
        AlertStep.objects.create(
            alert=current,
            step=Step.ACKNOWLEDGED,
            level=current.level,
            by=by,
            at=current.acknowledged_at,
        )
    return current


def alert_close(*, by, alert: Alert, outcome: str, note: str = "", now=None) -> Alert:
    if not Alert.objects.allows(by, Action.CARE_KEEP, alert):
        raise PermissionDenied
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what was done.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="care_alert_closed"):
        current = Alert.objects.select_for_update().get(pk=alert.pk)
        if current.closed_at is not None:
            raise ValidationError({"outcome": _("This alert is already closed.")})
        now = now or timezone.now()
        if current.acknowledged_at is None:  # closing it takes it too
            current.acknowledged_by, current.acknowledged_at = by, now
            AlertStep.objects.create(
                alert=current, step=Step.ACKNOWLEDGED, level=current.level, by=by, at=now
            )
        current.closed_by, current.closed_at = by, now
        current.outcome, current.outcome_note = outcome, note.strip()
        current.save()
        AlertStep.objects.create(
            alert=current,
            step=Step.CLOSED,
            level=current.level,
            by=by,
            at=now,
            note=current.get_outcome_display(),
        )
    return current


def device_serviced(*, by, device: Device) -> None:
    """The battery was charged or the bracelet is back online: off the maintenance list."""
    if not Device.objects.allows(by, Action.CARE_KEEP, device):
        raise PermissionDenied
    with pghistory.context(user=by.pk, reason="care_device_serviced"):
        Device.objects.filter(pk=device.pk).update(needs_care="", needs_care_since=None)
