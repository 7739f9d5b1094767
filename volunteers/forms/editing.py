"""Forms that change what is already there: a volunteer's details, an activity, sign-ups,
teams and their members, the points supermarket's goods."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import (
    DateInput,
    IdNumberInput,
    KeptPersonalField,
    PhoneInput,
    clean_mobile,
    not_in_future,
    unit_choice_label,
)
from core.models import AdministrativeUnit, User
from core.privacy import user_display_name
from volunteers.forms.volunteers import DateTimeInput, clean_id
from volunteers.models import ActivityTheme, TargetGroup, VolunteerStatus

__all__ = [
    "ActivityEditForm",
    "GoodsEditForm",
    "GoodsForm",
    "PickVolunteerForm",
    "RestockForm",
    "TeamEditForm",
    "TeamForm",
    "VolunteerEditForm",
    "VolunteerSearchForm",
    "split_skills",
]


def split_skills(text: str) -> list[str]:
    parts = re.split(r"[、,，;；\s]+", text or "")
    return [p[:32] for p in parts if p][:10]


class VolunteerEditForm(VersionedForm):
    """Name, phone and ID number are personal data: the form never holds them unmasked; a blank
    field keeps what is stored, and its help shows the masked value."""

    unit = forms.ModelChoiceField(
        label=_("Registered at"), queryset=AdministrativeUnit.objects.none()
    )
    name = KeptPersonalField(label=_("Full name"), max_length=64)
    id_number = KeptPersonalField(
        label=_("ID number"), max_length=18, widget=IdNumberInput(), check=clean_id
    )
    phone = KeptPersonalField(
        label=_("Phone"), max_length=20, widget=PhoneInput(), check=clean_mobile
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=200,
        required=False,
        help_text=_("Separate skills with 、 or commas."),
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=VolunteerStatus.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label

    def clean_joined_on(self):
        return not_in_future(self.cleaned_data["joined_on"])

    def clean_skills(self):
        return split_skills(self.cleaned_data["skills"])


class ActivityEditForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=ActivityTheme.objects.all())
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
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
        help_text=_("Attendances of the people served, not people."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if value and not 2000 <= value.year <= 2100:
                self.add_error(name, _("Enter a date between 2000 and 2100."))
                data.pop(name, None)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("An activity ends after it starts."))
        return data


class VolunteerSearchForm(forms.Form):
    """Find a volunteer to sign up or to add to a team: by name, by the last four characters of
    the ID number (what a masked number shows), or by the full number."""

    q = forms.CharField(
        label=_("Find a volunteer"),
        max_length=64,
        help_text=_("A name, the last four characters of the ID number, or the full number."),
    )

    def search(self, volunteers):
        q = self.cleaned_data["q"].strip()
        if re.fullmatch(r"\d{17}[\dXx]", q):
            return volunteers.filter(id_number=q.upper())
        if re.fullmatch(r"\d{3}[\dXx]", q):
            return volunteers.filter(id_number__endswith=q.upper())
        if re.fullmatch(r"\d{6}\**\d{3}[\dXx]", q):
            return volunteers.filter(
                id_number__startswith=q[:6], id_number__endswith=q[-4:].upper()
            )
        return volunteers.filter(name__startswith=q)


class PickVolunteerForm(OnceForm):
    volunteer = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TeamFields(forms.Form):
    """What a team is, as founded and as edited later."""

    name = forms.CharField(label=_("Name"), max_length=64)
    founded_on = forms.DateField(label=_("Founded on"), widget=DateInput())
    leaders = forms.ModelMultipleChoiceField(
        label=_("Leaders"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Accounts of the unit and below who lead the team."),
    )

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = leaders
        # Named by the one rule for staff; the login name tells two 张* apart.
        self.fields["leaders"].label_from_instance = lambda user: (
            f"{user_display_name(user)} · {user.get_username()}"
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the team's name."))
        return name

    def clean_founded_on(self):
        return not_in_future(self.cleaned_data["founded_on"])


class TeamForm(OnceForm, TeamFields):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none())
    field_order = ["unit", "name", "founded_on", "leaders"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label


class TeamEditForm(VersionedForm, TeamFields):
    pass


class GoodsForm(OnceForm):
    name = forms.CharField(label=_("Name"), max_length=64)
    points = forms.IntegerField(label=_("Points each"), min_value=1, max_value=100000)
    stock = forms.IntegerField(label=_("First stock"), min_value=0, max_value=100000, initial=0)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the goods' name."))
        return name


class GoodsEditForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=64)
    points = forms.IntegerField(label=_("Points each"), min_value=1, max_value=100000)
    active = forms.BooleanField(
        label=_("On the shelf"),
        required=False,
        help_text=_("Untick to retire the goods: the counter no longer offers them."),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the goods' name."))
        return name


class RestockForm(OnceForm):
    delta = forms.IntegerField(
        label=_("Change of stock"),
        min_value=-100000,
        max_value=100000,
        help_text=_("How many arrived; a negative number writes some off (damaged, expired)."),
    )
    note = forms.CharField(label=_("Note"), max_length=100, required=False)

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError(_("Enter a change other than zero."))
        return delta
