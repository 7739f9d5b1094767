"""Pages that hand an upload to the task queue and show the run's outcome when it is done: the
run is named in the page's address (?task=…) and shown only to the user who started it."""

from pathlib import Path
from uuid import uuid4

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest
from django.tasks import Task, TaskResult
from django.tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch
from django.utils.translation import get_language

__all__ = ["queue_upload", "queued_run"]


def queue_upload(request: HttpRequest, task: Task, upload) -> TaskResult:
    """Keep the upload in storage for whichever worker takes the task, and queue it."""
    suffix = Path(upload.name).suffix.lower()[:8]
    kept = default_storage.save(f"imports/{uuid4().hex}{suffix}", upload)
    return task.enqueue(
        by_id=request.user.pk, upload=kept, filename=upload.name[-200:], language=get_language()
    )


def queued_run(request: HttpRequest, task: Task) -> TaskResult | None:
    """The run of `task` that the address names, if any; someone else's is a 404."""
    ident = request.GET.get("task")
    if ident is None:
        return None
    try:
        run = task.get_result(ident)
    except (TaskResultDoesNotExist, TaskResultMismatch):
        raise Http404 from None
    if run.kwargs.get("by_id") != request.user.pk:
        raise Http404
    return run
