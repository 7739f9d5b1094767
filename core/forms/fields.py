"""Fields and checks that forms of every app share."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit

__all__ = ["DateInput", "unit_choice_label", "not_in_future", "clean_mobile"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def unit_choice_label(unit: AdministrativeUnit) -> str:
    return f"{'　' * unit.depth}{unit.name}"


def not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


def clean_mobile(value: str) -> str:
    phone = (value or "").strip().replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise forms.ValidationError(_("Enter a phone number of 7 to 12 digits."))
    return phone
