"""Volunteers' registration and records: the certificate (证明) is numbered and kept as issued."""

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AdministrativeUnit, may, require
from volunteers.models import Certificate, HoursStatus, ServiceHours, Volunteer
from volunteers.roles import Action

__all__ = [
    "certificate_issue",
    "issuer_for",
    "may_edit_volunteer",
    "service_totals",
    "volunteer_register",
    "volunteer_update",
]


def volunteer_register(*, by, unit, name, id_number, phone="", skills=(), joined_on) -> Volunteer:
    require(by, Action.MANAGE_VOLUNTEERS, unit)
    existing = Volunteer.objects.filter(id_number=id_number).select_related("unit").first()
    if existing is not None:
        raise ValidationError({"id_number": _registered_elsewhere(by, existing)})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="volunteer_register"):
        volunteer = Volunteer(
            unit=unit,
            name=name,
            id_number=id_number,
            phone=phone,
            skills=list(skills),
            joined_on=joined_on,
        )
        volunteer.save()
    return volunteer


def _registered_elsewhere(by, existing: Volunteer) -> str:
    """Where the person is registered, said only to those who may see them there."""
    if Volunteer.objects.allows(by, Action.VIEW, existing):
        return _("This person is already registered (at %(unit)s).") % {"unit": existing.unit.name}
    return _(
        "This person is registered with a unit outside yours: request their transfer on the "
        "volunteer transfers page."
    )


def service_totals(volunteer: Volunteer) -> dict:
    verified = ServiceHours.objects.filter(volunteer=volunteer, status=HoursStatus.VERIFIED)
    totals = verified.aggregate(hours=Sum("hours"), activities=Count("id"))
    return {"hours": totals["hours"] or 0, "activities": totals["activities"] or 0}


def issuer_for(user, volunteer: Volunteer) -> AdministrativeUnit | None:
    """The unit in whose name the user may certify the volunteer: their closest grant above."""
    above = [
        u
        for u in AdministrativeUnit.objects.filter(
            code__in=volunteer.unit.path.strip("/").split("/")
        )
        if may(user, Action.MANAGE_VOLUNTEERS, u)
    ]
    return max(above, key=lambda u: u.depth) if above else None


def certificate_issue(*, by, volunteer: Volunteer, purpose: str = "") -> Certificate:
    issuer = issuer_for(by, volunteer)
    if issuer is None:
        raise PermissionDenied
    totals = service_totals(volunteer)
    if not totals["activities"]:
        raise ValidationError(_("This volunteer has no verified service to certify yet."))
    titles = list(
        ServiceHours.objects.filter(volunteer=volunteer, status=HoursStatus.VERIFIED)
        .order_by("served_on")
        .values_list("activity__theme__name", flat=True)
        .distinct()
    )
    today = timezone.localdate()
    with transaction.atomic(), pghistory.context(user=by.pk, reason="certificate_issue"):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO volunteers_certificatecounter (year, last) VALUES (%s, 1)
                ON CONFLICT (year) DO UPDATE SET last = volunteers_certificatecounter.last + 1
                RETURNING last
                """,
                [today.year],
            )
            serial = cursor.fetchone()[0]
        return Certificate.objects.create(
            number=f"GCZYZ-{today.year}-{serial:06d}",
            volunteer=volunteer,
            issuer=issuer,
            issued_on=today,
            hours=totals["hours"],
            activities=totals["activities"],
            content="、".join(dict.fromkeys(titles)),
            purpose=purpose,
            by=by,
        )


def may_edit_volunteer(user, volunteer: Volunteer) -> bool:
    return issuer_for(user, volunteer) is not None


def volunteer_update(*, by, volunteer: Volunteer, version: int, **fields) -> Volunteer:
    """Change a volunteer's details against the version the form was opened at (StaleVersion
    otherwise). Blank name, phone or ID number keep the stored value (the form never shows them
    unmasked); an ID number belongs to one person, so another volunteer's is refused. The tallies
    follow (a change of status or unit moves the volunteer's facts, in the same transaction)."""
    if not may_edit_volunteer(by, volunteer):
        raise PermissionDenied
    unit = fields.get("unit")
    if unit is not None:
        require(by, Action.MANAGE_VOLUNTEERS, unit)
    id_number = fields.get("id_number")
    if id_number:
        other = (
            Volunteer.objects.filter(id_number=id_number)
            .exclude(pk=volunteer.pk)
            .select_related("unit")
            .first()
        )
        if other is not None:
            raise ValidationError({"id_number": _registered_elsewhere(by, other)})
    try:
        with transaction.atomic(), pghistory.context(user=by.pk, reason="volunteer_update"):
            current = Volunteer.lock_at_version(volunteer.pk, version)
            status = fields.get("status", current.status)
            if status != current.status:
                current.status_since = timezone.localdate()
            for name, value in fields.items():
                if name in ("name", "phone", "id_number") and not value:
                    continue
                setattr(current, name, list(value) if name == "skills" else value)
            if current.status_since and current.status_since < current.joined_on:
                current.status_since = current.joined_on
            current.save()
    except IntegrityError:
        raise ValidationError(
            {"id_number": _("This ID number belongs to another volunteer.")}
        ) from None
    return current
