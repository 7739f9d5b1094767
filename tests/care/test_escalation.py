"""An alert nobody takes climbs to the community after the district's minutes, then to the
street, with each step logged, run by django-tasks-db's real worker loop; a taken alert stays."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from care.models import Alert, AlertKind, AlertLevel, AlertStep, CareSettings
from care.services.alerts import alert_acknowledge, alert_close, alert_receive
from core.metrics.drills import drill_for
from core.metrics.registry import Period, evaluate, metric
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def receive(care, external_id: str, minutes_ago: float, kind=AlertKind.SOS, capture=None):
    now = timezone.now() - timedelta(minutes=minutes_ago)
    with capture(execute=True):
        return alert_receive(
            platform="test",
            external_id=external_id,
            device=care.bracelet,
            kind=kind,
            happened_at=now,
            now=now,
        ).alert


def levels(alert) -> list[tuple[str, int]]:
    return list(alert.steps.values_list("step", "level"))


def test_an_untaken_sos_reaches_the_community_after_the_set_minutes(
    care, django_capture_on_commit_callbacks
):
    CareSettings.objects.update(ack_minutes=5)
    alert = receive(care, "S-1", 5.5, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()
    alert.refresh_from_db()
    assert alert.level == AlertLevel.COMMUNITY
    assert levels(alert) == [("received", 0), ("escalated", 1)]
    # The climb to the street is booked for ten minutes after arrival, not yet due.
    pending = DBTaskResult.objects.filter(task_path="care.tasks.escalate_alert", status="READY")
    assert pending.get().run_after == alert.received_at + timedelta(minutes=10)


def test_it_climbs_to_the_street_when_the_community_does_not_take_it_either(
    care, django_capture_on_commit_callbacks
):
    alert = receive(care, "S-2", 11, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()
    alert.refresh_from_db()
    assert alert.level == AlertLevel.STREET
    assert levels(alert) == [("received", 0), ("escalated", 1), ("escalated", 2)]
    assert evaluate(
        care.elder.unit, Period(timezone.localdate(), timezone.localdate()),
        [metric("care.escalations")],
    ) == {"care.escalations": 2}  # fmt: skip
    today = Period(timezone.localdate(), timezone.localdate())
    drill = drill_for("care.escalations")
    assert drill.total(drill.records(care.elder.unit, today)) == 2


def test_it_does_not_climb_before_its_minutes(care, django_capture_on_commit_callbacks):
    alert = receive(care, "S-3", 4, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()
    alert.refresh_from_db()
    assert alert.level == AlertLevel.GRID


def test_a_taken_alert_does_not_climb(care, people, django_capture_on_commit_callbacks):
    alert = receive(care, "S-4", 6, capture=django_capture_on_commit_callbacks)
    alert_acknowledge(by=people.grid_worker, alert=alert)
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()
    alert.refresh_from_db()
    assert alert.level == AlertLevel.GRID
    assert not AlertStep.objects.filter(step="escalated").exists()


def test_taking_and_closing_feed_the_figures(care, people, client_for):
    late = receive(care, "S-5", 12, capture=_nothing)
    prompt = receive(care, "S-6", 1, capture=_nothing)
    alert_acknowledge(by=people.grid_worker, alert=late)
    alert_acknowledge(by=people.grid_worker, alert=prompt)
    closed = alert_close(by=people.grid_worker, alert=prompt, outcome="family_called")
    assert closed.steps.last().step == "closed"
    today = Period(timezone.localdate(), timezone.localdate())
    figures = evaluate(
        care.elder.unit,
        today,
        [metric("care.alerts"), metric("care.alerts_in_window"), metric("care.ack_minutes")],
    )
    assert figures["care.alerts"] == 2
    assert figures["care.alerts_in_window"] == 50
    assert figures["care.ack_minutes"] == (1 + 12) / 2


def test_closing_from_the_alert_page(care, people, client_for):
    alert = receive(care, "S-7", 1, capture=_nothing)
    worker = client_for(people.grid_worker)
    bad = worker.post(f"/care/alerts/{alert.pk}/close/", {"outcome": "prayed"})
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    assert Alert.objects.get().closed_at is None
    done = worker.post(f"/care/alerts/{alert.pk}/close/", {"outcome": "visited", "note": "已上门"})
    assert done.status_code == 302
    assert Alert.objects.get().outcome == "visited"
    outsider = client_for(people.wenyuan_official)
    assert outsider.get(f"/care/alerts/{alert.pk}/").status_code == 404
    assert outsider.post(f"/care/alerts/{alert.pk}/take/").status_code == 404


class _nothing:  # noqa: N801 -- stands in for the on-commit capture where nothing is booked
    def __init__(self, execute=False):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
