"""Transfers (调动): the only way a volunteer moves to a unit outside the subtree that holds
them. The requesting unit learns that the person is registered elsewhere, never where; the
holding unit (or a unit above it, which includes every unit above both) decides. Approval moves
the volunteer and their tallies in the same transaction, with the decider and their note in the
volunteer's history."""

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AdministrativeUnit, UnitLevel, units_for
from volunteers.models import Transfer, Volunteer
from volunteers.roles import Action

__all__ = ["may_decide", "transfer_decide", "transfer_request", "transfer_units"]

TRANSFER_LEVELS = (UnitLevel.DISTRICT, UnitLevel.STREET, UnitLevel.COMMUNITY, UnitLevel.VILLAGE)


def transfer_units(user):
    """The units a user may ask volunteers into (volunteers are not registered at grids)."""
    return units_for(user, Action.MANAGE_VOLUNTEERS).filter(level__in=TRANSFER_LEVELS)


def transfer_request(*, by, to_unit: AdministrativeUnit, id_number: str, reason: str) -> Transfer:
    if not transfer_units(by).filter(pk=to_unit.pk).exists():
        raise PermissionDenied
    volunteer = Volunteer.objects.filter(id_number=id_number).first()
    if volunteer is None:
        raise ValidationError(
            {"id_number": _("No volunteer is registered with this ID number: register them.")}
        )
    mine = Volunteer.objects.for_user(by, Action.MANAGE_VOLUNTEERS).select_related("unit")
    if (within := mine.filter(pk=volunteer.pk).first()) is not None:
        raise ValidationError(
            {
                "id_number": _(
                    "This volunteer is registered within your units (at %(unit)s): change "
                    "their unit on their page."
                )
                % {"unit": within.unit.name}
            }
        )
    try:
        with transaction.atomic(), pghistory.context(user=by.pk, reason="transfer_request"):
            return Transfer.objects.create(
                volunteer=volunteer, to_unit=to_unit, reason=reason, requested_by=by
            )
    except IntegrityError:
        raise ValidationError(
            {
                "id_number": _(
                    "A request to move this person to %(unit)s is already awaiting a decision."
                )
                % {"unit": to_unit.name}
            }
        ) from None


def may_decide(user, transfer: Transfer) -> bool:
    return Transfer.objects.allows(user, Action.MANAGE_VOLUNTEERS, transfer)


def transfer_decide(
    *, by, transfer: Transfer, version: int, approve: bool, note: str = ""
) -> Transfer:
    """Approve (the volunteer moves) or refuse a pending request, against the version the page
    showed (StaleVersion otherwise: someone else decided first)."""
    move = "approve" if approve else "refuse"
    with (
        transaction.atomic(),
        pghistory.context(user=by.pk, reason=f"transfer_{move}: {note}".rstrip(": ")),
    ):
        current = Transfer.lock_at_version(transfer.pk, version)
        volunteer = Volunteer.objects.select_for_update().get(pk=current.volunteer_id)
        if not Volunteer.objects.for_user(by, Action.MANAGE_VOLUNTEERS).filter(pk=volunteer.pk):
            # Moved elsewhere since the page was opened: the decision is no longer theirs.
            raise PermissionDenied
        if current.status != Transfer.Status.PENDING:
            raise ValidationError(_("This request has already been decided."))
        if approve and current.to_unit.retired_on is not None:
            raise ValidationError(_("The requesting unit has been retired: refuse the request."))
        current.from_unit_id = volunteer.unit_id
        if approve and volunteer.unit_id != current.to_unit_id:
            volunteer.unit = current.to_unit
            volunteer.version += 1
            volunteer.save()  # the volunteer's facts move with them (Tallied)
        current.status = Transfer.Status.APPROVED if approve else Transfer.Status.REFUSED
        current.decided_by = by
        current.decided_at = timezone.now()
        current.note = note
        current.save()
    return current
