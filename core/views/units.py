from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.base import (
    add_service_errors,
    already_submitted,
    save_once,
)
from core.forms.units import (
    UnitCreateForm,
    UnitEditForm,
    UnitImportForm,
    UnitMoveForm,
    UnitRetireForm,
)
from core.groups import Group
from core.metrics import Period, evaluate, metrics
from core.models import AdministrativeUnit, StaleVersion, may
from core.models.units import PARENT_LEVELS
from core.roles import Action
from core.services.units import (
    unit_create,
    unit_move,
    unit_reinstate,
    unit_retire,
    unit_update,
)
from core.tasks import import_units, units_report
from core.timeline import timeline_for
from core.views.access import breadcrumbs, fragment_or_page, unit_for_user
from core.views.queued import queue_upload, queued_run

__all__ = [
    "unit_detail",
    "unit_children",
    "unit_tree",
    "unit_create_view",
    "unit_edit",
    "unit_move_view",
    "unit_retire_view",
    "unit_reinstate_view",
    "unit_import_view",
]


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code)
    today = timezone.localdate()
    figures = evaluate(unit, Period(today.replace(month=1, day=1), today))
    context = {
        "unit": unit,
        "breadcrumbs": breadcrumbs(request, unit),
        "children": AdministrativeUnit.objects.filter(parent=unit).with_child_counts(),
        **_figure_groups([(m, v) for m in metrics() if (v := figures.get(m.key)) is not None]),
        "can_manage": may(request.user, Action.MANAGE_UNITS, unit),
        "timeline": timeline_for(unit) if may(request.user, Action.VIEW_HISTORY, unit) else None,
    }
    return render(request, "core/unit_detail.html", context)


def _figure_groups(figures: list) -> dict:
    """The unit's figures as the dashboard groups them: the headline ones first, then a folded
    section a group, its non-zero figures as cards and the zero ones named in one line."""
    groups = []
    for group in Group:
        inside = [(m, v) for m, v in figures if m.group == group and not m.headline]
        if inside:
            shown = [(m, v) for m, v in inside if v]
            zeros = [m.label for m, v in inside if not v]
            groups.append({"label": group.label, "figures": shown, "zeros": zeros})
    headline = [(m, v) for m, v in figures if m.headline]
    return {"figures": figures, "headline_figures": headline, "figure_groups": groups}


def unit_children(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code)
    if not request.htmx:
        return redirect(f"{reverse('governance:unit_tree')}?open={unit.code}")
    children = AdministrativeUnit.objects.filter(parent=unit).active().with_child_counts()
    context = {"parent": unit, "nodes": children, "opened": set(), "children": {}}
    return render(request, "core/unit_tree.html#branch", context)


def unit_tree(request: HttpRequest) -> HttpResponse:
    """The user's own units as roots; ?open=CODE opens the path down to a unit, without JS."""
    scoped = AdministrativeUnit.objects.for_user(request.user)
    roots = scoped.filter(code__in=_grant_root_codes(request.user)).active().with_child_counts()
    opened = set()
    if code := request.GET.get("open"):
        target = scoped.filter(code=code).first()
        if target is not None:
            opened = {a.code for a in target.ancestors()} | {target.code}
    children = {}
    if opened:
        for node in (
            AdministrativeUnit.objects.filter(parent__code__in=opened).active().with_child_counts()
        ):
            children.setdefault(node.parent_id, []).append(node)
    return render(
        request,
        "core/unit_tree.html",
        {"nodes": roots, "children": children, "opened": opened},
    )


def _grant_root_codes(user) -> list[str]:
    from core.models.scope import grant_paths

    if user.is_superuser:
        return list(
            AdministrativeUnit.objects.filter(parent__isnull=True).values_list("code", flat=True)
        )
    return [path.strip("/").split("/")[-1] for path in grant_paths(user, Action.VIEW)]


