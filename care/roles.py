"""The care app's actions and which roles may take them (registered from its AppConfig).

The people in care are sensitive: only the grid, its community and its street see them. The
district sets the kinds, the visit plan and the escalation minutes, reads the figures and the log
of who opened whose record, but opens no one's record."""

from core import roles


class Action(roles.Action):
    CARE_VIEW = "care_view"  # the registry, people's pages, visits and alerts of the area
    CARE_KEEP = "care_keep"  # register people, log visits, bind bracelets, take and close alerts
    CARE_PLAN = "care_plan"  # kinds, visit plan, escalation minutes, the access log


A = Action
LOCAL_CARE = {A.CARE_VIEW, A.CARE_KEEP}

GRANTS = {
    "district_staff": {A.CARE_PLAN},
    "street_official": LOCAL_CARE,
    "community_worker": LOCAL_CARE,
    "grid_worker": LOCAL_CARE,
}


# The district keeps appointing the people the care registry is kept by, though it does not see
# the registry itself.
APPOINTS = {"district_staff": {"street_official", "community_worker", "grid_worker"}}


def register() -> None:
    roles.grant(GRANTS)
    roles.appoint(APPOINTS)
