"""The sweep that takes over imports whose worker died queues a job again only when it stopped
beating, no live worker holds it and no run of it waits already; a run never touches a job that
another worker holds or that is finished. (A real worker killed mid-import: test_import_worker.)"""

from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from volunteers.models import ImportJob
from volunteers.tasks import _IMPORT_LOCK, import_roll, resume_stalled_imports

pytestmark = pytest.mark.django_db


def job(district, people, *, silent_for: timedelta, status=ImportJob.Status.RUNNING):
    made = ImportJob.objects.create(
        unit=district.wenyuan,
        by=people.wenyuan_official,
        filename="roll.csv",
        status=status,
        processed=4000,
        created=4000,
    )
    ImportJob.objects.filter(pk=made.pk).update(
        heartbeat_at=timezone.now() - silent_for, started_at=timezone.now() - silent_for
    )
    return made


def runs(job_id: int, status: str) -> int:
    return DBTaskResult.objects.filter(
        task_path=import_roll.module_path, status=status, args_kwargs__args=[job_id]
    ).count()


def dead_run(job_id: int) -> None:
    """A run whose worker was killed: the queue still has it running."""
    result = import_roll.enqueue(job_id)
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.RUNNING)


@pytest.fixture
def live_worker():
    """Another process's connection, holding a job's lock the way a running import does."""
    db = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"]
    )
    with psycopg.connect(conninfo, port=db["PORT"] or None, autocommit=True) as other:

        def hold(job_id: int) -> None:
            other.execute("SELECT pg_advisory_lock(%s, %s)", [_IMPORT_LOCK, job_id])

        yield hold


def test_a_silent_job_is_queued_again_once_and_its_dead_run_is_marked(district, people):
    stalled = job(district, people, silent_for=timedelta(minutes=3))
    dead_run(stalled.pk)
    assert resume_stalled_imports.call() == 1
    assert runs(stalled.pk, TaskResultStatus.READY) == 1
    assert runs(stalled.pk, TaskResultStatus.FAILED) == 1  # the dead worker's run
    assert runs(stalled.pk, TaskResultStatus.RUNNING) == 0
    assert resume_stalled_imports.call() == 0  # taken over: beating again, and queued
    assert runs(stalled.pk, TaskResultStatus.READY) == 1


def test_a_job_still_beating_is_left_alone(district, people):
    beating = job(district, people, silent_for=timedelta(seconds=30))
    assert resume_stalled_imports.call() == 0
    assert runs(beating.pk, TaskResultStatus.READY) == 0


def test_a_job_a_live_worker_holds_is_left_alone_however_silent(district, people, live_worker):
    held = job(district, people, silent_for=timedelta(minutes=10))
    dead_run(held.pk)
    live_worker(held.pk)
    assert resume_stalled_imports.call() == 0
    assert runs(held.pk, TaskResultStatus.RUNNING) == 1


def test_a_waiting_job_whose_run_is_still_queued_is_not_queued_twice(district, people):
    waiting = job(
        district, people, silent_for=timedelta(minutes=5), status=ImportJob.Status.WAITING
    )
    import_roll.enqueue(waiting.pk)
    assert resume_stalled_imports.call() == 0
    assert runs(waiting.pk, TaskResultStatus.READY) == 1


def test_a_run_leaves_a_job_held_elsewhere_or_finished_alone(district, people, live_worker):
    held = job(district, people, silent_for=timedelta(minutes=10))
    live_worker(held.pk)
    import_roll.call(held.pk)
    held.refresh_from_db()
    assert (held.status, held.processed) == (ImportJob.Status.RUNNING, 4000)

    done = job(district, people, silent_for=timedelta(minutes=10), status=ImportJob.Status.DONE)
    import_roll.call(done.pk)
    done.refresh_from_db()
    assert (done.status, done.processed, done.message) == (ImportJob.Status.DONE, 4000, "")
