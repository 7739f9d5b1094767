"""The volunteer app's background work, run by `manage.py db_worker` in worker processes.

A roll import runs as one task. A worker killed in the middle of one leaves its job beating no
more (and its task marked running for ever: django-tasks-db does not know its worker died); the
sweep below, a periodic task that every worker also runs as it starts, queues such a job again,
and the new run goes on from the job's last committed batch.
"""

from contextlib import contextmanager, suppress
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import periodic
from volunteers.models import ImportJob
from volunteers.services.imports import import_resume, import_run

__all__ = ["WorkerLost", "import_roll", "resume_stalled_imports"]

# The first key of the PostgreSQL advisory lock that the worker running a job holds.
_IMPORT_LOCK = 0x0C0117


class WorkerLost(Exception):
    """What a run whose worker died is marked with once its job is taken over."""


@contextmanager
def _holding(job_id: int):
    """Hold the job's lock while running it, if no one else does. PostgreSQL lets go of it when
    the worker's connection ends, killed or not."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_IMPORT_LOCK, job_id])
        ours = cursor.fetchone()[0]
    try:
        yield ours
    finally:
        if ours:
            with suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_IMPORT_LOCK, job_id])


def _discard_file(job_id: int) -> None:
    """The roll holds unmasked personal data: once read, it is not kept."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and job.file:
        job.file.delete(save=True)


@task
def import_roll(job_id: int) -> None:
    """Run an import job; one with committed batches (its last worker died) goes on from the
    last of them. A job another worker is running, or one that is finished, is left alone."""
    with _holding(job_id) as ours:
        if not ours:
            return
        job = ImportJob.objects.filter(pk=job_id).first()
        if job is None or job.finished:
            return
        import_run(job_id, resume=job.processed > 0)
        _discard_file(job_id)


def _runs(job_id: int, status: TaskResultStatus):
    return DBTaskResult.objects.filter(
        task_path=import_roll.module_path, status=status, args_kwargs__args=[job_id]
    )


def _running_elsewhere(job_id: int) -> bool:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_IMPORT_LOCK, job_id])
        return not cursor.fetchone()[0]


@task
def resume_stalled_imports() -> int:
    """Queue again every import whose worker died: it stopped beating, no worker holds it and no
    run of it waits in the queue. Returns how many were taken over."""
    resumed = 0
    for job in ImportJob.objects.filter(
        status__in=(ImportJob.Status.WAITING, ImportJob.Status.RUNNING)
    ):
        if not job.stalled or _running_elsewhere(job.pk):
            continue
        if _runs(job.pk, TaskResultStatus.READY).exists():
            continue
        with transaction.atomic():
            if not import_resume(job):
                continue
            _runs(job.pk, TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback="The worker running this task stopped; its job was queued again.",
            )
            resumed += 1
    return resumed


periodic.register(resume_stalled_imports, periodic.every(timedelta(minutes=1)))
