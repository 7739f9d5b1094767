"""Volunteers: the list, registration, the record (志愿服务记录), certificates, export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import (
    background_export,
    choice_labels,
    counted,
    export_heading,
    scope_units,
    xlsx_response,
)
from core.forms.base import (
    add_service_errors,
    against_version,
    already_submitted,
    save_once,
)
from core.models import StaleVersion, UnitLevel, units_for
from core.privacy import ID_NUMBER, NAME, kind_of, mask, masked_field, reveal
from core.timeline import timeline_for
from core.views.access import fragment_or_page
from core.views.pagination import keyset_page
from volunteers.forms.editing import VolunteerEditForm
from volunteers.forms.volunteers import (
    CertificateForm,
    HonourForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from volunteers.models import (
    Certificate,
    HoursStatus,
    NetworkLevel,
    NetworkNode,
    ServiceHours,
    Volunteer,
)
from volunteers.roles import Action
from volunteers.services.records import (
    certificate_issue,
    issuer_for,
    may_edit_volunteer,
    service_totals,
    volunteer_register,
    volunteer_update,
)
from volunteers.views.access import require_any, volunteer_row

EXPORT_LIMIT = 100_000


def _volunteers(request):
    return Volunteer.objects.for_user(request.user).select_related("unit")


def _filtered(request):
    units = units_for(request, Action.VIEW).exclude(level=UnitLevel.GRID)
    form = VolunteerFilterForm(request.GET or None, units=units)
    volunteers = _volunteers(request)
    if form.is_bound and form.is_valid():
        volunteers = form.filter(volunteers)
    elif form.is_bound:
        volunteers = volunteers.none()
    return form, volunteers


def volunteer_list(request: HttpRequest) -> HttpResponse:
    require_any(request)
    form, volunteers = _filtered(request)
    # The units apart: joined in, they lead PostgreSQL to read the subtree's every volunteer.
    volunteers = volunteers.select_related(None).prefetch_related("unit")
    page = keyset_page(volunteers, request, "joined_on")
    query = request.GET.copy()
    query.pop("after", None)
    counted_levels = dict(
        NetworkNode.objects.for_user(request.user)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    network = {level: counted_levels.get(level, 0) for level in NetworkLevel.values}
    context = {
        "form": form,
        "rows": [volunteer_row(v) for v in page.rows],
        "page": page,
        "query": query.urlencode(),
        "network": [(NetworkLevel(k).label, n) for k, n in network.items()],
        "can_manage": units_for(request, Action.MANAGE_VOLUNTEERS).exists(),
    }
    return render(
        request, fragment_or_page(request, "volunteers/volunteer_list.html", "results"), context
    )


def volunteer_export(request: HttpRequest) -> HttpResponse:
    require_any(request)
    form, volunteers = _filtered(request)
    chosen = volunteers.order_by("-joined_on", "-pk")[:EXPORT_LIMIT]
    if queued := background_export(request, chosen, title=_("Volunteers")):
        return queued
    kinds = {field: kind_of(Volunteer, field) for field in ("name", "id_number", "phone")}
    statuses = choice_labels(Volunteer, "status")
    rows = (
        [
            mask(name, kinds["name"]),
            mask(id_number, kinds["id_number"]),
            mask(phone, kinds["phone"]),
            unit,
            "、".join(skills),
            joined_on,
            statuses[status],
            points,
        ]
        for name, id_number, phone, unit, skills, joined_on, status, points in counted(
            request,
            chosen.values_list(
                "name",
                "id_number",
                "phone",
                "unit__name",
                "skills",
                "joined_on",
                "status",
                "points_balance",
            ).iterator(chunk_size=5000),
        )
    )
    return xlsx_response(
        filename=f"volunteers-{timezone.localdate().isoformat()}.xlsx",
        title=_("Volunteers"),
        header=[
            _("Full name"),
            _("ID number"),
            _("Phone"),
            _("Registered at"),
            _("Skills"),
            _("Joined on"),
            _("Status"),
            _("Points balance"),
        ],
        rows=rows,
        notes=[_("Personal data are masked as on the page.")],
        about=_about(request, form),
    )


def _searched(text: str) -> str:
    """A name or ID number searched for, as the list would show it: masked."""
    text = text.strip()
    return mask(text, ID_NUMBER if len(text) == 18 else NAME)


def _about(request, form: VolunteerFilterForm) -> list[list]:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    unit = data.get("unit")
    return export_heading(
        request,
        units=[unit] if unit else scope_units(request.user, Action.VIEW),
        form=form,
        shown={"q": _searched},
    )


@require_http_methods(["GET", "POST"])
def volunteer_create(request: HttpRequest) -> HttpResponse:
    units = units_for(request, Action.MANAGE_VOLUNTEERS).filter(
        level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE, UnitLevel.STREET, UnitLevel.DISTRICT]
    )
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = VolunteerForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = data.pop("submission_key")
        try:
            volunteer, done = save_once(
                request, key, lambda: volunteer_register(by=request.user, **data), "volunteers:home"
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if done:
                return redirect(done)
            messages.success(request, _("Volunteer registered."))
            return redirect(volunteer.get_absolute_url())
    return render(request, "volunteers/volunteer_form.html", {"form": form})


def _volunteer(request, pk: int) -> Volunteer:
    require_any(request)
    return get_object_or_404(_volunteers(request), pk=pk)


def _record_context(request, volunteer: Volunteer, **forms) -> dict:
    services = (
        ServiceHours.objects.filter(volunteer=volunteer)
        .exclude(status=HoursStatus.SIGNED_UP)
        .select_related("activity", "activity__theme", "activity__team")
        .order_by("-served_on", "-id")
    )
    issuer = issuer_for(request.user, volunteer)
    return {
        "volunteer": volunteer,
        "row": volunteer_row(volunteer),
        "services": services[:200],
        "totals": service_totals(volunteer),
        "honours": volunteer.honours.all(),
        "ledger": volunteer.ledger.select_related("by")[:100],
        "certificates": volunteer.certificates.select_related("issuer"),
        "teams": volunteer.teams.all(),
        "can_manage": issuer is not None,
        "honour_form": forms.get("honour_form") or HonourForm(auto_id="honour_%s"),
        "certificate_form": forms.get("certificate_form")
        or CertificateForm(auto_id="certificate_%s"),
        "timeline": timeline_for(volunteer),
    }


def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer(request, pk)
    return render(request, "volunteers/volunteer_detail.html", _record_context(request, volunteer))


@require_POST
def honour_add(request: HttpRequest, pk: int) -> HttpResponse:
    import pghistory

    volunteer = _volunteer(request, pk)
    if issuer_for(request.user, volunteer) is None:
        raise Http404
    form = HonourForm(request.POST, auto_id="honour_%s")
    if form.is_valid():
        with pghistory.context(user=request.user.pk, reason="honour_add"):
            volunteer.honours.create(**form.cleaned_data)
        return redirect(volunteer.get_absolute_url() + "#honours")
    context = _record_context(request, volunteer, honour_form=form)
    return render(request, "volunteers/volunteer_detail.html", context)


@require_POST
def certificate_create(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer(request, pk)
    if issuer_for(request.user, volunteer) is None:
        raise Http404
    if done := already_submitted(request):
        return redirect(done)
    form = CertificateForm(request.POST, auto_id="certificate_%s")
    if form.is_valid():
        key = form.cleaned_data["submission_key"]
        try:
            certificate, done = save_once(
                request,
                key,
                lambda: certificate_issue(
                    by=request.user, volunteer=volunteer, purpose=form.cleaned_data["purpose"]
                ),
                volunteer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(done or certificate.get_absolute_url())
    context = _record_context(request, volunteer, certificate_form=form)
    return render(request, "volunteers/volunteer_detail.html", context)


def certificate_detail(request: HttpRequest, number: str) -> HttpResponse:
    require_any(request)
    certificate = get_object_or_404(
        Certificate.objects.for_user(request.user).select_related("volunteer", "issuer", "by"),
        number=number,
    )
    volunteer = certificate.volunteer
    return render(
        request,
        "volunteers/certificate.html",
        {
            "certificate": certificate,
            # The certificate is the volunteer's own: it names them in full (the reveal is
            # logged); the ID number stays masked.
            "name": reveal(volunteer, "name", by=request.user, reason="certificate"),
            "id_number": masked_field(volunteer, "id_number"),
        },
    )


def _edit_units(request):
    return units_for(request, Action.MANAGE_VOLUNTEERS).filter(
        level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE, UnitLevel.STREET, UnitLevel.DISTRICT]
    )


def _edit_initial(volunteer: Volunteer) -> dict:
    return {
        "version": volunteer.version,
        "unit": volunteer.unit_id,
        "skills": "、".join(volunteer.skills),
        "joined_on": volunteer.joined_on,
        "status": volunteer.status,
    }


@require_http_methods(["GET", "POST"])
def volunteer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a volunteer's details. Personal data stay masked on the form (a blank field keeps
    the stored value); a save against a version someone else moved is a 409 showing their
    change, with nothing saved."""
    volunteer = _volunteer(request, pk)
    if not may_edit_volunteer(request.user, volunteer):
        raise Http404
    units = _edit_units(request)
    form = VolunteerEditForm(
        request.POST or None,
        initial=_edit_initial(volunteer),
        units=units,
        stored=volunteer,
    )
    conflict, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            volunteer_update(by=request.user, volunteer=volunteer, version=version, **data)
        except StaleVersion as stale:
            conflict, status = stale.current, 409
            posted = against_version(request.POST, stale.current)
            form = VolunteerEditForm(posted, units=units, stored=stale.current)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Volunteer's details saved."))
            return redirect(volunteer.get_absolute_url())
    context = {
        "form": form,
        "volunteer": volunteer,
        "row": volunteer_row(volunteer),
        "conflict": volunteer_row(conflict) if conflict else None,
    }
    return render(request, "volunteers/volunteer_edit.html", context, status=status)
