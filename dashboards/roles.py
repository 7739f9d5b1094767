"""The dashboards app's action: who submits a unit's 月报 (registered from its AppConfig).

A submitter must hold the role at the unit itself (see `monthly.may_submit`): a grant that covers
a subtree lets the unit above read what its units submitted, never sign for them."""

from core import roles


class Action(roles.Action):
    SUBMIT_MONTHLY_REPORT = "submit_monthly_report"


GRANTS = {
    "district_staff": {Action.SUBMIT_MONTHLY_REPORT},
    "street_official": {Action.SUBMIT_MONTHLY_REPORT},
    "community_worker": {Action.SUBMIT_MONTHLY_REPORT},
}


def register() -> None:
    roles.grant(GRANTS)
