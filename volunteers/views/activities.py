"""Activities: a team leader logs one and records each volunteer's hours; the organising unit
verifies them."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.base import (
    add_service_errors,
    against_version,
    already_submitted,
    save_once,
)
from core.models import StaleVersion
from core.privacy import masked_field
from core.timeline import timeline_for
from core.views.access import fragment_or_page
from volunteers.forms.editing import ActivityEditForm, PickVolunteerForm, VolunteerSearchForm
from volunteers.forms.volunteers import ActivityForm
from volunteers.models import Activity, HoursStatus, Volunteer, VolunteerStatus
from volunteers.services.activities import (
    HoursLine,
    activity_create,
    activity_update,
    can_record,
    can_verify,
    hours_record,
    hours_verify,
    signup_add,
    signup_remove,
    teams_to_log_for,
)
from volunteers.views.access import require_any, volunteer_row
from volunteers.views.cells import esc, join_safe, linker

LIST_LIMIT = 200
SEARCH_LIMIT = 20


def _cards(activities) -> SafeString:
    activity_url = linker("volunteers:activity_detail", "pk")
    return join_safe(
        f'\n    <li class="activity-card">\n      <a href="{activity_url(pk)}"><strong>'
        f"{esc(title)}</strong></a>\n"
        f'      <p class="meta">{timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")}'
        f" · {esc(unit)} · {esc(team)} · {esc(theme)}</p>\n    </li>\n  "
        for pk, title, starts_at, unit, team, theme in activities.values_list(
            "pk", "title", "starts_at", "unit__name", "team__name", "theme__name"
        )
    )


def activity_list(request: HttpRequest) -> HttpResponse:
    require_any(request)
    activities = Activity.objects.for_user(request.user)
    context = {
        "cards": _cards(activities[:LIST_LIMIT]),
        "total": activities.count(),
        "limit": LIST_LIMIT,
        "can_log": teams_to_log_for(request.user).exists(),
    }
    return render(
        request, fragment_or_page(request, "volunteers/activity_list.html", "results"), context
    )


def _teams(request):
    return teams_to_log_for(request.user).select_related("unit")


@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    teams = _teams(request)
    if not teams.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = ActivityForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = data.pop("submission_key")
        try:
            activity, done = save_once(
                request,
                key,
                lambda: activity_create(by=request.user, **data),
                "volunteers:activities",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if done:
                return redirect(done)
            messages.success(request, _("Activity logged."))
            return redirect(activity.get_absolute_url())
    if teams.count() == 1:
        form.fields["team"].initial = teams.first()
    return render(request, "volunteers/activity_form.html", {"form": form})


def _activity(request, pk: int) -> Activity:
    require_any(request)
    return get_object_or_404(
        Activity.objects.for_user(request.user).select_related("unit", "team", "theme"), pk=pk
    )


def _roster(activity: Activity, posted=None) -> list[dict]:
    """Those signed up (or with hours) in the activity, each with their line; then the team's
    active members who did not sign up, whose hours sign them up if the activity has room."""
    lines = {row.volunteer_id: row for row in activity.hours.all()}
    # A UNION lets each part use its index; an OR across the members' join scans every volunteer.
    people = (
        Volunteer.objects.filter(pk__in=list(lines))
        .order_by()
        .union(
            Volunteer.objects.filter(teams=activity.team, status=VolunteerStatus.ACTIVE).order_by()
        )
    )
    roster = []
    ordered = sorted(people, key=lambda v: (v.pk not in lines, v.pk))
    for volunteer in ordered:
        row = lines.get(volunteer.pk)
        value = (posted or {}).get(f"hours_{volunteer.pk}")
        if value is None:
            value = "" if row is None or row.hours is None else str(row.hours)
        roster.append(
            {
                "volunteer": volunteer,
                "name": masked_field(volunteer, "name"),
                "id_number": masked_field(volunteer, "id_number"),
                "field": f"hours_{volunteer.pk}",
                "value": value,
                "signed_up": row is not None,
                "status": row.get_status_display() if row else "",
                "status_key": row.status if row else "",
            }
        )
    return roster


def _signups(activity: Activity) -> list[dict]:
    rows = activity.hours.select_related("volunteer").order_by("id")
    return [
        {
            "pk": row.volunteer_id,
            "name": masked_field(row.volunteer, "name"),
            "id_number": masked_field(row.volunteer, "id_number"),
            "url": row.volunteer.get_absolute_url(),
            "status": row.get_status_display(),
            "status_key": row.status,
            "removable": row.status == HoursStatus.SIGNED_UP,
        }
        for row in rows
    ]


def _candidates(request, activity: Activity, form) -> list[dict] | None:
    if not (form.is_bound and form.is_valid()):
        return None
    found = (
        form.search(Volunteer.objects.for_user(request.user).filter(status="active"))
        .exclude(hours__activity=activity)
        .select_related("unit")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )
    return [
        {**volunteer_row(v), "form": PickVolunteerForm(initial={"volunteer": v.pk})} for v in found
    ]


def _hours_line(r: dict, can_record: bool, describedby: str = "") -> SafeString:
    """One line of the hours form, as the hours_line partial wrote it."""
    field, error, status = esc(r["field"]), r.get("error"), r.get("status")
    if can_record:
        described = ""
        if status or error or describedby:
            described = (
                f' aria-describedby="{f"{field}_error " if error else ""}'
                f'{f"{field}_state " if status else ""}{esc(describedby)}"'
            )
        entry = (
            f'<input type="text" inputmode="decimal" id="{field}" name="{field}" '
            f'value="{esc(r["value"])}" size="4"{described}'
            f"{' aria-invalid="true"' if error else ''}>"
        )
    else:
        entry = f'<span id="{field}">{esc(r["value"] or "—")}</span>'
    state = ""
    if status:
        state = f'<span class="status status-{esc(r["status_key"])}" id="{field}_state">'
        state += f"{esc(status)}</span>"
    problem = f'<p class="field-error" id="{field}_error">{esc(error)}</p>' if error else ""
    return mark_safe(  # noqa: S308 -- every value escaped above
        f'<li class="roster-line{" has-error" if error else ""}">\n'
        f'            <label for="{field}">{esc(r["name"])} '
        f'<span class="mono muted">{esc(r["id_number"])}</span></label>\n'
        f"            \n              {entry}\n            \n"
        f"            {state}\n            {problem}\n          </li>\n"
    )


def _roster_parts(roster: list[dict], activity: Activity, taken: int) -> dict:
    """The hours form's two lists: those signed up, and the members who may still join (none
    offered once the activity is full, unless a posted line is being shown back)."""
    joining = [r for r in roster if not r["signed_up"]]
    if taken >= activity.capacity:
        joining = [r for r in joining if r["value"].strip() or r.get("error")]
    return {
        "roster": [r for r in roster if r["signed_up"]],
        "joining": joining,
    }


def _detail_context(request, activity: Activity, **extra) -> dict:
    recorded = activity.hours.filter(status=HoursStatus.RECORDED).count()
    may_record = can_record(request.user, activity)
    search = extra.pop("search", None) or VolunteerSearchForm(
        request.GET if "q" in request.GET else None
    )
    signups = _signups(activity)
    parts = _roster_parts(extra.pop("roster", None) or _roster(activity), activity, len(signups))
    for r in parts["roster"]:
        r["line"] = _hours_line(r, may_record)
    for r in parts["joining"]:
        r["line"] = _hours_line(r, may_record, "joining-help")
    return {
        "activity": activity,
        "signups": signups,
        "taken": len(signups),
        "full": len(signups) >= activity.capacity,
        "search": search,
        "candidates": _candidates(request, activity, search) if may_record else None,
        "signup_error": extra.pop("signup_error", None),
        "can_signup": may_record and activity.ends_at > timezone.now(),
        "can_edit": may_record,
        **parts,
        "groups": activity.target_groups.all(),
        "can_record": may_record,
        "can_verify": can_verify(request.user, activity) and recorded > 0,
        "recorded": recorded,
        "verified": activity.hours.filter(status=HoursStatus.VERIFIED).count(),
        "timeline": timeline_for(activity),
        **extra,
    }


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    template = fragment_or_page(request, "volunteers/activity_detail.html", "signups")
    return render(request, template, _detail_context(request, activity))


@require_POST
def signup_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign a volunteer up (a team leader or the unit's staff, after a search)."""
    activity = _activity(request, pk)
    if not can_record(request.user, activity):
        raise Http404
    back = activity.get_absolute_url() + "#signups"
    if already_submitted(request):
        return redirect(back)
    form = PickVolunteerForm(request.POST)
    error = None
    if form.is_valid():
        volunteer = (
            Volunteer.objects.for_user(request.user)
            .filter(pk=form.cleaned_data["volunteer"])
            .first()
        )
        if volunteer is None:
            raise Http404
        key = form.cleaned_data["submission_key"]
        try:
            _signup, repeat = save_once(
                request,
                key,
                lambda: signup_add(by=request.user, activity=activity, volunteer=volunteer),
                back,
                result=lambda _signup: back,
            )
        except ValidationError as exc:
            error = exc.messages
        except PermissionDenied:
            raise Http404 from None
        else:
            if repeat:
                return redirect(repeat)
            messages.success(request, _("%(name)s signed up.") % {"name": volunteer})
            return redirect(back)
    else:
        error = [_("Choose a volunteer from the search results.")]
    context = _detail_context(request, activity, signup_error=error)
    return render(request, "volunteers/activity_detail.html", context)


