from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import DateInput, clean_mobile, not_in_future, unit_choice_label
from core.models import AdministrativeUnit
from core.uploads import PhotoField
from disputes.models import HazardCategory, Severity

__all__ = ["HazardForm", "HazardFilterForm", "PublicHazardForm", "RectifyForm", "VerifyForm"]


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


class PublicHazardForm(forms.Form):
    """A hazard a resident reports through an app (Open311): checked as the web forms check."""

    place = forms.CharField(max_length=200)
    description = forms.CharField(max_length=4000)
    reporter_name = forms.CharField(max_length=64, required=False)
    reporter_phone = forms.CharField(max_length=20, required=False)
    photo = PhotoField()

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("Say what the hazard is."))
        return text

    def clean_reporter_phone(self):
        return clean_mobile(self.cleaned_data["reporter_phone"])


class VerifyForm(VersionedForm):
    """The grid worker's check of a hazard the public reported."""

    outcome = forms.ChoiceField(
        label=_("What the check found"),
        choices=[("hazard", _("It is a hazard")), ("unfounded", _("It is not a hazard"))],
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label=_("Category"), choices=HazardCategory.choices)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False
    )
    deadline = forms.DateField(label=_("Rectify by"), widget=DateInput(), required=False)
    verified_on = forms.DateField(label=_("Checked on"), widget=DateInput())
    verification_note = forms.CharField(
        label=_("Note of the check"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the resident's app, with numbers and names masked."),
    )

    def __init__(self, *args, hazard, **kwargs):
        super().__init__(*args, **kwargs)
        self.hazard = hazard

    def clean_verified_on(self):
        day = not_in_future(self.cleaned_data["verified_on"])
        if day < self.hazard.found_on:
            raise forms.ValidationError(_("A report cannot be checked before it was made."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "hazard":
            if not data.get("severity"):
                self.add_error("severity", _("Say how severe the hazard is."))
            if not data.get("deadline"):
                self.add_error("deadline", _("Set the date to rectify it by."))
            elif data.get("verified_on") and data["deadline"] < data["verified_on"]:
                self.add_error("deadline", _("The deadline cannot come before the check."))
        elif (
            data.get("outcome") == "unfounded" and not (data.get("verification_note") or "").strip()
        ):
            self.add_error("verification_note", _("Say why it is not a hazard."))
        return data


class HazardFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *HazardCategory.choices]
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("unverified", _("Reported, to verify")),
            ("open", _("Not rectified")),
            ("overdue", _("Overdue")),
            ("done", _("Rectified")),
        ],
    )
