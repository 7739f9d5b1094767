"""Periodic work is scheduled by the task queue: a worker's start makes every periodic task due
once, and each run books the next as it begins, so the daily disclosure dues come back the next
day by themselves, even after a run that failed."""

from datetime import date, datetime, time, timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import periodic
from disclosure.models import DisclosureDue, DisclosureItem
from disclosure.tasks import disclosure_dues
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def pending(task) -> list[datetime]:
    return list(
        DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY
        ).values_list("run_after", flat=True)
    )


def tomorrow_at_five_past_midnight() -> datetime:
    return timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(0, 5))
    )


def test_every_worker_start_makes_each_periodic_task_due_once():
    before = timezone.now()
    periodic.book_all()
    periodic.book_all()  # a second worker starting: nothing twice
    paths = {p.task.module_path for p in periodic.registered()}
    assert {"disclosure.tasks.disclosure_dues", "volunteers.tasks.resume_stalled_imports"} <= paths
    for p in periodic.registered():
        [when] = pending(p.task)
        assert before <= when <= timezone.now()


def test_a_pending_run_booked_for_later_is_brought_forward_by_a_worker_start():
    disclosure_dues.using(run_after=tomorrow_at_five_past_midnight()).enqueue()
    periodic.book_all()
    [when] = pending(disclosure_dues)
    assert when <= timezone.now()


def test_the_dues_run_makes_periods_due_and_books_itself_for_tomorrow(district):
    DisclosureItem.objects.create(
        unit=district.liuqiaoyu,
        category="finance",
        title="财务收支",
        cadence="monthly",
        starts_on=date(2026, 1, 1),
    )
    periodic.book_all()
    run_queued_tasks()
    assert DisclosureDue.objects.exists()
    run = DBTaskResult.objects.get(
        task_path=disclosure_dues.module_path, status=TaskResultStatus.SUCCESSFUL
    )
    assert run.return_value == DisclosureDue.objects.count()
    assert pending(disclosure_dues) == [tomorrow_at_five_past_midnight()]


def test_a_failed_run_still_leaves_the_next_one_booked(monkeypatch):
    def broken(items, today=None):
        raise RuntimeError("the database said no")

    monkeypatch.setattr("disclosure.tasks.dues_ensure", broken)
    disclosure_dues.enqueue()
    run_queued_tasks()
    failed = DBTaskResult.objects.filter(
        task_path=disclosure_dues.module_path, status=TaskResultStatus.FAILED
    )
    assert failed.count() == 1
    assert pending(disclosure_dues) == [tomorrow_at_five_past_midnight()]


@pytest.mark.parametrize(
    "now, expected",
    [
        (datetime(2026, 3, 1, 0, 4), datetime(2026, 3, 1, 0, 5)),
        (datetime(2026, 3, 1, 0, 5), datetime(2026, 3, 2, 0, 5)),
        (datetime(2026, 12, 31, 23, 59), datetime(2027, 1, 1, 0, 5)),
    ],
)
def test_daily_runs_fall_at_the_local_hour(now, expected):
    next_run = periodic.daily_at(time(0, 5))
    assert next_run(timezone.make_aware(now)) == timezone.make_aware(expected)
