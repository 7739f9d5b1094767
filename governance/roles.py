"""Roles and what each may do: the one table every permission check reads.

A membership is (user, unit, role). Its grant covers the unit and everything below it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from governance.models.units import UnitLevel

__all__ = ["Action", "Role", "ROLES", "role_choices", "role_for"]


class Action:
    VIEW = "view"
    MANAGE_UNITS = "manage_units"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_HISTORY = "view_history"
    LOG_CASES = "log_cases"  # take in disputes and hazards, record legal service
    HANDLE_CASES = "handle_cases"  # mediate, resolve, escalate, refer, reopen
    MANAGE_REGISTRIES = "manage_registries"  # studios, service points, category lists
    MANAGE_VOLUNTEERS = "manage_volunteers"  # volunteers, rolls, teams, network, points rules
    RECORD_SERVICE = "record_service"  # log activities and volunteers' hours (team leaders)
    VERIFY_HOURS = "verify_hours"  # the organising unit verifies recorded hours
    REDEEM_POINTS = "redeem_points"  # the points-supermarket counter


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    levels: frozenset[str]
    actions: frozenset[str]


L = UnitLevel
A = Action

_CASES = {A.LOG_CASES, A.HANDLE_CASES}
_MANAGE = {A.VIEW, A.MANAGE_UNITS, A.MANAGE_ACCOUNTS, A.VIEW_HISTORY, A.MANAGE_REGISTRIES, *_CASES}
_LOCAL = {L.VILLAGE, L.COMMUNITY}
_STREET = {A.VIEW, A.MANAGE_ACCOUNTS, A.VIEW_HISTORY, A.MANAGE_REGISTRIES, *_CASES}
_HISTORY = {A.VIEW, A.VIEW_HISTORY, *_CASES}
_GRID = {A.VIEW, *_CASES}

# key                   label                                  held at            may
_TABLE = [
    ("district_staff",   _("District social-work department"), {L.DISTRICT},      _MANAGE),
    ("street_official",  _("Street official"),                  {L.STREET},        _STREET),
    ("community_worker", _("Community worker"),                 _LOCAL,            _HISTORY),
    ("grid_worker",      _("Grid worker"),                      {L.GRID},          _GRID),
    ("village_clerk",    _("Village-affairs clerk"),            _LOCAL,            {A.VIEW}),
    ("supervisor",       _("Supervision-committee member"),     _LOCAL,            {A.VIEW}),
    ("observer",         _("Construction observer"),            _LOCAL,            {A.VIEW}),
    ("volunteer_leader", _("Volunteer-team leader"),            {L.STREET, *_LOCAL}, {A.VIEW}),
    ("points_staff",     _("Points-supermarket staff"),         _LOCAL,            {A.VIEW}),
]  # fmt: skip

# Volunteer service (the volunteers app): what each role may do there, on top of the above.
_VOLUNTEERING = {A.MANAGE_VOLUNTEERS, A.RECORD_SERVICE, A.VERIFY_HOURS}
_VOLUNTEER_ACTIONS = {
    "district_staff":   {*_VOLUNTEERING, A.REDEEM_POINTS},
    "street_official":  _VOLUNTEERING,
    "community_worker": _VOLUNTEERING,
    "volunteer_leader": {A.RECORD_SERVICE},
    "points_staff":     {A.REDEEM_POINTS},
}  # fmt: skip

ROLES: dict[str, Role] = {
    key: Role(
        key, label, frozenset(levels), frozenset({*actions, *_VOLUNTEER_ACTIONS.get(key, ())})
    )
    for key, label, levels, actions in _TABLE
}


def role_for(key: str) -> Role | None:
    return ROLES.get(key)


def role_choices() -> list[tuple[str, str]]:
    return [(role.key, role.label) for role in ROLES.values()]
