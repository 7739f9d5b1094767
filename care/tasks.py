"""The care app's background work, run by `manage.py db_worker`: an alert's climb to the next
level, booked for the moment its minutes run out, and two periodic sweeps: one that climbs any
alert whose booked run was lost (a worker killed as it enqueued), and the nightly marking of
visits that fell overdue."""

from datetime import time, timedelta

from django.tasks import task
from django.utils import timezone

from care.models import Alert, AlertLevel
from care.services.alerts import alert_escalate, escalation_due
from care.services.people import mark_overdue
from core import periodic

__all__ = ["escalate_alert", "escalate_missed", "mark_visits_overdue"]


@task
def escalate_alert(*, alert_id: int, level: int) -> bool:
    return alert_escalate(alert_id=alert_id, level=level) is not None


@task
def escalate_missed() -> int:
    """Untaken alerts whose climb is more than a minute late."""
    now = timezone.now()
    climbed = 0
    waiting = Alert.objects.filter(
        acknowledged_at__isnull=True, level__lt=AlertLevel.STREET, received_at__lt=now
    ).only("pk", "level", "received_at", "window_minutes")
    for alert in waiting:
        if escalation_due(alert) + timedelta(minutes=1) <= now:
            climbed += alert_escalate(alert_id=alert.pk, level=alert.level, now=now) is not None
    return climbed


@task
def mark_visits_overdue() -> int:
    return mark_overdue()


periodic.register(escalate_missed, periodic.every(timedelta(minutes=1)))
periodic.register(mark_visits_overdue, periodic.daily_at(time(0, 5)))
