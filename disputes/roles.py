"""The disputes app's actions and which roles may take them (registered from its AppConfig)."""

from core import roles


class Action(roles.Action):
    MANAGE_REGISTRIES = "manage_registries"  # studios, service points
    LOG_CASES = "log_cases"  # take in disputes and hazards, record legal service
    HANDLE_CASES = "handle_cases"  # mediate, resolve, escalate, refer, reopen


A = Action
CASES = {A.LOG_CASES, A.HANDLE_CASES}

GRANTS = {
    "district_staff": CASES | {A.MANAGE_REGISTRIES},
    "street_official": CASES | {A.MANAGE_REGISTRIES},
    "community_worker": CASES,
    "grid_worker": CASES,
}


def register() -> None:
    roles.grant(GRANTS)
