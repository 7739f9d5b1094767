"""Changing a person in care (kinds, risk level, contacts) and their leaving care, each against
the version the form was opened at: a stale save shows the other change and asks again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from care.forms import PersonEditForm, PersonLeaveForm
from care.models import CarePerson
from care.roles import Action
from care.services.changes import person_leave, person_update
from core.forms.base import add_service_errors, against_version, already_submitted, save_once
from core.models import StaleVersion
from core.privacy import masked_field


def _kept(request: HttpRequest, pk: int) -> CarePerson:
    return get_object_or_404(
        CarePerson.objects.for_user(request.user, Action.CARE_KEEP).select_related("unit", "kind"),
        pk=pk,
    )


def _edit(request, pk, form_class, initial, change, template):
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    person = _kept(request, pk)
    extra = {}
    if getattr(form_class, "HOLDS_KINDS", False):
        extra["held_kinds"] = [person.kind_id, *person.other_kinds.values_list("pk", flat=True)]
    form = form_class(
        request.POST or None,
        initial={"version": person.version, **initial(person)},
        stored=person,
        **extra,
    )
    conflict, status = None, 200
    if not person.in_care:
        if request.method != "POST":
            raise Http404
        # Someone recorded their leaving after this page was opened: say so, save nothing.
        conflict, status = person, 409
        form = form_class(against_version(request.POST, person), stored=person, **extra)
        form.is_valid()
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        try:
            _saved, repeated = save_once(
                request, key, lambda: change(by=request.user, person=person, **data), person
            )
        except StaleVersion as stale:
            conflict, status = stale.current, 409
            form = form_class(against_version(request.POST, stale.current), stored=stale.current)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect(repeated or person)
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "person": person,
        "name": masked_field(person, "name"),
        "conflict": conflict,
        "conflict_kinds": list(conflict.other_kinds.all()) if conflict else (),
    }
    return render(request, template, context, status=status)


def _person_initial(person: CarePerson) -> dict:
    return {
        "kind": person.kind_id,
        "other_kinds": list(person.other_kinds.values_list("pk", flat=True)),
        "risk_level": person.risk_level,
        "address": person.address,
        "guardian_name": person.guardian_name,
        "guardian_relation": person.guardian_relation,
        "notes": person.notes,
    }


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(
        request, pk, PersonEditForm, _person_initial, person_update, "care/person_edit.html"
    )


@require_http_methods(["GET", "POST"])
def person_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(
        request, pk, PersonLeaveForm, lambda _p: {}, person_leave, "care/person_leave.html"
    )
