"""Changing a person in care against the version the form was opened at (StaleVersion
otherwise): their kinds, risk level and contacts, and their leaving care. Leaving care ends
their visits falling due and takes their bracelets off them, so the bracelet's alerts no longer
name them; the figures of people in care by kind count them out on the day they left."""

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import CarePerson, Device
from care.roles import Action
from care.services.devices import LEAVE
from core.models import may

__all__ = ["person_leave", "person_update"]

EDITABLE = (
    "kind",
    "risk_level",
    "phone",
    "address",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "notes",
)


def _locked(by, person: CarePerson, version: int) -> CarePerson:
    if not may(by, Action.CARE_KEEP, person.unit):
        raise PermissionDenied
    current = CarePerson.lock_at_version(person.pk, version)
    if not current.in_care:
        raise ValidationError(_("This person has left care."))
    return current


def _last_visit(person: CarePerson):
    return person.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()


def person_update(*, by, person: CarePerson, version: int, other_kinds=(), **fields) -> CarePerson:
    with transaction.atomic(), pghistory.context(user=by.pk, reason="care_person_update"):
        current = _locked(by, person, version)
        held = {current.kind_id, *current.other_kinds.values_list("pk", flat=True)}
        if (kind := fields.get("kind")) is not None and not kind.active and kind.pk not in held:
            raise ValidationError({"kind": _("This kind is retired: choose one in use.")})
        if any(not k.active and k.pk not in held for k in other_kinds):
            raise ValidationError({"other_kinds": _("This kind is retired: choose one in use.")})
        for name in EDITABLE:
            if name in fields:
                setattr(current, name, fields[name])
        # The plan goes by kind and risk level: the next visit is counted again from the last.
        current.plan_next_visit(_last_visit(current))
        current.full_clean(exclude=["next_visit_due"])
        current.save()
        current.other_kinds.set([k for k in other_kinds if k.pk != current.kind_id])
    return current


def person_leave(*, by, person: CarePerson, version: int, left_on, reason: str) -> CarePerson:
    context = {"user": by.pk, "reason": LEAVE, "person": person.pk}
    with transaction.atomic(), pghistory.context(**context):
        current = _locked(by, person, version)
        if left_on > timezone.localdate():
            raise ValidationError({"left_on": _("The day they left care cannot be in the future.")})
        if left_on < current.registered_on:
            raise ValidationError(
                {"left_on": _("The day they left care cannot be before they were registered.")}
            )
        current.left_on = left_on
        current.left_reason = reason
        # A visit whose day passed before they left was missed, whether or not the night's
        # marking had come round yet: it stays in the past figures as overdue.
        if current.next_visit_due < left_on:
            current.overdue = True
        current.save()
        for device in Device.objects.select_for_update().filter(person=current):
            device.person = None
            device.save(update_fields=["person"])
    return current
