"""Registering people in care, opening their records (each opening logged), and the visit plan."""

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import CareAccess, CareKind, CarePerson, VisitPlanRule
from care.roles import Action
from core.models import UnitLevel, may, units_for

__all__ = [
    "PHONES",
    "kind_change",
    "mark_overdue",
    "person_open",
    "person_register",
    "plan_rule_set",
]


def person_register(*, by, unit, kind, other_kinds=(), **fields) -> CarePerson:
    if unit.level != UnitLevel.GRID:
        raise ValidationError({"unit": _("People in care are registered at a grid.")})
    if not may(by, Action.CARE_KEEP, unit):
        raise PermissionDenied
    if not kind.active or any(not k.active for k in other_kinds):
        raise ValidationError({"kind": _("This kind is retired: choose one in use.")})
    if not fields.get("consent"):
        raise ValidationError(
            {"consent": _("Register a person only with their (or their guardian's) consent.")}
        )
    with transaction.atomic(), pghistory.context(user=by.pk, reason="care_person_register"):
        person = CarePerson(unit=unit, kind=kind, **fields)
        person.consent_on = person.consent_on or timezone.localdate()
        person.plan_next_visit(None)
        person.full_clean(exclude=["next_visit_due"])
        person.save()
        person.other_kinds.set([k for k in other_kinds if k.pk != kind.pk])
    return person


# The phones a worker who keeps the person may ask to see, to call the family.
PHONES = ("phone", "guardian_phone")


def person_open(*, by, person: CarePerson, revealed: tuple[str, ...] = ()) -> None:
    """Every opening of a person's record is logged: who, whom, when, and what was shown
    unmasked beyond it (the phones, asked for to call)."""
    if revealed and not CarePerson.objects.allows(by, Action.CARE_KEEP, person):
        raise PermissionDenied
    CareAccess.objects.create(person=person, user=by, revealed=",".join(revealed))


def kind_change(*, by, kind: CareKind, name: str = "", use: str = "") -> CareKind:
    """Rename a kind, retire it or bring it back. A retired kind is chosen for no new
    registration or change; the people of it keep it and stay counted under it."""
    if not units_for(by, Action.CARE_PLAN).exists():
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="care_kind_change"):
        current = CareKind.objects.select_for_update().get(pk=kind.pk)
        if name:
            if CareKind.objects.filter(name=name).exclude(pk=current.pk).exists():
                raise ValidationError({"name": _("This kind is already on the list.")})
            current.name = name
        if use == "retire":
            current.active = False
        elif use == "restore":
            current.active = True
        current.save()
    return current


def plan_rule_set(*, by, kind, risk_level: str, interval_days: int) -> VisitPlanRule:
    """The district changes how often a kind and level is visited: every such person's next
    visit moves with it (counted from their last visit)."""
    with transaction.atomic(), pghistory.context(user=by.pk, reason="care_plan_rule"):
        rule, _created = VisitPlanRule.objects.update_or_create(
            kind=kind, risk_level=risk_level, defaults={"interval_days": interval_days}
        )
        affected = CarePerson.objects.filter(
            kind=kind, risk_level=risk_level, left_on__isnull=True
        ).select_for_update()
        for person in affected:
            last = (
                person.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()
            )
            person.plan_next_visit(last)
            person.save(update_fields=["next_visit_due", "overdue"])
    return rule


def mark_overdue(today=None) -> int:
    """Visits whose day passed without one become overdue (run each night; bulk updates keep
    the tallies)."""
    today = today or timezone.localdate()
    with pghistory.context(reason="care_mark_overdue"):
        return CarePerson.objects.filter(
            left_on__isnull=True, overdue=False, next_visit_due__lt=today
        ).update(overdue=True)
