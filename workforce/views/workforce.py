"""The roster of community and grid workers, their positions and incentives (激励保障)."""

import pghistory
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import choice_labels
from core.forms.base import (
    add_service_errors,
    already_submitted,
    error_summary,
    save_once,
)
from core.forms.fields import UNIT_PICKER, picked_units
from core.models import (
    AdministrativeUnit,
    StaleVersion,
    UnitLevel,
    units_for,
)
from core.privacy import masked_field
from core.timeline import timeline_for
from core.views.access import fragment_or_page
from workforce.forms import (
    IncentiveForm,
    PositionForm,
    WorkerCreateForm,
    WorkerEditForm,
    WorkerFilterForm,
)
from workforce.models import (
    Attendance,
    Competition,
    Entrant,
    Incentive,
    TrainingSession,
    Worker,
    WorkerPosition,
)
from workforce.roles import Action
from workforce.services import worker_save

__all__ = [
    "worker_list",
    "worker_create",
    "worker_detail",
    "worker_edit",
    "incentive_add",
    "position_list",
    "position_toggle",
]


def _worker_for_user(request, pk: int) -> Worker:
    return get_object_or_404(
        Worker.objects.for_user(request.user).select_related("unit", "position"), pk=pk
    )


def worker_list(request: HttpRequest) -> HttpResponse:
    units = units_for(request, Action.VIEW).exclude(level=UnitLevel.GRID)
    units = units.only(*UNIT_PICKER)
    if not units.exists():
        raise Http404
    form = WorkerFilterForm(request.GET or None, units=units)
    workers = (
        Worker.objects.for_user(request.user)
        .select_related("unit", "position")
        .annotate(grid_count=Count("assignments"))
        .order_by("unit__code", "position__order", "name", "id")
    )
    if form.is_bound:
        workers = form.filter(workers) if form.is_valid() else workers.none()
    page = Paginator(workers, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": _worker_rows(page.object_list),
        "query": query.urlencode(),
        "can_manage": units_for(request, Action.MANAGE_WORKFORCE).exists(),
        "can_edit_positions": _is_district_manager(request),
    }
    return render(
        request,
        fragment_or_page(request, "workforce/worker_list.html", "results"),
        context,
    )


def _worker_rows(workers) -> list[tuple]:
    """Each worker with its masked phone, its page and its status's label."""
    status = choice_labels(Worker, "status")
    page = reverse("governance:worker_detail", kwargs={"pk": 0})[:-2]
    return [
        (w, masked_field(w, "phone"), f"{page}{w.pk}/", status.get(w.status, w.status))
        for w in workers
    ]


def _grid_choices(request, unit: AdministrativeUnit | None):
    grids = units_for(request, Action.MANAGE_WORKFORCE).filter(level=UnitLevel.GRID)
    if unit is not None:
        grids = grids.filter(path__startswith=unit.path)
    return grids


def _chosen_unit(request, units) -> AdministrativeUnit | None:
    """The unit the form is about: the posted one, or ?unit= (a pk or a code)."""
    raw = request.POST.get("unit") or request.GET.get("unit") or ""
    if raw.isdigit():
        found = units.filter(Q(pk=int(raw)) | Q(code=raw)).first()
        return found
    return None


def _worker_form_context(request, form, **extra) -> dict:
    # With JavaScript, choosing the unit refreshes the grids offered in place (the same
    # "show the grids" post a plain form makes through its button).
    form.fields["unit"].widget.attrs.update(
        {
            "hx-post": request.path,
            "hx-trigger": "change",
            "hx-vals": '{"refresh": "1"}',
            "hx-target": "#grid-field",
            "hx-select": "#grid-field",
            "hx-swap": "outerHTML",
        }
    )
    return {
        "form": form,
        "error_summary": error_summary([form]) if form.is_bound else [],
        **extra,
    }


