"""Recording, from a child's record, a volunteer activity (暑期托管, 关爱) that served them."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from care.forms import ChildActivityForm
from care.models import CarePerson
from care.roles import Action
from care.services.activities import activities_to_link, child_activity_add
from care.views.registry import render_person
from core.forms.base import add_service_errors, already_submitted, save_once


@require_POST
def child_activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        CarePerson.objects.for_user(request.user, Action.CARE_KEEP).select_related("unit", "kind"),
        pk=pk,
    )
    if done := already_submitted(request):
        return redirect(done)
    form = ChildActivityForm(request.POST, activities=activities_to_link(person))
    if form.is_valid():
        try:
            save_once(
                request,
                form.cleaned_data["submission_key"],
                lambda: child_activity_add(
                    by=request.user, person=person, activity_id=form.cleaned_data["activity"]
                ),
                person,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(person.get_absolute_url() + "#activities")
    return render_person(request, person, activity=form)
