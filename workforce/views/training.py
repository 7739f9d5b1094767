"""Training (三维培训): programmes, their sessions, invitations and attendance at the door."""

from html import escape

import pghistory
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.base import (
    already_submitted,
    error_summary,
    save_once,
)
from core.models import (
    AdministrativeUnit,
    UnitLevel,
    units_for,
)
from workforce.forms import InviteForm, ProgrammeForm, TrainingSessionForm
from workforce.models import (
    TrainingProgramme,
    TrainingSession,
    Worker,
)
from workforce.roles import Action
from workforce.services import attendance_mark, session_invite

__all__ = [
    "programme_list",
    "programme_create",
    "programme_detail",
    "session_create",
    "session_detail",
    "session_invite_view",
    "attendance_view",
]

_ATTENDED = Count("attendances", filter=Q(attendances__attended=True))


def programme_list(request: HttpRequest) -> HttpResponse:
    if not units_for(request, Action.VIEW).exists():
        raise Http404
    programmes = (
        TrainingProgramme.objects.for_user(request.user)
        .select_related("unit")
        .annotate(
            session_count=Count("sessions", distinct=True),
            person_times=Count(
                "sessions__attendances", filter=Q(sessions__attendances__attended=True)
            ),
        )
    )
    context = {
        "programmes": programmes,
        "can_manage": units_for(request, Action.MANAGE_TRAINING).exists(),
    }
    return render(request, "workforce/programme_list.html", context)


@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    units = units_for(request, Action.MANAGE_TRAINING).exclude(level=UnitLevel.GRID)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = ProgrammeForm(request.POST or None, units=units)
    if not form.is_bound:
        form.initial["unit"] = units.order_by("depth", "code").first()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        with pghistory.context(user=request.user.pk, reason="programme"):
            programme, done = save_once(
                request,
                key,
                lambda: TrainingProgramme.objects.create(created_by=request.user, **data),
                "governance:programme_list",
            )
        return redirect(done or programme.get_absolute_url())
    context = {"form": form, "error_summary": error_summary([form]) if form.is_bound else []}
    return render(request, "workforce/programme_form.html", context)


def _programme_for_user(request, pk: int) -> TrainingProgramme:
    return get_object_or_404(
        TrainingProgramme.objects.for_user(request.user).select_related("unit"), pk=pk
    )


def _programme_context(request, programme, session_form=None) -> dict:
    can_manage = AdministrativeUnit.objects.active().allows(
        request.user, Action.MANAGE_TRAINING, programme.unit
    )
    sessions = programme.sessions.annotate(
        invited=Count("attendances"), attended=_ATTENDED
    ).order_by("held_on", "id")
    return {
        "programme": programme,
        "sessions": sessions,
        "person_times": sum(s.attended for s in sessions),
        "can_manage": can_manage,
        "session_form": session_form
        or (TrainingSessionForm(auto_id="session_%s") if can_manage else None),
    }


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_for_user(request, pk)
    context = _programme_context(request, programme)
    return render(request, "workforce/programme_detail.html", context)


@require_POST
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_for_user(request, pk)
    if not AdministrativeUnit.objects.active().allows(
        request.user, Action.MANAGE_TRAINING, programme.unit
    ):
        raise Http404
    if done := already_submitted(request):
        return redirect(done)
    form = TrainingSessionForm(request.POST, auto_id="session_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        with pghistory.context(user=request.user.pk, reason="session"):
            session, done = save_once(
                request,
                key,
                lambda: TrainingSession.objects.create(
                    programme=programme, unit=programme.unit, created_by=request.user, **data
                ),
                programme,
            )
        if done:
            return redirect(done)
        messages.success(request, _("Session added: now invite the workers."))
        return redirect(session.get_absolute_url())
    context = _programme_context(request, programme, session_form=form)
    return render(request, "workforce/programme_detail.html", context)


def _session_for_user(request, pk: int) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.for_user(request.user).select_related("programme", "unit"), pk=pk
    )


def _invite_units(request, session):
    return (
        units_for(request, Action.MANAGE_TRAINING)
        .filter(path__startswith=session.unit.path)
        .exclude(level=UnitLevel.GRID)
    )