@require_http_methods(["GET", "POST"])
def worker_create(request: HttpRequest) -> HttpResponse:
    units = units_for(request, Action.MANAGE_WORKFORCE).exclude(level=UnitLevel.GRID)
    if not units.exists():
        raise Http404
    unit = _chosen_unit(request, units)
    grids = _grid_choices(request, unit)
    refreshing = request.method == "POST" and "refresh" in request.POST
    if request.method == "POST" and not refreshing and (done := already_submitted(request)):
        return redirect(done)
    if request.method == "POST" and not refreshing:
        form = WorkerCreateForm(request.POST, units=units, grids=grids)
        if form.is_valid():
            data = dict(form.cleaned_data)
            key = data.pop("submission_key")
            chosen_grids = list(data.pop("grids"))
            try:
                worker, done = save_once(
                    request,
                    key,
                    lambda: worker_save(by=request.user, data=data, grids=chosen_grids),
                    "governance:worker_list",
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if done:
                    return redirect(done)
                messages.success(request, _("%(name)s added to the roster.") % {"name": worker})
                return redirect(worker.get_absolute_url())
    else:
        initial = {"unit": unit} if unit else {}
        if refreshing:
            initial = {k: v for k, v in request.POST.items() if k not in ("grids", "refresh")}
            initial["qualifications"] = request.POST.getlist("qualifications")
        form = WorkerCreateForm(initial=initial, units=picked_units(request, units), grids=grids)
    context = _worker_form_context(request, form, unit=unit, worker=None)
    return render(request, "workforce/worker_form.html", context)


@require_http_methods(["GET", "POST"])
def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _worker_for_user(request, pk)
    if not AdministrativeUnit.objects.active().allows(
        request.user, Action.MANAGE_WORKFORCE, worker.unit
    ):
        raise Http404
    units = units_for(request, Action.MANAGE_WORKFORCE).exclude(level=UnitLevel.GRID)
    unit = _chosen_unit(request, units) or worker.unit
    grids = _grid_choices(request, unit)
    refreshing = request.method == "POST" and "refresh" in request.POST
    conflict = None
    if request.method == "POST" and not refreshing:
        form = WorkerEditForm(request.POST, units=units, grids=grids)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            chosen_grids = list(data.pop("grids"))
            if not data.get("phone"):
                data["phone"] = worker.phone  # the form never carries the stored number back
            try:
                worker_save(
                    by=request.user, data=data, grids=chosen_grids, worker=worker, version=version
                )
            except StaleVersion as stale:
                conflict = stale.current
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(worker.get_absolute_url())
    elif refreshing:
        initial = {k: v for k, v in request.POST.items() if k not in ("grids", "refresh")}
        initial["qualifications"] = request.POST.getlist("qualifications")
        form = WorkerEditForm(initial=initial, units=units, grids=grids)
    else:
        form = WorkerEditForm(
            initial=_initial(worker), units=picked_units(request, units), grids=grids
        )
    if conflict is not None:
        form = WorkerEditForm(initial=_initial(conflict), units=units, grids=grids)
    context = _worker_form_context(
        request,
        form,
        unit=unit,
        worker=worker,
        conflict=conflict,
        conflict_phone=masked_field(conflict, "phone") if conflict else "",
    )
    return render(
        request,
        "workforce/worker_form.html",
        context,
        status=409 if conflict is not None else 200,
    )


def _initial(worker: Worker) -> dict:
    return {
        "version": worker.version,
        "unit": worker.unit_id,
        "name": worker.name,
        "position": worker.position_id,
        "grids": list(worker.assignments.values_list("grid_id", flat=True)),
        # Personal data is never sent back out: blank keeps the stored number, shown masked.
        "phone": "",
        "qualifications": worker.qualifications,
        "status": worker.status,
        "joined_on": worker.joined_on,
        "left_on": worker.left_on,
    }


def _detail_context(request, worker: Worker, incentive_form=None) -> dict:
    can_manage = AdministrativeUnit.objects.active().allows(
        request.user, Action.MANAGE_WORKFORCE, worker.unit
    )
    history = AdministrativeUnit.objects.active().allows(
        request.user, Action.VIEW_HISTORY, worker.unit_id
    )
    attendances = (
        Attendance.objects.filter(worker=worker)
        .select_related("session__programme")
        .order_by("-session__held_on")
    )
    entries = Entrant.objects.filter(worker=worker).select_related("competition")
    # Sessions and competitions link only where the reader may open them.
    user = request.user
    open_sessions = set(
        TrainingSession.objects.for_user(user)
        .filter(pk__in={a.session_id for a in attendances})
        .values_list("pk", flat=True)
    )
    open_competitions = set(
        (
            Competition.objects.for_user(user, Action.JUDGE)
            | Competition.objects.for_user(user, Action.VIEW)
        )
        .filter(pk__in={e.competition_id for e in entries})
        .values_list("pk", flat=True)
    )
    return {
        "open_sessions": open_sessions,
        "open_competitions": open_competitions,
        "worker": worker,
        "phone": masked_field(worker, "phone"),
        "grids": worker.grids.order_by("code"),
        "attendances": attendances,
        "person_times": sum(1 for a in attendances if a.attended),
        "entries": entries,
        "incentives": worker.incentives.all(),
        "can_manage": can_manage,
        "incentive_form": incentive_form
        or (IncentiveForm(auto_id="incentive_%s") if can_manage else None),
        "timeline": timeline_for(worker) if history else None,
    }


def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _worker_for_user(request, pk)
    return render(request, "workforce/worker_detail.html", _detail_context(request, worker))


@require_POST
def incentive_add(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _worker_for_user(request, pk)
    if not AdministrativeUnit.objects.active().allows(
        request.user, Action.MANAGE_WORKFORCE, worker.unit
    ):
        raise Http404
    if done := already_submitted(request):
        return redirect(done)
    form = IncentiveForm(request.POST, auto_id="incentive_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        with pghistory.context(user=request.user.pk, reason="incentive"):
            _incentive, done = save_once(
                request,
                key,
                lambda: Incentive.objects.create(worker=worker, created_by=request.user, **data),
                worker,
                result=lambda _incentive: worker.get_absolute_url() + "#incentives",
            )
        if done:
            return redirect(done)
        messages.success(request, _("Incentive recorded."))
        return redirect(worker.get_absolute_url() + "#incentives")
    context = _detail_context(request, worker, incentive_form=form)
    return render(request, "workforce/worker_detail.html", context)


def _is_district_manager(request) -> bool:
    return (
        request.user.is_superuser
        or units_for(request, Action.MANAGE_WORKFORCE).filter(parent__isnull=True).exists()
    )


@require_http_methods(["GET", "POST"])
def position_list(request: HttpRequest) -> HttpResponse:
    """The list of positions is the district's: only the district department edits it."""
    if not _is_district_manager(request):
        raise Http404
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with pghistory.context(user=request.user.pk, reason="position_add"):
            form.save()
        return redirect("governance:position_list")
    positions = WorkerPosition.objects.annotate(holders=Count("worker"))
    return render(request, "workforce/position_list.html", {"form": form, "positions": positions})


@require_POST
def position_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    if not _is_district_manager(request):
        raise Http404
    position = get_object_or_404(WorkerPosition, pk=pk)
    with pghistory.context(user=request.user.pk, reason="position_toggle"):
        position.active = not position.active
        position.save(update_fields=["active"])
    return redirect("governance:position_list")
