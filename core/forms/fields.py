"""Fields and checks that forms of every app share."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit

__all__ = [
    "DateInput",
    "PhoneInput",
    "IdNumberInput",
    "unit_choice_label",
    "not_in_future",
    "clean_mobile",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PhoneInput(forms.TextInput):
    """A phone number: a phone brings up its telephone keypad. Another person's number (a party,
    a volunteer, a worker) is never filled in from the browser's memory of the user's own;
    `own=True` for the person filling in the form (a resident's contact number)."""

    def __init__(self, own: bool = False, attrs: dict | None = None):
        defaults = {"inputmode": "tel", "autocomplete": "tel" if own else "off"}
        super().__init__(attrs={**defaults, **(attrs or {})})


class IdNumberInput(forms.TextInput):
    """An 18-character ID number. Not the number pad: its last character may be X, which no
    phone's number pad has. The browser remembers none, corrects none, and capitalises the x."""

    def __init__(self, attrs: dict | None = None):
        defaults = {
            "autocomplete": "off",
            "autocapitalize": "characters",
            "autocorrect": "off",
            "spellcheck": "false",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})


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
