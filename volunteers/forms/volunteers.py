from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import (
    DateInput,
    IdNumberInput,
    PhoneInput,
    clean_mobile,
    not_in_future,
    unit_choice_label,
)
from core.models import AdministrativeUnit
from core.privacy import id_number_error
from core.uploads import ImportFileField
from volunteers.models import ActivityTheme, Goods, Honour, PointRule, TargetGroup, Team
from volunteers.services.imports import MAX_IMPORT_BYTES

__all__ = [
    "ActivityForm",
    "CertificateForm",
    "CounterLookupForm",
    "DeedForm",
    "HonourForm",
    "ImportForm",
    "RedeemForm",
    "RuleForm",
    "VolunteerFilterForm",
    "VolunteerForm",
]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def clean_id(value: str) -> str:
    text = (value or "").strip().upper()
    if error := id_number_error(text):
        raise forms.ValidationError(error)
    return text


class VolunteerForm(OnceForm):
    unit = forms.ModelChoiceField(
        label=_("Registered at"), queryset=AdministrativeUnit.objects.none()
    )
    name = forms.CharField(label=_("Full name"), max_length=64)
    id_number = forms.CharField(label=_("ID number"), max_length=18, widget=IdNumberInput())
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, widget=PhoneInput())
    skills = forms.CharField(
        label=_("Skills"),
        max_length=200,
        required=False,
        help_text=_("Separate skills with 、 or commas."),
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label
        if not self.is_bound:
            self.initial.setdefault("joined_on", timezone.localdate())

    def clean_id_number(self):
        return clean_id(self.cleaned_data["id_number"])

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def clean_joined_on(self):
        return not_in_future(self.cleaned_data["joined_on"])

    def clean_skills(self):
        import re

        parts = re.split(r"[、,，;；\s]+", self.cleaned_data["skills"])
        return [p[:32] for p in parts if p][:10]


class VolunteerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or full ID number"), max_length=64, required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=AdministrativeUnit.objects.none(), required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label

    def filter(self, volunteers):
        data = self.cleaned_data
        if unit := data.get("unit"):
            volunteers = volunteers.filter(unit__path__startswith=unit.path)
        if q := data.get("q", "").strip():
            if len(q) == 18:
                volunteers = volunteers.filter(id_number=q.upper())
            else:
                volunteers = volunteers.filter(name=q)
        return volunteers


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Import into"),
        queryset=AdministrativeUnit.objects.none(),
        help_text=_("Rows without a unit join this one; a unit named in a row must lie within it."),
    )
    file = ImportFileField(label=_("Roll (XLSX or CSV)"), max_bytes=MAX_IMPORT_BYTES)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Choose an XLSX or CSV file."))
        return upload


class ActivityForm(OnceForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Choose a team from the list: a team leader logs activities only for the teams "
                "they lead."
            )
        },
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=ActivityTheme.objects.filter(active=True)
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=100)
    capacity = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=10000)
    served = forms.IntegerField(
        label=_("Person-times served"),
        min_value=0,
        max_value=100000,
        initial=0,
        help_text=_("Attendances of the people served, not people."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("An activity ends after it starts."))
        return data


class RuleForm(VersionedForm):
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=10000)
    active = forms.BooleanField(label=_("In use"), required=False)


class CounterLookupForm(forms.Form):
    id_number = forms.CharField(
        label=_("Volunteer's ID number"), max_length=18, widget=IdNumberInput()
    )

    def clean_id_number(self):
        return clean_id(self.cleaned_data["id_number"])


class RedeemForm(OnceForm):
    # The counter's card for the volunteer (services.points.counter_card), checked by the view.
    card = forms.CharField(widget=forms.HiddenInput, required=False)
    goods = forms.ModelChoiceField(label=_("Goods"), queryset=Goods.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args, supermarket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goods"].queryset = supermarket.goods.filter(active=True)
        self.fields["goods"].label_from_instance = lambda g: (
            _("%(name)s · %(points)s points · %(stock)s left")
            % {"name": g.name, "points": g.points, "stock": g.stock}
        )


class DeedForm(OnceForm):
    card = forms.CharField(widget=forms.HiddenInput, required=False)
    rule = forms.ModelChoiceField(
        label=_("Good deed"), queryset=PointRule.objects.filter(basis="deed", active=True)
    )
    note = forms.CharField(label=_("What happened"), max_length=150)


class HonourForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Honour.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    issuer = forms.CharField(label=_("Given by"), max_length=64)

    def clean_on(self):
        return not_in_future(self.cleaned_data["on"])


class CertificateForm(OnceForm):
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=100,
        required=False,
        help_text=_("What the certificate is for, e.g. 升学, 评优."),
    )
