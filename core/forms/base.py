"""What editing forms carry: the version they were opened at, or a key against double submits."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.forms.fields import KeptPersonalField
from core.models import SubmissionKey

__all__ = [
    "save_once",
    "add_service_errors",
    "VersionedForm",
    "OnceForm",
    "already_submitted",
    "claim_submission",
    "previous_result",
    "record_submission",
]


class VersionedForm(forms.Form):
    """A form that edits a stored record, against the version it was opened at. `stored` is that
    record: its kept personal fields (`KeptPersonalField`) show what it holds, masked, and one
    left blank is left out of `cleaned_data`, so it keeps the stored value."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        KeptPersonalField.show_stored(self, stored)

    def _post_clean(self):
        super()._post_clean()
        KeptPersonalField.leave_out_kept(self)


def against_version(posted, current):
    """What the person typed, to be saved again against the version someone else has saved."""
    data = posted.copy()
    data["version"] = str(current.version)
    return data


class OnceForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


def claim_submission(key: uuid.UUID, user) -> SubmissionKey | None:
    """Claim the key inside the caller's transaction; None when it was already used.

    A second submit of the same key waits on the unique index until the first commits. One
    statement: a duplicate inserts nothing instead of raising, so no savepoint is needed.
    """
    quote = connection.ops.quote_name
    table = quote(SubmissionKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('key')}, {quote('user_id')}, {quote('result_url')}, "  # noqa: S608 -- names, not input
            f"{quote('created_at')}) VALUES (%s, %s, '', %s) "
            f"ON CONFLICT ({quote('key')}) DO NOTHING RETURNING {quote('key')}",
            [key, user.pk, timezone.now()],
        )
        claimed = cursor.fetchone()
    return SubmissionKey(key=key, user=user) if claimed else None


def record_submission(key: uuid.UUID, result_url: str) -> None:
    SubmissionKey.objects.filter(key=key).update(result_url=result_url)


def already_submitted(request) -> str | None:
    """Where a repeated submit of this form should go: what the first submit made, or None."""
    try:
        key = uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return None
    return previous_result(key, request.user)


def previous_result(key: uuid.UUID, user) -> str | None:
    used = SubmissionKey.objects.filter(key=key, user=user).first()
    return used.result_url if used else None


# Django 6.1's blank choice label, which its own zh_Hans catalogue does not translate yet:
# naming it here puts it in ours.
BLANK_CHOICE_LABEL = gettext_lazy("- Select an option -")


def save_once(request, key: uuid.UUID, make, fallback, result=None):
    """Run `make` once per form key, in one transaction with the claim: returns (record, None),
    or (None, where the first submit went) for a repeated submit.

    `fallback` is where a repeated submit goes when the first one left no address: a URL name,
    a URL or a model, as `redirect` takes them. `result(record)` is the address the first submit
    went to, the record's own page unless given.
    """
    with transaction.atomic():
        if claim_submission(key, request.user) is None:
            return None, previous_result(key, request.user) or resolve_url(fallback)
        record = make()
        record_submission(key, result(record) if result else record.get_absolute_url())
    return record, None


def error_summary(forms) -> list[dict]:
    """Every error of the given forms, each with the id of its field, for a summary at the top
    of a long form (a phone shows only its first screen after a failed submit)."""
    items = []
    for form in forms:
        for error in form.non_field_errors():
            items.append({"label": "", "message": error, "anchor": ""})
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            field = form[name]
            for error in errors:
                items.append({"label": field.label, "message": error, "anchor": field.auto_id})
    return items


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError shown next to the form's fields (or above them)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
