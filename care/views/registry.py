"""The registry of people in care per grid (masked), a person's record (each opening logged),
registering a person and logging a visit."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from care.forms import (
    ChildActivityForm,
    DeviceBindForm,
    DeviceUnbindForm,
    PersonForm,
    RegistryFilter,
    VisitForm,
)
from care.models import CarePerson, Visit
from care.roles import Action
from care.services.activities import activities_of, activities_to_link
from care.services.devices import bracelet_history
from care.services.people import PHONES, person_open, person_register
from care.services.visits import visit_log
from care.views.access import care_grids, require
from core import handoffs
from core.forms.base import add_service_errors, already_submitted, save_once
from core.models import UnitLevel, may, units_for
from core.privacy import masked_field, reveal
from core.uploads import photo_response
from core.views.access import fragment_or_page

LIST_LENGTH = 200
REVEALED = {"name", "address", "guardian_name"}


def person_row(person: CarePerson, today) -> dict:
    """A person as every list shows them: personal data masked."""
    return {
        "pk": person.pk,
        "name": masked_field(person, "name"),
        "id_number": masked_field(person, "id_number"),
        "guardian": masked_field(person, "guardian_name"),
        "guardian_phone": masked_field(person, "guardian_phone"),
        "kind": person.kind.name,
        "risk": person.get_risk_level_display(),
        "risk_key": person.risk_level,
        "grid": person.unit.name,
        "due": person.next_visit_due,
        "overdue": person.next_visit_due < today,
        "url": person.get_absolute_url(),
    }


def registry(request: HttpRequest) -> HttpResponse:
    require(request)
    today = timezone.localdate()
    units = units_for(request, Action.CARE_VIEW).filter(level=UnitLevel.GRID)
    form = RegistryFilter(request.GET or None, units=units)
    people = CarePerson.objects.for_user(request.user, Action.CARE_VIEW).filter(
        left_on__isnull=True
    )
    if form.is_valid():
        if unit := form.cleaned_data["unit"]:
            people = people.filter(unit=unit)
        if kind := form.cleaned_data["kind"]:
            people = people.filter(kind=kind)
        if form.cleaned_data["due"] == "week":
            people = people.filter(next_visit_due__lte=today + timedelta(days=7))
        elif form.cleaned_data["due"] == "overdue":
            people = people.filter(next_visit_due__lt=today)
    people = people.select_related("unit", "kind").order_by("next_visit_due", "pk")
    context = {
        "form": form,
        "rows": [person_row(p, today) for p in people[:LIST_LENGTH]],
        "total": people.count(),
        "can_register": care_grids(request).exists(),
    }
    return render(request, fragment_or_page(request, "care/registry.html", "results"), context)


@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    units = care_grids(request)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = PersonForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        try:
            person, repeated = save_once(
                request, key, lambda: person_register(by=request.user, **data), "care:registry"
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(repeated or person)
    return render(request, "care/person_form.html", {"form": form})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        CarePerson.objects.for_user(request.user, Action.CARE_VIEW).select_related("unit", "kind"),
        pk=pk,
    )
    return render_person(request, person)


def render_person(
    request: HttpRequest, person: CarePerson, *, phones: bool = False, **forms
) -> HttpResponse:
    """The person's record; `forms` are the bracelet forms sent back with their errors.
    `phones`: the phones shown this once, for one who keeps the person (logged as revealed)."""
    keeps = may(request.user, Action.CARE_KEEP, person.unit)
    phones = phones and keeps
    person_open(by=request.user, person=person, revealed=PHONES if phones else ())

    def shown(field: str) -> str:
        # Who looks after the person needs the name and where they live: revealed and logged;
        # numbers (phones, the ID number) stay masked, unless the phones are asked for to call.
        if keeps and field in REVEALED:
            return reveal(person, field, by=request.user, reason="care_record")
        if phones and field in PHONES:
            return reveal(person, field, by=request.user, reason="care_phone")
        return masked_field(person, field)

    fields = ("name", "id_number", "phone", "address", "guardian_name", "guardian_phone")
    devices = list(person.devices.all())
    unbind_forms = {d.pk: DeviceUnbindForm(auto_id=f"id_unbind{d.pk}_%s") for d in devices}
    if (failed := forms.get("unbind")) is not None:
        unbind_forms[forms["unbind_device"]] = failed
    other_kinds = list(person.other_kinds.all())
    child = person.kind.for_children or any(k.for_children for k in other_kinds)
    activity_form = None
    if child and keeps and person.in_care and handoffs.has_activities():
        activity_form = forms.get("activity")
        if activity_form is None and (choices := activities_to_link(person)):
            activity_form = ChildActivityForm(activities=choices)
    context = {
        "person": person,
        "shown": {field: shown(field) for field in fields},
        "other_kinds": other_kinds,
        "child": child,
        "child_activities": activities_of(person, request.user),
        "activity_form": activity_form,
        "visits": person.visits.select_related("by").order_by("-visited_on", "-pk")[:20],
        "alerts": person.alerts.order_by("-received_at")[:10],
        "devices": [(d, unbind_forms.get(d.pk)) for d in devices],
        "bind_form": forms.get("bind") or DeviceBindForm(),
        "bracelet_history": bracelet_history(person) if keeps else [],
        "keeps": keeps,
        "phones_shown": phones,
        "today": timezone.localdate(),
    }
    status = 400 if forms else 200
    return render(request, "care/person_detail.html", context, status=status)


@require_POST
def person_phones(request: HttpRequest, pk: int) -> HttpResponse:
    """显示电话: the phones, shown on this answer only (a reload masks them again), for one who
    keeps the person; the access log says they were revealed."""
    person = get_object_or_404(
        CarePerson.objects.for_user(request.user, Action.CARE_KEEP).select_related("unit", "kind"),
        pk=pk,
    )
    return render_person(request, person, phones=True)


@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        CarePerson.objects.for_user(request.user, Action.CARE_KEEP).select_related("unit", "kind"),
        pk=pk,
    )
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = VisitForm(request.POST or None, request.FILES or None)
    if not handoffs.can_raise_demand():
        del form.fields["to_demand"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        try:
            visit, repeated = save_once(
                request,
                key,
                lambda: visit_log(by=request.user, person=person, **data),
                person,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(repeated or person.get_absolute_url() + "#visits")
    return render(request, "care/visit_form.html", {"form": form, "person": person})


def visit_photo(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.for_user(request.user, Action.CARE_VIEW), pk=pk)
    return photo_response(visit.photo)
