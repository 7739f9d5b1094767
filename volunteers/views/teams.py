"""Teams: the list, a team's page with its roster, founding and editing a team, adding and
removing members (found by name or the last characters of the ID number)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.base import (
    add_service_errors,
    against_version,
    already_submitted,
    save_once,
)
from core.models import AdministrativeUnit, StaleVersion, UnitLevel, User, units_for
from core.privacy import masked_field
from core.timeline import timeline_for
from core.views.access import fragment_or_page
from volunteers.forms.editing import PickVolunteerForm, TeamEditForm, TeamForm, VolunteerSearchForm
from volunteers.models import ServiceHours, Team, Volunteer
from volunteers.roles import Action
from volunteers.services.teams import (
    can_keep_roster,
    can_manage_team,
    member_add,
    member_remove,
    team_create,
    team_update,
)
from volunteers.views.access import require_any, volunteer_row
from volunteers.views.cells import esc, join_safe, linker

SEARCH_LIMIT = 20
# Who may lead a team: accounts that log activities there.
LEADER_ROLES = ("volunteer_leader", "community_worker", "street_official", "district_staff")


def _leaders_below(units):
    """Active accounts holding a leading role at one of these units or below."""
    paths = []
    for path in sorted(units.values_list("path", flat=True)):
        if not any(path.startswith(kept) for kept in paths):  # a subtree already covered
            paths.append(path)
    if not paths:
        return User.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(memberships__unit__path__startswith=path)
    return (
        User.objects.filter(condition, is_active=True, memberships__role__in=LEADER_ROLES)
        .distinct()
        .order_by("full_name", "username")
    )


def _team_units(request):
    return units_for(request, Action.MANAGE_VOLUNTEERS).filter(
        level__in=[UnitLevel.DISTRICT, UnitLevel.STREET, UnitLevel.COMMUNITY, UnitLevel.VILLAGE]
    )


def team_list(request: HttpRequest) -> HttpResponse:
    require_any(request)
    teams = Team.objects.for_user(request.user).select_related("unit")
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        teams = teams.filter(unit__path__contains=f"/{unit}/")
    team_url = linker("volunteers:team_detail", "pk")
    rows = join_safe(
        f'<tr><td><a href="{team_url(pk)}">{esc(name)}</a></td><td>{esc(unit_name)}</td>'
        f'<td class="col-wide">{founded_on.isoformat()}</td></tr>'
        for pk, name, unit_name, founded_on in teams.values_list(
            "pk", "name", "unit__name", "founded_on"
        )[:500]
    )
    context = {
        "rows": rows,
        "total": teams.count(),
        "can_create": _team_units(request).exists(),
    }
    return render(request, "volunteers/team_list.html", context)


@require_http_methods(["GET", "POST"])
def team_new(request: HttpRequest) -> HttpResponse:
    units = _team_units(request)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    chosen = None
    if request.method == "POST" and request.POST.get("unit", "").isdigit():
        chosen = units.filter(pk=int(request.POST["unit"])).first()
    leaders = _leaders_below(AdministrativeUnit.objects.filter(pk=chosen.pk) if chosen else units)
    form = TeamForm(
        request.POST or None,
        units=units,
        leaders=leaders,
        initial={"founded_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        try:
            team, done = save_once(
                request, key, lambda: team_create(by=request.user, **data), "volunteers:teams"
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            if done:
                return redirect(done)
            messages.success(request, _("Team founded."))
            return redirect(team.get_absolute_url())
    return render(request, "volunteers/team_form.html", {"form": form, "team": None})


def _team(request, pk: int) -> Team:
    require_any(request)
    return get_object_or_404(Team.objects.for_user(request.user).select_related("unit"), pk=pk)


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    if not can_manage_team(request.user, team):
        raise Http404
    leaders = _leaders_below(AdministrativeUnit.objects.filter(pk=team.unit_id))
    initial = {
        "version": team.version,
        "name": team.name,
        "founded_on": team.founded_on,
        "leaders": list(team.leaders.values_list("pk", flat=True)),
    }
    form = TeamEditForm(request.POST or None, initial=initial, leaders=leaders)
    conflict, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("submission_key", None)
        try:
            team_update(by=request.user, team=team, **data)
        except StaleVersion as stale:
            conflict, status = stale.current, 409
            posted = against_version(request.POST, stale.current)
            form = TeamEditForm(posted, leaders=leaders)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Team saved."))
            return redirect(team.get_absolute_url())
    context = {
        "form": form,
        "team": team,
        "conflict": conflict,
        "conflict_leaders": conflict.leaders.all() if conflict else (),
    }
    return render(request, "volunteers/team_form.html", context, status=status)


def _candidates(request, team: Team, search) -> list[dict] | None:
    if not (search.is_bound and search.is_valid()):
        return None
    found = (
        search.search(Volunteer.objects.for_user(request.user).filter(status="active"))
        .exclude(teams=team)
        .select_related("unit")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )
    return [
        {**volunteer_row(v), "form": PickVolunteerForm(initial={"volunteer": v.pk})} for v in found
    ]


def _member_lines(request, team: Team, keeps: bool) -> SafeString:
    """The members' list items, written here (a template's lookups per member cost more than
    the page may spend); personal data masked as everywhere."""
    volunteer_url = linker("volunteers:volunteer_detail", "pk")
    remove_url = esc(reverse("volunteers:member_remove", kwargs={"pk": team.pk}))
    token = esc(get_token(request)) if keeps else ""
    lines = []
    for v in team.members.order_by("pk")[:500]:
        name = esc(masked_field(v, "name"))
        line = (
            f'<li><a href="{volunteer_url(v.pk)}">{name}</a> '
            f'<span class="mono muted">{esc(masked_field(v, "phone"))}</span> '
            f"{esc('、'.join(v.skills))}\n      "
        )
        if keeps:
            remove = _("Remove %(name)s") % {"name": name}
            line += (
                f'\n      <form method="post" action="{remove_url}" class="inline-form">\n'
                f'        <input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
                f'<input type="hidden" name="volunteer" value="{v.pk}">\n'
                f'        <button type="submit" class="link-button">{remove}</button>\n'
                f"      </form>\n      "
            )
        lines.append(line + "\n    </li>")
    return join_safe(lines)


def _detail_context(request, team: Team, **extra) -> dict:
    keeps = can_keep_roster(request.user, team)
    search = VolunteerSearchForm(request.GET if "q" in request.GET else None)
    return {
        "team": team,
        "members": _member_lines(request, team, keeps),
        "member_count": team.members.count(),
        "leaders": team.leaders.all(),
        "activities": team.activities.order_by("-starts_at")[:20],
        "served": ServiceHours.objects.filter(activity__team=team, status="verified").count(),
        "can_edit": can_manage_team(request.user, team),
        "can_keep_roster": keeps,
        "search": search,
        "candidates": _candidates(request, team, search) if keeps else None,
        "member_error": extra.get("member_error"),
        "timeline": timeline_for(team),
    }


def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    template = fragment_or_page(request, "volunteers/team_detail.html", "candidates")
    return render(request, template, _detail_context(request, team))


@require_POST
def member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    if not can_keep_roster(request.user, team):
        raise Http404
    back = team.get_absolute_url() + "#members"
    if already_submitted(request):
        return redirect(back)
    form = PickVolunteerForm(request.POST)
    if not form.is_valid():
        context = _detail_context(
            request, team, member_error=[_("Choose a volunteer from the search results.")]
        )
        return render(request, "volunteers/team_detail.html", context)
    volunteer = (
        Volunteer.objects.for_user(request.user).filter(pk=form.cleaned_data["volunteer"]).first()
    )
    if volunteer is None:
        raise Http404
    key = form.cleaned_data["submission_key"]
    try:
        _member, repeat = save_once(
            request,
            key,
            lambda: member_add(by=request.user, team=team, volunteer=volunteer),
            back,
            result=lambda _member: back,
        )
    except ValidationError as error:
        context = _detail_context(request, team, member_error=error.messages)
        return render(request, "volunteers/team_detail.html", context)
    except PermissionDenied:
        raise Http404 from None
    if repeat:
        return redirect(repeat)
    messages.success(request, _("%(name)s joined the team.") % {"name": volunteer})
    return redirect(back)


@require_POST
def member_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    if not can_keep_roster(request.user, team):
        raise Http404
    raw = request.POST.get("volunteer", "")
    if not raw.isdigit():
        raise Http404
    if member_remove(by=request.user, team=team, volunteer_id=int(raw)):
        messages.success(request, _("Member removed from the team."))
    return redirect(team.get_absolute_url() + "#members")
