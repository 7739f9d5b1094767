"""The volunteers app's actions and roles (registered from its AppConfig)."""

from django.utils.translation import gettext_lazy as _

from core import roles
from core.models import UnitLevel as L


class Action(roles.Action):
    MANAGE_VOLUNTEERS = "manage_volunteers"  # volunteers, rolls, teams, network, points rules
    RECORD_SERVICE = "record_service"  # log activities and volunteers' hours (team leaders)
    VERIFY_HOURS = "verify_hours"  # the organising unit verifies recorded hours
    REDEEM_POINTS = "redeem_points"  # the points-supermarket counter


A = Action
LOCAL = {L.VILLAGE, L.COMMUNITY}
SERVICE = {A.MANAGE_VOLUNTEERS, A.RECORD_SERVICE, A.VERIFY_HOURS}

# (key, label, held at, may, order among the roles)
ROLES = [
    (
        "volunteer_leader",
        _("Volunteer-team leader"),
        {L.STREET, *LOCAL},
        {A.VIEW, A.RECORD_SERVICE},
        80,
    ),
    ("points_staff", _("Points-supermarket staff"), LOCAL, {A.VIEW, A.REDEEM_POINTS}, 90),
]

GRANTS = {
    "district_staff": SERVICE | {A.REDEEM_POINTS},
    "street_official": SERVICE,
    "community_worker": SERVICE,
}


def register() -> None:
    for role in ROLES:
        roles.register_role(*role)
    roles.grant(GRANTS)
