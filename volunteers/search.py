"""The search box's searcher for volunteers (registered in apps.py): personal data masked as on
the volunteer list."""

import re

from django.db.models import Q

from core.models import units_for
from core.privacy import masked_field
from core.search import Hit, ranked
from volunteers.models import Volunteer
from volunteers.views.access import VOLUNTEER_ACTIONS

__all__ = ["find_volunteers", "may_see_volunteers"]


def may_see_volunteers(user) -> bool:
    """Those who reach the volunteer pages at all (volunteers.views.access.require_any)."""
    return any(units_for(user, action).exists() for action in VOLUNTEER_ACTIONS)


def find_volunteers(user, query: str, limit: int) -> list[Hit]:
    """By the full ID number, then by name."""
    volunteers = Volunteer.objects.for_user(user).select_related("unit")
    exact = None
    if re.fullmatch(r"\d{17}[\dXx]", query):
        exact = Q(id_number=query.upper())
    found = ranked(
        volunteers,
        exact=exact,
        contains=Q(name__contains=query),
        order=("-joined_on", "-id"),
        limit=limit,
    )
    return [
        Hit(
            label=masked_field(volunteer, "name"),
            url=volunteer.get_absolute_url(),
            detail=" · ".join([masked_field(volunteer, "id_number"), volunteer.unit.name]),
        )
        for volunteer in found
    ]
