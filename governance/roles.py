"""Roles and what each may do: the one table every permission check reads.

A membership is (user, unit, role). Its grant covers the unit and everything below it.
"""

from dataclasses import dataclass, replace

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
    # Village-affairs disclosure (issue 5)
    DRAFT_DISCLOSURE = "draft_disclosure"  # catalogue, posts, 四议两公开 steps, surveys, responses
    REVIEW_DISCLOSURE = "review_disclosure"  # return or approve posts; sign off rectifications
    FILE_FINDINGS = "file_findings"  # supervision findings with photos
    LOG_DEMANDS = "log_demands"  # take in residents' demands, route and answer them
    RUN_CONSULTATION = "run_consultation"  # 三会协商 meetings, livelihood projects, 12345 import
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
_CLERK = {A.VIEW, A.DRAFT_DISCLOSURE}
_SUPERVISOR = {A.VIEW, A.REVIEW_DISCLOSURE, A.FILE_FINDINGS}
_OBSERVER = {A.VIEW, A.FILE_FINDINGS}

# key                   label                                  held at            may
_TABLE = [
    ("district_staff",   _("District social-work department"), {L.DISTRICT},      _MANAGE),
    ("street_official",  _("Street official"),                  {L.STREET},        _STREET),
    ("community_worker", _("Community worker"),                 _LOCAL,            _HISTORY),
    ("grid_worker",      _("Grid worker"),                      {L.GRID},          _GRID),
    ("village_clerk",    _("Village-affairs clerk"),            _LOCAL,            _CLERK),
    ("supervisor",       _("Supervision-committee member"),     _LOCAL,            _SUPERVISOR),
    ("observer",         _("Construction observer"),            _LOCAL,            _OBSERVER),
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


# Consultation (三会协商): who takes in demands and who runs the meetings and projects.
# role                    adds
_CONSULTATION = [
    ("district_staff",    {A.LOG_DEMANDS, A.RUN_CONSULTATION}),
    ("street_official",   {A.LOG_DEMANDS, A.RUN_CONSULTATION}),
    ("community_worker",  {A.LOG_DEMANDS, A.RUN_CONSULTATION}),
    ("grid_worker",       {A.LOG_DEMANDS}),
]  # fmt: skip
for _key, _adds in _CONSULTATION:
    ROLES[_key] = replace(ROLES[_key], actions=ROLES[_key].actions | frozenset(_adds))


def role_for(key: str) -> Role | None:
    return ROLES.get(key)


def role_choices() -> list[tuple[str, str]]:
    return [(role.key, role.label) for role in ROLES.values()]
