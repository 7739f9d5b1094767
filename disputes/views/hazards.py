import pghistory
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import choice_labels
from core.forms.base import (
    already_submitted,
    error_summary,
    save_once,
)
from core.forms.fields import picked_units
from core.models import AdministrativeUnit, StaleVersion, units_for
from core.privacy import masked_field
from core.timeline import timeline_for
from core.uploads import photo_response
from core.views.access import fragment_or_page
from core.views.pagination import keyset_page
from disputes.forms.hazards import HazardFilterForm, HazardForm, RectifyForm, VerifyForm
from disputes.models import Hazard
from disputes.roles import Action

__all__ = [
    "hazard_list",
    "hazard_create",
    "hazard_detail",
    "hazard_rectify",
    "hazard_verify",
    "hazard_photo",
]


def _hazard_for_user(request, pk: int, action: str = Action.VIEW) -> Hazard:
    return get_object_or_404(
        Hazard.objects.for_user(request.user, action).select_related("unit"), pk=pk
    )


def hazard_list(request: HttpRequest) -> HttpResponse:
    form = HazardFilterForm(request.GET or None)
    hazards = Hazard.objects.for_user(request.user).select_related("unit")
    if form.is_valid():
        if form.cleaned_data["category"]:
            hazards = hazards.filter(category=form.cleaned_data["category"])
        state = form.cleaned_data["state"]
        if state == "unverified":
            hazards = hazards.unverified()
        elif state == "open":
            hazards = hazards.filter(rectified_on__isnull=True)
        elif state == "overdue":
            hazards = hazards.overdue()
        elif state == "done":
            hazards = hazards.filter(rectified_on__isnull=False)
    page = keyset_page(hazards, request, "found_on")
    _label_rows(page.rows)
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "page": page,
        "total": hazards.count(),
        "query": query.urlencode(),
        "can_log": AdministrativeUnit.objects.for_user(request.user, Action.LOG_CASES).exists(),
    }
    return render(
        request, fragment_or_page(request, "disputes/hazard_list.html", "results"), context
    )


def _label_rows(hazards) -> None:
    """Each listed hazard's page and labels, found once for the page rather than per row."""
    category, severity = (choice_labels(Hazard, name) for name in ("category", "severity"))
    page = reverse("governance:hazard_detail", kwargs={"pk": 0})[:-2]
    for hazard in hazards:
        hazard.url = f"{page}{hazard.pk}/"
        hazard.category_label = category.get(hazard.category, hazard.category)
        hazard.severity_label = severity.get(hazard.severity, hazard.severity)


@require_http_methods(["GET", "POST"])
def hazard_create(request: HttpRequest) -> HttpResponse:
    units = units_for(request, Action.LOG_CASES)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = HazardForm(
        request.POST or None, request.FILES or None, units=picked_units(request, units)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        photo = data.pop("photo")

        def report() -> Hazard:
            hazard = Hazard(reported_by=request.user, **data)
            if photo:
                hazard.photo.save(photo.name, photo, save=False)
            hazard.save()
            return hazard

        with pghistory.context(user=request.user.pk, reason="hazard_report"):
            hazard, done = save_once(request, key, report, "governance:hazard_list")
        return redirect(done or hazard.get_absolute_url())
    if units.count() == 1:
        form.fields["unit"].initial = units.first()
    form.fields["found_on"].initial = timezone.localdate()
    return render(
        request,
        "disputes/hazard_form.html",
        {"form": form, "error_summary": error_summary([form]) if form.is_bound else []},
    )


def _detail(
    request, hazard: Hazard, form=None, conflict=None, status=200, verify_form=None
) -> HttpResponse:
    can_act = Hazard.objects.allows(request.user, Action.LOG_CASES, hazard)
    if hazard.awaiting_verification:
        verify_form = verify_form or VerifyForm(
            hazard=hazard,
            initial={
                "version": hazard.version,
                "outcome": "hazard",
                "category": hazard.category,
                "verified_on": timezone.localdate(),
            },
        )
    elif hazard.counts:
        form = form or RectifyForm(
            hazard=hazard,
            initial={
                "version": hazard.version,
                "rectification": hazard.rectification,
                "rectified_on": hazard.rectified_on or timezone.localdate(),
            },
        )
    context = {
        "hazard": hazard,
        "form": form if can_act else None,
        "verify_form": verify_form if can_act else None,
        "reporter_name": masked_field(hazard, "reporter_name"),
        "reporter_phone": masked_field(hazard, "reporter_phone"),
        "conflict": conflict,
        "timeline": timeline_for(hazard),
    }
    return render(request, "disputes/hazard_detail.html", context, status=status)


def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _hazard_for_user(request, pk))


@require_POST
def hazard_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = _hazard_for_user(request, pk, Action.LOG_CASES)
    if not hazard.counts:
        raise Http404
    form = RectifyForm(request.POST, request.FILES, hazard=hazard)
    if not form.is_valid():
        return _detail(request, hazard, form)
    data = dict(form.cleaned_data)
    photo = data.pop("photo_after")
    try:
        with transaction.atomic(), pghistory.context(user=request.user.pk, reason="hazard_rectify"):
            current = Hazard.lock_at_version(hazard.pk, data.pop("version"))
            current.rectification = data["rectification"]
            current.rectified_on = data["rectified_on"]
            if photo:
                current.photo_after.save(photo.name, photo, save=False)
            current.save()
    except StaleVersion as stale:
        return _detail(request, stale.current, conflict=stale.current, status=409)
    return redirect(hazard.get_absolute_url())


@require_POST
def hazard_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid worker's check of a hazard the public reported: a hazard (now it counts, with its
    severity and deadline) or not one (closed with the note why)."""
    hazard = _hazard_for_user(request, pk, Action.LOG_CASES)
    if not hazard.awaiting_verification:
        # Someone checked it after this page was opened: their check is what the page shows.
        return _detail(request, hazard, conflict=hazard, status=409)
    form = VerifyForm(request.POST, hazard=hazard)
    if not form.is_valid():
        return _detail(request, hazard, verify_form=form)
    data = form.cleaned_data
    try:
        with transaction.atomic(), pghistory.context(user=request.user.pk, reason="hazard_verify"):
            current = Hazard.lock_at_version(hazard.pk, data["version"])
            current.verified_on = data["verified_on"]
            current.verified_by = request.user
            current.verification_note = data["verification_note"].strip()
            current.category = data["category"]
            if data["outcome"] == "hazard":
                current.severity, current.deadline = data["severity"], data["deadline"]
            else:
                current.unfounded = True
            current.save()
    except StaleVersion as stale:
        return _detail(request, stale.current, conflict=stale.current, status=409)
    return redirect(hazard.get_absolute_url())


def hazard_photo(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    hazard = _hazard_for_user(request, pk)
    return photo_response({"before": hazard.photo, "after": hazard.photo_after}.get(which))