@require_http_methods(["GET", "POST"])
def unit_create_view(request: HttpRequest, code: str) -> HttpResponse:
    parent = unit_for_user(request, code, Action.MANAGE_UNITS)
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = UnitCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["submission_key"]
        try:
            child, done = save_once(
                request,
                key,
                lambda: unit_create(
                    by=request.user,
                    parent=parent,
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    level=form.cleaned_data["level"],
                    notes=form.cleaned_data["notes"],
                ),
                parent.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(done or child.get_absolute_url())
    return render(request, "core/unit_form.html", {"form": form, "unit": parent, "mode": "create"})


def _conflict_context(stale: StaleVersion) -> dict:
    return {"conflict": stale.current, "conflict_events": timeline_for(stale.current)[:3]}


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code, Action.MANAGE_UNITS)
    initial = {"version": unit.version, "name": unit.name, "notes": unit.notes}
    form = UnitEditForm(request.POST or None, initial=initial)
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            unit_update(by=request.user, unit=unit, **form.cleaned_data)
        except StaleVersion as stale:
            extra = _conflict_context(stale)
            form = UnitEditForm(
                initial={**form.cleaned_data, "version": stale.current.version},
            )
            form.stale_values = {"name": stale.current.name, "notes": stale.current.notes}
        else:
            return redirect(unit.get_absolute_url())
    return render(
        request,
        "core/unit_form.html",
        {"form": form, "unit": unit, "mode": "edit", **extra},
        status=409 if extra else 200,
    )


@require_http_methods(["GET", "POST"])
def unit_move_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code, Action.MANAGE_UNITS)
    allowed_parent_levels = [lvl for lvl in PARENT_LEVELS[unit.level] if lvl]
    candidates = (
        AdministrativeUnit.objects.for_user(request.user, Action.MANAGE_UNITS)
        .active()
        .filter(level__in=allowed_parent_levels)
        .exclude(pk=unit.parent_id)
        .exclude(path__startswith=unit.path)
    )
    form = UnitMoveForm(
        request.POST or None, candidates=candidates, initial={"version": unit.version}
    )
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            unit_move(by=request.user, unit=unit, **form.cleaned_data)
        except StaleVersion as stale:
            extra = _conflict_context(stale)
            form = UnitMoveForm(
                candidates=candidates,
                initial={**form.cleaned_data, "version": stale.current.version},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(unit.get_absolute_url())
    return render(
        request,
        "core/unit_form.html",
        {"form": form, "unit": unit, "mode": "move", **extra},
        status=409 if extra else 200,
    )


@require_http_methods(["GET", "POST"])
def unit_retire_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code, Action.MANAGE_UNITS)
    form = UnitRetireForm(request.POST or None, initial={"version": unit.version})
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            unit_retire(by=request.user, unit=unit, **form.cleaned_data)
        except StaleVersion as stale:
            extra = _conflict_context(stale)
            form = UnitRetireForm(initial={**form.cleaned_data, "version": stale.current.version})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(unit.get_absolute_url())
    return render(
        request,
        "core/unit_form.html",
        {"form": form, "unit": unit, "mode": "retire", **extra},
        status=409 if extra else 200,
    )


@require_POST
def unit_reinstate_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code, Action.MANAGE_UNITS)
    try:
        version = int(request.POST.get("version", ""))
        unit_reinstate(by=request.user, unit=unit, version=version)
    except (ValueError, StaleVersion, ValidationError):
        from django.contrib import messages

        messages.error(
            request, _("The unit changed or cannot be reinstated yet; please look again.")
        )
    return redirect(unit.get_absolute_url())


@require_http_methods(["GET", "POST"])
def unit_import_view(request: HttpRequest) -> HttpResponse:
    if not (
        request.user.is_superuser
        or AdministrativeUnit.objects.for_user(request.user, Action.MANAGE_UNITS).exists()
    ):
        from django.http import Http404

        raise Http404
    form = UnitImportForm(request.POST or None, request.FILES or None)
    run = queued_run(request, import_units)
    if request.method == "POST" and form.is_valid():
        run = queue_upload(request, import_units, form.cleaned_data["file"])
        if not request.htmx:
            return redirect(f"{reverse('governance:unit_import')}?task={run.id}")
    report = units_report(run.return_value) if run and run.status == "SUCCESSFUL" else None
    template = fragment_or_page(request, "core/unit_import.html", "result")
    return render(request, template, {"form": form, "run": run, "report": report})
