"""The interfaces app's action (registered from its AppConfig)."""

from core import roles


class Action(roles.Action):
    MANAGE_API_KEYS = "manage_api_keys"  # issue and revoke the keys apps file requests with


GRANTS = {"district_staff": {Action.MANAGE_API_KEYS}}


def register() -> None:
    roles.grant(GRANTS)
