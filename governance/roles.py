"""Roles and what each may do: the one table every permission check reads.

A membership is (user, unit, role). Its grant covers the unit and everything below it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from governance.models.units import UnitLevel

__all__ = ["APPOINTS", "Action", "Role", "ROLES", "role_choices", "role_for"]


class Action:
    VIEW = "view"
    VIEW_HISTORY = "view_history"
    MANAGE_UNITS = "manage_units"  # the unit tree, district-wide lists
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_REGISTRIES = "manage_registries"  # studios, service points
    LOG_CASES = "log_cases"  # take in disputes and hazards, record legal service
    HANDLE_CASES = "handle_cases"  # mediate, resolve, escalate, refer, reopen
    DRAFT_DISCLOSURE = "draft_disclosure"  # catalogue, posts, 四议两公开 steps, surveys, responses
    REVIEW_DISCLOSURE = "review_disclosure"  # return or approve posts; sign off rectifications
    FILE_FINDINGS = "file_findings"  # supervision findings with photos
    LOG_DEMANDS = "log_demands"  # take in residents' demands, route and answer them
    RUN_CONSULTATION = "run_consultation"  # 三会协商 meetings, livelihood projects, 12345 import
    MANAGE_WORKFORCE = "manage_workforce"  # the roster of workers, positions, incentives
    MANAGE_TRAINING = "manage_training"  # programmes, sessions, invitations, attendance
    MANAGE_COMPETITION = "manage_competition"  # the skills competition: rounds, judges, results
    JUDGE = "judge"  # enter scores for the rounds one is a judge of
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

# What a role may do, by subdomain; each row of the table below is the union of its columns.
ADMIN = {A.MANAGE_UNITS, A.MANAGE_ACCOUNTS, A.MANAGE_REGISTRIES}
CASES = {A.LOG_CASES, A.HANDLE_CASES}
CONSULT = {A.LOG_DEMANDS, A.RUN_CONSULTATION}
STAFF = {A.MANAGE_WORKFORCE, A.MANAGE_TRAINING}
SERVICE = {A.MANAGE_VOLUNTEERS, A.RECORD_SERVICE, A.VERIFY_HOURS}
LOCAL = {L.VILLAGE, L.COMMUNITY}
SEEN = {A.VIEW}
AUDIT = {A.VIEW, A.VIEW_HISTORY}

# key                    label                                  held at                  may
_TABLE = [
    ("district_staff",    _("District social-work department"), {L.DISTRICT},
        AUDIT | ADMIN | CASES | CONSULT | STAFF | {A.MANAGE_COMPETITION, A.JUDGE}
        | SERVICE | {A.REDEEM_POINTS}),
    ("street_official",   _("Street official"),                  {L.STREET},
        AUDIT | {A.MANAGE_ACCOUNTS, A.MANAGE_REGISTRIES} | CASES | CONSULT | STAFF | SERVICE),
    ("community_worker",  _("Community worker"),                 LOCAL,
        AUDIT | CASES | CONSULT | SERVICE),
    ("grid_worker",       _("Grid worker"),                      {L.GRID},
        SEEN | CASES | {A.LOG_DEMANDS}),
    ("village_clerk",     _("Village-affairs clerk"),            LOCAL,
        SEEN | {A.DRAFT_DISCLOSURE}),
    ("supervisor",        _("Supervision-committee member"),     LOCAL,
        SEEN | {A.REVIEW_DISCLOSURE, A.FILE_FINDINGS}),
    ("observer",          _("Construction observer"),            LOCAL,
        SEEN | {A.FILE_FINDINGS}),
    ("volunteer_leader",  _("Volunteer-team leader"),            {L.STREET, *LOCAL},
        SEEN | {A.RECORD_SERVICE}),
    ("points_staff",      _("Points-supermarket staff"),         LOCAL,
        SEEN | {A.REDEEM_POINTS}),
    ("competition_judge", _("Competition judge"),                {L.DISTRICT, L.STREET},
        {A.JUDGE}),
]  # fmt: skip

# Roles a holder may appoint below them without holding the role's actions: those who oversee
# village affairs appoint the clerks, supervision-committee members and observers.
VILLAGE_ROLES = {"village_clerk", "supervisor", "observer"}
APPOINTS: dict[str, set[str]] = {
    "district_staff": VILLAGE_ROLES,
    "street_official": VILLAGE_ROLES,
}

ROLES: dict[str, Role] = {
    key: Role(key, label, frozenset(levels), frozenset(actions))
    for key, label, levels, actions in _TABLE
}


def role_for(key: str) -> Role | None:
    return ROLES.get(key)


def role_choices() -> list[tuple[str, str]]:
    return [(role.key, role.label) for role in ROLES.values()]
