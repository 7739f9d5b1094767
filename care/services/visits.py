"""Logging a visit: it answers the visit the plan asked for, books the next one and, when the
worker says so, turns the need raised into a demand (诉求) in the same step."""

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import CarePerson, Visit
from care.roles import Action
from core import handoffs
from core.privacy import mask

__all__ = ["visit_log"]


def visit_log(
    *,
    by,
    person: CarePerson,
    visited_on,
    finding: str,
    needs: str = "",
    photo=None,
    to_demand: bool = False,
) -> Visit:
    if not CarePerson.objects.allows(by, Action.CARE_KEEP, person):
        raise PermissionDenied
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The date cannot be in the future.")})
    if visited_on < person.registered_on:
        raise ValidationError(
            {"visited_on": _("The visit cannot be before the person was registered.")}
        )
    if to_demand and not needs.strip():
        raise ValidationError({"needs": _("Write the need that should become a demand.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="care_visit_log"):
        current = CarePerson.objects.select_for_update().select_related("kind").get(pk=person.pk)
        visit = Visit(
            person=current,
            unit_id=current.unit_id,
            by=by,
            visited_on=visited_on,
            due_on=current.next_visit_due,
            finding=finding,
            needs=needs.strip(),
        )
        if photo:
            visit.photo.save(photo.name, photo, save=False)
        if to_demand:
            visit.demand_url = handoffs.raise_demand(
                by=by,
                unit=current.unit,
                description=_("Raised during a care visit to %(name)s: %(needs)s")
                % {"name": mask(current.name, "name"), "needs": visit.needs},
            )
        visit.save()
        latest = current.visits.order_by("-visited_on").values_list("visited_on", flat=True)[0]
        current.plan_next_visit(latest)
        current.save(update_fields=["next_visit_due", "overdue"])
    return visit