@require_POST
def signup_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not can_record(request.user, activity):
        raise Http404
    raw = request.POST.get("volunteer", "")
    if not raw.isdigit():
        raise Http404
    try:
        removed = signup_remove(by=request.user, activity=activity, volunteer_id=int(raw))
    except ValidationError as exc:
        context = _detail_context(request, activity, signup_error=exc.messages)
        return render(request, "volunteers/activity_detail.html", context)
    if removed:
        messages.success(request, _("Sign-up removed."))
    return redirect(activity.get_absolute_url() + "#signups")


def _activity_initial(activity: Activity) -> dict:
    return {
        "version": activity.version,
        "title": activity.title,
        "theme": activity.theme_id,
        "target_groups": list(activity.target_groups.values_list("pk", flat=True)),
        "starts_at": timezone.localtime(activity.starts_at),
        "ends_at": timezone.localtime(activity.ends_at),
        "place": activity.place,
        "capacity": activity.capacity,
        "served": activity.served,
        "description": activity.description,
    }


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an activity against the version it was opened at; refused when the change would
    make hours already recorded invalid or the sign-ups exceed the capacity. Its tallies (the
    activity's day, 人次 served) and its hours' days follow in the same transaction."""
    activity = _activity(request, pk)
    if not can_record(request.user, activity):
        raise Http404
    form = ActivityEditForm(request.POST or None, initial=_activity_initial(activity))
    conflict, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            activity_update(by=request.user, activity=activity, version=version, **data)
        except StaleVersion as stale:
            conflict, status = stale.current, 409
            posted = against_version(request.POST, stale.current)
            form = ActivityEditForm(posted)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Activity saved."))
            return redirect(activity.get_absolute_url())
    context = {"form": form, "activity": activity, "conflict": conflict}
    return render(request, "volunteers/activity_edit.html", context, status=status)


def _errors_next_to_lines(error: ValidationError, roster: list[dict]) -> list[str]:
    """A message that names a volunteer's line goes next to it; the rest stay on top."""
    entries = {entry["volunteer"].pk: entry for entry in roster}
    general = []
    for item in error.error_list:
        message = item.message % item.params if item.params else item.message
        entry = entries.get((item.params or {}).get("volunteer"))
        if entry is None:
            general.append(str(message))
        else:
            entry["error"] = str(message)
    return general or [_("Nothing was saved: correct the lines marked below.")]


@require_POST
def hours_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not can_record(request.user, activity):
        raise Http404
    roster = _roster(activity, request.POST)
    errors, lines = [], []
    for entry in roster:
        text = entry["value"].strip()
        if not text:
            lines.append(HoursLine(entry["volunteer"], None))
            continue
        try:
            hours = Decimal(text)
            if not hours.is_finite() or hours != hours.quantize(Decimal("0.1")):
                raise InvalidOperation
        except InvalidOperation:
            entry["error"] = _("Enter hours as a number with at most one decimal, e.g. 2.5.")
            errors.append(entry["error"])
            continue
        lines.append(HoursLine(entry["volunteer"], hours))
    if not errors:
        try:
            saved = hours_record(by=request.user, activity=activity, lines=lines)
        except ValidationError as error:
            errors = _errors_next_to_lines(error, roster)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Hours saved for %(n)s volunteers; they await verification.") % {"n": saved},
            )
            return redirect(activity.get_absolute_url() + "#hours")
    context = _detail_context(request, activity, roster=roster, hours_errors=errors)
    return render(request, "volunteers/activity_detail.html", context)


@require_POST
def hours_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not can_verify(request.user, activity):
        raise Http404
    try:
        count = hours_verify(by=request.user, activity=activity)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s lines of hours verified.") % {"n": count})
    return redirect(activity.get_absolute_url() + "#hours")
