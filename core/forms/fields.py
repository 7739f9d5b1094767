"""Fields and checks that forms of every app share."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit
from core.privacy import masked_field

__all__ = [
    "KeptPersonalField",
    "DateInput",
    "PhoneInput",
    "IdNumberInput",
    "unit_choice_label",
    "UNIT_PICKER",
    "picked_units",
    "units_as_rows",
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


# What a unit picker reads of each of its hundreds of units: its value and label, and the path a
# filter narrows a list by.
UNIT_PICKER = ("code", "name", "path", "depth")


def picked_units(request, units):
    """The units a form offers: on a page that only shows the form, what the picker reads of
    them; a posted form keeps whole units for what its save reads."""
    return units.only(*UNIT_PICKER) if request.method == "GET" else units


class _RowChoices(forms.models.ModelChoiceIterator):
    def __init__(self, field, columns, label):
        super().__init__(field)
        self.columns, self.label = columns, label

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset.values_list("pk", *self.columns, named=True):
            yield (row.pk, self.label(row))


def units_as_rows(field: forms.ModelChoiceField, units, columns, label) -> None:
    """Give a unit picker `units`, its options drawn from plain rows of `columns` with `label(row)`:
    hundreds of units, none built as a model. The chosen unit is still fetched as a model."""
    field.iterator = lambda f: _RowChoices(f, columns, label)
    field.label_from_instance = label
    field.queryset = units


def not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


def clean_mobile(value: str) -> str:
    phone = (value or "").strip().replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise forms.ValidationError(_("Enter a phone number of 7 to 12 digits."))
    return phone


class KeptPersonalField(forms.CharField):
    """A person's phone, ID number or name on a form that edits a stored record. Personal data:
    the form never holds the stored value, its help shows it masked, and a blank answer keeps
    it (the field is then left out of `cleaned_data`, so the save is not asked to change it).
    `check` cleans a value that was typed (e.g. `clean_mobile`).

    The form names the record it edits with `show_stored(form, record)`; a `VersionedForm` does
    this for its `stored=` argument and leaves out the blank ones after cleaning."""

    KEEP = _("Leave blank to keep the stored value (now %(masked)s).")

    def __init__(self, *, check=None, **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)
        self.check = check

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None  # kept: see leave_out_kept
        return self.check(value) if self.check else value

    @classmethod
    def show_stored(cls, form, record) -> None:
        """Tell each kept field of `form` what `record` holds, masked, in its help."""
        for name, field in form.fields.items():
            if isinstance(field, cls):
                shown = masked_field(record, name) if record is not None else ""
                field.help_text = cls.KEEP % {"masked": shown or "—"}

    @classmethod
    def leave_out_kept(cls, form) -> None:
        """Drop each kept field left blank from `form.cleaned_data`."""
        for name, field in form.fields.items():
            if isinstance(field, cls) and form.cleaned_data.get(name, "") is None:
                del form.cleaned_data[name]
