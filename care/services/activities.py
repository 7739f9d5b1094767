"""Which volunteer activities (暑期托管, 关爱) served a child in care: the grid or community that
keeps the child records it from the child's record; the activities come through core.handoffs."""

from datetime import timedelta

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import CarePerson, ChildActivity
from care.roles import Action
from core import handoffs

__all__ = ["LOOKBACK_DAYS", "activities_of", "activities_to_link", "child_activity_add", "is_child"]

# How far back an activity can still be recorded for a child.
LOOKBACK_DAYS = 180


def is_child(person: CarePerson) -> bool:
    return person.kind.for_children or person.other_kinds.filter(for_children=True).exists()


def activities_to_link(person: CarePerson) -> list[handoffs.ActivitySummary]:
    """Activities held for the child's grid (by it or a unit above it) since they were
    registered, in the last LOOKBACK_DAYS days, not yet recorded for them."""
    today = timezone.localdate()
    since = max(person.registered_on, today - timedelta(days=LOOKBACK_DAYS))
    linked = set(person.activities.values_list("activity_id", flat=True))
    return [
        a for a in handoffs.activities_held_for(person.unit, since, today) if a.pk not in linked
    ]


def activities_of(person: CarePerson, user) -> list[dict]:
    """The activities the child took part in, newest first, each with what it was."""
    links = list(person.activities.order_by("-held_on", "-pk"))
    found = handoffs.activity_summaries([link.activity_id for link in links], user)
    return [{"link": link, "activity": found.get(link.activity_id)} for link in links]


def child_activity_add(*, by, person: CarePerson, activity_id: int) -> ChildActivity:
    if not CarePerson.objects.allows(by, Action.CARE_KEEP, person):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="care_child_activity"):
        current = (
            CarePerson.objects.select_for_update().select_related("kind", "unit").get(pk=person.pk)
        )
        if not current.in_care:
            raise ValidationError({"activity": _("The child has left care.")})
        if not is_child(current):
            raise ValidationError(
                {"activity": _("Activities are recorded for children in care only.")}
            )
        if current.activities.filter(activity_id=activity_id).exists():
            raise ValidationError(
                {"activity": _("This activity is already recorded for the child.")}
            )
        held = {a.pk: a for a in activities_to_link(current)}
        if activity_id not in held:
            raise ValidationError(
                {
                    "activity": _(
                        "Choose an activity held for the child's grid since they were "
                        "registered, in the last %(days)s days."
                    )
                    % {"days": LOOKBACK_DAYS}
                }
            )
        return ChildActivity.objects.create(
            person=current,
            unit_id=current.unit_id,
            activity_id=activity_id,
            held_on=held[activity_id].held_on,
            recorded_by=by,
        )
