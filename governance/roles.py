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
    MANAGE_WORKFORCE = "manage_workforce"  # the roster of workers, positions, incentives
    MANAGE_TRAINING = "manage_training"  # programmes, sessions, invitations, attendance
    MANAGE_COMPETITION = "manage_competition"  # the skills competition: rounds, judges, results
    JUDGE = "judge"  # enter scores for the rounds one is a judge of


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
    ("competition_judge", _("Competition judge"),               {L.DISTRICT, L.STREET}, {A.JUDGE}),
]  # fmt: skip

# Workforce (roster, training, competition): what existing roles may do besides the above.
_WORKFORCE = {
    "district_staff": {A.MANAGE_WORKFORCE, A.MANAGE_TRAINING, A.MANAGE_COMPETITION, A.JUDGE},
    "street_official": {A.MANAGE_WORKFORCE, A.MANAGE_TRAINING},
}

ROLES: dict[str, Role] = {
    key: Role(key, label, frozenset(levels), frozenset({*actions, *_WORKFORCE.get(key, ())}))
    for key, label, levels, actions in _TABLE
}


def role_for(key: str) -> Role | None:
    return ROLES.get(key)


def role_choices() -> list[tuple[str, str]]:
    return [(role.key, role.label) for role in ROLES.values()]
