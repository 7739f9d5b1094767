"""The disclosure app's actions and roles (registered from its AppConfig)."""

from django.utils.translation import gettext_lazy as _

from core import roles
from core.models import UnitLevel as L


class Action(roles.Action):
    DRAFT_DISCLOSURE = "draft_disclosure"  # catalogue, posts, 四议两公开 steps, surveys, responses
    REVIEW_DISCLOSURE = "review_disclosure"  # return or approve posts; sign off rectifications
    FILE_FINDINGS = "file_findings"  # supervision findings with photos


A = Action
LOCAL = {L.VILLAGE, L.COMMUNITY}

# (key, label, held at, may, order among the roles)
ROLES = [
    ("village_clerk", _("Village-affairs clerk"), LOCAL, {A.VIEW, A.DRAFT_DISCLOSURE}, 50),
    (
        "supervisor",
        _("Supervision-committee member"),
        LOCAL,
        {A.VIEW, A.REVIEW_DISCLOSURE, A.FILE_FINDINGS},
        60,
    ),
    ("observer", _("Construction observer"), LOCAL, {A.VIEW, A.FILE_FINDINGS}, 70),
]


def register() -> None:
    for role in ROLES:
        roles.register_role(*role)
    village_roles = {key for key, *_rest in ROLES}
    roles.appoint({"district_staff": village_roles, "street_official": village_roles})
