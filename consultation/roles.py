"""The consultation app's actions and which roles may take them (registered from its AppConfig)."""

from core import roles


class Action(roles.Action):
    LOG_DEMANDS = "log_demands"  # take in residents' demands, route and answer them
    RUN_CONSULTATION = "run_consultation"  # 三会协商 meetings, livelihood projects, 12345 import


A = Action
CONSULT = {A.LOG_DEMANDS, A.RUN_CONSULTATION}

GRANTS = {
    "district_staff": CONSULT,
    "street_official": CONSULT,
    "community_worker": CONSULT,
    "grid_worker": {A.LOG_DEMANDS},
}


def register() -> None:
    roles.grant(GRANTS)
