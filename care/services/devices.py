"""Binding a bracelet (智慧养老手环) to the person who wears it, and unbinding it with a reason.
A bracelet is worn by one person at a time; each bind and unbind is in the bracelet's history
(pghistory), with who did it, for whom and why."""

import pghistory
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import CarePerson, Device
from care.roles import Action
from core.models import may

__all__ = ["BIND", "LEAVE", "UNBIND", "bracelet_history", "device_bind", "device_unbind"]

BIND = "care_device_bind"
UNBIND = "care_device_unbind"
# Leaving care takes the person's bracelets off them in the same change.
LEAVE = "care_person_leave"


def _check_keeper(by, person: CarePerson) -> None:
    if not may(by, Action.CARE_KEEP, person.unit):
        raise PermissionDenied
    if not person.in_care:
        raise ValidationError(_("This person has left care."))


def device_bind(*, by, person: CarePerson, serial: str) -> Device:
    """Bind the bracelet numbered `serial` to `person`: an unbound one of the area, or a number
    the portal does not know yet (then registered at the person's grid). Binding it again to the
    same person changes nothing."""
    _check_keeper(by, person)
    serial = serial.strip()
    context = {"user": by.pk, "reason": BIND, "person": person.pk}
    try:
        with transaction.atomic(), pghistory.context(**context):
            device = Device.objects.select_for_update().filter(serial=serial).first()
            if device is None:
                return Device.objects.create(serial=serial, person=person, unit=person.unit)
            if device.person_id == person.pk:
                return device
            if not Device.objects.for_user(by, Action.CARE_KEEP).filter(pk=device.pk).exists():
                raise ValidationError(
                    {"serial": _("This bracelet belongs to another area: they can release it.")}
                )
            if device.person_id is not None:
                raise ValidationError(
                    {"serial": _("This bracelet is worn by someone else: unbind it there first.")}
                )
            device.person = person
            device.unit = person.unit
            device.bound_on = timezone.localdate()
            device.save(update_fields=["person", "unit", "bound_on"])
    except IntegrityError:
        # The same new number bound at the same moment by someone else.
        raise ValidationError(
            {"serial": _("This bracelet was just bound by someone else: reload the page.")}
        ) from None
    return device


def device_unbind(*, by, person: CarePerson, device_id: int, reason: str) -> Device:
    """Take the bracelet off `person`; it stays registered at the grid, free to bind again."""
    if not may(by, Action.CARE_KEEP, person.unit):
        raise PermissionDenied
    context = {"user": by.pk, "reason": UNBIND, "person": person.pk, "note": reason}
    with transaction.atomic(), pghistory.context(**context):
        device = Device.objects.select_for_update().filter(pk=device_id).first()
        if device is None or device.person_id != person.pk:
            raise ValidationError(_("This bracelet is no longer bound to this person."))
        device.person = None
        device.save(update_fields=["person"])
    return device


def bracelet_history(person: CarePerson, limit: int = 20) -> list[dict]:
    """Each bind and unbind of a bracelet for this person, newest first."""
    events = (
        Device.pgh_event_model.objects.filter(
            pgh_context__metadata__person=person.pk,
            pgh_context__metadata__reason__in=[BIND, UNBIND, LEAVE],
        )
        .select_related("pgh_context")
        .order_by("-pgh_id")[:limit]
    )
    rows = []
    for event in events:
        meta = event.pgh_context.metadata
        rows.append(
            {
                "at": event.pgh_created_at,
                "serial": event.serial,
                "bound": meta["reason"] == BIND,
                "note": meta.get("note") or (_("Left care") if meta["reason"] == LEAVE else ""),
                "user_id": meta.get("user"),
            }
        )
    ids = {row["user_id"] for row in rows}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)}
    for row in rows:
        row["by"] = users.get(row.pop("user_id"))
    return rows
