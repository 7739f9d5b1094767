"""A large export's page: where its worker stands (polled with htmx), then the file. Both answer
only the user who asked for it; anyone else gets a 404."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.exports import CSV, XLSX
from core.models import ExportJob
from core.tasks import export_resume
from core.views.access import fragment_or_page

__all__ = ["export_detail", "export_download"]

TYPES = {".xlsx": XLSX, ".csv": CSV}


def _job(request: HttpRequest, pk: int) -> ExportJob:
    job = get_object_or_404(ExportJob, pk=pk, by=request.user)
    if job.expired:
        raise Http404
    return job


def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.stalled and export_resume(job):
        job.refresh_from_db()
    template = fragment_or_page(request, "core/export_detail.html", "progress")
    return render(request, template, {"job": job})


def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if (
        job.status != ExportJob.Status.DONE
        or not job.file
        or not job.file.storage.exists(job.file.name)
    ):
        raise Http404  # not written yet, or its file is gone (pruned, or media lost)
    suffix = job.filename[job.filename.rfind(".") :].lower()
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=TYPES.get(suffix, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response
