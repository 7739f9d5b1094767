"""Binding a bracelet to a person from their page, and unbinding it with a reason."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from care.forms import DeviceBindForm, DeviceUnbindForm
from care.models import CarePerson
from care.roles import Action
from care.services.devices import device_bind, device_unbind
from care.views.registry import render_person
from core.forms.base import add_service_errors, already_submitted, save_once


def _kept(request: HttpRequest, pk: int) -> CarePerson:
    return get_object_or_404(
        CarePerson.objects.for_user(request.user, Action.CARE_KEEP).select_related("unit", "kind"),
        pk=pk,
    )


def _bracelets(person: CarePerson) -> str:
    return person.get_absolute_url() + "#bracelets"


@require_POST
def bracelet_bind(request: HttpRequest, pk: int) -> HttpResponse:
    person = _kept(request, pk)
    if done := already_submitted(request):
        return redirect(done)
    form = DeviceBindForm(request.POST)
    if form.is_valid():
        try:
            save_once(
                request,
                form.cleaned_data["submission_key"],
                lambda: device_bind(
                    by=request.user, person=person, serial=form.cleaned_data["serial"]
                ),
                person,
                result=lambda _device: _bracelets(person),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(_bracelets(person))
    return render_person(request, person, bind=form)


def unbind_once(request, form, person, device_id: int, done_at: str) -> bool:
    """Unbind the bracelet once per form key (a repeated submit changes nothing); False with the
    reason next to the form's field when the form or the service refuses it."""
    if not form.is_valid():
        return False
    try:
        save_once(
            request,
            form.cleaned_data["submission_key"],
            lambda: device_unbind(
                by=request.user,
                person=person,
                device_id=device_id,
                reason=form.cleaned_data["reason"],
            ),
            done_at,
            result=lambda _device: done_at,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@require_POST
def bracelet_unbind(request: HttpRequest, pk: int, device_pk: int) -> HttpResponse:
    person = _kept(request, pk)
    if done := already_submitted(request):
        return redirect(done)
    form = DeviceUnbindForm(request.POST, auto_id=f"id_unbind{device_pk}_%s")
    if unbind_once(request, form, person, device_pk, _bracelets(person)):
        return redirect(_bracelets(person))
    return render_person(request, person, unbind=form, unbind_device=device_pk)
