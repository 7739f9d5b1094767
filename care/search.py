"""The search box's searcher for people in care (registered in apps.py): masked as on the
registry; opening the hit is what gets logged."""

import re

from django.db.models import Q

from care.models import CarePerson
from care.roles import Action
from core.models import units_for
from core.privacy import masked_field
from core.search import Hit, ranked

__all__ = ["find_people", "may_see_people"]


def may_see_people(user) -> bool:
    return units_for(user, Action.CARE_VIEW).exists()


def find_people(user, query: str, limit: int) -> list[Hit]:
    people = CarePerson.objects.for_user(user, Action.CARE_VIEW).select_related("unit", "kind")
    exact = Q(id_number=query.upper()) if re.fullmatch(r"\d{17}[\dXx]", query) else None
    found = ranked(
        people, exact=exact, contains=Q(name__contains=query), order=("name", "pk"), limit=limit
    )
    return [
        Hit(
            label=masked_field(person, "name"),
            url=person.get_absolute_url(),
            detail=" · ".join([person.kind.name, person.unit.name]),
        )
        for person in found
    ]
