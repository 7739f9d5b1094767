from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import DateInput, not_in_future, unit_choice_label
from core.models import AdministrativeUnit
from core.uploads import PhotoField
from disputes.models import HazardCategory, Severity

__all__ = ["HazardForm", "RectifyForm", "HazardFilterForm"]


class HazardForm(OnceForm):
    unit = forms.ModelChoiceField(
        label=_("Unit (down to the grid)"), queryset=AdministrativeUnit.objects.none()
    )
    category = forms.ChoiceField(label=_("Category"), choices=HazardCategory.choices)
    place = forms.CharField(label=_("Place"), max_length=200)
    description = forms.CharField(
        label=_("What is wrong"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    found_on = forms.DateField(label=_("Found on"), widget=DateInput())
    deadline = forms.DateField(label=_("Rectify by"), widget=DateInput())
    photo = PhotoField(label=_("Photo"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label

    def clean_found_on(self):
        return not_in_future(self.cleaned_data["found_on"])

    def clean(self):
        data = super().clean()
        if data.get("found_on") and data.get("deadline") and data["deadline"] < data["found_on"]:
            self.add_error("deadline", _("The deadline cannot come before the hazard was found."))
        return data


class RectifyForm(VersionedForm):
    rectification = forms.CharField(
        label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rectified_on = forms.DateField(label=_("Rectified on"), widget=DateInput())
    photo_after = PhotoField(label=_("Photo after"))

    def __init__(self, *args, hazard, **kwargs):
        super().__init__(*args, **kwargs)
        self.hazard = hazard

    def clean_rectified_on(self):
        day = not_in_future(self.cleaned_data["rectified_on"])
        if day < self.hazard.found_on:
            raise forms.ValidationError(_("A hazard cannot be rectified before it was found."))
        return day


class HazardFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *HazardCategory.choices]
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("Not rectified")),
            ("overdue", _("Overdue")),
            ("done", _("Rectified")),
        ],
    )
