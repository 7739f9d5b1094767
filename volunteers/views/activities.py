"""Activities: a team leader logs one and records each volunteer's hours; the organising unit
verifies them."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from governance.forms.base import (
    add_service_errors,
    already_submitted,
    save_once,
)
from governance.privacy import masked_field
from governance.roles import Action
from governance.timeline import timeline_for
from governance.views.access import fragment_or_page
from volunteers.forms.volunteers import ActivityForm
from volunteers.models import Activity, HoursStatus, ServiceHours, Team, Volunteer
from volunteers.services.activities import (
    HoursLine,
    activity_create,
    can_record,
    can_verify,
    hours_record,
    hours_verify,
)
from volunteers.views.access import require_any, units_for

LIST_LIMIT = 200


def activity_list(request: HttpRequest) -> HttpResponse:
    require_any(request)
    activities = Activity.objects.for_user(request.user).select_related("unit", "team", "theme")
    context = {
        "activities": activities[:LIST_LIMIT],
        "total": activities.count(),
        "limit": LIST_LIMIT,
        "can_log": units_for(request, Action.RECORD_SERVICE).exists(),
    }
    return render(
        request, fragment_or_page(request, "volunteers/activity_list.html", "results"), context
    )


def _teams(request):
    return Team.objects.for_user(request.user, Action.RECORD_SERVICE).select_related("unit")


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
    """The team's members and anyone with hours in the activity, each with their line."""
    lines = {row.volunteer_id: row for row in activity.hours.all()}
    people = Volunteer.objects.filter(teams=activity.team) | Volunteer.objects.filter(
        pk__in=list(lines)
    )
    roster = []
    for volunteer in people.distinct().order_by("pk"):
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
                "status": row.get_status_display() if row else "",
                "status_key": row.status if row else "",
            }
        )
    return roster


def _detail_context(request, activity: Activity, **extra) -> dict:
    recorded = activity.hours.filter(status=HoursStatus.RECORDED).count()
    return {
        "activity": activity,
        "roster": extra.pop("roster", None) or _roster(activity),
        "groups": activity.target_groups.all(),
        "can_record": can_record(request.user, activity),
        "can_verify": can_verify(request.user, activity) and recorded > 0,
        "recorded": recorded,
        "verified": activity.hours.filter(status=HoursStatus.VERIFIED).count(),
        "timeline": timeline_for(activity),
        **extra,
    }


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    return render(request, "volunteers/activity_detail.html", _detail_context(request, activity))


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
            errors = error.messages
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


def team_list(request: HttpRequest) -> HttpResponse:
    require_any(request)
    teams = Team.objects.for_user(request.user).select_related("unit")
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        teams = teams.filter(unit__path__contains=f"/{unit}/")
    return render(
        request, "volunteers/team_list.html", {"teams": teams[:500], "total": teams.count()}
    )


def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_any(request)
    team = get_object_or_404(Team.objects.for_user(request.user).select_related("unit"), pk=pk)
    members = [
        {
            "name": masked_field(v, "name"),
            "phone": masked_field(v, "phone"),
            "url": v.get_absolute_url(),
            "skills": "、".join(v.skills),
        }
        for v in team.members.order_by("pk")[:500]
    ]
    context = {
        "team": team,
        "members": members,
        "member_count": team.members.count(),
        "leaders": team.leaders.all(),
        "activities": team.activities.order_by("-starts_at")[:20],
        "served": ServiceHours.objects.filter(activity__team=team, status="verified").count(),
    }
    return render(request, "volunteers/team_detail.html", context)
