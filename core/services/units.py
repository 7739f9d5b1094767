"""Changes to the unit tree: each checks scope, runs in one transaction and says who and why."""

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AdministrativeUnit, require
from core.models.units import code_error, placement_error
from core.public_pages import public_changed
from core.roles import Action

__all__ = ["unit_create", "unit_update", "unit_move", "unit_retire", "unit_reinstate"]


def unit_create(
    *, by, parent: AdministrativeUnit, code: str, name: str, level: str, notes: str = ""
):
    require(by, Action.MANAGE_UNITS, parent)
    errors = {}
    if error := placement_error(level, parent.level):
        errors["level"] = error
    elif error := code_error(code, level, parent):
        errors["code"] = error
    elif AdministrativeUnit.objects.filter(code=code).exists():
        errors["code"] = _("Another unit already has this code.")
    if parent.is_retired:
        errors["parent"] = _("A retired unit cannot receive new units.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), pghistory.context(user=by.pk, reason="unit_create"):
        unit = AdministrativeUnit.objects.create(
            parent=parent, code=code, name=name.strip(), level=level, notes=notes
        )
        public_changed()  # the public pages list units by name
        return unit


def unit_update(*, by, unit: AdministrativeUnit, version: int, name: str, notes: str):
    require(by, Action.MANAGE_UNITS, unit)
    with transaction.atomic(), pghistory.context(user=by.pk, reason="unit_update"):
        current = AdministrativeUnit.lock_at_version(unit.pk, version)
        current.name = name.strip()
        current.notes = notes
        current.save()
        public_changed()
        return current


def unit_move(
    *, by, unit: AdministrativeUnit, version: int, new_parent: AdministrativeUnit, reason: str
):
    require(by, Action.MANAGE_UNITS, unit)
    require(by, Action.MANAGE_UNITS, new_parent)
    if new_parent.is_within(unit):
        raise ValidationError(
            {"new_parent": _("A unit cannot move under itself or its own units.")}
        )
    if error := placement_error(unit.level, new_parent.level):
        raise ValidationError({"new_parent": error})
    if new_parent.is_retired:
        raise ValidationError({"new_parent": _("A retired unit cannot receive new units.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason=f"unit_move: {reason}"):
        current = AdministrativeUnit.lock_at_version(unit.pk, version)
        current.parent = new_parent
        current.save()
        public_changed()
        return current


def unit_retire(*, by, unit: AdministrativeUnit, version: int, reason: str):
    require(by, Action.MANAGE_UNITS, unit)
    if unit.parent_id is None:
        raise ValidationError({"reason": _("The district itself cannot be retired.")})
    if unit.children.filter(retired_on__isnull=True).exists():
        raise ValidationError({"reason": _("Retire or move the units below it first.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason=f"unit_retire: {reason}"):
        current = AdministrativeUnit.lock_at_version(unit.pk, version)
        current.retired_on = timezone.localdate()
        current.retired_reason = reason
        current.save()
        public_changed()
        return current


def unit_reinstate(*, by, unit: AdministrativeUnit, version: int):
    require(by, Action.MANAGE_UNITS, unit)
    if unit.parent and unit.parent.is_retired:
        raise ValidationError({"__all__": _("Reinstate its parent unit first.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="unit_reinstate"):
        current = AdministrativeUnit.lock_at_version(unit.pk, version)
        current.retired_on = None
        current.retired_reason = ""
        current.save()
        public_changed()
        return current
