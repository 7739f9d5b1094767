"""Teams: the unit's staff found a team and name its leaders; its leaders and the staff keep
its roster of members."""

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import may
from volunteers.models import Team, TeamMember, Volunteer
from volunteers.roles import Action

__all__ = [
    "can_manage_team",
    "can_keep_roster",
    "member_add",
    "member_remove",
    "team_create",
    "team_update",
]


def can_manage_team(user, team: Team) -> bool:
    return may(user, Action.MANAGE_VOLUNTEERS, team.unit_id)


def can_keep_roster(user, team: Team) -> bool:
    return can_manage_team(user, team) or may(user, Action.RECORD_SERVICE, team.unit_id)


def _name_taken(unit) -> ValidationError:
    return ValidationError(
        {"name": _("%(unit)s already has a team of this name.") % {"unit": unit.name}}
    )


def team_create(*, by, unit, name: str, founded_on, leaders=()) -> Team:
    if not may(by, Action.MANAGE_VOLUNTEERS, unit.pk):
        raise PermissionDenied
    if Team.objects.filter(unit=unit, name=name).exists():
        raise _name_taken(unit)
    try:
        with transaction.atomic(), pghistory.context(user=by.pk, reason="team_create"):
            team = Team(unit=unit, name=name, founded_on=founded_on)
            team.save()
            team.leaders.set(leaders)
    except IntegrityError:
        raise _name_taken(unit) from None
    return team


def team_update(*, by, team: Team, version: int, name: str, founded_on, leaders=()) -> Team:
    """Against the version the form was opened at (StaleVersion otherwise); the team's tally
    follows a change of its founding day."""
    if not can_manage_team(by, team):
        raise PermissionDenied
    if Team.objects.filter(unit_id=team.unit_id, name=name).exclude(pk=team.pk).exists():
        raise _name_taken(team.unit)
    try:
        with transaction.atomic(), pghistory.context(user=by.pk, reason="team_update"):
            current = Team.lock_at_version(team.pk, version)
            current.name = name
            current.founded_on = founded_on
            current.save()
            current.leaders.set(leaders)
    except IntegrityError:
        raise _name_taken(team.unit) from None
    return current


def member_add(*, by, team: Team, volunteer: Volunteer) -> TeamMember:
    if not can_keep_roster(by, team):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="member_add"):
        member, created = TeamMember.objects.get_or_create(
            team=team, volunteer=volunteer, defaults={"joined_on": timezone.localdate()}
        )
    if not created:
        raise ValidationError(
            {"volunteer": _("%(name)s is already a member.") % {"name": volunteer}}
        )
    return member


def member_remove(*, by, team: Team, volunteer_id: int) -> bool:
    if not can_keep_roster(by, team):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="member_remove"):
        deleted, _rows = TeamMember.objects.filter(team=team, volunteer_id=volunteer_id).delete()
    return deleted > 0
