"""Core's background work, run by `manage.py db_worker` (see core.periodic); each app keeps its
own in its tasks.py.

The unit import reads a file the request kept in storage (deleted once read) and returns its
report, which the import page shows when the run is finished."""

import logging
from dataclasses import asdict
from datetime import time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Q
from django.http import Http404, HttpRequest, QueryDict
from django.tasks import TaskResultStatus, task
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from core import periodic
from core.models import ExportJob, User
from core.services import unit_import

__all__ = [
    "export_resume",
    "import_units",
    "prune_exports",
    "prune_task_results",
    "resume_stalled_exports",
    "run_export",
    "units_report",
]

log = logging.getLogger(__name__)

KEEP_TASK_RESULTS_DAYS = 14


@task
def prune_task_results() -> None:
    """Finished tasks are kept for two weeks in the queue's table, then deleted."""
    call_command("prune_db_task_results", min_age_days=KEEP_TASK_RESULTS_DAYS, verbosity=0)


@task
def import_units(*, by_id: int, upload: str, filename: str, language: str) -> dict:
    by = User.objects.get(pk=by_id)
    with translation.override(language):
        try:
            with default_storage.open(upload) as file:
                data = file.read(unit_import.MAX_IMPORT_BYTES + 1)
        finally:
            default_storage.delete(upload)
        report = unit_import.unit_import(by=by, data=data)
    return asdict(report)


def units_report(value: dict) -> unit_import.ImportReport:
    errors = [unit_import.LineError(**error) for error in value["errors"]]
    return unit_import.ImportReport(
        created=value["created"],
        unchanged=value.get("unchanged", 0),
        lines=value["lines"],
        errors=errors,
    )


def _export_request(job: ExportJob) -> HttpRequest:
    """The request the export's page would have had: its address, its filters, its user."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    request.GET = QueryDict(job.query)
    request.META = {"REQUEST_METHOD": "GET", "QUERY_STRING": job.query}
    request.user = job.by
    request.LANGUAGE_CODE = job.language
    request.export_job = job
    return request


@task
def run_export(job_id: int) -> None:
    """Write a queued export: run the export's own view on the job's address for the user who
    asked, and keep the file it answers for them. A job already taken is left alone."""
    taken = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.WAITING).update(
        status=ExportJob.Status.RUNNING, heartbeat_at=timezone.now()
    )
    if not taken:
        return
    job = ExportJob.objects.select_related("by").get(pk=job_id)
    failed = None
    with translation.override(job.language):
        try:
            match = resolve(job.path)
            response = match.func(_export_request(job), *match.args, **match.kwargs)
            if response.status_code != 200 or not hasattr(response, "download_name"):
                raise Http404
        except Http404:
            failed = _("You may no longer export these records.")
        except Exception:
            log.exception("export %s failed", job_id)
            failed = _("The export could not be written. Try again, or narrow the filter.")
    if failed:
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, message=failed, finished_at=timezone.now()
        )
        return
    job.file.save(f"{job.pk}-{response.download_name}", ContentFile(response.content), save=False)
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE,
        file=job.file.name,
        filename=response.download_name[:200],
        processed=job.total,
        finished_at=timezone.now(),
    )


def export_resume(job: ExportJob) -> bool:
    """Queue a stalled export again (its worker died): the file is written from the start.
    False when it is not stalled, or when someone else has just taken it over."""
    cutoff = timezone.now() - ExportJob.STALLED_AFTER
    claimed = (
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING)
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None, started_at__lt=cutoff))
        .update(status=ExportJob.Status.WAITING, processed=0, heartbeat_at=timezone.now())
    )
    if claimed:
        DBTaskResult.objects.filter(
            task_path=run_export.module_path,
            status=TaskResultStatus.RUNNING,
            args_kwargs__args=[job.pk],
        ).update(status=TaskResultStatus.FAILED, finished_at=timezone.now())
        run_export.enqueue(job.pk)
    return bool(claimed)


@task
def resume_stalled_exports() -> int:
    """Queue again every export whose worker died, even if no one is looking at its page: the
    file is then ready when they come back for it. Returns how many were queued."""
    resumed = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.RUNNING):
        if job.stalled:
            resumed += export_resume(job)
    return resumed


@task
def prune_exports() -> int:
    """Exports hold personal data, masked or not: a day after it was asked for, a file is
    deleted with its job."""
    old = ExportJob.objects.filter(started_at__lt=timezone.now() - ExportJob.KEEP)
    for job in old:
        if job.file:
            job.file.delete(save=False)
    return old.delete()[0]


periodic.register(prune_task_results, periodic.daily_at(time(3, 0)))
periodic.register(prune_exports, periodic.every(timedelta(hours=1)))
periodic.register(resume_stalled_exports, periodic.every(timedelta(minutes=1)))
