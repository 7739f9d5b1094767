"""Supervision findings: found (with a photo) → assigned with a deadline → response → sign-off
by the supervision committee. Each move is checked here, in one transaction."""

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.public_pages import public_changed
from disclosure.models import Finding

__all__ = ["finding_respond", "finding_sign_off"]


def finding_respond(*, finding: Finding, by, version: int, response: str, responded_on, photo=None):
    if finding.signed_off_on:
        raise ValidationError(_("This finding is already signed off."))
    if responded_on < finding.found_on:
        raise ValidationError({"responded_on": _("A response cannot come before the finding.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="finding_respond"):
        current = Finding.lock_at_version(finding.pk, version)
        current.response = response
        current.responded_on = responded_on
        if photo:
            current.photo_after.save(photo.name, photo, save=False)
        current.save()
    return current


def finding_sign_off(*, finding: Finding, by, version: int, signed_off_on=None) -> Finding:
    signed_off_on = signed_off_on or timezone.localdate()
    if finding.signed_off_on:
        raise ValidationError(_("This finding is already signed off."))
    if not finding.responded_on:
        raise ValidationError(_("Sign-off needs a response saying what was done."))
    if signed_off_on < finding.responded_on:
        raise ValidationError(_("Sign-off cannot come before the response."))
    with transaction.atomic(), pghistory.context(user=by.pk, reason="finding_sign_off"):
        current = Finding.lock_at_version(finding.pk, version)
        current.signed_off_on = signed_off_on
        current.signed_off_by = by
        current.save()
        public_changed()
    return current
