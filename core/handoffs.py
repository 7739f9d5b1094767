"""Work one app hands to another without importing it: the app that owns the work registers
its service here from its AppConfig.ready(), and the others call it through core.

  demand  a need someone raised becomes a demand (诉求): consultation registers the intake;
          care calls it when a visit raises a need.
  activities  the volunteer activities held for a unit: volunteers registers the source; care
          links the children it looks after to the activities that served them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

__all__ = [
    "ActivitySource",
    "ActivitySummary",
    "DemandIntake",
    "activities_held_for",
    "activity_summaries",
    "can_raise_demand",
    "has_activities",
    "raise_demand",
    "register_activity_source",
    "register_demand_intake",
]

# (by, unit, description, contact_name, contact_phone) -> the demand's page
DemandIntake = Callable[..., str]

_demand_intake: list[DemandIntake] = []


def register_demand_intake(intake: DemandIntake) -> None:
    _demand_intake[:] = [intake]


def can_raise_demand() -> bool:
    return bool(_demand_intake)


def raise_demand(
    *, by, unit, description: str, contact_name: str = "", contact_phone: str = ""
) -> str:
    """Log a demand at `unit` in the caller's transaction; returns its page. The owner checks
    that `by` may log demands there (PermissionDenied if not)."""
    if not _demand_intake:
        raise LookupError("no app takes in demands")
    return _demand_intake[0](
        by=by,
        unit=unit,
        description=description,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )


# Activities: volunteers registers where its activities are read from; care records which of the
# children it looks after an activity served (暑期托管, 关爱) and shows them on the child's record.
# Care keeps the activity's id and day; what the activity was (its title, team, hours) is read
# from its owner each time, so a correction there shows at once.


@dataclass(frozen=True)
class ActivitySummary:
    pk: int
    held_on: date
    title: str
    theme: str
    team: str
    organiser: str  # the organising unit's name
    volunteers: int  # volunteers with hours recorded (or signed up, before hours are recorded)
    hours: Decimal  # the volunteers' hours recorded, verified or not
    url: str = ""  # the activity's page, when the user may open it; "" otherwise


class ActivitySource(Protocol):
    def held_for(self, unit, since: date, until: date) -> list[ActivitySummary]:
        """Activities held from `since` to `until` by a unit on `unit`'s line (the unit itself
        or a unit above it), newest first."""

    def summaries(self, ids, user) -> dict[int, ActivitySummary]:
        """The activities of `ids` that still exist; `url` set where `user` may open them."""


_activity_source: list[ActivitySource] = []


def register_activity_source(source: ActivitySource) -> None:
    _activity_source[:] = [source]


def has_activities() -> bool:
    return bool(_activity_source)


def activities_held_for(unit, since: date, until: date) -> list[ActivitySummary]:
    return _activity_source[0].held_for(unit, since, until) if _activity_source else []


def activity_summaries(ids, user) -> dict[int, ActivitySummary]:
    ids = sorted(set(ids))
    if not ids or not _activity_source:
        return {}
    return _activity_source[0].summaries(ids, user)
