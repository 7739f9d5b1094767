"""Registries kept by streets and the district: mediation studios, legal service, service points,
and the list of dispute categories. Service points are also listed publicly."""

import pghistory
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exports import choice_labels
from core.forms.base import (
    already_submitted,
    save_once,
)
from core.forms.fields import picked_units
from core.models import (
    StaleVersion,
    UnitLevel,
    units_for,
)
from core.views.pagination import keyset_page
from disputes.forms.registries import CategoryForm, LegalServiceForm, ServicePointForm, StudioForm
from disputes.models import (
    CaseCategory,
    DisputeCase,
    LegalService,
    MediationStudio,
    ServicePoint,
)
from disputes.roles import Action

__all__ = [
    "studio_list",
    "studio_detail",
    "studio_edit",
    "legal_list",
    "point_list",
    "point_edit",
    "public_points",
    "category_list",
    "category_toggle",
]


def _save_versioned(request, form, reason: str):
    """Create, or update at the version the form was opened at; returns (obj, conflict)."""
    model = form._meta.model
    with transaction.atomic(), pghistory.context(user=request.user.pk, reason=reason):
        if form.instance.pk:
            try:
                current = model.lock_at_version(
                    form.instance.pk, form.cleaned_data.get("version") or 0
                )
            except StaleVersion as stale:
                return None, stale.current
            for field in form._meta.fields:
                setattr(current, field, form.cleaned_data[field])
            current.save()
            return current, None
        return form.save(), None


def studio_list(request: HttpRequest) -> HttpResponse:
    year_start = timezone.localdate().replace(month=1, day=1)
    studios = (
        MediationStudio.objects.for_user(request.user)
        .select_related("unit")
        .annotate(
            cases_this_year=Count(
                "sessions__case", distinct=True, filter=Q(sessions__held_on__gte=year_start)
            )
        )
        .order_by("unit__code", "name")
    )
    can_manage = units_for(request, Action.MANAGE_REGISTRIES).exists()
    return render(
        request, "disputes/studio_list.html", {"studios": studios, "can_manage": can_manage}
    )


def studio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    studio = get_object_or_404(
        MediationStudio.objects.for_user(request.user).select_related("unit"), pk=pk
    )
    cases = (
        DisputeCase.objects.for_user(request.user)
        .filter(sessions__studio=studio)
        .distinct()
        .select_related("unit", "category")
    )
    page = keyset_page(cases, request, "received_on")
    context = {
        "studio": studio,
        "page": page,
        "total": cases.count(),
        "query": "",
        "can_manage": MediationStudio.objects.allows(
            request.user, Action.MANAGE_REGISTRIES, studio
        ),
    }
    return render(request, "disputes/studio_detail.html", context)


@require_http_methods(["GET", "POST"])
def studio_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    units = units_for(request, Action.MANAGE_REGISTRIES).exclude(level=UnitLevel.GRID)
    if not units.exists():
        raise Http404
    instance = None
    if pk is not None:
        instance = get_object_or_404(
            MediationStudio.objects.for_user(request.user, Action.MANAGE_REGISTRIES), pk=pk
        )
    form = StudioForm(request.POST or None, instance=instance, units=units)
    conflict = None
    if request.method == "POST" and form.is_valid():
        studio, conflict = _save_versioned(request, form, "studio_edit")
        if studio is not None:
            return redirect(studio.get_absolute_url())
        form = StudioForm(instance=conflict, units=units)
    return render(
        request,
        "disputes/registry_form.html",
        {"form": form, "conflict": conflict, "kind": "studio"},
        status=409 if conflict is not None else 200,
    )


@require_http_methods(["GET", "POST"])
def legal_list(request: HttpRequest) -> HttpResponse:
    units = units_for(request, Action.LOG_CASES)
    form = None
    if units.exists():
        if request.method == "POST" and (done := already_submitted(request)):
            return redirect(done)
        form = LegalServiceForm(request.POST or None, units=picked_units(request, units))
        if request.method == "POST" and form.is_valid():
            key = form.cleaned_data["submission_key"]
            with pghistory.context(user=request.user.pk, reason="legal_service"):
                _service, done = save_once(
                    request,
                    key,
                    form.save,
                    "governance:legal_list",
                    result=lambda _service: request.path,
                )
            return redirect(done or "governance:legal_list")
    elif request.method == "POST":
        raise Http404
    records = LegalService.objects.for_user(request.user).select_related("unit")
    page = keyset_page(records, request, "held_on")
    return render(
        request,
        "disputes/legal_list.html",
        {"form": form, "page": page, "total": records.count(), "query": ""},
    )


def point_list(request: HttpRequest) -> HttpResponse:
    points = list(ServicePoint.objects.for_user(request.user).select_related("unit"))
    can_manage = units_for(request, Action.MANAGE_REGISTRIES).exists()
    kind = choice_labels(ServicePoint, "kind")
    edit = reverse("governance:point_edit", kwargs={"pk": 0})[: -len("0/edit/")]
    for point in points:
        point.kind_label = kind.get(point.kind, point.kind)
        point.edit_url = f"{edit}{point.pk}/edit/"
    return render(request, "disputes/point_list.html", {"points": points, "can_manage": can_manage})


@require_http_methods(["GET", "POST"])
def point_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    units = units_for(request, Action.MANAGE_REGISTRIES)
    if not units.exists():
        raise Http404
    instance = None
    if pk is not None:
        instance = get_object_or_404(
            ServicePoint.objects.for_user(request.user, Action.MANAGE_REGISTRIES), pk=pk
        )
    form = ServicePointForm(
        request.POST or None, instance=instance, units=picked_units(request, units)
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        point, conflict = _save_versioned(request, form, "point_edit")
        if point is not None:
            return redirect("governance:point_list")
        form = ServicePointForm(instance=conflict, units=units)
    return render(
        request,
        "disputes/registry_form.html",
        {"form": form, "conflict": conflict, "kind": "point"},
        status=409 if conflict is not None else 200,
    )


@login_not_required
@require_GET
def public_points(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    points = (
        ServicePoint.objects.filter(opened_on__lte=today)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))
        .select_related("unit")
        .order_by("kind", "unit__code", "name")
    )
    kind = request.GET.get("kind", "")
    if kind in ServicePoint.Kind.values:
        points = points.filter(kind=kind)
    return render(
        request,
        "disputes/public/service_points.html",
        {"points": points, "kinds": ServicePoint.Kind.choices, "kind": kind},
    )


@require_http_methods(["GET", "POST"])
def category_list(request: HttpRequest) -> HttpResponse:
    if not units_for(request, Action.MANAGE_UNITS).exists():
        raise Http404
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with pghistory.context(user=request.user.pk, reason="category_add"):
            form.save()
        return redirect("governance:category_list")
    categories = CaseCategory.objects.annotate(cases=Count("disputecase"))
    return render(request, "disputes/category_list.html", {"form": form, "categories": categories})


@require_POST
def category_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    if not units_for(request, Action.MANAGE_UNITS).exists():
        raise Http404
    category = get_object_or_404(CaseCategory, pk=pk)
    with pghistory.context(user=request.user.pk, reason="category_toggle"):
        category.active = not category.active
        category.save(update_fields=["active"])
    return redirect("governance:category_list")
