"""Staff pages of satisfaction surveys: create one with its households' codes, print the
slips, read the results. Villagers answer on the public pages."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.forms.base import error_summary
from disclosure.forms.surveys import SurveyForm
from disclosure.models import Survey
from disclosure.roles import Action
from disclosure.services.surveys import survey_create
from disclosure.views.disclosure import _villages

__all__ = ["survey_list", "survey_create_view", "survey_detail"]


def survey_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "disclosure/survey_list.html",
        {
            "surveys": Survey.objects.for_user(request.user).select_related("unit")[:100],
            "can_draft": _villages(request.user, Action.DRAFT_DISCLOSURE).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_create_view(request: HttpRequest) -> HttpResponse:
    units = _villages(request.user, Action.DRAFT_DISCLOSURE)
    if not units.exists():
        raise Http404
    form = SurveyForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        survey = survey_create(by=request.user, **form.cleaned_data)
        return redirect(survey.get_absolute_url())
    if not form.is_bound:
        form.fields["opens_on"].initial = timezone.localdate()
    return render(
        request,
        "disclosure/simple_form.html",
        {
            "form": form,
            "title": Survey._meta.verbose_name,
            "back": "governance:survey_list",
            "error_summary": error_summary([form]) if form.is_bound else [],
        },
    )


def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.for_user(request.user).select_related("unit"), pk=pk)
    can_print = Survey.objects.allows(request.user, Action.DRAFT_DISCLOSURE, survey)
    codes = survey.codes.filter(used_at__isnull=True) if can_print else None
    return render(
        request,
        "disclosure/survey_detail.html",
        {"survey": survey, "results": survey.results(), "codes": codes},
    )
