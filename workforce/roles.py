"""The workforce app's actions and roles (registered from its AppConfig)."""

from django.utils.translation import gettext_lazy as _

from core import roles
from core.models import UnitLevel as L


class Action(roles.Action):
    MANAGE_WORKFORCE = "manage_workforce"  # the roster of workers, positions, incentives
    MANAGE_TRAINING = "manage_training"  # programmes, sessions, invitations, attendance
    MANAGE_COMPETITION = "manage_competition"  # the skills competition: rounds, judges, results
    JUDGE = "judge"  # enter scores for the rounds one is a judge of


A = Action
STAFF = {A.MANAGE_WORKFORCE, A.MANAGE_TRAINING}

GRANTS = {
    "district_staff": STAFF | {A.MANAGE_COMPETITION, A.JUDGE},
    "street_official": STAFF,
}


def register() -> None:
    roles.register_role(
        "competition_judge", _("Competition judge"), {L.DISTRICT, L.STREET}, {A.JUDGE}, 100
    )
    roles.grant(GRANTS)
