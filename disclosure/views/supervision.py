"""Staff pages of village supervision: members and observers, findings and their
rectification up to the committee's sign-off."""

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.base import (
    add_service_errors,
    already_submitted,
    error_summary,
    save_once,
)
from core.models import StaleVersion
from core.privacy import mask
from core.public_pages import public_changed
from core.timeline import timeline_for
from core.uploads import photo_response
from disclosure.forms.supervision import FindingForm, MemberForm, RespondForm, SignOffForm
from disclosure.models import Finding, MemberKind, SupervisionMember
from disclosure.roles import Action
from disclosure.services.supervision import finding_respond, finding_sign_off
from disclosure.views.disclosure import _villages

__all__ = [
    "supervision_home",
    "member_create",
    "finding_create",
    "finding_detail",
    "finding_respond_view",
    "finding_sign_off_view",
    "finding_photo",
]


def _finding_for_user(request, pk: int, action: str = Action.VIEW) -> Finding:
    return get_object_or_404(
        Finding.objects.for_user(request.user, action).select_related("unit", "found_by"), pk=pk
    )


def supervision_home(request: HttpRequest) -> HttpResponse:
    members = SupervisionMember.objects.for_user(request.user).serving().select_related("unit")
    findings = Finding.objects.for_user(request.user).select_related("unit")
    state = request.GET.get("state", "")
    if state == "open":
        findings = findings.filter(signed_off_on__isnull=True)
    elif state == "overdue":
        findings = findings.overdue()
    elif state == "rectified":
        findings = findings.rectified()
    context = {
        "members": [
            {"name": mask(m.name, "name"), "kind": m.get_kind_display(), "unit": m.unit.name}
            for m in members[:200]
        ],
        "observers": members.filter(kind=MemberKind.OBSERVER).count(),
        "committee": members.filter(kind=MemberKind.COMMITTEE).count(),
        "findings": findings[:200],
        "state": state,
        "can_file": _villages(request.user, Action.FILE_FINDINGS).exists(),
        "can_manage": _villages(request.user, Action.REVIEW_DISCLOSURE).exists(),
    }
    return render(request, "disclosure/supervision.html", context)


@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    units = _villages(request.user, Action.REVIEW_DISCLOSURE)
    if not units.exists():
        raise Http404
    form = MemberForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), pghistory.context(user=request.user.pk, reason="member_add"):
            SupervisionMember(**form.cleaned_data).save()
            public_changed()  # the village's public page counts its members
        return redirect("governance:supervision_home")
    if not form.is_bound:
        form.fields["since"].initial = timezone.localdate()
    return render(
        request,
        "disclosure/simple_form.html",
        {
            "form": form,
            "title": MemberKind.OBSERVER.label,
            "back": "governance:supervision_home",
            "error_summary": error_summary([form]) if form.is_bound else [],
        },
    )


@require_http_methods(["GET", "POST"])
def finding_create(request: HttpRequest) -> HttpResponse:
    units = _villages(request.user, Action.FILE_FINDINGS)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = FindingForm(request.POST or None, request.FILES or None, units=units, by=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        photo = data.pop("photo")

        def file() -> Finding:
            finding = Finding(reported_by=request.user, **data)
            if photo:
                finding.photo.save(photo.name, photo, save=False)
            finding.save()
            return finding

        with pghistory.context(user=request.user.pk, reason="finding"):
            finding, done = save_once(request, key, file, "governance:supervision_home")
        return redirect(done or finding.get_absolute_url())
    if not form.is_bound:
        form.fields["found_on"].initial = timezone.localdate()
    return render(
        request,
        "disclosure/simple_form.html",
        {
            "form": form,
            "title": Finding._meta.verbose_name,
            "back": "governance:supervision_home",
            "multipart": True,
            "error_summary": error_summary([form]) if form.is_bound else [],
        },
    )


def _detail(request, finding, respond_form=None, sign_form=None, conflict=None, status=200):
    user = request.user
    can_respond = (
        Finding.objects.allows(user, Action.DRAFT_DISCLOSURE, finding) and not finding.signed_off_on
    )
    can_sign = (
        Finding.objects.allows(user, Action.REVIEW_DISCLOSURE, finding)
        and finding.responded_on
        and not finding.signed_off_on
    )
    context = {
        "finding": finding,
        "assignee": mask(finding.assignee, "name"),
        "found_by": str(finding.found_by) if finding.found_by else "",
        "respond_form": (
            respond_form
            or RespondForm(
                initial={
                    "version": finding.version,
                    "response": finding.response,
                    "responded_on": finding.responded_on or timezone.localdate(),
                }
            )
        )
        if can_respond
        else None,
        "sign_form": (sign_form or SignOffForm(initial={"version": finding.version}))
        if can_sign
        else None,
        "conflict": conflict,
        "timeline": timeline_for(finding),
    }
    return render(request, "disclosure/finding_detail.html", context, status=status)


def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _finding_for_user(request, pk))


@require_POST
def finding_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding_for_user(request, pk, Action.DRAFT_DISCLOSURE)
    form = RespondForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, finding, respond_form=form)
    data = form.cleaned_data
    try:
        finding_respond(
            finding=finding,
            by=request.user,
            version=data["version"],
            response=data["response"],
            responded_on=data["responded_on"],
            photo=data["photo_after"],
        )
    except StaleVersion as stale:
        return _detail(request, stale.current, conflict=stale.current, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, finding, respond_form=form)
    return redirect(finding.get_absolute_url())


@require_POST
def finding_sign_off_view(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding_for_user(request, pk, Action.REVIEW_DISCLOSURE)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        return _detail(request, finding, sign_form=form)
    try:
        finding_sign_off(finding=finding, by=request.user, version=form.cleaned_data["version"])
    except StaleVersion as stale:
        return _detail(request, stale.current, conflict=stale.current, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, finding, sign_form=form)
    return redirect(finding.get_absolute_url())


def finding_photo(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    finding = _finding_for_user(request, pk)
    return photo_response({"before": finding.photo, "after": finding.photo_after}.get(which))
