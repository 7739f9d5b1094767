"""Work that recurs, scheduled by the task queue itself rather than by cron.

Each app registers its periodic tasks from `AppConfig.ready()` with a rule for the next run.
A periodic task has at most one pending run in the queue. A worker's start makes that run due at
once (so a machine that was down catches up), and each run books the next as it begins, so a
worker killed in the middle of one does not end the series.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.dispatch import receiver
from django.tasks import Task, TaskResultStatus
from django.tasks.signals import task_started
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

__all__ = ["Periodic", "book", "book_all", "daily_at", "every", "register", "registered"]


@dataclass(frozen=True)
class Periodic:
    task: Task
    next_run: Callable[[datetime], datetime]  # the moment after the given one to run again


_PERIODIC: dict[str, Periodic] = {}


def register(task: Task, next_run: Callable[[datetime], datetime]) -> None:
    _PERIODIC[task.module_path] = Periodic(task, next_run)


def registered() -> list[Periodic]:
    return list(_PERIODIC.values())


def every(interval: timedelta) -> Callable[[datetime], datetime]:
    return lambda moment: moment + interval


def daily_at(at: time) -> Callable[[datetime], datetime]:
    """The next `at` o'clock, local time (Asia/Shanghai), after the given moment."""

    def next_run(moment: datetime) -> datetime:
        local = timezone.localtime(moment)
        run = timezone.make_aware(datetime.combine(local.date(), at))
        return (
            run
            if run > moment
            else timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), at))
        )

    return next_run


def book(periodic: Periodic, when: datetime, *, sooner: bool = False) -> None:
    """Make sure the task has one pending run; with `sooner`, a later pending run moves to
    `when`. Workers on several machines may do this at once: a lock makes them take turns."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            key = periodic.task.module_path
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        pending = DBTaskResult.objects.filter(
            task_path=periodic.task.module_path, status=TaskResultStatus.READY
        )
        if not pending.exists():
            periodic.task.using(run_after=when).enqueue()
        elif sooner:
            pending.filter(run_after__gt=when).update(run_after=when)


def book_all() -> None:
    """What a worker does as it starts: every periodic task is due now."""
    now = timezone.now()
    for periodic in registered():
        book(periodic, now, sooner=True)


@receiver(task_started)
def _book_next(sender, task_result, **kwargs) -> None:
    periodic = _PERIODIC.get(task_result.task.module_path)
    if periodic is not None and isinstance(task_result.task.get_backend(), DatabaseBackend):
        book(periodic, periodic.next_run(timezone.now()))
