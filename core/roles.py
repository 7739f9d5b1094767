"""Roles and what each may do: the table every permission check reads.

A membership is (user, unit, role). Its grant covers the unit and everything below it. Core holds
the roles every subdomain shares and its own actions; each app names its actions, which roles may
take them and any roles of its own in its roles.py, registered from its AppConfig.ready().
"""

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from core.models.units import UnitLevel

__all__ = [
    "APPOINTS",
    "Action",
    "Role",
    "ROLES",
    "appoint",
    "grant",
    "register_role",
    "role_choices",
    "role_for",
]


class Action:
    VIEW = "view"
    VIEW_HISTORY = "view_history"
    MANAGE_UNITS = "manage_units"  # the unit tree, district-wide lists
    MANAGE_ACCOUNTS = "manage_accounts"


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    levels: frozenset[str]
    actions: frozenset[str]
    order: int = 100


L = UnitLevel
A = Action

LOCAL = {L.VILLAGE, L.COMMUNITY}
SEEN = {A.VIEW}
AUDIT = {A.VIEW, A.VIEW_HISTORY}

# key                    label                                  held at       may      order
_TABLE = [
    ("district_staff",    _("District social-work department"), {L.DISTRICT},
        AUDIT | {A.MANAGE_UNITS, A.MANAGE_ACCOUNTS},                                    10),
    ("street_official",   _("Street official"),                  {L.STREET},
        AUDIT | {A.MANAGE_ACCOUNTS},                                                    20),
    ("community_worker",  _("Community worker"),                 LOCAL,        AUDIT,   30),
    ("grid_worker",       _("Grid worker"),                      {L.GRID},     SEEN,    40),
]  # fmt: skip

ROLES: dict[str, Role] = {
    key: Role(key, label, frozenset(levels), frozenset(actions), order)
    for key, label, levels, actions, order in _TABLE
}


def register_role(key: str, label: str, levels, actions, order: int) -> None:
    """A role an app adds (its order places it among the others in choices)."""
    ROLES.setdefault(key, Role(key, label, frozenset(levels), frozenset(actions), order))


def grant(table: dict[str, set[str]]) -> None:
    """An app's actions, added to what each role of the table may do."""
    for key, actions in table.items():
        ROLES[key] = replace(ROLES[key], actions=ROLES[key].actions | frozenset(actions))


# Roles a holder may appoint below them without holding the role's actions (an app names them):
# those who oversee village affairs appoint its clerks, supervision-committee members and observers.
APPOINTS: dict[str, set[str]] = {}


def appoint(table: dict[str, set[str]]) -> None:
    """Roles of an app that each role of the table may grant though it does not hold them."""
    for key, appointed in table.items():
        APPOINTS.setdefault(key, set()).update(appointed)


def role_for(key: str) -> Role | None:
    return ROLES.get(key)


def role_choices() -> list[tuple[str, str]]:
    return [(role.key, role.label) for role in sorted(ROLES.values(), key=lambda r: r.order)]