def _counts(session) -> dict:
    return session.attendances.aggregate(
        invited=Count("id"), attended=Count("id", filter=Q(attended=True))
    )


def _attendance_lines(session) -> SafeString:
    """The invited workers' list items, written here: through the template each line cost
    more than the page may spend on all of them."""
    head, tail = reverse("governance:worker_detail", kwargs={"pk": 9081726354}).split("9081726354")
    came = f'<span class="badge ok">{escape(_("attended"))}</span>'
    invited = escape(_("invited"))
    return mark_safe(  # noqa: S308 -- every value escaped
        "".join(
            f'\n      <li><span><a href="{head}{pk}{tail}">{escape(name)}</a> '
            f'<span class="meta">{escape(position or "")} · {escape(unit)}</span></span>\n'
            f'        <span class="meta">{came if attended else invited}</span></li>\n      '
            for pk, name, position, unit, attended in session.attendances.values_list(
                "worker_id",
                "worker__name",
                "worker__position__name",
                "worker__unit__name",
                "attended",
            )
        )
    )


def _session_context(request, session, invite_form=None) -> dict:
    can_manage = AdministrativeUnit.objects.active().allows(
        request.user, Action.MANAGE_TRAINING, session.unit
    )
    return {
        "session": session,
        "counts": _counts(session),
        "attendances": _attendance_lines(session),
        "can_manage": can_manage,
        "invite_form": invite_form
        or (
            InviteForm(units=_invite_units(request, session), initial={"unit": session.unit})
            if can_manage
            else None
        ),
    }


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_user(request, pk)
    return render(request, "workforce/session_detail.html", _session_context(request, session))


@require_POST
def session_invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_user(request, pk)
    if not AdministrativeUnit.objects.active().allows(
        request.user, Action.MANAGE_TRAINING, session.unit
    ):
        raise Http404
    form = InviteForm(request.POST, units=_invite_units(request, session))
    if form.is_valid():
        workers = (
            Worker.objects.current()
            .filter(unit__path__startswith=form.cleaned_data["unit"].path)
            .select_related("unit")
        )
        if form.cleaned_data["position"]:
            workers = workers.filter(position=form.cleaned_data["position"])
        added = session_invite(by=request.user, session=session, workers=workers)
        messages.success(
            request,
            _("%(n)d workers invited.") % {"n": added} if added else _("No one new to invite."),
        )
        return redirect(session.get_absolute_url())
    context = _session_context(request, session, invite_form=form)
    return render(request, "workforce/session_detail.html", context)


@require_http_methods(["GET", "POST"])
def attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The roster of invited workers at the door, on a phone: tap a name to tick who came.
    Each tap is a plain form post (htmx swaps the row in place when JavaScript runs)."""
    session = _session_for_user(request, pk)
    if not AdministrativeUnit.objects.active().allows(
        request.user, Action.MANAGE_TRAINING, session.unit
    ):
        raise Http404
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:32]
    error, status, marked = "", 200, None
    if request.method == "POST":
        raw = request.POST.get("worker", "")
        attended = request.POST.get("attended") == "1"
        try:
            if not raw.isdigit():
                raise ValidationError(_("Choose a worker from the roster."))
            marked = attendance_mark(
                by=request.user, session=session, worker_id=int(raw), attended=attended
            )
        except ValidationError as problem:
            error, status = " ".join(problem.messages), 400
        else:
            if request.htmx:
                context = {"a": marked, "session": session, "counts": _counts(session), "q": query}
                return render(request, "workforce/attendance.html#marked", context)
            url = reverse("governance:session_attendance", args=[session.pk])
            return redirect(f"{url}{'?q=' + query if query else ''}#att-{marked.worker_id}")
    attendances = session.attendances.select_related("worker__unit", "worker__position")
    if query:
        attendances = attendances.filter(worker__name__contains=query)
    context = {
        "session": session,
        "attendances": attendances,
        "counts": _counts(session),
        "q": query,
        "error": error,
    }
    return render(request, "workforce/attendance.html", context, status=status)
