"""Staff pages of 四议两公开 decisions: the list, a decision with the chain of its steps, the
next step's form."""

import pghistory
from django.core.exceptions import ValidationError
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
from core.public_pages import public_changed
from core.timeline import timeline_for
from disclosure.forms.decisions import DecisionForm, StepForm
from disclosure.models import Decision
from disclosure.roles import Action
from disclosure.services.decisions import step_record
from disclosure.views.disclosure import _villages

__all__ = ["decision_list", "decision_create", "decision_detail", "step_add"]


def _decision_for_user(request, pk: int, action: str = Action.VIEW) -> Decision:
    return get_object_or_404(
        Decision.objects.for_user(request.user, action).select_related("unit"), pk=pk
    )


def decision_list(request: HttpRequest) -> HttpResponse:
    decisions = Decision.objects.for_user(request.user).select_related("unit")[:200]
    return render(
        request,
        "disclosure/decision_list.html",
        {
            "decisions": decisions,
            "can_draft": _villages(request.user, Action.DRAFT_DISCLOSURE).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    units = _villages(request.user, Action.DRAFT_DISCLOSURE)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = DecisionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        with pghistory.context(user=request.user.pk, reason="decision"):
            decision, done = save_once(
                request,
                key,
                lambda: Decision.objects.create(created_by=request.user, **data),
                "governance:decision_list",
            )
        if decision is not None:
            public_changed()  # the village's public page lists its decisions
        return redirect(done or decision.get_absolute_url())
    return render(
        request,
        "disclosure/decision_form.html",
        {"form": form, "error_summary": error_summary([form]) if form.is_bound else []},
    )


def _detail(request, decision: Decision, form=None, status=200) -> HttpResponse:
    can_record = (
        Decision.objects.allows(request.user, Action.DRAFT_DISCLOSURE, decision)
        and decision.next_kind() is not None
    )
    if can_record and form is None:
        form = StepForm(decision=decision, initial={"held_on": timezone.localdate()})
    context = {
        "decision": decision,
        "steps": decision.steps.select_related("post"),
        "form": form if can_record else None,
        "timeline": timeline_for(decision),
    }
    return render(request, "disclosure/decision_detail.html", context, status=status)


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _decision_for_user(request, pk))


@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_for_user(request, pk, Action.DRAFT_DISCLOSURE)
    form = StepForm(request.POST, decision=decision)
    if not form.is_valid():
        return _detail(request, decision, form)
    try:
        step_record(decision=decision, by=request.user, data=form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, decision, form)
    return redirect(decision.get_absolute_url())
