"""Importing volunteer rolls: the upload starts a background job; its page shows progress
(polled with htmx) and the report of bad rows. The official may leave and come back."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.models import UnitLevel, units_for
from core.views.access import fragment_or_page
from volunteers.forms.volunteers import ImportForm
from volunteers.models import ImportJob
from volunteers.roles import Action
from volunteers.services.imports import import_resume, import_start


def _units(request):
    return units_for(request, Action.MANAGE_VOLUNTEERS).exclude(level=UnitLevel.GRID)


@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    units = _units(request)
    if not units.exists():
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        job = import_start(
            by=request.user, unit=form.cleaned_data["unit"], upload=form.cleaned_data["file"]
        )
        return redirect("volunteers:import_detail", pk=job.pk)
    if units.count() == 1:
        form.fields["unit"].initial = units.first()
    jobs = ImportJob.objects.for_user(request.user).select_related("unit")[:20]
    return render(request, "volunteers/import_form.html", {"form": form, "jobs": jobs})


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not _units(request).exists():
        raise Http404
    job = get_object_or_404(ImportJob.objects.for_user(request.user).select_related("unit"), pk=pk)
    template = fragment_or_page(request, "volunteers/import_detail.html", "progress")
    return render(request, template, {"job": job})


@require_POST
def import_continue(request: HttpRequest, pk: int) -> HttpResponse:
    """Go on with a job whose worker died (the server restarted under it)."""
    if not _units(request).exists():
        raise Http404
    job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
    import_resume(job)  # if someone else already took it over, their run is the one shown
    return redirect("volunteers:import_detail", pk=job.pk)
